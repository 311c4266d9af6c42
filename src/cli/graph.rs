//! `asl-lint graph FILE`: draw the state machine(s) of a file as a Mermaid
//! flowchart or a Graphviz DOT digraph, with the states that carry findings
//! filled in the colour of their severity.
//!
//! The file is linted first with its configuration (suppressions applied), so
//! the picture shows what `asl-lint check` would report. A multi-document
//! YAML file gives one drawing per state machine document, one after the
//! other; `--document N` picks one.
//!
//! CloudFormation and SAM templates and Serverless Framework files give one
//! drawing with a box per state machine, labelled with its logical id (or
//! name): `Definition` objects, `DefinitionString`s and SAM `DefinitionUri`
//! files (linted with the template's substitutions, as `check` does).
//! `--machine ID` picks one. A machine that cannot be drawn (a definition in
//! S3, one computed with `Fn::If`, a missing file) is named on standard
//! error.

use super::config::{ConfigArgs, ConfigId, Overrides, Resolver};
use super::{did_you_mean, print, CliError, ExitStatus};
use crate::diagnostic::Diagnostic;
use crate::graph_render;
use crate::lint::{lint_bytes, lint_reference, FileReport, Selection};
use crate::model::Machine;
use crate::output::concise;
use crate::suppress::Suppressor;
use crate::syntax::{self, Format, Node, Options};
use crate::template::{self, Body, Kind};
use clap::{Args, ValueEnum};
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The definition, template or Serverless file to draw.
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

    /// Draw only this state machine of a CloudFormation/SAM template or
    /// Serverless file (its logical id or name).
    #[arg(long, value_name = "ID")]
    pub machine: Option<String>,

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

/// One state machine to draw.
struct Drawing {
    /// Where it is, for the comment between drawings of several documents.
    origin: String,
    /// The logical id of a template's machine; drawn as the title.
    title: Option<String>,
    root: Node,
    /// Its findings, with pointers relative to `root`.
    diagnostics: Vec<Diagnostic>,
}

/// What a file holds: the machines to draw, and those that cannot be drawn
/// with why.
#[derive(Default)]
struct Found {
    drawings: Vec<Drawing>,
    /// (machine, why) for template machines that cannot be drawn.
    skipped: Vec<(String, String)>,
    /// Every machine of the file's templates, for `--machine` suggestions.
    machines: Vec<String>,
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
    suppress(&mut report, &resolver, config, &args.file);

    let text = report.source.as_ref().map_or("", |s| s.text.as_str());
    let format = report.source.as_ref().map_or(Format::Json, |s| s.format);
    let placeholders = resolver.get(config).settings.placeholders;
    let parsed = syntax::parse_with(text, format, Options { placeholders });
    let mut found = Found::default();
    for (i, doc) in parsed.documents.iter().enumerate() {
        let n = i + 1;
        if args.document.is_some_and(|d| d as usize != n) {
            continue;
        }
        let root = &doc.root;
        // The findings inside this document.
        let diagnostics: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| root.range.contains_range(d.range))
            .cloned()
            .collect();
        if is_machine(root) {
            if args.machine.is_none() {
                found.drawings.push(Drawing {
                    origin: format!("document {n} of {display}"),
                    title: None,
                    root: root.clone(),
                    diagnostics,
                });
            }
        } else if template::classify(root) != Kind::Definition {
            let yaml = format == Format::Yaml;
            machines_of_template(
                args,
                &mut resolver,
                &report,
                (text, root, yaml),
                &diagnostics,
                &mut found,
            );
        }
    }
    if found.drawings.is_empty() {
        let docs = parsed.documents.len();
        let why = match (&args.machine, args.document) {
            (_, Some(n)) if (n as usize) > docs => format!(
                "`{display}` has {docs} document{}, not {n}",
                if docs == 1 { "" } else { "s" }
            ),
            (Some(m), _) => match found.skipped.iter().find(|(s, _)| s == m) {
                Some((_, why)) => {
                    format!("state machine `{m}` of `{display}` cannot be drawn: {why}")
                }
                None if found.machines.is_empty() => format!(
                    "`{display}` holds no template state machine `{m}`; `--machine` picks one \
                     of a CloudFormation/SAM template or Serverless file"
                ),
                None => format!(
                    "`{display}` has no state machine `{m}`{}",
                    did_you_mean(m, found.machines.iter().map(String::as_str))
                ),
            },
            (None, document) => {
                // Show why: the syntax errors, or what else was found.
                eprint!("{}", concise::render(&report, false));
                match document {
                    Some(n) => format!("document {n} of `{display}` is not a state machine"),
                    None => format!("`{display}` holds no state machine to draw"),
                }
            }
        };
        return Err(CliError(why));
    }
    for (machine, why) in &found.skipped {
        eprintln!("warning: state machine `{machine}` of `{display}` is not drawn: {why}");
    }
    let comment = match args.format {
        GraphFormat::Mermaid => "%% ",
        GraphFormat::Dot => "// ",
    };
    let (titled, plain): (Vec<&Drawing>, Vec<&Drawing>) =
        found.drawings.iter().partition(|d| d.title.is_some());
    let pieces = plain.len() + usize::from(!titled.is_empty());
    let mut out = String::new();
    for drawing in plain {
        if !out.is_empty() {
            out.push('\n');
        }
        if pieces > 1 {
            out.push_str(comment);
            out.push_str(&drawing.origin);
            out.push('\n');
        }
        let machine = Machine::build(&drawing.root);
        out.push_str(&match args.format {
            GraphFormat::Mermaid => graph_render::mermaid(&machine, &drawing.diagnostics),
            GraphFormat::Dot => graph_render::dot(&machine, &drawing.diagnostics),
        });
    }
    if !titled.is_empty() {
        // The machines of templates: one drawing, a box per machine.
        if !out.is_empty() {
            out.push('\n');
        }
        if pieces > 1 {
            out.push_str(comment);
            out.push_str(&format!("state machines of templates in {display}\n"));
        }
        let machines: Vec<Machine<'_>> = titled.iter().map(|d| Machine::build(&d.root)).collect();
        let boxes: Vec<graph_render::Titled<'_, '_>> = titled
            .iter()
            .zip(&machines)
            .map(|(d, machine)| graph_render::Titled {
                title: d.title.as_deref().unwrap_or_default(),
                machine,
                diagnostics: &d.diagnostics,
            })
            .collect();
        out.push_str(&match args.format {
            GraphFormat::Mermaid => graph_render::mermaid_machines(&boxes),
            GraphFormat::Dot => graph_render::dot_machines(&boxes),
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

/// Applies the suppressions of the configuration `config` to a report of
/// the file at `path`.
fn suppress(report: &mut FileReport, resolver: &Resolver, config: ConfigId, path: &Path) {
    let resolved = resolver.get(config);
    let relative = resolved.relative_path(path);
    Suppressor::new(&resolved.config.suppress).apply_report(
        report,
        relative.as_deref(),
        &resolved.settings,
    );
}

/// The findings of a template document that belong to the definition at
/// `pointer`, with their pointers made relative to the definition.
fn findings_under(diagnostics: &[Diagnostic], pointer: &str) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let rest = d.pointer.strip_prefix(pointer)?;
            (rest.is_empty() || rest.starts_with('/')).then(|| Diagnostic {
                pointer: rest.to_string(),
                ..d.clone()
            })
        })
        .collect()
}

