//! Machine outputs: SARIF (validated against the official schema), JUnit and
//! Checkstyle XML (well-formed, with the right counts), and GitHub workflow
//! commands (escaping).

use asl_lint::diagnostic::{Diagnostic, Severity};
use asl_lint::lint::FileReport;
use asl_lint::output::{checkstyle, github, junit, sarif};
use asl_lint::rules::{self, duplicate_key::DUPLICATE_KEY};
use asl_lint::settings::{Level, Settings};
use asl_lint::source::SourceFile;
use asl_lint::syntax::TextRange;
use asl_lint::{lint_bytes, suppress, Selection};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::path::Path;

fn lint(path: &str, text: &str, settings: &Settings) -> FileReport {
    lint_bytes(path, text.as_bytes(), settings, Selection::Always).expect("always linted")
}

/// A set of reports: a syntax error, duplicate keys (with related locations),
/// a warning in a path that needs percent-encoding, a clean file, an info with
/// a fix (an unused suppression comment), and an unreadable file.
fn reports() -> Vec<FileReport> {
    let defaults = Settings::default();
    let broken = lint(
        "defs/broken.asl.json",
        "{ \"StartAt\": \"A\", \"States\": { \"A\": { \"Type\": \"Succeed\" }, } }",
        &defaults,
    );
    let dup = lint(
        "defs/dup.asl.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": { \"A\": { \"Type\": \"Succeed\", \"Type\": \"Succeed\" } },\n  \"StartAt\": \"A\"\n}\n",
        &defaults,
    );
    let mut warn = Settings::default();
    warn.levels
        .insert("duplicate-key", Level::On(Severity::Warning));
    let spaced = lint(
        "defs/with space/ünï#1.asl.json",
        "{ \"StartAt\": \"A\", \"StartAt\": \"A\", \"States\": { \"A\": { \"Type\": \"Succeed\" } } }",
        &warn,
    );
    let clean = lint(
        "defs/clean.asl.json",
        "{ \"StartAt\": \"A\", \"States\": { \"A\": { \"Type\": \"Succeed\" } } }",
        &defaults,
    );
    let yaml_text = "# asl-lint: disable=duplicate-key -- stale\nStartAt: A\n";
    let yaml = SourceFile::new("defs/m.asl.yaml", yaml_text);
    let diagnostics = suppress::apply(&yaml, None, Vec::new(), &[], &defaults);
    let info = FileReport {
        path: "defs/m.asl.yaml".into(),
        source: Some(yaml),
        diagnostics,
        referenced: Vec::new(),
    };
    let unreadable = FileReport {
        path: "defs/locked.asl.json".into(),
        source: None,
        diagnostics: vec![Diagnostic {
            rule: &rules::io_error::IO_ERROR,
            severity: Severity::Error,
            message: "permission denied".into(),
            help: None,
            range: TextRange::empty(0),
            pointer: String::new(),
            related: Vec::new(),
            fix: None,
        }],
        referenced: Vec::new(),
    };
    let all = vec![broken, dup, spaced, clean, info, unreadable];
    let counts: Vec<usize> = all.iter().map(|r| r.diagnostics.len()).collect();
    assert_eq!(
        counts,
        [1, 2, 1, 0, 1, 1],
        "the inputs give the findings the tests expect"
    );
    all
}

// ---------------------------------------------------------------------------
// SARIF

fn sarif_schema() -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vendored = std::fs::read_to_string(root.join("tests/data/sarif-2.1.0.schema.json"))
        .expect("the vendored schema exists");
    // The vendored copy differs from the official file only by the escaped
    // `]` in two patterns (tests/data/README.md).
    if let Ok(official) =
        std::fs::read_to_string(root.join("../shared/schemas/sarif-2.1.0.schema.json"))
    {
        let patched = official.replace(
            r#""pattern": "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
            r#""pattern": "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
        );
        assert_eq!(
            patched, vendored,
            "tests/data/sarif-2.1.0.schema.json drifted"
        );
    } else {
        eprintln!("../shared/schemas is absent: using the vendored SARIF schema only");
    }
    serde_json::from_str(&vendored).expect("the schema is JSON")
}

