use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state name that is empty or longer than 80 characters
    /// (counted as Unicode characters, not bytes).
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition (`INVALID_STATE_NAME`: the name
    /// "exceeds the 80-character limit allowed by the service"); execution
    /// history records state names of 1 to 80 characters. Long descriptive
    /// names are a common cause of deployments that pass local checks and
    /// then fail.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fetch the customer record from the database and validate every field of it against the schema",
    ///   "States": {
    ///     "Fetch the customer record from the database and validate every field of it against the schema": {
    ///       "Type": "Succeed"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Fetch and validate customer",
    ///   "States": {
    ///     "Fetch and validate customer": {
    ///       "Type": "Succeed",
    ///       "Comment": "Fetch the customer record from the database and validate every field of it against the schema"
    ///     }
    ///   }
    /// }
    /// ```
    pub static STATE_NAME_LENGTH = {
        code: "ASL106",
        name: "state-name-length",
        category: Graph,
        severity: Error,
        summary: "a state name is empty or longer than 80 characters",
        check: Some(check),
    }
}

/// The longest state name Step Functions accepts, in Unicode characters.
const MAX_CHARS: usize = 80;

/// How much of a long name a message quotes.
const QUOTED: usize = 40;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.name.is_empty() {
            out.report(&STATE_NAME_LENGTH, state.name_range, "state name is empty")
                .help("give the state a name of 1 to 80 characters");
            continue;
        }
        let len = state.name.chars().count();
        if len > MAX_CHARS {
            let head: String = state.name.chars().take(QUOTED).collect();
            out.report(
                &STATE_NAME_LENGTH,
                state.name_range,
                format!("state name `{head}…` is {len} characters long; the limit is {MAX_CHARS}"),
            )
            .help("shorten the name (and every transition naming it); a `Comment` can hold the description");
        }
    }
}
