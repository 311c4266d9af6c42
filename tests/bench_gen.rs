//! The generator of `benches/gen` makes clean definitions: the benchmarks
//! (`benches/lint.rs`) assert it before timing, and the corpus of
//! `benches/compare.py` relies on it (only the injected mistakes are meant
//! to be found). A generator change that adds findings fails here, in
//! `cargo test`, instead of in a benchmark run nobody makes.

#[path = "../benches/gen/mod.rs"]
mod gen;

use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use gen::{Lang, Spec};

/// AWS's limit on a definition, in bytes (`definition-too-large`).
const DEFINITION_LIMIT: usize = 1 << 20;

/// The findings of `text` as `rule: message` lines.
fn findings(path: &str, text: &str) -> Vec<String> {
    let r = lint_bytes(
        path,
        text.as_bytes(),
        &Settings::default(),
        Selection::Always,
    )
    .expect("linted");
    r.diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.rule.name, d.message))
        .collect()
}

/// Clean, except that a text over 1 MiB is `definition-too-large` (and
/// nothing else).
fn assert_clean(what: &str, path: &str, text: &str) {
    let mut found = findings(path, text);
    let too_large = found
        .iter()
        .position(|f| f.starts_with("definition-too-large:"));
    assert_eq!(
        too_large.is_some(),
        text.len() > DEFINITION_LIMIT,
        "{what}: {} bytes, findings {found:#?}",
        text.len()
    );
    if let Some(i) = too_large {
        found.remove(i);
    }
    assert!(found.is_empty(), "{what} is not clean: {found:#?}");
}

/// Every definition the benchmarks lint (seed 7): JSONPath and JSONata at
/// 100 and 1,000 states, their YAML renderings, and the 5,000 states of the
/// language-server benchmark.
#[test]
fn benchmark_definitions_are_clean() {
    for states in [100, 1_000] {
        for lang in [Lang::JsonPath, Lang::Jsonata] {
            let spec = Spec::new(states, lang, 7);
            let what = format!("{states} states, {lang:?}");
            assert_clean(&what, "bench.asl.json", &gen::definition_text(&spec));
            let yaml = gen::to_yaml(&gen::definition(&spec));
            assert_clean(&format!("{what}, YAML"), "bench.asl.yaml", &yaml);
        }
    }
    let spec = Spec::new(5_000, Lang::JsonPath, 7);
    assert_clean(
        "5,000 states",
        "bench.asl.json",
        &gen::definition_text(&spec),
    );
}

/// The 10,000-state definitions of the benchmarks: over 1 MiB, so
/// `definition-too-large` and nothing else.
#[test]
fn ten_thousand_state_benchmark_definitions_are_clean() {
    for lang in [Lang::JsonPath, Lang::Jsonata] {
        let spec = Spec::new(10_000, lang, 7);
        let text = gen::definition_text(&spec);
        assert!(text.len() > DEFINITION_LIMIT);
        assert_clean(&format!("10,000 states, {lang:?}"), "bench.asl.json", &text);
    }
}

/// Many seeds and sizes, flat and nested, as `examples/gen_corpus.rs` makes
/// them (it uses a depth of 0 below 12 states).
#[test]
fn corpus_definitions_are_clean_for_many_seeds() {
    for seed in 0..160u64 {
        let lang = if seed % 3 == 0 {
            Lang::Jsonata
        } else {
            Lang::JsonPath
        };
        let states = 2 + (seed as usize * 37) % 150;
        let mut spec = Spec::new(states, lang, seed);
        spec.max_depth = if states < 12 { 0 } else { 3 };
        let what = format!("seed {seed}, {states} states, {lang:?}");
        assert_clean(&what, "def.asl.json", &gen::definition_text(&spec));
    }
}

/// The definitions exercise what the benchmarks claim to measure: workflow
/// variables (assigned, read, updated), nested and distributed Maps, and
/// Parallel states, in both languages.
#[test]
fn benchmark_definitions_use_variables_and_nesting() {
    for lang in [Lang::JsonPath, Lang::Jsonata] {
        let def = gen::definition(&Spec::new(1_000, lang, 7));
        assert_eq!(gen::count_states(&def), 1_000);
        let text = serde_json::to_string(&def).expect("serializable");
        let count = |needle: &str| text.matches(needle).count();
        assert!(
            count("\"Assign\"") >= 50,
            "{lang:?}: {}",
            count("\"Assign\"")
        );
        let reads = match lang {
            Lang::JsonPath => {
                count("\"context.$\":\"$") + count("\"Variable\":\"$") - count("\"Variable\":\"$.")
            }
            Lang::Jsonata => {
                count("{% $runId")
                    + count("{% $traceId")
                    + count("{% $tenant")
                    + count("{% $batchKey")
                    + count("{% $region")
                    + count("{% $stage")
            }
        };
        assert!(reads >= 100, "{lang:?}: {reads} variable reads");
        assert!(count("-next") >= 10, "{lang:?}: few variable updates");
        assert!(
            count("\"DISTRIBUTED\"") >= 3,
            "{lang:?}: few Distributed Maps"
        );
        assert!(count("\"Branches\"") >= 10, "{lang:?}: few Parallel states");
    }
}

/// The injected mistakes are found: clean and broken differ.
#[test]
fn mistakes_are_found() {
    for lang in [Lang::JsonPath, Lang::Jsonata] {
        let mut spec = Spec::new(200, lang, 7);
        spec.mistakes = 3;
        let found = findings("def.asl.json", &gen::definition_text(&spec));
        assert!(found.len() >= 3, "{lang:?}: {found:#?}");
    }
}
