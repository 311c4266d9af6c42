//! What a lint run is asked to do: which rules, at what severity, for which
//! kind of state machine. Built by the CLI and the language server from flags
//! and configuration; rules only read it.

use crate::diagnostic::Severity;
use crate::rules::{Category, Rule};
use std::collections::HashMap;

/// The kind of state machine being linted; Express machines allow less.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Per-rule levels, keyed by rule name; they win over everything else.
    pub levels: HashMap<&'static str, Level>,
    /// When set, only these rules (names) and categories run.
    pub select: Option<Vec<Selector>>,
    /// Rules and categories that never run.
    pub ignore: Vec<Selector>,
    pub machine_type: MachineType,
    /// Treat deploy-time `${…}` placeholders as values of any type: an
    /// unquoted `${…}` in a JSON value position is accepted (and nothing is
    /// said about its value), a YAML plain scalar that is one `${…}` is not
    /// held to a type. On by default; `--no-placeholders` turns it off.
    pub placeholders: bool,
    /// The deepest nesting of Parallel and Map states that `nesting-too-deep`
    /// accepts (`max-nesting-depth` in the configuration; default 10).
    pub max_nesting_depth: usize,
}

/// The default of [`Settings::max_nesting_depth`]. AWS rejects definitions
/// that are "too deeply nested" (TOO_DEEPLY_NESTED) without documenting the
/// threshold; ten levels of Parallel and Map is far beyond real workflows.
pub const DEFAULT_MAX_NESTING_DEPTH: usize = 10;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            levels: HashMap::new(),
            select: None,
            ignore: Vec::new(),
            machine_type: MachineType::default(),
            placeholders: true,
            max_nesting_depth: DEFAULT_MAX_NESTING_DEPTH,
        }
    }
}

/// A rule or a whole category, as named in `select`/`ignore`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    Rule(&'static str),
    Category(Category),
}

impl Selector {
    pub fn matches(self, rule: &Rule) -> bool {
        match self {
            Selector::Rule(name) => rule.name == name,
            Selector::Category(c) => rule.category == c,
        }
    }
    /// Parses a rule name or code, or a category name.
    pub fn parse(s: &str) -> Option<Selector> {
        if let Some(rule) = crate::rules::lookup(s) {
            return Some(Selector::Rule(rule.name));
        }
        Category::parse(&s.to_ascii_lowercase()).map(Selector::Category)
    }
}

impl Settings {
    /// Settings that run exactly one rule at its default severity (fixture tests).
    pub fn only(rule: &'static Rule) -> Settings {
        Settings {
            select: Some(vec![Selector::Rule(rule.name)]),
            ..Settings::default()
        }
    }

    /// The severity a finding of `rule` gets, or `None` when the rule is off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        if let Some(level) = self.levels.get(rule.name) {
            return match level {
                Level::Off => None,
                Level::On(s) => Some(*s),
            };
        }
        if let Some(select) = &self.select {
            if !select.iter().any(|s| s.matches(rule)) {
                return None;
            }
        }
        if self.ignore.iter().any(|s| s.matches(rule)) {
            return None;
        }
        Some(rule.default_severity)
    }
}
