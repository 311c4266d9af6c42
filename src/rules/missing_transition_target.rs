use crate::diagnostic::{Edit, Fix};
use crate::model::{has_placeholder, Machine, Scope, State, TransitionKind};
use crate::rules::util::edit;
use crate::rules::{closest, edit_distance, LintContext, Sink};
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// Reports a `StartAt`, `Next`, Choice `Default`, Choice rule `Next` or
    /// Catch `Next` that names no state of its scope (the top level, a Parallel
    /// branch or a Map processor). Names are case-sensitive. When a state of
    /// the scope has a close name it is suggested, and offered as a fix when it
    /// is the only one.
    ///
    /// A target that exists, but in another scope, is reported by
    /// `cross-scope-transition` instead. A target holding a deploy-time
    /// placeholder (`"Next": "${NextStep}"`, an intrinsic function in a
    /// template) may name any state once deployed and is not reported; an
    /// empty name is reported by `schema-violation`.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition (`MISSING_TRANSITION_TARGET`):
    /// there is no state to go to.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check Order",
    ///   "States": {
    ///     "Check Order": { "Type": "Pass", "Next": "Chek Stock" },
    ///     "Check Stock": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Check Order",
    ///   "States": {
    ///     "Check Order": { "Type": "Pass", "Next": "Check Stock" },
    ///     "Check Stock": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static MISSING_TRANSITION_TARGET = {
        code: "ASL100",
        name: "missing-transition-target",
        category: Graph,
        severity: Error,
        summary: "a transition or `StartAt` names no state of its scope",
        check: Some(check),
    }
}

/// A place that names a state: a scope's `StartAt` or a state's transition.
pub(crate) struct Target<'m, 'a> {
    pub scope: &'m Scope<'a>,
    /// The state the transition leaves (`None` for `StartAt`).
    pub state: Option<&'m State<'a>>,
    pub kind: Option<TransitionKind>,
    pub target: &'a str,
    /// The string node naming the target.
    pub node: &'a Node,
}

impl Target<'_, '_> {
    /// "`Next` of state `A`", or "`StartAt`" (with `scope_of_start`:
    /// "`StartAt` of branch 0 of `P`").
    pub fn subject(&self, machine: &Machine<'_>, scope_of_start: bool) -> String {
        match (self.state, self.kind) {
            (Some(state), Some(kind)) => format!("`{}` of state `{}`", kind.field(), state.name),
            _ if scope_of_start => format!("`StartAt` of {}", self.scope.describe(machine)),
            _ => "`StartAt`".to_string(),
        }
    }
}

/// Every `StartAt` and transition that names no state of its own scope, in
/// scope order then source order. `StartAt` counts only when `States` is an
/// object (otherwise the schema has already said what is wrong). Targets
/// holding a deploy-time `${…}` placeholder are left out: they may name any
/// state once deployed. So are empty names, which the schema reports.
pub(crate) fn unresolved_targets<'m, 'a>(machine: &'m Machine<'a>) -> Vec<Target<'m, 'a>> {
    let mut out = Vec::new();
    for scope in &machine.scopes {
        if let Some(node) = scope.start_at {
            if let (Some(name), Some(_)) =
                (node.as_str(), scope.states_node.and_then(Node::as_object))
            {
                if !scope.by_name.contains_key(name) && !name.is_empty() && !has_placeholder(name) {
                    out.push(Target {
                        scope,
                        state: None,
                        kind: None,
                        target: name,
                        node,
                    });
                }
            }
        }
        for state in machine.states_of(scope.id) {
            for t in &state.transitions {
                if !scope.by_name.contains_key(t.target)
                    && !t.target.is_empty()
                    && !t.is_placeholder()
                {
                    out.push(Target {
                        scope,
                        state: Some(state),
                        kind: Some(t.kind),
                        target: t.target,
                        node: t.node,
                    });
                }
            }
        }
    }
    out
}

/// How many name comparisons one document may spend on suggestions, so that a
/// definition full of broken targets stays linear.
const SUGGESTION_BUDGET: usize = 20_000;

/// A close name for a misspelled target.
pub(crate) enum Suggestion<'a> {
    /// One closest name.
    Unique(&'a str),
    /// Several names are equally close: up to three, in source order.
    Ambiguous(Vec<&'a str>),
    None,
}

impl Suggestion<'_> {
    /// "did you mean `A`?" / "did you mean one of `A`, `B`?"
    pub fn help(&self) -> Option<String> {
        match self {
            Suggestion::Unique(name) => Some(format!("did you mean `{name}`?")),
            Suggestion::Ambiguous(names) => {
                let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                Some(format!("did you mean one of {}?", list.join(", ")))
            }
            Suggestion::None => None,
        }
    }
}

/// The distance `closest` uses: case-only differences count as zero.
fn distance(word: &str, candidate: &str) -> usize {
    if candidate.eq_ignore_ascii_case(word) {
        0
    } else {
        edit_distance(&word.to_lowercase(), &candidate.to_lowercase())
    }
}

