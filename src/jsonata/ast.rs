//! The syntax tree of a JSONata expression.
//!
//! Every node keeps the byte range it was read from, relative to the start of
//! the expression text. The tree is a plain syntax tree: `a.b[0]` is a
//! [`ExprKind::Path`] whose second step is a [`ExprKind::Filter`]; the
//! path/step view JSONata evaluates is derived from it where a check needs it.

use crate::syntax::TextRange;

/// A name with its range: a variable after `@`/`#`/`:=`, a lambda parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name without the leading `$`.
    pub name: String,
    /// The range of `$name`.
    pub span: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `&`, string concatenation.
    Concat,
    And,
    Or,
    In,
}

impl BinaryOp {
    /// How tightly the operator binds: operators of one precedence chain
    /// left to right.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 60,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Concat => 50,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In => 40,
            BinaryOp::And => 30,
            BinaryOp::Or => 25,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
        }
    }
}

/// One term of an order-by clause `^(<a, >b)`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortTerm {
    /// `>` sorts descending; `<` or nothing ascending.
    pub descending: bool,
    pub expr: Expr,
}

/// One item of an array constructor: a value or a range `a..b`.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    Value(Expr),
    Range(Expr, Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(f64),
    String(String),
    Bool(bool),
    Null,
    /// `/pattern/flags`.
    Regex {
        pattern: String,
        flags: String,
    },
    /// A field name, plain or in backticks.
    Name(String),
    /// `$name`; `$` is the empty name and `$$` the name `$`.
    Variable(String),
    /// `*`
    Wildcard,
    /// `**`
    Descendants,
    /// `%`
    Parent,
    /// `?` as a whole argument of a call: partial application.
    Placeholder,
    /// `-x`; a negated number literal is folded into [`ExprKind::Number`].
    Negate(Box<Expr>),
    /// `a + b - c`: operands joined by operators of one precedence, read
    /// left to right (`(a + b) - c`). A left-associative chain is one node,
    /// so that a long chain makes a wide tree, not a tall one.
    Binary {
        lhs: Box<Expr>,
        /// Each operator with the operand after it, in source order; never
        /// empty.
        rest: Vec<(BinaryOp, Expr)>,
    },
    /// `a.b.c`: the operands of a chain of `.`, flattened.
    Path(Vec<Expr>),
    /// `base[predicate]`; `base[]` has no predicate.
    Filter {
        base: Box<Expr>,
        predicate: Option<Box<Expr>>,
    },
    /// `base{key: value, …}`: grouping.
    Group {
        base: Box<Expr>,
        pairs: Vec<(Expr, Expr)>,
    },
    /// `base^(terms)`: sorting.
    Sort {
        base: Box<Expr>,
        terms: Vec<SortTerm>,
    },
    /// `base@$var`: context variable binding.
    Focus {
        base: Box<Expr>,
        var: Ident,
    },
    /// `base#$var`: positional variable binding.
    Index {
        base: Box<Expr>,
        var: Ident,
    },
    /// `callee(args)`.
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `function($a, $b)<sig>{ body }` or `λ(…){…}`.
    Lambda {
        params: Vec<Ident>,
        /// The signature text, `<` and `>` included, with its range.
        signature: Option<(String, TextRange)>,
        body: Box<Expr>,
    },
    /// `(a; b; c)`.
    Block(Vec<Expr>),
    /// `[a, b, 1..5]`.
    Array(Vec<ArrayItem>),
    /// `{key: value, …}`.
    Object(Vec<(Expr, Expr)>),
    /// `cond ? then : otherwise`.
    Condition {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Option<Box<Expr>>,
    },
    /// `$var := value`.
    Bind {
        var: Ident,
        value: Box<Expr>,
    },
    /// `lhs ~> rhs`: function application.
    Apply {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `| pattern | update, delete |`.
    Transform {
        pattern: Box<Expr>,
        update: Box<Expr>,
        delete: Option<Box<Expr>>,
    },
}

/// A node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// Byte range in the expression text.
    pub span: TextRange,
    /// 1 for a leaf, else 1 + the tallest child: bounds recursion over the tree.
    pub(crate) height: u32,
}

impl Expr {
    pub fn new(kind: ExprKind, span: TextRange) -> Expr {
        let mut e = Expr {
            kind,
            span,
            height: 1,
        };
        let mut h = 0;
        e.for_each_child(|c| h = h.max(c.height));
        e.height = h.saturating_add(1);
        e
    }

    /// The height of the tree below and including this node.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Calls `f` on each direct child, in source order.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        match &self.kind {
            ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Regex { .. }
            | ExprKind::Name(_)
            | ExprKind::Variable(_)
            | ExprKind::Wildcard
            | ExprKind::Descendants
            | ExprKind::Parent
            | ExprKind::Placeholder => {}
            ExprKind::Negate(e) => f(e),
            ExprKind::Binary { lhs, rest } => {
                f(lhs);
                rest.iter().for_each(|(_, e)| f(e));
            }
            ExprKind::Apply { lhs, rhs } => {
                f(lhs);
                f(rhs);
            }
            ExprKind::Path(steps) | ExprKind::Block(steps) => steps.iter().for_each(f),
            ExprKind::Filter { base, predicate } => {
                f(base);
                if let Some(p) = predicate {
                    f(p);
                }
            }
            ExprKind::Group { base, pairs } => {
                f(base);
                for (k, v) in pairs {
                    f(k);
                    f(v);
                }
            }
            ExprKind::Sort { base, terms } => {
                f(base);
                for t in terms {
                    f(&t.expr);
                }
            }
            ExprKind::Focus { base, .. } | ExprKind::Index { base, .. } => f(base),
            ExprKind::Call { callee, args } => {
                f(callee);
                args.iter().for_each(f);
            }
            ExprKind::Lambda { body, .. } => f(body),
            ExprKind::Array(items) => {
                for item in items {
                    match item {
                        ArrayItem::Value(v) => f(v),
                        ArrayItem::Range(a, b) => {
                            f(a);
                            f(b);
                        }
                    }
                }
            }
            ExprKind::Object(pairs) => {
                for (k, v) in pairs {
                    f(k);
                    f(v);
                }
            }
            ExprKind::Condition {
                cond,
                then,
                otherwise,
            } => {
                f(cond);
                f(then);
                if let Some(o) = otherwise {
                    f(o);
                }
            }
            ExprKind::Bind { value, .. } => f(value),
            ExprKind::Transform {
                pattern,
                update,
                delete,
            } => {
                f(pattern);
                f(update);
                if let Some(d) = delete {
                    f(d);
                }
            }
        }
    }

    /// Visits this node and every node below it, parents before children, in
    /// source order. Iterative: deep trees cannot overflow the stack.
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        let mut stack: Vec<&'a Expr> = vec![self];
        let mut children: Vec<&'a Expr> = Vec::new();
        while let Some(e) = stack.pop() {
            f(e);
            children.clear();
            e.for_each_child(|c| children.push(c));
            stack.extend(children.iter().rev());
        }
    }

    /// The node without enclosing single-statement blocks: `((x))` is `x`.
    pub fn unparenthesized(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Block(stmts) = &e.kind {
            match stmts.as_slice() {
                [only] => e = only,
                _ => break,
            }
        }
        e
    }
}
