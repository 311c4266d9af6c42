//! `asl-lint check [PATH]...`: find definitions, lint them in parallel, apply
//! suppressions, print the findings in path order.
//!
//! Discovery: a file named on the command line is always linted (unless
//! `--only-state-machines` asks to sniff it, or `--force-exclude` excludes
//! it). Directories are walked in sorted order, following symbolic links
//! (loops are reported, not followed), skipping `.git`, `node_modules`,
//! `target`, `cdk.out`, hidden folders below the named directory and whatever
//! the configuration's `exclude` and `--exclude` match. Files named
//! `*.asl.json`, `*.asl.yaml` or `*.asl.yml` are always linted; other
//! `.json`, `.yaml` and `.yml` files only when they hold a state machine.
//! FIFOs, sockets and devices are never opened (one found while walking is
//! reported when it is named like a definition); files over
//! `--max-file-size` are never read. A skipped `cdk.out` that holds
//! templates gets a hint on standard error (for people, not machines).
//!
//! CloudFormation/SAM templates and Serverless Framework files (`.json`,
//! `.yaml`, `.yml`, `.template`) found while walking are linted when they
//! hold at least one state machine; name `cdk.out` or a file in it to lint
//! CDK output. Definition files that templates name (SAM `DefinitionUri`)
//! are linted after the rest, with the template's `DefinitionSubstitutions`
//! known; each is reported once, under the name discovery gave it if it
//! found it too.
//!
//! Configuration ([`super::config`]): each file gets the nearest
//! `asl-lint.toml`; flags override it.

use super::config::{ConfigArgs, ConfigId, Coverage, Overrides, Resolver};
use super::{did_you_mean, print, CliError, ExitStatus};
use crate::config::{absolute, PathPatterns};
use crate::diagnostic::Severity;
use crate::lint::{lint_bytes, lint_reference, FileReport, Reference, Selection};
use crate::output::{self, checkstyle, concise, github, human, junit, sarif};
use crate::rules::{self, io_error::IO_ERROR, Category, Sink};
use crate::settings::{MachineType, Selector, Settings};
use crate::suppress::Suppressor;
use crate::syntax::TextRange;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// Folders never walked into (unless named on the command line).
const SKIPPED_DIRS: [&str; 4] = [".git", "node_modules", "target", "cdk.out"];

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human, env = "ASL_LINT_OUTPUT_FORMAT")]
    pub format: Format,

    /// Print only the findings: no summary line.
    #[arg(short, long)]
    pub quiet: bool,

    /// Run only these rules or categories (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub select: Option<Vec<String>>,

    /// Never run these rules or categories (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub ignore: Vec<String>,

    /// Report these rules or categories as warnings instead of errors.
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub warn: Vec<String>,

    /// The kind of state machine; Express machines allow less. A type a
    /// template declares for its machine wins [default: `type` of the
    /// configuration, or standard].
    #[arg(long = "type", value_enum)]
    pub machine_type: Option<MachineKind>,

    /// Skip files and folders matching these globs, in addition to the
    /// configuration's `exclude` (relative to the current directory,
    /// comma-separated; commas inside `{a,b}` and `[,]` belong to the glob).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply `exclude` to paths named on the command line too (they are
    /// linted otherwise); for pre-commit hooks and editors.
    #[arg(long)]
    pub force_exclude: bool,

    /// Treat named files like files found in folders: lint `*.asl.json`,
    /// `*.asl.yaml` and `*.asl.yml`, and other JSON or YAML files only when
    /// they hold a state machine; skip the rest. For pre-commit hooks.
    #[arg(long)]
    pub only_state_machines: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Fail (exit 1) when there are more than this many warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// After the findings, print how many each rule produced.
    #[arg(long)]
    pub statistics: bool,

    /// Never colour the output (the NO_COLOR variable does the same).
    #[arg(long)]
    pub no_color: bool,

    /// The name of the file read from standard input; its extension picks
    /// JSON or YAML.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,

    /// Files larger than this are reported, not read (bytes, or with a
    /// KiB/MiB/GiB suffix).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Read `${…}` placeholders outside strings (`"TimeoutSeconds": ${T}`)
    /// as the JSON syntax errors they are, instead of as deploy-time values.
    #[arg(long)]
    pub no_placeholders: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the offending ranges underlined.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON document for the whole run.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: one test case per file (GitLab, Jenkins, Azure Pipelines).
    Junit,
    /// Checkstyle XML.
    Checkstyle,
}

