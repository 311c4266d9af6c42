use crate::rules::util::variables::unused;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a variable that some `Assign` sets but that no expression of
    /// the state machine reads: no `$name` in a JSONPath path, payload
    /// template or intrinsic argument, and none in a JSONata expression.
    /// The finding points at the first assignment; the others are listed.
    ///
    /// ## Why is this bad?
    /// An unused variable is dead weight (variables count against the
    /// execution's variable size limits) or, more often, a sign that the
    /// reader misspelt it or forgot the `.$` suffix that makes a template
    /// value an expression.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Parameters": { "id": "$orderId" }, "End": true }
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
    pub static UNUSED_VARIABLE = {
        code: "ASL315",
        name: "unused-variable",
        category: Data,
        severity: Info,
        summary: "a variable is assigned but never read",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let vars = cx.variables();
    for ai in unused(vars) {
        let a = &vars.assignments[ai];
        let state = cx.machine.state(a.state);
        let mut report = out
            .report(
                &UNUSED_VARIABLE,
                a.member.key_range,
                format!(
                    "variable `{}` is assigned in `{}` of state `{}` but never read",
                    a.name,
                    a.site.field(),
                    state.name
                ),
            )
            .help(format!(
                "read it as `${}`, or remove it from `Assign`",
                a.name
            ));
        for (_, other) in vars.assignments_of(a.var).skip(1) {
            report = report.related(
                other.member.key_range,
                format!(
                    "also assigned in state `{}`",
                    cx.machine.state(other.state).name
                ),
            );
        }
    }
}
