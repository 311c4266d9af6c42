//! Questions the linter asks of a parsed expression: which functions it
//! calls, which names it binds, how it uses `$states`, and what type of value
//! it can produce. All walks are iterative.

use super::ast::{BinaryOp, Expr, ExprKind};
use crate::syntax::TextRange;

/// Functions of JSONata 2.0.6.
pub const BUILTIN_FUNCTIONS: &[&str] = &[
    "abs",
    "append",
    "assert",
    "average",
    "base64decode",
    "base64encode",
    "boolean",
    "ceil",
    "clone",
    "contains",
    "count",
    "decodeUrl",
    "decodeUrlComponent",
    "distinct",
    "each",
    "encodeUrl",
    "encodeUrlComponent",
    "error",
    "eval",
    "exists",
    "filter",
    "floor",
    "formatBase",
    "formatInteger",
    "formatNumber",
    "fromMillis",
    "join",
    "keys",
    "length",
    "lookup",
    "lowercase",
    "map",
    "match",
    "max",
    "merge",
    "millis",
    "min",
    "not",
    "now",
    "number",
    "pad",
    "parseInteger",
    "power",
    "random",
    "reduce",
    "replace",
    "reverse",
    "round",
    "shuffle",
    "sift",
    "single",
    "sort",
    "split",
    "spread",
    "sqrt",
    "string",
    "substring",
    "substringAfter",
    "substringBefore",
    "sum",
    "toMillis",
    "trim",
    "type",
    "uppercase",
    "zip",
];

/// Functions Step Functions adds to JSONata.
pub const STEP_FUNCTIONS_FUNCTIONS: &[&str] =
    &["hash", "parse", "partition", "random", "range", "uuid"];

/// A call of a function held in a variable: `$name(…)`, or `x ~> $name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call<'e> {
    pub name: &'e str,
    /// The range of `$name`.
    pub span: TextRange,
}

/// Every call of a variable, in source order.
pub fn calls(e: &Expr) -> Vec<Call<'_>> {
    let mut out = Vec::new();
    e.walk(|n| match &n.kind {
        ExprKind::Call { callee, .. } => {
            if let ExprKind::Variable(name) = &callee.kind {
                out.push(Call {
                    name,
                    span: callee.span,
                });
            }
        }
        ExprKind::Apply { rhs, .. } => {
            if let ExprKind::Variable(name) = &rhs.kind {
                out.push(Call {
                    name,
                    span: rhs.span,
                });
            }
        }
        _ => {}
    });
    out.sort_by_key(|c| c.span);
    out
}

/// Names the expression binds anywhere: `$x := …`, lambda parameters, and
/// `@$x` / `#$x` bindings.
pub fn bound_names(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    e.walk(|n| match &n.kind {
        ExprKind::Bind { var, .. } => out.push(var.name.as_str()),
        ExprKind::Lambda { params, .. } => out.extend(params.iter().map(|p| p.name.as_str())),
        ExprKind::Focus { var, .. } | ExprKind::Index { var, .. } => out.push(var.name.as_str()),
        _ => {}
    });
    out
}

/// A use of the reserved variable `$states`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatesRef<'e> {
    /// `input` in `$states.input.x`; `None` for `$states` alone.
    pub field: Option<&'e str>,
    /// The range of `$states.field` (or of `$states`).
    pub span: TextRange,
    /// The range of the field name.
    pub field_span: Option<TextRange>,
}

/// Every use of `$states`, in source order.
pub fn states_refs(e: &Expr) -> Vec<StatesRef<'_>> {
    let mut out = Vec::new();
    // Variables already reported as the head of a path.
    let mut heads: Vec<TextRange> = Vec::new();
    e.walk(|n| match &n.kind {
        ExprKind::Path(steps) => {
            if let [first, second, ..] = steps.as_slice() {
                if matches!(&first.kind, ExprKind::Variable(v) if v == "states") {
                    heads.push(first.span);
                    let name = step_name(second);
                    out.push(StatesRef {
                        field: name.map(|(n, _)| n),
                        span: if let Some((_, s)) = name {
                            first.span.cover(s)
                        } else {
                            first.span
                        },
                        field_span: name.map(|(_, s)| s),
                    });
                }
            }
        }
        ExprKind::Variable(v) if v == "states" && !heads.contains(&n.span) => out.push(StatesRef {
            field: None,
            span: n.span,
            field_span: None,
        }),
        _ => {}
    });
    out.sort_by_key(|r| r.span);
    out
}