/// The scope's state names closest to `word`, spending from `budget`.
pub(crate) fn suggest<'a>(
    word: &str,
    machine: &Machine<'a>,
    scope: &Scope<'a>,
    budget: &mut usize,
) -> Suggestion<'a> {
    const SHOWN: usize = 3;
    if *budget < scope.states.len() {
        return Suggestion::None;
    }
    *budget -= scope.states.len();
    let names = || machine.states_of(scope.id).map(|s| s.name);
    let Some(best) = closest(word, names()) else {
        return Suggestion::None;
    };
    let d = distance(word, best);
    let mut tied = vec![best];
    let len = word.chars().count();
    for n in names() {
        // A tie is within `d` edits, so within `d` characters of length.
        if tied.len() < SHOWN
            && n != word
            && !tied.contains(&n)
            && n.chars().count().abs_diff(len) <= d
            && distance(word, n) == d
        {
            tied.push(n);
        }
    }
    if tied.len() > 1 {
        Suggestion::Ambiguous(tied)
    } else {
        Suggestion::Unique(best)
    }
}

/// "expected one of `A`, `B`, …": up to five names of the scope, in source order.
pub(crate) fn expected_names(machine: &Machine<'_>, scope: &Scope<'_>) -> String {
    const SHOWN: usize = 5;
    let names: Vec<String> = machine
        .states_of(scope.id)
        .take(SHOWN)
        .map(|s| format!("`{}`", s.name))
        .collect();
    if names.is_empty() {
        return format!("{} defines no states", scope.describe(machine));
    }
    let more = if scope.states.len() > SHOWN {
        ", …"
    } else {
        ""
    };
    format!("expected one of {}{more}", names.join(", "))
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    let mut budget = SUGGESTION_BUDGET;
    for t in unresolved_targets(m) {
        if m.find_anywhere(t.target).is_some() {
            // In another scope: `cross-scope-transition` reports it.
            continue;
        }
        let message = format!(
            "{} names `{}`, which is not a state of {}",
            t.subject(m, false),
            t.target,
            t.scope.describe(m)
        );
        let report = out.report(&MISSING_TRANSITION_TARGET, t.node.range, message);
        let suggestion = suggest(t.target, m, t.scope, &mut budget);
        let help = suggestion
            .help()
            .unwrap_or_else(|| expected_names(m, t.scope));
        let report = report.help(help);
        if let Suggestion::Unique(name) = suggestion {
            // The target in its own quoting style (a YAML plain scalar stays
            // plain when the name allows it).
            let written = cx
                .text()
                .get(t.node.range.start()..t.node.range.end())
                .unwrap_or("\"");
            report.fix(Fix {
                title: format!("replace with `{name}`"),
                edits: vec![Edit {
                    range: t.node.range,
                    replacement: edit::scalar_token(written, name, cx.file.format),
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::settings::Settings;
    use crate::source::SourceFile;

    #[test]
    fn fix_replaces_the_target_with_the_unique_close_name() {
        let text = r#"{"StartAt": "a", "States": { "A": { "Type": "Pass", "Next": "b3" },
            "B1": { "Type": "Succeed" }, "B2": { "Type": "Succeed" } } }"#;
        let file = SourceFile::new("x.asl.json", text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&MISSING_TRANSITION_TARGET));
        assert_eq!(diags.len(), 2);
        let start = &diags[0];
        assert_eq!(start.help.as_deref(), Some("did you mean `A`?"));
        let edit = &start.fix.as_ref().unwrap().edits[0];
        assert_eq!(&text[edit.range.start()..edit.range.end()], "\"a\"");
        assert_eq!(edit.replacement, "\"A\"");
        let next = &diags[1];
        assert_eq!(
            next.help.as_deref(),
            Some("did you mean one of `B1`, `B2`?")
        );
        assert!(
            next.fix.is_none(),
            "no fix when two names are equally close"
        );
    }

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let mut text = String::from(r#"{"StartAt": "S0", "States": {"#);
        let n = 3000;
        for i in 0..n {
            text.push_str(&format!(r#""S{i}": {{ "Type": "Pass", "Next": "T{i}" }},"#));
        }
        text.push_str(r#""End": { "Type": "Succeed" } } }"#);
        let file = SourceFile::new("x.asl.json", text);
        let diags = crate::lint_source(&file, &Settings::only(&MISSING_TRANSITION_TARGET));
        assert_eq!(diags.len(), n);
        assert!(diags[n - 1]
            .help
            .as_deref()
            .unwrap_or("")
            .starts_with("expected one of"));
    }

    #[test]
    fn json_quote_escapes() {
        assert_eq!(
            edit::json_quote("a \"b\" \\ c\n\u{1}é"),
            r#""a \"b\" \\ c\n\u0001é""#
        );
    }

    #[test]
    fn yaml_fix_keeps_the_targets_style() {
        let text = "StartAt: a\nStates:\n  A:\n    Type: Pass\n    Next: 'Bb'\n  B:\n    Type: Choice\n    Choices:\n      - Variable: $.x\n        IsNull: true\n        Next: Bb\n    Default: \"Bb\"\n";
        let file = SourceFile::new("x.asl.yaml", text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&MISSING_TRANSITION_TARGET));
        let fixed = crate::diagnostic::apply_fixes(text, &diags);
        assert_eq!(
            fixed,
            text.replacen("StartAt: a", "StartAt: A", 1)
                .replace("'Bb'", "'B'")
                .replace("Next: Bb", "Next: B")
                .replace("\"Bb\"", "\"B\"")
        );
    }
}
