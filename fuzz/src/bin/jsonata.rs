//! The JSONata parser and the analyses the rules run on its trees: no input
//! panics, overflows the stack or yields a span outside the expression.
#![no_main]

use asl_lint::jsonata::{self, analysis};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // As a whole string field: the delimiters are classified first.
    let _ = jsonata::template(s);
    match jsonata::parse(s) {
        Ok(e) => {
            assert!(e.span.end() <= s.len(), "{e:?}");
            for c in analysis::calls(&e) {
                let _ = c;
            }
            let _ = analysis::bound_names(&e);
            for r in analysis::states_refs(&e) {
                let _ = r;
            }
            for (span, _) in analysis::context_refs(&e) {
                assert!(span.end() <= s.len());
            }
            let _ = analysis::result_type(&e);
        }
        Err(err) => {
            assert!(err.span.end() <= s.len(), "{err:?}");
            assert!(s.is_char_boundary(err.span.start()), "{err:?}");
            if let Some((r, _)) = err.related {
                assert!(r.end() <= s.len(), "{err:?}");
            }
        }
    }
});
