//! Which configuration applies to each file of a run, and how the
//! command-line flags combine with it.
//!
//! By default every file gets the nearest `asl-lint.toml` (or
//! `.asl-lint.toml`) found by walking up from its folder, so files in
//! different folders may get different configurations; each folder is looked
//! up once. `--config PATH` uses one file for everything, `--isolated` none.
//!
//! Flags win over the file: `--select` replaces its `select` (naming a rule,
//! not a category, turns that rule on whatever the file says), `--ignore`
//! adds to its `ignore` and turns rules off even when `[rules]` sets a level,
//! `--warn` makes rules that run warnings, `--type` replaces `type`, and
//! `--exclude` adds globs (relative to the current directory) to `exclude`.

use crate::config::{
    absolute, components_below, slashes, Config, ConfigError, LoadError, PathPatterns,
    SuppressEntry, FILE_NAMES,
};
use crate::diagnostic::Severity;
use crate::rules;
use crate::settings::{Level, MachineType, Selector, Settings};
use crate::source::{Encoding, SourceFile};
use clap::Args;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `--config` and `--isolated`, shared by the commands that lint.
#[derive(Debug, Default, Args)]
pub struct ConfigArgs {
    /// Use this configuration file for every file instead of looking for
    /// `asl-lint.toml` next to each one.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file: defaults and flags only.
    #[arg(long)]
    pub isolated: bool,
}

impl ConfigArgs {
    pub fn source(&self) -> ConfigSource {
        match (&self.config, self.isolated) {
            (Some(path), _) => ConfigSource::File(path.clone()),
            (None, true) => ConfigSource::Isolated,
            (None, false) => ConfigSource::Discover,
        }
    }
}

/// Where the configuration comes from.
#[derive(Clone, Debug)]
pub enum ConfigSource {
    /// The nearest `asl-lint.toml` of each file.
    Discover,
    /// One file for everything (`--config`).
    File(PathBuf),
    /// None (`--isolated`).
    Isolated,
}

/// Command-line flags that override the configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--select`: replaces the file's `select`.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`: added to the file's `ignore`.
    pub ignore: Vec<Selector>,
    /// `--warn`: these rules, when they run, report warnings.
    pub warn: Vec<Selector>,
    /// `--type`: replaces the file's `type`.
    pub machine_type: Option<MachineType>,
    /// `--exclude`: added to the file's `exclude`; relative to the current
    /// directory.
    pub exclude: PathPatterns,
    /// `--no-placeholders`: turns the file's `placeholders` off.
    pub no_placeholders: bool,
}

/// The settings a configuration asks for, with the flags applied.
pub fn merge(config: &Config, o: &Overrides) -> Settings {
    let mut base = config.to_settings();
    if o.select.is_some() {
        base.select = None;
    }
    let mut levels = HashMap::with_capacity(rules::ALL.len());
    for rule in rules::ALL {
        let configured = base.severity_of(rule);
        let selected = match &o.select {
            None => configured.is_some(),
            Some(select) => {
                let named = select
                    .iter()
                    .any(|s| matches!(s, Selector::Rule(name) if *name == rule.name));
                named || (configured.is_some() && select.iter().any(|s| s.matches(rule)))
            }
        };
        let on = selected && !o.ignore.iter().any(|s| s.matches(rule));
        let level = if !on {
            Level::Off
        } else if o.warn.iter().any(|s| s.matches(rule)) {
            Level::On(Severity::Warning)
        } else {
            Level::On(configured.unwrap_or(rule.default_severity))
        };
        levels.insert(rule.name, level);
    }
    Settings {
        levels,
        select: None,
        ignore: Vec::new(),
        machine_type: o.machine_type.or(config.machine_type).unwrap_or_default(),
        placeholders: !o.no_placeholders && config.placeholders.unwrap_or(true),
        max_nesting_depth: base.max_nesting_depth,
    }
}

/// A configuration of the run and the settings it yields.
#[derive(Debug)]
pub struct Resolved {
    pub config: Config,
    pub settings: Settings,
    /// False for the defaults used when no file applies.
    pub from_file: bool,
}

impl Resolved {
    /// `path` relative to the configuration's folder, for `path` globs of
    /// `[[suppress]]` entries; `None` without a configuration file.
    pub fn relative_path(&self, path: &Path) -> Option<String> {
        self.from_file.then(|| self.config.relative_path(path))
    }
}

