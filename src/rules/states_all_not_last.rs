use crate::rules::util::errors::{handlers, HandlerKind, STATES_ALL};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a retrier or catcher that matches `States.ALL` but is not the
    /// last one of its `Retry` or `Catch` array.
    ///
    /// ## Why is this bad?
    /// Retriers and catchers are tried in order and `States.ALL` matches every
    /// error, so the entries after it could never be used. The specification
    /// requires it to be last, and Step Functions rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.ALL"] },
    ///         { "ErrorEquals": ["States.Timeout"], "MaxAttempts": 5 }
    ///       ],
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
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.Timeout"], "MaxAttempts": 5 },
    ///         { "ErrorEquals": ["States.ALL"] }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static STATES_ALL_NOT_LAST = {
        code: "ASL202",
        name: "states-all-not-last",
        category: States,
        severity: Error,
        summary: "a `States.ALL` retrier or catcher is followed by others",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for kind in [HandlerKind::Retry, HandlerKind::Catch] {
            let Some(total) = state
                .get(kind.field())
                .and_then(|n| n.as_array())
                .map(<[_]>::len)
            else {
                continue;
            };
            for h in handlers(state, kind) {
                if h.index + 1 == total {
                    continue;
                }
                if let Some((_, all)) = h.names().find(|(n, _)| *n == STATES_ALL) {
                    let rest = total - h.index - 1;
                    out.report(
                        &STATES_ALL_NOT_LAST,
                        all.range,
                        format!(
                            "`{}` of state `{}` matches `States.ALL` but is not the last {}",
                            h.label(),
                            state.name,
                            kind.noun()
                        ),
                    )
                    .help(if rest == 1 {
                        format!(
                            "move it to the end of `{}`: the {} after it can never match",
                            kind.field(),
                            kind.noun()
                        )
                    } else {
                        format!(
                            "move it to the end of `{}`: the {rest} {}s after it can never match",
                            kind.field(),
                            kind.noun()
                        )
                    });
                }
            }
        }
    }
}
