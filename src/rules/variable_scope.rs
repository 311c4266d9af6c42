use crate::rules::util::variables::{outer_conflicts, ReadIssue};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks variables against the scopes of Parallel branches and Map
    /// iterations:
    ///
    /// * a state inside a branch or iteration assigns a name that the
    ///   enclosing scope may already hold when the branch or iteration starts
    ///   (inner and outer names must be distinct);
    /// * a branch reads a variable that only a sibling branch of the same
    ///   Parallel state assigns;
    /// * a state of a Distributed Map's child workflow reads a variable of
    ///   the enclosing scopes.
    ///
    /// ## Why is this bad?
    /// Each branch and iteration starts with a copy of the outer variables
    /// and keeps what it assigns to itself. Assigning an outer variable from
    /// inside fails at run time, a sibling branch's variables are never
    /// visible, and a Distributed Map runs its iterations as separate child
    /// executions that see no outer variable at all. Pass values in through
    /// `ItemSelector` or the branch input and out through the output instead.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "total": 0 }, "Next": "Each" },
    ///     "Each": {
    ///       "Type": "Map", "End": true,
    ///       "ItemProcessor": {
    ///         "StartAt": "Add",
    ///         "States": { "Add": { "Type": "Pass", "Assign": { "total.$": "$.price" }, "End": true } }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "total": 0 }, "Next": "Each" },
    ///     "Each": {
    ///       "Type": "Map", "End": true,
    ///       "ItemProcessor": {
    ///         "StartAt": "Add",
    ///         "States": { "Add": { "Type": "Pass", "Assign": { "price.$": "$.price" }, "End": true } }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    pub static VARIABLE_SCOPE = {
        code: "ASL313",
        name: "variable-scope",
        category: Data,
        severity: Error,
        summary: "a variable crosses a Parallel branch or Map iteration boundary",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let machine = cx.machine;
    let vars = cx.variables();
    if vars.assignments.is_empty() {
        return;
    }
    let flow = cx.variable_flow();
    for (ai, outer) in outer_conflicts(machine, vars, flow) {
        let a = &vars.assignments[ai];
        let o = &vars.assignments[outer];
        let state = machine.state(a.state);
        let scope = machine.scope(state.scope);
        out.report(
            &VARIABLE_SCOPE,
            a.member.key_range,
            format!(
                "`{}` already belongs to an enclosing scope, so state `{}` cannot assign it inside {}",
                a.name,
                state.name,
                scope.describe(machine)
            ),
        )
        .related(
            o.member.key_range,
            format!("`{}` is assigned here, in state `{}`", o.name, machine.state(o.state).name),
        )
        .help("use a different name inside the branch or iteration, and return values through its output");
    }
    for (ri, issue) in cx.variable_read_issues() {
        let ri = *ri;
        let r = &vars.reads[ri];
        let state = machine.state(r.state);
        let x = &r.name;
        let at = format!("in `{}` of state `{}`", r.field, state.name);
        match issue {
            ReadIssue::Sibling { assignment } => {
                let a = &vars.assignments[*assignment];
                let assigner = machine.state(a.state);
                out.report(
                    &VARIABLE_SCOPE,
                    r.range,
                    format!(
                        "variable `${x}` is only assigned in {}, which {} cannot see ({at})",
                        machine.scope(assigner.scope).describe(machine),
                        machine.scope(state.scope).describe(machine)
                    ),
                )
                .related(a.member.key_range, format!("`{x}` is assigned here, in state `{}`", assigner.name))
                .help("branches of a Parallel state do not share variables: assign it before the Parallel state, or combine the branch outputs after it");
            }
            ReadIssue::Distributed { assignment, map } => {
                let a = &vars.assignments[*assignment];
                let map = machine.state(*map);
                out.report(
                    &VARIABLE_SCOPE,
                    r.range,
                    format!(
                        "variable `${x}` is assigned outside the Distributed Map `{}`, whose child workflow cannot read outer variables ({at})",
                        map.name
                    ),
                )
                .related(a.member.key_range, format!("`{x}` is assigned here, in state `{}`", machine.state(a.state).name))
                .help(format!("pass the value to each item through `ItemSelector` of `{}` and read it from the input", map.name));
            }
            _ => {}
        }
    }
}
