//! The JSON parser on any text: a tree or syntax errors, never a panic; every
//! range inside the text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = asl_lint::syntax::json::parse(&text);
    for e in &parsed.errors {
        assert!(e.range.end() <= text.len());
    }
    if let Some(doc) = parsed.documents.first() {
        assert!(doc.root.range.end() <= text.len());
    }
});