impl Format {
    /// Formats whose standard output is one document for a machine: no
    /// summary line, statistics go to standard error.
    fn for_machines(self) -> bool {
        !matches!(self, Format::Human | Format::Concise)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MachineKind {
    Standard,
    Express,
}

/// `1000`, `64MiB`, `10M`, `512k`, `1GiB` → bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size; use bytes or a KiB/MiB/GiB suffix"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown size unit `{unit}`; use KiB, MiB or GiB")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

pub fn run(args: &CheckArgs) -> Result<ExitStatus, CliError> {
    let mut resolver = Resolver::new(args.config.source(), overrides(args)?);
    if resolver.report_errors() {
        return Ok(ExitStatus::Error);
    }
    let discovery = discover(args, &mut resolver);
    if resolver.report_errors() {
        return Ok(ExitStatus::Error);
    }
    let mut linted: Vec<(FileReport, ConfigId)> = discovery
        .jobs
        .par_iter()
        .filter_map(|job| {
            let settings = &resolver.get(job.config).settings;
            let mut report = lint_job(job, settings, args.max_file_size)?;
            // Renderers read the text only to place findings. Dropping it now
            // keeps memory bounded by the files in flight plus those with
            // findings, not by the whole run. YAML files keep it: their
            // suppression comments are read after linting.
            if report.diagnostics.is_empty()
                && report.referenced.is_empty()
                && !is_yaml(&report.path)
            {
                report.source = None;
            }
            Some((report, job.config))
        })
        .collect();
    lint_references(&mut linted, &resolver, args.max_file_size);
    linted.sort_by(|a, b| Path::new(&a.0.path).cmp(Path::new(&b.0.path)));

    let (mut reports, unused) = apply_suppressions(linted, &resolver, &discovery.coverage);
    let files = reports.len();
    reports.extend(unused);

    for message in &discovery.missing {
        eprintln!("error: {message}");
    }

    let count = |s: Severity| -> usize { reports.iter().map(|r| r.count(s)).sum() };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );

    let mut out = String::new();
    match args.format {
        Format::Json => out.push_str(&output::json::render(&reports)),
        Format::Sarif => out.push_str(&sarif::render(&reports, &output::workspace_root())),
        Format::Github => out.push_str(&github::render(&reports, &output::workspace_root())),
        Format::Junit => out.push_str(&junit::render(&reports)),
        Format::Checkstyle => out.push_str(&checkstyle::render(&reports)),
        Format::Concise => {
            for report in &reports {
                out.push_str(&concise::render(report, false));
            }
        }
        Format::Human => {
            let options = human_options(args.no_color);
            for report in &reports {
                out.push_str(&human::render(report, &options));
            }
        }
    }
    if args.statistics {
        let stats = statistics(&reports);
        if args.format.for_machines() {
            // Standard output holds exactly one document.
            eprint!("{stats}");
        } else {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&stats);
        }
    }
    // A run whose only paths were missing checked nothing: the error says it.
    let nothing_but_missing = files == 0 && !discovery.missing.is_empty();
    if !args.quiet && !args.format.for_machines() && !nothing_but_missing {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&summary(files, errors, warnings, infos));
    }
    print(&out)?;
    if !args.quiet && !args.format.for_machines() {
        print_hints(&discovery.cdk_out);
    }

    let too_many_warnings = args.max_warnings.is_some_and(|max| warnings > max);
    if too_many_warnings {
        eprintln!(
            "error: {} warning{}, more than the {} allowed by `--max-warnings`",
            warnings,
            if warnings == 1 { "" } else { "s" },
            args.max_warnings.unwrap_or_default()
        );
    }
    Ok(if !discovery.missing.is_empty() {
        ExitStatus::Error
    } else if errors > 0 || too_many_warnings {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Lints the definition files that templates name (SAM `DefinitionUri`)
/// with the templates' substitutions known, under the configuration of the
/// first template that names each. A file named by several templates is
/// linted once; a file also found by discovery is replaced by this report,
/// under the name discovery gave it.
fn lint_references(linted: &mut Vec<(FileReport, ConfigId)>, resolver: &Resolver, limit: u64) {
    let key = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut order: Vec<PathBuf> = Vec::new();
    let mut wanted: HashMap<PathBuf, (Reference, ConfigId)> = HashMap::new();
    for (report, config) in linted.iter() {
        for r in &report.referenced {
            let k = key(&r.path);
            match wanted.get_mut(&k) {
                Some((existing, _)) => existing.merge(r),
                None => {
                    order.push(k.clone());
                    wanted.insert(k, (r.clone(), *config));
                }
            }
        }
    }
    if order.is_empty() {
        return;
    }
    let mut found: HashMap<PathBuf, usize> = HashMap::new();
    for (i, (report, _)) in linted.iter().enumerate() {
        // A clean report has no text left (see `run`) but was read fine.
        if report.source.is_some() || report.diagnostics.is_empty() {
            found.entry(key(Path::new(&report.path))).or_insert(i);
        }
    }
    let results: Vec<(Option<usize>, FileReport, ConfigId)> = order
        .par_iter()
        .filter_map(|k| {
            let (reference, config) = wanted.get(k)?;
            let settings = &resolver.get(*config).settings;
            let index = found.get(k).copied();
            let display = match index {
                Some(i) => linted[i].0.path.clone(),
                None => reference.path.to_string_lossy().into_owned(),
            };
            let report = match read_file(&reference.path, limit) {
                Ok(bytes) => lint_reference(reference, &display, &bytes, settings),
                Err(failed) => {
                    let job = match failed {
                        ReadError::Io(e) => cannot_read(display, &e, *config),
                        ReadError::NotRegular => not_regular(display, *config),
                        ReadError::TooLarge(size) => too_large(display, size, limit, *config),
                    };
                    lint_job(&job, settings, limit)?
                }
            };
            Some((index, report, *config))
        })
        .collect();
    for (index, report, config) in results {
        match index {
            Some(i) => linted[i].0 = report,
            None => linted.push((report, config)),
        }
    }
}

/// Applies the suppressions of each report's configuration (its
/// `[[suppress]]` entries and the file's own comments). Returns the reports,
/// then one report per configuration file whose entries hid nothing (only
/// entries whose files the run covered are judged).
fn apply_suppressions(
    linted: Vec<(FileReport, ConfigId)>,
    resolver: &Resolver,
    coverage: &Coverage,
) -> (Vec<FileReport>, Vec<FileReport>) {
    let configs = resolver.configs();
    let mut suppressors: Vec<Suppressor<'_>> = configs
        .iter()
        .map(|c| Suppressor::new(&c.config.suppress))
        .collect();
    let reports = linted
        .into_iter()
        .map(|(mut report, id)| {
            let resolved = &configs[id];
            let relative = resolved.relative_path(Path::new(&report.path));
            suppressors[id].apply_report(&mut report, relative.as_deref(), &resolved.settings);
            report
        })
        .collect();
    let mut unused: Vec<FileReport> = configs
        .iter()
        .zip(&suppressors)
        .filter(|(c, _)| c.from_file)
        .filter_map(|(c, s)| {
            s.unused_report_where(&c.config, &c.settings, |entry, applied| {
                if applied {
                    coverage.covers(&c.config.root, entry)
                } else {
                    coverage.covers_unmatched(&c.config, entry)
                }
            })
        })
        .collect();
    unused.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    (reports, unused)
}

fn human_options(no_color: bool) -> human::Options {
    if io::stdout().is_terminal() {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        human::Options::terminal(!no_color && !no_color_env)
    } else {
        human::Options::plain(100)
    }
}

/// `Found 2 errors and 1 warning in 3 files.` / `No problems found in 3 files.`
fn summary(files: usize, errors: usize, warnings: usize, infos: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let in_files = plural(files, "file");
    if files == 0 {
        return "No files to check.\n".into();
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    match parts.len() {
        0 => format!("No problems found in {in_files}.\n"),
        1 => format!("Found {} in {in_files}.\n", parts[0]),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("Found {} and {last} in {in_files}.\n", parts.join(", "))
        }
    }
}

/// One line per rule that fired: count, code, name; most frequent first.
fn statistics(reports: &[FileReport]) -> String {
    let mut counts: BTreeMap<&'static str, (usize, &'static str)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        counts.entry(d.rule.name).or_insert((0, d.rule.code)).0 += 1;
    }
    let mut rows: Vec<(usize, &str, &str)> = counts
        .into_iter()
        .map(|(name, (n, code))| (n, code, name))
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(b.2)));
    let width = rows.first().map_or(1, |r| r.0.to_string().len());
    let mut out = String::new();
    for (n, code, name) in rows {
        let _ = writeln!(out, "{n:>width$}  {code}  {name}");
    }
    out
}

