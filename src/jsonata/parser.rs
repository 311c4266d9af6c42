//! A precedence-climbing (Pratt) parser for JSONata 2.0.
//!
//! Each token has a left binding power when it stands between two operands
//! (`+` 50, `.` 75 …) and a meaning of its own when it starts an operand
//! (`-` negation, `(` block, `[` array …). `expression(rbp)` reads an operand,
//! then keeps extending it with operators that bind tighter than `rbp`.
//! Recursion is bounded by [`MAX_DEPTH`] and trees by [`MAX_HEIGHT`], so no
//! input can exhaust the stack here or in later walks over the tree.

use super::ast::{ArrayItem, BinaryOp, Expr, ExprKind, Ident, SortTerm};
use super::lexer::{Lexer, Op, Tok, Token};
use super::{check, signature, Error, StackGuard};
use crate::syntax::TextRange;

/// How deeply the parser may recurse (brackets, operands of prefix operators).
pub const MAX_DEPTH: u32 = 256;
/// How tall a tree may be. A chain of operators of one precedence
/// (`1 + 1 + … + 1`) is one wide node and counts once.
pub const MAX_HEIGHT: u32 = 1000;

/// Parses a whole expression and checks the rules JSONata applies when it
/// reads one (steps of paths, variable bindings, the parent operator).
pub fn parse(src: &str) -> Result<Expr, Error> {
    let mut p = Parser {
        lx: Lexer::new(src),
        src,
        tok: Token {
            tok: Tok::End,
            span: TextRange::empty(0),
        },
        depth: 0,
        guard: StackGuard::new(),
    };
    p.advance(true)?;
    let e = p.expression(0)?;
    if p.tok.tok != Tok::End {
        let help = match p.tok.tok {
            Tok::Op(Op::Semicolon) => {
                Some("several expressions must be wrapped in a block: `( a; b )`")
            }
            Tok::Op(Op::DotDot) => Some("ranges `a..b` are only allowed inside an array: `[a..b]`"),
            _ => None,
        };
        let mut err = Error::new(
            "S0201",
            format!(
                "unexpected {} after the end of the expression",
                p.tok.describe()
            ),
            p.tok.span,
        );
        if let Some(h) = help {
            err = err.with_help(h);
        } else {
            err = err.with_help("is an operator missing between two operands?");
        }
        return Err(err);
    }
    check::check(&e)?;
    Ok(e)
}

struct Parser<'s> {
    lx: Lexer<'s>,
    src: &'s str,
    /// The current (not yet consumed) token.
    tok: Token,
    depth: u32,
    guard: StackGuard,
}

