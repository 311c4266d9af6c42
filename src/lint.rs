//! The pipeline for one file: bytes → text → spanned tree → (for templates:
//! the definitions inside, see [`crate::template`]) → schema → model → rules
//! → sorted diagnostics.

use crate::diagnostic::{self, Diagnostic, Fix, Severity};
use crate::model::Machine;
use crate::rules::definition_not_linted::DEFINITION_NOT_LINTED;
use crate::rules::missing_definition_file::MISSING_DEFINITION_FILE;
use crate::rules::schema_violation::SCHEMA_VIOLATION;
use crate::rules::unknown_placeholder::UNKNOWN_PLACEHOLDER;
use crate::rules::unsupported_yaml_tag::UNSUPPORTED_YAML_TAG;
use crate::rules::{self, closest, LintContext, Sink};
use crate::schema;
use crate::settings::{MachineType, Settings};
use crate::source::SourceFile;
use crate::syntax::json::placeholder_end;
use crate::syntax::{
    self, pointer, Document, Format, Node, Options, Parsed, TagUse, TextRange, Value,
};
use crate::template::placeholders::{self, Known, Unknown};
use crate::template::{self, Body, Kind, Region, Virtual};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as the user gave it (or as discovered).
    pub path: String,
    /// The text, when the file could be read (lossily, for invalid UTF-8).
    pub source: Option<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Definition files this file names (SAM `DefinitionUri`), to be linted
    /// with [`lint_reference`] so that the template's substitutions are
    /// known. The CLI does that; a library user may.
    pub referenced: Vec<Reference>,
}

impl FileReport {
    /// A report without referenced files.
    pub fn new(
        path: impl Into<String>,
        source: Option<SourceFile>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        FileReport {
            path: path.into(),
            source,
            diagnostics,
            referenced: Vec::new(),
        }
    }

    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// When a file is linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Named by the user or named like a definition (`*.asl.json`): always.
    Always,
    /// Found while walking: only when it holds a state machine.
    IfStateMachine,
}

/// Why bytes are not text.
struct DecodeError {
    message: String,
    help: &'static str,
    at: usize,
}

/// UTF-16 text without a byte-order mark: the first two code units are
/// ASCII characters, so every other byte is NUL (valid UTF-8, but no JSON or
/// YAML file starts like that).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] => *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii(),
        _ => false,
    }
}

fn decode(bytes: &[u8]) -> (String, Option<DecodeError>) {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(bytes)
    {
        return (
            String::new(),
            Some(DecodeError {
                message: "the file is encoded in UTF-16".into(),
                help: "save it as UTF-8; Step Functions definitions are UTF-8 text",
                at: 0,
            }),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let head = &bytes[..bytes.len().min(8192)];
            let binary = head.contains(&0)
                || head
                    .iter()
                    .filter(|b| b.is_ascii_control() && !b.is_ascii_whitespace())
                    .count()
                    > head.len() / 10;
            let err = if binary {
                DecodeError {
                    message: "this looks like a binary file, not a definition".into(),
                    help:
                        "asl-lint reads JSON and YAML text; remove the file from the paths to lint",
                    at,
                }
            } else {
                DecodeError {
                    message: format!("invalid UTF-8 at byte {at}"),
                    help: "save the file as UTF-8",
                    at,
                }
            };
            (String::from_utf8_lossy(bytes).into_owned(), Some(err))
        }
    }
}

/// A definition file named by a template, with what the template says
/// about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The file to read: the template's folder joined with the path the
    /// template gives, `.` and `..` resolved where they can be.
    pub path: PathBuf,
    /// The state machines it defines.
    pub machines: Vec<String>,
    /// The keys of `DefinitionSubstitutions`; `None` when they are not known
    /// (then placeholders are not checked).
    pub substitutions: Option<BTreeSet<String>>,
    /// The machine type the template declares, if it does; Express when
    /// any template naming the file says Express.
    pub machine_type: Option<MachineType>,
}

impl Reference {
    /// Folds in another reference to the same file: both machines are
    /// named, and a placeholder is accepted when either template defines it
    /// (not checked at all when one of them is not known).
    pub fn merge(&mut self, other: &Reference) {
        for m in &other.machines {
            if !self.machines.contains(m) {
                self.machines.push(m.clone());
            }
        }
        self.substitutions = match (self.substitutions.take(), &other.substitutions) {
            (Some(mut a), Some(b)) => {
                a.extend(b.iter().cloned());
                Some(a)
            }
            _ => None,
        };
        self.machine_type = match (self.machine_type, other.machine_type) {
            (Some(MachineType::Express), _) | (_, Some(MachineType::Express)) => {
                Some(MachineType::Express)
            }
            (a, b) => a.or(b),
        };
    }
}

/// True when a tree is a state machine: an object with both `StartAt` and
/// `States`. One of them alone is common in other JSON and YAML
/// (`{"States": ["CA", "NY"]}`), so a discovered file needs both.
fn looks_like_machine(root: &Node) -> bool {
    root.get("StartAt").is_some() && root.get("States").is_some()
}

