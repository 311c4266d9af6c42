//! Every YAML file of the shared corpus parses without errors, with ranges that
//! lie on character boundaries. Skips (with a message) when the corpus is absent.

#[path = "support/corpus_gate.rs"]
mod corpus_gate;

use asl_lint::syntax::{yaml, Node, Value};
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files
}

/// Checks every range of the tree: inside the text, on character boundaries,
/// and (except for alias copies, which sit at the alias) inside the parent.
fn check(text: &str, node: &Node, path: &Path) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        assert!(
            text.get(n.range.start()..n.range.end()).is_some(),
            "{}: bad range {:?}",
            path.display(),
            n.range
        );
        match &n.value {
            Value::Array(items) => {
                for c in items {
                    assert!(n.range.contains_range(c.range), "{}", path.display());
                    stack.push(c);
                }
            }
            Value::Object(members) => {
                for m in members {
                    assert!(n.range.contains_range(m.key_range), "{}", path.display());
                    assert!(n.range.contains_range(m.value.range), "{}", path.display());
                    stack.push(&m.value);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_corpus_yaml_file_parses() {
    let root = Path::new(CORPUS);
    if !root.is_dir() {
        corpus_gate::skip("every_corpus_yaml_file_parses", "`../shared/corpus`");
        return;
    }
    let mut count = 0;
    let mut failures = Vec::new();
    for sub in ["valid", "invalid", "templates"] {
        for path in yaml_files(&root.join(sub)) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                failures.push(format!("{}: not UTF-8", path.display()));
                continue;
            };
            let parsed = yaml::parse(&text);
            count += 1;
            if parsed.documents.is_empty() {
                failures.push(format!("{}: no document", path.display()));
            }
            for e in &parsed.errors {
                failures.push(format!(
                    "{}: {} at {} ({:?})",
                    path.display(),
                    e.message,
                    e.range,
                    text.get(e.range.start()..e.range.end())
                ));
            }
            for doc in &parsed.documents {
                check(&text, &doc.root, &path);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 0, "no YAML files under {CORPUS}");
    eprintln!("{count} YAML files parsed");
}

/// Spot checks on one real template: a CloudFormation state machine whose
/// definition is inline YAML.
#[test]
fn corpus_ranges_point_at_the_source() {
    let root = Path::new(CORPUS);
    if !root.is_dir() {
        corpus_gate::skip("corpus_ranges_point_at_the_source", "`../shared/corpus`");
        return;
    }
    let mut checked = 0;
    for path in yaml_files(&root.join("valid"))
        .into_iter()
        .chain(yaml_files(&root.join("templates")))
    {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed = yaml::parse(&text);
        for doc in &parsed.documents {
            // Every plain key's range is exactly its text, quotes included otherwise.
            let mut stack = vec![&doc.root];
            while let Some(n) = stack.pop() {
                match &n.value {
                    Value::Object(members) => {
                        for m in members {
                            let src = &text[m.key_range.start()..m.key_range.end()];
                            if !src.starts_with(['*', '!', '?', '"', '\'']) && !src.is_empty() {
                                assert_eq!(src, m.key, "{}", path.display());
                                checked += 1;
                            } else if src.starts_with(['"', '\'']) {
                                assert!(src.len() >= m.key.len() + 2, "{}", path.display());
                            }
                            stack.push(&m.value);
                        }
                    }
                    Value::Array(items) => stack.extend(items),
                    Value::String(s) => {
                        let src = &text[n.range.start()..n.range.end()];
                        // One-line plain strings are their own source text.
                        if !s.contains('\n')
                            && !src.starts_with(['"', '\'', '|', '>', '*', '!'])
                            && !src.contains('\n')
                        {
                            assert_eq!(src, s, "{}", path.display());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} keys checked");
}
