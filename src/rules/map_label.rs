use crate::model::StateType;
use crate::rules::util::{has_placeholder, states_of_type};
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Checks the `Label` of Map states: it must not be empty, must be at
    /// most 40 characters long, must not contain whitespace, control
    /// characters or any of `? * < > { } [ ] : ; , \ | ^ ~ $ # % & ` "`, and
    /// must be unique across the whole state machine. A label holding a
    /// deployment-time `${…}` placeholder is only checked for uniqueness.
    ///
    /// ## Why is this bad?
    /// The label names the Map Run and its child executions; Step Functions
    /// rejects invalid labels (`INVALID_LABEL_NAME`) and labels used twice
    /// (`DUPLICATE_LABEL_NAME`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Label": "process {items}",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
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
    ///       "Label": "process-items",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_LABEL = {
        code: "ASL244",
        name: "map-label",
        category: States,
        severity: Error,
        summary: "a Map `Label` is empty, too long, has forbidden characters or is not unique",
        check: Some(check),
    }
}

const MAX_CHARS: usize = 40;

fn forbidden(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '?' | '*'
                | '<'
                | '>'
                | '{'
                | '}'
                | '['
                | ']'
                | ':'
                | ';'
                | ','
                | '\\'
                | '|'
                | '^'
                | '~'
                | '$'
                | '#'
                | '%'
                | '&'
                | '`'
                | '"'
        )
        || ('\u{0}'..='\u{1f}').contains(&c)
        || ('\u{7f}'..='\u{9f}').contains(&c)
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let mut seen: HashMap<&str, (TextRange, &str)> = HashMap::new();
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(node) = state.get("Label") else {
            continue;
        };
        let Some(label) = node.as_str() else { continue };
        let help = "use at most 40 letters, digits, `-`, `_`, `.` or similar characters, without whitespace or any of `? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \"`";
        if label.is_empty() {
            out.report(
                &MAP_LABEL,
                node.range,
                format!("`Label` of Map state `{}` is empty", state.name),
            )
            .help("give the Map Run a name, or remove `Label`");
            continue;
        }
        // A `${…}` placeholder is replaced at deployment: only uniqueness
        // can be judged before that.
        let placeholder = has_placeholder(label);
        let len = label.chars().count();
        if len > MAX_CHARS && !placeholder {
            out.report(
                &MAP_LABEL,
                node.range,
                format!(
                    "`Label` of Map state `{}` is {len} characters long, more than the maximum 40",
                    state.name
                ),
            )
            .help(help);
        }
        if let Some(c) = label
            .chars()
            .find(|&c| forbidden(c))
            .filter(|_| !placeholder)
        {
            let shown = if c == ' ' {
                "a space".to_string()
            } else if c.is_control() || c.is_whitespace() {
                format!("U+{:04X}", u32::from(c))
            } else {
                format!("the character `{c}`")
            };
            out.report(
                &MAP_LABEL,
                node.range,
                format!(
                    "`Label` of Map state `{}` contains {shown}, which is not allowed",
                    state.name
                ),
            )
            .help(help);
        }
        match seen.get(label) {
            Some(&(first, other)) => {
                out.report(
                    &MAP_LABEL,
                    node.range,
                    format!(
                        "`Label` `{label}` of Map state `{}` is also used by Map state `{other}`",
                        state.name
                    ),
                )
                .related(first, "first used here")
                .help("labels name Map Runs and must be unique in the state machine; rename one of them");
            }
            None => {
                seen.insert(label, (node.range, state.name));
            }
        }
    }
}