/// An index into [`Resolver::configs`].
pub type ConfigId = usize;

/// Finds, loads and caches the configuration of each folder.
#[derive(Debug)]
pub struct Resolver {
    source: ConfigSource,
    overrides: Overrides,
    cwd: PathBuf,
    /// `configs[0]` is the defaults (or the `--config` file).
    configs: Vec<Resolved>,
    /// Configuration files already read, by absolute path.
    by_file: HashMap<PathBuf, ConfigId>,
    /// Folders already looked up, by absolute path.
    by_dir: HashMap<PathBuf, ConfigId>,
    /// Rendered problems of configuration files that could not be used.
    errors: Vec<String>,
}

impl Resolver {
    /// A resolver; with `--config`, the file is read at once (check
    /// [`Resolver::errors`]).
    pub fn new(source: ConfigSource, overrides: Overrides) -> Resolver {
        let cwd = absolute(Path::new("."));
        let defaults = Config {
            root: cwd.clone(),
            ..Config::default()
        };
        let mut resolver = Resolver {
            configs: vec![Resolved {
                settings: merge(&defaults, &overrides),
                config: defaults,
                from_file: false,
            }],
            source,
            overrides,
            cwd,
            by_file: HashMap::new(),
            by_dir: HashMap::new(),
            errors: Vec::new(),
        };
        if let ConfigSource::File(path) = resolver.source.clone() {
            let display = path.to_string_lossy().into_owned();
            if let Some(resolved) = resolver.read(&path, &display) {
                resolver.configs[0] = resolved;
            }
        }
        resolver
    }

    /// Every configuration used so far; [`ConfigId`]s index it.
    pub fn configs(&self) -> &[Resolved] {
        &self.configs
    }

    pub fn get(&self, id: ConfigId) -> &Resolved {
        &self.configs[id]
    }

    /// The problems of configuration files read so far, rendered as
    /// `path:line:col: error: …` with an excerpt; empty when all are valid.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// Prints [`Resolver::errors`] to standard error; true when there were any.
    pub fn report_errors(&self) -> bool {
        if self.errors.is_empty() {
            return false;
        }
        for e in &self.errors {
            eprint!("{e}");
        }
        true
    }

    /// The configuration of the file at `path`.
    pub fn for_file(&mut self, path: &Path) -> ConfigId {
        let abs = absolute(path);
        match abs.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.for_dir(&abs),
        }
    }

    /// The configuration of the files in the folder `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> ConfigId {
        if !matches!(self.source, ConfigSource::Discover) {
            return 0;
        }
        let dir = absolute(dir);
        let mut visited = Vec::new();
        let mut found = 0;
        for d in dir.ancestors() {
            if let Some(&id) = self.by_dir.get(d) {
                found = id;
                break;
            }
            visited.push(d.to_path_buf());
            if let Some(file) = FILE_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                found = self.load(&file);
                break;
            }
        }
        for d in visited {
            self.by_dir.insert(d, found);
        }
        found
    }

    /// True when `path` (a file or a folder) matches the `exclude` of the
    /// configuration of the folder holding it, or `--exclude`.
    pub fn is_excluded(&mut self, path: &Path) -> bool {
        self.excluded(path, None)
    }

    /// [`Resolver::is_excluded`] for a path found by walking the folder
    /// `named`: the named folder itself is never excluded, only what is
    /// below it.
    pub fn is_excluded_below(&mut self, path: &Path, named: &Path) -> bool {
        self.excluded(path, Some(named))
    }

    fn excluded(&mut self, path: &Path, named: Option<&Path>) -> bool {
        let abs = absolute(path);
        let id = match abs.parent() {
            Some(parent) => self.for_dir(parent),
            None => 0,
        };
        let config = &self.configs[id].config;
        let by_config = match named {
            Some(named) => config.is_excluded_below(&abs, named),
            None => config.is_excluded(&abs),
        };
        if by_config {
            return true;
        }
        if self.overrides.exclude.is_empty() {
            return false;
        }
        let from_cwd = |p: &Path| match p.strip_prefix(&self.cwd) {
            Ok(rel) => slashes(rel),
            Err(_) => slashes(p),
        };
        let relative = from_cwd(&abs);
        let skip = named.map_or(0, |n| components_below(&relative, &from_cwd(&absolute(n))));
        self.overrides.exclude.matches_below(&relative, skip)
    }

    /// The configuration file at `file` (absolute), read once.
    fn load(&mut self, file: &Path) -> ConfigId {
        if let Some(&id) = self.by_file.get(file) {
            return id;
        }
        // Shown relative to the current directory when it lies below it.
        let display = match file.strip_prefix(&self.cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
            _ => file.to_string_lossy().into_owned(),
        };
        let id = match self.read(Path::new(&display), &display) {
            Some(resolved) => {
                self.configs.push(resolved);
                self.configs.len() - 1
            }
            None => 0,
        };
        self.by_file.insert(file.to_path_buf(), id);
        id
    }

    fn read(&mut self, path: &Path, display: &str) -> Option<Resolved> {
        match Config::load(path) {
            Ok(config) => Some(Resolved {
                settings: merge(&config, &self.overrides),
                config,
                from_file: true,
            }),
            Err(LoadError::Io(e)) => {
                self.errors.push(format!(
                    "error: cannot read the configuration file `{display}`: {}\n",
                    super::check::describe(&e)
                ));
                None
            }
            Err(LoadError::Invalid { text, errors }) => {
                let file = SourceFile::new(display, text);
                let mut out = String::new();
                for e in &errors {
                    render_error(&file, e, &mut out);
                }
                let n = errors.len();
                let _ = writeln!(
                    out,
                    "error: the configuration file `{display}` has {n} problem{}; nothing was checked\n",
                    if n == 1 { "" } else { "s" }
                );
                self.errors.push(out);
                None
            }
        }
    }
}

