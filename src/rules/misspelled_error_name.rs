use crate::rules::util::errors::{handlers, HandlerKind, PREDEFINED};
use crate::rules::util::replace_string_fix;
use crate::rules::{edit_distance, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an error name in `ErrorEquals` that starts with `States.` and is
    /// a near miss of a predefined error name, such as `States.TimeOut`,
    /// `States.All` or `States.Taskfailed`, and suggests the right spelling.
    ///
    /// ## Why is this bad?
    /// Error names are compared exactly, case included. A misspelled name
    /// never matches, so the retrier or catcher silently does nothing.
    ///
    /// Unknown `States.` names that are not close to a predefined one are not
    /// reported: Step Functions accepts them, and some integrations raise
    /// their own (`States.Http.StatusCode.404`, for example).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": ["States.TimeOut"] } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": ["States.Timeout"] } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MISSPELLED_ERROR_NAME = {
        code: "ASL203",
        name: "misspelled-error-name",
        category: States,
        severity: Warning,
        summary: "an error name is a misspelling of a predefined `States.` error",
        check: Some(check),
    }
}

/// The predefined name `name` most likely stands for, comparing the parts
/// after `States.`: a case-insensitive match, or a small edit distance.
fn suggestion(name: &str) -> Option<&'static str> {
    let suffix = name.strip_prefix("States.")?;
    if PREDEFINED.contains(&name) || suffix.is_empty() {
        return None;
    }
    let len = suffix.chars().count();
    let limit = (len / 4).clamp(1, 3);
    // A name much longer than every predefined one is no typo of them (and
    // is not compared character by character).
    let longest = PREDEFINED.iter().map(|p| p.len()).max().unwrap_or(0);
    if len > longest + limit {
        return None;
    }
    let lower = suffix.to_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for &p in PREDEFINED {
        let ps = &p["States.".len()..];
        let d = if ps.eq_ignore_ascii_case(suffix) {
            0
        } else {
            edit_distance(&lower, &ps.to_lowercase())
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, p));
        }
    }
    best.map(|(_, p)| p)
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for kind in [HandlerKind::Retry, HandlerKind::Catch] {
            for h in handlers(state, kind) {
                for (name, node) in h.names() {
                    let Some(good) = suggestion(name) else {
                        continue;
                    };
                    let mut r = out
                        .report(
                            &MISSPELLED_ERROR_NAME,
                            node.range,
                            format!(
                                "`{name}` in `{}` of state `{}` is not a predefined error name",
                                h.label(),
                                state.name
                            ),
                        )
                        .help(format!(
                            "did you mean `{good}`? error names are matched exactly, case included"
                        ));
                    if let Some(fix) = replace_string_fix(
                        cx.text(),
                        node,
                        name,
                        good,
                        &format!("replace with `{good}`"),
                    ) {
                        r = r.fix(fix);
                    }
                    drop(r);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggests_close_predefined_names_only() {
        assert_eq!(suggestion("States.TimeOut"), Some("States.Timeout"));
        assert_eq!(suggestion("States.All"), Some("States.ALL"));
        assert_eq!(suggestion("States.Taskfailed"), Some("States.TaskFailed"));
        assert_eq!(suggestion("States.TaskFail"), Some("States.TaskFailed"));
        assert_eq!(suggestion("States.Timeouts"), Some("States.Timeout"));
        assert_eq!(suggestion("States.Timeout"), None);
        assert_eq!(suggestion("States.QuorumMet"), None);
        assert_eq!(suggestion("States.Http.StatusCode.404"), None);
        assert_eq!(suggestion("Lambda.ServiceException"), None);
    }
}