/// What `--select`, `--ignore`, `--warn`, `--type` and `--exclude` change.
fn overrides(args: &CheckArgs) -> Result<Overrides, CliError> {
    let globs: Vec<&str> = args
        .exclude
        .iter()
        .flat_map(|v| split_globs(v))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let exclude = PathPatterns::new(globs.iter().copied()).map_err(|(i, why)| {
        let pattern = globs.get(i).copied().unwrap_or_default();
        CliError(format!("invalid glob `{pattern}` in `--exclude`: {why}"))
    })?;
    Ok(Overrides {
        select: args
            .select
            .as_ref()
            .map(|v| selectors("--select", v))
            .transpose()?,
        ignore: selectors("--ignore", &args.ignore)?,
        warn: selectors("--warn", &args.warn)?,
        machine_type: args.machine_type.map(|t| match t {
            MachineKind::Standard => MachineType::Standard,
            MachineKind::Express => MachineType::Express,
        }),
        exclude,
        no_placeholders: args.no_placeholders,
    })
}

/// Splits a comma-separated list of globs at the commas that separate them:
/// not those inside `{a,b}` alternatives or `[…]` classes, nor an escaped
/// `\,`.
fn split_globs(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut braces, mut class, mut escaped) = (0usize, false, false);
    let mut start = 0;
    for (i, c) in list.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            '{' if !class => braces += 1,
            '}' if !class => braces = braces.saturating_sub(1),
            ',' if !class && braces == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out
}

