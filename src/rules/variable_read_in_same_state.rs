use crate::rules::util::variables::same_state_reads;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state that assigns a variable in its `Assign` and reads the
    /// same variable in a field evaluated with or after that `Assign`: the
    /// state's `Output` or `OutputPath`, or the value of another variable of
    /// the same `Assign` (a catcher's `Assign` and `Output`, and a Choice
    /// rule's, are checked together the same way).
    ///
    /// Fields evaluated before the `Assign` (`InputPath`, `Parameters`,
    /// `Arguments`, `ResultSelector`, a Choice rule's `Condition` …) are not
    /// reported: nobody expects them to see a value the state has not
    /// assigned yet. Neither is a variable read in its own new value, as in
    /// `"count": "{% $count + 1 %}"`, nor a read that another rule already
    /// reports as possibly unassigned.
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
    if vars.reads.is_empty() {
        return;
    }
    // A read that may have no value at all is reported for that (by
    // `undefined-variable`, `variable-maybe-unassigned` or `variable-scope`),
    // not twice.
    let flagged: std::collections::HashSet<usize> = cx
        .variable_read_issues()
        .iter()
        .map(|(ri, _)| *ri)
        .collect();
    for (ri, ai) in same_state_reads(vars) {
        if flagged.contains(&ri) {
            continue;
        }
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