/// True when a document is worth linting when found by walking: a state
/// machine, or a template with at least one.
fn holds_machine(root: &Node) -> bool {
    looks_like_machine(root) || template::has_machines(root)
}

/// Cheap textual test used when a discovered file does not parse: report its
/// syntax error only if it mentions both `StartAt` and `States`, or a state
/// machine resource.
pub(crate) fn mentions_machine(text: &str) -> bool {
    (text.contains("StartAt") && text.contains("States"))
        || template::STATE_MACHINE_TYPES
            .iter()
            .any(|t| text.contains(t))
}

fn parse(file: &SourceFile, settings: &Settings) -> (Parsed, Format) {
    let format = file.format;
    let options = Options {
        placeholders: settings.placeholders,
    };
    (syntax::parse_with(&file.text, format, options), format)
}

/// Lints bytes read from `path`. Returns `None` when `selection` is
/// [`Selection::IfStateMachine`] and the file holds no state machine.
pub fn lint_bytes(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    selection: Selection,
) -> Option<FileReport> {
    let file = match decoded(path, bytes, settings, selection) {
        Ok(file) => file,
        Err(report) => return *report,
    };
    lint_source_selected(file, settings, selection, &Context::default())
}

/// Lints a definition file named by a template (see [`FileReport::referenced`]):
/// its findings name the state machines, and with the substitutions known,
/// undefined `${…}` placeholders are reported. `display` is the path shown.
pub fn lint_reference(
    reference: &Reference,
    display: &str,
    bytes: &[u8],
    settings: &Settings,
) -> FileReport {
    let file = match decoded(display, bytes, settings, Selection::Always) {
        Ok(file) => file,
        Err(report) => return report.unwrap_or_else(|| FileReport::new(display, None, Vec::new())),
    };
    let settings = &typed(settings, reference.machine_type);
    let cx = Context {
        machine: Some(reference.machines.join("`, `")),
        known: Known {
            substitutions: reference.substitutions.clone().map(Arc::new),
            sub: None,
        },
    };
    lint_source_selected(file, settings, Selection::Always, &cx)
        .unwrap_or_else(|| FileReport::new(display, None, Vec::new()))
}

/// `settings`, with the machine type a template declares (which wins over
/// `--type` and the configuration) when it declares one.
fn typed(settings: &Settings, declared: Option<MachineType>) -> Cow<'_, Settings> {
    match declared {
        Some(t) if t != settings.machine_type => Cow::Owned(Settings {
            machine_type: t,
            ..settings.clone()
        }),
        _ => Cow::Borrowed(settings),
    }
}

/// The text of `bytes`, or the report for bytes that are not text.
fn decoded(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    selection: Selection,
) -> Result<SourceFile, Box<Option<FileReport>>> {
    let (text, err) = decode(bytes);
    let Some(err) = err else {
        return Ok(SourceFile::new(path, text));
    };
    if selection == Selection::IfStateMachine && !mentions_machine(&text) {
        return Err(Box::new(None));
    }
    let file = SourceFile::new(path, text);
    let mut sink = Sink::new(settings, None);
    // Cover the offending character (U+FFFD in the lossy text) when there is one.
    let at = file.text.len().min(err.at);
    let width = file.text[at..].chars().next().map_or(0, char::len_utf8);
    sink.report(
        &rules::syntax_error::SYNTAX_ERROR,
        TextRange::new(at, at + width),
        err.message,
    )
    .help(err.help);
    let mut diagnostics = sink.finish();
    diagnostic::sort(&mut diagnostics);
    Err(Box::new(Some(FileReport::new(
        path,
        Some(file),
        diagnostics,
    ))))
}

/// Lints a file whose text is already known (stdin, the language server).
/// Definition files it references are not linted (see [`lint_bytes`]).
pub fn lint_source(file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
    let (parsed, format) = parse(file, settings);
    lint_parsed(file, &parsed, format, settings, &Context::default()).0
}

/// Lints a file whose text was already parsed by [`syntax::parse`] as
/// `format` (the language server's documents): the tree is reused when it is
/// the one [`lint_source`] would build, which is when the formats agree and
/// the placeholder pre-pass could change nothing (it only accepts what the
/// strict parser rejects, so a tree without errors stands either way).
pub fn lint_preparsed_source(
    file: &SourceFile,
    parsed: &Parsed,
    format: Format,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let same_tree = format == file.format
        && (format == Format::Yaml || parsed.errors.is_empty() || !settings.placeholders);
    if !same_tree {
        return lint_source(file, settings);
    }
    lint_parsed(file, parsed, format, settings, &Context::default()).0
}

/// What is known about a definition file from elsewhere.
#[derive(Clone, Debug, Default)]
struct Context {
    /// The state machine(s) it defines, named in every finding.
    machine: Option<String>,
    /// The placeholder names the deployment defines.
    known: Known,
}

