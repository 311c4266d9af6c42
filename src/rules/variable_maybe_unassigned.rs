use crate::model::QueryLanguage;
use crate::rules::util::variables::ReadIssue;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Follows every path from each scope's `StartAt` and reports a read of
    /// `$name` in a state that some path reaches without assigning the
    /// variable on the way. Variables assigned before a Parallel or Map state
    /// count as assigned inside its branches and iterations (except in a
    /// Distributed Map). A catcher's path carries the catcher's `Assign`, not
    /// the failing state's; a Choice rule's path carries the rule's `Assign`,
    /// and `Default` the Choice state's own.
    ///
    /// A read that no path at all prepares is `undefined-variable`'s finding;
    /// reads inside JSONata `$exists(…)` are not reported.
    ///
    /// ## Why is this bad?
    /// When the execution takes the path that skips the assignment, the read
    /// fails the state at run time. Such paths are typically error paths (a
    /// catcher that forgets to assign what the normal path assigns) or a
    /// Choice branch that bypasses the state that sets the variable.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": {
    ///       "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "fetch" },
    ///       "Assign": { "item.$": "$.Payload" },
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Report" } ],
    ///       "Next": "Report"
    ///     },
    ///     "Report": { "Type": "Pass", "Parameters": { "item.$": "$item" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": {
    ///       "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "fetch" },
    ///       "Assign": { "item.$": "$.Payload" },
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Assign": { "item": null }, "Next": "Report" } ],
    ///       "Next": "Report"
    ///     },
    ///     "Report": { "Type": "Pass", "Parameters": { "item.$": "$item" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static VARIABLE_MAYBE_UNASSIGNED = {
        code: "ASL312",
        name: "variable-maybe-unassigned",
        category: Data,
        severity: Warning,
        summary: "a variable is read where some path has not assigned it",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let machine = cx.machine;
    let vars = cx.variables();
    if vars.reads.is_empty() {
        return;
    }
    for (ri, issue) in cx.variable_read_issues() {
        let ri = *ri;
        let ReadIssue::Maybe { via } = issue else {
            continue;
        };
        let r = &vars.reads[ri];
        let state = machine.state(r.state);
        let x = &r.name;
        let at = format!("in `{}` of state `{}`", r.field, state.name);
        let mut help = format!(
            "assign `{x}` on every path to `{}`; a catcher or a Choice rule can assign it too",
            state.name
        );
        if state.query_language == QueryLanguage::Jsonata {
            help.push_str(&format!(", or test it first with `$exists(${x})`"));
        }
        match via.and_then(|(from, kind)| {
            let p = machine.state(from);
            p.transitions
                .iter()
                .find(|t| t.kind == kind)
                .map(|t| (p, kind, t.node.range))
        }) {
            Some((p, kind, range)) => {
                out.report(
                    &VARIABLE_MAYBE_UNASSIGNED,
                    r.range,
                    format!(
                        "variable `${x}` may have no value here: the path through `{}` (`{}`) reaches state `{}` without assigning it ({at})",
                        p.name,
                        kind.field(),
                        state.name
                    ),
                )
                .related(range, format!("`{}` is reached from here without `{x}` assigned", state.name))
                .help(help);
            }
            None => {
                let scope = machine.scope(state.scope);
                out.report(
                    &VARIABLE_MAYBE_UNASSIGNED,
                    r.range,
                    format!(
                        "variable `${x}` may have no value here: `{}` starts {} and `{x}` is not assigned the first time ({at})",
                        state.name,
                        scope.describe(machine)
                    ),
                )
                .help(help);
            }
        }
    }
}