fn sarif_output() -> serde_json::Value {
    let cwd = std::env::current_dir().expect("a current directory");
    let text = sarif::render(&reports(), &cwd);
    serde_json::from_str(&text).expect("SARIF output is JSON")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let log = sarif_output();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
    // The validator does reject a broken log.
    let mut tampered = log.clone();
    tampered["runs"][0]["results"][0]["level"] = "fatal".into();
    tampered["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(validator.iter_errors(&tampered).count(), 2);
    // An empty run is valid too.
    let empty: serde_json::Value =
        serde_json::from_str(&sarif::render(&[], Path::new("."))).unwrap();
    assert!(validator.is_valid(&empty));
}

#[test]
fn sarif_describes_every_rule_and_points_results_at_them() {
    let log = sarif_output();
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "asl-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let descriptors = driver["rules"].as_array().unwrap();
    assert_eq!(descriptors.len(), rules::ALL.len());
    for (d, r) in descriptors.iter().zip(rules::ALL) {
        assert_eq!(d["id"], r.code);
        assert_eq!(d["name"], r.name);
        assert_eq!(d["shortDescription"]["text"], r.summary);
        assert_eq!(d["helpUri"], r.url());
        assert!(d["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What it does"));
        assert!(!d["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(descriptors[i]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        ["error", "error", "error", "warning", "note", "error"]
    );

    // The syntax error: region and URI.
    let first = &results[0];
    assert_eq!(first["ruleId"], "ASL001");
    let loc = &first["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "defs/broken.asl.json");
    let region = &loc["region"];
    assert_eq!(region["startLine"], 1);
    assert!(region["startColumn"].as_u64().unwrap() > 1);

    // Duplicate keys: the message carries the help; the first definition is
    // a related location.
    let dup = &results[1];
    assert_eq!(dup["ruleId"], "ASL002");
    let text = dup["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("key `Type` appears more than once"),
        "{text}"
    );
    assert!(text.contains("\nhelp: "), "{text}");
    let related = &dup["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first defined here");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 3);
    assert_eq!(related["physicalLocation"]["region"]["startColumn"], 22);
    assert_eq!(
        dup["locations"][0]["physicalLocation"]["region"]["startColumn"],
        41
    );
    assert_eq!(
        dup["locations"][0]["physicalLocation"]["region"]["endColumn"],
        47
    );

    // Percent-encoding of the path with a space, non-ASCII and `#`.
    assert_eq!(
        results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "defs/with%20space/%C3%BCn%C3%AF%231.asl.json"
    );

    // The unused suppression carries its fix.
    let fix = &results[4]["fixes"][0];
    assert_eq!(fix["description"]["text"], "remove the suppression comment");
    let del = &fix["artifactChanges"][0]["replacements"][0]["deletedRegion"];
    assert_eq!(
        (del["startLine"].as_u64(), del["endLine"].as_u64()),
        (Some(1), Some(2))
    );

    // The unreadable file still has a region.
    assert_eq!(
        results[5]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
}

#[test]
fn sarif_paths_outside_the_base_are_absolute_file_uris() {
    let report = lint(
        "/nowhere/x.asl.json",
        "{ \"StartAt\": \"A\", \"StartAt\": \"A\", \"States\": {} }",
        &Settings::default(),
    );
    let log: serde_json::Value =
        serde_json::from_str(&sarif::render(&[report], Path::new("/repo"))).unwrap();
    let art = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(art["uri"], "file:///nowhere/x.asl.json");
    assert!(art.get("uriBaseId").is_none());
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///repo/"
    );
}

// ---------------------------------------------------------------------------
// XML

/// An element as read back: its name, attributes and the text inside it.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: HashMap<String, String>,
    text: String,
}

/// Reads `xml` with a strict parser: every end tag matches, every entity is
/// one of XML's own or a character reference, there is one root element.
fn parse_xml(xml: &str) -> Vec<Element> {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<usize> = Vec::new();
    let mut out: Vec<Element> = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!(
                "not well-formed at {}: {e}\n{xml}",
                reader.buffer_position()
            )
        });
        match event {
            Event::Start(e) | Event::Empty(e) => {
                if stack.is_empty() {
                    roots += 1;
                }
                let mut attrs = HashMap::new();
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                    let value = a
                        .normalized_value(XmlVersion::Explicit1_0)
                        .expect("known entities")
                        .into_owned();
                    assert!(attrs.insert(key, value).is_none(), "duplicate attribute");
                }
                out.push(Element {
                    name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                    text: String::new(),
                });
                // `Empty` elements close at once; only `Start` opens a scope.
                if xml.as_bytes()[reader.buffer_position() as usize - 2] != b'/' {
                    stack.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                stack.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                let text = t.decode().expect("UTF-8");
                if let Some(&i) = stack.last() {
                    out[i].text.push_str(&text);
                } else {
                    assert!(text.trim().is_empty(), "text outside the root: {text:?}");
                }
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().expect("valid character reference")
                } else {
                    match r.decode().expect("UTF-8").as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        other => panic!("unknown entity &{other};"),
                    }
                };
                if let (Some(c), Some(&i)) = (c, stack.last()) {
                    out[i].text.push(c);
                }
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "one root element");
    out
}

