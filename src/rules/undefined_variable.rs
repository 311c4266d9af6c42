use crate::model::QueryLanguage;
use crate::rules::util::variables::ReadIssue;
use crate::rules::{closest, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Finds reads of workflow variables (`$name` in JSONPath paths, payload
    /// templates and intrinsic arguments, and in JSONata expressions) that
    /// can never have a value:
    ///
    /// * no state assigns the name at all (often a typo);
    /// * only states inside another state's Parallel branch or Map iteration
    ///   assign it, and those variables end with the branch or iteration;
    /// * states of the same or an enclosing scope assign it, but none of them
    ///   on any path from `StartAt` to the reading state.
    ///
    /// A read that a sibling Parallel branch or the outside of a Distributed
    /// Map would satisfy is `variable-scope`'s finding. Reads inside JSONata
    /// `$exists(…)` are tests and are not reported. Deploy-time placeholders
    /// such as `${Name}` are not variables.
    ///
    /// ## Why is this bad?
    /// Reading a variable that has no value fails the state at run time (in
    /// JSONPath with `States.Runtime`, in JSONata with
    /// `States.QueryEvaluationError`), although the definition is accepted
    /// when it is created.
    ///
    /// The rule warns rather than errs because AWS accepts such definitions
    /// (its own recorded tests create them on purpose to observe the run-time
    /// failure), and asl-lint reserves errors for what AWS rejects; make it
    /// an error with `[rules] undefined-variable = "error"`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Parameters": { "id.$": "$orderID" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Parameters": { "id.$": "$orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static UNDEFINED_VARIABLE = {
        code: "ASL311",
        name: "undefined-variable",
        category: Data,
        severity: Warning,
        summary: "a variable is read that no state assigns before the read",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let machine = cx.machine;
    let vars = cx.variables();
    if vars.reads.is_empty() {
        return;
    }
    let flow = cx.variable_flow();
    for (ri, issue) in cx.variable_read_issues() {
        let ri = *ri;
        let r = &vars.reads[ri];
        let state = machine.state(r.state);
        let x = &r.name;
        let at = format!("in `{}` of state `{}`", r.field, state.name);
        match issue {
            ReadIssue::Unassigned => {
                let scope = state.scope.0 as usize;
                // `$states` is a candidate where JSONata reads it.
                let reserved = (state.query_language == QueryLanguage::Jsonata).then_some("states");
                let visible = vars
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| flow.visible[scope].contains(*i))
                    .map(|(_, n)| *n)
                    .chain(reserved);
                let help = match closest(x, visible) {
                    Some(g) => format!("did you mean `${g}`?"),
                    None => format!(
                        "assign `{x}` with `Assign` in a state that runs before `{}`",
                        state.name
                    ),
                };
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!("variable `${x}` is not assigned by any state ({at})"),
                )
                .help(help);
            }
            ReadIssue::Inner { assignment } => {
                let a = &vars.assignments[*assignment];
                let assigner = machine.state(a.state);
                let inner = machine.scope(assigner.scope);
                let owner = inner.owner.map_or("", |o| machine.state(o).name);
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!(
                        "variable `${x}` is only assigned inside {}, and those variables are gone when it ends ({at})",
                        inner.describe(machine)
                    ),
                )
                .related(a.member.key_range, format!("`{x}` is assigned here, in state `{}`", assigner.name))
                .help(format!(
                    "return the value in the output of the branch or iteration, and assign it from the result in `{owner}`'s `Assign`"
                ));
            }
            ReadIssue::NoPath { assignment } => {
                let a = &vars.assignments[*assignment];
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!(
                        "variable `${x}` is never assigned before state `{}` runs: no path from `StartAt` assigns it ({at})",
                        state.name
                    ),
                )
                .related(
                    a.member.key_range,
                    format!("`{x}` is assigned here, in state `{}`, on no path to `{}`", machine.state(a.state).name, state.name),
                )
                .help(format!("assign `{x}` in a state that runs before `{}`", state.name));
            }
            _ => {}
        }
    }
}
