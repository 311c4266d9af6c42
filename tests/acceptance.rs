//! The core's acceptance case: one definition with a missing `Next` target, an
//! unreachable state, a scope without a terminal state, a name used in two
//! scopes, a transition that leaves its scope, an unknown field and a wrong
//! type; each is reported by its rule at the exact line and column.

use asl_lint::output::positions;
use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};

#[test]
fn each_core_error_is_reported_at_its_position() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/acceptance/core.asl.json"
    );
    let bytes = std::fs::read(path).expect("fixture exists");
    let report = lint_bytes(
        "core.asl.json",
        &bytes,
        &Settings::default(),
        Selection::Always,
    )
    .unwrap();
    let file = report.source.as_ref().unwrap();
    let found: Vec<(String, u32, u32, u32, u32)> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == asl_lint::diagnostic::Severity::Error)
        .map(|d| {
            let (s, e) = positions(file, d.range);
            (d.rule.name.to_string(), s.line, s.column, e.line, e.column)
        })
        .collect();
    let expected: &[(&str, u32, u32, u32, u32)] = &[
        // `"30"` where an integer is required.
        ("schema-violation", 8, 25, 8, 29),
        // `ResultsPath` is not a Task field (did you mean `ResultPath`?).
        ("unknown-field", 9, 7, 9, 20),
        // The first branch loops forever: no terminal state in that scope.
        ("no-terminal-state", 17, 11, 17, 19),
        // `Archive` exists, but in the top level, not in this branch.
        ("cross-scope-transition", 25, 49, 25, 58),
        // A second `Validate`, inside the branch.
        ("duplicate-state-name", 26, 13, 26, 23),
        // ... which nothing in the branch transitions to.
        ("unreachable-state", 26, 13, 26, 23),
        // `Shipp` is a typo of `Ship`.
        ("missing-transition-target", 30, 15, 30, 22),
        // `Ship` and `Archive` are never reached.
        ("unreachable-state", 32, 5, 32, 11),
        ("unreachable-state", 33, 5, 33, 14),
    ];
    for (rule, l1, c1, l2, c2) in expected {
        assert!(
            found
                .iter()
                .any(|f| f == &(rule.to_string(), *l1, *c1, *l2, *c2)),
            "missing {rule} at {l1}:{c1}-{l2}:{c2}; found:\n{found:#?}"
        );
    }
    assert_eq!(
        found.len(),
        expected.len(),
        "unexpected extra errors:\n{found:#?}"
    );
}
