//! The `asl-lint` command end to end: exit codes, output formats, discovery,
//! flags, `explain`, `rules` and hostile input.
//!
//! Every run happens inside a fresh temporary folder with relative paths, so
//! outputs hold no temporary paths and snapshots need no filters.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A definition no rule should ever flag.
const VALID: &str = r#"{
  "Comment": "a valid machine",
  "StartAt": "Only",
  "States": {
    "Only": { "Type": "Pass", "End": true }
  }
}
"#;

/// A definition with one syntax error (a trailing comma) on line 4.
const SYNTAX_ERROR: &str = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "End": true, }
  }
}
"#;

/// A definition whose only problem is the same key twice, under a state
/// name written with non-ASCII characters.
const DUPLICATE: &str = "{\n  \"StartAt\": \"Ünïcödé\",\n  \"States\": {\n    \"Ünïcödé\": { \"Type\": \"Pass\", \"Comment\": \"é\", \"Comment\": \"ü\", \"End\": true }\n  }\n}\n";

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            dir: tempfile::Builder::new()
                .prefix("asl-lint-cli-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&p, bytes).expect("write file");
        p
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = cargo_bin_cmd!("asl-lint");
        c.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("ASL_LINT_OUTPUT_FORMAT")
            .env_remove("GITHUB_WORKSPACE")
            .timeout(Duration::from_secs(60));
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `check --format json ARGS` and parses standard output.
    fn json(&self, args: &[&str]) -> (i32, Value, String) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = self.run(&all);
        let v = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
        (code, v, stderr)
    }
}

fn paths(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .expect("files is an array")
        .iter()
        .map(|f| f["path"].as_str().expect("path is a string").to_string())
        .collect()
}