fn selectors(flag: &str, values: &[String]) -> Result<Vec<Selector>, CliError> {
    let mut out = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let Some(selector) = Selector::parse(value) else {
            let candidates = rules::ALL
                .iter()
                .flat_map(|r| [r.name, r.code])
                .chain(Category::ALL.iter().map(|c| c.as_str()));
            return Err(CliError(format!(
                "unknown rule or category `{value}` in `{flag}`{}",
                did_you_mean(value, candidates)
            )));
        };
        out.push(selector);
    }
    Ok(out)
}

/// Something to lint, with its configuration.
#[derive(Debug)]
struct Job {
    /// The path as shown in the output.
    display: String,
    config: ConfigId,
    kind: JobKind,
}

#[derive(Debug)]
enum JobKind {
    /// A file on disk.
    File { path: PathBuf, selection: Selection },
    /// Bytes already read (standard input).
    Bytes(Vec<u8>),
    /// A path that could not be read; becomes an `io-error` finding.
    Failed { message: String, help: &'static str },
}

struct Discovery {
    jobs: Vec<Job>,
    /// Paths that do not exist (`path `x` does not exist`).
    missing: Vec<String>,
    /// What was walked and named, to judge unused suppressions.
    coverage: Coverage,
    /// `cdk.out` folders skipped while walking.
    cdk_out: Vec<String>,
}

fn discover(args: &CheckArgs, resolver: &mut Resolver) -> Discovery {
    let mut jobs = Vec::new();
    let mut missing = Vec::new();
    let mut coverage = Coverage::default();
    let mut walked = Walked::default();
    let mut stdin_read = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            if !stdin_read {
                stdin_read = true;
                // The configuration of the folder the name places it in.
                let name = Path::new(&args.stdin_filename);
                if args.force_exclude && resolver.is_excluded(name) {
                    continue;
                }
                let config = resolver.for_file(name);
                jobs.push(read_stdin(&args.stdin_filename, args.max_file_size, config));
            }
            continue;
        }
        let display = path.to_string_lossy().into_owned();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if args.force_exclude && resolver.is_excluded(path) {
                    coverage.unseen_dirs.push(absolute(path));
                    continue;
                }
                coverage.dirs.push(absolute(path));
                // Read the folder's configuration even when it holds no
                // definition: its `[[suppress]]` entries are judged.
                resolver.for_dir(path);
                walk(path, resolver, &mut jobs, &mut walked, &mut coverage);
            }
            Ok(meta) if meta.is_file() => {
                if args.force_exclude && resolver.is_excluded(path) {
                    coverage.unseen_files.push(absolute(path));
                    continue;
                }
                let selection = if args.only_state_machines {
                    let name = path.file_name().map(|n| n.to_string_lossy());
                    match name.as_deref().and_then(selection_for) {
                        Some(selection) => selection,
                        None => continue,
                    }
                } else {
                    Selection::Always
                };
                coverage.files.push(absolute(path));
                jobs.push(Job {
                    display,
                    config: resolver.for_file(path),
                    kind: JobKind::File {
                        path: path.clone(),
                        selection,
                    },
                });
            }
            Ok(_) => jobs.push(not_regular(display, resolver.for_file(path))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if fs::symlink_metadata(path).is_ok() {
                    jobs.push(broken_link(display, resolver.for_file(path)));
                } else {
                    missing.push(format!("path `{display}` does not exist"));
                }
            }
            Err(e) => jobs.push(cannot_read(display, &e, resolver.for_file(path))),
        }
    }
    // The same file named twice (or named and found in a named folder) is
    // linted once.
    let mut seen = HashSet::new();
    jobs.retain(|job| seen.insert(job.display.clone()));
    // A skipped folder that was also named was walked after all.
    coverage
        .unseen_dirs
        .retain(|u| !coverage.dirs.iter().any(|d| d == u));
    // A `cdk.out` that was named, or holds a named file, needs no hint.
    let named: Vec<PathBuf> = args.paths.iter().map(|p| absolute(p)).collect();
    walked.cdk_out.retain(|dir| {
        let dir = absolute(Path::new(dir));
        !named.iter().any(|p| p.starts_with(&dir))
    });
    walked.cdk_out.dedup();
    Discovery {
        jobs,
        missing,
        coverage,
        cdk_out: walked.cdk_out,
    }
}

