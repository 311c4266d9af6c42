//! Deploy-time `${…}` placeholders: finding them in text and deciding whether
//! the deployment defines them.
//!
//! Three mechanisms fill a placeholder before Step Functions sees the
//! definition:
//!
//! - `DefinitionSubstitutions` of the state machine resource (CloudFormation
//!   and SAM): `${key}` anywhere in the definition, keys matched exactly;
//! - `Fn::Sub`: `${Name}` names a variable of its map, a template parameter, a
//!   resource (`${Res}` or `${Res.Attribute}`) or a pseudo parameter
//!   (`${AWS::Region}`); `${!Name}` is the literal text `${Name}`, left for
//!   `DefinitionSubstitutions`;
//! - tools outside the template (Terraform `templatefile`, the Serverless
//!   Framework's `${self:…}`), whose names asl-lint cannot know.
//!
//! Only the first two are checked, and only when the set of names is known.

use crate::syntax::json::placeholder_end;
use crate::syntax::TextRange;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The pseudo parameters CloudFormation defines in every template.
pub const PSEUDO_PARAMETERS: [&str; 8] = [
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// A `${…}` found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The range of `${…}`, braces included, relative to the scanned text.
    pub range: TextRange,
    /// What is between the braces, without the `!` of `${!Name}`.
    pub name: String,
    /// `${!Name}`: `Fn::Sub` writes it out as the literal `${Name}`.
    pub escaped: bool,
}

/// Every `${…}` in `text`, in order. Unclosed ones are skipped.
pub fn scan(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find("${")) {
        let start = from + i;
        match placeholder_end(bytes, start) {
            Some(end) => {
                let inner = &text[start + 2..end - 1];
                let (escaped, name) = match inner.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, inner),
                };
                out.push(Found {
                    range: TextRange::new(start, end),
                    name: name.to_string(),
                    escaped,
                });
                from = end;
            }
            None => from = start + 2,
        }
    }
    out
}

/// True for a name a substitution could define: no blanks, quotes, braces or
/// parentheses (those are expressions of other tools, such as Terraform's
/// `${jsonencode(x)}` or the Serverless Framework's `${opt:stage, 'dev'}`).
pub fn is_simple_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || "\"'(){}[],$".contains(c))
}

/// The names a piece of definition text can use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    /// The keys of `DefinitionSubstitutions`, when they are known (the
    /// property is absent — no keys — or a literal map).
    pub substitutions: Option<Arc<BTreeSet<String>>>,
    /// Inside an `Fn::Sub` string: its variables, the template's parameters
    /// and resources, and the pseudo parameters.
    pub sub: Option<Arc<BTreeSet<String>>>,
}

/// Why a placeholder is not defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// Not a key of `DefinitionSubstitutions`.
    Substitution,
    /// Not a variable, parameter, resource or pseudo parameter of `Fn::Sub`.
    Sub,
}

impl Known {
    /// Whether `found` is defined; `None` when it is, or cannot be told.
    pub fn check(&self, found: &Found) -> Option<Unknown> {
        if !is_simple_name(&found.name) {
            return None;
        }
        match (&self.sub, found.escaped) {
            (Some(names), false) => {
                let head = found.name.split('.').next().unwrap_or_default();
                (!names.contains(&found.name) && !names.contains(head)).then_some(Unknown::Sub)
            }
            // `${!X}` becomes `${X}` after `Fn::Sub`; outside `Fn::Sub` it
            // stays `${!X}`, which no substitution replaces: not judged.
            (Some(_), true) | (None, false) => {
                let names = self.substitutions.as_ref()?;
                (!names.contains(&found.name)).then_some(Unknown::Substitution)
            }
            (None, true) => None,
        }
    }

    /// The names `found` could have meant, for a "did you mean".
    pub fn candidates(&self, why: &Unknown) -> Vec<&str> {
        let set = match why {
            Unknown::Substitution => self.substitutions.as_deref(),
            Unknown::Sub => self.sub.as_deref(),
        };
        set.map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> Option<Arc<BTreeSet<String>>> {
        Some(Arc::new(names.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn scans_names_escapes_and_nested_braces() {
        let t = r#"a ${X} ${!Lit} ${jsonencode({"a": "}"})} ${open"#;
        let f = scan(t);
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].name, "X");
        assert_eq!(&t[f[0].range.start()..f[0].range.end()], "${X}");
        assert!(f[1].escaped);
        assert_eq!(f[1].name, "Lit");
        assert!(!is_simple_name(&f[2].name));
    }

    #[test]
    fn substitutions_and_sub_variables() {
        let found = |s: &str| scan(s).remove(0);
        let known = Known {
            substitutions: set(&["FnArn"]),
            sub: None,
        };
        assert_eq!(known.check(&found("${FnArn}")), None);
        assert_eq!(known.check(&found("${FnArm}")), Some(Unknown::Substitution));
        assert_eq!(known.check(&found("${!FnArm}")), None);
        let unknown = Known::default();
        assert_eq!(unknown.check(&found("${Anything}")), None);
        let sub = Known {
            substitutions: set(&["Outer"]),
            sub: set(&["AWS::Region", "MyQueue", "Param"]),
        };
        assert_eq!(sub.check(&found("${AWS::Region}")), None);
        assert_eq!(sub.check(&found("${MyQueue.Arn}")), None);
        assert_eq!(sub.check(&found("${Nope}")), Some(Unknown::Sub));
        assert_eq!(sub.check(&found("${!Outer}")), None);
        assert_eq!(sub.check(&found("${!Other}")), Some(Unknown::Substitution));
    }
}
