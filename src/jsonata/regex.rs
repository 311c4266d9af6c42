//! A syntax check of JSONata regular expressions.
//!
//! JSONata hands `/pattern/flags` to the host's regular-expression engine when
//! it parses the expression, so a pattern that engine refuses is a parse
//! error. Step Functions runs JSONata on JavaScript, whose patterns (without
//! the `u` flag, which JSONata never sets) follow ECMAScript with the web
//! compatibility grammar of its Annex B: a lone `]`, `{` or `}` is a literal
//! character, unknown escapes stand for themselves, lookaheads may be
//! quantified. This checks that grammar; it does not compile the pattern.
//! Iterative, so deeply nested groups cannot overflow the stack.

/// Why a pattern is refused, at a byte offset of the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegexError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

fn err(offset: usize, len: usize, message: impl Into<String>) -> RegexError {
    RegexError {
        offset,
        len,
        message: message.into(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of an alternative: nothing to repeat.
    Nothing,
    /// An atom (or a lookahead, which Annex B lets be quantified).
    Atom,
    /// `^`, `$`, `\b`, `\B`.
    Assertion,
    /// A lookbehind group.
    Lookbehind,
    /// A quantified term.
    Quantified,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Plain,
    Lookahead,
    Lookbehind,
}

struct Scanner<'p> {
    chars: Vec<(usize, char)>,
    pattern: &'p str,
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).map(|&(_, c)| c)
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).map(|&(_, c)| c)
    }
    fn offset(&self) -> usize {
        self.chars
            .get(self.i)
            .map_or(self.pattern.len(), |&(o, _)| o)
    }
    fn offset_of(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.pattern.len(), |&(o, _)| o)
    }
    /// Reads `{n}`, `{n,}` or `{n,m}` at the cursor without consuming it;
    /// returns the length in chars and the bounds.
    fn braced_quantifier(&self) -> Option<(usize, u128, Option<u128>)> {
        let mut j = self.i + 1;
        let read_int = |j: &mut usize| -> Option<u128> {
            let start = *j;
            let mut v: u128 = 0;
            while let Some(&(_, c)) = self.chars.get(*j) {
                let Some(d) = c.to_digit(10) else { break };
                v = v.saturating_mul(10).saturating_add(u128::from(d));
                *j += 1;
            }
            (*j > start).then_some(v)
        };
        let min = read_int(&mut j)?;
        let mut max = Some(min);
        if self.chars.get(j).map(|&(_, c)| c) == Some(',') {
            j += 1;
            max = read_int(&mut j);
        }
        if self.chars.get(j).map(|&(_, c)| c) != Some('}') {
            return None;
        }
        Some((j + 1 - self.i, min, max))
    }
}

fn is_name_start(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphabetic()
}

fn is_name_continue(c: char) -> bool {
    is_name_start(c) || c.is_alphanumeric() || c == '\u{200c}' || c == '\u{200d}'
}

