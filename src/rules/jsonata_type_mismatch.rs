use crate::jsonata::analysis::{result_type, ValueType};
use crate::rules::jsonata_common::Expect;
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `{% … %}` expression in a field that needs a number
    /// (`TimeoutSeconds`, `HeartbeatSeconds`, `Seconds`, `MaxConcurrency`,
    /// `ToleratedFailurePercentage`, `ToleratedFailureCount`, `MaxItems`,
    /// `MaxItemsPerBatch`, `MaxInputBytesPerBatch`) or a boolean (a Choice
    /// rule's `Condition`) when the expression can only produce another type:
    /// a string literal, a `&` concatenation, `$string(…)`, a comparison in a
    /// number field, arithmetic in a `Condition` …
    ///
    /// ## Why is this bad?
    /// Step Functions does not convert the result: a string where a number is
    /// needed fails the state at run time with `States.QueryEvaluationError`,
    /// even when the string holds digits (`"{% '30' %}"`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": "{% $string($states.input.delay) %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": "{% $number($states.input.delay) %}", "End": true }
    ///   }
    /// }
    /// ```
    pub static JSONATA_TYPE_MISMATCH = {
        code: "ASL334",
        name: "jsonata-type-mismatch",
        category: Data,
        severity: Error,
        summary: "a `{% … %}` expression always produces the wrong type for its field (a string where a number is needed …)",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for p in cx.jsonata_sites() {
        let site = &p.site;
        let needed = match site.expect {
            Expect::Any => continue,
            Expect::Number => ValueType::Number,
            Expect::Boolean => ValueType::Boolean,
        };
        let Some((e, expr)) = p.expr() else {
            continue;
        };
        // A placeholder stands for a value only known at deploy time.
        if !e.holes.is_empty() {
            continue;
        }
        let Some(got) = result_type(expr) else {
            continue;
        };
        if got == needed {
            continue;
        }
        let text = e.text;
        let span = TextRange::new(0, text.len());
        let trimmed = trim_range(text, span);
        let range = p.range(cx, trimmed);
        let help = match (needed, got) {
            (ValueType::Number, ValueType::String) => {
                "convert it with `$number(…)`, or compute a number"
            }
            (ValueType::Number, _) => "the field needs a number, such as `{% $states.input.delay %}` or `{% 30 %}`",
            (ValueType::Boolean, _) => {
                "a condition must produce `true` or `false`: compare the value, for example `{% $states.input.status = 'done' %}`"
            }
            _ => "produce a value of the type the field needs",
        };
        out.report(
            &JSONATA_TYPE_MISMATCH,
            range,
            format!(
                "`{}` of state `{}` needs {}, but its expression always produces {}",
                site.field,
                site.state.name,
                needed.as_str(),
                got.as_str()
            ),
        )
        .help(help);
    }
}

/// The span without the spaces around the expression.
fn trim_range(text: &str, span: TextRange) -> TextRange {
    let s = &text[span.start()..span.end()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    TextRange::new(span.start() + lead, span.end() - trail)
}