fn named<'e>(elements: &'e [Element], name: &str) -> Vec<&'e Element> {
    elements.iter().filter(|e| e.name == name).collect()
}

#[test]
fn junit_has_one_case_per_file_and_one_failure_per_error() {
    let reports = reports();
    let xml = junit::render(&reports);
    let elements = parse_xml(&xml);
    let suites = named(&elements, "testsuite");
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0].attrs["tests"], "6");
    // Files with errors: broken, dup, locked.
    assert_eq!(suites[0].attrs["failures"], "3");
    let cases = named(&elements, "testcase");
    let names: Vec<&str> = cases.iter().map(|c| c.attrs["name"].as_str()).collect();
    let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(names, paths);
    let failures = named(&elements, "failure");
    assert_eq!(failures.len(), 4, "one per error");
    assert_eq!(failures[1].attrs["type"], "duplicate-key");
    assert!(failures[1].attrs["message"].starts_with("key `Type` appears more than once"));
    assert!(failures[1]
        .text
        .starts_with("defs/dup.asl.json:3:41: error[duplicate-key]"));
    assert!(failures[1].text.contains("\n  help: "));
    // The warning and the info are output, not failures.
    let outs = named(&elements, "system-out");
    assert_eq!(outs.len(), 2);
    assert!(outs[0].text.contains("warning[duplicate-key]"));
    assert!(outs[1].text.contains("info[unused-suppression]"));
}

#[test]
fn checkstyle_lists_every_file_and_finding() {
    let xml = checkstyle::render(&reports());
    let elements = parse_xml(&xml);
    assert_eq!(named(&elements, "checkstyle").len(), 1);
    let files = named(&elements, "file");
    assert_eq!(files.len(), 6);
    assert_eq!(files[2].attrs["name"], "defs/with space/ünï#1.asl.json");
    let errors = named(&elements, "error");
    assert_eq!(errors.len(), 6);
    let severities: Vec<&str> = errors
        .iter()
        .map(|e| e.attrs["severity"].as_str())
        .collect();
    assert_eq!(
        severities,
        ["error", "error", "error", "warning", "info", "error"]
    );
    assert_eq!(errors[1].attrs["source"], "asl-lint.duplicate-key");
    assert_eq!(errors[1].attrs["line"], "3");
    assert_eq!(errors[1].attrs["column"], "41");
    assert!(
        !errors[5].attrs.contains_key("line"),
        "no position for an unreadable file"
    );
}

