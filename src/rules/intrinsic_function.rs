use crate::paths::{self, Arg, ArgKind, Call, Type, FUNCTIONS, HASH_ALGORITHMS};
use crate::rules::jsonpath_sites::{self, Expr, ExprSite, PathField, ValueMap};
use crate::rules::{closest, LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks intrinsic function calls (`States.Format('{}', $.a)`) in JSONPath
    /// states: the syntax (single-quoted strings, balanced parentheses, no
    /// leading whitespace, at most 10 nested calls), that the function exists
    /// (with a "did you mean"), the number of arguments, literal arguments of
    /// the wrong type, the `{}` placeholders of `States.Format` against its
    /// arguments, `States.Hash` algorithms, `States.JsonMerge` deep merges and
    /// literal ranges of `States.ArrayRange`, `States.ArrayPartition` and
    /// `States.MathAdd`.
    ///
    /// Also flags intrinsic calls where they are not evaluated: they work only
    /// as values of keys ending in `.$` and in Fail `ErrorPath`/`CausePath`
    /// (there only functions that return a string).
    ///
    /// ## Why is this bad?
    /// A malformed call or an unknown function makes AWS reject the
    /// definition; a wrong argument count or type fails every execution that
    /// reaches the state with `States.IntrinsicFailure`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Parameters": { "msg.$": "States.Format('Hello {} {}', $.name)", "id.$": "States.UUid()" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Parameters": { "msg.$": "States.Format('Hello {}', $.name)", "id.$": "States.UUID()" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static INTRINSIC_FUNCTION = {
        code: "ASL305",
        name: "intrinsic-function",
        category: Data,
        severity: Error,
        summary: "an intrinsic function call is malformed, unknown, misused or misplaced",
        check: Some(check),
    }
}

const STRING_FUNCTIONS: &str = "`States.Format`, `States.JsonToString`, `States.ArrayGetItem`, `States.Base64Encode`, `States.Base64Decode`, `States.Hash` and `States.UUID`";

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for parsed in cx.jsonpath_sites() {
        let site = &parsed.site;
        let Expr::Intrinsic(result) = &parsed.expr else {
            continue;
        };
        let state = site.state.name;
        let what = &site.what;
        if !site.intrinsics {
            let s = site.text;
            let lead = s.len() - s.trim_start().len();
            let range = jsonpath_sites::inner_range(
                cx,
                site.node,
                TextRange::new(lead, s.trim_end().len().max(lead)),
            );
            out.report(
                &INTRINSIC_FUNCTION,
                range,
                format!("intrinsic functions are not evaluated in {what} of state `{state}`"),
            )
            .help("intrinsic functions work in values of keys ending in `.$` (and in Fail `ErrorPath`/`CausePath`); compute the value in `Parameters` or `ResultSelector` of an earlier state and refer to it with a path");
            continue;
        }
        match result {
            Err(e) => {
                if paths::has_placeholder(site.text) {
                    continue;
                }
                let range = jsonpath_sites::inner_range(cx, site.node, e.span());
                out.report(
                    &INTRINSIC_FUNCTION,
                    range,
                    format!(
                        "invalid intrinsic function call in {what} of state `{state}`: {}",
                        e.message
                    ),
                )
                .help("write a call as `States.Name(arg, …)` with single-quoted strings, numbers, `true`, `false`, `null`, paths or nested calls as arguments");
            }
            Ok(call) => {
                // One map of the string to the file for all its findings.
                let map = std::cell::OnceCell::new();
                let range =
                    |span: TextRange| map.get_or_init(|| ValueMap::new(cx, site.node)).range(span);
                call.walk(&mut |c| check_call(out, site, c, &range));
                if site.field == Some(PathField::ErrorOrCause) {
                    if let Some(f) = call.function().filter(|f| !f.string_result) {
                        out.report(
                            &INTRINSIC_FUNCTION,
                            range(call.name_span),
                            format!(
                                "`{}` does not return a string, so it cannot be used in {what} of state `{state}`",
                                f.name
                            ),
                        )
                        .help(format!(
                            "use a reference path or one of the functions that return a string: {STRING_FUNCTIONS}"
                        ));
                    }
                }
            }
        }
    }
}

