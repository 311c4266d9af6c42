//! The configuration file, `asl-lint.toml` (or `.asl-lint.toml`).
//!
//! ```toml
//! select = ["graph", "duplicate-key"]    # only these rules and categories run
//! ignore = ["ASL104"]                    # these never run
//! exclude = ["generated/**", "*.draft.asl.json"]
//! type = "express"                       # or "standard" (the default)
//! placeholders = true                    # definitions hold ${...} placeholders
//!
//! [rules]                                # per-rule levels; they win over select/ignore
//! unreachable-state = "warning"          # "error" | "warning" | "info" | "off"
//!
//! [[suppress]]                           # a scoped suppression
//! rule = "unreachable-state"
//! path = "legacy/**"                     # optional: only in these files
//! state = "Cleanup"                      # optional: only in this state
//! reason = "kept for the migration"      # required
//! ```
//!
//! The file is read with positions: unknown keys, unknown rule names and
//! values of the wrong type are all reported at once, each with its byte range
//! in the TOML text and a "did you mean" where one is close. Globs are relative
//! to the directory holding the configuration file.

use crate::diagnostic::Severity;
use crate::rules::{self, Category, Rule};
use crate::settings::{Level, MachineType, Selector, Settings};
use crate::source::SourceFile;
use crate::syntax::TextRange;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The names a configuration file may have, in order of preference within
/// one directory.
pub const FILE_NAMES: [&str; 2] = ["asl-lint.toml", ".asl-lint.toml"];

/// The top-level keys of the file.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "type",
    "placeholders",
    "max-nesting-depth",
    "rules",
    "suppress",
];

/// The keys of one `[[suppress]]` entry.
pub const SUPPRESS_KEYS: &[&str] = &["rule", "path", "state", "reason"];

/// The values of the `[rules]` table.
pub const LEVELS: &[&str] = &["error", "warning", "info", "off"];

/// The values of `type`.
pub const MACHINE_TYPES: &[&str] = &["standard", "express"];

/// A problem in the configuration file.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// Lowercase, no trailing period.
    pub message: String,
    pub help: Option<String>,
    /// Byte range in the TOML text.
    pub range: TextRange,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// Why a configuration file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Io(std::io::Error),
    /// The file was read but is invalid; `text` is what the ranges point into.
    Invalid {
        text: String,
        errors: Vec<ConfigError>,
    },
}

/// Glob patterns matched against paths relative to the configuration's
/// directory, with forward slashes. As in `.gitignore`, a pattern without a
/// `/` matches a file or directory name at any depth (`node_modules`,
/// `*.draft.asl.json`); a pattern with a `/` is anchored at the configuration
/// directory (`generated/**`, `/legacy`). A pattern that matches a directory
/// also matches everything below it. `*` and `?` never cross a `/`; `**` does.
#[derive(Clone, Debug)]
pub struct PathPatterns {
    anchored: GlobSet,
    anywhere: GlobSet,
    patterns: Vec<String>,
}

impl Default for PathPatterns {
    fn default() -> Self {
        PathPatterns {
            anchored: GlobSet::empty(),
            anywhere: GlobSet::empty(),
            patterns: Vec::new(),
        }
    }
}

