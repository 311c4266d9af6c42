//! Generates a deterministic corpus of realistic state machine definitions
//! for the benchmark script (`benches/compare.py`).
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR [--files N] [--seed S]
//!     [--min-kb 2] [--max-kb 80] [--mistakes-percent 5] [--jsonata-percent 30]
//! cargo run --release --example gen_corpus -- OUT_FILE --states N
//!     [--lang jsonpath|jsonata] [--yaml] [--seed S]
//! ```
//!
//! The first form writes `N` files named `def-00000.asl.json` … of 2–80 KB
//! (log-uniform sizes), JSONPath and JSONata, with nested Parallel and Map
//! states, Retry and Catch; a few percent carry typical mistakes. The second
//! writes one definition of exactly `N` states (JSON, or YAML with `--yaml`).

#[path = "../benches/gen/mod.rs"]
mod gen;

use gen::{Lang, Rng, Spec};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    out: PathBuf,
    files: usize,
    seed: u64,
    min_kb: f64,
    max_kb: f64,
    mistakes_percent: u64,
    jsonata_percent: u64,
    states: Option<usize>,
    lang: Lang,
    yaml: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        out: PathBuf::new(),
        files: 2000,
        seed: 42,
        min_kb: 2.0,
        max_kb: 80.0,
        mistakes_percent: 5,
        jsonata_percent: 30,
        states: None,
        lang: Lang::JsonPath,
        yaml: false,
    };
    let mut it = std::env::args().skip(1);
    let mut out = None;
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        let num = |s: String| s.parse::<f64>().map_err(|e| format!("`{s}`: {e}"));
        match a.as_str() {
            "--files" => args.files = num(value("--files")?)? as usize,
            "--seed" => args.seed = num(value("--seed")?)? as u64,
            "--min-kb" => args.min_kb = num(value("--min-kb")?)?,
            "--max-kb" => args.max_kb = num(value("--max-kb")?)?,
            "--mistakes-percent" => {
                args.mistakes_percent = num(value("--mistakes-percent")?)? as u64
            }
            "--jsonata-percent" => args.jsonata_percent = num(value("--jsonata-percent")?)? as u64,
            "--states" => args.states = Some(num(value("--states")?)? as usize),
            "--lang" => {
                args.lang = match value("--lang")?.as_str() {
                    "jsonpath" => Lang::JsonPath,
                    "jsonata" => Lang::Jsonata,
                    other => return Err(format!("unknown language `{other}`")),
                }
            }
            "--yaml" => args.yaml = true,
            _ if a.starts_with("--") => return Err(format!("unknown option `{a}`")),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    args.out = out.ok_or("usage: gen_corpus OUT [options]; see the source for the options")?;
    Ok(args)
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    if let Some(states) = args.states {
        let spec = Spec::new(states, args.lang, args.seed);
        let text = if args.yaml {
            gen::to_yaml(&gen::definition(&spec))
        } else {
            gen::definition_text(&spec)
        };
        std::fs::write(&args.out, text).map_err(|e| format!("{}: {e}", args.out.display()))?;
        return Ok(());
    }
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let mut rng = Rng::new(args.seed);
    let (lo, hi) = (args.min_kb.ln(), args.max_kb.ln());
    let mut total = 0usize;
    let mut largest = 0usize;
    for i in 0..args.files {
        let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let target_kb = (lo + (hi - lo) * unit).exp();
        let lang = if rng.chance(args.jsonata_percent) {
            Lang::Jsonata
        } else {
            Lang::JsonPath
        };
        // Bytes of pretty-printed JSON per state, measured on large files.
        let per_state = if lang == Lang::Jsonata { 830.0 } else { 1000.0 };
        let mut states = ((target_kb * 1024.0 / per_state) as usize).max(2);
        let seed = rng.next_u64();
        let mistakes = if rng.chance(args.mistakes_percent) {
            rng.range(1, 3)
        } else {
            0
        };
        // Adjust the state count until the size is within the bounds.
        let mut text = String::new();
        for _ in 0..8 {
            let mut spec = Spec::new(states, lang, seed);
            spec.max_depth = if states < 12 { 0 } else { 3 };
            spec.mistakes = mistakes;
            text = gen::definition_text(&spec);
            let kb = text.len() as f64 / 1024.0;
            if kb < args.min_kb {
                states = states * 3 / 2 + 1;
            } else if kb > args.max_kb {
                states = (states * 7 / 8).max(2);
            } else {
                break;
            }
        }
        total += text.len();
        largest = largest.max(text.len());
        let path = args.out.join(format!("def-{i:05}.asl.json"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "{} files, {:.1} MB, largest {:.1} KB",
        args.files,
        total as f64 / 1e6,
        largest as f64 / 1024.0
    );
    Ok(())
}