/// Checks `pattern` as a JavaScript regular expression without the `u` flag.
pub fn validate(pattern: &str) -> Result<(), RegexError> {
    let mut s = Scanner {
        chars: pattern.char_indices().collect(),
        pattern,
        i: 0,
    };
    let mut groups: Vec<(Group, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // `\k` escapes: Some(name) for `\k<name>`, None for a bare `\k`.
    let mut references: Vec<(usize, Option<String>)> = Vec::new();
    let mut last = Last::Nothing;
    while let Some(c) = s.peek() {
        let at = s.offset();
        match c {
            '|' => {
                s.i += 1;
                last = Last::Nothing;
            }
            '(' => {
                s.i += 1;
                let kind = if s.peek() == Some('?') {
                    match (s.peek_at(1), s.peek_at(2)) {
                        (Some(':'), _) => {
                            s.i += 2;
                            Group::Plain
                        }
                        (Some('=' | '!'), _) => {
                            s.i += 2;
                            Group::Lookahead
                        }
                        (Some('<'), Some('=' | '!')) => {
                            s.i += 3;
                            Group::Lookbehind
                        }
                        (Some('<'), _) => {
                            s.i += 2;
                            let name = group_name(&mut s)
                                .ok_or_else(|| err(at, 1, "invalid capture group name"))?;
                            if names.contains(&name) {
                                return Err(err(
                                    at,
                                    1,
                                    format!("duplicate capture group name `{name}`"),
                                ));
                            }
                            names.push(name);
                            Group::Plain
                        }
                        _ => return Err(err(at, 2, "invalid group")),
                    }
                } else {
                    Group::Plain
                };
                groups.push((kind, at));
                last = Last::Nothing;
            }
            ')' => {
                let Some((kind, _)) = groups.pop() else {
                    return Err(err(at, 1, "unmatched `)`"));
                };
                s.i += 1;
                last = if kind == Group::Lookbehind {
                    Last::Lookbehind
                } else {
                    Last::Atom
                };
            }
            '[' => {
                class(&mut s)?;
                last = Last::Atom;
            }
            '*' | '+' | '?' => {
                quantify(last, at, 1)?;
                s.i += 1;
                if s.peek() == Some('?') {
                    s.i += 1;
                }
                last = Last::Quantified;
            }
            '{' => match s.braced_quantifier() {
                Some((len, min, max)) => {
                    let len_bytes = s.offset_of(s.i + len) - at;
                    quantify(last, at, len_bytes)?;
                    if max.is_some_and(|m| m < min) {
                        return Err(err(
                            at,
                            len_bytes,
                            "numbers out of order in `{}` quantifier",
                        ));
                    }
                    s.i += len;
                    if s.peek() == Some('?') {
                        s.i += 1;
                    }
                    last = Last::Quantified;
                }
                None => {
                    s.i += 1;
                    last = Last::Atom;
                }
            },
            '^' | '$' => {
                s.i += 1;
                last = Last::Assertion;
            }
            '\\' => {
                s.i += 1;
                match s.peek() {
                    None => return Err(err(at, 1, "`\\` at the end of the pattern")),
                    Some('b' | 'B') => {
                        s.i += 1;
                        last = Last::Assertion;
                    }
                    Some('k') => {
                        s.i += 1;
                        let name = if s.peek() == Some('<') {
                            s.i += 1;
                            group_name(&mut s)
                        } else {
                            None
                        };
                        references.push((at, name));
                        last = Last::Atom;
                    }
                    Some(_) => {
                        s.i += 1;
                        last = Last::Atom;
                    }
                }
            }
            _ => {
                s.i += 1;
                last = Last::Atom;
            }
        }
    }
    if let Some(&(_, at)) = groups.last() {
        return Err(err(at, 1, "unterminated group"));
    }
    if !names.is_empty() {
        for (at, name) in references {
            match name {
                None => return Err(err(at, 2, "invalid named reference")),
                Some(n) if !names.contains(&n) => {
                    return Err(err(
                        at,
                        2,
                        format!("reference to an unknown capture group `{n}`"),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

fn quantify(last: Last, at: usize, len: usize) -> Result<(), RegexError> {
    match last {
        Last::Atom => Ok(()),
        Last::Lookbehind => Err(err(at, len, "a lookbehind cannot be quantified")),
        Last::Nothing | Last::Assertion | Last::Quantified => {
            Err(err(at, len, "nothing to repeat"))
        }
    }
}

/// Reads a group name up to `>` (consumed). `None` if it is not a valid name.
fn group_name(s: &mut Scanner<'_>) -> Option<String> {
    let mut name = String::new();
    loop {
        let c = s.peek()?;
        s.i += 1;
        let c = match c {
            '>' => break,
            '\\' => {
                if s.peek() != Some('u') {
                    return None;
                }
                s.i += 1;
                let mut v = 0u32;
                for _ in 0..4 {
                    v = v * 16 + s.peek()?.to_digit(16)?;
                    s.i += 1;
                }
                char::from_u32(v)?
            }
            c => c,
        };
        let ok = if name.is_empty() {
            is_name_start(c)
        } else {
            is_name_continue(c)
        };
        if !ok {
            return None;
        }
        name.push(c);
    }
    (!name.is_empty()).then_some(name)
}

/// One element of a character class.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClassAtom {
    /// A UTF-16 code unit.
    Unit(u32),
    /// `\d`, `\w`, `\s` and their negations.
    Set,
    /// An unescaped `-`.
    Dash,
}

/// Reads `[...]` at the cursor and checks its ranges.
fn class(s: &mut Scanner<'_>) -> Result<(), RegexError> {
    let open = s.offset();
    s.i += 1;
    if s.peek() == Some('^') {
        s.i += 1;
    }
    let mut atoms: Vec<(ClassAtom, usize)> = Vec::new();
    loop {
        let Some(c) = s.peek() else {
            return Err(err(open, 1, "unterminated character class"));
        };
        let at = s.offset();
        s.i += 1;
        match c {
            ']' => break,
            '-' => atoms.push((ClassAtom::Dash, at)),
            '\\' => {
                let atom =
                    class_escape(s).ok_or_else(|| err(at, 1, "`\\` at the end of the pattern"))?;
                atoms.push((atom, at));
            }
            c => {
                let v = c as u32;
                if v > 0xFFFF {
                    // Without the `u` flag JavaScript sees two code units.
                    let v = v - 0x10000;
                    atoms.push((ClassAtom::Unit(0xD800 + (v >> 10)), at));
                    atoms.push((ClassAtom::Unit(0xDC00 + (v & 0x3FF)), at));
                } else {
                    atoms.push((ClassAtom::Unit(v), at));
                }
            }
        }
    }
    let unit = |a: ClassAtom| match a {
        ClassAtom::Unit(u) => Some(u),
        ClassAtom::Dash => Some('-' as u32),
        ClassAtom::Set => None,
    };
    let mut i = 0;
    while i < atoms.len() {
        if i + 2 < atoms.len() && atoms[i + 1].0 == ClassAtom::Dash {
            if let (Some(a), Some(b)) = (unit(atoms[i].0), unit(atoms[i + 2].0)) {
                if a > b {
                    let start = atoms[i].1;
                    let end = s.offset_of(s.i).max(start);
                    return Err(err(
                        start,
                        end - start,
                        "range out of order in character class",
                    ));
                }
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// The atom of an escape inside a class (the `\` already read).
fn class_escape(s: &mut Scanner<'_>) -> Option<ClassAtom> {
    let c = s.peek()?;
    s.i += 1;
    let hex = |s: &mut Scanner<'_>, n: usize| -> Option<u32> {
        let mut v = 0;
        for k in 0..n {
            v = v * 16 + s.peek_at(k)?.to_digit(16)?;
        }
        s.i += n;
        Some(v)
    };
    Some(match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => ClassAtom::Set,
        'b' => ClassAtom::Unit(8),
        't' => ClassAtom::Unit(9),
        'n' => ClassAtom::Unit(10),
        'v' => ClassAtom::Unit(11),
        'f' => ClassAtom::Unit(12),
        'r' => ClassAtom::Unit(13),
        'c' => match s.peek() {
            Some(l) if l.is_ascii_alphanumeric() || l == '_' => {
                s.i += 1;
                ClassAtom::Unit(l as u32 % 32)
            }
            // `\c` not followed by a control letter is a literal backslash;
            // the `c` is read again as the next atom.
            _ => {
                s.i -= 1;
                ClassAtom::Unit('\\' as u32)
            }
        },
        'x' => ClassAtom::Unit(hex(s, 2).unwrap_or('x' as u32)),
        'u' => ClassAtom::Unit(hex(s, 4).unwrap_or('u' as u32)),
        '0'..='7' => {
            // Legacy octal: up to three digits, at most 0o377.
            let mut v = c.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match s.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) if v * 8 + d <= 0o377 => {
                        v = v * 8 + d;
                        s.i += 1;
                    }
                    _ => break,
                }
            }
            ClassAtom::Unit(v)
        }
        c => {
            let v = c as u32;
            ClassAtom::Unit(if v > 0xFFFF {
                0xD800 + ((v - 0x10000) >> 10)
            } else {
                v
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_web_compatible_patterns() {
        for p in [
            "a",
            "a|",
            "|",
            "[]",
            "[^]",
            "a{,2}",
            "{}",
            "]",
            "a{2,}",
            "\\k",
            "(?=a)*",
            "a+?",
            "a{1,2}?",
            "[\\d-z]",
            "[a-\\d]",
            "\\c",
            "\\u12",
            "(?<n>a)\\k<n>",
            "(?:)",
            "()",
            "[\\b]",
            "\\1",
            "x{99999999999}",
            "(?<é>x)",
            "[-a-]",
            "[a-c-e]",
            "\\/",
        ] {
            assert_eq!(validate(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn refuses_what_javascript_refuses() {
        for p in [
            "(]",
            "[)",
            "a)(",
            "{2}",
            "^*",
            "$*",
            "\\b*",
            "(?<=a)*",
            "a|*",
            "(*)",
            "(?<1>a)",
            "(?<n>a)(?<n>b)",
            "\\k<m>(?<n>a)",
            "(?<n>a)\\k",
            "(?<n>a)\\k<n",
            "a{2}{3}",
            "a{2}*",
            "a???",
            "(?a)",
            "[z-a]",
            "a{2,1}",
            "+",
            "a**",
            "((a)",
        ] {
            assert!(validate(p).is_err(), "{p}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let p = "(".repeat(100_000) + &")".repeat(100_000);
        assert_eq!(validate(&p), Ok(()));
    }
}
