//! Where the time of one lint goes: each phase of the pipeline and each rule,
//! timed separately on one file (best of `--runs`, default 5).
//!
//! ```text
//! cargo run --release --example profile_rules -- FILE [--runs N] [--top N]
//! ```
//!
//! Use it to find a slow (e.g. quadratic) rule: generate a large definition
//! with `examples/gen_corpus.rs --states 10000` and look at the top rows.

use asl_lint::model::Machine;
use asl_lint::rules::{self, LintContext, Sink};
use asl_lint::settings::Settings;
use asl_lint::source::SourceFile;
use asl_lint::syntax::{self, Format};
use std::time::{Duration, Instant};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let mut path = None;
    let mut runs = 5;
    let mut top = 15;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--top" => top = args.next().and_then(|v| v.parse().ok()).unwrap_or(top),
            _ => path = Some(a),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: profile_rules FILE [--runs N] [--top N]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("readable file");
    let settings = Settings::default();
    // Compile the schema once before timing anything.
    asl_lint::lint_bytes(&path, &bytes, &settings, asl_lint::Selection::Always);

    let mut rows: Vec<(String, Duration)> = Vec::new();
    let total = best(runs, || {
        asl_lint::lint_bytes(&path, &bytes, &settings, asl_lint::Selection::Always)
    });
    rows.push((
        "serde_json::Value (reference)".into(),
        best(runs, || {
            serde_json::from_slice::<serde_json::Value>(&bytes).is_ok()
        }),
    ));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    rows.push((
        "phase: source (line index)".into(),
        best(runs, || SourceFile::new(path.clone(), text.clone())),
    ));
    let format = Format::from_path(&path);
    rows.push((
        "phase: parse".into(),
        best(runs, || syntax::parse(&text, format)),
    ));
    let parsed = syntax::parse(&text, format);
    let Some(doc) = parsed.documents.first() else {
        eprintln!("{path}: does not parse");
        std::process::exit(1);
    };
    let root = &doc.root;
    let file = SourceFile::new(path.clone(), text.clone());
    rows.push((
        "phase: schema".into(),
        best(runs, || {
            let mut sink = Sink::new(&settings, Some(root));
            asl_lint::schema::check(root, &text, &mut sink);
            sink.finish()
        }),
    ));
    let instance = asl_lint::schema::to_json(root);
    rows.push((
        "schema: to_json".into(),
        best(runs, || asl_lint::schema::to_json(root)),
    ));
    let schema: serde_json::Value =
        serde_json::from_str(asl_lint::schema::schema_text()).expect("schema");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("schema compiles");
    rows.push((
        "schema: is_valid".into(),
        best(runs, || validator.is_valid(&instance)),
    ));
    rows.push((
        "schema: iter_errors".into(),
        best(runs, || validator.iter_errors(&instance).count()),
    ));
    rows.push(("phase: model".into(), best(runs, || Machine::build(root))));
    let machine = Machine::build(root);
    // Build the graphs once so the first graph rule does not pay for all.
    rows.push((
        "phase: graphs".into(),
        best(runs, || {
            let m = Machine::build(root);
            m.graph(asl_lint::model::ScopeId(0));
        }),
    ));
    machine.graph(asl_lint::model::ScopeId(0));
    // Shared analyses (the variable data flow) are computed on first use and
    // cached in the context, so the best of several runs shows each rule's
    // own cost.
    let cx = LintContext::new(&file, root, &machine, &settings);
    for rule in rules::ALL {
        let Some(check) = rule.check else { continue };
        let d = best(runs, || {
            let mut sink = Sink::new(&settings, Some(root));
            check(&cx, &mut sink);
            sink.finish()
        });
        rows.push((format!("rule: {}", rule.name), d));
    }
    println!(
        "{path}: {} bytes, {} states; whole lint {:.2} ms",
        bytes.len(),
        machine.states.len(),
        total.as_secs_f64() * 1e3
    );
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (name, d) in rows.iter().take(top) {
        println!(
            "{:>9.3} ms {:>5.1}%  {name}",
            d.as_secs_f64() * 1e3,
            100.0 * d.as_secs_f64() / total.as_secs_f64()
        );
    }
}
