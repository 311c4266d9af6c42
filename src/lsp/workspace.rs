//! Which configuration each document is linted with: the `asl-lint.toml`
//! (or `.asl-lint.toml`) nearest to the document, walking up from its
//! directory; for a document without a file path (an unsaved buffer), the
//! one that applies to the workspace folder.
//!
//! Loaded files are cached with their modification time and size, so an
//! edited configuration takes effect on the next lint even in clients that
//! do not report watched files; a reported change (or a configuration
//! change) clears the cache. A file that cannot be used is reported once per
//! version of the file and its documents get the default settings.

use crate::config::{Config, LoadError};
use crate::settings::Settings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

/// A configuration file in use.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub settings: Settings,
}

/// A configuration file that could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: PathBuf,
    /// The 1-based line and column of the (first) problem, when it has one.
    pub at: Option<(usize, usize)>,
    /// Lowercase, no trailing period.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.at {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// When a file was last seen, to notice edits.
type Stamp = (Option<SystemTime>, u64);

struct Entry {
    stamp: Stamp,
    loaded: Option<Rc<Loaded>>,
}

/// The configuration files seen so far.
pub struct Configs {
    /// The workspace folder, for documents without a path.
    root: Option<PathBuf>,
    cache: HashMap<PathBuf, Entry>,
    defaults: Settings,
}

impl Configs {
    pub fn new(root: Option<PathBuf>) -> Configs {
        Configs {
            root,
            cache: HashMap::new(),
            defaults: Settings::default(),
        }
    }

    /// The settings of documents without a configuration file.
    pub fn defaults(&self) -> &Settings {
        &self.defaults
    }

    /// Forgets every file read; the next lookups read them again.
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// The configuration of the document at `path` (`None`: a document
    /// without a file path). `None` when no file applies or the file that
    /// applies cannot be used; then `problems` says why, the first time.
    pub fn for_document(
        &mut self,
        path: Option<&Path>,
        problems: &mut Vec<Problem>,
    ) -> Option<Rc<Loaded>> {
        let start = path.or(self.root.as_deref())?;
        let file = Config::find_for(start)?;
        let stamp = stamp_of(&file);
        if let Some(e) = self.cache.get(&file) {
            if e.stamp == stamp {
                return e.loaded.clone();
            }
        }
        let loaded = match Config::load(&file) {
            Ok(config) => {
                let settings = config.to_settings();
                Some(Rc::new(Loaded { config, settings }))
            }
            Err(e) => {
                let (at, message) = describe_error(&e);
                problems.push(Problem {
                    path: file.clone(),
                    at,
                    message,
                });
                None
            }
        };
        self.cache.insert(
            file,
            Entry {
                stamp,
                loaded: loaded.clone(),
            },
        );
        loaded
    }
}

fn stamp_of(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    }
}

/// Where and why a file cannot be used: its first problem, and how many
/// more there are.
fn describe_error(e: &LoadError) -> (Option<(usize, usize)>, String) {
    match e {
        LoadError::Io(e) => (None, format!("cannot be read: {e}")),
        LoadError::Invalid { text, errors } => {
            let Some(first) = errors.first() else {
                return (None, "is invalid".to_string());
            };
            let at = first.range.start().min(text.len());
            let before = text.get(..at).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut s = first.message.clone();
            if let Some(help) = &first.help {
                s.push_str(&format!(" (help: {help})"));
            }
            match errors.len() {
                1 => {}
                2 => s.push_str(" (and 1 more problem)"),
                n => s.push_str(&format!(" (and {} more problems)", n - 1)),
            }
            (Some((line, column)), s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn finds_the_nearest_file_and_notices_edits() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        fs::write(
            dir.join("asl-lint.toml"),
            "[rules]\nunreachable-state = \"off\"\n",
        )
        .unwrap();
        fs::write(dir.join("sub/.asl-lint.toml"), "ignore = [\"graph\"]\n").unwrap();
        let mut configs = Configs::new(Some(dir.clone()));
        let mut problems = Vec::new();

        let top = configs
            .for_document(Some(&dir.join("a.asl.json")), &mut problems)
            .unwrap();
        assert_eq!(top.settings.levels.len(), 1);
        let sub = configs
            .for_document(Some(&dir.join("sub/deeper/b.asl.json")), &mut problems)
            .unwrap();
        assert_eq!(sub.settings.ignore.len(), 1);
        // Without a path: the workspace folder's file.
        let untitled = configs.for_document(None, &mut problems).unwrap();
        assert!(Rc::ptr_eq(&untitled, &top));
        assert!(problems.is_empty());

        // A broken edit (a different size, so the stamp changes even on a
        // coarse clock) is reported once and falls back to the defaults.
        fs::write(dir.join("asl-lint.toml"), "[rules]\nno-such-rule = 1\n").unwrap();
        assert!(configs
            .for_document(Some(&dir.join("a.asl.json")), &mut problems)
            .is_none());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at, Some((2, 1)), "{problems:?}");
        let shown = problems[0].to_string();
        assert!(
            shown.ends_with(&format!("asl-lint.toml:2:1: {}", problems[0].message)),
            "{shown}"
        );
        assert!(configs
            .for_document(Some(&dir.join("a.asl.json")), &mut problems)
            .is_none());
        assert_eq!(problems.len(), 1);
        // Clearing reads it again (and reports it again).
        configs.clear();
        assert!(configs.for_document(None, &mut problems).is_none());
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn no_file_no_configuration() {
        let mut configs = Configs::new(None);
        let mut problems = Vec::new();
        assert!(configs.for_document(None, &mut problems).is_none());
        assert!(problems.is_empty());
    }
}