/// `path:line:col: error: message`, the line with the range underlined, and
/// the help:
///
/// ```text
/// asl-lint.toml:2:1: error: unknown key `selct`
///   |
/// 2 | selct = ["graph"]
///   | ^^^^^
///   = help: did you mean `select`?
/// ```
pub fn render_error(file: &SourceFile, e: &ConfigError, out: &mut String) {
    let text = file.text.as_str();
    let start = e.range.start().min(text.len());
    let end = e.range.end().min(text.len()).max(start);
    let at = file.line_col(start, Encoding::Chars);
    let _ = writeln!(
        out,
        "{}:{}:{}: error: {}",
        file.path,
        at.line + 1,
        at.col + 1,
        e.message
    );
    let line = at.line as usize;
    let line_start = file.line_index.line_start(line);
    let line_end = file.line_index.line_end(text, line);
    let content = text.get(line_start..line_end).unwrap_or("");
    // Very long lines are not drawn.
    if content.chars().count() <= 200 {
        let number = (line + 1).to_string();
        let pad = " ".repeat(number.len());
        let shown: String = content
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let width = text
            .get(start..end.min(line_end).max(start))
            .map_or(0, |s| s.chars().count())
            .max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {}", shown.trim_end());
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(at.col as usize),
            "^".repeat(width)
        );
        if let Some(h) = &e.help {
            let _ = writeln!(out, "{pad} = help: {h}");
        }
    } else if let Some(h) = &e.help {
        let _ = writeln!(out, "  help: {h}");
    }
    out.push('\n');
}

/// What a run linted: the folders it walked and the files it was given, and
/// what the walk left out. An unused `[[suppress]]` entry is reported only
/// when the run covered every file the entry could apply to, so that linting
/// a few files (a pre-commit hook, an editor) does not call entries for the
/// other files unused.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Walked folders, absolute.
    pub dirs: Vec<PathBuf>,
    /// Files named on the command line, absolute.
    pub files: Vec<PathBuf>,
    /// Folders the walk did not enter although a definition there could be
    /// linted by naming it: those `exclude` or `--exclude` match, and
    /// `cdk.out`. (`.git`, `node_modules`, `target` and hidden folders are
    /// not counted: nobody keeps suppressed definitions there.) Absolute.
    pub unseen_dirs: Vec<PathBuf>,
    /// Definition files left out by `exclude`, `--exclude` or
    /// `--force-exclude`, absolute.
    pub unseen_files: Vec<PathBuf>,
}

