//! Tokens of JSONata, read one at a time on the parser's demand.
//!
//! `/` is ambiguous: it divides after an operand and opens a regular
//! expression where an operand is expected. The parser knows which, so it
//! tells the lexer with each request ([`Lexer::next`]`(regex_allowed)`).

use super::{regex, Error};
use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Dot,
    DotDot,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    At,
    Hash,
    Semicolon,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    Pipe,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Caret,
    Amp,
    /// `:=`
    Bind,
    /// `~>`
    Chain,
}

impl Op {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Op::Dot => ".",
            Op::DotDot => "..",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LBrace => "{",
            Op::RBrace => "}",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Comma => ",",
            Op::At => "@",
            Op::Hash => "#",
            Op::Semicolon => ";",
            Op::Colon => ":",
            Op::Question => "?",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::StarStar => "**",
            Op::Slash => "/",
            Op::Percent => "%",
            Op::Pipe => "|",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Caret => "^",
            Op::Amp => "&",
            Op::Bind => ":=",
            Op::Chain => "~>",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    End,
    Op(Op),
    /// A name as written (`and`, `or`, `in`, `true`, `function` … included:
    /// the parser decides what they mean where they stand).
    Name(String),
    /// A name in backticks.
    QuotedName(String),
    /// `$name` without the `$`.
    Var(String),
    Str(String),
    Num(f64),
    Regex {
        pattern: String,
        flags: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: TextRange,
}

impl Token {
    pub(crate) fn is_op(&self, op: Op) -> bool {
        self.tok == Tok::Op(op)
    }
    /// How the token reads in a message: `` `)` ``, `end of expression`.
    pub(crate) fn describe(&self) -> String {
        match &self.tok {
            Tok::End => "end of expression".to_string(),
            Tok::Op(op) => format!("`{}`", op.as_str()),
            Tok::Name(n) => format!("name `{n}`"),
            Tok::QuotedName(n) => format!("name `{n}`"),
            Tok::Var(n) => format!("variable `${n}`"),
            Tok::Str(s) => {
                // Long strings are cut, so that the message stays one line.
                let mut shown: String = s.chars().take(40).collect();
                if shown.len() < s.len() {
                    shown.push('…');
                }
                format!("string {shown:?}")
            }
            Tok::Num(n) => format!("number {n}"),
            Tok::Regex { .. } => "regular expression".to_string(),
        }
    }
}

/// Whitespace as JSONata reads it: only these five characters.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

/// Characters that end a name (operators and brackets).
pub(crate) fn is_operator_char(c: char) -> bool {
    matches!(
        c,
        '!' | '#'
            | '%'
            | '&'
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '<'
            | '='
            | '>'
            | '?'
            | '@'
            | '['
            | ']'
            | '^'
            | '{'
            | '|'
            | '}'
            | '~'
    )
}

fn is_name_char(c: char) -> bool {
    !is_space(c) && !is_operator_char(c)
}

pub(crate) struct Lexer<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Lexer<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Lexer { src, pos: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.src.get(self.pos + offset..)?.chars().next()
    }

    fn range(&self, start: usize) -> TextRange {
        TextRange::new(start, self.pos)
    }

