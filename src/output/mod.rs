//! Renderers: turn file reports into text for people and machines.

pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::lint::FileReport;
use crate::source::{Encoding, SourceFile};
use crate::syntax::TextRange;

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
