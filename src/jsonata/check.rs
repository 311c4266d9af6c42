//! The rules JSONata applies to a parsed expression before it accepts it.
//!
//! JSONata evaluates a path `a.b[0].c` as a list of steps, each with its
//! predicates, an optional context (`@`) or position (`#`) binding, and an
//! optional grouping `{…}` for the whole path; `^(…)` adds a sorting step.
//! From that view follow its errors for:
//! * literals used as steps (`a.1`, `a.true`): S0213;
//! * a second grouping on the same path or value (S0210), a predicate after
//!   the grouping of a value that is not a path (S0209);
//! * a `@` binding after predicates (S0215) or after sorting (S0216);
//! * the parent operator `%` (S0217). `%` stands for the value that held the
//!   current one: it needs a field step before it in the path (or in an
//!   enclosing path) to climb back over. A step whose values have no known
//!   holder — a variable, a function result, a constructed array or object, a
//!   literal, `**`, a sorting step — stops the climb. JSONata also drops some
//!   climbs it cannot follow (inside lambdas, `~>`, transforms and groupings,
//!   and predicates of the first step of a path); the model here follows what
//!   it accepts and rejects. It was fitted on, and agrees with, jsonata@2.0.6
//!   on tens of thousands of generated expressions; the known differences
//!   (about 2 in 10,000 `%`-heavy generated paths) all combine `%` with
//!   several `@` context bindings in one path, which no real expression does.

use super::ast::{Expr, ExprKind, SortTerm};
use super::{Error, StackGuard};
use crate::syntax::TextRange;

pub(crate) fn check(e: &Expr) -> Result<(), Error> {
    BUDGET.with(|b| b.set(WALK_BUDGET));
    GUARD.with(|g| g.set(Some(StackGuard::new())));
    let a = analyze(e);
    GUARD.with(|g| g.set(None));
    let a = a?;
    if let Some(s) = a.seeks.first() {
        return Err(Error::new(
            "S0217",
            "the parent operator `%` has no parent here: there is no field step before it to climb back to",
            s.span,
        )
        .with_help("`%` is the value holding the current one; use it inside a path such as `a.b.%`, where it is `a`"));
    }
    Ok(())
}

/// A `%` still looking for the step that provides its value: it must climb
/// back over `level` field steps.
#[derive(Clone, Copy, Debug)]
struct Seek {
    level: u32,
    span: TextRange,
}

#[derive(Clone, Copy, Debug)]
enum Entry {
    /// A field step: `%` can climb back over it.
    Field,
    /// A step whose values have no known holder.
    Stop(TextRange),
    /// `%` steps: a climb passing them must go that many steps further.
    Skip(u32),
}

/// What an expression is to a `%` that climbs back into it from a later
/// step: a stop, or the steps of its (last) path.
#[derive(Clone, Debug)]
enum Effect {
    Stop,
    Steps(Vec<Entry>),
}

#[derive(Debug)]
struct Analysis {
    /// Climbs that leave the expression.
    seeks: Vec<Seek>,
    /// How the expression acts as a step, seen from a later `%`.
    effect: Effect,
}

impl Analysis {
    fn stop(seeks: Vec<Seek>) -> Self {
        Analysis {
            seeks,
            effect: Effect::Stop,
        }
    }
}

fn blocked(seek: TextRange, stop: TextRange) -> Error {
    let mut e = Error::new(
        "S0217",
        "the parent operator `%` cannot climb back over this step: its values have no known parent",
        seek,
    )
    .with_help("`%` can only climb back over field steps such as `a.b`, not over variables, function results, constructed values, `**` or sorting");
    e.related = Some((stop, "this step has no known parent"));
    e
}

/// The steps of a path as JSONata sees them.
struct Step<'e> {
    base: &'e Expr,
    preds: Vec<&'e Expr>,
    /// A sorting step: its terms.
    sort: Option<&'e [SortTerm]>,
    /// Written as an operand of `.` (where a string names a field).
    in_dot: bool,
    /// Has a context binding `@$var`.
    focus: bool,
}

struct Shape<'e> {
    steps: Vec<Step<'e>>,
    is_path: bool,
    /// A value turned into a path by `#` or `^(…)`: a `%` it starts with does
    /// not look for a parent.
    converted: bool,
    groups: Vec<&'e [(Expr, Expr)]>,
    /// Groupings of steps that were values, not paths (checked for climbs only).
    step_groups: Vec<&'e [(Expr, Expr)]>,
    /// A grouped value turned into a path by `#`: it still refuses predicates.
    grouped_value: bool,
}