    /// The next token. `regex_allowed` is true where an operand is expected.
    pub(crate) fn next(&mut self, regex_allowed: bool) -> Result<Token, Error> {
        self.skip_space_and_comments()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Token {
                tok: Tok::End,
                span: TextRange::empty(start),
            });
        };
        if c == '/' && regex_allowed {
            return self.regex();
        }
        if let Some(op) = self.operator(c)? {
            return Ok(Token {
                tok: Tok::Op(op),
                span: self.range(start),
            });
        }
        let tok = match c {
            '"' | '\'' => Tok::Str(self.string(c)?),
            '`' => {
                self.pos += 1;
                match self.src[self.pos..].find('`') {
                    Some(i) => {
                        let name = self.src[self.pos..self.pos + i].to_string();
                        self.pos += i + 1;
                        Tok::QuotedName(name)
                    }
                    None => {
                        return Err(Error::new(
                            "S0105",
                            "quoted name is not closed: expected a closing backtick (`)",
                            TextRange::new(start, start + 1),
                        ))
                    }
                }
            }
            '0'..='9' => self.number()?,
            '$' => {
                self.pos += 1;
                Tok::Var(self.name_chars().to_string())
            }
            _ => Tok::Name(self.name_chars().to_string()),
        };
        Ok(Token {
            tok,
            span: self.range(start),
        })
    }

    fn skip_space_and_comments(&mut self) -> Result<(), Error> {
        loop {
            while self.peek().is_some_and(is_space) {
                self.pos += 1;
            }
            if self.src[self.pos..].starts_with("/*") {
                let start = self.pos;
                match self.src[self.pos + 2..].find("*/") {
                    Some(i) => self.pos += 2 + i + 2,
                    None => {
                        return Err(Error::new(
                            "S0106",
                            "comment is not closed: expected `*/`",
                            TextRange::new(start, start + 2),
                        ))
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn operator(&mut self, c: char) -> Result<Option<Op>, Error> {
        let next = self.peek_at(1);
        let (op, len) = match (c, next) {
            ('.', Some('.')) => (Op::DotDot, 2),
            ('.', _) => (Op::Dot, 1),
            ('[', _) => (Op::LBracket, 1),
            (']', _) => (Op::RBracket, 1),
            ('{', _) => (Op::LBrace, 1),
            ('}', _) => (Op::RBrace, 1),
            ('(', _) => (Op::LParen, 1),
            (')', _) => (Op::RParen, 1),
            (',', _) => (Op::Comma, 1),
            ('@', _) => (Op::At, 1),
            ('#', _) => (Op::Hash, 1),
            (';', _) => (Op::Semicolon, 1),
            (':', Some('=')) => (Op::Bind, 2),
            (':', _) => (Op::Colon, 1),
            ('?', _) => (Op::Question, 1),
            ('+', _) => (Op::Plus, 1),
            ('-', _) => (Op::Minus, 1),
            ('*', Some('*')) => (Op::StarStar, 2),
            ('*', _) => (Op::Star, 1),
            ('/', _) => (Op::Slash, 1),
            ('%', _) => (Op::Percent, 1),
            ('|', _) => (Op::Pipe, 1),
            ('=', _) => (Op::Eq, 1),
            ('!', Some('=')) => (Op::Ne, 2),
            ('<', Some('=')) => (Op::Le, 2),
            ('<', _) => (Op::Lt, 1),
            ('>', Some('=')) => (Op::Ge, 2),
            ('>', _) => (Op::Gt, 1),
            ('^', _) => (Op::Caret, 1),
            ('&', _) => (Op::Amp, 1),
            ('~', Some('>')) => (Op::Chain, 2),
            ('!' | '~', _) => {
                let help = if c == '!' {
                    "use `!=` for inequality or `$not(x)` for negation"
                } else {
                    "use `~>` to chain a function"
                };
                return Err(Error::new(
                    "S0204",
                    format!("unknown operator `{c}`"),
                    TextRange::new(self.pos, self.pos + 1),
                )
                .with_help(help));
            }
            _ => return Ok(None),
        };
        self.pos += len;
        Ok(Some(op))
    }

    fn name_chars(&mut self) -> &'s str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !is_name_char(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.src[start..self.pos]
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> Result<Tok, Error> {
        let start = self.pos;
        if self.peek() == Some('0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1 + sign;
                self.digits();
            }
        }
        let text = &self.src[start..self.pos];
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Tok::Num(v)),
            _ => Err(Error::new(
                "S0102",
                format!("number `{text}` is out of range"),
                self.range(start),
            )
            .with_help("numbers must fit in a 64-bit floating-point value")),
        }
    }

    fn string(&mut self, quote: char) -> Result<String, Error> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(Error::new(
                    "S0101",
                    format!("string is not closed: expected a closing {quote}"),
                    TextRange::new(start, start + 1),
                ));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            if c == quote {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else {
                return Err(Error::new(
                    "S0103",
                    "unsupported escape sequence `\\` at the end of the string",
                    TextRange::new(at, self.pos),
                ));
            };
            self.pos += e.len_utf8();
            match e {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '/' => out.push('/'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    let unit = self.hex4().ok_or_else(|| {
                        Error::new(
                            "S0104",
                            "`\\u` must be followed by 4 hexadecimal digits",
                            TextRange::new(at, self.pos),
                        )
                    })?;
                    if (0xD800..0xDC00).contains(&unit)
                        && self.src[self.pos..].starts_with("\\u")
                    {
                        let save = self.pos;
                        self.pos += 2;
                        match self.hex4() {
                            Some(low) if (0xDC00..0xE000).contains(&low) => {
                                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                continue;
                            }
                            _ => self.pos = save,
                        }
                    }
                    out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                }
                other => {
                    return Err(Error::new(
                        "S0103",
                        format!("unsupported escape sequence `\\{other}`"),
                        TextRange::new(at, self.pos),
                    )
                    .with_help(
                        "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; to get a quote inside a string, use the other kind of quote around it",
                    ))
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.src.get(self.pos..self.pos + 4)?;
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    fn regex(&mut self) -> Result<Token, Error> {
        let start = self.pos;
        self.pos += 1;
        let body_start = self.pos;
        // The closing `/` is the first one outside brackets and escapes.
        let mut depth: i64 = 0;
        let body_end = loop {
            let Some(c) = self.peek() else {
                return Err(Error::new(
                    "S0302",
                    "regular expression is not closed: expected a closing `/`",
                    TextRange::new(start, start + 1),
                ));
            };
            match c {
                '\\' => {
                    self.pos += 1;
                    if let Some(e) = self.peek() {
                        self.pos += e.len_utf8();
                    }
                    continue;
                }
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                '/' if depth == 0 => break self.pos,
                _ => {}
            }
            self.pos += c.len_utf8();
        };
        self.pos += 1;
        let pattern = self.src[body_start..body_end].to_string();
        if pattern.is_empty() {
            return Err(Error::new(
                "S0301",
                "empty regular expressions are not allowed",
                self.range(start),
            ));
        }
        let flags_start = self.pos;
        while matches!(self.peek(), Some('i' | 'm')) {
            self.pos += 1;
        }
        let flags = self.src[flags_start..self.pos].to_string();
        if flags.len() == 2 && flags.as_bytes()[0] == flags.as_bytes()[1] || flags.len() > 2 {
            return Err(Error::new(
                "S0302",
                format!("invalid regular expression flags `{flags}`: each flag may appear once"),
                self.range(flags_start),
            ));
        }
        if let Err(e) = regex::validate(&pattern) {
            let at = body_start + e.offset.min(pattern.len());
            let end = (at + e.len).min(body_end).max(at);
            return Err(Error::new(
                "S0302",
                format!("invalid regular expression: {}", e.message),
                TextRange::new(at, end),
            ));
        }
        Ok(Token {
            tok: Tok::Regex { pattern, flags },
            span: self.range(start),
        })
    }
}