impl PathPatterns {
    /// Compiles `patterns`; on failure, the index of the bad pattern and why.
    pub fn new<'p>(
        patterns: impl IntoIterator<Item = &'p str>,
    ) -> Result<PathPatterns, (usize, String)> {
        let mut anchored = GlobSetBuilder::new();
        let mut anywhere = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for (i, raw) in patterns.into_iter().enumerate() {
            let p = raw.strip_prefix("./").unwrap_or(raw);
            let p = p.strip_suffix('/').unwrap_or(p);
            if p.is_empty() {
                return Err((i, "the pattern is empty".to_string()));
            }
            let (target, p) = match p.strip_prefix('/') {
                Some(rest) => (&mut anchored, rest),
                None if p.contains('/') => (&mut anchored, p),
                None => (&mut anywhere, p),
            };
            let glob = GlobBuilder::new(p)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| (i, glob_error(&e)))?;
            target.add(glob);
            kept.push(raw.to_string());
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| (0, glob_error(&e)));
        Ok(PathPatterns {
            anchored: build(anchored)?,
            anywhere: build(anywhere)?,
            patterns: kept,
        })
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when `relative` (forward slashes, relative to the configuration
    /// directory) or one of its parent directories matches.
    pub fn matches(&self, relative: &str) -> bool {
        self.matches_below(relative, 0)
    }

    /// [`PathPatterns::matches`] without testing the first `skip` components
    /// on their own: inside a folder named on the command line, only what is
    /// below it can be excluded.
    pub fn matches_below(&self, relative: &str, skip: usize) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        let mut end = 0;
        for (i, component) in relative.split('/').enumerate() {
            let prefix_end = end + component.len();
            if !component.is_empty() && i >= skip {
                let prefix = &relative[..prefix_end];
                if self.anywhere.is_match(component) || self.anchored.is_match(prefix) {
                    return true;
                }
            }
            end = prefix_end + 1;
        }
        false
    }
}

