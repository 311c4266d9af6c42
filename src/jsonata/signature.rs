//! A check of lambda signatures, `function($a, $b)<n-s?:s>{ … }`.
//!
//! The signature lists one type per parameter: `a` array, `b` boolean, `f`
//! function, `j` JSON, `l` null, `n` number, `o` object, `s` string, `x` any,
//! `(…)` a choice of types; `a<…>` and `f<…>` take type parameters. Each type
//! may be followed by `?` (optional), `+` (one or more) or `-` (taken from the
//! context); `:` introduces the return type. JSONata checks the parameter list
//! when it reads the lambda: type parameters on other types, parameterised
//! types inside a choice, and stacked modifiers it cannot express are errors.
//! Other characters are ignored, as JSONata ignores them.

/// Why a signature is refused: a message and the offset (in the signature
/// text) of the offending character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureError {
    pub code: &'static str,
    pub offset: usize,
    pub message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    /// A single type letter.
    Type(char),
    /// A choice group.
    Choice,
}

const TYPES: &str = "abfjlnosx";

/// Checks the signature text, `<` and `>` included.
pub fn validate(sig: &str) -> Result<(), SignatureError> {
    let inner = sig
        .strip_prefix('<')
        .map(|s| s.strip_suffix('>').unwrap_or(s))
        .unwrap_or(sig);
    let base = usize::from(sig.starts_with('<'));
    let chars: Vec<(usize, char)> = inner.char_indices().collect();
    let mut last: Option<Param> = None;
    // Modifiers of the last parameter, as quantifiers: `?`/`-` → `?`, `+` → `+`.
    let mut modifiers = String::new();
    let mut modifiers_at = 0;
    let mut i = 0;
    let check_modifiers = |mods: &str, at: usize| -> Result<(), SignatureError> {
        // One quantifier, optionally made lazy by a following `?`.
        if matches!(mods, "" | "?" | "+" | "??" | "+?") {
            Ok(())
        } else {
            Err(SignatureError {
                code: "S0400",
                offset: base + at,
                message: format!("the modifiers `{mods}` cannot be combined on one parameter"),
            })
        }
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            ':' => break,
            '(' => {
                check_modifiers(&modifiers, modifiers_at)?;
                modifiers.clear();
                // A choice group runs to the next `)`; its content is types only.
                let mut j = i + 1;
                while j < chars.len() && chars[j].1 != ')' {
                    if chars[j].1 == '<' {
                        return Err(SignatureError {
                            code: "S0402",
                            offset: base + chars[j].0,
                            message: "a choice group `(…)` cannot hold a type with type parameters"
                                .into(),
                        });
                    }
                    j += 1;
                }
                last = Some(Param::Choice);
                i = j + 1;
                continue;
            }
            '<' => {
                if !matches!(last, Some(Param::Type('a' | 'f'))) {
                    return Err(SignatureError {
                        code: "S0401",
                        offset: base + at,
                        message:
                            "type parameters `<…>` can only follow `a` (array) or `f` (function)"
                                .into(),
                    });
                }
                // Skip to the matching `>`; what is inside is not checked.
                let mut depth = 0usize;
                while i < chars.len() {
                    match chars[i].1 {
                        '<' => depth += 1,
                        '>' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            '?' | '-' | '+' if last.is_some() => {
                if modifiers.is_empty() {
                    modifiers_at = at;
                }
                modifiers.push(if c == '+' { '+' } else { '?' });
            }
            c if TYPES.contains(c) => {
                check_modifiers(&modifiers, modifiers_at)?;
                modifiers.clear();
                last = Some(Param::Type(c));
            }
            _ => {}
        }
        i += 1;
    }
    check_modifiers(&modifiers, modifiers_at)
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn signatures() {
        for ok in [
            "<n:n>",
            "<n-:n>",
            "<>",
            "<a<n>:a<n>>",
            "<f<n:n>>",
            "<(ns)?>",
            "<n?>",
            "<n+>",
            "<n+?>",
            "<n??>",
            "<a<n>?<n>>",
            "<q++>",
            "<n:n++>",
            "<(n++)>",
            "<?+>",
            "<aq<n>>",
            "<(n>",
            "<x-:x>",
            "<s-n?:s>",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
        for bad in [
            "<n?+>",
            "<n++>",
            "<n-+>",
            "<a<n>++>",
            "<(ns)++>",
            "<o<n>>",
            "<n<n>>",
            "<<n>>",
            "<(sa<n>)>",
            "<(a)<n>>",
            "<n-<n>>",
            "<nn++>",
            "<n???>",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
