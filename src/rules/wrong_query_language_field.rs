use crate::model::{QueryLanguage, State, StateType};
use crate::rules::{LintContext, Sink};
use crate::syntax::{Member, Node, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports a field that belongs to the other query language than the one
    /// the state uses: a JSONPath field (`InputPath`, `Parameters`,
    /// `ResultSelector`, `ResultPath`, `OutputPath`, Pass `Result`, the
    /// `…Path` variants, `ItemsPath`, a Choice rule's `Variable` and
    /// comparison operators, a catcher's `ResultPath`) in a JSONata state, or
    /// a JSONata field (`Arguments`, `Output`, `Items`, `Condition`) in a
    /// JSONPath state.
    ///
    /// A state uses its own `QueryLanguage`, else the top-level one, else
    /// JSONPath.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition: each query language has its
    /// own set of fields. It usually happens when a state machine is moved to
    /// JSONata (or a state copied from one) and some fields are not converted.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "f", "Payload.$": "$" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Arguments": { "FunctionName": "f", "Payload": "{% $states.input %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static WRONG_QUERY_LANGUAGE_FIELD = {
        code: "ASL012",
        name: "wrong-query-language-field",
        category: Schema,
        severity: Error,
        summary: "a JSONPath field in a JSONata state, or the other way round",
        check: Some(check),
    }
}

// The JSON Schema forbids the same fields (schemas/generate.py,
// `noJSONPathFields`/`noJSONataFields`); keep the two in step, since the lint
// pipeline drops the schema's finding only where this rule reports one.

/// Choice rule keys that only exist in JSONPath: the data-test and boolean forms.
pub(crate) const JSONPATH_RULE_FIELDS: &[&str] = &[
    "Variable",
    "And",
    "Or",
    "Not",
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// A JSONPath-only field of a state of type `t` (one the schema allows for
/// that type), with what to use in JSONata instead.
fn jsonpath_state_field(t: StateType, key: &str) -> Option<String> {
    use StateType::*;
    let help = match (key, t) {
        ("InputPath", Fail) | ("OutputPath", Fail) => return None,
        ("InputPath", _) => {
            "remove it: JSONata expressions read the state input as `$states.input`".into()
        }
        ("OutputPath", _) => "shape the output with `Output`, e.g. `{% $states.result.Payload %}`".into(),
        ("ResultPath", Task | Pass | Parallel | Map) => {
            "build the output with `Output` (the result is `$states.result`), or keep it in a variable with `Assign`".into()
        }
        ("ResultSelector", Task | Parallel | Map) => {
            "select from the result in `Output` or `Assign` through `$states.result`".into()
        }
        ("Parameters", Task | Parallel) => "use `Arguments`".into(),
        ("Parameters", Pass) => "use `Output`".into(),
        ("Parameters", Map) => "use `ItemSelector`".into(),
        ("Result", Pass) => "use `Output`".into(),
        ("ItemsPath", Map) => "use `Items`, e.g. `{% $states.input.items %}`".into(),
        (
            "TimeoutSecondsPath" | "HeartbeatSecondsPath",
            Task,
        )
        | ("SecondsPath" | "TimestampPath", Wait)
        | ("ErrorPath" | "CausePath", Fail)
        | (
            "MaxConcurrencyPath" | "ToleratedFailureCountPath" | "ToleratedFailurePercentagePath",
            Map,
        ) => use_expression(key),
        _ => return None,
    };
    Some(help)
}

/// A JSONata-only field of a state of type `t`, with the JSONPath replacement.
fn jsonata_state_field(t: StateType, key: &str) -> Option<&'static str> {
    use StateType::*;
    Some(match (key, t) {
        ("Output", Fail) => return None,
        ("Output", Pass) => "use `Result`, `Parameters` or `OutputPath`",
        ("Output", Choice | Wait | Succeed) => "use `OutputPath`",
        ("Output", _) => "use `ResultSelector`, `ResultPath` or `OutputPath`",
        ("Arguments", Task | Parallel) => "use `Parameters`",
        ("Items", Map) => "use `ItemsPath`",
        _ => return None,
    })
}

/// "use `TimeoutSeconds` with a JSONata expression …" for a `…Path` field.
fn use_expression(path_field: &str) -> String {
    let base = path_field.strip_suffix("Path").unwrap_or(path_field);
    format!("use `{base}` with a JSONata expression, e.g. `{{% $states.input.value %}}`")
}

struct Ctx<'c, 'a> {
    state: &'c State<'a>,
    ql: QueryLanguage,
    /// Where the query language was chosen, for a related label.
    ql_origin: Option<TextRange>,
}