fn glob_error(e: &globset::Error) -> String {
    // globset's messages are "error parsing glob '…': reason"; keep the reason.
    let text = e.kind().to_string();
    lowercase_first(&text)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A scoped suppression from a `[[suppress]]` entry.
#[derive(Clone, Debug)]
pub struct SuppressEntry {
    pub rule: &'static Rule,
    /// Only in files matching this glob, when set.
    pub path: Option<PathPatterns>,
    /// Only in the state of this name (at any nesting), when set.
    pub state: Option<String>,
    pub reason: String,
    /// Where the entry's `rule` value is in the configuration text.
    pub range: TextRange,
    /// Where the entry's `path` value is, when it has one.
    pub path_range: Option<TextRange>,
}

impl SuppressEntry {
    /// True when the entry covers files at `relative` (relative to the
    /// configuration directory). Entries without `path` cover every file.
    pub fn covers_path(&self, relative: Option<&str>) -> bool {
        match (&self.path, relative) {
            (None, _) => true,
            (Some(p), Some(rel)) => p.matches(rel),
            (Some(_), None) => false,
        }
    }
}

/// A parsed configuration file.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The configuration file and its text (for reporting unused suppressions).
    pub source: Option<SourceFile>,
    /// The directory globs are relative to (absolute when it could be made so).
    pub root: PathBuf,
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub exclude: PathPatterns,
    pub machine_type: Option<MachineType>,
    pub placeholders: Option<bool>,
    pub max_nesting_depth: Option<usize>,
    /// `[rules]`, in file order.
    pub rules: Vec<(&'static Rule, Level)>,
    pub suppress: Vec<SuppressEntry>,
}

impl Config {
    /// Parses the text of the configuration file at `path` (the path only
    /// decides what globs are relative to). All problems are returned at once.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, Vec<ConfigError>> {
        let (doc, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            let mut errors: Vec<ConfigError> = syntax
                .iter()
                .map(|e| {
                    let range = e.span().map_or(TextRange::empty(0), |s| {
                        TextRange::new(s.start.min(text.len()), s.end.min(text.len()))
                    });
                    let message = e.message().trim().replace('\n', "; ");
                    ConfigError {
                        message: lowercase_first(message.trim_end_matches('.')),
                        help: Some("the file must be valid TOML".into()),
                        range,
                    }
                })
                .collect();
            errors.sort_by_key(|e| e.range);
            return Err(errors);
        }
        let root = absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut reader = Reader::default();
        let mut config = Config {
            source: Some(SourceFile::new(path.to_string_lossy(), text)),
            root,
            ..Config::default()
        };
        for (key, value) in doc.get_ref() {
            match key.get_ref().as_ref() {
                "select" => config.select = Some(reader.selectors("select", value)),
                "ignore" => config.ignore = reader.selectors("ignore", value),
                "exclude" => config.exclude = reader.exclude(value),
                "type" => config.machine_type = reader.machine_type(value),
                "placeholders" => match value.get_ref() {
                    DeValue::Boolean(b) => config.placeholders = Some(*b),
                    other => reader.wrong_type("placeholders", "a boolean", value, other),
                },
                "max-nesting-depth" => match value.get_ref() {
                    DeValue::Integer(i) => match i.to_string().parse::<usize>() {
                        Ok(n) if n >= 1 => config.max_nesting_depth = Some(n),
                        _ => reader.error(
                            span_of(value),
                            format!("`max-nesting-depth` must be at least 1, not {i}"),
                            Some("the default is 10".into()),
                        ),
                    },
                    other => {
                        reader.wrong_type("max-nesting-depth", "a positive integer", value, other)
                    }
                },
                "rules" => config.rules = reader.rules(value),
                "suppress" => config.suppress = reader.suppress(value),
                other => reader.unknown_key(key, other, TOP_LEVEL_KEYS, ""),
            }
        }
        if reader.errors.is_empty() {
            Ok(config)
        } else {
            reader.errors.sort_by_key(|e| e.range);
            Err(reader.errors)
        }
    }

    /// Reads and parses the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let text = std::fs::read_to_string(path).map_err(LoadError::Io)?;
        Config::from_toml(&text, path).map_err(|errors| LoadError::Invalid { text, errors })
    }

    /// The configuration file that applies to `file_path`: the first of
    /// [`FILE_NAMES`] found in its directory (or in it, for a directory) or the
    /// nearest parent directory.
    pub fn find_for(file_path: &Path) -> Option<PathBuf> {
        let abs = absolute(file_path);
        let start = if abs.is_dir() {
            abs.as_path()
        } else {
            abs.parent()?
        };
        for dir in start.ancestors() {
            for name in FILE_NAMES {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
        }
        None
    }

    /// The settings this configuration asks for.
    pub fn to_settings(&self) -> Settings {
        Settings {
            levels: self.rules.iter().map(|(r, l)| (r.name, *l)).collect(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            machine_type: self.machine_type.unwrap_or_default(),
            placeholders: self.placeholders.unwrap_or(true),
            max_nesting_depth: self
                .max_nesting_depth
                .unwrap_or(crate::settings::DEFAULT_MAX_NESTING_DEPTH),
        }
    }

    /// `path` relative to the configuration directory, with forward slashes;
    /// a path outside it is returned as given (normalised).
    pub fn relative_path(&self, path: &Path) -> String {
        let abs = absolute(path);
        if let Ok(rel) = abs.strip_prefix(&self.root) {
            return slashes(rel);
        }
        // Symbolic links (a temporary directory, a linked checkout): compare
        // the real paths when both exist.
        if let (Ok(real), Ok(root)) = (abs.canonicalize(), self.root.canonicalize()) {
            if let Ok(rel) = real.strip_prefix(&root) {
                return slashes(rel);
            }
        }
        slashes(&normalize(path))
    }

    /// True when `path` (a file or a directory) is excluded by `exclude`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.matches(&self.relative_path(path))
    }

    /// [`Config::is_excluded`] for a path found by walking the folder `named`
    /// (named on the command line, so never excluded itself): only the part
    /// of the path below `named` is tested.
    pub fn is_excluded_below(&self, path: &Path, named: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let relative = self.relative_path(path);
        self.exclude.matches_below(
            &relative,
            components_below(&relative, &self.relative_path(named)),
        )
    }
}

/// How many leading components of `relative` are the folder `named` (both
/// relative to the same place, with forward slashes); 0 when `relative` is not
/// below `named`.
pub(crate) fn components_below(relative: &str, named: &str) -> usize {
    if named.is_empty() {
        return 0;
    }
    match relative.strip_prefix(named) {
        Some(rest) if rest.starts_with('/') => named.split('/').count(),
        _ => 0,
    }
}

/// `path` made absolute against the current directory, `.` and `..` removed.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize(path)
    } else {
        match std::env::current_dir() {
            Ok(cwd) => normalize(&cwd.join(path)),
            Err(_) => normalize(path),
        }
    }
}