fn lint_source_selected(
    file: SourceFile,
    settings: &Settings,
    selection: Selection,
    cx: &Context,
) -> Option<FileReport> {
    let (parsed, format) = parse(&file, settings);
    if selection == Selection::IfStateMachine {
        let is_machine = if parsed.documents.is_empty() {
            mentions_machine(&file.text)
        } else {
            parsed.documents.iter().any(|d| holds_machine(&d.root))
        };
        if !is_machine {
            return None;
        }
    }
    let (diagnostics, referenced) = lint_parsed(&file, &parsed, format, settings, cx);
    Some(FileReport {
        path: file.path.clone(),
        source: Some(file),
        diagnostics,
        referenced,
    })
}

fn lint_parsed(
    file: &SourceFile,
    parsed: &Parsed,
    format: Format,
    settings: &Settings,
    cx: &Context,
) -> (Vec<Diagnostic>, Vec<Reference>) {
    let documents = &parsed.documents;
    let mut all = Vec::new();
    let mut referenced = Vec::new();
    {
        let mut sink = Sink::new(settings, documents.first().map(|d| &d.root));
        for e in &parsed.errors {
            let r = sink.report(
                &rules::syntax_error::SYNTAX_ERROR,
                e.range,
                e.message.clone(),
            );
            if let Some(h) = &e.help {
                r.help(h.clone());
            }
        }
        let mut diags = sink.finish();
        if let Some(m) = &cx.machine {
            label(&mut diags, m);
        }
        all.extend(diags);
    }
    // A multi-document YAML file: lint the documents that are state machines
    // or templates (all of them when none is, so the problem is still reported).
    let machines: Vec<(usize, &Document)> = if documents.len() > 1 {
        let m: Vec<(usize, &Document)> = documents
            .iter()
            .enumerate()
            .filter(|(_, d)| holds_machine(&d.root))
            .collect();
        if m.is_empty() {
            documents.iter().enumerate().collect()
        } else {
            m
        }
    } else {
        documents.iter().enumerate().collect()
    };
    let yaml = format == Format::Yaml;
    for (index, doc) in machines {
        match template::classify(&doc.root) {
            Kind::Definition => {
                let mut holes = parsed.placeholders.clone();
                if yaml && settings.placeholders {
                    yaml_placeholders(&file.text, &doc.root, &mut holes);
                }
                holes.sort();
                let mut diags = lint_definition(file, &doc.root, settings, &holes);
                // A file a Serverless Framework service includes (its
                // substitutions are not known) may use CloudFormation tags:
                // the framework resolves them.
                let resolves_cfn = cx.machine.is_some() && cx.known.substitutions.is_none();
                let tags = parsed.tags.iter().filter(|t| t.document == index);
                definition_tags(tags, &doc.root, settings, resolves_cfn, &mut diags);
                if cx.known.substitutions.is_some() {
                    let mut sink = Sink::new(settings, Some(&doc.root));
                    check_tree(&file.text, &doc.root, &cx.known, &[], &[], &mut sink);
                    diags.extend(sink.finish());
                }
                if let Some(m) = &cx.machine {
                    label(&mut diags, m);
                }
                all.extend(diags);
            }
            Kind::CloudFormation | Kind::Serverless => {
                lint_template(file, &doc.root, yaml, settings, &mut all, &mut referenced);
            }
        }
    }
    for d in &mut all {
        d.range = on_char_boundaries(&file.text, d.range);
        for r in &mut d.related {
            r.range = on_char_boundaries(&file.text, r.range);
        }
    }
    diagnostic::sort(&mut all);
    (all, referenced)
}

/// `range` widened to whole characters and clamped to the text. Rules mark
/// "the first character" of a node as one byte, which in YAML (whose keys
/// may start with any character) can end inside a character.
fn on_char_boundaries(text: &str, range: TextRange) -> TextRange {
    let mut start = range.start().min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = range.end().clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::new(start, end)
}

/// Lints one definition document and drops the findings that lie inside a
/// deploy-time placeholder (`holes`, sorted): its value is unknown.
fn lint_definition(
    file: &SourceFile,
    root: &Node,
    settings: &Settings,
    holes: &[TextRange],
) -> Vec<Diagnostic> {
    let mut diags = lint_document(file, root, settings);
    if !holes.is_empty() {
        diags.retain(|d| !inside_any(holes, d.range));
    }
    diags
}

/// True when `range` lies inside one of `holes` (sorted, not overlapping).
fn inside_any(holes: &[TextRange], range: TextRange) -> bool {
    let i = holes.partition_point(|h| h.start <= range.start);
    i > 0 && holes[i - 1].contains_range(range)
}

/// The text size from which one document's schema check and rules are
/// spread over rayon's threads (about 150 states of a typical definition).
pub const PARALLEL_LINT_BYTES: usize = 128 * 1024;