#[test]
fn xml_escapes_hostile_text() {
    let text = "{ \"StartAt\": \"A\" }";
    let report = FileReport {
        path: "a&b<c>\"d'.asl.json".into(),
        source: Some(SourceFile::new("x", text)),
        diagnostics: vec![Diagnostic {
            rule: &DUPLICATE_KEY,
            severity: Severity::Error,
            message: "state `]]></x>&amp;` \u{1}\u{7} is\nbad\ttoo".into(),
            help: Some("use `<` & `>`".into()),
            range: TextRange::new(2, 11),
            pointer: "/StartAt".into(),
            related: Vec::new(),
            fix: None,
        }],
        referenced: Vec::new(),
    };
    for xml in [
        junit::render(std::slice::from_ref(&report)),
        checkstyle::render(std::slice::from_ref(&report)),
    ] {
        let elements = parse_xml(&xml);
        let with_message: Vec<&Element> = elements
            .iter()
            .filter(|e| e.attrs.contains_key("message"))
            .collect();
        assert_eq!(with_message.len(), 1);
        let m = &with_message[0].attrs["message"];
        assert!(
            m.starts_with("state `]]></x>&amp;` \u{FFFD}\u{FFFD} is\nbad\ttoo"),
            "{m:?}"
        );
        assert!(elements
            .iter()
            .any(|e| e.attrs.values().any(|v| v == "a&b<c>\"d'.asl.json")));
    }
}

// ---------------------------------------------------------------------------
// GitHub

#[test]
fn github_commands_escape_messages_and_properties() {
    let text = "{\n  \"StartAt\": \"A\"\n}\n";
    let report = FileReport {
        path: "dir,with:odd%chars/m.asl.json".into(),
        source: Some(SourceFile::new("x", text)),
        diagnostics: vec![
            Diagnostic {
                rule: &DUPLICATE_KEY,
                severity: Severity::Error,
                message: "100% of `a:b,c` is\r\nwrong".into(),
                help: Some("fix it: now, please".into()),
                range: TextRange::new(4, 13),
                pointer: "/StartAt".into(),
                related: Vec::new(),
                fix: None,
            },
            Diagnostic {
                rule: &DUPLICATE_KEY,
                severity: Severity::Warning,
                message: "spans lines".into(),
                help: None,
                range: TextRange::new(0, text.len()),
                pointer: String::new(),
                related: Vec::new(),
                fix: None,
            },
            Diagnostic {
                rule: &DUPLICATE_KEY,
                severity: Severity::Info,
                message: "empty".into(),
                help: None,
                range: TextRange::empty(4),
                pointer: String::new(),
                related: Vec::new(),
                fix: None,
            },
        ],
        referenced: Vec::new(),
    };
    let out = github::render(&[report], &std::env::current_dir().expect("cwd"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=dir%2Cwith%3Aodd%25chars/m.asl.json,line=2,endLine=2,col=3,endColumn=12,title=duplicate-key (ASL002)::100%25 of `a:b,c` is%0D%0Awrong%0Ahelp: fix it: now, please",
            "::warning file=dir%2Cwith%3Aodd%25chars/m.asl.json,line=1,endLine=4,title=duplicate-key (ASL002)::spans lines",
            "::notice file=dir%2Cwith%3Aodd%25chars/m.asl.json,line=2,endLine=2,col=3,endColumn=3,title=duplicate-key (ASL002)::empty",
        ]
    );
}

#[test]
fn github_commands_for_real_reports() {
    let out = github::render(&reports(), &std::env::current_dir().expect("cwd"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("::error file=defs/broken.asl.json,line=1,endLine=1,col="));
    assert!(lines[3].starts_with("::warning file=defs/with space/ünï#1.asl.json,"));
    assert!(lines[4].starts_with("::notice file=defs/m.asl.yaml,line=1,"));
    assert_eq!(
        lines[5],
        "::error file=defs/locked.asl.json,title=io-error (ASL003)::permission denied"
    );
    for l in lines {
        assert!(!l.contains('\r'));
    }
}