/// Removes `.` components and resolves `..` lexically.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    let joined = parts.join("/");
    if path.has_root() {
        format!("/{joined}")
    } else {
        joined
    }
}

fn span_of<T>(s: &Spanned<T>) -> TextRange {
    let r = s.span();
    TextRange::new(r.start, r.end)
}

fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

type Value<'i> = Spanned<DeValue<'i>>;

/// The TOML type of a value with its article: `a string`, `an integer`.
fn a_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

#[derive(Default)]
struct Reader {
    errors: Vec<ConfigError>,
}

impl Reader {
    fn error(&mut self, range: TextRange, message: String, help: Option<String>) {
        self.errors.push(ConfigError {
            message,
            help,
            range,
        });
    }

    fn wrong_type(&mut self, what: &str, expected: &str, at: &Value<'_>, found: &DeValue<'_>) {
        self.error(
            span_of(at),
            format!("`{what}` must be {expected}, not {}", a_type(found)),
            None,
        );
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        name: &str,
        expected: &[&str],
        place: &str,
    ) {
        let help = match rules::closest(name, expected.iter().copied()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("expected {}", quote_list(expected)),
        };
        self.error(
            span_of(key),
            format!("unknown key `{name}`{place}"),
            Some(help),
        );
    }

    /// An array of strings; wrong items are reported and skipped.
    fn strings<'v, 'i>(&mut self, what: &str, value: &'v Value<'i>) -> Vec<(&'v str, TextRange)> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(what, "an array of strings", value, value.get_ref());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.as_ref(), span_of(item))),
                other => self.error(
                    span_of(item),
                    format!("`{what}` holds strings, not {}", a_type(other)),
                    None,
                ),
            }
        }
        out
    }

    fn selectors(&mut self, what: &str, value: &Value<'_>) -> Vec<Selector> {
        if what == "ignore" {
            if let DeValue::Array(items) = value.get_ref() {
                if items.iter().any(|i| i.get_ref().is_table()) {
                    self.error(
                        span_of(value),
                        "`ignore` is a list of rule names, not a table".into(),
                        Some(
                            "scoped suppressions go in `[[suppress]]` entries \
                             with `rule`, `path`, `state` and `reason`"
                                .into(),
                        ),
                    );
                    return Vec::new();
                }
            }
        }
        let mut out = Vec::new();
        for (name, range) in self.strings(what, value) {
            match Selector::parse(name) {
                Some(s) => out.push(s),
                None => {
                    let candidates = rules::ALL
                        .iter()
                        .map(|r| r.name)
                        .chain(Category::ALL.iter().map(|c| c.as_str()));
                    let help = match rules::closest(name, candidates) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!(
                            "use a rule name, a code such as `ASL001`, or a category: {}",
                            quote_list(&Category::ALL.map(Category::as_str))
                        ),
                    };
                    self.error(
                        range,
                        format!("unknown rule or category `{name}` in `{what}`"),
                        Some(help),
                    );
                }
            }
        }
        out
    }

    fn exclude(&mut self, value: &Value<'_>) -> PathPatterns {
        let items = self.strings("exclude", value);
        let mut good = Vec::new();
        for (pattern, range) in items {
            match PathPatterns::new([pattern]) {
                Ok(_) => good.push(pattern),
                Err((_, why)) => self.error(
                    range,
                    format!("invalid glob `{pattern}` in `exclude`: {why}"),
                    Some("`*` matches within a name, `**` across directories".into()),
                ),
            }
        }
        PathPatterns::new(good).unwrap_or_default()
    }

    fn machine_type(&mut self, value: &Value<'_>) -> Option<MachineType> {
        let DeValue::String(s) = value.get_ref() else {
            self.wrong_type("type", "a string", value, value.get_ref());
            return None;
        };
        match s.as_ref() {
            "standard" => Some(MachineType::Standard),
            "express" => Some(MachineType::Express),
            other => {
                let help = match rules::closest(other, MACHINE_TYPES.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("expected {}", quote_list(MACHINE_TYPES)),
                };
                self.error(
                    span_of(value),
                    format!("unknown state machine type `{other}`"),
                    Some(help),
                );
                None
            }
        }
    }

    fn rule_name(&mut self, name: &str, range: TextRange, what: &str) -> Option<&'static Rule> {
        if let Some(r) = rules::lookup(name) {
            return Some(r);
        }
        let help = if Category::parse(&name.to_ascii_lowercase()).is_some() {
            format!(
                "`{name}` is a category; list it in `ignore` or `select` to turn the whole category off or on"
            )
        } else {
            match rules::closest(name, rules::ALL.iter().map(|r| r.name)) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "use a rule name such as `duplicate-key` or a code such as `ASL002`".into(),
            }
        };
        self.error(
            range,
            format!("unknown rule `{name}` in {what}"),
            Some(help),
        );
        None
    }

    fn rules(&mut self, value: &Value<'_>) -> Vec<(&'static Rule, Level)> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("rules", "a table", value, value.get_ref());
            return Vec::new();
        };
        let mut out: Vec<(&'static Rule, Level, String)> = Vec::new();
        for (key, level) in table {
            let key_range = span_of(key);
            let rule = self.rule_name(key.get_ref(), key_range, "`[rules]`");
            let parsed = match level.get_ref() {
                DeValue::String(s) => match s.as_ref() {
                    "off" => Some(Level::Off),
                    other => match Severity::parse(other).filter(|_| LEVELS.contains(&other)) {
                        Some(sev) => Some(Level::On(sev)),
                        None => {
                            let close = rules::closest(other, LEVELS.iter().copied())
                                .or_else(|| Severity::parse(other).map(Severity::as_str));
                            let help = match close {
                                Some(c) => format!("did you mean `{c}`?"),
                                None => format!("expected {}", quote_list(LEVELS)),
                            };
                            self.error(
                                span_of(level),
                                format!("unknown level `{other}` for `{}`", key.get_ref()),
                                Some(help),
                            );
                            None
                        }
                    },
                },
                other => {
                    self.error(
                        span_of(level),
                        format!(
                            "the level of `{}` must be a string, not {}",
                            key.get_ref(),
                            a_type(other)
                        ),
                        Some(format!("expected {}", quote_list(LEVELS))),
                    );
                    None
                }
            };
            if let (Some(rule), Some(level)) = (rule, parsed) {
                if let Some((_, _, first)) = out.iter().find(|(r, _, _)| std::ptr::eq(*r, rule)) {
                    let help = format!(
                        "`{first}` and `{}` name the same rule; keep one of the two entries",
                        key.get_ref()
                    );
                    self.error(
                        key_range,
                        format!("rule `{}` is configured twice in `[rules]`", rule.name),
                        Some(help),
                    );
                } else {
                    out.push((rule, level, key.get_ref().to_string()));
                }
            }
        }
        out.into_iter().map(|(r, l, _)| (r, l)).collect()
    }

    fn suppress(&mut self, value: &Value<'_>) -> Vec<SuppressEntry> {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                span_of(value),
                format!(
                    "`suppress` must be an array of tables, not {}",
                    a_type(value.get_ref())
                ),
                Some("write each entry as a `[[suppress]]` table".into()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.error(
                    span_of(item),
                    format!(
                        "`suppress` entries must be tables, not {}",
                        a_type(item.get_ref())
                    ),
                    Some("write each entry as a `[[suppress]]` table".into()),
                );
                continue;
            };
            if let Some(entry) = self.suppress_entry(item, table) {
                out.push(entry);
            }
        }
        out
    }

    fn suppress_entry(&mut self, item: &Value<'_>, table: &DeTable<'_>) -> Option<SuppressEntry> {
        let mut ok = true;
        let mut rule = None;
        let mut path = None;
        let mut path_range = None;
        let mut state = None;
        let mut reason = None;
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            if !SUPPRESS_KEYS.contains(&name) {
                self.unknown_key(key, name, SUPPRESS_KEYS, " in `[[suppress]]`");
                ok = false;
                continue;
            }
            let DeValue::String(s) = value.get_ref() else {
                self.wrong_type(name, "a string", value, value.get_ref());
                ok = false;
                continue;
            };
            let range = span_of(value);
            match name {
                "rule" => {
                    rule = self
                        .rule_name(s, range, "`[[suppress]]`")
                        .map(|r| (r, range));
                    ok &= rule.is_some();
                }
                "path" => match PathPatterns::new([s.as_ref()]) {
                    Ok(p) => {
                        path = Some(p);
                        path_range = Some(range);
                    }
                    Err((_, why)) => {
                        self.error(
                            range,
                            format!("invalid glob `{s}` in `path`: {why}"),
                            Some("`*` matches within a name, `**` across directories".into()),
                        );
                        ok = false;
                    }
                },
                "state" => state = Some(s.to_string()),
                _ => {
                    if s.trim().is_empty() {
                        self.error(
                            range,
                            "the `reason` of a suppression is empty".into(),
                            Some("say why the finding is accepted".into()),
                        );
                        ok = false;
                    } else {
                        reason = Some(s.to_string());
                    }
                }
            }
        }
        // The `[[suppress]]` header, or the inline table.
        let at = span_of(item);
        if !table.contains_key("rule") {
            self.error(
                at,
                "this `[[suppress]]` entry names no `rule`".into(),
                Some("add `rule = \"rule-name\"`".into()),
            );
            ok = false;
        }
        if !table.contains_key("reason") {
            self.error(
                at,
                "this `[[suppress]]` entry gives no `reason`".into(),
                Some("add `reason = \"…\"` saying why the finding is accepted".into()),
            );
            ok = false;
        }
        let (rule, range) = rule?;
        if !ok {
            return None;
        }
        Some(SuppressEntry {
            rule,
            path,
            state,
            reason: reason?,
            range,
            path_range,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_without_slash_match_names_at_any_depth() {
        let p = PathPatterns::new(["node_modules", "*.draft.asl.json"]).unwrap();
        assert!(p.matches("node_modules"));
        assert!(p.matches("a/node_modules/b/c.asl.json"));
        assert!(p.matches("x/y.draft.asl.json"));
        assert!(!p.matches("x/y.asl.json"));
    }

    #[test]
    fn patterns_with_slash_are_anchored_and_cover_subtrees() {
        let p = PathPatterns::new(["generated/**", "/legacy", "./old/"]).unwrap();
        assert!(p.matches("generated/a.asl.json"));
        assert!(p.matches("generated/x/a.asl.json"));
        assert!(!p.matches("src/generated/a.asl.json"));
        assert!(p.matches("legacy/a.json"));
        assert!(!p.matches("src/legacy/a.json"));
        assert!(p.matches("old/a.json"));
        let star = PathPatterns::new(["src/*.json"]).unwrap();
        assert!(star.matches("src/a.json"));
        assert!(!star.matches("src/x/a.json"), "`*` does not cross `/`");
    }

    #[test]
    fn matching_below_a_named_folder() {
        let p = PathPatterns::new(["generated", "/out/**", "*.draft.json"]).unwrap();
        assert!(p.matches("generated/a.json"));
        assert!(!p.matches_below("generated/a.json", 1));
        assert!(p.matches_below("generated/generated/a.json", 1));
        assert!(p.matches_below("generated/a.draft.json", 1));
        // `out/**` matches what is inside `out`, so naming `out` does not
        // bring its content back (`generated` matches only the folder).
        assert!(p.matches_below("out/x/a.json", 1));
        assert!(!p.matches_below("out", 1));
        assert_eq!(components_below("a/b/c.json", "a/b"), 2);
        assert_eq!(components_below("a/bc/c.json", "a/b"), 0);
        assert_eq!(components_below("a/b", ""), 0);
    }

    #[test]
    fn bad_globs_are_errors() {
        assert!(PathPatterns::new(["a/[b"]).is_err());
        assert!(PathPatterns::new([""]).is_err());
    }

    #[test]
    fn normalize_removes_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(slashes(Path::new("a/b")), "a/b");
    }
}
