//! Our JSONata parser against the reference, jsonata@2.0.6.

use asl_lint::jsonata;

/// `JSONATA_PROBE=file cargo test --test jsonata_differential probe -- --ignored --nocapture`
/// prints our verdict for each JSON-encoded expression of the file.
#[test]
#[ignore]
fn probe() {
    let Some(path) = std::env::var_os("JSONATA_PROBE") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("probe file");
    for line in text.lines() {
        let expr: String = serde_json::from_str(line).expect("a JSON string per line");
        match jsonata::parse(&expr) {
            Ok(_) => println!("ok"),
            Err(e) => println!(
                "error {} {}",
                e.code,
                serde_json::to_string(&e.to_string()).unwrap_or_default()
            ),
        }
    }
}
