//! `asl-lint lsp`: the language server over standard input and output.

use super::{CliError, ExitStatus};

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; standard I/O is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &LspArgs) -> Result<ExitStatus, CliError> {
    let (connection, io_threads) = crate::lsp::stdio::stdio();
    let reading = io_threads.reading();
    match crate::lsp::run_with_reader(connection, Some(reading)) {
        Ok(()) => {
            io_threads
                .join()
                .map_err(|e| CliError(format!("language server I/O failed: {e}")))?;
            Ok(ExitStatus::Success)
        }
        // `exit` without `shutdown`, or a client that went away: exit code 1,
        // as the protocol asks. The I/O threads are not joined: stdin may
        // still be open and joining would hang.
        Err(e)
            if e.is::<crate::lsp::ExitWithoutShutdown>() || e.is::<crate::lsp::Disconnected>() =>
        {
            eprintln!("asl-lint lsp: {e}");
            Ok(ExitStatus::Failure)
        }
        Err(e) => Err(CliError(format!("language server failed: {e}"))),
    }
}