impl Coverage {
    /// True when an entry whose `path` matched no linted file can be called
    /// stale: the run linted every file under the configuration's folder that
    /// the entry could apply to ([`Coverage::covers`]), and left out none
    /// that it might match (an excluded file it matches, an excluded folder
    /// its glob can reach into).
    pub fn covers_unmatched(&self, config: &Config, entry: &SuppressEntry) -> bool {
        let root = config.root.as_path();
        if !self.covers(root, entry) {
            return false;
        }
        for dir in &self.unseen_dirs {
            if root.starts_with(dir) {
                return false;
            }
            let Ok(rel) = dir.strip_prefix(root) else {
                continue;
            };
            let Some(patterns) = &entry.path else {
                return false;
            };
            let reaches = patterns.patterns().iter().any(|p| match literal_prefix(p) {
                // A glob that matches names at any depth may match inside.
                None => true,
                Some((prefix, _)) => rel.starts_with(&prefix) || prefix.starts_with(rel),
            });
            if reaches {
                return false;
            }
        }
        !self
            .unseen_files
            .iter()
            .filter(|f| f.starts_with(root))
            .any(|f| entry.covers_path(Some(&config.relative_path(f))))
    }

    /// True when the run linted every file under `root` (the configuration's
    /// folder) that `entry` can apply to.
    pub fn covers(&self, root: &Path, entry: &SuppressEntry) -> bool {
        if self.dirs.iter().any(|d| root.starts_with(d)) {
            return true;
        }
        let Some(patterns) = &entry.path else {
            return false;
        };
        patterns.patterns().iter().all(|p| match literal_prefix(p) {
            None => false,
            Some((prefix, literal)) => {
                let target = root.join(prefix);
                self.dirs.iter().any(|d| target.starts_with(d))
                    || (literal && self.files.contains(&target))
            }
        })
    }
}