/// A path into the context object: `$states.context.Execution.Id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextPath<'e> {
    /// The range of `$states.context`.
    pub span: TextRange,
    /// The field names that follow, up to the first step that is not a name.
    pub names: Vec<(&'e str, TextRange)>,
}

/// Every path into `$states.context`, in source order.
pub fn context_paths(e: &Expr) -> Vec<ContextPath<'_>> {
    let mut out = Vec::new();
    e.walk(|n| {
        let ExprKind::Path(steps) = &n.kind else {
            return;
        };
        let [first, second, rest @ ..] = steps.as_slice() else {
            return;
        };
        if !matches!(&first.kind, ExprKind::Variable(v) if v == "states") {
            return;
        }
        // `$states.context` itself, not `$states.context[0]` (a filter on it).
        if !matches!(&second.kind, ExprKind::Name(c) if c == "context") {
            return;
        }
        let names = rest.iter().map_while(step_name).collect();
        out.push(ContextPath {
            span: first.span.cover(second.span),
            names,
        });
    });
    out.sort_by_key(|p| p.span);
    out
}

/// The field name a path step reads: `x` in `.x`, `.x[0]`, `."x"`.
fn step_name(e: &Expr) -> Option<(&str, TextRange)> {
    let mut e = e;
    loop {
        match &e.kind {
            ExprKind::Name(n) | ExprKind::String(n) => return Some((n, e.span)),
            ExprKind::Filter { base, .. }
            | ExprKind::Focus { base, .. }
            | ExprKind::Index { base, .. }
            | ExprKind::Group { base, .. }
            | ExprKind::Sort { base, .. } => e = base,
            _ => return None,
        }
    }
}

/// Uses of `$` that refer to the value an expression is evaluated on, at the
/// top level (not inside predicates, lambdas, later path steps …), and every
/// use of `$$`. In Step Functions neither is the state's input.
pub fn context_refs(e: &Expr) -> Vec<(TextRange, &'static str)> {
    let mut out = Vec::new();
    e.walk(|n| {
        if matches!(&n.kind, ExprKind::Variable(v) if v == "$") {
            out.push((n.span, "$$"));
        }
    });
    let mut stack: Vec<&Expr> = vec![e];
    while let Some(n) = stack.pop() {
        match &n.kind {
            ExprKind::Variable(v) if v.is_empty() => out.push((n.span, "$")),
            ExprKind::Path(steps) => stack.extend(steps.first()),
            ExprKind::Filter { base, .. }
            | ExprKind::Group { base, .. }
            | ExprKind::Sort { base, .. }
            | ExprKind::Focus { base, .. }
            | ExprKind::Index { base, .. } => stack.push(base),
            // A lambda or a transform runs on the values it is given.
            ExprKind::Lambda { .. } | ExprKind::Transform { .. } => {}
            _ => n.for_each_child(|c| stack.push(c)),
        }
    }
    out.sort();
    out
}

/// The type of value an expression always produces, when it is certain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Boolean,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "a string",
            ValueType::Number => "a number",
            ValueType::Boolean => "a boolean",
        }
    }
}

const STRING_FUNCTIONS: &[&str] = &[
    "string",
    "substring",
    "substringBefore",
    "substringAfter",
    "uppercase",
    "lowercase",
    "trim",
    "pad",
    "join",
    "base64encode",
    "base64decode",
    "encodeUrlComponent",
    "encodeUrl",
    "decodeUrlComponent",
    "decodeUrl",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "now",
    "type",
    "uuid",
    "hash",
];

