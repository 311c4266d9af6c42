//! The YAML parser on any text (it catches panics of the YAML library, so a
//! panic here is in asl-lint's own tree builder or in that guard).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = asl_lint::syntax::yaml::parse(&text);
    for e in &parsed.errors {
        assert!(e.range.end() <= text.len(), "{e:?}");
    }
    for doc in &parsed.documents {
        assert!(doc.root.range.end() <= text.len());
    }
});
