//! The language server on a sequence of messages decoded from the input
//! (open, ranged and full edits, every request kind, cancellations, malformed
//! params): it must end normally and answer every request once.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    asl_lint_fuzz::lsp_session(data);
});
