//! The pre-commit hook of `.pre-commit-hooks.yaml`, run the way pre-commit
//! runs it: in a git repository, on the staged files its `types_or` selects,
//! with `asl-lint` replaced by the binary under test. Nothing is fetched;
//! pre-commit itself is not needed.

use asl_lint::syntax::{self, Format, Node};
use std::fs;
use std::path::Path;
use std::process::Command;

const VALID: &str = r#"{
  "StartAt": "Only",
  "States": { "Only": { "Type": "Pass", "End": true } }
}
"#;

const BROKEN_YAML: &str = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n";

const FIXED_YAML: &str = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";

/// A SAM template whose inline definition names a state that does not exist.
const BROKEN_SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: !GetAtt ChargeFunction.Arn
            Next: Ship
";

const FIXED_SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: !GetAtt ChargeFunction.Arn
            End: true
";

/// A CloudFormation template in JSON with a `DefinitionString`, clean.
const CFN_JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Flow": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": {
        "DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}"
      }
    }
  }
}
"#;

/// A template without a state machine: not the hook's business.
const BUCKET_TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
";

/// The hook as declared: (entry, types_or).
fn hook() -> (String, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = fs::read_to_string(&path).expect(".pre-commit-hooks.yaml exists");
    let parsed = syntax::parse(&text, Format::Yaml);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let hooks = parsed.documents[0]
        .root
        .as_array()
        .expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    let field = |key: &str| -> &str {
        hook.get(key)
            .and_then(Node::as_str)
            .unwrap_or_else(|| panic!("the hook has a `{key}` string"))
    };
    assert_eq!(field("id"), "asl-lint");
    assert_eq!(field("language"), "rust");
    let types: Vec<String> = hook
        .get("types_or")
        .and_then(Node::as_array)
        .expect("types_or")
        .iter()
        .map(|t| t.as_str().expect("a type").to_string())
        .collect();
    assert_eq!(types, ["json", "yaml"]);
    (field("entry").to_string(), types)
}

/// pre-commit's file types (from the `identify` library) for the extensions
/// that matter here.
fn file_type(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".json") {
        Some("json")
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some("yaml")
    } else {
        None
    }
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }

    /// The staged files pre-commit would pass to the hook.
    fn staged(&self, types: &[String]) -> Vec<String> {
        git(self.path(), &["diff", "--cached", "--name-only"])
            .lines()
            .filter(|f| file_type(f).is_some_and(|t| types.iter().any(|x| x == t)))
            .map(str::to_string)
            .collect()
    }

    /// Runs the hook's entry on `files`: (exit code, stdout, stderr).
    fn run_hook(&self, entry: &str, files: &[String]) -> (i32, String, String) {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("asl-lint"), "the entry runs asl-lint");
        let out = Command::new(env!("CARGO_BIN_EXE_asl-lint"))
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("ASL_LINT_OUTPUT_FORMAT")
            .args(words)
            .args(files)
            .output()
            .expect("asl-lint runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_hook_lints_staged_state_machines_only() {
    if !git_available() {
        eprintln!("git is not installed: pre-commit hook test skipped");
        return;
    }
    let (entry, types) = hook();
    let repo = Repo {
        dir: tempfile::Builder::new()
            .prefix("asl-lint-precommit-")
            .tempdir()
            .expect("temp dir"),
    };
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["config", "user.email", "dev@example.com"]);
    git(repo.path(), &["config", "user.name", "Dev"]);
    repo.write("asl-lint.toml", "exclude = [\"generated\"]\n");
    repo.write("flows/order.asl.json", VALID);
    repo.write("flows/broken.asl.yaml", BROKEN_YAML);
    repo.write("infra/machine.json", VALID);
    repo.write("infra/template.yaml", BROKEN_SAM);
    repo.write("infra/flow.template.json", CFN_JSON);
    repo.write("infra/bucket.yaml", BUCKET_TEMPLATE);
    repo.write("generated/out.asl.json", "{ not json");
    repo.write(
        "package.json",
        "{ \"name\": \"app\", \"version\": \"1.0.0\" }\n",
    );
    repo.write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
    repo.write("README.md", "# app\n");
    git(repo.path(), &["add", "-A"]);

    let staged = repo.staged(&types);
    assert_eq!(
        staged,
        [
            ".github/workflows/ci.yml",
            "flows/broken.asl.yaml",
            "flows/order.asl.json",
            "generated/out.asl.json",
            "infra/bucket.yaml",
            "infra/flow.template.json",
            "infra/machine.json",
            "infra/template.yaml",
            "package.json",
        ]
    );
    let (code, stdout, stderr) = repo.run_hook(&entry, &staged);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("flows/broken.asl.yaml"),
        "the broken definition is reported:\n{stdout}"
    );
    // The template's finding is placed in the template and names the machine.
    for part in [
        "[infra/template.yaml:13:19]",
        "`Next` of state `Charge` names `Ship`",
        "(state machine",
    ] {
        assert!(
            stdout.contains(part),
            "the broken template is reported ({part}):\n{stdout}"
        );
    }
    for quiet in [
        "package.json",
        "ci.yml",
        "generated/out.asl.json",
        "infra/machine.json",
        "infra/flow.template.json",
        "infra/bucket.yaml",
    ] {
        assert!(
            !stdout.contains(quiet),
            "`{quiet}` is not reported:\n{stdout}"
        );
    }
    // Five files: the two definitions under flows/, the sniffed infra one
    // and the two templates that hold a state machine (not the bucket).
    assert!(
        stdout.ends_with("in 5 files.\n"),
        "five files were checked:\n{stdout}"
    );

    // Fixed and staged again: the hook passes.
    repo.write("flows/broken.asl.yaml", FIXED_YAML);
    repo.write("infra/template.yaml", FIXED_SAM);
    git(
        repo.path(),
        &["add", "flows/broken.asl.yaml", "infra/template.yaml"],
    );
    let (code, stdout, stderr) = repo.run_hook(&entry, &repo.staged(&types));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "No problems found in 5 files.\n");

    // A commit of the template alone checks just that file.
    let (code, stdout, stderr) = repo.run_hook(&entry, &["infra/template.yaml".to_string()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "No problems found in 1 file.\n");

    // A commit that touches no definition passes without checking anything.
    let others = vec![
        "package.json".to_string(),
        ".github/workflows/ci.yml".into(),
    ];
    let (code, stdout, _) = repo.run_hook(&entry, &others);
    assert_eq!((code, stdout.as_str()), (0, "No files to check.\n"));
}
