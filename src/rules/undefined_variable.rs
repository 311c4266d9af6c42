use crate::model::{QueryLanguage, ScopeId};
use crate::rules::util::variables::ReadIssue;
use crate::rules::{closest, LintContext, Sink};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Finds reads of workflow variables (`$name` in JSONPath paths, payload
    /// templates and intrinsic arguments, and in JSONata expressions) that
    /// can never have a value:
    ///
    /// * no state assigns the name at all (often a typo);
    /// * only states inside another state's Parallel branch or Map iteration
    ///   assign it, and those variables end with the branch or iteration;
    /// * states of the same or an enclosing scope assign it, but none of them
    ///   on any path from `StartAt` to the reading state.
    ///
    /// A read that a sibling Parallel branch or the outside of a Distributed
    /// Map would satisfy is `variable-scope`'s finding. Reads inside JSONata
    /// `$exists(…)` are tests and are not reported. Deploy-time placeholders
    /// such as `${Name}` are not variables.
    ///
    /// ## Why is this bad?
    /// Reading a variable that has no value fails the state at run time (in
    /// JSONPath with `States.Runtime`, in JSONata with
    /// `States.QueryEvaluationError`), although the definition is accepted
    /// when it is created.
    ///
    /// The rule warns rather than errs because AWS accepts such definitions:
    /// LocalStack's AWS-recorded `test_undefined_reference` creates machines
    /// reading `$doesNotExist` in `Arguments` and in `Assign` and observes the
    /// failure at run time, and asl-lint never errs on a definition AWS
    /// creates. A state that reads such a variable fails whenever it runs;
    /// make the rule an error with `[rules] undefined-variable = "error"`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Parameters": { "id.$": "$orderID" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "Assign": { "orderId.$": "$.id" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Parameters": { "id.$": "$orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static UNDEFINED_VARIABLE = {
        code: "ASL311",
        name: "undefined-variable",
        category: Data,
        severity: Warning,
        summary: "a variable is read that no state assigns before the read",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let machine = cx.machine;
    let vars = cx.variables();
    if vars.reads.is_empty() {
        return;
    }
    let mut suggest = Suggestions::new(cx);
    for (ri, issue) in cx.variable_read_issues() {
        let ri = *ri;
        let r = &vars.reads[ri];
        let state = machine.state(r.state);
        let x = &r.name;
        let at = format!("in `{}` of state `{}`", r.field, state.name);
        match issue {
            ReadIssue::Unassigned => {
                // `$states` is a candidate where JSONata reads it.
                let jsonata = state.query_language == QueryLanguage::Jsonata;
                let help = match suggest.closest(state.scope, x, jsonata) {
                    Some(g) => format!("did you mean `${g}`?"),
                    None => format!(
                        "assign `{x}` with `Assign` in a state that runs before `{}`",
                        state.name
                    ),
                };
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!("variable `${x}` is not assigned by any state ({at})"),
                )
                .help(help);
            }
            ReadIssue::Inner { assignment } => {
                let a = &vars.assignments[*assignment];
                let assigner = machine.state(a.state);
                let inner = machine.scope(assigner.scope);
                let owner = inner.owner.map_or("", |o| machine.state(o).name);
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!(
                        "variable `${x}` is only assigned inside {}, and those variables are gone when it ends ({at})",
                        inner.describe(machine)
                    ),
                )
                .related(a.member.key_range, format!("`{x}` is assigned here, in state `{}`", assigner.name))
                .help(format!(
                    "return the value in the output of the branch or iteration, and assign it from the result in `{owner}`'s `Assign`"
                ));
            }
            ReadIssue::NoPath { assignment } => {
                let a = &vars.assignments[*assignment];
                out.report(
                    &UNDEFINED_VARIABLE,
                    r.range,
                    format!(
                        "variable `${x}` is never assigned before state `{}` runs: no path from `StartAt` assigns it ({at})",
                        state.name
                    ),
                )
                .related(
                    a.member.key_range,
                    format!("`{x}` is assigned here, in state `{}`, on no path to `{}`", machine.state(a.state).name, state.name),
                )
                .help(format!("assign `{x}` in a state that runs before `{}`", state.name));
            }
            _ => {}
        }
    }
}

/// How many candidate names the suggestions of one document may compare a
/// misspelt name with, in all: a "did you mean" is a convenience, and a
/// machine with thousands of unassigned reads and thousands of variables
/// must not spend quadratic time on it.
const COMPARISON_BUDGET: usize = 200_000;

/// How many candidates one name is compared with, at most.
const PER_NAME: usize = 2_000;

