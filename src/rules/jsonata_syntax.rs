use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Parses every `{% … %}` expression of a JSONata state (in `Arguments`,
    /// `Output`, `Assign`, `Items`, `Condition`, `TimeoutSeconds`, `Seconds`,
    /// `Error` …, at any depth) as JSONata 2.0.6, the version Step Functions
    /// runs, and reports the first syntax error at the offending character.
    ///
    /// ## Why is this bad?
    /// Step Functions refuses to create or update a state machine whose
    /// JSONata does not parse. Common causes are JSONPath habits (`$.a[?(@.x)]`),
    /// unbalanced brackets, `==` instead of `=`, `!` instead of `$not(…)`, and
    /// the `??` and `?:` operators, which only later JSONata versions have.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Output": { "greeting": "{% 'Hello ' & $states.input.name ?? 'there' %}" },
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
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Output": { "greeting": "{% 'Hello ' & ($exists($states.input.name) ? $states.input.name : 'there') %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static JSONATA_SYNTAX = {
        code: "ASL330",
        name: "jsonata-syntax",
        category: Data,
        severity: Error,
        summary: "a `{% … %}` expression is not valid JSONata 2.0",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for p in cx.jsonata_sites() {
        let Some(e) = &p.expression else {
            continue;
        };
        let Err(err) = &e.parsed else {
            continue;
        };
        // Next to a deploy-time placeholder, the error may be the text the
        // deployment puts there.
        if e.touches_hole(err.span) {
            continue;
        }
        let site = &p.site;
        let range = p.range(cx, err.span);
        let mut report = out.report(
            &JSONATA_SYNTAX,
            range,
            format!(
                "invalid JSONata in `{}` of state `{}`: {}",
                site.field, site.state.name, err.message
            ),
        );
        if let Some((opened, what)) = err.related {
            report = report.related(p.range(cx, opened), what);
        }
        if let Some(help) = err.help.clone() {
            report = report.help(help);
        }
        drop(report);
    }
}
