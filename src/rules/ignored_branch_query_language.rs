use crate::model::ScopeKind;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports `QueryLanguage` on a branch of a Parallel state (the object
    /// with `StartAt` and `States` inside `Branches`).
    ///
    /// ## Why is this bad?
    /// It has no effect. The states of a branch use their own
    /// `QueryLanguage`, else the state machine's: Step Functions passes the
    /// top-level query language down into every branch and Map item
    /// processor, and ignores a `QueryLanguage` set on the branch. Written
    /// there, it suggests the branch runs in a language it does not run in,
    /// and JSONata fields inside a JSONPath machine are then rejected.
    ///
    /// On a Map `ItemProcessor` or `Iterator` Step Functions rejects the field
    /// outright ("Field 'QueryLanguage' is not supported"), which
    /// `unknown-field` reports. On a branch its acceptance is not documented
    /// either way (AWS's language service accepts it), hence a warning.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Both",
    ///   "States": {
    ///     "Both": {
    ///       "Type": "Parallel",
    ///       "Branches": [
    ///         {
    ///           "QueryLanguage": "JSONata",
    ///           "StartAt": "Greet",
    ///           "States": { "Greet": { "Type": "Pass", "End": true } }
    ///         }
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
    ///   "StartAt": "Both",
    ///   "States": {
    ///     "Both": {
    ///       "Type": "Parallel",
    ///       "Branches": [
    ///         {
    ///           "StartAt": "Greet",
    ///           "States": { "Greet": { "Type": "Pass", "QueryLanguage": "JSONata", "End": true } }
    ///         }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static IGNORED_BRANCH_QUERY_LANGUAGE = {
        code: "ASL014",
        name: "ignored-branch-query-language",
        category: Schema,
        severity: Warning,
        summary: "`QueryLanguage` on a Parallel branch has no effect",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for scope in &cx.machine.scopes {
        if !matches!(scope.kind, ScopeKind::Branch { .. }) {
            continue;
        }
        let Some(m) = scope.node.member("QueryLanguage") else {
            continue;
        };
        out.report(
            &IGNORED_BRANCH_QUERY_LANGUAGE,
            m.key_range,
            format!(
                "`QueryLanguage` of {} has no effect: its states follow the state machine's query language ({})",
                scope.describe(cx.machine),
                cx.machine.query_language.as_str()
            ),
        )
        .help("remove it, and set `QueryLanguage` on the states of the branch or at the top level");
    }
}