fn file<'v>(v: &'v Value, path: &str) -> &'v Value {
    v["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("`{path}` is not listed in {v:#}"))
}

fn rules_of(v: &Value, path: &str) -> Vec<String> {
    file(v, path)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_0_when_clean() {
    let t = Tree::new();
    t.write("ok.asl.json", VALID);
    let (code, stdout, _) = t.run(&["check", "ok.asl.json"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "No problems found in 1 file.\n");
}

#[test]
fn exit_1_on_errors() {
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    let (code, stdout, _) = t.run(&["check", "bad.asl.json"]);
    assert_eq!(code, 1);
    assert!(stdout.ends_with("Found 1 error in 1 file.\n"), "{stdout}");
}

#[test]
fn exit_2_on_a_missing_path_and_the_other_files_are_still_linted() {
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    t.write("ok.asl.json", VALID);
    let (code, v, stderr) = t.json(&["nope.asl.json", "bad.asl.json", "ok.asl.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: path `nope.asl.json` does not exist"),
        "{stderr}"
    );
    assert_eq!(paths(&v), ["bad.asl.json", "ok.asl.json"]);
    assert_eq!(rules_of(&v, "bad.asl.json"), ["syntax-error"]);

    // Nothing but a missing path: the error alone, no "No files to check.".
    let (code, stdout, stderr) = t.run(&["check", "nope.asl.json"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "error: path `nope.asl.json` does not exist\n");
    // With files linted besides, the summary stays.
    let (code, stdout, _) = t.run(&["check", "nope.asl.json", "ok.asl.json"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "No problems found in 1 file.\n");
}

#[test]
fn exit_2_on_usage_errors() {
    let t = Tree::new();
    let (code, _, stderr) = t.run(&["check", "--no-such-flag"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = t.run(&["check", "--format", "xml"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = t.run(&["frobnicate"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = t.run(&["check", "--max-warnings", "-3"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn no_arguments_prints_help() {
    let t = Tree::new();
    let (code, stdout, stderr) = t.run(&[]);
    assert_eq!(code, 2);
    let all = stdout + &stderr;
    assert!(all.contains("Usage: asl-lint"), "{all}");
    assert!(all.contains("check"), "{all}");
    let (code, stdout, _) = t.run(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Exit codes"), "{stdout}");
}

// ---------------------------------------------------------------- formats

#[test]
fn json_output_field_by_field() {
    let t = Tree::new();
    t.write("dup.asl.json", DUPLICATE);
    t.write("ok.asl.json", VALID);
    let (code, v, _) = t.json(&["dup.asl.json", "ok.asl.json"]);
    assert_eq!(code, 1);

    let top: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(top, ["version", "files", "summary"]);
    assert_eq!(v["version"], 1);
    assert_eq!(paths(&v), ["dup.asl.json", "ok.asl.json"]);
    assert_eq!(
        file(&v, "ok.asl.json")["diagnostics"],
        serde_json::json!([])
    );

    let diags = file(&v, "dup.asl.json")["diagnostics"]
        .as_array()
        .expect("array");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    let keys: Vec<&String> = d.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["rule", "code", "severity", "message", "help", "pointer", "range", "related"]
    );
    assert_eq!(d["rule"], "duplicate-key");
    assert_eq!(d["code"], "ASL002");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .expect("message")
            .contains("`Comment`"),
        "{d}"
    );
    assert!(d["help"].is_string() || d["help"].is_null());
    assert_eq!(d["pointer"], "/States/Ünïcödé/Comment");

    // The second `"Comment"` on line 4. Columns count characters: before
    // it, `Ünïcödé` and `é` are 8 characters but 13 bytes, so a byte column
    // would be 5 larger.
    let line4 = DUPLICATE.lines().nth(3).expect("line 4");
    let byte_col = line4.rfind("\"Comment\"").expect("key") + 1;
    let char_col = line4[..byte_col - 1].chars().count() + 1;
    assert_eq!((char_col, byte_col), (50, 55));
    assert_eq!(
        d["range"],
        serde_json::json!({
            "start": {"line": 4, "column": 50},
            "end": {"line": 4, "column": 59}
        })
    );
    // The first `"Comment"`, where the key was first defined, is related.
    let first_col = line4.find("\"Comment\"").expect("key") + 1;
    let first_col = line4[..first_col - 1].chars().count() + 1;
    assert_eq!(d["related"].as_array().map(Vec::len), Some(1), "{d:#}");
    assert_eq!(
        d["related"][0]["range"],
        serde_json::json!({
            "start": {"line": 4, "column": first_col},
            "end": {"line": 4, "column": first_col + 9}
        })
    );
    assert!(d["related"][0]["message"].is_string());
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 2, "errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn json_output_has_nothing_but_json_on_stdout() {
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    let (code, v, stderr) = t.json(&["--statistics", "bad.asl.json"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["errors"], 1);
    // Statistics go to standard error so standard output stays one document.
    assert!(stderr.contains("ASL001  syntax-error"), "{stderr}");
}

#[test]
fn concise_output() {
    let t = Tree::new();
    t.write("dup.asl.json", DUPLICATE);
    t.write("bad.asl.json", SYNTAX_ERROR);
    t.write("ok.asl.json", VALID);
    let (code, stdout, _) = t.run(&["check", "--format", "concise", "."]);
    assert_eq!(code, 1);
    let mut lines = stdout.lines();
    let first = lines.next().expect("a line");
    assert!(
        first.starts_with("bad.asl.json:4:41: error[syntax-error] "),
        "{stdout}"
    );
    let second = lines.next().expect("a line");
    assert!(
        second.starts_with("dup.asl.json:4:50: error[duplicate-key] "),
        "{stdout}"
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("Found 2 errors in 3 files."));
    assert_eq!(lines.next(), None);
}

#[test]
fn human_output() {
    let t = Tree::new();
    t.write("dup.asl.json", DUPLICATE);
    t.write("bad.asl.json", SYNTAX_ERROR);
    t.write("ok.asl.json", VALID);
    let (code, stdout, stderr) = t.run(&["check", "."]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn human_output_never_colours_a_pipe() {
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    let out = t
        .cmd()
        .env_remove("NO_COLOR")
        .args(["check", "bad.asl.json"])
        .output()
        .expect("runs");
    assert!(!out.stdout.contains(&0x1b), "escape codes in a pipe");
    assert!(out.stdout.is_ascii(), "ASCII drawing in a pipe");
}

/// On a terminal (a pseudo-terminal made by util-linux `script`), the human
/// format is coloured, unless `NO_COLOR` is set or `--no-color` is given.
#[test]
fn human_output_colours_a_terminal_unless_told_not_to() {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: util-linux `script` is not installed (it makes the pseudo-terminal)");
        return;
    }
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    let bin = env!("CARGO_BIN_EXE_asl-lint");
    let run = |extra: &str, no_color: bool| {
        let mut cmd = std::process::Command::new(script);
        cmd.current_dir(t.dir.path())
            .args([
                "-qec",
                &format!("{bin} check bad.asl.json {extra}"),
                "/dev/null",
            ])
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("script runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = run("", false);
    assert!(coloured.contains("syntax-error"), "{coloured}");
    assert!(
        coloured.contains("\u{1b}["),
        "no colour on a terminal: {coloured}"
    );
    for (extra, env) in [("", true), ("--no-color", false)] {
        let plain = run(extra, env);
        assert!(plain.contains("syntax-error"), "{plain}");
        assert!(
            !plain.contains("\u{1b}["),
            "colour with NO_COLOR={env} {extra}: {plain:?}"
        );
    }
}

// ---------------------------------------------------------------- discovery

#[test]
fn discovery_is_sorted_skips_vendored_and_hidden_folders_and_sniffs() {
    let t = Tree::new();
    t.write("b.asl.json", VALID);
    t.write("a/z.asl.json", VALID);
    t.write("a/y.json", VALID);
    t.write("a-b/x.asl.yml", "StartAt: A\n");
    t.write("foo.json", VALID);
    t.write("broken.json", "{\"StartAt\": \"A\", \"States\": {");
    t.write("package.json", r#"{"name": "x", "version": "1.0.0"}"#);
    t.write("config.yaml", "name: x\n");
    t.write("tsconfig.json", "{ not json at all");
    t.write("notes.txt", VALID);
    t.write("node_modules/m.asl.json", SYNTAX_ERROR);
    t.write(".git/g.asl.json", SYNTAX_ERROR);
    t.write(".hidden/h.asl.json", SYNTAX_ERROR);
    t.write("cdk.out/c.asl.json", SYNTAX_ERROR);
    t.write("target/t.asl.json", SYNTAX_ERROR);

    let (_, v, _) = t.json(&[]);
    assert_eq!(
        paths(&v),
        [
            "a/y.json",
            "a/z.asl.json",
            "a-b/x.asl.yml",
            "b.asl.json",
            "broken.json",
            "foo.json"
        ]
    );
    assert_eq!(rules_of(&v, "foo.json"), Vec::<String>::new());
    assert_eq!(rules_of(&v, "broken.json"), ["syntax-error"]);

    // Named explicitly, skipped folders and non-definitions are linted.
    let (_, v, _) = t.json(&[".hidden", "node_modules/m.asl.json", "package.json"]);
    assert_eq!(
        paths(&v),
        [
            ".hidden/h.asl.json",
            "node_modules/m.asl.json",
            "package.json"
        ]
    );

    // A named folder keeps its name in the paths.
    let (_, v, _) = t.json(&["a"]);
    assert_eq!(paths(&v), ["a/y.json", "a/z.asl.json"]);

    // The same file twice is linted once.
    let (_, v, _) = t.json(&["b.asl.json", "b.asl.json"]);
    assert_eq!(paths(&v), ["b.asl.json"]);
}

#[test]
fn a_skipped_cdk_out_with_templates_gets_a_hint() {
    let t = Tree::new();
    let template = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}"}}}}"#;
    t.write("cdk.out/App.template.json", template);
    t.write("cdk.out/assembly-Prod/Prod-App.template.json", template);
    t.write("cdk.out/manifest.json", "{}");
    t.write("bin/app.ts", "// the CDK app\n");
    let hint = "hint: `cdk.out` holds 2 CloudFormation templates that were not linted: \
                folders named `cdk.out` are skipped; name it to lint them: `asl-lint check cdk.out`\n";
    let (code, stdout, stderr) = t.run(&["check"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "No files to check.\n");
    assert_eq!(stderr, hint);
    let (_, _, stderr) = t.run(&["check", "--format", "concise", "."]);
    assert_eq!(stderr, hint);
    // Not for machines, not with `--quiet`.
    for flags in [
        &["--format", "json"][..],
        &["--format", "sarif"],
        &["--quiet"],
    ] {
        let (_, _, stderr) = t.run(&[&["check"][..], flags].concat());
        assert_eq!(stderr, "", "{flags:?}");
    }
    // Named, it is linted and needs no hint.
    let (code, stdout, stderr) = t.run(&["check", ".", "cdk.out"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "No problems found in 2 files.\n");
    assert_eq!(stderr, "");
    // Excluded on purpose: no hint either; and one template reads singular.
    t.write("asl-lint.toml", "exclude = [\"cdk.out\"]\n");
    let (_, _, stderr) = t.run(&["check"]);
    assert_eq!(stderr, "");
    fs::remove_file(t.path().join("asl-lint.toml")).expect("remove");
    fs::remove_dir_all(t.path().join("cdk.out/assembly-Prod")).expect("remove");
    let (_, _, stderr) = t.run(&["check", "--format", "concise"]);
    assert!(
        stderr.starts_with("hint: `cdk.out` holds 1 CloudFormation template that was not linted"),
        "{stderr}"
    );
    // A `cdk.out` without templates is skipped quietly.
    fs::remove_file(t.path().join("cdk.out/App.template.json")).expect("remove");
    let (_, _, stderr) = t.run(&["check"]);
    assert_eq!(stderr, "");
}

#[test]
fn an_empty_folder_checks_nothing() {
    let t = Tree::new();
    fs::create_dir(t.path().join("empty")).expect("mkdir");
    let (code, stdout, _) = t.run(&["check", "empty"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "No files to check.\n");
}

#[test]
fn stdin_with_and_without_a_file_name() {
    let t = Tree::new();
    t.write("ok.asl.json", VALID);
    let out = t
        .cmd()
        .args(["check", "--format", "json", "-", "ok.asl.json"])
        .write_stdin(SYNTAX_ERROR)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(paths(&v), ["<stdin>", "ok.asl.json"]);
    assert_eq!(rules_of(&v, "<stdin>"), ["syntax-error"]);

    let out = t
        .cmd()
        .args([
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "m.asl.json",
            "-",
        ])
        .write_stdin(SYNTAX_ERROR)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("m.asl.json:4:41: error[syntax-error]"),
        "{stdout}"
    );

    // The extension of the name picks the parser: the same YAML text read
    // as JSON and as YAML does not give the same finding.
    let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";
    let as_name = |name: &str| {
        let out = t
            .cmd()
            .args(["check", "--format", "json", "--stdin-filename", name, "-"])
            .write_stdin(yaml)
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(paths(&v), [name]);
        file(&v, name)["diagnostics"].clone()
    };
    let json = as_name("m.asl.json");
    assert_eq!(json[0]["rule"], "syntax-error");
    assert_ne!(json, as_name("m.asl.yaml"));
}

#[test]
fn yaml_on_stdin_without_a_name_is_read_as_yaml_throughout() {
    // No name: the text is sniffed as YAML, and everything that reads the
    // file — the parser, the suppression comments, the fixes — agrees.
    let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Nxt: B\n    End: true\n  B: # asl-lint: disable=unreachable-state -- kept for later\n    Type: Succeed\n";
    let out = Tree::new()
        .cmd()
        .args(["check", "--format", "json", "-"])
        .write_stdin(yaml)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rules_of(&v, "<stdin>"), ["unknown-field"], "{v}");
}

// ---------------------------------------------------------------- flags

fn two_problem_tree() -> Tree {
    let t = Tree::new();
    t.write("bad.asl.json", SYNTAX_ERROR);
    t.write("dup.asl.json", DUPLICATE);
    t.write(
        "dup2.asl.json",
        r#"{"StartAt": "A", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    );
    t
}

#[test]
fn select_and_ignore_by_name_code_and_category() {
    let t = two_problem_tree();
    let (_, v, _) = t.json(&["--select", "duplicate-key"]);
    assert_eq!(rules_of(&v, "bad.asl.json"), Vec::<String>::new());
    assert_eq!(rules_of(&v, "dup.asl.json"), ["duplicate-key"]);

    let (_, v, _) = t.json(&["--select", "asl001,ASL002"]);
    assert_eq!(rules_of(&v, "bad.asl.json"), ["syntax-error"]);
    assert_eq!(rules_of(&v, "dup.asl.json"), ["duplicate-key"]);

    let (code, v, _) = t.json(&["--ignore", "ASL002"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v, "dup.asl.json"), Vec::<String>::new());
    assert_eq!(rules_of(&v, "bad.asl.json"), ["syntax-error"]);

    let (code, v, _) = t.json(&[
        "--select",
        "syntax",
        "--ignore",
        "syntax-error,duplicate-key",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn unknown_rules_in_flags_fail_with_a_suggestion() {
    let t = two_problem_tree();
    let (code, stdout, stderr) = t.run(&["check", "--select", "duplicate-kye"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.trim(),
        "error: unknown rule or category `duplicate-kye` in `--select`; did you mean `duplicate-key`?"
    );
    let (code, _, stderr) = t.run(&["check", "--ignore", "banana"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: unknown rule or category `banana` in `--ignore`"
    );
    let (code, _, stderr) = t.run(&["check", "--warn", "syntx"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `syntax`?"), "{stderr}");
}

#[test]
fn warn_and_max_warnings() {
    let t = Tree::new();
    t.write("dup.asl.json", DUPLICATE);
    let (code, v, _) = t.json(&["--warn", "duplicate-key"]);
    assert_eq!(code, 0);
    assert_eq!(
        file(&v, "dup.asl.json")["diagnostics"][0]["severity"],
        "warning"
    );
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["errors"], 0);

    let (code, _, _) = t.json(&["--warn", "duplicate-key", "--max-warnings", "1"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = t.json(&["--warn", "duplicate-key", "--max-warnings", "0"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 1 warning, more than the 0 allowed by `--max-warnings`\n"
    );
    t.write("dup2.asl.json", DUPLICATE);
    let (code, _, stderr) = t.json(&["--warn", "duplicate-key", "--max-warnings", "1"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 2 warnings, more than the 1 allowed by `--max-warnings`\n"
    );
    fs::remove_file(t.path().join("dup2.asl.json")).expect("remove");

    // `--warn` does not bring back a rule that was turned off.
    let (code, v, _) = t.json(&["--warn", "duplicate-key", "--ignore", "duplicate-key"]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["warnings"], 0);

    let (code, stdout, _) = t.run(&["check", "--warn", "syntax", "--format", "concise"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("warning[duplicate-key]"), "{stdout}");
    assert!(stdout.ends_with("Found 1 warning in 1 file.\n"), "{stdout}");
}

#[test]
fn statistics_are_sorted_by_count_then_name() {
    let t = two_problem_tree();
    let (code, stdout, _) = t.run(&["check", "--format", "concise", "--statistics"]);
    assert_eq!(code, 1);
    let tail: Vec<&str> = stdout.lines().rev().take(4).collect();
    assert_eq!(
        tail,
        [
            "Found 3 errors in 3 files.",
            "",
            "1  ASL001  syntax-error",
            "2  ASL002  duplicate-key",
        ],
        "{stdout}"
    );
}

#[test]
fn quiet_prints_only_findings() {
    let t = Tree::new();
    t.write("ok.asl.json", VALID);
    let (code, stdout, stderr) = t.run(&["check", "--quiet", "."]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));

    t.write("bad.asl.json", SYNTAX_ERROR);
    let (code, stdout, _) = t.run(&["check", "-q", "--format", "concise", "."]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("bad.asl.json:4:41:"), "{stdout}");
}

#[test]
fn type_flag_accepts_both_kinds() {
    let t = Tree::new();
    t.write("ok.asl.json", VALID);
    assert_eq!(t.run(&["check", "--type", "express", "ok.asl.json"]).0, 0);
    assert_eq!(t.run(&["check", "--type", "standard", "ok.asl.json"]).0, 0);
    assert_eq!(t.run(&["check", "--type", "fast", "ok.asl.json"]).0, 2);
}

#[test]
fn express_type_from_the_flag_or_the_configuration_reaches_the_rules() {
    let t = Tree::new();
    // `.sync` is a run-a-job integration Express workflows do not support.
    t.write(
        "job.asl.json",
        r#"{
  "StartAt": "Run",
  "States": {
    "Run": {
      "Type": "Task",
      "Resource": "arn:aws:states:::batch:submitJob.sync",
      "Arguments": { "JobName": "j", "JobQueue": "q", "JobDefinition": "d" },
      "QueryLanguage": "JSONata",
      "End": true
    }
  }
}
"#,
    );
    let express = |v: &Value| -> Vec<String> {
        rules_of(v, "job.asl.json")
            .into_iter()
            .filter(|r| r == "express-unsupported-pattern")
            .collect()
    };
    let (_, standard, _) = t.json(&["job.asl.json"]);
    assert_eq!(express(&standard), Vec::<String>::new(), "{standard:#}");
    let (code, flag, _) = t.json(&["--type", "express", "job.asl.json"]);
    assert_eq!(code, 1);
    assert_eq!(express(&flag), ["express-unsupported-pattern"], "{flag:#}");
    let d = &file(&flag, "job.asl.json")["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "express-unsupported-pattern")
        .cloned()
        .expect("the finding");
    assert_eq!(d["pointer"], "/States/Run/Resource");
    assert_eq!(d["severity"], "error");

    t.write("asl-lint.toml", "type = \"express\"\n");
    let (code, configured, _) = t.json(&["job.asl.json"]);
    assert_eq!(code, 1);
    assert_eq!(express(&configured), ["express-unsupported-pattern"]);
    // The flag wins over the file.
    let (_, overridden, _) = t.json(&["--type", "standard", "job.asl.json"]);
    assert_eq!(express(&overridden), Vec::<String>::new());
}

// ---------------------------------------------------------------- explain and rules

#[test]
fn explain_by_name_and_code() {
    let t = Tree::new();
    let (code, by_name, _) = t.run(&["explain", "duplicate-key"]);
    assert_eq!(code, 0);
    assert!(
        by_name.starts_with("# duplicate-key (ASL002)\n\nCategory: syntax\nDefault severity: error\n\n## What it does\n"),
        "{by_name}"
    );
    let (code, by_code, _) = t.run(&["explain", "asl002"]);
    assert_eq!(code, 0);
    assert_eq!(by_name, by_code);
    let (_, upper, _) = t.run(&["explain", "DUPLICATE-KEY"]);
    assert_eq!(by_name, upper);
}

#[test]
fn explain_unknown_rule() {
    let t = Tree::new();
    let (code, stdout, stderr) = t.run(&["explain", "duplicat-key"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.trim(),
        "error: unknown rule `duplicat-key`; did you mean `duplicate-key`?"
    );
    let (code, _, stderr) = t.run(&["explain", "zzzzzzzz"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim(), "error: unknown rule `zzzzzzzz`");
    assert_eq!(t.run(&["explain"]).0, 2);
}

#[test]
fn rules_in_every_format() {
    let t = Tree::new();
    let (code, text, _) = t.run(&["rules"]);
    assert_eq!(code, 0);
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with("CODE"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("ASL002  duplicate-key")),
        "{text}"
    );
    assert_eq!(lines.count(), asl_lint::rules::ALL.len());

    let (code, json, _) = t.run(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).expect("json");
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), asl_lint::rules::ALL.len());
    for (item, rule) in list.iter().zip(asl_lint::rules::ALL) {
        let keys: Vec<&String> = item.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "code",
                "name",
                "category",
                "default_severity",
                "summary",
                "docs",
                "url"
            ]
        );
        assert_eq!(item["code"], rule.code);
        assert_eq!(item["name"], rule.name);
        assert_eq!(item["url"], rule.url());
        assert!(item["docs"]
            .as_str()
            .expect("docs")
            .contains("## What it does"));
    }

    let (code, md, _) = t.run(&["rules", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert_eq!(md, asl_lint::cli::rules::markdown());
    for rule in asl_lint::rules::ALL {
        assert!(
            md.contains(&format!("\n## {}\n", rule.name)),
            "{}",
            rule.name
        );
    }
    assert!(md.contains("\n### What it does\n"));
}

/// `docs/rules.md` is `asl-lint rules --format markdown`; `UPDATE_DOCS=1
/// cargo test --test cli` rewrites it.
#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = asl_lint::cli::rules::markdown();
    let current = fs::read_to_string(&path).unwrap_or_default();
    if current != expected {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            fs::create_dir_all(path.parent().expect("docs folder")).expect("mkdir docs");
            fs::write(&path, expected).expect("docs/rules.md is writable");
        } else {
            panic!("docs/rules.md is out of date; run `UPDATE_DOCS=1 cargo test --test cli`");
        }
    }
}

// ---------------------------------------------------------------- hostile input

/// Lints `name` holding `bytes` next to a clean file and a broken one, and
/// checks that both neighbours are still reported. Returns the JSON output.
fn hostile(name: &str, bytes: impl AsRef<[u8]>) -> Value {
    let t = Tree::new();
    t.write(name, bytes);
    hostile_run(&t, &["."])
}

fn hostile_run(t: &Tree, args: &[&str]) -> Value {
    hostile_run_code(t, args).1
}

fn hostile_run_code(t: &Tree, args: &[&str]) -> (i32, Value) {
    t.write("neighbour-ok.asl.json", VALID);
    t.write("neighbour-bad.asl.json", SYNTAX_ERROR);
    let (code, v, stderr) = t.json(args);
    assert!(code == 1 || code == 2, "exit {code}: {stderr}");
    assert_eq!(rules_of(&v, "neighbour-ok.asl.json"), Vec::<String>::new());
    assert_eq!(rules_of(&v, "neighbour-bad.asl.json"), ["syntax-error"]);
    (code, v)
}

fn message(v: &Value, path: &str) -> String {
    file(v, path)["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no finding for `{path}`: {v:#}"))
        .to_string()
}

#[test]
fn hostile_invalid_json() {
    let v = hostile("x.asl.json", "{\"StartAt\": 'A'}");
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
}

#[test]
fn hostile_invalid_utf8() {
    let v = hostile("x.asl.json", b"{\"StartAt\": \"\xff\xfe\xfd\"}");
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
    assert!(message(&v, "x.asl.json").contains("UTF-8"));
}

#[test]
fn hostile_utf16() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in VALID.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let v = hostile("x.asl.json", bytes);
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
    assert!(message(&v, "x.asl.json").contains("UTF-16"));
}

#[test]
fn hostile_byte_order_mark() {
    let v = hostile("x.asl.json", format!("\u{feff}{VALID}"));
    assert_eq!(rules_of(&v, "x.asl.json"), Vec::<String>::new());
}

#[test]
fn hostile_empty_file() {
    let v = hostile("x.asl.json", "");
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
}

#[test]
fn hostile_root_is_not_an_object() {
    for root in ["[1, 2, 3]", "\"StartAt\"", "null", "42"] {
        let v = hostile("x.asl.json", root);
        // Which rule reports it belongs to the schema; here it only has to
        // be linted without harm.
        file(&v, "x.asl.json");
    }
}

#[test]
fn hostile_binary_file() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let v = hostile("x.asl.json", &bytes);
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
    // A binary file found while walking under a plain name is not a definition.
    let v = hostile("image.json", &bytes);
    assert!(!paths(&v).contains(&"image.json".to_string()));
}

#[test]
fn hostile_deep_nesting() {
    let depth = 100_000;
    let text = "[".repeat(depth) + &"]".repeat(depth);
    let v = hostile("x.asl.json", &text);
    assert_eq!(rules_of(&v, "x.asl.json"), ["syntax-error"]);
    // Also through the human renderer.
    let t = Tree::new();
    t.write("x.asl.json", &text);
    let (code, stdout, _) = t.run(&["check", "x.asl.json"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("syntax-error"));
}

#[test]
fn hostile_file_over_the_size_limit() {
    let t = Tree::new();
    t.write("big.asl.json", VALID.repeat(100));
    t.write("big.json", VALID.repeat(100));
    let v = hostile_run(&t, &["--max-file-size", "1KiB", "."]);
    assert_eq!(rules_of(&v, "big.asl.json"), ["io-error"]);
    assert!(message(&v, "big.asl.json").contains("limit"));
    // A sniffed file over the limit is skipped, not reported.
    assert!(!paths(&v).contains(&"big.json".to_string()));
    // io-error findings have no text: they point at line 1, column 1.
    let d = &file(&v, "big.asl.json")["diagnostics"][0];
    assert_eq!(
        d["range"]["start"],
        serde_json::json!({"line": 1, "column": 1})
    );
}

#[cfg(unix)]
#[test]
fn hostile_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    let p = t.write("secret.asl.json", VALID);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&p).is_ok() {
        // Root reads chmod 000 files. A file whose read fails for every
        // user stands in: /proc/self/mem answers EIO at offset 0.
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).expect("chmod back");
        if !Path::new("/proc/self/mem").exists() {
            eprintln!("skipping the unreadable-file assertion: running as root without /proc");
            hostile_run(&t, &["."]);
            return;
        }
        std::os::unix::fs::symlink("/proc/self/mem", t.path().join("mem.asl.json"))
            .expect("symlink");
        let v = hostile_run(&t, &["."]);
        assert_eq!(rules_of(&v, "mem.asl.json"), ["io-error"]);
        assert_eq!(
            message(&v, "mem.asl.json"),
            "cannot read `mem.asl.json`: input/output error"
        );
        assert_eq!(rules_of(&v, "secret.asl.json"), Vec::<String>::new());
        let (_, stdout, _) = t.run(&["check", "mem.asl.json"]);
        assert!(
            stdout.starts_with("mem.asl.json: error[io-error] cannot read"),
            "{stdout}"
        );
        return;
    }
    let v = hostile_run(&t, &["."]);
    assert_eq!(rules_of(&v, "secret.asl.json"), ["io-error"]);
    assert_eq!(
        message(&v, "secret.asl.json"),
        "cannot read `secret.asl.json`: permission denied"
    );
    // The human output renders it as a plain line.
    let (_, stdout, _) = t.run(&["check", "secret.asl.json"]);
    assert!(
        stdout.starts_with("secret.asl.json: error[io-error] cannot read"),
        "{stdout}"
    );
    fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).expect("chmod back");
}

#[cfg(unix)]
#[test]
fn hostile_unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.write("locked/inner.asl.json", VALID);
    let locked = t.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read_dir(&locked).is_ok() {
        eprintln!("skipping the unreadable-folder assertion: running as root");
        hostile_run(&t, &["."]);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
        return;
    }
    let v = hostile_run(&t, &["."]);
    assert_eq!(rules_of(&v, "locked"), ["io-error"]);
    assert!(message(&v, "locked").contains("permission denied"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[cfg(unix)]
#[test]
fn hostile_symlink_loop() {
    let t = Tree::new();
    t.write("sub/inner.asl.json", VALID);
    std::os::unix::fs::symlink("..", t.path().join("sub/up")).expect("symlink");
    let v = hostile_run(&t, &["."]);
    assert_eq!(rules_of(&v, "sub/up"), ["io-error"]);
    assert!(
        message(&v, "sub/up").starts_with("symlink loop at `sub/up`"),
        "{v:#}"
    );
    // Nothing is linted twice.
    assert_eq!(
        paths(&v),
        [
            "neighbour-bad.asl.json",
            "neighbour-ok.asl.json",
            "sub/inner.asl.json",
            "sub/up"
        ]
    );
}

#[cfg(unix)]
#[test]
fn hostile_dangling_symlink() {
    let t = Tree::new();
    std::os::unix::fs::symlink("gone.asl.json", t.path().join("link.asl.json")).expect("symlink");
    std::os::unix::fs::symlink("gone.json", t.path().join("link.json")).expect("symlink");
    let v = hostile_run(&t, &["."]);
    assert_eq!(rules_of(&v, "link.asl.json"), ["io-error"]);
    assert!(!paths(&v).contains(&"link.json".to_string()));
}

#[cfg(unix)]
#[test]
fn hostile_fifo() {
    let t = Tree::new();
    let made = std::process::Command::new("mkfifo")
        .arg(t.path().join("pipe.asl.json"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipping the FIFO test: mkfifo is unavailable");
        return;
    }
    // Found while walking: reported, never opened (opening would block).
    let v = hostile_run(&t, &["."]);
    assert_eq!(rules_of(&v, "pipe.asl.json"), ["io-error"], "{v:#}");
    assert_eq!(
        message(&v, "pipe.asl.json"),
        "cannot read `pipe.asl.json`: not a regular file"
    );
    // A FIFO with another name is not a definition: left alone, and so is
    // one that `exclude` matches.
    let other = std::process::Command::new("mkfifo")
        .arg(t.path().join("pipe.json"))
        .status();
    assert!(other.is_ok_and(|s| s.success()));
    let v = hostile_run(&t, &["--exclude", "pipe.asl.json", "."]);
    assert_eq!(
        paths(&v),
        ["neighbour-bad.asl.json", "neighbour-ok.asl.json"],
        "{v:#}"
    );
    // Named explicitly: reported.
    let v = hostile_run(
        &t,
        &[
            "pipe.asl.json",
            "neighbour-ok.asl.json",
            "neighbour-bad.asl.json",
        ],
    );
    assert_eq!(rules_of(&v, "pipe.asl.json"), ["io-error"]);
    assert_eq!(
        message(&v, "pipe.asl.json"),
        "cannot read `pipe.asl.json`: not a regular file"
    );
}

#[test]
fn hostile_nonexistent_path() {
    let t = Tree::new();
    let (code, v) = hostile_run_code(&t, &["missing", "."]);
    assert_eq!(code, 2);
    assert!(!paths(&v).contains(&"missing".to_string()));
}

#[test]
fn examples_lint_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = cargo_bin_cmd!("asl-lint")
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "examples"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        rules_of(&v, "examples/order.asl.json"),
        Vec::<String>::new()
    );
    assert_eq!(
        rules_of(&v, "examples/syntax-error.asl.json"),
        ["syntax-error"]
    );
    assert!(rules_of(&v, "examples/broken.asl.json").contains(&"duplicate-key".to_string()));
}

/// One LSP message with its `Content-Length` header.
fn lsp_frame(v: Value) -> Vec<u8> {
    let body = v.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

#[test]
fn lsp_subcommand_speaks_the_protocol_over_stdio() {
    let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#;
    let mut input = Vec::new();
    for m in [
        serde_json::json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
        serde_json::json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
        serde_json::json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
            "uri":"file:///tmp/a.asl.json","languageId":"asl","version":1,"text":text}}}),
        serde_json::json!({"jsonrpc":"2.0","id":2,"method":"shutdown"}),
        serde_json::json!({"jsonrpc":"2.0","method":"exit"}),
    ] {
        input.extend(lsp_frame(m));
    }
    let out = cargo_bin_cmd!("asl-lint")
        .arg("lsp")
        .write_stdin(input)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8 output");
    assert!(out.contains(r#""positionEncoding":"utf-16""#), "{out}");
    assert!(out.contains("textDocument/publishDiagnostics"), "{out}");
    assert!(
        out.contains(r#""code":"missing-transition-target""#),
        "{out}"
    );
    // `B` starts at character 51 of line 0 (quotes included).
    assert!(
        out.contains(r#""start":{"line":0,"character":51}"#),
        "{out}"
    );
}

#[test]
fn lsp_exit_without_shutdown_exits_1() {
    let mut input = lsp_frame(
        serde_json::json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
    );
    input.extend(lsp_frame(
        serde_json::json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
    ));
    input.extend(lsp_frame(
        serde_json::json!({"jsonrpc":"2.0","method":"exit"}),
    ));
    cargo_bin_cmd!("asl-lint")
        .arg("lsp")
        .write_stdin(input)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1);
}

// ---------------------------------------------------------------- configuration

impl Tree {
    /// Runs in the folder `rel` of the tree; returns (exit code, stdout, stderr).
    fn run_in(&self, rel: &str, args: &[&str]) -> (i32, String, String) {
        let out = self
            .cmd()
            .current_dir(self.path().join(rel))
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// The severities of a file's findings, as `rule:severity`.
fn levels_of(v: &Value, path: &str) -> Vec<String> {
    file(v, path)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["rule"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_nearest_configuration_applies_to_each_file() {
    let t = Tree::new();
    t.write("dup.asl.json", DUPLICATE);
    t.write("a/dup.asl.json", DUPLICATE);
    t.write("a/b/dup.asl.json", DUPLICATE);
    t.write("c/dup.asl.json", DUPLICATE);
    t.write("asl-lint.toml", "[rules]\nduplicate-key = \"warning\"\n");
    t.write("a/.asl-lint.toml", "ignore = [\"syntax\"]\n");
    // Both names in one folder: `asl-lint.toml` wins.
    t.write("c/asl-lint.toml", "[rules]\nduplicate-key = \"info\"\n");
    t.write("c/.asl-lint.toml", "ignore = [\"syntax\"]\n");
    let (code, v, _) = t.json(&["."]);
    assert_eq!(code, 0);
    assert_eq!(levels_of(&v, "dup.asl.json"), ["duplicate-key:warning"]);
    assert_eq!(levels_of(&v, "a/dup.asl.json"), Vec::<String>::new());
    assert_eq!(levels_of(&v, "a/b/dup.asl.json"), Vec::<String>::new());
    assert_eq!(levels_of(&v, "c/dup.asl.json"), ["duplicate-key:info"]);

    // The same, when the files are named one by one from a subfolder.
    let (_, out, _) = t.run_in(
        "a",
        &[
            "check",
            "--format",
            "concise",
            "b/dup.asl.json",
            "../dup.asl.json",
        ],
    );
    assert!(!out.contains("b/dup.asl.json:"), "{out}");
    assert!(
        out.contains("../dup.asl.json:4:50: warning[duplicate-key]"),
        "{out}"
    );

    // `--config` uses one file for everything; `--isolated` none.
    let (_, v, _) = t.json(&["--config", "c/asl-lint.toml", "."]);
    for f in ["dup.asl.json", "a/dup.asl.json", "c/dup.asl.json"] {
        assert_eq!(levels_of(&v, f), ["duplicate-key:info"], "{f}");
    }
    let (code, v, _) = t.json(&["--isolated", "."]);
    assert_eq!(code, 1);
    for f in ["dup.asl.json", "a/b/dup.asl.json", "c/dup.asl.json"] {
        assert_eq!(levels_of(&v, f), ["duplicate-key:error"], "{f}");
    }
    let (code, _, stderr) = t.run(&["check", "--isolated", "--config", "asl-lint.toml"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = t.run(&["check", "--config", "nope.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: cannot read the configuration file `nope.toml`: "),
        "{stderr}"
    );
}

#[test]
fn flags_override_the_configuration() {
    let t = two_problem_tree();
    t.write(
        "asl-lint.toml",
        "select = [\"duplicate-key\"]\n[rules]\nduplicate-key = \"warning\"\n",
    );
    let (code, v, _) = t.json(&[]);
    assert_eq!(code, 0);
    assert_eq!(levels_of(&v, "bad.asl.json"), Vec::<String>::new());
    assert_eq!(levels_of(&v, "dup.asl.json"), ["duplicate-key:warning"]);

    // `--select` replaces `select`; `[rules]` still sets the level.
    let (code, v, _) = t.json(&["--select", "syntax"]);
    assert_eq!(code, 1);
    assert_eq!(levels_of(&v, "bad.asl.json"), ["syntax-error:error"]);
    assert_eq!(levels_of(&v, "dup.asl.json"), ["duplicate-key:warning"]);

    // `--ignore` adds to `ignore`, even over a level set in `[rules]`.
    let (code, v, _) = t.json(&["--ignore", "duplicate-key"]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["warnings"], 0);

    // `--warn` overrides the level; `--max-warnings` counts the result.
    t.write("asl-lint.toml", "[rules]\nsyntax-error = \"info\"\n");
    let (code, v, _) = t.json(&["--warn", "syntax-error", "--max-warnings", "2"]);
    assert_eq!(code, 1, "duplicate-key is still an error");
    assert_eq!(levels_of(&v, "bad.asl.json"), ["syntax-error:warning"]);

    // The type: the file's, replaced by the flag.
    t.write(
        "asl-lint.toml",
        "type = \"express\"\nignore = [\"syntax\"]\n",
    );
    assert_eq!(t.run(&["check", "--type", "standard"]).0, 0);
    assert_eq!(t.run(&["check"]).0, 0);
}

#[test]
fn invalid_configuration_is_reported_with_positions_and_exits_2() {
    let t = Tree::new();
    t.write("ok.asl.json", VALID);
    t.write(
        "asl-lint.toml",
        "selct = [\"graph\"]\ntype = \"expres\"\n\n[rules]\nunreachable-stat = \"warning\"\n",
    );
    let (code, stdout, stderr) = t.run(&["check"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "", "nothing is checked");
    assert_eq!(
        stderr,
        "asl-lint.toml:1:1: error: unknown key `selct`
  |
1 | selct = [\"graph\"]
  | ^^^^^
  = help: did you mean `select`?

asl-lint.toml:2:8: error: unknown state machine type `expres`
  |
2 | type = \"expres\"
  |        ^^^^^^^^
  = help: did you mean `express`?

asl-lint.toml:5:1: error: unknown rule `unreachable-stat` in `[rules]`
  |
5 | unreachable-stat = \"warning\"
  | ^^^^^^^^^^^^^^^^
  = help: did you mean `unreachable-state`?

error: the configuration file `asl-lint.toml` has 3 problems; nothing was checked

"
    );
    // Broken TOML, found from a subfolder, and named with `--config`.
    t.write("asl-lint.toml", "select = [\"graph\"\n");
    t.write("sub/ok.asl.json", VALID);
    let (code, _, stderr) = t.run(&["check", "sub"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("asl-lint.toml:"), "{stderr}");
    assert!(
        stderr.contains("help: the file must be valid TOML"),
        "{stderr}"
    );
    let (code, _, stderr) = t.run_in("sub", &["check", "--config", "../asl-lint.toml", "."]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("../asl-lint.toml:"), "{stderr}");
    // `--isolated` does not read it.
    assert_eq!(t.run(&["check", "--isolated", "sub"]).0, 0);
}

#[test]
fn exclude_applies_to_discovery_and_with_force_exclude_to_named_files() {
    let t = Tree::new();
    t.write("generated/x.asl.json", SYNTAX_ERROR);
    t.write("src/generated/y.asl.json", SYNTAX_ERROR);
    t.write("src/a.draft.asl.json", SYNTAX_ERROR);
    t.write("src/ok.asl.json", VALID);
    t.write(
        "asl-lint.toml",
        "exclude = [\"/generated\", \"*.draft.asl.json\"]\n",
    );
    let (code, v, _) = t.json(&[]);
    assert_eq!(code, 1);
    assert_eq!(paths(&v), ["src/generated/y.asl.json", "src/ok.asl.json"]);

    // Named files are linted anyway, unless `--force-exclude`.
    let (code, v, _) = t.json(&["generated/x.asl.json", "src/a.draft.asl.json"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&v), ["generated/x.asl.json", "src/a.draft.asl.json"]);
    let (code, v, _) = t.json(&[
        "--force-exclude",
        "generated/x.asl.json",
        "src/a.draft.asl.json",
        "src/ok.asl.json",
        "generated",
    ]);
    assert_eq!(code, 0);
    assert_eq!(paths(&v), ["src/ok.asl.json"]);
    // A named folder is walked, but what is excluded inside it is not linted.
    let (_, v, _) = t.json(&["generated", "src"]);
    assert_eq!(
        paths(&v),
        [
            "generated/x.asl.json",
            "src/generated/y.asl.json",
            "src/ok.asl.json"
        ]
    );

    // `--exclude` adds globs relative to the current directory.
    let (code, v, _) = t.json(&["--exclude", "src/generated"]);
    assert_eq!(code, 0);
    assert_eq!(paths(&v), ["src/ok.asl.json"]);
    // Commas separate globs, except inside `{…}` alternatives; the flag may
    // also be repeated.
    let (code, v, stderr) = t.json(&["--exclude", "{src/generated,other}/**,src/ok*"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(paths(&v), Vec::<String>::new());
    let (code, v, _) = t.json(&["--exclude", "src/{generated,x}", "--exclude", "x,y"]);
    assert_eq!(code, 0);
    assert_eq!(paths(&v), ["src/ok.asl.json"]);
    let (code, _, stderr) = t.run(&["check", "--exclude", "a/[b"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid glob `a/[b` in `--exclude`"),
        "{stderr}"
    );
}

#[test]
fn only_state_machines_sniffs_named_files() {
    let t = Tree::new();
    t.write(
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    t.write("config.yaml", "a: 1\n");
    t.write("README.md", "# hi\n");
    t.write("flow.json", VALID);
    t.write("x.asl.yaml", "StartAt: A\n");
    let named = [
        "package.json",
        "config.yaml",
        "README.md",
        "flow.json",
        "x.asl.yaml",
    ];
    let mut args = vec!["--only-state-machines"];
    args.extend(named);
    let (code, v, _) = t.json(&args);
    assert_eq!(code, 1);
    assert_eq!(paths(&v), ["flow.json", "x.asl.yaml"]);
    // Without the flag, every named file is linted.
    let (code, v, _) = t.json(&named);
    assert_eq!(code, 1);
    assert_eq!(paths(&v).len(), 5);
}

// ---------------------------------------------------------------- suppressions

const YAML_SUPPRESSED: &str = "\
StartAt: A
States:
  A:
    Type: Pass
    Next: B
    # asl-lint: disable=unreachable-state -- kept for the next release
  Spare:
    Type: Pass
    End: true
  B:
    Type: Succeed # asl-lint: disable=end-false -- nothing to hide
";

#[test]
fn suppressions_from_the_configuration_and_comments() {
    let t = Tree::new();
    t.write("flows/ok.asl.yaml", YAML_SUPPRESSED);
    t.write("flows/dup.asl.json", DUPLICATE);
    t.write("legacy/dup.asl.json", DUPLICATE);
    t.write(
        "asl-lint.toml",
        "[[suppress]]
rule = \"duplicate-key\"
path = \"legacy/**\"
reason = \"generated\"

[[suppress]]
rule = \"duplicate-key\"
state = \"Ünïcödé\"
path = \"flows/*.json\"
reason = \"known\"

[[suppress]]
rule = \"missing-transition-target\"
reason = \"nothing to hide\"

[[suppress]]
rule = \"unreachable-state\"
path = \"other/**\"
reason = \"not linted in part of the project\"
",
    );
    let (code, v, _) = t.json(&[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(levels_of(&v, "legacy/dup.asl.json"), Vec::<String>::new());
    assert_eq!(levels_of(&v, "flows/dup.asl.json"), Vec::<String>::new());
    // The comment hides `Spare`; the other one hides nothing.
    assert_eq!(
        levels_of(&v, "flows/ok.asl.yaml"),
        ["unused-suppression:info"]
    );
    // The unused entries are reported in the configuration file, after the
    // definitions: the one without `path`, which hid nothing, and the one
    // for `other/**`, whose `path` matched no file of the whole folder.
    assert_eq!(paths(&v).last().map(String::as_str), Some("asl-lint.toml"));
    let unused = &file(&v, "asl-lint.toml")["diagnostics"];
    let messages: Vec<&str> = unused
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "`[[suppress]]` entry for `missing-transition-target` matches no finding",
            "`path` of the `[[suppress]]` entry for `unreachable-state` matches no file"
        ]
    );
    assert_eq!(unused[0]["range"]["start"]["line"], 13);
    assert_eq!(unused[0]["severity"], "info");
    assert_eq!(unused[1]["range"]["start"]["line"], 18);
    assert_eq!(unused[1]["pointer"], "/suppress/3/path");
    assert_eq!(v["summary"]["files"], 4, "{v:#}");

    // Linting part of the project judges only the entries it covered.
    let (_, v, _) = t.json(&["flows/dup.asl.json", "legacy"]);
    assert_eq!(paths(&v), ["flows/dup.asl.json", "legacy/dup.asl.json"]);
    let (_, v, _) = t.json(&["flows"]);
    assert!(!paths(&v).contains(&"asl-lint.toml".to_string()));
    // `unused-suppression` can be turned off.
    let (_, v, _) = t.json(&["--ignore", "unused-suppression"]);
    assert_eq!(
        paths(&v),
        [
            "flows/dup.asl.json",
            "flows/ok.asl.yaml",
            "legacy/dup.asl.json"
        ]
    );
    // Without the configuration, the findings come back.
    let (code, v, _) = t.json(&["--isolated"]);
    assert_eq!(code, 1);
    assert_eq!(
        levels_of(&v, "legacy/dup.asl.json"),
        ["duplicate-key:error"]
    );
}

#[test]
fn a_yaml_comment_after_a_state_key_covers_the_state() {
    let t = Tree::new();
    t.write(
        "m.asl.yaml",
        "StartAt: A
States:
  A: # asl-lint: disable=choice-no-default,missing-transition-target -- routed upstream
    Type: Choice
    Choices:
      - Variable: $.x
        NumericEquals: 1
        Next: Nope
  # asl-lint: disable=unreachable-state--no-space
  B:
    Type: Succeed
",
    );
    let (code, stdout, _) = t.run(&["check", "--format", "concise", "m.asl.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "m.asl.yaml:9:3: info[unused-suppression] suppression comment needs a space on each \
         side of `--`, so it is ignored\n\
         m.asl.yaml:10:3: error[unreachable-state] state `B` cannot be reached from `StartAt` \
         (`A`): no transition names it\n\nFound 1 error and 1 info in 1 file.\n"
    );
}

#[test]
fn a_suppress_path_that_matches_no_file_is_reported_when_the_whole_folder_ran() {
    let t = Tree::new();
    t.write("flows/a.asl.json", VALID);
    t.write("drafts/d.asl.json", VALID);
    t.write("cdk.out/Stack.template.json", "{}");
    let config = "[[suppress]]
rule = \"ASL216\"
path = \"nothing/**\"
reason = \"x\"
";
    t.write("project/asl-lint.toml", config);
    t.write("project/flows/a.asl.json", VALID);
    let (code, stdout, stderr) = t.run_in("project", &["check", "--format", "concise", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "asl-lint.toml:3:8: info[unused-suppression] `path` of the `[[suppress]]` entry for \
         `choice-no-default` matches no file\n\nFound 1 info in 1 file.\n"
    );
    // From above the configuration's folder too.
    let (_, v, _) = t.json(&["."]);
    assert_eq!(
        rules_of(&v, "project/asl-lint.toml"),
        ["unused-suppression"]
    );
    let d = &file(&v, "project/asl-lint.toml")["diagnostics"][0];
    assert_eq!(
        d["help"],
        "no linted file matches `nothing/**` (relative to the configuration's folder); \
         correct the `path` or remove the entry"
    );
    assert_eq!(d["pointer"], "/suppress/0/path");
    assert_eq!(d["range"]["end"]["column"], 20);

    // Part of the tree: a pre-commit hook naming files, or a subfolder.
    let (_, v, _) = t.json(&["project/flows/a.asl.json"]);
    assert_eq!(paths(&v), ["project/flows/a.asl.json"]);
    let (_, v, _) = t.json(&["project/flows"]);
    assert_eq!(paths(&v), ["project/flows/a.asl.json"]);
    // Naming the folder the glob names judges it, even when it is empty.
    fs::create_dir_all(t.path().join("project/nothing")).expect("mkdir");
    let (_, v, _) = t.json(&["project/nothing"]);
    assert_eq!(
        rules_of(&v, "project/asl-lint.toml"),
        ["unused-suppression"]
    );

    // What the walk left out may be what the entry is for: an excluded file
    // it matches, an excluded folder or `cdk.out` its glob reaches into, or
    // the configuration's own folder excluded from above.
    let judged = |config: &str, args: &[&str]| -> bool {
        t.write("project/asl-lint.toml", config);
        let (_, v, stderr) = t.json(args);
        assert!(stderr.is_empty() || stderr.starts_with("hint:"), "{stderr}");
        paths(&v).iter().any(|p| p.ends_with("asl-lint.toml"))
    };
    let entry = |path: &str| {
        format!("[[suppress]]\nrule = \"ASL216\"\npath = \"{path}\"\nreason = \"x\"\n")
    };
    t.write("project/drafts/x.asl.json", VALID);
    t.write("project/cdk.out/x.asl.json", VALID);
    let excluded = |path: &str| {
        format!(
            "exclude = [\"drafts\", \"*.old.asl.json\"]\n{}",
            entry(path)
        )
    };
    t.write("project/flows/b.old.asl.json", VALID);
    assert!(!judged(&excluded("drafts/**"), &["project"]));
    assert!(!judged(&excluded("flows/*.old.asl.json"), &["project"]));
    assert!(!judged(&excluded("cdk.out/x.asl.json"), &["project"]));
    assert!(
        !judged(&excluded("x.asl.json"), &["project"]),
        "matches at any depth"
    );
    assert!(judged(&excluded("flows/missing/**"), &["project"]));
    assert!(!judged(
        &entry("flows/missing/**"),
        &["--exclude", "project", "."]
    ));
    assert!(!judged(
        &entry("drafts/**"),
        &["--exclude", "project/drafts", "."]
    ));
    assert!(judged(
        &entry("flows/missing/**"),
        &["--exclude", "project/drafts", "."]
    ));
    // `cdk.out` named: it was linted, so its entries are judged.
    assert!(judged(
        &entry("cdk.out/y/**"),
        &["project", "project/cdk.out"]
    ));
    // Turned off, nothing is reported.
    assert!(!judged(
        &format!(
            "[rules]\nunused-suppression = \"off\"\n{}",
            entry("nothing/**")
        ),
        &["."]
    ));
}

// ---------------------------------------------------------------- outputs for machines

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    let t = Tree::new();
    t.write(
        "asl-lint.toml",
        "[[suppress]]\nrule = \"duplicate-key\"\npath = \"d/0*/**\"\nreason = \"r\"\n\n\
         [[suppress]]\nrule = \"end-false\"\nreason = \"nothing to hide\"\n",
    );
    t.write(
        "d/3/asl-lint.toml",
        "[rules]\nunreachable-state = \"info\"\n",
    );
    for i in 0..120 {
        let dir = format!("d/{}{}", i % 7, i % 3);
        match i % 6 {
            0 => t.write(&format!("{dir}/v{i}.asl.json"), VALID),
            1 => t.write(&format!("{dir}/s{i}.asl.json"), SYNTAX_ERROR),
            2 => t.write(&format!("{dir}/u{i}.asl.json"), DUPLICATE),
            3 => t.write(
                &format!("{dir}/y{i}.asl.yaml"),
                "StartAt: A\nStates:\n  A: # asl-lint: disable=missing-transition-target -- r\n    \
                 Type: Pass\n    Next: Gone\n  B: # asl-lint: disable=duplicate-key -- unused\n    \
                 Type: Succeed\n",
            ),
            4 => {
                t.write(
                    &format!("{dir}/t{i}.yaml"),
                    format!(
                        "Resources:\n  M{i}:\n    Type: AWS::Serverless::StateMachine\n    \
                         Properties:\n      DefinitionUri: f{i}.asl.json\n      \
                         DefinitionSubstitutions:\n        Arn: x\n"
                    ),
                );
                t.write(
                    &format!("{dir}/f{i}.asl.json"),
                    "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \
                     \"Resource\": \"${Nope}\", \"End\": true}, \"Z\": {\"Type\": \"Succeed\"}}}",
                )
            }
            _ => t.write(
                &format!("{dir}/w{i}.json"),
                "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Choice\", \
                 \"Choices\": [{\"Variable\": \"$.x\", \"BooleanEquals\": true, \"Next\": \"A\"}]}}}",
            ),
        };
    }
    for format in ["json", "sarif", "concise", "human"] {
        let run = |threads: &str| {
            let out = t
                .cmd()
                .env("RAYON_NUM_THREADS", threads)
                .args(["check", "--format", format, "--statistics", "."])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1));
            (out.stdout, out.stderr)
        };
        let one = run("1");
        assert!(one.0.len() > 10_000, "{format}: the run found plenty");
        for threads in ["4", "1", "4"] {
            assert!(
                run(threads) == one,
                "{format}: the output with {threads} threads differs from the one with 1"
            );
        }
    }
    // 120 files, the 20 definition files the templates name, and the
    // configuration with its unused entry.
    let (_, v, _) = t.json(&["."]);
    assert_eq!(v["summary"]["files"], 141, "{:#}", v["summary"]);
    assert_eq!(rules_of(&v, "asl-lint.toml"), ["unused-suppression"]);
}

/// Copies the folder `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A corpus test whose corpus is absent (a clone without `../shared`): it
/// fails when `ASL_LINT_REQUIRE_CORPUS` is set (to anything but empty or
/// `0`), as CI jobs with the corpus set it; otherwise it is skipped with a
/// banner on the real standard error, which the test harness does not
/// capture, so that a green run is not mistaken for a checked corpus.
fn corpus_absent(test: &str, what: &str) {
    use std::io::Write as _;
    const REQUIRE: &str = "ASL_LINT_REQUIRE_CORPUS";
    let message = format!(
        "corpus test `{test}` SKIPPED: {what} is absent, so none of its assertions ran; \
         set {REQUIRE}=1 to make this a failure"
    );
    if std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{message}");
    }
    let rule = "=".repeat(78);
    let _ = writeln!(std::io::stderr(), "\n{rule}\n{message}\n{rule}");
}

#[test]
fn sarif_of_the_invalid_corpus_is_valid_and_repository_relative() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../shared/corpus/invalid");
    if !corpus.is_dir() {
        corpus_absent(
            "sarif_of_the_invalid_corpus_is_valid_and_repository_relative",
            "../shared/corpus/invalid",
        );
        return;
    }
    // A repository (a `.git` folder is enough to find its root), run from a
    // subfolder: URIs are relative to the repository root.
    let t = Tree::new();
    fs::create_dir_all(t.path().join(".git")).expect("mkdir .git");
    copy_tree(&corpus, &t.path().join("defs/invalid"));
    let (code, stdout, stderr) = t.run_in("defs", &["check", "--format", "sarif", "invalid"]);
    assert_eq!(code, 1, "{stderr}");
    let log: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");

    let schema: Value = serde_json::from_str(
        &fs::read_to_string(manifest.join("tests/data/sarif-2.1.0.schema.json"))
            .expect("the vendored schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );

    let run = &log["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("a base URI");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let results = run["results"].as_array().expect("results");
    assert!(results.len() > 20, "the corpus has many findings");
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = loc["uri"].as_str().expect("uri");
        assert!(uri.starts_with("defs/invalid/"), "{uri}");
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    }
    // Statistics go to standard error; standard output stays one document.
    let (_, stdout, stderr) = t.run_in(
        "defs",
        &["check", "--format", "sarif", "--statistics", "invalid"],
    );
    assert!(serde_json::from_str::<Value>(&stdout).is_ok());
    assert!(stderr.contains("unknown-field"), "{stderr}");
}

#[test]
fn github_annotations_are_escaped_end_to_end() {
    let t = Tree::new();
    let name = "we,ird:50%.asl.json";
    t.write(
        name,
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"50%\\nB,c:d\"}}}\n",
    );
    let (code, stdout, stderr) = t.run(&[
        "check",
        "--format",
        "github",
        "--select",
        "missing-transition-target",
        name,
    ]);
    assert_eq!(code, 1, "{stderr}");
    // One line per finding and nothing else; in properties `%`, `:` and `,`
    // are escaped, in the message `%` and line breaks.
    assert_eq!(
        stdout,
        "::error file=we%2Cird%3A50%25.asl.json,line=1,endLine=1,col=59,endColumn=71,\
         title=missing-transition-target (ASL100)::`Next` of state `A` names `50%25%0AB,c:d`, \
         which is not a state of the top level%0Ahelp: expected one of `A`\n"
    );
}

#[test]
fn github_annotation_paths_are_relative_to_the_repository_root() {
    let t = Tree::new();
    fs::create_dir_all(t.path().join("repo/.git")).expect("mkdir .git");
    t.write("repo/other/o.asl.json", DUPLICATE);
    t.write("repo/defs/d.asl.json", DUPLICATE);
    let file_of = |stdout: &str| -> Vec<String> {
        stdout
            .lines()
            .map(|l| {
                let start = l.find("file=").expect("a file") + 5;
                l[start..].split(',').next().unwrap_or_default().to_string()
            })
            .collect()
    };
    // From a subfolder, paths going up and down.
    let (code, stdout, stderr) = t.run_in(
        "repo/defs",
        &["check", "--format", "github", "../other", "d.asl.json"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(file_of(&stdout), ["other/o.asl.json", "defs/d.asl.json"]);
    // Standard input, named relative to the current folder.
    let out = t
        .cmd()
        .current_dir(t.path().join("repo/defs"))
        .args([
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "x.asl.json",
            "-",
        ])
        .write_stdin(DUPLICATE)
        .output()
        .expect("runs");
    assert_eq!(
        file_of(&String::from_utf8_lossy(&out.stdout)),
        ["defs/x.asl.json"]
    );
    // SARIF agrees.
    let (_, stdout, _) = t.run_in("repo/defs", &["check", "--format", "sarif", "../other"]);
    let log: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "other/o.asl.json"
    );
    // Outside a repository: `GITHUB_WORKSPACE`, else the current folder.
    t.write("plain/sub/p.asl.json", DUPLICATE);
    let out = t
        .cmd()
        .current_dir(t.path().join("plain/sub"))
        .env("GITHUB_WORKSPACE", t.path().join("plain"))
        .args(["check", "--format", "github", "p.asl.json"])
        .output()
        .expect("runs");
    assert_eq!(
        file_of(&String::from_utf8_lossy(&out.stdout)),
        ["sub/p.asl.json"]
    );
    let (_, stdout, _) = t.run_in("plain/sub", &["check", "--format", "github", "p.asl.json"]);
    assert_eq!(file_of(&stdout), ["p.asl.json"]);
}

/// Reads XML strictly to the end; returns the names of the elements.
fn xml_elements(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::Empty(e)) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "unclosed elements:\n{xml}");
    names
}

#[test]
fn junit_and_checkstyle_are_well_formed_xml() {
    let t = two_problem_tree();
    t.write("ok.asl.json", VALID);
    t.write("a<b>&\"c\".asl.json", DUPLICATE);
    let (code, junit, _) = t.run(&["check", "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(junit.starts_with("<?xml"), "{junit}");
    let names = xml_elements(&junit);
    assert_eq!(names.iter().filter(|n| *n == "testcase").count(), 5);
    assert_eq!(names.iter().filter(|n| *n == "failure").count(), 4);

    let (code, checkstyle, _) = t.run(&["check", "--format", "checkstyle"]);
    assert_eq!(code, 1);
    let names = xml_elements(&checkstyle);
    assert_eq!(names.iter().filter(|n| *n == "file").count(), 5);
    assert_eq!(names.iter().filter(|n| *n == "error").count(), 4);
}

// ---------------------------------------------------------------- graph

#[test]
fn graph_draws_mermaid_with_findings_highlighted() {
    let t = Tree::new();
    t.write(
        "m.asl.json",
        r#"{
  "StartAt": "Choose",
  "States": {
    "Choose": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.x", "NumericEquals": 1, "Next": "Work" }]
    },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }],
      "Next": "Done"
    },
    "Spare": { "Type": "Pass", "End": true },
    "Failed": { "Type": "Fail" },
    "Done": { "Type": "Succeed" }
  }
}
"#,
    );
    let (code, mermaid, stderr) = t.run(&["graph", "m.asl.json"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("graph_mermaid", mermaid);

    // The configuration changes what is highlighted.
    t.write("asl-lint.toml", "[rules]\nunreachable-state = \"info\"\n\n[[suppress]]\nrule = \"choice-no-default\"\nstate = \"Choose\"\nreason = \"all inputs are numbers\"\n");
    let (code, configured, _) = t.run(&["graph", "m.asl.json"]);
    assert_eq!(code, 0);
    assert!(configured.contains("class s2 info"), "{configured}");
    assert!(!configured.contains("warning"), "{configured}");
    let (_, isolated, _) = t.run(&["graph", "--isolated", "m.asl.json"]);
    assert_eq!(isolated, mermaid);

    // `--output` writes a file.
    let (code, stdout, _) = t.run(&["graph", "m.asl.json", "--format", "dot", "-o", "m.dot"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert!(fs::read_to_string(t.path().join("m.dot"))
        .expect("written")
        .starts_with("digraph "));
}

#[test]
fn graph_dot_renders_with_graphviz() {
    let t = Tree::new();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/order.asl.json");
    let (code, dot, stderr) = t.run(&["graph", "--format", "dot", example.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dot.starts_with("digraph "), "{dot}");
    let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("Graphviz `dot` is not installed: DOT rendering not checked");
        return;
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(dot.as_bytes()).expect("write to dot");
    }
    let out = child.wait_with_output().expect("dot runs");
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "dot rejected the graph: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(svg.contains("<svg"), "{svg}");
    assert!(svg.contains("Charge and reserve"), "labels are drawn");
}

#[test]
fn graph_of_multi_document_yaml_and_failures() {
    let t = Tree::new();
    t.write(
        "two.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Succeed\n---\nname: not a machine\n---\nStartAt: B\nStates:\n  B:\n    Type: Pass\n    Next: C\n",
    );
    let (code, both, stderr) = t.run(&["graph", "two.asl.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(both.matches("flowchart TD").count(), 2, "{both}");
    assert!(
        both.starts_with("%% document 1 of two.asl.yaml\nflowchart TD\n"),
        "{both}"
    );
    assert!(
        both.contains("\n%% document 3 of two.asl.yaml\nflowchart TD\n"),
        "{both}"
    );
    // The missing `C` is drawn and `B` is highlighted.
    let (code, third, _) = t.run(&["graph", "two.asl.yaml", "--document", "3"]);
    assert_eq!(code, 0);
    assert!(third.starts_with("flowchart TD\n"), "{third}");
    assert!(third.contains("C (missing)"), "{third}");
    assert!(third.contains("class s0 error"), "{third}");

    let (code, _, stderr) = t.run(&["graph", "two.asl.yaml", "--document", "2"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("document 2 of `two.asl.yaml` is not a state machine"),
        "{stderr}"
    );
    let (code, _, stderr) = t.run(&["graph", "two.asl.yaml", "--document", "9"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has 3 documents, not 9"), "{stderr}");

    t.write("bad.asl.json", SYNTAX_ERROR);
    let (code, stdout, stderr) = t.run(&["graph", "bad.asl.json"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("bad.asl.json:4:41: error[syntax-error]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: `bad.asl.json` holds no state machine to draw"),
        "{stderr}"
    );
    let (code, _, stderr) = t.run(&["graph", "missing.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: cannot read `missing.json`: "),
        "{stderr}"
    );
}

/// A CloudFormation template with an inline `Definition`, a
/// `DefinitionString` (CDK's `Fn::Join`), a SAM `DefinitionUri` and a
/// definition in S3.
const TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Orders": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": {
        "Definition": {
          "StartAt": "Check",
          "States": {
            "Check": { "Type": "Choice", "Choices": [{ "Variable": "$.x", "NumericEquals": 1, "Next": "Done" }] },
            "Done": { "Type": "Succeed" }
          }
        }
      }
    },
    "Refunds": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": {
        "DefinitionString": { "Fn::Join": ["", ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"", { "Ref": "Fn" }, "\", \"Next\": \"B\"}}}"]] }
      }
    },
    "Flow": {
      "Type": "AWS::Serverless::StateMachine",
      "Properties": { "DefinitionUri": "flow.asl.json" }
    },
    "Archived": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": { "DefinitionS3Location": { "Bucket": "b", "Key": "k" } }
    }
  }
}
"#;

#[test]
fn graph_draws_the_machines_of_a_template() {
    let t = Tree::new();
    t.write("cfn.json", TEMPLATE);
    t.write(
        "flow.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Pass", "End": true}, "Orphan": {"Type": "Succeed"}}}"#,
    );
    let (code, mermaid, stderr) = t.run(&["graph", "cfn.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "warning: state machine `Archived` of `cfn.json` is not drawn: the definition of state \
         machine `Archived` is in S3 (`DefinitionS3Location`); it is not linted\n"
    );
    insta::assert_snapshot!("graph_template_mermaid", mermaid);
    // One box per machine, labelled with its logical id, in one flowchart;
    // each with its own findings.
    assert_eq!(mermaid.matches("flowchart TD").count(), 1);
    for id in ["Orders", "Refunds", "Flow"] {
        assert!(mermaid.contains(&format!("[\"{id}\"]")), "{id}:\n{mermaid}");
    }
    assert!(
        mermaid.contains("class g0_s0 warning"),
        "Check has no Default"
    );
    assert!(mermaid.contains("g1_m0[\"B (missing)\"]"), "{mermaid}");
    // `A` (no terminal state, missing `B`) and `Orphan` (unreachable in
    // flow.asl.json, linted as the template's file).
    assert!(mermaid.contains("class g1_s0,g2_s1 error"), "{mermaid}");

    // `--machine` picks one; a typo gets a suggestion.
    let (code, one, _) = t.run(&["graph", "cfn.json", "--machine", "Flow"]);
    assert_eq!(code, 0);
    assert!(
        one.contains("subgraph g0[\"Flow\"]") && !one.contains("Orders"),
        "{one}"
    );
    let (code, stdout, stderr) = t.run(&["graph", "cfn.json", "--machine", "Order"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: `cfn.json` has no state machine `Order`; did you mean `Orders`?\n"
    );
    let (code, _, stderr) = t.run(&["graph", "cfn.json", "--machine", "Archived"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "error: state machine `Archived` of `cfn.json` cannot be drawn: the definition"
        ),
        "{stderr}"
    );
    t.write("m.asl.json", VALID);
    let (code, _, stderr) = t.run(&["graph", "m.asl.json", "--machine", "Orders"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("holds no template state machine `Orders`"),
        "{stderr}"
    );

    // A SAM template in YAML whose only file is missing: nothing to draw.
    t.write(
        "sam.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Gone:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: gone.asl.json\n",
    );
    let (code, _, stderr) = t.run(&["graph", "sam.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error[missing-definition-file]"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: `sam.yaml` holds no state machine to draw\n"),
        "{stderr}"
    );
}

#[test]
fn graph_of_a_template_renders_with_graphviz() {
    let t = Tree::new();
    t.write("cfn.json", TEMPLATE);
    t.write("flow.asl.json", VALID);
    let (code, dot, stderr) = t.run(&["graph", "--format", "dot", "cfn.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dot.starts_with("digraph \"template\" {"), "{dot}");
    assert_eq!(
        dot.matches("digraph").count(),
        1,
        "one graph for every machine"
    );
    let Ok(out) = std::process::Command::new("dot")
        .args(["-Tsvg", "-o", "out.svg"])
        .current_dir(t.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(dot.as_bytes())?;
            child.wait_with_output()
        })
    else {
        eprintln!("Graphviz `dot` is not installed: DOT rendering not checked");
        return;
    };
    assert!(
        out.status.success(),
        "dot rejected the graph: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = fs::read_to_string(t.path().join("out.svg")).expect("an SVG");
    assert_eq!(svg.matches("<svg").count(), 1);
    for label in [">Orders<", ">Refunds<", ">Flow<", ">Check<", ">Only<"] {
        assert!(svg.contains(label), "{label} is drawn");
    }
}

/// The README's Mermaid example is `asl-lint graph examples/refund.asl.json`;
/// `UPDATE_README=1 cargo test --test cli` rewrites it. (The SVG next to it,
/// docs/graph-example.svg, is drawn by Graphviz from `--format dot`.)
#[test]
fn readme_graph_example_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = cargo_bin_cmd!("asl-lint")
        .current_dir(root)
        .args(["graph", "--isolated", "examples/refund.asl.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let mermaid = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        mermaid.contains("class s1 warning"),
        "the Choice is highlighted"
    );
    let path = root.join("README.md");
    let readme = fs::read_to_string(&path).expect("README.md");
    let (begin, end) = ("<!-- graph:begin -->\n", "<!-- graph:end -->");
    let (Some(b), Some(e)) = (readme.find(begin), readme.find(end)) else {
        panic!("README.md lacks the graph markers");
    };
    let wanted = format!("```mermaid\n{mermaid}```\n");
    if readme[b + begin.len()..e] != wanted {
        if std::env::var_os("UPDATE_README").is_some() {
            let new = format!("{}{wanted}{}", &readme[..b + begin.len()], &readme[e..]);
            fs::write(&path, new).expect("README.md is writable");
        } else {
            panic!("the README graph example is out of date; run `UPDATE_README=1 cargo test --test cli`");
        }
    }
    assert!(root.join("docs/graph-example.svg").is_file());
}