impl<'e> Shape<'e> {
    fn single(e: &'e Expr, is_path: bool) -> Self {
        Shape {
            steps: vec![Step {
                base: e,
                preds: Vec::new(),
                sort: None,
                in_dot: false,
                focus: false,
            }],
            is_path,
            converted: false,
            groups: Vec::new(),
            step_groups: Vec::new(),
            grouped_value: false,
        }
    }
}

/// The innermost value under postfix operators: `1` in `1[0]@$x`.
fn core(e: &Expr) -> &Expr {
    let mut e = e;
    loop {
        e = match &e.kind {
            ExprKind::Filter { base, .. }
            | ExprKind::Group { base, .. }
            | ExprKind::Sort { base, .. }
            | ExprKind::Focus { base, .. }
            | ExprKind::Index { base, .. } => base,
            _ => return e,
        };
    }
}

/// Is `e` a number literal for JSONata, which folds `-` into numbers and
/// keeps a number a number under predicates, groupings and `@` bindings?
fn number_literal(e: &Expr) -> Option<f64> {
    let mut e = e;
    let mut sign = 1.0;
    loop {
        e = match &e.kind {
            ExprKind::Number(v) => return Some(sign * v),
            ExprKind::Negate(x) => {
                sign = -sign;
                x
            }
            ExprKind::Filter { base, .. }
            | ExprKind::Group { base, .. }
            | ExprKind::Focus { base, .. } => base,
            _ => return None,
        };
    }
}

fn shape(e: &Expr) -> Result<Shape<'_>, Error> {
    guard(e.span)?;
    match &e.kind {
        ExprKind::Path(operands) => {
            let mut out = Shape {
                steps: Vec::with_capacity(operands.len()),
                is_path: true,
                converted: false,
                groups: Vec::new(),
                step_groups: Vec::new(),
                grouped_value: false,
            };
            for (i, op) in operands.iter().enumerate() {
                let c = core(op);
                let literal = match &c.kind {
                    ExprKind::Bool(b) => Some(b.to_string()),
                    ExprKind::Null => Some("null".to_string()),
                    _ => number_literal(c).map(format_number),
                };
                if let Some(lit) = literal {
                    return Err(Error::new(
                        "S0213",
                        format!("the literal `{lit}` cannot be a step of a path"),
                        c.span,
                    )
                    .with_help(format!(
                        "to read a field with this name, quote it in backticks: `` `{lit}` ``"
                    )));
                }
                let mut s = shape(op)?;
                if i == 0 {
                    out.converted = s.converted;
                }
                for st in &mut s.steps {
                    st.in_dot = true;
                }
                if s.is_path {
                    // The grouping of a path is the grouping of the whole path.
                    if !s.groups.is_empty() && !out.groups.is_empty() {
                        return Err(two_groups(op.span));
                    }
                    out.groups.append(&mut s.groups);
                } else {
                    // The grouping of another value stays with that value.
                    out.step_groups.append(&mut s.groups);
                }
                out.step_groups.append(&mut s.step_groups);
                out.steps.extend(s.steps);
            }
            Ok(out)
        }
        ExprKind::Name(_) => Ok(Shape::single(e, true)),
        ExprKind::Filter { base, predicate } => {
            let mut s = shape(base)?;
            if let Some(p) = predicate {
                if (!s.is_path && !s.groups.is_empty()) || s.grouped_value {
                    return Err(Error::new(
                        "S0209",
                        "a predicate `[…]` cannot follow a grouping `{…}` here",
                        p.span,
                    )
                    .with_help(
                        "wrap the grouped value in parentheses before filtering it: `(x{…})[…]`",
                    ));
                }
                if let Some(last) = s.steps.last_mut() {
                    last.preds.push(p);
                }
            }
            Ok(s)
        }
        ExprKind::Group { base, pairs } => {
            let mut s = shape(base)?;
            if !s.groups.is_empty() {
                return Err(two_groups(e.span));
            }
            s.groups.push(pairs);
            Ok(s)
        }
        ExprKind::Focus { base, var } => {
            let mut s = shape(base)?;
            if let Some(last) = s.steps.last_mut() {
                last.focus = true;
                if !last.preds.is_empty() {
                    return Err(Error::new(
                        "S0215",
                        "a context binding `@` must come before the predicates of its step",
                        var.span,
                    )
                    .with_help("move `@$var` before the `[…]`"));
                }
                if last.sort.is_some() {
                    return Err(Error::new(
                        "S0216",
                        "a context binding `@` must come before the sorting `^(…)` of its step",
                        var.span,
                    )
                    .with_help("move `@$var` before the `^(…)`"));
                }
            }
            Ok(s)
        }
        ExprKind::Index { base, .. } => {
            let mut s = shape(base)?;
            if !s.is_path {
                s.is_path = true;
                s.converted = true;
                s.grouped_value = !s.groups.is_empty();
                let groups = std::mem::take(&mut s.groups);
                s.step_groups.extend(groups);
            }
            Ok(s)
        }
        ExprKind::Sort { base, terms } => {
            let mut s = shape(base)?;
            if !s.is_path {
                s.is_path = true;
                s.converted = true;
                let groups = std::mem::take(&mut s.groups);
                s.step_groups.extend(groups);
            }
            s.steps.push(Step {
                base: e,
                preds: Vec::new(),
                sort: Some(terms),
                in_dot: false,
                focus: false,
            });
            Ok(s)
        }
        _ => Ok(Shape::single(e, false)),
    }
}

