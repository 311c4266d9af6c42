use crate::jsonata::analysis::{bound_names, calls, BUILTIN_FUNCTIONS, STEP_FUNCTIONS_FUNCTIONS};
use crate::rules::jsonata_common::workflow_variables;
use crate::rules::{closest, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports calls `$name(…)` in JSONata expressions where `name` is not a
    /// function of JSONata 2.0.6, not one Step Functions adds (`$partition`,
    /// `$range`, `$hash`, `$random`, `$uuid`, `$parse`), and not a variable:
    /// one bound in the expression (`$f := function(…){…}`, a lambda
    /// parameter) or a workflow variable assigned somewhere in the machine.
    /// `$eval` is a JSONata function that Step Functions does not provide.
    ///
    /// ## Why is this bad?
    /// Calling something that is not a function fails the state at run time
    /// with `States.QueryEvaluationError`. The usual cause is a typo
    /// (`$upperCase`, `$substringAfterLast`) or a function from another
    /// language (`$toString`, `$len`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Shout",
    ///   "States": {
    ///     "Shout": {
    ///       "Type": "Pass",
    ///       "Output": "{% $upperCase($states.input.name) %}",
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
    ///   "StartAt": "Shout",
    ///   "States": {
    ///     "Shout": {
    ///       "Type": "Pass",
    ///       "Output": "{% $uppercase($states.input.name) %}",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static JSONATA_UNKNOWN_FUNCTION = {
        code: "ASL331",
        name: "jsonata-unknown-function",
        category: Data,
        severity: Error,
        summary: "a JSONata expression calls a function that does not exist in Step Functions",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let mut variables: Option<std::collections::HashSet<&str>> = None;
    for p in cx.jsonata_sites() {
        let Some((e, expr)) = p.expr() else {
            continue;
        };
        let site = &p.site;
        let found = calls(expr);
        if found.is_empty() {
            continue;
        }
        let bound = bound_names(expr);
        let variables = variables.get_or_insert_with(|| workflow_variables(cx.machine));
        for call in found {
            let name = call.name;
            let known = (BUILTIN_FUNCTIONS.contains(&name) && name != "eval")
                || STEP_FUNCTIONS_FUNCTIONS.contains(&name)
                || bound.contains(&name)
                || variables.contains(name);
            if known || e.touches_hole(call.span) {
                continue;
            }
            let range = p.range(cx, call.span);
            let location = format!("`{}` of state `{}`", site.field, site.state.name);
            if name == "eval" {
                out.report(
                    &JSONATA_UNKNOWN_FUNCTION,
                    range,
                    format!("`$eval` in {location} is not available in Step Functions"),
                )
                .help("use `$parse(text)` to turn a JSON string into a value");
                continue;
            }
            let candidates = BUILTIN_FUNCTIONS
                .iter()
                .chain(STEP_FUNCTIONS_FUNCTIONS)
                .copied()
                .filter(|f| *f != "eval")
                .chain(bound.iter().copied());
            let report = out.report(
                &JSONATA_UNKNOWN_FUNCTION,
                range,
                format!("unknown function `${name}` in {location}"),
            );
            match closest(name, candidates) {
                Some(s) => drop(report.help(format!("did you mean `${s}`?"))),
                None => drop(report.help(
                    "use a JSONata 2.0 function, one Step Functions adds ($partition, $range, $hash, $random, $uuid, $parse), or bind the function to a variable first",
                )),
            }
        }
    }
}
