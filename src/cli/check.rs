//! `asl-lint check [PATH]...`: find definitions, lint them in parallel, print
//! the findings in path order.
//!
//! Discovery: a file named on the command line is always linted. Directories
//! are walked in sorted order, following symbolic links (loops are reported,
//! not followed), skipping `.git`, `node_modules`, `target`, `cdk.out` and
//! hidden folders below the named directory. Files named `*.asl.json`,
//! `*.asl.yaml` or `*.asl.yml` are always linted; other `.json`, `.yaml` and
//! `.yml` files only when they hold a state machine. FIFOs, sockets and
//! devices are never opened; files over `--max-file-size` are never read.

use super::{did_you_mean, print, CliError, ExitStatus};
use crate::diagnostic::Severity;
use crate::lint::{lint_bytes, lint_owned_bytes, FileReport, Selection};
use crate::output::{self, concise, human};
use crate::rules::{self, io_error::IO_ERROR, Category, Sink};
use crate::settings::{Level, MachineType, Selector, Settings};
use crate::syntax::TextRange;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
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

    /// The kind of state machine; Express machines allow less.
    #[arg(long = "type", value_enum, default_value_t = MachineKind::Standard)]
    pub machine_type: MachineKind,

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the offending ranges underlined.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// One JSON document for the whole run.
    Json,
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
    let settings = settings(args)?;
    let discovery = discover(args);
    let mut reports: Vec<FileReport> = discovery
        .jobs
        .par_iter()
        .filter_map(|job| lint_job(job, &settings, args.max_file_size))
        .map(|mut report| {
            // Renderers read the text only to place findings: without any,
            // dropping it now keeps memory bounded by the largest file (plus
            // the files with findings), not by the whole run.
            if report.diagnostics.is_empty() {
                report.source = None;
            }
            report
        })
        .collect();
    reports.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));

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
        if args.format == Format::Json {
            // Standard output holds exactly one JSON document.
            eprint!("{stats}");
        } else {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&stats);
        }
    }
    if !args.quiet && args.format != Format::Json {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&summary(reports.len(), errors, warnings, infos));
    }
    print(&out)?;

    let too_many_warnings = args.max_warnings.is_some_and(|max| warnings > max);
    if too_many_warnings {
        eprintln!(
            "error: {warnings} warnings, more than the {} allowed by `--max-warnings`",
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

/// Settings from `--select`, `--ignore`, `--warn` and `--type`.
fn settings(args: &CheckArgs) -> Result<Settings, CliError> {
    let mut settings = Settings {
        select: args
            .select
            .as_ref()
            .map(|v| selectors("--select", v))
            .transpose()?,
        ignore: selectors("--ignore", &args.ignore)?,
        machine_type: match args.machine_type {
            MachineKind::Standard => MachineType::Standard,
            MachineKind::Express => MachineType::Express,
        },
        ..Settings::default()
    };
    // `--warn` changes the severity of rules that run; it never turns on a
    // rule that `--select`/`--ignore` turned off.
    let warn = selectors("--warn", &args.warn)?;
    let warned: Vec<&'static str> = rules::ALL
        .iter()
        .filter(|r| warn.iter().any(|s| s.matches(r)) && settings.severity_of(r).is_some())
        .map(|r| r.name)
        .collect();
    for name in warned {
        settings.levels.insert(name, Level::On(Severity::Warning));
    }
    Ok(settings)
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

/// Something to lint.
#[derive(Debug)]
enum Job {
    /// A file on disk.
    File {
        path: PathBuf,
        display: String,
        selection: Selection,
    },
    /// Bytes already read (standard input).
    Bytes { display: String, bytes: Vec<u8> },
    /// A path that could not be read; becomes an `io-error` finding.
    Failed {
        display: String,
        message: String,
        help: &'static str,
    },
}

impl Job {
    fn display(&self) -> &str {
        match self {
            Job::File { display, .. }
            | Job::Bytes { display, .. }
            | Job::Failed { display, .. } => display,
        }
    }
}

struct Discovery {
    jobs: Vec<Job>,
    /// Paths that do not exist (`path `x` does not exist`).
    missing: Vec<String>,
}

fn discover(args: &CheckArgs) -> Discovery {
    let mut jobs = Vec::new();
    let mut missing = Vec::new();
    let mut stdin_read = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            if !stdin_read {
                stdin_read = true;
                jobs.push(read_stdin(&args.stdin_filename, args.max_file_size));
            }
            continue;
        }
        let display = path.to_string_lossy().into_owned();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut jobs),
            Ok(meta) if meta.is_file() => jobs.push(Job::File {
                path: path.clone(),
                display,
                selection: Selection::Always,
            }),
            Ok(_) => jobs.push(not_regular(display)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if fs::symlink_metadata(path).is_ok() {
                    jobs.push(broken_link(display));
                } else {
                    missing.push(format!("path `{display}` does not exist"));
                }
            }
            Err(e) => jobs.push(cannot_read(display, &e)),
        }
    }
    // The same file named twice (or named and found in a named folder) is
    // linted once.
    let mut seen = HashSet::new();
    jobs.retain(|job| seen.insert(job.display().to_string()));
    Discovery { jobs, missing }
}