fn two_groups(span: TextRange) -> Error {
    Error::new("S0210", "a step can have only one grouping `{…}`", span)
        .with_help("wrap the first grouping in parentheses to group its result again: `(a{…}){…}`")
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// How many entries the walks of one expression may visit; past that the
/// check gives up (accepts) rather than spend quadratic time on hostile input.
const WALK_BUDGET: u64 = 1_000_000;

thread_local! {
    static BUDGET: std::cell::Cell<u64> = const { std::cell::Cell::new(WALK_BUDGET) };
    static GUARD: std::cell::Cell<Option<StackGuard>> = const { std::cell::Cell::new(None) };
}

/// Refuses to recurse further when the stack budget is spent.
fn guard(span: TextRange) -> Result<(), Error> {
    match GUARD.with(std::cell::Cell::get) {
        Some(g) if g.exceeded() => Err(super::parser::too_deep(span)),
        _ => Ok(()),
    }
}

/// The climb state along one path: its steps as entries, bottom first.
struct Climb {
    stack: Vec<Entry>,
    seeks: Vec<Seek>,
}

impl Climb {
    fn new() -> Self {
        Climb {
            stack: Vec::new(),
            seeks: Vec::new(),
        }
    }

    fn push(&mut self, e: Entry) {
        if let (Entry::Skip(n), Some(Entry::Skip(m))) = (e, self.stack.last_mut()) {
            *m = m.saturating_add(n);
            return;
        }
        self.stack.push(e);
    }

    /// A `%` step: it must find its parent, then later climbs pass over it.
    fn parent(&mut self, span: TextRange) -> Result<(), Error> {
        self.look(Seek { level: 1, span })?;
        self.push(Entry::Skip(1));
        Ok(())
    }

    /// A `%` looks `level` field steps back from the latest step.
    fn look(&mut self, s: Seek) -> Result<(), Error> {
        let mut level = s.level;
        if level == 0 {
            return Ok(());
        }
        for e in self.stack.iter().rev() {
            let spent = BUDGET.with(|b| {
                let left = b.get();
                b.set(left.saturating_sub(1));
                left == 0
            });
            if spent {
                return Ok(());
            }
            match *e {
                Entry::Field => {
                    level -= 1;
                    if level == 0 {
                        return Ok(());
                    }
                }
                Entry::Skip(n) => level = level.saturating_add(n),
                Entry::Stop(stop) => return Err(blocked(s.span, stop)),
            }
        }
        self.seeks.push(Seek {
            level,
            span: s.span,
        });
        Ok(())
    }

    fn apply(&mut self, effect: &Effect, span: TextRange) {
        match effect {
            Effect::Stop => self.push(Entry::Stop(span)),
            Effect::Steps(entries) => {
                for &e in entries {
                    self.push(e);
                }
            }
        }
    }

    fn finish(self) -> Analysis {
        Analysis {
            seeks: self.seeks,
            effect: Effect::Steps(self.stack),
        }
    }
}

/// The entries of an effect with climbs carried out: how many steps it
/// climbs beyond its start, and the steps that remain.
fn reduce(entries: &[Entry]) -> (u32, Vec<Entry>) {
    let mut pops = 0u32;
    let mut out: Vec<Entry> = Vec::new();
    for &e in entries {
        match e {
            Entry::Skip(n) => {
                for _ in 0..n {
                    if out.pop().is_none() {
                        pops = pops.saturating_add(1);
                    }
                }
            }
            e => out.push(e),
        }
    }
    (pops, out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum StepKind {
    Field,
    Parent,
    Block,
    Stop,
}

fn step_kind(step: &Step<'_>) -> StepKind {
    if step.sort.is_some() {
        return StepKind::Stop;
    }
    match &step.base.kind {
        ExprKind::Name(_) | ExprKind::Wildcard => StepKind::Field,
        // A string written as an operand of `.` is a field name.
        ExprKind::String(_) if step.in_dot => StepKind::Field,
        ExprKind::Parent => StepKind::Parent,
        ExprKind::Block(_) => StepKind::Block,
        _ => StepKind::Stop,
    }
}

/// Can the step itself provide the parent of its values to a predicate?
fn self_check(step: &Step<'_>, inner: &Effect, seek: TextRange) -> Result<(), Error> {
    let span = step.base.span;
    let kind = match step.base.kind {
        // A predicate sees the string, not the field it names.
        ExprKind::String(_) => StepKind::Stop,
        _ => step_kind(step),
    };
    let ok = match kind {
        StepKind::Field | StepKind::Parent => true,
        StepKind::Block => match inner {
            Effect::Stop => false,
            Effect::Steps(entries) => !matches!(reduce(entries).1.last(), Some(Entry::Stop(_))),
        },
        StepKind::Stop => false,
    };
    if ok {
        Ok(())
    } else {
        Err(blocked(seek, span))
    }
}

/// How far back from the step before it a predicate of a step must climb to
/// go `level` steps up from the step's own values.
fn predicate_level(kind: StepKind, inner: &Effect, level: u32) -> u32 {
    match (kind, inner) {
        // Through a `%` step or a block ending in `%`, the climb goes further.
        (StepKind::Parent, _) if level == 1 => 2,
        (StepKind::Block, Effect::Steps(entries)) if level == 1 => {
            let (pops, pushes) = reduce(entries);
            if pushes.is_empty() {
                1 + pops
            } else {
                0
            }
        }
        _ => level - 1,
    }
}

fn analyze(e: &Expr) -> Result<Analysis, Error> {
    guard(e.span)?;
    match &e.kind {
        ExprKind::Parent => Ok(Analysis {
            seeks: vec![Seek {
                level: 1,
                span: e.span,
            }],
            effect: Effect::Steps(vec![Entry::Skip(1)]),
        }),
        ExprKind::Name(_) | ExprKind::Wildcard => Ok(Analysis {
            seeks: Vec::new(),
            effect: Effect::Steps(vec![Entry::Field]),
        }),
        ExprKind::Path(_)
        | ExprKind::Filter { .. }
        | ExprKind::Group { .. }
        | ExprKind::Sort { .. }
        | ExprKind::Focus { .. }
        | ExprKind::Index { .. } => analyze_shape(&shape(e)?),
        ExprKind::Block(stmts) => analyze_block(stmts),
        ExprKind::Call { callee, args } => analyze_call(callee, args),
        // Climbs that JSONata does not follow out of these.
        ExprKind::Lambda { .. } | ExprKind::Apply { .. } | ExprKind::Transform { .. } => {
            analyze_children(e).map(|_| Analysis::stop(Vec::new()))
        }
        _ => analyze_children(e).map(Analysis::stop),
    }
}

fn analyze_block(stmts: &[Expr]) -> Result<Analysis, Error> {
    let mut seeks = Vec::new();
    // An empty block is invisible to a climb.
    let mut effect = Effect::Steps(Vec::new());
    for s in stmts {
        let a = analyze(s)?;
        seeks.extend(a.seeks);
        effect = a.effect;
    }
    Ok(Analysis { seeks, effect })
}

fn analyze_call(callee: &Expr, args: &[Expr]) -> Result<Analysis, Error> {
    // The climbs of the called value are not followed.
    analyze(callee)?;
    let mut seeks = Vec::new();
    for a in args {
        seeks.extend(analyze(a)?.seeks);
    }
    Ok(Analysis::stop(seeks))
}

/// The climbs leaving the children of `e`.
fn analyze_children(e: &Expr) -> Result<Vec<Seek>, Error> {
    let mut children: Vec<&Expr> = Vec::new();
    e.for_each_child(|c| children.push(c));
    let mut seeks = Vec::new();
    for c in children {
        seeks.extend(analyze(c)?.seeks);
    }
    Ok(seeks)
}

fn analyze_groups(shape: &Shape<'_>) -> Result<(), Error> {
    for pairs in shape.groups.iter().chain(&shape.step_groups) {
        for (k, v) in pairs.iter() {
            analyze(k)?;
            analyze(v)?;
        }
    }
    Ok(())
}

/// Is the predicate a lone `%` (with postfix operators)? JSONata ignores those.
fn bare_parent(p: &Expr) -> bool {
    matches!(core(p).kind, ExprKind::Parent)
}

fn analyze_shape(shape: &Shape<'_>) -> Result<Analysis, Error> {
    analyze_groups(shape)?;
    if !shape.is_path {
        let step = &shape.steps[0];
        let inner = analyze(step.base)?;
        let kind = step_kind(step);
        let mut seeks = inner.seeks;
        for p in &step.preds {
            if bare_parent(p) {
                continue;
            }
            for s in analyze(p)?.seeks {
                if s.level == 0 {
                    continue;
                }
                self_check(step, &inner.effect, s.span)?;
                seeks.push(Seek {
                    level: predicate_level(kind, &inner.effect, s.level),
                    span: s.span,
                });
            }
        }
        return Ok(Analysis {
            seeks,
            effect: inner.effect,
        });
    }
    let mut climb = Climb::new();
    for (i, step) in shape.steps.iter().enumerate() {
        let kind = step_kind(step);
        let inner = match (step.sort, kind) {
            (Some(terms), _) => {
                let mut seeks = Vec::new();
                for t in terms {
                    seeks.extend(analyze(&t.expr)?.seeks);
                }
                Analysis::stop(seeks)
            }
            (None, StepKind::Field) => Analysis::stop(Vec::new()),
            (None, StepKind::Parent) => Analysis::stop(Vec::new()),
            (None, _) => analyze(step.base)?,
        };
        // JSONata does not follow climbs out of the first step of a path,
        // except the one of a leading `%` step.
        if i > 0 {
            // A sorting step of a string turned into a path sees the string.
            let string_head = step.sort.is_some()
                && shape.converted
                && matches!(shape.steps[0].base.kind, ExprKind::String(_));
            if string_head {
                let mut seen = Climb {
                    stack: climb.stack.clone(),
                    seeks: Vec::new(),
                };
                if let Some(first) = seen.stack.first_mut() {
                    *first = Entry::Stop(shape.steps[0].base.span);
                }
                for &s in &inner.seeks {
                    seen.look(s)?;
                }
                climb.seeks.extend(seen.seeks);
            } else {
                for &s in &inner.seeks {
                    climb.look(s)?;
                }
            }
        }
        for p in &step.preds {
            if bare_parent(p) {
                continue;
            }
            for s in analyze(p)?.seeks {
                if s.level == 0 {
                    continue;
                }
                if i == 0 {
                    // JSONata does not follow these out of the first step,
                    // unless the step cannot have a parent at all.
                    self_check(step, &inner.effect, s.span)?;
                    continue;
                }
                self_check(step, &inner.effect, s.span)?;
                // A predicate sees the values of its own step: one level up
                // is the step before, except through a `%` step or a block
                // ending in `%`, which climb further.
                let level = predicate_level(kind, &inner.effect, s.level);
                climb.look(Seek {
                    level,
                    span: s.span,
                })?;
            }
        }
        // Of consecutive steps with context bindings, climbs see the first.
        if step.focus && i > 0 && shape.steps[i - 1].focus && kind != StepKind::Parent {
            continue;
        }
        match kind {
            StepKind::Field => climb.push(Entry::Field),
            StepKind::Parent if i == 0 && shape.converted => climb.push(Entry::Skip(1)),
            StepKind::Parent => climb.parent(step.base.span)?,
            StepKind::Block => climb.apply(&inner.effect, step.base.span),
            StepKind::Stop => climb.push(Entry::Stop(step.base.span)),
        }
    }
    Ok(climb.finish())
}
