//! "The physical limit" for the benchmark script: reads every `.json` file
//! under the given folders and parses it with `serde_json` into a `Value`, in
//! parallel on rayon's default pool (the same threads `asl-lint check` uses).
//! Nothing is validated, nothing is reported: whatever a linter does on top of
//! this is its overhead.
//!
//! ```text
//! cargo run --release --example serde_limit -- DIR... [--read-only]
//! ```
//!
//! Prints `files=N bytes=B seconds=S` (the time covers discovery, reading and
//! parsing, as `asl-lint check` does). It runs on the allocator `asl-lint`
//! uses (mimalloc), so that the comparison is between the work done, not the
//! allocators.

use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let start = Instant::now();
    let mut read_only = false;
    let mut roots = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--read-only" {
            read_only = true;
        } else {
            roots.push(PathBuf::from(a));
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for root in &roots {
        for entry in walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name.ends_with(".json") {
                files.push(entry.into_path());
            }
        }
    }
    let (bytes, parsed) = files
        .par_iter()
        .map(|path| {
            let Ok(bytes) = std::fs::read(path) else {
                return (0usize, 0usize);
            };
            if read_only {
                return (bytes.len(), 0);
            }
            let ok = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok();
            (bytes.len(), usize::from(ok))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "files={} parsed={parsed} bytes={bytes} seconds={seconds:.6}",
        files.len()
    );
}