/// How many CloudFormation templates CDK wrote in `dir` (a `cdk.out`):
/// `*.template.json` at its top and in its nested assemblies
/// (`assembly-*` folders, one per stage).
fn cdk_templates(dir: &Path) -> usize {
    let is_template = |e: &fs::DirEntry| {
        e.file_name()
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".template.json")
            && e.file_type().is_ok_and(|t| t.is_file())
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut count = 0;
    for e in entries.flatten() {
        if is_template(&e) {
            count += 1;
        } else if e.file_name().to_string_lossy().starts_with("assembly-")
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            if let Ok(inner) = fs::read_dir(e.path()) {
                count += inner.flatten().filter(is_template).count();
            }
        }
    }
    count
}

/// The hints printed on standard error for people (not machine formats):
/// `cdk.out` folders the walk skipped that hold templates.
fn print_hints(cdk_out: &[String]) {
    for dir in cdk_out {
        let n = cdk_templates(Path::new(dir));
        if n > 0 {
            eprintln!(
                "hint: `{dir}` holds {n} CloudFormation template{} that {} not linted: \
                 folders named `cdk.out` are skipped; name it to lint {}: `asl-lint check {dir}`",
                if n == 1 { "" } else { "s" },
                if n == 1 { "was" } else { "were" },
                if n == 1 { "it" } else { "them" },
            );
        }
    }
}

fn read_stdin(display: &str, limit: u64, config: ConfigId) -> Job {
    let mut bytes = Vec::new();
    match io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        Ok(_) if bytes.len() as u64 > limit => too_large(display.to_string(), None, limit, config),
        Ok(_) => Job {
            display: display.to_string(),
            config,
            kind: JobKind::Bytes(bytes),
        },
        Err(e) => cannot_read(display.to_string(), &e, config),
    }
}

/// How a file found while walking is selected, by its name; `None` skips it.
fn selection_for(name: &str) -> Option<Selection> {
    let lower = name.to_ascii_lowercase();
    if [".asl.json", ".asl.yaml", ".asl.yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        Some(Selection::Always)
    } else if [".json", ".yaml", ".yml", ".template"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        Some(Selection::IfStateMachine)
    } else {
        None
    }
}

