use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports state names that start or end with whitespace, or contain
    /// control characters (line breaks, tabs, U+0000–U+001F, U+007F–U+009F).
    ///
    /// ## Why is this bad?
    /// Step Functions accepts them, but every `Next`, `Default` and `StartAt`
    /// must repeat the name exactly: a trailing space is invisible in the
    /// console and in most editors, and control characters make the name
    /// hard to type, to search for and to read in execution history and logs.
    /// Non-ASCII names are fine and are not reported.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Done ", "States": { "Done ": { "Type": "Succeed" } } }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// { "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } }
    /// ```
    pub static STATE_NAME_CHARACTERS = {
        code: "ASL111",
        name: "state-name-characters",
        category: Graph,
        severity: Info,
        summary: "a state name has surrounding whitespace or control characters",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        let name = state.name;
        let problem = if let Some(c) = name.chars().find(|c| c.is_control()) {
            format!("contains the control character U+{:04X}", c as u32)
        } else if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
            "starts or ends with whitespace".to_string()
        } else {
            continue;
        };
        let shown: String = name
            .chars()
            .map(|c| if c.is_control() { '�' } else { c })
            .collect();
        out.report(
            &STATE_NAME_CHARACTERS,
            state.name_range,
            format!("state name `{shown}` {problem}"),
        )
        .help("rename the state (and every transition naming it) to plain visible characters");
    }
}