/// Lints one document: schema, then the model-based rules.
///
/// A `schema-violation` about a value is dropped when a finding of another
/// rule is on the same node (same JSON pointer), covers its range and is at
/// least as severe: the dedicated rule (`retry-field-range`,
/// `choice-operand-type`, `wrong-query-language-field` …) reports the same
/// mistake with a better message. Only findings that were reported count,
/// with their configured severity, so when that rule is turned off (or not
/// selected) the schema's finding stays, and a warning never hides an error.
/// Findings about a missing field are never dropped: a rule reporting at the
/// same key is about something else.
///
/// In a document of [`PARALLEL_LINT_BYTES`] or more, the schema and the
/// rules run on rayon's threads (each rule with its own sink; the analyses
/// rules share are computed once, by the first rule that asks). Smaller
/// documents are linted on the calling thread: `asl-lint check` already
/// lints files in parallel, and splitting a small document costs more than
/// it gains. The findings come out in the same order either way: the
/// schema's, then each rule's in registry order.
pub fn lint_document(file: &SourceFile, root: &Node, settings: &Settings) -> Vec<Diagnostic> {
    lint_document_in(file, root, settings, file.text.len() >= PARALLEL_LINT_BYTES)
}

/// [`lint_document`], on rayon's threads or not.
fn lint_document_in(
    file: &SourceFile,
    root: &Node,
    settings: &Settings,
    parallel: bool,
) -> Vec<Diagnostic> {
    let schema = || {
        let mut sink = Sink::new(settings, Some(root));
        let values = schema::check(root, &file.text, &mut sink);
        (sink.finish(), values)
    };
    let rules = || {
        let machine = Machine::build(root);
        let cx = LintContext::new(file, root, &machine, settings);
        let run = |rule: &&'static rules::Rule| {
            let check = rule.check?;
            let mut sink = Sink::new(settings, Some(root));
            if !sink.enabled(rule) {
                return None;
            }
            check(&cx, &mut sink);
            Some(sink.finish())
        };
        if !parallel {
            return rules::ALL.iter().filter_map(run).collect::<Vec<_>>();
        }
        // The analyses rules share, each on a thread of its own, so that
        // rules do not wait in turn for the first of them to finish one.
        rayon::join(
            || cx.jsonpath_sites().len(),
            || {
                rayon::join(
                    || cx.jsonata_sites().len(),
                    || cx.variable_read_issues().len(),
                )
            },
        );
        rules::ALL.par_iter().filter_map(run).collect::<Vec<_>>()
    };
    let ((mut diags, schema_values), by_rule) = if parallel {
        rayon::join(schema, rules)
    } else {
        (schema(), rules())
    };
    diags.extend(by_rule.into_iter().flatten());
    drop_subsumed_schema_findings(&mut diags, schema_values);
    diags
}

/// Drops the `schema-violation` findings about a value (`values`) that a
/// finding of another rule on the same node covers; see [`lint_document`].
/// Linear in the number of findings.
fn drop_subsumed_schema_findings(diags: &mut Vec<Diagnostic>, values: Vec<schema::ValueFinding>) {
    if values.is_empty() {
        return;
    }
    let values: HashSet<schema::ValueFinding> = values.into_iter().collect();
    let mut covering: HashMap<&str, Vec<(TextRange, Severity)>> = HashMap::new();
    for d in diags.iter() {
        if !std::ptr::eq(d.rule, &SCHEMA_VIOLATION) {
            covering
                .entry(d.pointer.as_str())
                .or_default()
                .push((d.range, d.severity));
        }
    }
    if covering.is_empty() {
        return;
    }
    let subsumed: HashSet<usize> = diags
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            std::ptr::eq(d.rule, &SCHEMA_VIOLATION)
                && values.contains(&schema::ValueFinding {
                    range: d.range,
                    pointer: d.pointer.clone(),
                })
                && covering.get(d.pointer.as_str()).is_some_and(|found| {
                    found
                        .iter()
                        .any(|(r, severity)| r.contains_range(d.range) && *severity <= d.severity)
                })
        })
        .map(|(i, _)| i)
        .collect();
    if subsumed.is_empty() {
        return;
    }
    let mut i = 0;
    diags.retain(|_| {
        let keep = !subsumed.contains(&i);
        i += 1;
        keep
    });
}

/// Reports the YAML tags of a definition document that nothing resolves
/// (see [`UNSUPPORTED_YAML_TAG`]). A CloudFormation tag whose object already
/// has an error (`StartAt` must be a string, found object) is named in that
/// error instead. `resolves_cfn`: CloudFormation tags are resolved (files
/// included by the Serverless Framework).
fn definition_tags<'t>(
    tags: impl Iterator<Item = &'t TagUse>,
    root: &Node,
    settings: &Settings,
    resolves_cfn: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut sink = Sink::new(settings, Some(root));
    for t in tags {
        let help_cfn = format!(
            "`{}` is only resolved in a CloudFormation template; in a definition file, write a \
             `${{…}}` placeholder and fill it with the template's `DefinitionSubstitutions`",
            t.name
        );
        if t.cloudformation {
            if resolves_cfn {
                continue;
            }
            let mut named = false;
            for d in diags
                .iter_mut()
                .filter(|d| d.range == t.node && d.severity == diagnostic::Severity::Error)
            {
                d.message
                    .push_str(&format!(" (made by the CloudFormation tag `{}`)", t.name));
                d.help = Some(help_cfn.clone());
                named = true;
            }
            if named {
                continue;
            }
        }
        let range = t.range;
        let ptr = pointer::locate(root, t.node);
        let place = state_of(&ptr);
        let (message, help) = if t.cloudformation {
            (
                format!(
                    "`{}` {place}is a CloudFormation tag, but this is a definition file, not a \
                     template: nothing resolves it",
                    t.name
                ),
                help_cfn,
            )
        } else {
            (
                format!(
                    "tag `{}` {place}is not understood: it is ignored, and the value is read \
                     without it",
                    t.name
                ),
                "remove the tag; the definition is converted to JSON, where YAML tags mean \
                 nothing, and tools that convert it refuse or drop tags they do not know"
                    .to_string(),
            )
        };
        sink.report(&UNSUPPORTED_YAML_TAG, range, message)
            .help(help)
            .pointer(ptr);
    }
    diags.extend(sink.finish());
}

