//! The `asl-lint` command: parse the arguments, run, map the result to an
//! exit code (0 clean, 1 errors found, 2 the command failed).

use asl_lint::cli::{self, Cli};
use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the tree gives every key and value its own allocation, and
/// glibc's allocator spent a third of the language server's re-lint on them
/// (`benches/README.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