const BOOLEAN_FUNCTIONS: &[&str] = &["boolean", "not", "exists", "contains"];

/// The type an expression certainly produces, or `None` when it depends on
/// data (paths, variables) or may produce nothing. Follows blocks,
/// conditions with both branches, operators and well-known functions.
pub fn result_type(e: &Expr) -> Option<ValueType> {
    let mut e = e;
    // Depth-bounded: blocks and conditions nest rarely.
    for _ in 0..64 {
        match &e.kind {
            ExprKind::String(_) => return Some(ValueType::String),
            ExprKind::Number(_) => return Some(ValueType::Number),
            ExprKind::Bool(_) => return Some(ValueType::Boolean),
            ExprKind::Binary { rest, .. } => {
                // The last operator is applied last: `1 + 2 & 'x'` is a string.
                let (op, _) = rest.last()?;
                return Some(match op {
                    BinaryOp::Concat => ValueType::String,
                    BinaryOp::Add
                    | BinaryOp::Sub
                    | BinaryOp::Mul
                    | BinaryOp::Div
                    | BinaryOp::Mod => ValueType::Number,
                    BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
                    | BinaryOp::And
                    | BinaryOp::Or
                    | BinaryOp::In => ValueType::Boolean,
                });
            }
            ExprKind::Negate(_) => return Some(ValueType::Number),
            ExprKind::Block(stmts) => e = stmts.last()?,
            ExprKind::Condition {
                then, otherwise, ..
            } => {
                let a = result_type(then)?;
                let b = result_type(otherwise.as_deref()?)?;
                return (a == b).then_some(a);
            }
            ExprKind::Call { callee, args } => {
                let ExprKind::Variable(name) = &callee.kind else {
                    return None;
                };
                // A partial application makes a function.
                if args.iter().any(|a| a.kind == ExprKind::Placeholder) {
                    return None;
                }
                let name = name.as_str();
                return if STRING_FUNCTIONS.contains(&name) {
                    Some(ValueType::String)
                } else if BOOLEAN_FUNCTIONS.contains(&name) {
                    Some(ValueType::Boolean)
                } else {
                    None
                };
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonata::parse;

    #[test]
    fn finds_calls_bindings_and_states() {
        let e = parse("($f := function($x){ $uppercase($x) }; $states.input.a ~> $f; $states; $states.context[0].b; $g(?))").unwrap();
        let names: Vec<&str> = calls(&e).iter().map(|c| c.name).collect();
        assert_eq!(names, ["uppercase", "f", "g"]);
        let mut bound = bound_names(&e);
        bound.sort();
        assert_eq!(bound, ["f", "x"]);
        let refs = states_refs(&e);
        let fields: Vec<Option<&str>> = refs.iter().map(|r| r.field).collect();
        assert_eq!(fields, [Some("input"), None, Some("context")]);
    }

    #[test]
    fn context_references() {
        let e =
            parse("$.a + $$.b + $states.input[$ > 1].($) + $map(x, function($v){ $ })").unwrap();
        let found: Vec<&str> = context_refs(&e).iter().map(|r| r.1).collect();
        assert_eq!(found, ["$", "$$"]);
    }

    #[test]
    fn certain_types() {
        let t = |s: &str| result_type(&parse(s).unwrap());
        assert_eq!(t("'5'"), Some(ValueType::String));
        assert_eq!(t("$states.input.a & 's'"), Some(ValueType::String));
        assert_eq!(t("$string(1)"), Some(ValueType::String));
        assert_eq!(t("(1; 'x')"), Some(ValueType::String));
        assert_eq!(t("a ? 'x' : 'y'"), Some(ValueType::String));
        assert_eq!(t("a ? 'x' : 1"), None);
        assert_eq!(t("a ? 'x'"), None);
        assert_eq!(t("$states.input.a"), None);
        assert_eq!(t("1 + a"), Some(ValueType::Number));
        assert_eq!(t("a = 1"), Some(ValueType::Boolean));
        assert_eq!(t("$string(?)"), None);
    }
}
