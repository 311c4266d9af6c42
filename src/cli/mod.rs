//! The command line: `check`, `graph`, `explain`, `rules` and `lsp`.
//!
//! Exit codes: 0 when no error was found, 1 when an error was found (or more
//! warnings than `--max-warnings`), 2 when the command itself failed (bad
//! arguments, a path that does not exist).

pub mod check;
pub mod config;
pub mod explain;
pub mod graph;
pub mod lsp;
pub mod rules;

use clap::{Parser, Subcommand};
use std::fmt;
use std::io::{self, Write};

/// Lint Amazon States Language (AWS Step Functions) definitions.
#[derive(Debug, Parser)]
#[command(
    name = "asl-lint",
    version,
    about,
    arg_required_else_help = true,
    after_help = "Exit codes: 0 no errors, 1 errors found (or more warnings than --max-warnings), \
                  2 the command failed (bad arguments, an invalid configuration file, \
                  a path that does not exist)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (`-` reads standard input).
    Check(check::CheckArgs),
    /// Draw the state machine of a file as a Mermaid or Graphviz diagram,
    /// highlighting the states with findings.
    Graph(graph::GraphArgs),
    /// Print the documentation of one rule.
    Explain(explain::ExplainArgs),
    /// List every rule.
    Rules(rules::RulesArgs),
    /// Run the language server on standard input and output.
    Lsp(lsp::LspArgs),
}

/// How a successful run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing to report (warnings do not fail a run).
    Success,
    /// Errors were found, or too many warnings.
    Failure,
    /// The run finished but part of the command failed (a missing path).
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// A failure of the command itself; printed as `error: …`, exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

pub fn run(cli: Cli) -> Result<ExitStatus, CliError> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    }
}

/// Writes to standard output. A closed pipe (`asl-lint … | head`) is not an
/// error: the reader has seen enough.
pub(crate) fn print(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError(format!("cannot write to standard output: {e}"))),
    }
}

/// ` ; did you mean `x`?`, or nothing.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    match crate::rules::closest(word, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}
