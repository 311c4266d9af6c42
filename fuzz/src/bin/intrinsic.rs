//! The intrinsic function parser: calls, nested calls and their paths.
#![no_main]

use asl_lint::paths;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = paths::looks_like_intrinsic(s);
    match paths::parse_intrinsic(s) {
        Ok(call) => {
            let mut calls = 0;
            call.walk(&mut |c| {
                calls += 1;
                assert!(c.name_span.end() <= s.len());
                let _ = c.function().map(|f| f.arity());
            });
            assert!(calls >= 1);
            call.paths(&mut |p| assert!(p.span.end() <= s.len()));
        }
        Err(e) => assert!(e.span().end() <= s.len() + 1, "{e:?}"),
    }
});
