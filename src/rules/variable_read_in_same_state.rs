use crate::rules::util::variables::same_state_reads;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state that assigns a variable in its `Assign` and reads the
    /// same variable elsewhere in the state: in `Output`, `Arguments`,
    /// `Parameters`, a path field, or the value of another variable of the
    /// same `Assign` (a catcher's `Assign` and `Output` are checked together
    /// the same way). Reading a variable in its own new value, as in
    /// `"count": "{% $count + 1 %}"`, is plainly meant to use the old value
    /// and is not reported.
    ///
    /// ## Why is this bad?
    /// All expressions of a state see the variable values from when the state
    /// was entered; the new values of `Assign` apply only when the state is
    /// left. The read gets the old value, which is rarely what a reader of
    /// the definition expects next to the assignment.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "total": 0 }, "Next": "Add" },
    ///     "Add": {
    ///       "Type": "Pass",
    ///       "Assign": { "total": "{% $total + $states.input.price %}" },
    ///       "Output": { "total": "{% $total %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead (read the new value in the next state):
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "total": 0 }, "Next": "Add" },
    ///     "Add": {
    ///       "Type": "Pass",
    ///       "Assign": { "total": "{% $total + $states.input.price %}" },
    ///       "Next": "Report"
    ///     },
    ///     "Report": { "Type": "Pass", "Output": { "total": "{% $total %}" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static VARIABLE_READ_IN_SAME_STATE = {
        code: "ASL314",
        name: "variable-read-in-same-state",
        category: Data,
        severity: Warning,
        summary: "a state reads a variable it assigns, and gets the old value",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let vars = cx.variables();
    for (ri, ai) in same_state_reads(vars) {
        let r = &vars.reads[ri];
        let a = &vars.assignments[ai];
        let state = cx.machine.state(r.state);
        let x = &r.name;
        out.report(
            &VARIABLE_READ_IN_SAME_STATE,
            r.range,
            format!(
                "`${x}` in `{}` reads the value `{x}` had when state `{}` was entered, not the one its `{}` sets",
                r.field,
                state.name,
                a.site.field()
            ),
        )
        .related(a.member.key_range, format!("`{x}` gets its new value here, when `{}` is left", state.name))
        .help(format!(
            "if the new value is meant, repeat its expression here, or read `${x}` in the next state"
        ));
    }
}
