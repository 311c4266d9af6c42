use crate::model::QueryLanguage;
use crate::rules::util::variables::{assign_objects, variable_name, AssignSite};
use crate::rules::util::{is_jsonata, json_string_len, json_text_within, Unit};
use crate::rules::{LintContext, Sink};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Measures the values of every `Assign` (of a state, a catcher or a
    /// Choice rule) as compact JSON in UTF-8 bytes and reports a variable
    /// whose value is larger than 256 KiB, and an `Assign` whose values add
    /// up to more than 256 KiB. Expressions (JSONata `{% … %}` strings, and
    /// the values of `.$` keys in JSONPath states) are counted as one byte,
    /// since their results are only known at run time: what is reported is
    /// certainly too large.
    ///
    /// ## Why is this bad?
    /// Step Functions limits a single variable to 256 KiB and the variables
    /// one `Assign` sets to 256 KiB together (and all variables of an
    /// execution to 10 MiB). A larger assignment fails the state at run time.
    ///
    /// ## Example
    /// A Pass state assigning a literal of 300,000 characters:
    /// ```text
    /// { "StartAt": "Save", "States": { "Save": { "Type": "Pass", "Assign": { "big": "…300,000 characters…" }, "End": true } } }
    /// ```
    ///
    /// Use instead: keep large data in S3 or in the state output and assign
    /// a reference to it.
    pub static VARIABLE_TOO_LARGE = {
        code: "ASL318",
        name: "variable-too-large",
        category: Data,
        severity: Warning,
        summary: "a literal `Assign` value is larger than the 256 KiB a variable can hold",
        check: Some(check),
    }
}

/// The most a variable, and the variables of one `Assign`, can hold.
const LIMIT: usize = 256 * 1024;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    // A JSON file no larger than the limit cannot hold a larger value.
    if json_text_within(cx, LIMIT) {
        return;
    }
    for state in &cx.machine.states {
        let jsonata = state.query_language == QueryLanguage::Jsonata;
        for (site, obj) in assign_objects(state) {
            let Some(members) = obj.as_object() else {
                continue;
            };
            let mut total = 0usize;
            let mut reported = false;
            for m in members {
                let evaluated = !jsonata && m.key.ends_with(".$");
                let size = if evaluated {
                    1
                } else {
                    least_size(&m.value, jsonata)
                };
                total = total.saturating_add(size);
                if size > LIMIT {
                    reported = true;
                    out.report(
                        &VARIABLE_TOO_LARGE,
                        m.key_range,
                        format!(
                            "the value of variable `{}` in `{}` of state `{}` is at least {} bytes, more than the 256 KiB a variable can hold",
                            variable_name(&m.key),
                            site.field(),
                            state.name,
                            size
                        ),
                    )
                    .help("keep large data in S3 or in the state output, and assign a reference to it");
                }
            }
            // One variable over the limit says it all.
            if total > LIMIT && !reported {
                // The `Assign` key stands for the whole object.
                let parent = match site {
                    AssignSite::State => Some(state.node),
                    AssignSite::Catch(i) => state.get("Catch").and_then(|c| c.as_array()?.get(i)),
                    AssignSite::Choice(i) => {
                        state.get("Choices").and_then(|c| c.as_array()?.get(i))
                    }
                };
                let range = parent
                    .and_then(|p| p.member("Assign"))
                    .map_or(obj.range, |m| m.key_range);
                out.report(
                    &VARIABLE_TOO_LARGE,
                    range,
                    format!(
                        "the values of `{}` of state `{}` add up to at least {total} bytes, more than the 256 KiB one `Assign` can set",
                        site.field(),
                        state.name
                    ),
                )
                .help("assign less at once: split the values over several states, or keep large data in S3");
            }
        }
    }
}

/// The size of `node` as compact JSON in UTF-8 bytes, counting each
/// expression (a `{% … %}` string in a JSONata state, the value of a `.$`
/// key in a JSONPath state) as one byte. Iterative.
fn least_size(node: &Node, jsonata: bool) -> usize {
    let mut total = 0usize;
    let mut stack: Vec<&Node> = vec![node];
    while let Some(n) = stack.pop() {
        let size = match &n.value {
            Value::String(s) if jsonata && is_jsonata(s) => 1,
            Value::Object(members) => {
                let mut len = 2 + members.len().saturating_sub(1);
                for m in members {
                    len += string_size(&m.key) + 1;
                    if !jsonata && m.key.ends_with(".$") {
                        len += 1;
                    } else {
                        stack.push(&m.value);
                    }
                }
                len
            }
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::String(s) => string_size(s),
            Value::Null | Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(num) => num.raw().len(),
        };
        total = total.saturating_add(size);
    }
    total
}

/// The length of a JSON string literal in UTF-8 bytes, quotes included.
fn string_size(s: &str) -> usize {
    json_string_len(s, Unit::Bytes)
}

#[cfg(test)]
mod tests {
    use crate::settings::Settings;
    use crate::source::SourceFile;

    fn findings(text: &str, path: &str) -> usize {
        let file = SourceFile::new(path, text.to_string());
        let settings = Settings::only(&super::VARIABLE_TOO_LARGE);
        crate::lint::lint_source(&file, &settings).len()
    }

    #[test]
    fn expressions_count_as_one_byte() {
        let long_expr = format!("{{% {} %}}", vec!["'x'"; 100_000].join(" & "));
        let text = format!(
            r#"{{ "QueryLanguage": "JSONata", "StartAt": "S", "States": {{ "S": {{ "Type": "Pass", "Assign": {{ "e": "{long_expr}", "f": "{}" }}, "End": true }} }} }}"#,
            "z".repeat(200_000)
        );
        assert!(text.len() > 2 * super::LIMIT);
        assert_eq!(findings(&text, "x.asl.json"), 0);
        let jsonpath = format!(
            r#"{{ "StartAt": "S", "States": {{ "S": {{ "Type": "Pass", "Assign": {{ "e.$": "States.Format('{}', $.a)" }}, "End": true }} }} }}"#,
            "z".repeat(300_000)
        );
        assert_eq!(findings(&jsonpath, "x.asl.json"), 0);
    }

    #[test]
    fn yaml_values_are_measured_as_json() {
        let text = format!(
            "StartAt: S\nStates:\n  S:\n    Type: Pass\n    Assign:\n      big: {}\n    End: true\n",
            "z".repeat(270_000)
        );
        assert_eq!(findings(&text, "x.asl.yaml"), 1);
    }
}
