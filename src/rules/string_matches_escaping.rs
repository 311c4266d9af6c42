use crate::model::QueryLanguage;
use crate::rules::util::choice;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a `StringMatches` pattern containing a backslash that is not
    /// followed by `*` or another backslash.
    ///
    /// ## Why is this bad?
    /// In a `StringMatches` pattern `*` is a wildcard and the only escapes are
    /// `\*` (a literal star) and `\\` (a literal backslash); any other
    /// backslash is invalid. Remember that JSON needs its own escaping on
    /// top: the pattern `\*` is written `"\\*"` in JSON, and a literal
    /// backslash `"\\\\"`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.file", "StringMatches": "logs\\.txt", "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.file", "StringMatches": "logs.txt", "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static STRING_MATCHES_ESCAPING = {
        code: "ASL218",
        name: "string-matches-escaping",
        category: States,
        severity: Error,
        summary: "a `StringMatches` pattern has an invalid escape",
        check: Some(check),
    }
}

/// The first invalid escape of a pattern: the character after the backslash,
/// or `None` for a trailing backslash. `Ok(())` when the pattern is valid.
fn invalid_escape(pattern: &str) -> Result<(), Option<char>> {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('*' | '\\') => {}
                other => return Err(other),
            }
        }
    }
    Ok(())
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        choice::walk(state, |rule| {
            let Some(value) = rule.node.get("StringMatches") else {
                return;
            };
            let Some(pattern) = value.as_str() else {
                return;
            };
            if let Err(after) = invalid_escape(pattern) {
                let what = match after {
                    Some(c) => format!("has the invalid escape `\\{c}`"),
                    None => "ends with a lone backslash".to_string(),
                };
                out.report(
                    &STRING_MATCHES_ESCAPING,
                    value.range,
                    format!(
                        "`StringMatches` pattern in `{}` of state `{}` {what}",
                        rule.path, state.name
                    ),
                )
                .help("only `\\*` (literal star) and `\\\\` (literal backslash) are escapes; in JSON write them as `\"\\\\*\"` and `\"\\\\\\\\\"`");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::invalid_escape;

    #[test]
    fn only_star_and_backslash_escapes() {
        assert_eq!(invalid_escape("a*b"), Ok(()));
        assert_eq!(invalid_escape("a\\*b\\\\c"), Ok(()));
        assert_eq!(invalid_escape("a\\.b"), Err(Some('.')));
        assert_eq!(invalid_escape("a\\"), Err(None));
    }
}
