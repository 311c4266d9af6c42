use crate::jsonata::ast::{Expr, ExprKind};
use crate::paths;
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds intrinsic function calls (`States.Format(…)`, `States.Array(…)`
    /// …) in JSONata states: written as a plain string value (also under a
    /// key ending in `.$`, which means nothing in JSONata), or inside a
    /// `{% … %}` expression.
    ///
    /// ## Why is this bad?
    /// Intrinsic functions only exist in JSONPath states. In a JSONata state
    /// a plain string is passed on as it is written, and inside an expression
    /// `States.Format(…)` reads a field `States.Format` of the context value
    /// and calls it, which fails at run time (there is no such function).
    /// JSONata has its own functions for the same work: `&` and `$string` for
    /// `States.Format`, `$parse` for `States.StringToJson`, `$count` for
    /// `States.ArrayLength`, `$uuid()` for `States.UUID()` …
    ///
    /// The rule warns rather than errs: AWS documents intrinsics as
    /// JSONPath-only but not that it refuses such a definition, and a
    /// literal string is a legal value.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": { "Type": "Pass", "Output": { "msg": "States.Format('Hello {}', $states.input.name)" }, "End": true }
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
    ///     "Greet": { "Type": "Pass", "Output": { "msg": "{% 'Hello ' & $states.input.name %}" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static JSONATA_INTRINSIC_CALL = {
        code: "ASL336",
        name: "jsonata-intrinsic-call",
        category: Data,
        severity: Warning,
        summary: "an intrinsic function (`States.Format(…)` …) is used in a JSONata state",
        check: Some(check),
    }
}

/// The JSONata way to do what an intrinsic function does.
fn equivalent(function: &str) -> &'static str {
    match function {
        "States.Format" => "join strings with `&` (and `$string(…)` for numbers)",
        "States.StringToJson" => "use `$parse(…)`",
        "States.JsonToString" => "use `$string(…)`",
        "States.Array" => "write an array: `[a, b]`",
        "States.ArrayPartition" => "group items with `$reduce` or index arithmetic",
        "States.ArrayContains" => "use `value in array`",
        "States.ArrayRange" => "write a range: `[start..end]`",
        "States.ArrayGetItem" => "index the array: `array[i]`",
        "States.ArrayLength" => "use `$count(…)`",
        "States.ArrayUnique" => "use `$distinct(…)`",
        "States.Base64Encode" => "use `$base64encode(…)`",
        "States.Base64Decode" => "use `$base64decode(…)`",
        "States.Hash" => "use `$hash(value, algorithm)`",
        "States.JsonMerge" => "use `$merge([a, b])`",
        "States.MathRandom" => "use `$random()`",
        "States.MathAdd" => "use `+`",
        "States.StringSplit" => "use `$split(…)`",
        "States.UUID" => "use `$uuid()`",
        _ => "use a JSONata function",
    }
}

/// `States.Name(…)` calls in an expression: the range of `States.Name` and
/// the name. JSONata reads `States.Name(…)` as the path `States` followed by
/// the step `Name(…)`, a call.
fn intrinsic_calls(e: &Expr) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    e.walk(|n| {
        let ExprKind::Path(steps) = &n.kind else {
            return;
        };
        let [first, second, ..] = steps.as_slice() else {
            return;
        };
        if !matches!(&first.kind, ExprKind::Name(a) if a == "States") {
            return;
        }
        if let ExprKind::Call { callee, .. } = &second.kind {
            if let ExprKind::Name(b) = &callee.kind {
                out.push((first.span.cover(callee.span), format!("States.{b}")));
            }
        }
    });
    out
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for p in cx.jsonata_sites() {
        let site = &p.site;
        let location = format!("`{}` of state `{}`", site.field, site.state.name);
        match &p.expression {
            None => {
                let t = site.value.trim();
                if !t.starts_with("States.") {
                    continue;
                }
                let Ok(call) = paths::parse_intrinsic(t) else {
                    continue;
                };
                out.report(
                    &JSONATA_INTRINSIC_CALL,
                    site.node.range,
                    format!(
                        "{location} is the intrinsic function call `{}(…)` written as a plain string; JSONata states pass it on as text",
                        call.name
                    ),
                )
                .help(format!(
                    "intrinsic functions only work in JSONPath states; in a `{{% … %}}` expression, {}",
                    equivalent(&call.name)
                ));
            }
            Some(e) => {
                let Ok(expr) = &e.parsed else {
                    continue;
                };
                if !e.text.contains("States") {
                    continue;
                }
                for (span, name) in intrinsic_calls(expr) {
                    if e.touches_hole(span) {
                        continue;
                    }
                    out.report(
                        &JSONATA_INTRINSIC_CALL,
                        p.range(cx, span),
                        format!("`{name}` in {location} is an intrinsic function, which JSONata does not have"),
                    )
                    .help(format!(
                        "intrinsic functions only work in JSONPath states; in JSONata, {}",
                        equivalent(&name)
                    ));
                }
            }
        }
    }
}
