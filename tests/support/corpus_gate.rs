//! What a corpus test does when `../shared/corpus` is absent (a fresh clone
//! without the shared folder): it is skipped, loudly, so that a green run
//! cannot be mistaken for a checked corpus. With `ASL_LINT_REQUIRE_CORPUS=1`
//! in the environment (CI jobs that do have the corpus), it fails instead.
//!
//! Included by the corpus tests with `#[path = "support/corpus_gate.rs"] mod corpus_gate;`.

use std::io::Write as _;

/// The environment variable that turns a missing corpus into a failure.
pub const REQUIRE: &str = "ASL_LINT_REQUIRE_CORPUS";

/// True when [`REQUIRE`] is set to something other than empty or `0`.
pub fn required() -> bool {
    std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Reports that `test` cannot run because `what` is absent: fails when the
/// corpus is required, else writes a banner to the real standard error (the
/// test harness captures `eprintln!`, not direct writes, so the banner shows
/// in a normal `cargo test` run).
pub fn skip(test: &str, what: &str) {
    let message = format!(
        "corpus test `{test}` SKIPPED: {what} is absent, so none of its assertions ran; \
         set {REQUIRE}=1 to make this a failure"
    );
    if required() {
        panic!("{message}");
    }
    let rule = "=".repeat(78);
    let _ = writeln!(std::io::stderr(), "\n{rule}\n{message}\n{rule}");
}
