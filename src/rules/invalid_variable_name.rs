use crate::rules::util::{has_placeholder, rename_key_fix};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the keys of every `Assign` object (of a state, a catcher or a
    /// Choice rule) against the variable-name rules that the specification
    /// and the AWS documentation state outright. After dropping a `.$`
    /// suffix, a key must not be:
    ///
    /// * empty;
    /// * `states`, the reserved variable;
    /// * longer than 80 characters;
    /// * a part of a variable (`order.id`, `items[0]`): `Assign` sets whole
    ///   variables only;
    /// * written with the `$` of a read (`$total`).
    ///
    /// Names made of other characters than letters, digits and `_` are
    /// `variable-name-characters`' finding.
    ///
    /// ## Why is this bad?
    /// The specification requires variable names to be Unicode identifiers
    /// of at most 80 characters and forbids assigning `states`; the AWS
    /// documentation repeats the length limit and says that a part of a
    /// variable cannot be assigned (`"x.y"`, `"x[2]"`). Such a key never
    /// makes a variable that a later `$name` can read.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "order.id.$": "$.id" }, "End": true }
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
        severity: Error,
        summary: "an `Assign` key is empty, reserved, too long, a part of a variable or starts with `$`",
        check: Some(check),
    }
}

/// The longest variable name Step Functions accepts.
pub const MAX_NAME_LEN: usize = 80;

/// A letter or `_`: the first character of a name (the specification's
/// `ID_Start`, approximated by Unicode letters, plus `_`).
pub fn is_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// A letter, digit or `_`: the other characters of a name (`ID_Continue`,
/// approximated).
pub fn is_continue(c: char) -> bool {
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

/// The length in bytes of the identifier `name` starts with (a letter or
/// `_`, then letters, digits or `_`).
pub fn identifier_len(name: &str) -> usize {
    name.char_indices()
        .find(|&(i, c)| {
            if i == 0 {
                !is_start(c)
            } else {
                !is_continue(c)
            }
        })
        .map_or(name.len(), |(i, _)| i)
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for a in &cx.variables().assignments {
        let (m, name) = (a.member, a.name);
        if has_placeholder(&m.key) || is_plain_name(name) {
            continue;
        }
        let at = format!(
            "`{}` of state `{}`",
            a.site.field(),
            cx.machine.state(a.state).name
        );
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
                "`$states` holds the input, result and context of the state; choose another name"
                    .into(),
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
        let chars = name.chars().count();
        if chars > MAX_NAME_LEN {
            report(
                out,
                format!("variable name is {chars} characters long, more than the {MAX_NAME_LEN} allowed (in {at})"),
                format!("shorten it to at most {MAX_NAME_LEN} characters"),
            );
            continue;
        }
        let ident_len = identifier_len(name);
        if ident_len == name.len() {
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
        }
        // Other characters are `variable-name-characters`' finding.
    }
}

/// A name with nothing to report: an identifier of at most
/// [`MAX_NAME_LEN`] characters that is not `states`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "states"
        && identifier_len(name) == name.len()
        && name.chars().count() <= MAX_NAME_LEN
}
