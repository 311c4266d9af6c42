use crate::model::QueryLanguage;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state that sets `"QueryLanguage": "JSONPath"` in a state
    /// machine whose top-level `QueryLanguage` is `JSONata`.
    ///
    /// ## Why is this bad?
    /// A state may opt into JSONata inside a JSONPath machine, for gradual
    /// migration, but not the other way round: AWS rejects the definition
    /// (`SCHEMA_VALIDATION_FAILED`: "'QueryLanguage' can not be 'JSONPath' if
    /// set to 'JSONata' for whole state machine").
    ///
    /// States inside a Distributed Map's item processor are not reported: each
    /// item runs as a child execution of its own, and a validator fixture
    /// treats a JSONPath state there as valid; whether AWS accepts it is not
    /// documented, so asl-lint stays silent rather than risk a false error.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "A",
    ///   "States": { "A": { "Type": "Pass", "QueryLanguage": "JSONPath", "End": true } }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": { "A": { "Type": "Pass", "QueryLanguage": "JSONPath", "End": true } }
    /// }
    /// ```
    pub static QUERY_LANGUAGE_DOWNGRADE = {
        code: "ASL253",
        name: "query-language-downgrade",
        category: States,
        severity: Error,
        summary: "a state uses JSONPath in a JSONata state machine",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    if cx.machine.query_language != QueryLanguage::Jsonata {
        return;
    }
    let top = cx.root.get("QueryLanguage").map(|n| n.range);
    for state in &cx.machine.states {
        let Some(ql) = state.get("QueryLanguage") else {
            continue;
        };
        if in_distributed_processor(cx, state.scope) {
            continue;
        }
        if ql.as_str().and_then(QueryLanguage::parse) != Some(QueryLanguage::JsonPath) {
            continue;
        }
        let r = out
            .report(
                &QUERY_LANGUAGE_DOWNGRADE,
                ql.range,
                format!(
                    "state `{}` uses JSONPath, but the state machine's query language is JSONata",
                    state.name
                ),
            )
            .help(
                "rewrite the state in JSONata, or make the machine JSONPath and opt the JSONata states in one by one",
            );
        if let Some(top) = top {
            r.related(top, "the machine's query language is set here");
        }
    }
}

/// True when `scope` is, or is nested in, a Distributed Map item processor.
fn in_distributed_processor(cx: &LintContext<'_>, mut scope: crate::model::ScopeId) -> bool {
    loop {
        let s = cx.machine.scope(scope);
        if s.distributed {
            return true;
        }
        match s.owner {
            Some(owner) => scope = cx.machine.state(owner).scope,
            None => return false,
        }
    }
}
