//! `asl-lint graph FILE`: draw the state machine(s) of a file as a Mermaid
//! flowchart or a Graphviz DOT digraph, with the states that carry findings
//! filled in the colour of their severity.
//!
//! The file is linted first with its configuration (suppressions applied), so
//! the picture shows what `asl-lint check` would report. A multi-document
//! YAML file gives one drawing per state machine document, one after the
//! other; `--document N` picks one.

use super::config::{ConfigArgs, Overrides, Resolver};
use super::{print, CliError, ExitStatus};
use crate::graph_render;
use crate::lint::{lint_bytes, Selection};
use crate::model::Machine;
use crate::output::concise;
use crate::suppress::Suppressor;
use crate::syntax::{self, Format, Node};
use clap::{Args, ValueEnum};
use std::fs;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The definition to draw.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The drawing's language.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,

    /// Write the drawing to this file instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Draw only this document of a multi-document YAML file (1-based).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub document: Option<u32>,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart (GitHub and GitLab render ```mermaid blocks).
    Mermaid,
    /// A Graphviz digraph (`dot -Tsvg`).
    Dot,
}

/// True for a document that is a state machine.
fn is_machine(root: &Node) -> bool {
    root.get("StartAt").is_some() || root.get("States").is_some()
}

pub fn run(args: &GraphArgs) -> Result<ExitStatus, CliError> {
    let mut resolver = Resolver::new(args.config.source(), Overrides::default());
    let config = resolver.for_file(&args.file);
    if resolver.report_errors() {
        return Ok(ExitStatus::Error);
    }
    let display = args.file.to_string_lossy().into_owned();
    let bytes = fs::read(&args.file).map_err(|e| {
        CliError(format!(
            "cannot read `{display}`: {}",
            super::check::describe(&e)
        ))
    })?;
    let resolved = resolver.get(config);
    let Some(mut report) = lint_bytes(&display, &bytes, &resolved.settings, Selection::Always)
    else {
        return Err(CliError(format!("cannot lint `{display}`")));
    };
    let relative = resolved.relative_path(&args.file);
    Suppressor::new(&resolved.config.suppress).apply_report(
        &mut report,
        relative.as_deref(),
        &resolved.settings,
    );

    let text = report.source.as_ref().map_or("", |s| s.text.as_str());
    let parsed = syntax::parse(text, Format::from_path(&display));
    let documents: Vec<(usize, &Node)> = parsed
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (i + 1, &d.root))
        .filter(|(i, root)| args.document.is_none_or(|n| n as usize == *i) && is_machine(root))
        .collect();
    if documents.is_empty() {
        // Show why: the syntax errors, or what else was found.
        eprint!("{}", concise::render(&report, false));
        let why = match args.document {
            Some(n) if (n as usize) > parsed.documents.len() => format!(
                "`{display}` has {} document{}, not {n}",
                parsed.documents.len(),
                if parsed.documents.len() == 1 { "" } else { "s" }
            ),
            Some(n) => format!("document {n} of `{display}` is not a state machine"),
            None => format!("`{display}` holds no state machine to draw"),
        };
        return Err(CliError(why));
    }
    let several = documents.len() > 1;
    let mut out = String::new();
    for (n, root) in documents {
        // The findings inside this document.
        let diags: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| root.range.contains_range(d.range))
            .cloned()
            .collect();
        let machine = Machine::build(root);
        if several {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(match args.format {
                GraphFormat::Mermaid => "%% ",
                GraphFormat::Dot => "// ",
            });
            out.push_str(&format!("document {n} of {display}\n"));
        }
        out.push_str(&match args.format {
            GraphFormat::Mermaid => graph_render::mermaid(&machine, &diags),
            GraphFormat::Dot => graph_render::dot(&machine, &diags),
        });
    }
    match &args.output {
        Some(path) => fs::write(path, out).map_err(|e| {
            CliError(format!(
                "cannot write `{}`: {}",
                path.display(),
                super::check::describe(&e)
            ))
        })?,
        None => print(&out)?,
    }
    Ok(ExitStatus::Success)
}