fn skipped_dir(entry: &DirEntry) -> bool {
    if entry.depth() == 0 || !entry.file_type().is_dir() {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    SKIPPED_DIRS.contains(&name.as_ref()) || name.starts_with('.')
}

/// What a walk noticed besides the files to lint.
#[derive(Default)]
struct Walked {
    /// Skipped `cdk.out` folders (as displayed), for the hint that naming
    /// them lints their templates.
    cdk_out: Vec<String>,
}

fn walk(
    root: &Path,
    resolver: &mut Resolver,
    jobs: &mut Vec<Job>,
    found: &mut Walked,
    coverage: &mut Coverage,
) {
    let display = |p: &Path| -> String {
        let p = if root == Path::new(".") {
            p.strip_prefix(".").unwrap_or(p)
        } else {
            p
        };
        if p.as_os_str().is_empty() {
            ".".to_string()
        } else {
            p.to_string_lossy().into_owned()
        }
    };
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_dir() {
                    // The named folder itself is never skipped or excluded.
                    if skipped_dir(&entry) {
                        if entry.file_name() == "cdk.out" {
                            coverage.unseen_dirs.push(absolute(entry.path()));
                            if !resolver.is_excluded_below(entry.path(), root) {
                                found.cdk_out.push(display(entry.path()));
                            }
                        }
                        walker.skip_current_dir();
                    } else if entry.depth() > 0 && resolver.is_excluded_below(entry.path(), root) {
                        coverage.unseen_dirs.push(absolute(entry.path()));
                        walker.skip_current_dir();
                    }
                    continue;
                }
                let name = entry.file_name().to_string_lossy();
                let Some(selection) = selection_for(&name) else {
                    continue;
                };
                if resolver.is_excluded_below(entry.path(), root) {
                    coverage.unseen_files.push(absolute(entry.path()));
                    continue;
                }
                // FIFOs, sockets and devices are never opened (opening a FIFO
                // blocks); one named like a definition is reported.
                if !entry.file_type().is_file() {
                    if selection == Selection::Always {
                        let shown = display(entry.path());
                        let config = resolver.for_file(entry.path());
                        jobs.push(failed(
                            shown.clone(),
                            config,
                            format!("cannot read `{shown}`: not a regular file"),
                            "FIFOs, sockets and devices are never opened; \
                             rename it or add it to `exclude`",
                        ));
                    }
                    continue;
                }
                jobs.push(Job {
                    display: display(entry.path()),
                    config: resolver.for_file(entry.path()),
                    kind: JobKind::File {
                        path: entry.path().to_path_buf(),
                        selection,
                    },
                });
            }
            Err(err) => {
                let path = err.path().unwrap_or(root);
                let shown = display(path);
                if resolver.is_excluded_below(path, root) {
                    continue;
                }
                let config = resolver.for_file(path);
                if let Some(ancestor) = err.loop_ancestor() {
                    jobs.push(Job {
                        kind: JobKind::Failed {
                            message: format!(
                                "symlink loop at `{shown}`: it links back to `{}`",
                                display(ancestor)
                            ),
                            help: "the loop is not followed; the other files are still linted",
                        },
                        display: shown,
                        config,
                    });
                } else if let Some(e) = err.io_error() {
                    // A dangling link is reported only where a definition
                    // was expected.
                    if e.kind() == io::ErrorKind::NotFound {
                        let name = path.file_name().map(|n| n.to_string_lossy());
                        if name.as_deref().and_then(selection_for) == Some(Selection::Always) {
                            jobs.push(broken_link(shown, config));
                        }
                    } else {
                        jobs.push(cannot_read(shown, e, config));
                    }
                }
            }
        }
    }
}

fn lint_job(job: &Job, settings: &Settings, limit: u64) -> Option<FileReport> {
    let display = &job.display;
    match &job.kind {
        JobKind::File { path, selection } => {
            let bytes = match read_file(path, limit) {
                Ok(bytes) => bytes,
                // Files found by sniffing are skipped when they cannot be
                // read; definitions are reported.
                Err(_) if *selection == Selection::IfStateMachine => return None,
                Err(failed) => {
                    let failed = match failed {
                        ReadError::Io(e) => cannot_read(display.clone(), &e, job.config),
                        ReadError::NotRegular => not_regular(display.clone(), job.config),
                        ReadError::TooLarge(size) => {
                            too_large(display.clone(), size, limit, job.config)
                        }
                    };
                    return lint_job(&failed, settings, limit);
                }
            };
            lint_bytes(display, &bytes, settings, *selection)
        }
        JobKind::Bytes(bytes) => lint_bytes(display, bytes, settings, Selection::Always),
        JobKind::Failed { message, help } => {
            let mut sink = Sink::new(settings, None);
            sink.report(&IO_ERROR, TextRange::empty(0), message.clone())
                .help(*help);
            Some(FileReport::new(display.clone(), None, sink.finish()))
        }
    }
}