/// "in state `A` " for a pointer inside a state, else "".
fn state_of(ptr: &str) -> String {
    let Some(i) = ptr.rfind("/States/") else {
        return String::new();
    };
    let name = ptr[i + "/States/".len()..].split('/').next().unwrap_or("");
    format!("in state `{}` ", pointer::unescape(name))
}

/// Names the state machine in each finding: ``… (state machine `M`)``. The
/// message carries it so that every output format shows it the same way.
fn label(diags: &mut [Diagnostic], machine: &str) {
    for d in diags {
        d.message.push_str(&format!(" (state machine `{machine}`)"));
    }
}

/// YAML plain scalars that are one `${…}`: the deployment writes the value
/// in the YAML text, so it may be of any type.
fn yaml_placeholders(text: &str, node: &Node, out: &mut Vec<TextRange>) {
    match &node.value {
        Value::String(_) => {
            let r = node.range;
            if text.get(r.start()..r.start() + 2) == Some("${")
                && placeholder_end(text.as_bytes(), r.start()) == Some(r.end())
            {
                out.push(r);
            }
        }
        Value::Array(items) => items.iter().for_each(|n| yaml_placeholders(text, n, out)),
        Value::Object(members) => members
            .iter()
            .for_each(|m| yaml_placeholders(text, &m.value, out)),
        _ => {}
    }
}

/// Reports undefined `${…}` in the strings of a tree. `sub_strings` are
/// strings that were `Fn::Sub` strings (checked with their own names);
/// `made` are placeholders asl-lint made (never checked). Both are sorted
/// by range.
fn check_tree(
    text: &str,
    node: &Node,
    known: &Known,
    sub_strings: &[(TextRange, Known)],
    made: &[TextRange],
    sink: &mut Sink<'_>,
) {
    match &node.value {
        Value::String(_) => {
            if made.binary_search(&node.range).is_ok() {
                return;
            }
            let known = sub_strings
                .binary_search_by(|(r, _)| r.cmp(&node.range))
                .map_or(known, |i| &sub_strings[i].1);
            let Some(src) = text.get(node.range.start()..node.range.end()) else {
                return;
            };
            for f in placeholders::scan(src) {
                let range = TextRange::new(
                    node.range.start() + f.range.start(),
                    node.range.start() + f.range.end(),
                );
                report_unknown(known, &f, range, sink);
            }
        }
        Value::Array(items) => {
            for n in items {
                check_tree(text, n, known, sub_strings, made, sink);
            }
        }
        Value::Object(members) => {
            for m in members {
                check_tree(text, &m.value, known, sub_strings, made, sink);
            }
        }
        _ => {}
    }
}

fn report_unknown(known: &Known, f: &placeholders::Found, range: TextRange, sink: &mut Sink<'_>) {
    let Some(why) = known.check(f) else { return };
    let candidates = known.candidates(&why);
    let typo = closest(&f.name, candidates.iter().copied());
    let (message, help) = match why {
        Unknown::Substitution => (
            format!("placeholder `${{{}}}` is not defined in `DefinitionSubstitutions`", f.name),
            match typo {
                Some(t) => format!("did you mean `{t}`?"),
                None => format!(
                    "add `{}` to the `DefinitionSubstitutions` of the state machine",
                    f.name
                ),
            },
        ),
        Unknown::Sub => (
            format!(
                "`${{{}}}` in `Fn::Sub` names no variable, parameter, resource or pseudo parameter",
                f.name
            ),
            match typo {
                Some(t) => format!("did you mean `{t}`?"),
                None => format!(
                    "define `{}` in the variable map of `Fn::Sub`, or write `${{!{}}}` for the literal text",
                    f.name, f.name
                ),
            },
        ),
    };
    sink.report(&UNKNOWN_PLACEHOLDER, range, message).help(help);
}