/// Adds the state machines of one template (or Serverless) document.
/// `document` is the file's text, the document's root and whether it is YAML.
fn machines_of_template(
    args: &GraphArgs,
    resolver: &mut Resolver,
    report: &FileReport,
    document: (&str, &Node, bool),
    diagnostics: &[Diagnostic],
    found: &mut Found,
) {
    let (text, root, yaml) = document;
    let extracted = template::extract(text, root, yaml);
    let wanted = |m: &str| args.machine.as_deref().is_none_or(|w| w == m);
    for note in &extracted.notes {
        found.machines.push(note.machine.clone());
        if wanted(&note.machine) {
            found
                .skipped
                .push((note.machine.clone(), note.message.clone()));
        }
    }
    for def in extracted.definitions {
        found.machines.push(def.machine.clone());
        if !wanted(&def.machine) {
            continue;
        }
        let origin = format!("state machine {} of {}", def.machine, report.path);
        let drawn = match def.body {
            Body::InPlace(p) => Ok((p.root, findings_under(diagnostics, &def.pointer))),
            Body::Text(v) => {
                let parsed = syntax::json::parse_with(&v.text, Options { placeholders: true });
                match parsed.documents.into_iter().next() {
                    Some(d) if parsed.errors.is_empty() && is_machine(&d.root) => {
                        Ok((d.root, findings_under(diagnostics, &def.pointer)))
                    }
                    _ => Err("its definition string is not a state machine in JSON".to_string()),
                }
            }
            Body::File(f) => referenced(resolver, report, &def.machine, &f.uri),
        };
        match drawn {
            Ok((root, diagnostics)) => found.drawings.push(Drawing {
                origin,
                title: Some(def.machine),
                root,
                diagnostics,
            }),
            Err(why) => found.skipped.push((def.machine, why)),
        }
    }
}

/// The definition file of `machine` that the template names (SAM
/// `DefinitionUri`), linted as `check` lints it: with its own configuration
/// and the template's substitutions known.
fn referenced(
    resolver: &mut Resolver,
    report: &FileReport,
    machine: &str,
    uri: &str,
) -> Result<(Node, Vec<Diagnostic>), String> {
    let Some(reference) = report
        .referenced
        .iter()
        .find(|r| r.machines.iter().any(|m| m == machine))
    else {
        return Err(format!("its definition file `{uri}` does not exist"));
    };
    let display = reference.path.to_string_lossy().into_owned();
    let bytes = fs::read(&reference.path).map_err(|e| {
        format!(
            "cannot read its definition file `{display}`: {}",
            super::check::describe(&e)
        )
    })?;
    let config = resolver.for_file(&reference.path);
    if !resolver.errors().is_empty() {
        return Err(format!(
            "the configuration of its definition file `{display}` is invalid"
        ));
    }
    let settings = &resolver.get(config).settings;
    let mut file_report = lint_reference(reference, &display, &bytes, settings);
    suppress(&mut file_report, resolver, config, &reference.path);
    let text = file_report.source.as_ref().map_or("", |s| s.text.as_str());
    let placeholders = settings.placeholders;
    let format = file_report
        .source
        .as_ref()
        .map_or(Format::Json, |s| s.format);
    let parsed = syntax::parse_with(text, format, Options { placeholders });
    let doc = parsed
        .documents
        .into_iter()
        .find(|d| is_machine(&d.root))
        .ok_or_else(|| format!("its definition file `{display}` holds no state machine"))?;
    let diagnostics = file_report
        .diagnostics
        .into_iter()
        .filter(|d| doc.root.range.contains_range(d.range))
        .collect();
    Ok((doc.root, diagnostics))
}
