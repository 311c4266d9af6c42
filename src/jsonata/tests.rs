use super::*;

fn ok(s: &str) {
    if let Err(e) = parse(s) {
        panic!("{s:?} should parse: {e}");
    }
}

fn bad(s: &str) -> Error {
    match parse(s) {
        Ok(_) => panic!("{s:?} should not parse"),
        Err(e) => e,
    }
}

#[test]
fn basics() {
    ok("$states.input.a");
    bad("(");
}
