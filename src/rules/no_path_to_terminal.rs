use crate::model::{State, StateType};
use crate::rules::{LintContext, Sink};
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// Reports a loop that, once entered, can never reach a terminal state
    /// (`Succeed`, `Fail` or `"End": true`): a group of reachable states whose
    /// transitions all stay inside the group. It is reported once per loop, at
    /// its first state in the file, and the message names the loop's states.
    ///
    /// Loops are only looked for in scopes that have a terminal state at all
    /// (`no-terminal-state` covers the others), and a loop with a transition
    /// to a name that is not a state of the scope is left to
    /// `missing-transition-target` and `cross-scope-transition`, since that
    /// transition may be the intended exit.
    ///
    /// The rule is a warning, not an error: Step Functions accepts such a loop.
    /// When the loop holds a Task, Parallel or Map state whose errors are not
    /// all caught (no `Catch` on `States.ALL`), or a Choice state without
    /// `Default`, the execution can still leave the loop by failing, and the
    /// message says it can only end by failing. Otherwise nothing in the loop
    /// can end the execution: it runs until it times out or reaches the
    /// execution history limit (25,000 events).
    ///
    /// ## Why is this bad?
    /// An execution that enters the loop never succeeds. Usually an exit
    /// condition (a Choice rule leading out of the loop) was forgotten or
    /// points back into the loop by mistake.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.ready", "BooleanEquals": true, "Next": "Wait" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Wait": { "Type": "Wait", "Seconds": 30, "Next": "Poll" },
    ///     "Poll": { "Type": "Pass", "Next": "Wait" },
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
    ///       "Choices": [ { "Variable": "$.ready", "BooleanEquals": false, "Next": "Wait" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Wait": { "Type": "Wait", "Seconds": 30, "Next": "Poll" },
    ///     "Poll": { "Type": "Pass", "Next": "Check" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static NO_PATH_TO_TERMINAL = {
        code: "ASL104",
        name: "no-path-to-terminal",
        category: Graph,
        severity: Warning,
        summary: "a loop has no exit to a terminal state",
        check: Some(check),
    }
}

/// How many state names a message lists before "and N more".
const SHOWN: usize = 5;

/// True when an error raised by `state` can leave the loop: a Task, Parallel
/// or Map state without a catcher on `States.ALL`, or a Choice state without
/// `Default` (`States.NoChoiceMatched`).
fn can_fail(state: &State<'_>) -> bool {
    match state.state_type {
        Some(StateType::Task | StateType::Parallel | StateType::Map) => {
            let catches_all = state
                .get("Catch")
                .and_then(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|c| c.get("ErrorEquals").and_then(Node::as_array))
                .flatten()
                .any(|e| e.as_str() == Some("States.ALL"));
            !catches_all
        }
        Some(StateType::Choice) => state.get("Default").is_none(),
        // Without a known type the state's behaviour is unknown; say the
        // milder thing.
        None => true,
        _ => false,
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for scope in &m.scopes {
        let g = m.graph(scope.id);
        if !g.has_terminal() {
            continue;
        }
        for ids in g.closed_loops() {
            let Some(&first) = ids.first() else { continue };
            let states: Vec<&State<'_>> = ids.iter().map(|&id| m.state(id)).collect();
            let subject = if states.len() == 1 {
                format!(
                    "state `{}` only transitions to itself and never reaches a terminal state",
                    states[0].name
                )
            } else {
                let mut names: Vec<String> = states
                    .iter()
                    .take(SHOWN)
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                let list = if states.len() > SHOWN {
                    format!("{} and {} more", names.join(", "), states.len() - SHOWN)
                } else {
                    let last = names.pop().unwrap_or_default();
                    format!("{} and {last}", names.join(", "))
                };
                format!("the loop through {list} never reaches a terminal state")
            };
            let ending = if states.iter().any(|s| can_fail(s)) {
                "it can only end by failing"
            } else {
                "nothing in it can end the execution, which runs until it times out or reaches the history limit"
            };
            out.report(
                &NO_PATH_TO_TERMINAL,
                m.state(first).name_range,
                format!("{subject}; {ending}"),
            )
            .help("add a transition out of the loop (for example a Choice rule) to a state that leads to `Succeed`, `Fail` or `\"End\": true`");
        }
    }
}