/// Lints the definitions of a CloudFormation, SAM or Serverless document.
fn lint_template(
    file: &SourceFile,
    root: &Node,
    yaml: bool,
    settings: &Settings,
    all: &mut Vec<Diagnostic>,
    referenced: &mut Vec<Reference>,
) {
    let extracted = template::extract(&file.text, root, yaml);
    {
        let mut sink = Sink::new(settings, Some(root));
        for note in &extracted.notes {
            sink.report(&DEFINITION_NOT_LINTED, note.range, note.message.clone())
                .help(note.help.clone());
        }
        all.extend(sink.finish());
    }
    for def in extracted.definitions {
        let settings = &typed(settings, def.machine_type);
        let mut diags = match def.body {
            Body::InPlace(p) => {
                let mut holes = p.placeholders.clone();
                if yaml && settings.placeholders {
                    yaml_placeholders(&file.text, &p.root, &mut holes);
                }
                holes.sort();
                let mut diags = lint_definition(file, &p.root, settings, &holes);
                let mut made = p.placeholders;
                made.sort();
                let mut subs = p.sub_strings;
                subs.sort_by_key(|(r, _)| *r);
                let mut sink = Sink::new(settings, Some(&p.root));
                check_tree(&file.text, &p.root, &p.known, &subs, &made, &mut sink);
                diags.extend(sink.finish());
                diags
            }
            Body::Text(v) => lint_virtual(file, &def.machine, &v, settings),
            Body::File(f) => {
                let path = resolve(&file.path, &f.uri);
                if path.is_file() {
                    let r = Reference {
                        path,
                        machines: vec![def.machine.clone()],
                        substitutions: f.substitutions.map(|s| (*s).clone()),
                        machine_type: def.machine_type,
                    };
                    match referenced.iter_mut().find(|x| x.path == r.path) {
                        Some(x) => x.merge(&r),
                        None => referenced.push(r),
                    }
                } else {
                    let mut sink = Sink::new(settings, Some(root));
                    let what = if path.exists() {
                        "is not a file"
                    } else {
                        "does not exist"
                    };
                    sink.report(
                        &MISSING_DEFINITION_FILE,
                        f.range,
                        format!(
                            "definition file `{}` of state machine `{}` {what}",
                            f.uri, def.machine
                        ),
                    )
                    .help(format!(
                        "the path is relative to the template's folder; asl-lint looked for `{}`",
                        path.display()
                    ));
                    all.extend(sink.finish());
                }
                continue;
            }
        };
        for d in &mut diags {
            d.pointer = format!("{}{}", def.pointer, d.pointer);
        }
        label(&mut diags, &def.machine);
        all.extend(diags);
    }
}

/// Lints a definition reassembled from template strings and maps every
/// finding back onto the template.
fn lint_virtual(
    file: &SourceFile,
    machine: &str,
    v: &Virtual,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let vfile = SourceFile::with_format(
        format!("{}#{machine}.json", file.path),
        v.text.clone(),
        Format::Json,
    );
    // Placeholders made for intrinsic functions may stand where a value goes
    // (`"TimeoutSeconds": ${T}`), and so may `Fn::Sub` variables.
    let parsed = syntax::json::parse_with(&v.text, Options { placeholders: true });
    let mut diags = Vec::new();
    if !parsed.errors.is_empty() && !v.computed.is_empty() {
        // `Fn::If`, `Fn::Select` … may put any text there: the JSON is only
        // known at deploy time.
        let names: Vec<String> = v.computed.iter().map(|n| format!("`{n}`")).collect();
        let mut sink = Sink::new(settings, None);
        sink.report(
            &DEFINITION_NOT_LINTED,
            v.key,
            format!(
                "the `DefinitionString` is not linted: it is not JSON until {} is resolved \
                 at deploy time",
                names.join(", ")
            ),
        )
        .help("lint the definition as deployed, or build it from strings, `Ref` and `Fn::GetAtt` only");
        return sink.finish();
    }
    {
        let mut sink = Sink::new(settings, None);
        for e in &parsed.errors {
            let message = if v.text.trim().is_empty() {
                "the definition text is empty".to_string()
            } else {
                format!("in the definition text: {}", e.message)
            };
            let r = sink.report(&rules::syntax_error::SYNTAX_ERROR, e.range, message);
            if let Some(h) = &e.help {
                r.help(h.clone());
            }
        }
        diags.extend(sink.finish());
    }
    if let Some(doc) = parsed.documents.first() {
        diags.extend(lint_definition(
            &vfile,
            &doc.root,
            settings,
            &parsed.placeholders,
        ));
    }
    {
        let mut sink = Sink::new(settings, parsed.documents.first().map(|d| &d.root));
        for f in placeholders::scan(&v.text) {
            let i = v.regions.partition_point(|(r, _)| r.end <= f.range.start);
            if let Some((_, Region::Text(known))) = v.regions.get(i) {
                report_unknown(known, &f, f.range, &mut sink);
            }
        }
        diags.extend(sink.finish());
    }
    for d in &mut diags {
        d.range = v.map.map_range(d.range);
        for r in &mut d.related {
            r.range = v.map.map_range(r.range);
        }
        if let Some(fix) = d.fix.take() {
            d.fix = map_fix(&v.map, fix);
        }
    }
    diags
}

