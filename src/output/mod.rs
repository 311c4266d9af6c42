//! Renderers: turn file reports into text for people and machines.

pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::config::absolute;
use crate::lint::FileReport;
use crate::source::{Encoding, SourceFile};
use crate::syntax::TextRange;
use std::path::{Path, PathBuf};

/// The folder that SARIF URIs and GitHub annotation paths are relative to:
/// the root of the git repository holding the current directory (GitHub
/// resolves paths against it), else `GITHUB_WORKSPACE` when set, else the
/// current directory.
pub fn workspace_root() -> PathBuf {
    let cwd = absolute(Path::new("."));
    if let Some(root) = cwd.ancestors().find(|d| d.join(".git").exists()) {
        return root.to_path_buf();
    }
    match std::env::var_os("GITHUB_WORKSPACE") {
        Some(w) if !w.is_empty() => absolute(Path::new(&w)),
        _ => cwd,
    }
}

/// A 1-based line and column counted in Unicode characters, as the CLI prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// The 1-based start and end of `range` in `file`.
pub fn positions(file: &SourceFile, range: TextRange) -> (Position, Position) {
    let (s, e) = file.line_index.range(&file.text, range, Encoding::Chars);
    (
        Position {
            line: s.line + 1,
            column: s.col + 1,
        },
        Position {
            line: e.line + 1,
            column: e.col + 1,
        },
    )
}

/// The 1-based start and end of `range` in `report`. A report without text (a
/// file that could not be read) puts everything at line 1, column 1.
pub fn report_positions(report: &FileReport, range: TextRange) -> (Position, Position) {
    match &report.source {
        Some(file) => positions(file, range),
        None => {
            let start = Position { line: 1, column: 1 };
            (start, start)
        }
    }
}
