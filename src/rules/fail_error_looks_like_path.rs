use crate::model::{QueryLanguage, StateType};
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Fail state whose literal `Error` or `Cause` looks like a path
    /// (`$.error`, `$$.Execution.Id`, `$`) or an intrinsic function call
    /// (`States.Format(…)`).
    ///
    /// ## Why is this bad?
    /// `Error` and `Cause` are used exactly as written: the execution fails
    /// with the text `$.error`, not with the value at that path. In JSONPath
    /// states, read values with `ErrorPath` and `CausePath`; in JSONata
    /// states, use a `{% … %}` expression. AWS's validator flags the same
    /// pattern (`NO_PATH`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Stop",
    ///   "States": {
    ///     "Stop": { "Type": "Fail", "Error": "$.errorName", "Cause": "$.message" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Stop",
    ///   "States": {
    ///     "Stop": { "Type": "Fail", "ErrorPath": "$.errorName", "CausePath": "$.message" }
    ///   }
    /// }
    /// ```
    pub static FAIL_ERROR_LOOKS_LIKE_PATH = {
        code: "ASL231",
        name: "fail-error-looks-like-path",
        category: States,
        severity: Warning,
        summary: "a Fail state's literal `Error` or `Cause` looks like a path",
        check: Some(check),
    }
}

/// True for `$`, `$.x`, `$$.x`, `$[…]` and `States.Fn(…)`.
fn looks_like_path(s: &str) -> bool {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('$') {
        return rest.is_empty() || rest.starts_with(['.', '$', '[']);
    }
    s.starts_with("States.") && s.contains('(') && s.ends_with(')')
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Fail) {
        for field in ["Error", "Cause"] {
            let Some(node) = state.get(field) else {
                continue;
            };
            let Some(s) = node.as_str() else { continue };
            if !looks_like_path(s) {
                continue;
            }
            let help = if state.query_language == QueryLanguage::Jsonata {
                format!("`{field}` is used as written; to compute it, use a JSONata expression such as `\"{{% $states.input.error %}}\"`")
            } else {
                format!("`{field}` is used as written; to read it from the input, use `{field}Path` instead")
            };
            out.report(
                &FAIL_ERROR_LOOKS_LIKE_PATH,
                node.range,
                format!(
                    "`{field}` of Fail state `{}` looks like a path but is a literal string",
                    state.name
                ),
            )
            .help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_path;

    #[test]
    fn paths_and_intrinsics_only() {
        assert!(looks_like_path("$.error"));
        assert!(looks_like_path("$$.Execution.Id"));
        assert!(looks_like_path("$"));
        assert!(looks_like_path("States.Format('x {}', $.a)"));
        assert!(!looks_like_path("States.Timeout"));
        assert!(!looks_like_path("Cost is $5"));
        assert!(!looks_like_path("$5 fee"));
        assert!(!looks_like_path("MyError"));
    }
}