/// A fix on a virtual text, written for the template; `None` when one of its
/// edits cannot be placed exactly.
fn map_fix(map: &template::mapping::SourceMap, fix: Fix) -> Option<Fix> {
    let mut edits = Vec::with_capacity(fix.edits.len());
    for e in fix.edits {
        let (range, replacement) = map.map_edit(e.range, &e.replacement)?;
        edits.push(diagnostic::Edit { range, replacement });
    }
    Some(Fix {
        title: fix.title,
        edits,
    })
}

/// `uri` relative to the folder of `path`, with `.` and `..` resolved
/// lexically where possible.
fn resolve(path: &str, uri: &str) -> PathBuf {
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let joined = base.join(uri);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same findings, in the same order, on rayon's threads or not.
    #[test]
    fn parallel_and_sequential_lints_agree() {
        let mut states = String::new();
        for i in 0..400 {
            // Every state has a few findings of different rules.
            states.push_str(&format!(
                r#""S{i}": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {{"a": "$.x", "b.$": "States.Format('{{}}')"}},
                   "Retry": [{{"ErrorEquals": ["States.ALL", "E"]}}],
                   "TimeoutSeconds": 0, "Nxt": "S{n}", "Next": "S{n}"}},"#,
                n = i + 1
            ));
        }
        let text = format!(
            r#"{{"StartAt": "S0", "States": {{{states} "S400": {{"Type": "Succeed"}}, "Lost": {{"Type": "Pass", "End": true}}}}}}"#
        );
        let file = SourceFile::new("p.asl.json", text);
        let parsed = syntax::json::parse(&file.text);
        let root = &parsed.documents[0].root;
        let settings = Settings::default();
        let show = |d: &Vec<Diagnostic>| {
            d.iter()
                .map(|d| format!("{} {:?} {}", d.rule.name, d.range, d.message))
                .collect::<Vec<_>>()
        };
        let one = show(&lint_document_in(&file, root, &settings, false));
        let many = show(&lint_document_in(&file, root, &settings, true));
        assert!(one.len() > 1_000, "{}", one.len());
        let rules: BTreeSet<&str> = one.iter().map(|l| l.split(' ').next().unwrap()).collect();
        assert!(rules.len() >= 5, "{rules:?}");
        assert_eq!(one, many);
    }

    #[test]
    fn a_preparsed_tree_lints_like_the_text() {
        let cases = [
            (
                "a.asl.json",
                r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
            ),
            // The strict tree has an error the placeholder pre-pass avoids.
            (
                "b.asl.json",
                r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": ${T}, "End": true}}}"#,
            ),
            ("c.asl.json", r#"{"StartAt": "A", "States": {"A": "#),
            (
                "d.asl.yaml",
                "StartAt: A\nStates:\n  A: {Type: Pass, End: yes}\n",
            ),
            // The document's format is not the one its name gives.
            ("e.template", "StartAt: A\nStates:\n  A: {Type: Succeed}\n"),
        ];
        for placeholders in [true, false] {
            let settings = Settings {
                placeholders,
                ..Settings::default()
            };
            for (path, text) in cases {
                let file = SourceFile::new(path, text.to_string());
                for format in [Format::Json, Format::Yaml] {
                    let parsed = syntax::parse(text, format);
                    assert_eq!(
                        format!(
                            "{:?}",
                            lint_preparsed_source(&file, &parsed, format, &settings)
                        ),
                        format!("{:?}", lint_source(&file, &settings)),
                        "{path} as {format:?}, placeholders {placeholders}"
                    );
                }
            }
        }
    }

    fn findings(text: &str, settings: &Settings) -> Vec<(String, String)> {
        let file = SourceFile::new("m.asl.json", text.to_string());
        lint_source(&file, settings)
            .into_iter()
            .map(|d| {
                (
                    d.rule.name.to_string(),
                    text[d.range.start()..d.range.end()].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_dedicated_rule_replaces_the_schema_finding_on_the_same_value() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"f"},"TimeoutSeconds":0,
            "Retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":0.5}],"End":true}}}"#;
        let all = findings(text, &Settings::default());
        assert!(
            all.contains(&("retry-field-range".into(), "0.5".into())),
            "{all:?}"
        );
        assert!(
            all.contains(&("task-timeout-range".into(), "0".into())),
            "{all:?}"
        );
        assert!(
            !all.iter().any(|(rule, _)| rule == "schema-violation"),
            "{all:?}"
        );

        // With the dedicated rule off, the schema's finding stays.
        let mut settings = Settings::default();
        settings
            .levels
            .insert("retry-field-range", crate::settings::Level::Off);
        let some = findings(text, &settings);
        assert!(
            some.contains(&("schema-violation".into(), "0.5".into())),
            "{some:?}"
        );
        assert!(
            !some.contains(&("schema-violation".into(), "0".into())),
            "{some:?}"
        );
        // A warning does not hide an error.
        let mut settings = Settings::default();
        settings.levels.insert(
            "retry-field-range",
            crate::settings::Level::On(Severity::Warning),
        );
        let demoted = findings(text, &settings);
        assert!(
            demoted.contains(&("schema-violation".into(), "0.5".into())),
            "{demoted:?}"
        );
        assert!(
            demoted.contains(&("retry-field-range".into(), "0.5".into())),
            "{demoted:?}"
        );
        // Only the schema.
        let only = findings(
            text,
            &Settings::only(&crate::rules::schema_violation::SCHEMA_VIOLATION),
        );
        assert_eq!(only.len(), 2, "{only:?}");
    }

    #[test]
    fn wrong_query_language_field_replaces_the_schema_finding() {
        let text = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Task",
            "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}"#;
        let all = findings(text, &Settings::default());
        assert_eq!(
            all,
            [(
                "wrong-query-language-field".to_string(),
                "\"Parameters\"".to_string()
            )]
        );
        let mut settings = Settings::default();
        settings
            .levels
            .insert("wrong-query-language-field", crate::settings::Level::Off);
        assert_eq!(
            findings(text, &settings),
            [("schema-violation".to_string(), "\"Parameters\"".to_string())]
        );
    }

    #[test]
    fn a_missing_field_is_never_replaced_by_a_finding_at_the_same_key() {
        // `missing-next-or-end` and "has no `Resource`" both point at the
        // state's name: two different problems.
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Task"}}}"#;
        let all = findings(text, &Settings::default());
        assert!(
            all.contains(&("schema-violation".into(), "\"A\"".into())),
            "{all:?}"
        );
        assert!(
            all.contains(&("missing-next-or-end".into(), "\"A\"".into())),
            "{all:?}"
        );
    }

    #[test]
    fn references_resolve_against_the_template_folder() {
        assert_eq!(
            resolve("a/b/t.yaml", "sm/x.json"),
            PathBuf::from("a/b/sm/x.json")
        );
        assert_eq!(resolve("a/t.yaml", "./../x.json"), PathBuf::from("x.json"));
        assert_eq!(resolve("t.yaml", "../x.json"), PathBuf::from("../x.json"));
        assert_eq!(resolve("<stdin>", "x.json"), PathBuf::from("x.json"));
    }

    #[test]
    fn holes_contain_ranges() {
        let holes = [TextRange::new(2, 5), TextRange::new(10, 20)];
        assert!(inside_any(&holes, TextRange::new(3, 5)));
        assert!(inside_any(&holes, TextRange::new(10, 10)));
        assert!(!inside_any(&holes, TextRange::new(4, 6)));
        assert!(!inside_any(&holes, TextRange::new(0, 1)));
    }

    #[test]
    fn discovered_files_need_both_start_at_and_states() {
        let settings = Settings::default();
        let walked = |path: &str, text: &str| {
            lint_bytes(path, text.as_bytes(), &settings, Selection::IfStateMachine).is_some()
        };
        // One of the two keys alone is common in other data.
        assert!(!walked(
            "regions.json",
            r#"{"States": ["CA", "NY"], "Country": "US"}"#
        ));
        assert!(!walked("job.json", r#"{"StartAt": "2024-01-01"}"#));
        assert!(!walked("regions.yaml", "States:\n  - CA\n  - NY\n"));
        assert!(!walked("job.yml", "StartAt: now\n"));
        // Both make a state machine, however broken.
        assert!(walked("m.json", r#"{"StartAt": "A", "States": {}}"#));
        assert!(walked("m.yaml", "StartAt: A\nStates: []\n"));
        // A named file is linted whatever it holds.
        let named = lint_bytes(
            "regions.json",
            br#"{"States": ["CA"]}"#,
            &settings,
            Selection::Always,
        )
        .expect("named files are linted");
        assert!(!named.diagnostics.is_empty());
    }

    #[test]
    fn files_without_a_json_or_yaml_extension_are_sniffed() {
        assert_eq!(Format::detect("x.template", "  {\"a\": 1}"), Format::Json);
        assert_eq!(Format::detect("x.template", "Resources: {}"), Format::Yaml);
        assert_eq!(Format::detect("x.json", "Resources: {}"), Format::Json);
        assert_eq!(Format::detect("x.YML", "{\"a\": 1}"), Format::Yaml);
        assert_eq!(Format::detect("<stdin>", "StartAt: A\n"), Format::Yaml);
        assert_eq!(Format::detect("<stdin>", "\u{feff}\n [1]"), Format::Json);
        assert_eq!(Format::detect("<stdin>", "# c\n{a: 1}"), Format::Yaml);
        assert_eq!(Format::detect("<stdin>", ""), Format::Json);
        assert_eq!(Format::detect("infra.txt", "Resources:\n"), Format::Yaml);
        assert_eq!(Format::detect("Makefile", "---\n"), Format::Yaml);
    }

    #[test]
    fn yaml_on_stdin_and_under_other_names_is_linted_as_yaml() {
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n";
        for path in ["<stdin>", "infra.txt", "definition"] {
            let file = SourceFile::new(path, yaml.to_string());
            let diags = lint_source(&file, &Settings::default());
            let rules: Vec<&str> = diags.iter().map(|d| d.rule.name).collect();
            assert_eq!(
                rules,
                ["no-terminal-state", "missing-transition-target"],
                "{path}"
            );
        }
    }
}
