use crate::model::StateType;
use crate::rules::jsonpath_sites;
use crate::rules::{LintContext, Sink};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a JSONPath Pass state whose `Result` contains keys ending in `.$`
    /// or strings that look like paths or intrinsic calls (AWS's
    /// `PASS_RESULT_IS_STATIC` warning).
    ///
    /// ## Why is this bad?
    /// `Result` is output as written: nothing in it is evaluated. `"id.$":
    /// "$.id"` produces a field literally named `id.$` holding the text
    /// `$.id`. Build dynamic output with `Parameters` instead.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "Result": { "id.$": "$.order.id" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "Parameters": { "id.$": "$.order.id" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static PASS_RESULT_IS_STATIC = {
        code: "ASL304",
        name: "pass-result-is-static",
        category: Data,
        severity: Warning,
        summary: "a Pass `Result` contains `.$` keys or paths, which are never evaluated",
        check: Some(check),
    }
}

const HELP: &str = "`Result` is passed on as written; use `Parameters` to build output from the input, the context object or variables";

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in jsonpath_sites::jsonpath_states(cx.machine) {
        if state.state_type != Some(StateType::Pass) {
            continue;
        }
        let Some(result) = state.get("Result") else {
            continue;
        };
        let name = state.name;
        let mut stack: Vec<&Node> = vec![result];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Object(members) => {
                    for m in members {
                        if m.key.ends_with(".$") {
                            out.report(
                                &PASS_RESULT_IS_STATIC,
                                m.key_range,
                                format!(
                                    "key `{}` in `Result` of Pass state `{name}` is not evaluated",
                                    m.key
                                ),
                            )
                            .help(HELP);
                        } else {
                            stack.push(&m.value);
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter()),
                Value::String(s) => {
                    if let Some(what) = jsonpath_sites::looks_dynamic(s) {
                        out.report(
                            &PASS_RESULT_IS_STATIC,
                            n.range,
                            format!(
                                "`Result` of Pass state `{name}` holds {what}, which is passed on as a literal string"
                            ),
                        )
                        .help(HELP);
                    }
                }
                _ => {}
            }
        }
    }
}