/// The left binding power of the current token as an infix operator.
fn infix_bp(tok: &Tok) -> u8 {
    match tok {
        Tok::Op(op) => match op {
            Op::LBracket | Op::LParen | Op::At | Op::Hash => 80,
            Op::Dot => 75,
            Op::LBrace => 70,
            Op::Star | Op::Slash | Op::Percent => 60,
            Op::Plus | Op::Minus | Op::Amp => 50,
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Chain | Op::Caret => 40,
            Op::Question => 20,
            Op::Bind => 10,
            _ => 0,
        },
        Tok::Name(n) => match n.as_str() {
            "in" => 40,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn binary_op(tok: &Tok) -> Option<BinaryOp> {
    Some(match tok {
        Tok::Op(Op::Plus) => BinaryOp::Add,
        Tok::Op(Op::Minus) => BinaryOp::Sub,
        Tok::Op(Op::Star) => BinaryOp::Mul,
        Tok::Op(Op::Slash) => BinaryOp::Div,
        Tok::Op(Op::Percent) => BinaryOp::Mod,
        Tok::Op(Op::Eq) => BinaryOp::Eq,
        Tok::Op(Op::Ne) => BinaryOp::Ne,
        Tok::Op(Op::Lt) => BinaryOp::Lt,
        Tok::Op(Op::Le) => BinaryOp::Le,
        Tok::Op(Op::Gt) => BinaryOp::Gt,
        Tok::Op(Op::Ge) => BinaryOp::Ge,
        Tok::Op(Op::Amp) => BinaryOp::Concat,
        Tok::Name(n) if n == "and" => BinaryOp::And,
        Tok::Name(n) if n == "or" => BinaryOp::Or,
        Tok::Name(n) if n == "in" => BinaryOp::In,
        _ => return None,
    })
}

fn cover(a: TextRange, b: TextRange) -> TextRange {
    a.cover(b)
}

impl Parser<'_> {
    /// Reads the next token. `regex` says whether a `/` there opens a regular
    /// expression (where an operand is expected) or divides.
    fn advance(&mut self, regex: bool) -> Result<(), Error> {
        self.tok = self.lx.next(regex)?;
        Ok(())
    }

    fn node(&self, kind: ExprKind, span: TextRange) -> Result<Expr, Error> {
        let e = Expr::new(kind, span);
        if e.height > MAX_HEIGHT {
            return Err(too_deep(span));
        }
        Ok(e)
    }

    /// Consumes `op`, which closes the bracket opened at `open`.
    fn close(&mut self, op: Op, open: TextRange, regex_after: bool) -> Result<TextRange, Error> {
        if self.tok.is_op(op) {
            let span = self.tok.span;
            self.advance(regex_after)?;
            return Ok(span);
        }
        Err(self.unclosed(op, open))
    }

    fn unclosed(&self, op: Op, open: TextRange) -> Error {
        let opener = self.src.get(open.start()..open.end()).unwrap_or("");
        let (code, found) = if self.tok.tok == Tok::End {
            ("S0203", "end of expression".to_string())
        } else {
            ("S0202", self.tok.describe())
        };
        let mut err = Error::new(
            code,
            format!(
                "expected `{}` to close `{opener}`, found {found}",
                op.as_str()
            ),
            self.tok.span,
        );
        err.related = Some((open, "opened here"));
        err
    }

    /// An operand inside brackets opened at `open`: at the end of the input,
    /// the missing closing bracket is the error to report.
    fn inner(&mut self, close: Op, open: TextRange) -> Result<Expr, Error> {
        if self.tok.tok == Tok::End {
            return Err(self.unclosed(close, open));
        }
        self.expression(0)
    }

    /// Consumes `op`, expected after `what`.
    fn expect(&mut self, op: Op, what: &str, regex_after: bool) -> Result<TextRange, Error> {
        if self.tok.is_op(op) {
            let span = self.tok.span;
            self.advance(regex_after)?;
            return Ok(span);
        }
        let code = if self.tok.tok == Tok::End {
            "S0203"
        } else {
            "S0202"
        };
        Err(Error::new(
            code,
            format!(
                "expected `{}` {what}, found {}",
                op.as_str(),
                self.tok.describe()
            ),
            self.tok.span,
        ))
    }

    fn expression(&mut self, rbp: u8) -> Result<Expr, Error> {
        if self.depth >= MAX_DEPTH || self.guard.exceeded() {
            return Err(too_deep(self.tok.span));
        }
        self.depth += 1;
        let r = self.expression_inner(rbp);
        self.depth -= 1;
        r
    }

    fn expression_inner(&mut self, rbp: u8) -> Result<Expr, Error> {
        let t = self.tok.clone();
        if t.tok != Tok::End {
            // After the first token of an operand, `/` divides.
            self.advance(false)?;
        }
        let mut left = self.prefix(t)?;
        loop {
            let bp = infix_bp(&self.tok.tok);
            if bp <= rbp {
                return Ok(left);
            }
            let t = self.tok.clone();
            // After an infix operator an operand is expected.
            self.advance(true)?;
            left = self.infix(t, bp, left)?;
        }
    }

    /// The operand that starts with `t` (already consumed).
    fn prefix(&mut self, t: Token) -> Result<Expr, Error> {
        let span = t.span;
        let kind = match t.tok {
            Tok::End => return Err(Error::new("S0207", "unexpected end of expression", span)),
            Tok::Num(v) => ExprKind::Number(v),
            Tok::Str(s) => ExprKind::String(s),
            Tok::Regex { pattern, flags } => ExprKind::Regex { pattern, flags },
            Tok::Var(v) => ExprKind::Variable(v),
            Tok::QuotedName(n) => ExprKind::Name(n),
            Tok::Name(n) => match n.as_str() {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                "null" => ExprKind::Null,
                _ => ExprKind::Name(n),
            },
            Tok::Op(op) => match op {
                Op::Minus => return self.negate(span),
                Op::Star => ExprKind::Wildcard,
                Op::StarStar => ExprKind::Descendants,
                Op::Percent => ExprKind::Parent,
                Op::LParen => return self.block(span),
                Op::LBracket => return self.array(span),
                Op::LBrace => return self.object(span),
                Op::Pipe => return self.transform(span),
                other => return Err(self.cannot_start(other, span)),
            },
        };
        self.node(kind, span)
    }

    fn negate(&mut self, op: TextRange) -> Result<Expr, Error> {
        let operand = self.expression(70)?;
        let span = cover(op, operand.span);
        match operand.kind {
            ExprKind::Number(v) => self.node(ExprKind::Number(-v), span),
            _ => self.node(ExprKind::Negate(Box::new(operand)), span),
        }
    }

    fn object(&mut self, open: TextRange) -> Result<Expr, Error> {
        let (pairs, close) = self.pairs(open)?;
        self.node(ExprKind::Object(pairs), cover(open, close))
    }

    fn block(&mut self, open: TextRange) -> Result<Expr, Error> {
        let mut stmts = Vec::new();
        if !self.tok.is_op(Op::RParen) {
            loop {
                stmts.push(self.inner(Op::RParen, open)?);
                if !self.tok.is_op(Op::Semicolon) {
                    break;
                }
                self.advance(true)?;
                if self.tok.is_op(Op::RParen) {
                    break;
                }
            }
        }
        let close = self.close(Op::RParen, open, false)?;
        self.node(ExprKind::Block(stmts), cover(open, close))
    }

    fn array(&mut self, open: TextRange) -> Result<Expr, Error> {
        let mut items = Vec::new();
        if !self.tok.is_op(Op::RBracket) {
            loop {
                let a = self.inner(Op::RBracket, open)?;
                if self.tok.is_op(Op::DotDot) {
                    self.advance(true)?;
                    let b = self.inner(Op::RBracket, open)?;
                    items.push(ArrayItem::Range(a, b));
                } else {
                    items.push(ArrayItem::Value(a));
                }
                if !self.tok.is_op(Op::Comma) {
                    break;
                }
                self.advance(true)?;
            }
        }
        let close = self.close(Op::RBracket, open, false)?;
        self.node(ExprKind::Array(items), cover(open, close))
    }

    /// `key: value, …}` after `{`; returns the pairs and the `}`.
    fn pairs(&mut self, open: TextRange) -> Result<(Vec<(Expr, Expr)>, TextRange), Error> {
        let mut pairs = Vec::new();
        if !self.tok.is_op(Op::RBrace) {
            loop {
                let key = self.inner(Op::RBrace, open)?;
                self.expect(Op::Colon, "between a key and its value", true)?;
                let value = self.inner(Op::RBrace, open)?;
                pairs.push((key, value));
                if !self.tok.is_op(Op::Comma) {
                    break;
                }
                self.advance(true)?;
            }
        }
        let close = self.close(Op::RBrace, open, false)?;
        Ok((pairs, close))
    }

    fn transform(&mut self, open: TextRange) -> Result<Expr, Error> {
        let pattern = self.inner(Op::Pipe, open)?;
        self.expect(
            Op::Pipe,
            "after the pattern of a transform `| pattern | update |`",
            true,
        )?;
        let update = self.expression(0)?;
        let delete = if self.tok.is_op(Op::Comma) {
            self.advance(true)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        let close = self.close(Op::Pipe, open, true)?;
        self.node(
            ExprKind::Transform {
                pattern: Box::new(pattern),
                update: Box::new(update),
                delete,
            },
            cover(open, close),
        )
    }

    /// Extends `left` with the infix operator `t` (already consumed). Each
    /// operator has its own function so that the frames on the recursion path
    /// stay small (deep input must not exhaust the stack).
    fn infix(&mut self, t: Token, bp: u8, left: Expr) -> Result<Expr, Error> {
        match t.tok {
            Tok::Op(Op::Dot) => self.infix_dot(left),
            Tok::Op(Op::LBracket) => self.infix_filter(left, t.span),
            Tok::Op(Op::LBrace) => self.infix_group(left, t.span),
            Tok::Op(Op::LParen) => self.call(left, t.span),
            Tok::Op(Op::Caret) => self.infix_sort(left),
            Tok::Op(Op::Question) => self.infix_condition(left),
            Tok::Op(Op::Bind) => self.infix_bind(left, bp),
            Tok::Op(Op::Chain) => self.infix_chain(left, bp),
            Tok::Op(op @ (Op::At | Op::Hash)) => self.infix_binding(left, op, bp),
            other => match binary_op(&other) {
                Some(op) => self.infix_binary(left, op, bp),
                None => Err(Error::new(
                    "S0201",
                    format!(
                        "unexpected {}",
                        Token {
                            tok: other,
                            span: t.span
                        }
                        .describe()
                    ),
                    t.span,
                )),
            },
        }
    }

    fn infix_dot(&mut self, left: Expr) -> Result<Expr, Error> {
        let rhs = self.expression(75)?;
        let span = cover(left.span, rhs.span);
        match left.kind {
            ExprKind::Path(mut steps) => {
                // Extend in place: recomputing the height over all steps
                // would make long paths quadratic.
                let height = left.height.max(rhs.height.saturating_add(1));
                steps.push(rhs);
                if height > MAX_HEIGHT {
                    return Err(too_deep(span));
                }
                Ok(Expr {
                    kind: ExprKind::Path(steps),
                    span,
                    height,
                })
            }
            _ => self.node(ExprKind::Path(vec![left, rhs]), span),
        }
    }

    fn infix_filter(&mut self, left: Expr, open: TextRange) -> Result<Expr, Error> {
        if self.tok.is_op(Op::RBracket) {
            let span = cover(left.span, self.tok.span);
            self.advance(true)?;
            return self.node(
                ExprKind::Filter {
                    base: Box::new(left),
                    predicate: None,
                },
                span,
            );
        }
        let predicate = Box::new(self.inner(Op::RBracket, open)?);
        let close = self.close(Op::RBracket, open, false)?;
        let span = cover(left.span, close);
        self.node(
            ExprKind::Filter {
                base: Box::new(left),
                predicate: Some(predicate),
            },
            span,
        )
    }

    fn infix_group(&mut self, left: Expr, open: TextRange) -> Result<Expr, Error> {
        let (pairs, close) = self.pairs(open)?;
        let span = cover(left.span, close);
        self.node(
            ExprKind::Group {
                base: Box::new(left),
                pairs,
            },
            span,
        )
    }

    fn infix_sort(&mut self, left: Expr) -> Result<Expr, Error> {
        let open = self.expect(Op::LParen, "after `^` (sorting is written `^(key)`)", true)?;
        let mut terms = Vec::new();
        loop {
            let descending = if self.tok.is_op(Op::Lt) {
                self.advance(true)?;
                false
            } else if self.tok.is_op(Op::Gt) {
                self.advance(true)?;
                true
            } else {
                false
            };
            let expr = self.inner(Op::RParen, open)?;
            terms.push(SortTerm { descending, expr });
            if !self.tok.is_op(Op::Comma) {
                break;
            }
            self.advance(true)?;
        }
        let close = self.close(Op::RParen, open, true)?;
        let span = cover(left.span, close);
        self.node(
            ExprKind::Sort {
                base: Box::new(left),
                terms,
            },
            span,
        )
    }

    fn infix_condition(&mut self, left: Expr) -> Result<Expr, Error> {
        let then = Box::new(self.expression(0)?);
        let otherwise = if self.tok.is_op(Op::Colon) {
            self.advance(true)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        let end = otherwise.as_ref().map_or(then.span, |o| o.span);
        let span = cover(left.span, end);
        self.node(
            ExprKind::Condition {
                cond: Box::new(left),
                then,
                otherwise,
            },
            span,
        )
    }

    fn infix_bind(&mut self, left: Expr, bp: u8) -> Result<Expr, Error> {
        let ExprKind::Variable(name) = &keep_array_base(&left).kind else {
            return Err(Error::new(
                "S0212",
                "the left side of `:=` must be a variable (`$name`)",
                left.span,
            )
            .with_help("only whole variables can be bound: `$name := value`"));
        };
        let var = Ident {
            name: name.clone(),
            span: left.span,
        };
        // Right-associative: `$a := $b := 1`.
        let value = Box::new(self.expression(bp - 1)?);
        let span = cover(left.span, value.span);
        self.node(ExprKind::Bind { var, value }, span)
    }

    fn infix_chain(&mut self, left: Expr, bp: u8) -> Result<Expr, Error> {
        let rhs = Box::new(self.expression(bp)?);
        let span = cover(left.span, rhs.span);
        self.node(
            ExprKind::Apply {
                lhs: Box::new(left),
                rhs,
            },
            span,
        )
    }

    fn infix_binding(&mut self, left: Expr, op: Op, bp: u8) -> Result<Expr, Error> {
        let rhs = self.expression(bp)?;
        let ExprKind::Variable(name) = &keep_array_base(&rhs).kind else {
            return Err(Error::new(
                "S0214",
                format!(
                    "the right side of `{}` must be a variable (`$name`)",
                    op.as_str()
                ),
                rhs.span,
            ));
        };
        let var = Ident {
            name: name.clone(),
            span: rhs.span,
        };
        let span = cover(left.span, rhs.span);
        let base = Box::new(left);
        let kind = if op == Op::At {
            ExprKind::Focus { base, var }
        } else {
            ExprKind::Index { base, var }
        };
        self.node(kind, span)
    }

    fn infix_binary(&mut self, left: Expr, op: BinaryOp, bp: u8) -> Result<Expr, Error> {
        let rhs = self.expression(bp)?;
        let mut left = left;
        // `a + b` followed by `- c`: the same precedence continues the chain
        // (a left operand that binds less tightly would have taken this
        // operator into its right operand).
        if let ExprKind::Binary { rest, .. } = &mut left.kind {
            if rest.first().is_some_and(|(o, _)| o.precedence() == bp) {
                let span = cover(left.span, rhs.span);
                let height = left.height.max(rhs.height.saturating_add(1));
                if height > MAX_HEIGHT {
                    return Err(too_deep(span));
                }
                rest.push((op, rhs));
                left.span = span;
                left.height = height;
                return Ok(left);
            }
        }
        let span = cover(left.span, rhs.span);
        self.node(
            ExprKind::Binary {
                lhs: Box::new(left),
                rest: vec![(op, rhs)],
            },
            span,
        )
    }

    /// `callee(args)`, or a lambda when the callee is `function` or `λ`.
    fn call(&mut self, callee: Expr, open: TextRange) -> Result<Expr, Error> {
        let mut args = Vec::new();
        if !self.tok.is_op(Op::RParen) {
            loop {
                if self.tok.is_op(Op::Question) {
                    // A whole argument `?`: partial application.
                    let span = self.tok.span;
                    self.advance(false)?;
                    args.push(self.node(ExprKind::Placeholder, span)?);
                } else {
                    args.push(self.inner(Op::RParen, open)?);
                }
                if !self.tok.is_op(Op::Comma) {
                    break;
                }
                self.advance(true)?;
            }
        }
        let close = self.close(Op::RParen, open, false)?;
        let is_lambda = matches!(&keep_array_base(&callee).kind, ExprKind::Name(n) if n == "function" || n == "λ");
        if !is_lambda {
            let span = cover(callee.span, close);
            return self.node(
                ExprKind::Call {
                    callee: Box::new(callee),
                    args,
                },
                span,
            );
        }
        let mut params = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            match &keep_array_base(a).kind {
                ExprKind::Variable(name) => params.push(Ident {
                    name: name.clone(),
                    span: a.span,
                }),
                _ => {
                    return Err(Error::new(
                        "S0208",
                        format!(
                            "parameter {} of the function definition must be a variable (`$name`)",
                            i + 1
                        ),
                        a.span,
                    ))
                }
            }
        }
        let signature = if self.tok.is_op(Op::Lt) {
            Some(self.signature()?)
        } else {
            None
        };
        self.expect(Op::LBrace, "to start the function body", true)?;
        let body = self.expression(0)?;
        let close = self.expect(Op::RBrace, "to end the function body", true)?;
        self.node(
            ExprKind::Lambda {
                params,
                signature,
                body: Box::new(body),
            },
            cover(callee.span, close),
        )
    }

    /// `<…>` after the parameters of a lambda (the current token is `<`). It
    /// runs to the matching `>`, read as ordinary tokens.
    fn signature(&mut self) -> Result<(String, TextRange), Error> {
        let open = self.tok.span;
        let mut text = String::from("<");
        let mut depth = 1u32;
        loop {
            self.advance(true)?;
            match &self.tok.tok {
                Tok::End | Tok::Op(Op::LBrace) => break,
                Tok::Str(s) => text.push_str(s),
                _ => text.push_str(
                    self.src
                        .get(self.tok.span.start()..self.tok.span.end())
                        .unwrap_or(""),
                ),
            }
            if self.tok.is_op(Op::Lt) {
                depth += 1;
            } else if self.tok.is_op(Op::Gt) {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
        }
        let close = self.close(Op::Gt, open, true)?;
        let span = cover(open, close);
        if let Err(e) = signature::validate(&text) {
            // Offsets in `text` match the source only when it has no spaces.
            let at = open.start() + e.offset;
            let written = self.src.get(open.start()..close.end()).unwrap_or("");
            let range = if written.len() == text.len() {
                TextRange::new(at, (at + 1).min(close.end()))
            } else {
                span
            };
            return Err(Error::new(
                e.code,
                format!("invalid function signature: {}", e.message),
                range,
            ));
        }
        Ok((text, span))
    }
}

/// `x` for `x[]`, `x[][]`: JSONata reads `[]` as a flag on the value.
fn keep_array_base(e: &Expr) -> &Expr {
    let mut e = e;
    while let ExprKind::Filter {
        base,
        predicate: None,
    } = &e.kind
    {
        e = base;
    }
    e
}

pub(crate) fn too_deep(span: TextRange) -> Error {
    Error::new("S0200", "expression is nested too deeply", span)
        .with_help("split it into smaller expressions bound to variables")
}

impl Parser<'_> {
    /// `op` where an operand should start, with advice for habits from other
    /// languages (`==`, `??`, `?:`, JSONPath filters).
    fn cannot_start(&self, op: Op, span: TextRange) -> Error {
        let before = self.src[..span.start()].trim_end();
        let prev = before.chars().last();
        let special = match (op, prev) {
            (Op::Question, Some('?')) => Some((
                "JSONata 2.0.6 has no `??` operator (it came in 2.1)",
                "use `$exists(x) ? x : fallback`",
            )),
            (Op::Colon, Some('?')) => Some((
                "JSONata 2.0.6 has no `?:` operator (it came in 2.1)",
                "use `x ? x : fallback`",
            )),
            (Op::Question, Some('[')) => Some((
                "`[?(…)]` is a JSONPath filter, not JSONata",
                "a JSONata predicate is the condition itself: `items[price > 10]`",
            )),
            (Op::Eq, Some('=')) => Some((
                "JSONata compares with a single `=`, not `==`",
                "write `a = b`",
            )),
            _ => None,
        };
        match special {
            Some((message, help)) => Error::new("S0211", message, span).with_help(help),
            None => cannot_start(op, span),
        }
    }
}

fn cannot_start(op: Op, span: TextRange) -> Error {
    let help = match op {
        Op::Question => Some("`?` is a placeholder only as a whole argument of a function call: `$f(?, 1)`"),
        Op::RParen | Op::RBracket | Op::RBrace => Some("is a value missing before it, or is there one closing bracket too many?"),
        Op::Comma => Some("is a value missing before the `,`?"),
        Op::Slash => Some("JSONata does not read a regular expression right after an opening `(`, `[`, `{`, `|` or a `-`; pass it as a function argument or bind it to a variable first"),
        _ => None,
    };
    let msg = if matches!(
        op,
        Op::RParen | Op::RBracket | Op::RBrace | Op::Comma | Op::Semicolon | Op::Colon
    ) {
        format!("unexpected `{}`: expected a value", op.as_str())
    } else {
        format!("`{}` cannot start an expression", op.as_str())
    };
    let e = Error::new("S0211", msg, span);
    match help {
        Some(h) => e.with_help(h),
        None => e,
    }
}