/// The leading folders of an anchored glob that hold no wildcard, and whether
/// the whole pattern is literal. `None` for a pattern that matches at any
/// depth (no `/`).
fn literal_prefix(pattern: &str) -> Option<(PathBuf, bool)> {
    let p = pattern.strip_prefix("./").unwrap_or(pattern);
    let p = p.strip_suffix('/').unwrap_or(p);
    let p = match p.strip_prefix('/') {
        Some(rest) => rest,
        None if p.contains('/') => p,
        None => return None,
    };
    let mut prefix = PathBuf::new();
    let mut literal = true;
    for part in p.split('/') {
        if part.contains(['*', '?', '[', ']', '{', '}', '\\']) {
            literal = false;
            break;
        }
        if part == ".." {
            // Outside the configuration folder: judge it by the folder.
            return Some((PathBuf::new(), false));
        }
        prefix.push(part);
    }
    Some((prefix, literal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::duplicate_key::DUPLICATE_KEY;

    fn config(text: &str) -> Config {
        Config::from_toml(text, Path::new("/p/asl-lint.toml")).expect("valid")
    }

    fn level(s: &Settings, name: &str) -> Option<Severity> {
        s.severity_of(rules::lookup(name).expect("a rule"))
    }

    #[test]
    fn flags_combine_with_the_file() {
        let c = config(
            "select = [\"graph\", \"duplicate-key\"]\nignore = [\"unreachable-state\"]\n[rules]\nend-false = \"error\"\nno-terminal-state = \"off\"\n",
        );
        let s = merge(&c, &Overrides::default());
        assert_eq!(level(&s, "duplicate-key"), Some(Severity::Error));
        assert_eq!(level(&s, "end-false"), Some(Severity::Error));
        assert_eq!(level(&s, "unreachable-state"), None);
        assert_eq!(level(&s, "no-terminal-state"), None);
        assert_eq!(level(&s, "schema-violation"), None, "not selected");

        // `--select` replaces `select`; the file's `ignore` and `off` stay
        // unless the rule is named.
        let o = Overrides {
            select: Some(vec![
                Selector::parse("schema").unwrap(),
                Selector::parse("graph").unwrap(),
                Selector::parse("no-terminal-state").unwrap(),
            ]),
            ..Overrides::default()
        };
        let s = merge(&c, &o);
        assert_eq!(level(&s, "schema-violation"), Some(Severity::Error));
        assert_eq!(level(&s, "duplicate-key"), None);
        assert_eq!(level(&s, "unreachable-state"), None);
        assert_eq!(level(&s, "no-terminal-state"), Some(Severity::Error));
        assert_eq!(level(&s, "end-false"), Some(Severity::Error));

        // `--ignore` wins over `[rules]`; `--warn` only lowers rules that run.
        let o = Overrides {
            ignore: vec![Selector::parse("end-false").unwrap()],
            warn: vec![Selector::parse("graph").unwrap()],
            machine_type: Some(MachineType::Express),
            ..Overrides::default()
        };
        let s = merge(&c, &o);
        assert_eq!(level(&s, "end-false"), None);
        assert_eq!(level(&s, "missing-next-or-end"), Some(Severity::Warning));
        assert_eq!(level(&s, "unreachable-state"), None);
        assert_eq!(level(&s, "duplicate-key"), Some(Severity::Error));
        assert_eq!(s.machine_type, MachineType::Express);
    }

    #[test]
    fn literal_prefixes() {
        assert_eq!(literal_prefix("node_modules"), None);
        assert_eq!(literal_prefix("*.json"), None);
        assert_eq!(
            literal_prefix("legacy/**"),
            Some((PathBuf::from("legacy"), false))
        );
        assert_eq!(
            literal_prefix("/a/b.asl.json"),
            Some((PathBuf::from("a/b.asl.json"), true))
        );
        assert_eq!(literal_prefix("./a/*/c"), Some((PathBuf::from("a"), false)));
    }

    #[test]
    fn coverage_of_entries() {
        let c = config(
            "[[suppress]]\nrule = \"duplicate-key\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"duplicate-key\"\npath = \"legacy/**\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"duplicate-key\"\npath = \"one/x.asl.json\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"duplicate-key\"\npath = \"*.draft.json\"\nreason = \"r\"\n",
        );
        assert!(c
            .suppress
            .iter()
            .all(|e| std::ptr::eq(e.rule, &DUPLICATE_KEY)));
        let root = Path::new("/p");
        let judged = |cov: &Coverage| -> Vec<bool> {
            c.suppress.iter().map(|e| cov.covers(root, e)).collect()
        };
        let whole = Coverage {
            dirs: vec![PathBuf::from("/")],
            ..Coverage::default()
        };
        assert_eq!(judged(&whole), [true, true, true, true]);
        let legacy = Coverage {
            dirs: vec![PathBuf::from("/p/legacy")],
            ..Coverage::default()
        };
        assert_eq!(judged(&legacy), [false, true, false, false]);
        let named = Coverage {
            files: vec![PathBuf::from("/p/one/x.asl.json")],
            ..Coverage::default()
        };
        assert_eq!(judged(&named), [false, false, true, false]);
        assert_eq!(judged(&Coverage::default()), [false, false, false, false]);

        // Entries whose `path` matched nothing: what the walk left out may be
        // what they are for.
        let unmatched = |cov: &Coverage| -> Vec<bool> {
            c.suppress
                .iter()
                .map(|e| cov.covers_unmatched(&c, e))
                .collect()
        };
        assert_eq!(unmatched(&whole), [true, true, true, true]);
        let skipped = |dirs: &[&str], files: &[&str]| Coverage {
            unseen_dirs: dirs.iter().map(PathBuf::from).collect(),
            unseen_files: files.iter().map(PathBuf::from).collect(),
            ..whole.clone()
        };
        // A left-out folder: entries whose glob can reach into it wait.
        assert_eq!(
            unmatched(&skipped(&["/p/legacy/old"], &[])),
            [false, false, true, false]
        );
        assert_eq!(
            unmatched(&skipped(&["/p/one"], &[])),
            [false, true, false, false]
        );
        // Elsewhere, or the configuration's own folder left out.
        assert_eq!(
            unmatched(&skipped(&["/q/legacy"], &[])),
            [true, true, true, true]
        );
        assert_eq!(
            unmatched(&skipped(&["/"], &[])),
            [false, false, false, false]
        );
        // A left-out file: only the entries that match it wait.
        assert_eq!(
            unmatched(&skipped(&[], &["/p/src/a.draft.json"])),
            [false, true, true, false]
        );
        assert_eq!(unmatched(&legacy), [false, true, false, false]);
    }
}
