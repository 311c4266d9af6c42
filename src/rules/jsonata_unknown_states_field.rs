use crate::jsonata::analysis::states_refs;
use crate::rules::{closest, LintContext, Sink};

/// The fields of the reserved variable `$states`.
const FIELDS: &[&str] = &["input", "result", "errorOutput", "context"];

declare_rule! {
    /// ## What it does
    /// Reports `$states.x` in a JSONata expression when `x` is not one of the
    /// fields of the reserved variable: `input`, `result`, `errorOutput` and
    /// `context`.
    ///
    /// ## Why is this bad?
    /// Any other field is undefined, and an expression that evaluates to
    /// nothing fails the state (`States.QueryEvaluationError`) or drops the
    /// value. It is almost always a typo or a wrong case (`$states.Input`,
    /// `$states.errorOutputs`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Echo",
    ///   "States": {
    ///     "Echo": { "Type": "Pass", "Output": "{% $states.Input %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Echo",
    ///   "States": {
    ///     "Echo": { "Type": "Pass", "Output": "{% $states.input %}", "End": true }
    ///   }
    /// }
    /// ```
    pub static JSONATA_UNKNOWN_STATES_FIELD = {
        code: "ASL335",
        name: "jsonata-unknown-states-field",
        category: Data,
        severity: Warning,
        summary: "`$states.x` names a field the reserved variable does not have",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for p in cx.jsonata_sites() {
        let Some((e, expr)) = p.expr() else {
            continue;
        };
        let site = &p.site;
        for r in states_refs(expr) {
            let (Some(field), Some(span)) = (r.field, r.field_span) else {
                continue;
            };
            if FIELDS.contains(&field) || e.touches_hole(span) {
                continue;
            }
            let range = p.range(cx, span);
            let report = out.report(
                &JSONATA_UNKNOWN_STATES_FIELD,
                range,
                format!(
                    "`$states.{field}` in `{}` of state `{}` is not a field of `$states`",
                    site.field, site.state.name
                ),
            );
            match closest(field, FIELDS.iter().copied()) {
                Some(s) => drop(report.help(format!("did you mean `$states.{s}`?"))),
                None => drop(
                    report.help("`$states` has `input`, `result`, `errorOutput` and `context`"),
                ),
            }
        }
    }
}
