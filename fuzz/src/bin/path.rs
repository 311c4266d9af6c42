//! The Path and Reference Path parsers: every span inside the string.
#![no_main]

use asl_lint::paths;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for result in [paths::parse_path(s), paths::parse_reference_path(s)] {
        match result {
            Ok(p) => {
                for seg in &p.segments {
                    assert!(seg.span.end() <= s.len(), "{p:?}");
                }
                let _ = p.reference_error();
                let _ = p.leading_names().count();
            }
            Err(e) => assert!(e.span().end() <= s.len() + 1, "{e:?}"),
        }
    }
    let _ = paths::has_placeholder(s);
    let _ = paths::count_format_placeholders(s);
});