/// "Did you mean" for unassigned variables: the variables visible in the
/// read's scope, indexed by scope and by length, with each distinct name
/// looked up once per scope.
struct Suggestions<'c, 'a> {
    cx: &'c LintContext<'a>,
    /// Per scope: the names assigned in it, by length in characters.
    by_scope: Option<HashMap<ScopeId, HashMap<usize, Vec<&'a str>>>>,
    memo: HashMap<(String, ScopeId, bool), Option<String>>,
    budget: usize,
}

impl<'c, 'a> Suggestions<'c, 'a> {
    fn new(cx: &'c LintContext<'a>) -> Self {
        Suggestions {
            cx,
            by_scope: None,
            memo: HashMap::new(),
            budget: COMPARISON_BUDGET,
        }
    }

    fn closest(&mut self, scope: ScopeId, word: &str, jsonata: bool) -> Option<String> {
        let key = (word.to_string(), scope, jsonata);
        if let Some(found) = self.memo.get(&key) {
            return found.clone();
        }
        let found = self.search(scope, word, jsonata);
        self.memo.insert(key, found.clone());
        found
    }

    /// The names assigned in `scope` and in the scopes it sees are exactly
    /// the variables visible there.
    fn search(&mut self, scope: ScopeId, word: &str, jsonata: bool) -> Option<String> {
        let machine = self.cx.machine;
        let vars = self.cx.variables();
        let by_scope = self.by_scope.get_or_insert_with(|| {
            let mut m: HashMap<ScopeId, HashMap<usize, Vec<&'a str>>> = HashMap::new();
            let mut seen = std::collections::HashSet::new();
            for a in &vars.assignments {
                let s = machine.state(a.state).scope;
                if seen.insert((s, a.var)) {
                    m.entry(s)
                        .or_default()
                        .entry(a.name.chars().count())
                        .or_default()
                        .push(a.name);
                }
            }
            m
        });
        let len = word.chars().count();
        if len > crate::rules::MAX_SUGGESTED_CHARS {
            return None;
        }
        let limit = (len / 3).clamp(1, 4);
        // The candidates: names of `scope` and of the scopes it sees, of a
        // length within reach, that are visible here.
        let mut candidates: Vec<&'a str> = Vec::new();
        let mut cur = scope;
        loop {
            if let Some(lengths) = by_scope.get(&cur) {
                // Nearest lengths first: the likeliest typos survive the cap.
                let mut lens: Vec<usize> = (len.saturating_sub(limit)..=len + limit).collect();
                lens.sort_by_key(|l| l.abs_diff(len));
                for l in lens {
                    for &name in lengths.get(&l).map_or(&[][..], Vec::as_slice) {
                        if self.budget == 0 || candidates.len() >= PER_NAME {
                            break;
                        }
                        self.budget -= 1;
                        candidates.push(name);
                    }
                }
            }
            let s = machine.scope(cur);
            match s.owner {
                Some(owner) if !s.distributed => cur = machine.state(owner).scope,
                _ => break,
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let reserved = jsonata.then_some("states");
        closest(word, candidates.into_iter().chain(reserved)).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use crate::settings::Settings;
    use crate::source::SourceFile;

    /// `n` states, each assigning `v{i}` and reading the unassigned `$w{i}`
    /// (every one a near miss of some `v…`), with Choice states between.
    fn chain(n: usize) -> String {
        let mut text = String::from(r#"{ "StartAt": "S0", "States": {"#);
        for i in 0..n {
            let next = if i + 1 == n {
                r#""End": true"#.to_string()
            } else {
                format!(r#""Next": "C{i}""#)
            };
            text.push_str(&format!(
                r#""S{i}": {{ "Type": "Pass", "Parameters": {{ "p.$": "$w{i}" }}, "Assign": {{ "v{i}": {i} }}, {next} }},"#
            ));
            if i + 1 < n {
                let j = i + 1;
                text.push_str(&format!(
                    r#""C{i}": {{ "Type": "Choice", "Choices": [ {{ "Variable": "$.x", "IsPresent": true, "Next": "S{j}" }} ], "Default": "S{j}" }},"#
                ));
            }
        }
        text.pop();
        text.push_str("} }");
        text
    }

    #[test]
    fn thousands_of_unassigned_reads_among_thousands_of_variables() {
        // Before suggestions were bounded, 5,000 such states took seconds:
        // every read was compared with every variable.
        let n = 6000;
        let text = chain(n);
        let file = SourceFile::new("big.asl.json", text);
        let settings = Settings::only(&super::UNDEFINED_VARIABLE);
        let started = std::time::Instant::now();
        let diags = crate::lint::lint_source(&file, &settings);
        let took = started.elapsed();
        assert_eq!(diags.len(), n);
        // The first ones still get a suggestion.
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `$v0`?"));
        assert!(took.as_secs() < 60, "took {took:?}");
    }
}
