use crate::rules::util::variables::{assign_objects, variable_name};
use crate::rules::util::{has_placeholder, rename_key_fix};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the keys of every `Assign` object (of a state, a catcher or a
    /// Choice rule): after dropping a `.$` suffix, each must be a variable
    /// name, that is an identifier of at most 80 characters (a letter or `_`,
    /// then letters, digits or `_`) other than the reserved `states`. Keys
    /// that assign part of a variable (`order.id`, `items[0]`) and keys
    /// written with a leading `$` are reported too.
    ///
    /// Letters and digits are Unicode letters and digits, an approximation of
    /// the `ID_Start`/`ID_Continue` classes the specification names.
    ///
    /// ## Why is this bad?
    /// The specification requires variable names to be identifiers and
    /// reserves `states` for the JSONata `$states` variable. A name such as
    /// `order-id` could never be read back: `$order-id` means `$order`
    /// minus `id`. `Assign` replaces whole variables only; there is no way to
    /// set one field of a variable in place.
    ///
    /// The rule warns rather than errs: the specification's requirement is
    /// clear, but asl-validator accepts names such as `top-level` and whether
    /// AWS rejects them when the state machine is created is not documented.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "order-id.$": "$.id" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static INVALID_VARIABLE_NAME = {
        code: "ASL310",
        name: "invalid-variable-name",
        category: Data,
        severity: Warning,
        summary: "an `Assign` key is not a valid variable name",
        check: Some(check),
    }
}

/// The longest variable name Step Functions accepts.
pub const MAX_NAME_LEN: usize = 80;

fn is_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True for a name Step Functions accepts for a variable: an identifier
/// (a letter or `_`, then letters, digits or `_`) of at most
/// [`MAX_NAME_LEN`] characters, other than the reserved `states`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_start)
        && chars.all(is_continue)
        && name.chars().count() <= MAX_NAME_LEN
        && name != "states"
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for (site, obj) in assign_objects(state) {
            for m in obj.as_object().unwrap_or(&[]) {
                if has_placeholder(&m.key) {
                    continue;
                }
                let name = variable_name(&m.key);
                let at = format!("`{}` of state `{}`", site.field(), state.name);
                let report = |out: &mut Sink<'_>, message: String, help: String| {
                    out.report(&INVALID_VARIABLE_NAME, m.key_range, message)
                        .help(help);
                };
                if name.is_empty() {
                    report(
                        out,
                        format!("empty variable name in {at}"),
                        "name the variable, for example `result`".into(),
                    );
                    continue;
                }
                if name == "states" {
                    report(
                        out,
                        format!("`states` is reserved and cannot be assigned (in {at})"),
                        "`$states` holds the input, result and context of the state; choose another name".into(),
                    );
                    continue;
                }
                if let Some(rest) = name.strip_prefix('$') {
                    if !rest.is_empty()
                        && rest.chars().next().is_some_and(is_start)
                        && rest.chars().all(is_continue)
                    {
                        let new_key = m.key.replacen('$', "", 1);
                        let fix = rename_key_fix(cx.text(), m, &new_key, "remove the `$`");
                        let r = out
                            .report(
                                &INVALID_VARIABLE_NAME,
                                m.key_range,
                                format!("variable name `{name}` starts with `$` (in {at})"),
                            )
                            .help(format!("write the name without `$`: `{rest}`; the `$` belongs only to reads such as `${rest}`"));
                        if let Some(fix) = fix {
                            r.fix(fix);
                        }
                        continue;
                    }
                }
                let ident_len = name
                    .char_indices()
                    .find(|&(i, c)| {
                        if i == 0 {
                            !is_start(c)
                        } else {
                            !is_continue(c)
                        }
                    })
                    .map_or(name.len(), |(i, _)| i);
                if ident_len == name.len() {
                    let chars = name.chars().count();
                    if chars > MAX_NAME_LEN {
                        report(
                            out,
                            format!("variable name is {chars} characters long, more than the {MAX_NAME_LEN} allowed (in {at})"),
                            format!("shorten it to at most {MAX_NAME_LEN} characters"),
                        );
                    }
                    continue;
                }
                let bad = name[ident_len..].chars().next().unwrap_or(' ');
                if ident_len > 0 && matches!(bad, '.' | '[') {
                    let whole = &name[..ident_len];
                    report(
                        out,
                        format!("`{name}` assigns part of variable `{whole}`; `Assign` keys name whole variables (in {at})"),
                        format!("assign the whole value, for example build it in one expression and assign it to `{whole}`"),
                    );
                    continue;
                }
                let message = if ident_len == 0 {
                    format!("variable name `{name}` must start with a letter or `_`, not `{bad}` (in {at})")
                } else {
                    format!("variable name `{name}` contains `{bad}`, which is not allowed in a name (in {at})")
                };
                let suggestion: String = name
                    .chars()
                    .map(|c| if is_continue(c) { c } else { '_' })
                    .collect();
                let suggestion = if suggestion.chars().next().is_some_and(is_start) {
                    suggestion
                } else {
                    format!("_{suggestion}")
                };
                report(
                    out,
                    message,
                    format!("names are letters, digits and `_`, not starting with a digit, for example `{suggestion}`"),
                );
            }
        }
    }
}