fn check_call(
    out: &mut Sink<'_>,
    site: &ExprSite<'_>,
    c: &Call,
    range: &dyn Fn(TextRange) -> TextRange,
) {
    let state = site.state.name;
    let what = &site.what;
    let Some(f) = c.function() else {
        out.report(
            &INTRINSIC_FUNCTION,
            range(c.name_span),
            format!(
                "unknown intrinsic function `{}` in {what} of state `{state}`",
                c.name
            ),
        )
        .help(suggest(&c.name));
        return;
    };
    let name = f.name;
    let n = c.args.len();
    let placeholder_arg = c.args.iter().any(|a| a.kind == ArgKind::Placeholder);
    if !placeholder_arg && (n < f.min_args || f.max_args.is_some_and(|m| n > m)) {
        out.report(
            &INTRINSIC_FUNCTION,
            range(c.span),
            format!(
                "`{name}` takes {}, found {n} in {what} of state `{state}`",
                f.arity()
            ),
        )
        .help(format!("call `{name}` with {}", f.arity()));
    }
    for (i, a) in c.args.iter().enumerate() {
        if f.max_args.is_some_and(|m| i >= m) {
            break;
        }
        let expected = f.param(i);
        if let Some(found) = arg_type(a) {
            if !compatible(expected, found) {
                out.report(
                    &INTRINSIC_FUNCTION,
                    range(a.span),
                    format!(
                        "argument {} of `{name}` must be {}, found {} in {what} of state `{state}`",
                        i + 1,
                        expected.as_str(),
                        describe_found(a, found)
                    ),
                )
                .help(format!("pass {} or a path to one", expected.as_str()));
                continue;
            }
        }
        if matches!(
            name,
            "States.Base64Encode" | "States.Base64Decode" | "States.Hash"
        ) {
            if let ArgKind::Str(v) = &a.kind {
                let len = v.chars().count();
                if len > 10_000 {
                    out.report(
                        &INTRINSIC_FUNCTION,
                        range(a.span),
                        format!(
                            "the input of `{name}` is {len} characters long; at most 10000 are allowed"
                        ),
                    )
                    .help("shorten the input");
                }
            }
        }
    }
    let literal = |i: usize| c.args.get(i).map(|a| (&a.kind, a.span));
    let number = |i: usize| match literal(i) {
        Some((ArgKind::Number(raw), span)) => raw.parse::<f64>().ok().map(|v| (v, span)),
        _ => None,
    };
    match name {
        "States.Format" => {
            if let Some((ArgKind::Str(_), span)) = literal(0) {
                let raw = site
                    .text
                    .get(span.start() + 1..span.end().saturating_sub(1))
                    .unwrap_or("");
                if !placeholder_arg && !paths::has_placeholder(raw) {
                    let k = paths::count_format_placeholders(raw);
                    if k != n - 1 {
                        out.report(
                            &INTRINSIC_FUNCTION,
                            range(span),
                            format!(
                                "the `States.Format` template has {} but {} in {what} of state `{state}`",
                                plural(k, "`{}` placeholder"),
                                plural_follow(n - 1)
                            ),
                        )
                        .help("give one argument per `{}`; write a literal brace as `\\{` or `\\}`");
                    }
                }
            }
        }
        "States.JsonToString" => {
            if let Some(a) = c.args.first() {
                if matches!(
                    a.kind,
                    ArgKind::Str(_) | ArgKind::Number(_) | ArgKind::Bool(_) | ArgKind::Null
                ) {
                    out.report(
                        &INTRINSIC_FUNCTION,
                        range(a.span),
                        format!(
                            "`States.JsonToString` takes a path, found {} in {what} of state `{state}`",
                            a.describe()
                        ),
                    )
                    .help("pass a path to the value to serialize, e.g. `$.payload`");
                }
            }
        }
        "States.Hash" => {
            if let Some((ArgKind::Str(alg), span)) = literal(1) {
                if !HASH_ALGORITHMS.contains(&alg.as_str()) && !paths::has_placeholder(alg) {
                    let help = match closest(alg, HASH_ALGORITHMS) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("use one of {}", HASH_ALGORITHMS.join(", ")),
                    };
                    out.report(
                        &INTRINSIC_FUNCTION,
                        range(span),
                        format!(
                            "`{alg}` is not a hash algorithm of `States.Hash` in {what} of state `{state}`"
                        ),
                    )
                    .help(help);
                }
            }
        }
        "States.JsonMerge" => {
            if let Some((ArgKind::Bool(true), span)) = literal(2) {
                out.report(
                    &INTRINSIC_FUNCTION,
                    range(span),
                    format!(
                        "`States.JsonMerge` does not support deep merges in {what} of state `{state}`"
                    ),
                )
                .help("pass `false` as the third argument (shallow merge)");
            }
        }
        "States.ArrayPartition" => {
            if let Some((v, span)) = number(1) {
                if v.round() <= 0.0 {
                    out.report(
                        &INTRINSIC_FUNCTION,
                        range(span),
                        format!(
                            "the chunk size of `States.ArrayPartition` must be positive in {what} of state `{state}`"
                        ),
                    )
                    .help("pass a chunk size of 1 or more");
                }
            }
        }
        "States.ArrayRange" => {
            if let (Some((start, _)), Some((end, _)), Some((step, step_span))) =
                (number(0), number(1), number(2))
            {
                let (start, end, step) = (start.round(), end.round(), step.round());
                if step == 0.0 {
                    out.report(
                        &INTRINSIC_FUNCTION,
                        range(step_span),
                        format!(
                            "the step of `States.ArrayRange` cannot be 0 in {what} of state `{state}`"
                        ),
                    )
                    .help("pass a non-zero step");
                } else {
                    let count = ((end - start) / step).floor() + 1.0;
                    if count > 1000.0 {
                        out.report(
                            &INTRINSIC_FUNCTION,
                            range(c.span),
                            format!(
                                "`States.ArrayRange` would produce {count} items, more than the 1000 allowed, in {what} of state `{state}`"
                            ),
                        )
                        .help("narrow the range or increase the step");
                    }
                }
            }
        }
        "States.MathAdd" => {
            for i in 0..2 {
                if let Some((v, span)) = number(i) {
                    if !(-2_147_483_648.0..=2_147_483_647.0).contains(&v.round()) {
                        out.report(
                            &INTRINSIC_FUNCTION,
                            range(span),
                            format!(
                                "`States.MathAdd` works on 32-bit integers; this value is out of range in {what} of state `{state}`"
                            ),
                        )
                        .help("use values between -2147483648 and 2147483647");
                    }
                }
            }
        }
        _ => {}
    }
}