fn read_stdin(display: &str, limit: u64) -> Job {
    let mut bytes = Vec::new();
    match io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        Ok(_) if bytes.len() as u64 > limit => too_large(display.to_string(), None, limit),
        Ok(_) => Job::Bytes {
            display: display.to_string(),
            bytes,
        },
        Err(e) => cannot_read(display.to_string(), &e),
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
    } else if [".json", ".yaml", ".yml"]
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

fn walk(root: &Path, jobs: &mut Vec<Job>) {
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
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !skipped_dir(e));
    for entry in walker {
        match entry {
            Ok(entry) => {
                // Directories, FIFOs, sockets and devices are not linted.
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy();
                if let Some(selection) = selection_for(&name) {
                    jobs.push(Job::File {
                        path: entry.path().to_path_buf(),
                        display: display(entry.path()),
                        selection,
                    });
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(root);
                let shown = display(path);
                if let Some(ancestor) = err.loop_ancestor() {
                    jobs.push(Job::Failed {
                        message: format!(
                            "symlink loop at `{shown}`: it links back to `{}`",
                            display(ancestor)
                        ),
                        display: shown,
                        help: "the loop is not followed; the other files are still linted",
                    });
                } else if let Some(e) = err.io_error() {
                    // A dangling link is reported only where a definition
                    // was expected.
                    if e.kind() == io::ErrorKind::NotFound {
                        let name = path.file_name().map(|n| n.to_string_lossy());
                        if name.as_deref().and_then(selection_for) == Some(Selection::Always) {
                            jobs.push(broken_link(shown));
                        }
                    } else {
                        jobs.push(cannot_read(shown, e));
                    }
                }
            }
        }
    }
}

fn lint_job(job: &Job, settings: &Settings, limit: u64) -> Option<FileReport> {
    match job {
        Job::File {
            path,
            display,
            selection,
        } => {
            let bytes = match read_file(path, limit) {
                Ok(bytes) => bytes,
                // Files found by sniffing are skipped when they cannot be
                // read; definitions are reported.
                Err(_) if *selection == Selection::IfStateMachine => return None,
                Err(failed) => {
                    let failed = match failed {
                        ReadError::Io(e) => cannot_read(display.clone(), &e),
                        ReadError::NotRegular => not_regular(display.clone()),
                        ReadError::TooLarge(size) => too_large(display.clone(), size, limit),
                    };
                    return lint_job(&failed, settings, limit);
                }
            };
            lint_owned_bytes(display, bytes, settings, *selection)
        }
        Job::Bytes { display, bytes } => lint_bytes(display, bytes, settings, Selection::Always),
        Job::Failed {
            display,
            message,
            help,
        } => {
            let mut sink = Sink::new(settings, None);
            sink.report(&IO_ERROR, TextRange::empty(0), message.clone())
                .help(*help);
            Some(FileReport {
                path: display.clone(),
                source: None,
                diagnostics: sink.finish(),
            })
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
fn describe(e: &io::Error) -> String {
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

fn cannot_read(display: String, e: &io::Error) -> Job {
    Job::Failed {
        message: format!("cannot read `{display}`: {}", describe(e)),
        display,
        help: if e.kind() == io::ErrorKind::PermissionDenied {
            "check the permissions of the file and of the folders above it"
        } else {
            "the other files are still linted"
        },
    }
}

fn not_regular(display: String) -> Job {
    Job::Failed {
        message: format!("cannot read `{display}`: not a regular file"),
        display,
        help: "FIFOs, sockets and devices are never opened; name a file or a folder",
    }
}

fn broken_link(display: String) -> Job {
    Job::Failed {
        message: format!("cannot read `{display}`: the symbolic link points to nothing"),
        display,
        help: "fix or remove the link",
    }
}

fn too_large(display: String, size: Option<u64>, limit: u64) -> Job {
    let size = size.map_or_else(String::new, |s| format!(" ({s} bytes)"));
    Job::Failed {
        message: format!(
            "cannot read `{display}`: the file is larger{size} than the limit of {limit} bytes"
        ),
        display,
        help: "raise the limit with `--max-file-size`",
    }
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
    fn names_pick_the_selection() {
        assert_eq!(selection_for("a.asl.json"), Some(Selection::Always));
        assert_eq!(selection_for("A.ASL.YML"), Some(Selection::Always));
        assert_eq!(
            selection_for("package.json"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for("x.yaml"), Some(Selection::IfStateMachine));
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
