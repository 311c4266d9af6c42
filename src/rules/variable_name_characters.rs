use crate::rules::invalid_variable_name::{identifier_len, is_continue, is_start, MAX_NAME_LEN};
use crate::rules::util::has_placeholder;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the characters of every `Assign` key (of a state, a catcher or
    /// a Choice rule), after dropping a `.$` suffix: a variable name starts
    /// with a letter or `_` and continues with letters, digits and `_`. Keys
    /// that `invalid-variable-name` reports (empty, `states`, too long, a
    /// part of a variable, a leading `$`) are left to it.
    ///
    /// Letters and digits are Unicode letters and digits, an approximation
    /// of the `ID_Start` and `ID_Continue` classes the specification names.
    ///
    /// ## Why is this bad?
    /// The specification and the AWS documentation require variable names to
    /// be Unicode identifiers. A name such as `order-id` could not be read
    /// back in JSONata: `$order-id` means `$order` minus `id`.
    ///
    /// The rule warns rather than errs: whether AWS refuses such names when
    /// the state machine is created is not documented, the check only
    /// approximates the Unicode classes, and asl-validator accepts names such
    /// as `top-level`.
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
    pub static VARIABLE_NAME_CHARACTERS = {
        code: "ASL317",
        name: "variable-name-characters",
        category: Data,
        severity: Warning,
        summary: "an `Assign` key has characters a variable name cannot have",
        check: Some(check),
    }
}

/// True when `invalid-variable-name` reports the name (so this rule does not).
fn clearly_invalid(name: &str) -> bool {
    if name.is_empty() || name == "states" || name.chars().count() > MAX_NAME_LEN {
        return true;
    }
    if let Some(rest) = name.strip_prefix('$') {
        if rest.chars().next().is_some_and(is_start) && rest.chars().all(is_continue) {
            return true;
        }
    }
    let ident_len = identifier_len(name);
    ident_len > 0 && ident_len < name.len() && matches!(name.as_bytes()[ident_len], b'.' | b'[')
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for a in &cx.variables().assignments {
        let (m, name) = (a.member, a.name);
        if has_placeholder(&m.key) {
            continue;
        }
        let ident_len = identifier_len(name);
        if ident_len == name.len() || clearly_invalid(name) {
            continue;
        }
        let at = format!(
            "`{}` of state `{}`",
            a.site.field(),
            cx.machine.state(a.state).name
        );
        let bad = name[ident_len..].chars().next().unwrap_or(' ');
        let message = if ident_len == 0 {
            format!("variable name `{name}` must start with a letter or `_`, not `{bad}` (in {at})")
        } else {
            format!(
                "variable name `{name}` contains `{bad}`, which is not allowed in a name (in {at})"
            )
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
        out.report(&VARIABLE_NAME_CHARACTERS, m.key_range, message)
            .help(format!("names are letters, digits and `_`, not starting with a digit, for example `{suggestion}`"));
    }
}
