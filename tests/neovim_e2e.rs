//! The language server in a real editor: headless Neovim, configured by
//! `editors/neovim`, opens a state machine, receives diagnostics and renames
//! a state. The Lua side is tests/neovim/*.lua; it writes what it saw to a
//! JSON file that these tests check. Skipped when `nvim` is not installed.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Neovim may run before it is killed.
const DEADLINE: Duration = Duration::from_secs(60);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn nvim_available() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("skipped: `nvim` is not installed (apt-get install neovim)");
    }
    found
}

/// Runs `nvim --headless` on `script` with `editors/neovim` on the
/// runtimepath, in an isolated home under `dir`, and returns the JSON the
/// script wrote.
fn run_nvim(dir: &Path, script: &str, env: &[(&str, &Path)]) -> Value {
    let out = dir.join("result.json");
    let home = dir.join("home");
    let plugin = repo().join("editors/neovim");
    let script = repo().join("tests/neovim").join(script);
    let mut cmd = Command::new("nvim");
    cmd.args(["--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("-c")
        .arg(format!("set rtp^={}", plugin.display()))
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir)
        .env("HOME", &home)
        .env("ASL_E2E_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (xdg, sub) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ] {
        cmd.env(xdg, home.join(sub));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("nvim starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for nvim") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().expect("nvim output");
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "nvim ({status}) wrote no result ({e}); stderr:\n{}\nstdout:\n{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout),
        )
    });
    let result: Value = serde_json::from_str(&text).expect("the result is JSON");
    assert!(
        result.get("error").is_none(),
        "the Lua script failed: {}\n\nLSP log:\n{}",
        result["error"].as_str().unwrap_or_default(),
        result["lsp_log"].as_str().unwrap_or_default(),
    );
    assert!(status.success(), "nvim exited with {status}");
    result
}

fn same_dir(a: &str, b: &Path) -> bool {
    let a = PathBuf::from(a);
    a == b || a.canonicalize().ok() == b.canonicalize().ok()
}

#[test]
fn neovim_shows_diagnostics_and_renames_a_state() {
    if !nvim_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let original = std::fs::read_to_string(repo().join("examples/broken.asl.json")).unwrap();
    let file = dir.join("order.asl.json");
    std::fs::write(&file, &original).unwrap();
    // The configuration next to the file applies: one rule off.
    std::fs::write(
        dir.join("asl-lint.toml"),
        "[rules]\nunreachable-state = \"off\"\n",
    )
    .unwrap();

    // A SAM template whose state machine names a missing state.
    let template = dir.join("template.yaml");
    std::fs::write(
        &template,
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Next: Missing\n",
    )
    .unwrap();

    let bin = Path::new(env!("CARGO_BIN_EXE_asl-lint"));
    let r = run_nvim(
        dir,
        "e2e.lua",
        &[
            ("ASL_LINT_BIN", bin),
            ("ASL_E2E_FILE", &file),
            ("ASL_E2E_TEMPLATE", &template),
        ],
    );

    assert_eq!(r["filetype"], "json.states");
    assert_eq!(r["client_name"], "asl_lint");
    assert!(
        same_dir(r["root_dir"].as_str().unwrap(), dir),
        "root {}",
        r["root_dir"]
    );

    let diags = r["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(
        !codes.contains(&"unreachable-state"),
        "the configuration turned unreachable-state off: {codes:?}"
    );
    // `"Next": "Archive"` on line 19, columns 15–23 (1-based): the missing
    // target itself, and nothing wider.
    let missing = diags
        .iter()
        .find(|d| d["code"] == "missing-transition-target")
        .unwrap_or_else(|| panic!("no missing-transition-target in {diags:#?}"));
    assert_eq!(missing["lnum"], 18);
    assert_eq!(missing["col"], 14);
    assert_eq!(missing["end_lnum"], 18);
    assert_eq!(missing["end_col"], 23);
    assert_eq!(missing["severity"], 1);
    assert_eq!(missing["source"], "asl-lint");
    assert!(
        missing["message"].as_str().unwrap().contains("`Archive`"),
        "{missing}"
    );
    for code in ["schema-violation", "unknown-field", "duplicate-key"] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }

    // The rename changed the key and the `Next` naming it, in the buffer
    // and (after :write) on disk.
    let expected = original.replace("\"Notify\"", "\"Announce\"");
    assert_eq!(
        r["renamed_text"].as_str().unwrap().trim_end(),
        expected.trim_end()
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    let after = r["diagnostics_after_rename"].as_array().unwrap();
    assert!(after
        .iter()
        .any(|d| d["code"] == "missing-transition-target" && d["lnum"] == 18));

    // The template: a plain `yaml` buffer, linted by content.
    assert_eq!(r["template_filetype"], "yaml");
    let t = r["template_diagnostics"].as_array().unwrap();
    let missing = t
        .iter()
        .find(|d| d["code"] == "missing-transition-target")
        .unwrap_or_else(|| panic!("no missing-transition-target in {t:#?}"));
    assert_eq!(missing["lnum"], 10);
    assert_eq!(missing["col"], 18);
}

#[test]
fn neovim_setup_uses_the_config_api_detects_filetypes_and_finds_roots() {
    if !nvim_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
    std::fs::create_dir_all(dir.join("a/b/.git")).unwrap();
    std::fs::write(dir.join("a/asl-lint.toml"), "").unwrap();

    let r = run_nvim(dir, "setup_api.lua", &[("ASL_E2E_DIR", dir)]);

    assert_eq!(r["has_config_api"], true);
    let c = &r["captured"];
    assert_eq!(c["config_name"], "asl_lint");
    assert_eq!(c["enabled"], "asl_lint");
    assert_eq!(
        c["config"]["cmd"],
        serde_json::json!(["/opt/asl-lint/bin/asl-lint", "lsp"])
    );
    assert_eq!(
        c["config"]["filetypes"],
        serde_json::json!(["json.states", "yaml.states", "json", "yaml"])
    );
    assert_eq!(
        r["without_templates"]["filetypes"],
        serde_json::json!(["json.states", "yaml.states"])
    );
    assert!(r["without_templates"].get("templates").is_none());
    assert_eq!(
        c["config"]["root_markers"],
        serde_json::json!(["asl-lint.toml", ".asl-lint.toml", ".git"])
    );

    let ft = &r["filetypes"];
    assert_eq!(ft["x.asl.json"], "json.states");
    assert_eq!(ft["x.asl.yaml"], "yaml.states");
    assert_eq!(ft["x.asl.yml"], "yaml.states");
    assert_eq!(ft["plain.json"], "json");

    assert!(same_dir(r["root"].as_str().unwrap(), &dir.join("a")));
    assert!(same_dir(r["root_git"].as_str().unwrap(), &dir.join("a/b")));
}