/// The type of a literal argument or of a nested call's result; `None` when
/// only known at run time (paths, placeholders, functions returning any value).
fn arg_type(a: &Arg) -> Option<Type> {
    match &a.kind {
        ArgKind::Str(_) => Some(Type::String),
        ArgKind::Number(raw) => Some(if raw.contains(['.', 'e', 'E']) {
            Type::Number
        } else {
            Type::Integer
        }),
        ArgKind::Bool(_) => Some(Type::Boolean),
        ArgKind::Null => Some(Type::Any),
        ArgKind::Call(c) => c.function().map(|f| f.returns).filter(|t| *t != Type::Any),
        ArgKind::Path(_) | ArgKind::Placeholder => None,
    }
}

fn compatible(expected: Type, found: Type) -> bool {
    match (expected, found) {
        (Type::Any, _) => true,
        // `null` (reported as Any) fits only where anything goes.
        (_, Type::Any) => false,
        // Step Functions rounds non-integers where integers are expected.
        (Type::Integer | Type::Number, Type::Integer | Type::Number) => true,
        (e, f) => e == f,
    }
}

fn describe_found(a: &Arg, found: Type) -> String {
    match &a.kind {
        ArgKind::Call(c) => format!("`{}`, which returns {}", c.name, found.as_str()),
        _ => a.describe().to_string(),
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn plural_follow(n: usize) -> String {
    match n {
        0 => "no argument follows".into(),
        1 => "1 argument follows".into(),
        n => format!("{n} arguments follow"),
    }
}

fn suggest(name: &str) -> String {
    let names = FUNCTIONS.iter().map(|f| f.name);
    let guess = if name.starts_with("States.") {
        closest(name, names)
    } else {
        let full = format!("States.{name}");
        paths::function(&full)
            .map(|f| f.name)
            .or_else(|| closest(&full, names))
    };
    match guess {
        Some(g) => format!("did you mean `{g}`?"),
        None => format!(
            "Step Functions defines only these functions: {}",
            FUNCTIONS
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