impl Ctx<'_, '_> {
    fn report(&self, out: &mut Sink<'_>, field: &str, key_range: TextRange, help: &str) {
        let (this, other) = match self.ql {
            QueryLanguage::Jsonata => ("JSONPath", "JSONata"),
            QueryLanguage::JsonPath => ("JSONata", "JSONPath"),
        };
        let r = out
            .report(
                &WRONG_QUERY_LANGUAGE_FIELD,
                key_range,
                format!(
                    "`{field}` is a {this} field, but state `{}` uses {other}",
                    self.state.name
                ),
            )
            .help(help.to_string());
        if let Some(origin) = self.ql_origin {
            drop(r.related(origin, format!("{other} is chosen here")));
        }
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let root_ql = valid_ql(cx.root);
    for state in &cx.machine.states {
        let Some(t) = state.state_type else { continue };
        let Some(members) = state.node.as_object() else {
            continue;
        };
        let ctx = Ctx {
            state,
            ql: state.query_language,
            ql_origin: valid_ql(state.node).or(root_ql),
        };
        for m in first_copies(members) {
            let help = match ctx.ql {
                QueryLanguage::Jsonata => jsonpath_state_field(t, &m.key),
                QueryLanguage::JsonPath => jsonata_state_field(t, &m.key).map(str::to_string),
            };
            if let Some(help) = help {
                ctx.report(out, &m.key, m.key_range, &help);
            }
        }
        check_catchers(&ctx, state.node, out);
        match t {
            StateType::Choice => check_choice_rules(&ctx, state.node, out),
            StateType::Map => check_map_parts(&ctx, state.node, out),
            _ => {}
        }
    }
}

/// The range of an object's `QueryLanguage` value, when it names a language.
fn valid_ql(node: &Node) -> Option<TextRange> {
    let ql = node.get("QueryLanguage")?;
    ql.as_str().and_then(QueryLanguage::parse).map(|_| ql.range)
}

/// The members of an object, skipping later copies of a duplicated key (the
/// first copy is the one every other pass reads).
fn first_copies(members: &[Member]) -> impl Iterator<Item = &Member> {
    members
        .iter()
        .enumerate()
        .filter(move |(i, m)| !members[..*i].iter().any(|p| p.key == m.key))
        .map(|(_, m)| m)
}

fn check_catchers(ctx: &Ctx<'_, '_>, node: &Node, out: &mut Sink<'_>) {
    if !matches!(
        ctx.state.state_type,
        Some(StateType::Task | StateType::Parallel | StateType::Map)
    ) {
        return;
    }
    let Some(catchers) = node.get("Catch").and_then(Node::as_array) else {
        return;
    };
    for (i, c) in catchers.iter().enumerate() {
        let Some(members) = c.as_object() else {
            continue;
        };
        for m in first_copies(members) {
            let help = match (ctx.ql, m.key.as_str()) {
                (QueryLanguage::Jsonata, "ResultPath") => {
                    "use `Output`, e.g. `{% $merge([$states.input, {\"error\": $states.errorOutput}]) %}`"
                }
                (QueryLanguage::JsonPath, "Output") => "use `ResultPath`",
                _ => continue,
            };
            ctx.report(out, &format!("Catch[{i}].{}", m.key), m.key_range, help);
        }
    }
}

fn check_choice_rules(ctx: &Ctx<'_, '_>, node: &Node, out: &mut Sink<'_>) {
    let Some(rules) = node.get("Choices").and_then(Node::as_array) else {
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        check_rule(ctx, rule, &format!("Choices[{i}]"), out);
    }
}

fn check_rule(ctx: &Ctx<'_, '_>, rule: &Node, path: &str, out: &mut Sink<'_>) {
    let Some(members) = rule.as_object() else {
        return;
    };
    match ctx.ql {
        QueryLanguage::Jsonata => {
            // One finding per rule: the whole rule needs rewriting as a Condition.
            if let Some(m) =
                first_copies(members).find(|m| JSONPATH_RULE_FIELDS.contains(&m.key.as_str()))
            {
                ctx.report(
                    out,
                    &format!("{path}.{}", m.key),
                    m.key_range,
                    "write the test as a `Condition`, e.g. `{% $states.input.status = \"done\" %}`",
                );
            }
        }
        QueryLanguage::JsonPath => {
            for m in first_copies(members) {
                let help = match m.key.as_str() {
                    "Condition" => {
                        "use `Variable` with a comparison operator such as `StringEquals`"
                    }
                    "Output" => {
                        "remove it: JSONPath choice rules pass the state input on unchanged"
                    }
                    "And" | "Or" => {
                        if let Some(items) = m.value.as_array() {
                            for (j, nested) in items.iter().enumerate() {
                                check_rule(ctx, nested, &format!("{path}.{}[{j}]", m.key), out);
                            }
                        }
                        continue;
                    }
                    "Not" => {
                        check_rule(ctx, &m.value, &format!("{path}.Not"), out);
                        continue;
                    }
                    _ => continue,
                };
                ctx.report(out, &format!("{path}.{}", m.key), m.key_range, help);
            }
        }
    }
}

fn check_map_parts(ctx: &Ctx<'_, '_>, node: &Node, out: &mut Sink<'_>) {
    for part in ["ItemReader", "ResultWriter"] {
        let Some(members) = node.get(part).and_then(Node::as_object) else {
            continue;
        };
        for m in first_copies(members) {
            let help = match (ctx.ql, m.key.as_str()) {
                (QueryLanguage::Jsonata, "Parameters") => "use `Arguments`",
                (QueryLanguage::JsonPath, "Arguments") => "use `Parameters`",
                _ => continue,
            };
            ctx.report(out, &format!("{part}.{}", m.key), m.key_range, help);
        }
    }
    if ctx.ql != QueryLanguage::Jsonata {
        return;
    }
    let nested = [
        ("ItemReader", Some("ReaderConfig"), "MaxItemsPath"),
        ("ItemBatcher", None, "MaxItemsPerBatchPath"),
        ("ItemBatcher", None, "MaxInputBytesPerBatchPath"),
    ];
    for (part, sub, key) in nested {
        let mut obj = node.get(part);
        if let Some(sub) = sub {
            obj = obj.and_then(|o| o.get(sub));
        }
        if let Some(m) = obj.and_then(|o| o.member(key)) {
            let path = match sub {
                Some(sub) => format!("{part}.{sub}.{key}"),
                None => format!("{part}.{key}"),
            };
            ctx.report(out, &path, m.key_range, &use_expression(key));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    fn lint(text: &str) -> (Vec<Diagnostic>, String) {
        let file = SourceFile::new("t.asl.json", text.to_string());
        let root = crate::syntax::json::parse(text).documents.remove(0).root;
        let settings = Settings::only(&super::WRONG_QUERY_LANGUAGE_FIELD);
        (
            crate::lint::lint_document(&file, &root, &settings),
            text.to_string(),
        )
    }

    fn at(text: &str, d: &Diagnostic) -> String {
        text[d.range.start()..d.range.end()].to_string()
    }

    #[test]
    fn jsonpath_field_in_a_jsonata_state_points_at_the_key() {
        let (ds, t) = lint(
            r#"{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Task","Resource":"r","Parameters":{},"End":true}}}"#,
        );
        assert_eq!(ds.len(), 1);
        assert_eq!(at(&t, &ds[0]), "\"Parameters\"");
        assert_eq!(
            ds[0].message,
            "`Parameters` is a JSONPath field, but state `X` uses JSONata"
        );
        assert_eq!(ds[0].help.as_deref(), Some("use `Arguments`"));
        let origin = ds[0].related[0].range;
        assert_eq!(&t[origin.start()..origin.end()], "\"JSONata\"");
    }

    #[test]
    fn the_state_query_language_wins_over_the_top_level() {
        let (ds, _) = lint(
            r#"{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"JSONPath","Result":1,"Output":2,"End":true}}}"#,
        );
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "`Output` is a JSONata field, but state `X` uses JSONPath"
        );
    }

    #[test]
    fn fields_of_other_state_types_are_left_to_unknown_field() {
        // `Arguments` is not a Pass field at all, `Output` not a Fail field.
        let (ds, _) = lint(
            r#"{"StartAt":"X","States":{"X":{"Type":"Pass","Arguments":{},"Next":"F"},"F":{"Type":"Fail","Output":1}}}"#,
        );
        assert!(ds.is_empty(), "{ds:#?}");
    }

    #[test]
    fn nested_states_follow_the_machine_not_their_parent() {
        let (ds, _) = lint(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","QueryLanguage":"JSONata","End":true,
                "Branches":[{"StartAt":"I","States":{"I":{"Type":"Pass","Result":1,"End":true}}}]}}}"#,
        );
        assert!(ds.is_empty(), "{ds:#?}");
    }

    #[test]
    fn one_finding_per_jsonpath_choice_rule_in_jsonata() {
        let (ds, t) = lint(
            r#"{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
                {"Variable":"$.a","StringEquals":"x","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}"#,
        );
        assert_eq!(ds.len(), 1);
        assert_eq!(at(&t, &ds[0]), "\"Variable\"");
        assert_eq!(
            ds[0].message,
            "`Choices[0].Variable` is a JSONPath field, but state `C` uses JSONata"
        );
    }

    #[test]
    fn jsonata_fields_in_nested_jsonpath_rules() {
        let (ds, _) = lint(
            r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
                {"Not":{"Condition":"{% true %}"},"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}"#,
        );
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "`Choices[0].Not.Condition` is a JSONata field, but state `C` uses JSONPath"
        );
    }
}
