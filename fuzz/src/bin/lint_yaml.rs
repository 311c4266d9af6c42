//! The whole pipeline on one YAML file: parse, schema, model, every rule and
//! every renderer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    asl_lint_fuzz::lint_and_render("fuzz.asl.yaml", data);
});
