//! JSONata 2.0: the expression language of Step Functions states whose query
//! language is JSONata (Step Functions runs JSONata 2.0.6).
//!
//! [`parse`] reads an expression into a spanned [`ast::Expr`] and applies the
//! checks JSONata itself makes when it compiles one, so an expression is
//! accepted here exactly when `jsonata(expression)` accepts it (the test
//! `tests/jsonata_differential.rs` compares the two). [`template`] finds the
//! expression inside a `{% … %}` string field.
//!
//! Written from the JSONata documentation and from the observable behaviour of
//! the reference implementation, not from its code.

pub mod analysis;
pub mod ast;
mod check;
mod lexer;
mod parser;
pub mod regex;
pub mod signature;

pub use ast::{Expr, ExprKind};
pub use parser::{MAX_DEPTH, MAX_HEIGHT};

use crate::syntax::TextRange;
use std::fmt;

/// Why an expression is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The JSONata error code of the same failure (`S0202` …), for reference.
    pub code: &'static str,
    /// Lowercase, no trailing period.
    pub message: String,
    /// The offending character or token, in bytes from the start of the
    /// expression (empty at the end of the expression).
    pub span: TextRange,
    pub help: Option<String>,
    /// A second place involved: the bracket left open, the step that stops `%`.
    pub related: Option<(TextRange, &'static str)>,
}

impl Error {
    pub(crate) fn new(code: &'static str, message: impl Into<String>, span: TextRange) -> Self {
        Error {
            code,
            message: message.into(),
            span,
            help: None,
            related: None,
        }
    }
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// The byte offset of the offending character.
    pub fn offset(&self) -> usize {
        self.span.start()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset())?;
        if let Some((r, what)) = self.related {
            write!(f, " ({what} at offset {})", r.start())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Parses a JSONata expression.
pub fn parse(expr: &str) -> Result<Expr, Error> {
    parser::parse(expr)
}

/// How much stack the parser and its checks may use, whatever the build's
/// frame sizes: deeper input is refused as too deeply nested. Worker threads
/// have 2 MiB; this leaves ample room to the caller.
pub(crate) const STACK_BUDGET: usize = 512 * 1024;

/// Measures the stack used since its creation, by the address of a local.
#[derive(Clone, Copy)]
pub(crate) struct StackGuard {
    base: usize,
}

impl StackGuard {
    #[inline(never)]
    pub(crate) fn new() -> Self {
        let marker = 0u8;
        StackGuard {
            base: std::hint::black_box(&marker) as *const u8 as usize,
        }
    }
    #[inline(never)]
    pub(crate) fn exceeded(&self) -> bool {
        let marker = 0u8;
        let here = std::hint::black_box(&marker) as *const u8 as usize;
        here.abs_diff(self.base) > STACK_BUDGET
    }
}

/// What a string field holds, as Step Functions reads it in a JSONata state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template<'s> {
    /// `{% expression %}`: the text between the delimiters and its byte
    /// offset in the string.
    Expression { text: &'s str, offset: usize },
    /// Meant as an expression but not delimited right: opens with `{%`
    /// without closing with `%}`, closes without opening, or has whitespace
    /// outside the delimiters.
    Malformed(Malformed),
    /// A plain string.
    Literal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Starts with `{%` but does not end with `%}`.
    Unclosed,
    /// Ends with ` %}` (or holds `{%` and ends with `%}`) but does not start
    /// with `{%`.
    Unopened,
    /// `{% … %}` with whitespace before or after it.
    OuterWhitespace,
}

/// Classifies a string field: the whole string must be `{%` … `%}`.
pub fn template(s: &str) -> Template<'_> {
    if s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}") {
        return Template::Expression {
            text: &s[2..s.len() - 2],
            offset: 2,
        };
    }
    let t = s.trim();
    if t.len() != s.len() && t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}") {
        return Template::Malformed(Malformed::OuterWhitespace);
    }
    if s.starts_with("{%") {
        Template::Malformed(Malformed::Unclosed)
    } else if t.ends_with("%}")
        && (t.contains("{%") || t[..t.len() - 2].ends_with(char::is_whitespace))
    {
        Template::Malformed(Malformed::Unopened)
    } else {
        Template::Literal
    }
}

#[cfg(test)]
mod tests;
