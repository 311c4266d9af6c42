use crate::model::{QueryLanguage, StateType};
use crate::rules::util::{rename_key_fix, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports the deprecated Map fields `Iterator` (now `ItemProcessor`) and,
    /// in JSONPath states, `Parameters` (now `ItemSelector`), and offers to
    /// rename them when the new name is not already used.
    ///
    /// ## Why is this bad?
    /// Both still work, but AWS documents them as deprecated: new features
    /// (Distributed mode, `ProcessorConfig`) only exist on the new fields,
    /// and readers have to know two names for the same thing.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Iterator": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static DEPRECATED_MAP_FIELD = {
        code: "ASL237",
        name: "deprecated-map-field",
        category: States,
        severity: Warning,
        summary: "a Map state uses a deprecated field (`Iterator`, `Parameters`)",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let mut pairs = vec![("Iterator", "ItemProcessor")];
        // In JSONata states `Parameters` is simply not allowed (schema).
        if state.query_language == QueryLanguage::JsonPath {
            pairs.push(("Parameters", "ItemSelector"));
        }
        for (old, new) in pairs {
            let Some(m) = state.node.member(old) else {
                continue;
            };
            let mut r = out
                .report(
                    &DEPRECATED_MAP_FIELD,
                    m.key_range,
                    format!("`{old}` of Map state `{}` is deprecated", state.name),
                )
                .help(format!("rename it to `{new}`; the content stays the same"));
            if state.node.member(new).is_none() {
                if let Some(fix) =
                    rename_key_fix(cx.text(), m, new, &format!("rename `{old}` to `{new}`"))
                {
                    r = r.fix(fix);
                }
            }
            drop(r);
        }
    }
}