enum ReadError {
    Io(io::Error),
    NotRegular,
    TooLarge(Option<u64>),
}

/// Reads a regular file of at most `limit` bytes. The type is checked before
/// opening, so a FIFO is never opened (opening one blocks).
fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    let file = fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(None));
    }
    Ok(bytes)
}

/// `permission denied`, from `Permission denied (os error 13)`.
pub(crate) fn describe(e: &io::Error) -> String {
    let text = e.to_string();
    let text = text
        .find(" (os error")
        .map_or(text.as_str(), |i| &text[..i]);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".into(),
    }
}

fn failed(display: String, config: ConfigId, message: String, help: &'static str) -> Job {
    Job {
        display,
        config,
        kind: JobKind::Failed { message, help },
    }
}

fn cannot_read(display: String, e: &io::Error, config: ConfigId) -> Job {
    let message = format!("cannot read `{display}`: {}", describe(e));
    let help = if e.kind() == io::ErrorKind::PermissionDenied {
        "check the permissions of the file and of the folders above it"
    } else {
        "the other files are still linted"
    };
    failed(display, config, message, help)
}

fn not_regular(display: String, config: ConfigId) -> Job {
    let message = format!("cannot read `{display}`: not a regular file");
    let help = "FIFOs, sockets and devices are never opened; name a file or a folder";
    failed(display, config, message, help)
}

fn broken_link(display: String, config: ConfigId) -> Job {
    let message = format!("cannot read `{display}`: the symbolic link points to nothing");
    failed(display, config, message, "fix or remove the link")
}

fn too_large(display: String, size: Option<u64>, limit: u64, config: ConfigId) -> Job {
    let size = size.map_or_else(String::new, |s| format!(" ({s} bytes)"));
    let message = format!(
        "cannot read `{display}`: the file is larger{size} than the limit of {limit} bytes"
    );
    failed(
        display,
        config,
        message,
        "raise the limit with `--max-file-size`",
    )
}

/// True for a path with a YAML extension.
fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn globs_split_outside_braces_and_classes() {
        assert_eq!(split_globs("a/**,b"), ["a/**", "b"]);
        assert_eq!(split_globs("{sub,x}/**"), ["{sub,x}/**"]);
        assert_eq!(
            split_globs("{a,b}/*,c/{d,e},[,]x"),
            ["{a,b}/*", "c/{d,e}", "[,]x"]
        );
        assert_eq!(split_globs("a\\,b,c"), ["a\\,b", "c"]);
        assert_eq!(split_globs("{unclosed,x"), ["{unclosed,x"]);
        assert_eq!(split_globs(""), [""]);
    }

    #[test]
    fn names_pick_the_selection() {
        assert_eq!(selection_for("a.asl.json"), Some(Selection::Always));
        assert_eq!(selection_for("A.ASL.YML"), Some(Selection::Always));
        assert_eq!(
            selection_for("package.json"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for("x.yaml"), Some(Selection::IfStateMachine));
        assert_eq!(
            selection_for("stack.template"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for("README.md"), None);
        assert_eq!(selection_for("asl.json.bak"), None);
    }

    #[test]
    fn summary_lines() {
        assert_eq!(summary(3, 0, 0, 0), "No problems found in 3 files.\n");
        assert_eq!(summary(1, 1, 0, 0), "Found 1 error in 1 file.\n");
        assert_eq!(
            summary(2, 2, 1, 3),
            "Found 2 errors, 1 warning and 3 infos in 2 files.\n"
        );
        assert_eq!(summary(0, 0, 0, 0), "No files to check.\n");
    }

    #[cfg(unix)]
    #[test]
    fn io_errors_read_like_messages() {
        let e = io::Error::from_raw_os_error(13);
        assert_eq!(describe(&e), "permission denied");
    }
}
