//! The configuration file: parsing, errors with positions, discovery,
//! exclusion, and the JSON Schema editors use to complete it.

use asl_lint::config::{Config, ConfigError, SUPPRESS_KEYS, TOP_LEVEL_KEYS};
use asl_lint::diagnostic::Severity;
use asl_lint::rules::{self, Category};
use asl_lint::settings::{Level, MachineType, Selector};
use std::path::{Path, PathBuf};

fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
    Config::from_toml(text, Path::new("/project/asl-lint.toml"))
}

fn errors(text: &str) -> Vec<ConfigError> {
    match parse(text) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(e) => e,
    }
}

/// The text each error points at, with its message and help.
fn described(text: &str) -> Vec<(String, String, String)> {
    errors(text)
        .into_iter()
        .map(|e| {
            (
                text[e.range.start()..e.range.end()].to_string(),
                e.message,
                e.help.unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_full_configuration_becomes_settings() {
    let text = r#"
select = ["graph", "duplicate-key", "ASL001"]
ignore = ["syntax"]
exclude = ["generated/**", "*.draft.asl.json"]
type = "express"
placeholders = true

[rules]
duplicate-key = "warning"
ASL001 = "off"

[[suppress]]
rule = "duplicate-key"
path = "legacy/**"
state = "Cleanup"
reason = "kept for the migration"

[[suppress]]
rule = "ASL001"
reason = "generated"
"#;
    let config = parse(text).expect("valid");
    assert_eq!(config.machine_type, Some(MachineType::Express));
    assert_eq!(config.placeholders, Some(true));
    assert_eq!(config.suppress.len(), 2);
    assert_eq!(config.suppress[0].rule.name, "duplicate-key");
    assert_eq!(config.suppress[0].state.as_deref(), Some("Cleanup"));
    assert_eq!(config.suppress[0].reason, "kept for the migration");
    assert!(config.suppress[0].covers_path(Some("legacy/a/b.asl.yaml")));
    assert!(!config.suppress[0].covers_path(Some("src/b.asl.yaml")));
    assert!(config.suppress[1].covers_path(None));
    let range = config.suppress[0].range;
    assert_eq!(&text[range.start()..range.end()], "\"duplicate-key\"");

    let settings = config.to_settings();
    assert_eq!(settings.machine_type, MachineType::Express);
    assert_eq!(
        settings.select,
        Some(vec![
            Selector::Category(Category::Graph),
            Selector::Rule("duplicate-key"),
            Selector::Rule("syntax-error"),
        ])
    );
    assert_eq!(settings.ignore, vec![Selector::Category(Category::Syntax)]);
    assert_eq!(
        settings.levels.get("duplicate-key"),
        Some(&Level::On(Severity::Warning))
    );
    assert_eq!(settings.levels.get("syntax-error"), Some(&Level::Off));
    // Levels win over `ignore`.
    assert_eq!(
        settings.severity_of(&rules::duplicate_key::DUPLICATE_KEY),
        Some(Severity::Warning)
    );
    assert_eq!(
        settings.severity_of(&rules::syntax_error::SYNTAX_ERROR),
        None
    );
}

#[test]
fn an_empty_file_is_the_default() {
    let config = parse("# nothing yet\n").expect("valid");
    assert!(config.select.is_none());
    assert!(config.ignore.is_empty() && config.rules.is_empty() && config.suppress.is_empty());
    assert_eq!(config.to_settings().machine_type, MachineType::Standard);
}

#[test]
fn unknown_keys_are_reported_at_the_key_with_a_suggestion() {
    let got = described(
        "slect = [\"graph\"]\n[rules]\n[[suppress]]\nrule = \"duplicate-key\"\nreson = \"x\"\n",
    );
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0].0, "slect");
    assert_eq!(got[0].1, "unknown key `slect`");
    assert_eq!(got[0].2, "did you mean `select`?");
    // The misspelt reason also leaves the entry without one.
    assert_eq!(got[1].0, "[[suppress]]");
    assert_eq!(got[1].1, "this `[[suppress]]` entry gives no `reason`");
    assert_eq!(got[2].0, "reson");
    assert_eq!(got[2].1, "unknown key `reson` in `[[suppress]]`");
    assert_eq!(got[2].2, "did you mean `reason`?");

    let far = described("banana = 1\n");
    assert!(
        far[0].2.starts_with("expected `select`, `ignore`"),
        "{far:?}"
    );
}

#[test]
fn unknown_rule_names_are_reported_everywhere_with_a_suggestion() {
    let text = r#"
select = ["duplicate-keys", "grph"]
ignore = ["no-such-thing-at-all"]

[rules]
syntax-eror = "off"
graph = "off"

[[suppress]]
rule = "duplicat-key"
reason = "x"
"#;
    let got = described(text);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|(at, _, help)| (at.as_str(), help.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("\"duplicate-keys\"", "did you mean `duplicate-key`?"),
            ("\"grph\"", "did you mean `graph`?"),
            (
                "\"no-such-thing-at-all\"",
                "use a rule name, a code such as `ASL001`, or a category: `syntax`, `schema`, `graph`, `states` or `data`"
            ),
            ("syntax-eror", "did you mean `syntax-error`?"),
            (
                "graph",
                "`graph` is a category; list it in `ignore` or `select` to turn the whole category off or on"
            ),
            ("\"duplicat-key\"", "did you mean `duplicate-key`?"),
        ]
    );
    assert_eq!(
        got[0].1,
        "unknown rule or category `duplicate-keys` in `select`"
    );
    assert_eq!(got[3].1, "unknown rule `syntax-eror` in `[rules]`");
}

#[test]
fn wrong_types_and_values_are_reported_at_the_value() {
    let text = r#"
select = "graph"
exclude = ["ok/**", 3, "bad/[x"]
type = "expres"
placeholders = "yes"

[rules]
duplicate-key = "warn"
syntax-error = 1
"#;
    let got = described(text);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|(at, msg, _)| (at.as_str(), msg.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "\"graph\"",
                "`select` must be an array of strings, not a string"
            ),
            ("3", "`exclude` holds strings, not an integer"),
            (
                "\"bad/[x\"",
                "invalid glob `bad/[x` in `exclude`: unclosed character class; missing ']'"
            ),
            ("\"expres\"", "unknown state machine type `expres`"),
            ("\"yes\"", "`placeholders` must be a boolean, not a string"),
            ("\"warn\"", "unknown level `warn` for `duplicate-key`"),
            (
                "1",
                "the level of `syntax-error` must be a string, not an integer"
            ),
        ]
    );
    assert_eq!(got[3].2, "did you mean `express`?");
    assert_eq!(got[5].2, "did you mean `warning`?");
}

#[test]
fn ignore_written_as_tables_points_to_suppress() {
    let got = described("[[ignore]]\nrule = \"duplicate-key\"\n");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, "`ignore` is a list of rule names, not a table");
    assert!(got[0].2.contains("[[suppress]]"));
}

#[test]
fn suppressions_need_a_rule_and_a_reason() {
    let text =
        "[[suppress]]\nstate = \"A\"\n\n[[suppress]]\nrule = \"duplicate-key\"\nreason = \"  \"\n";
    let got = described(text);
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|(at, msg, _)| (at.as_str(), msg.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("[[suppress]]", "this `[[suppress]]` entry names no `rule`"),
            (
                "[[suppress]]",
                "this `[[suppress]]` entry gives no `reason`"
            ),
            ("\"  \"", "the `reason` of a suppression is empty"),
        ]
    );
    let not_tables = described("suppress = { rule = \"duplicate-key\" }\n");
    assert_eq!(
        not_tables[0].1,
        "`suppress` must be an array of tables, not a table"
    );
}

#[test]
fn the_same_rule_twice_in_rules_is_an_error() {
    let got = described("[rules]\nduplicate-key = \"off\"\nASL002 = \"error\"\n");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "ASL002");
    assert_eq!(
        got[0].1,
        "rule `duplicate-key` is configured twice in `[rules]`"
    );
}

#[test]
fn toml_syntax_errors_have_positions() {
    let text = "select = [\"graph\"\nignore = 3\n";
    let errs = errors(text);
    assert!(!errs.is_empty());
    assert!(errs[0].range.start() <= text.len());
    assert!(
        errs[0]
            .message
            .chars()
            .next()
            .is_some_and(char::is_lowercase),
        "{}",
        errs[0].message
    );
}

#[test]
fn hostile_input_never_panics() {
    for text in [
        "",
        "=",
        "[[",
        "rules = 3",
        "suppress = [1, \"a\", {}]",
        "[rules]\n\"\" = \"off\"",
        "exclude = [\"\"]",
        "\u{feff}select = []",
        "type = 'STANDARD'",
        "select = [[1]]",
    ] {
        let _ = parse(text);
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

#[test]
fn find_for_walks_up_to_the_nearest_configuration() {
    let root = scratch("config-find");
    let deep = root.join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(root.join(".asl-lint.toml"), "").unwrap();
    std::fs::write(root.join("a/asl-lint.toml"), "").unwrap();
    let file = deep.join("m.asl.json");
    assert_eq!(Config::find_for(&file), Some(root.join("a/asl-lint.toml")));
    assert_eq!(
        Config::find_for(&root.join("x.asl.json")),
        Some(root.join(".asl-lint.toml"))
    );
    // A directory is searched itself first.
    assert_eq!(
        Config::find_for(&root.join("a")),
        Some(root.join("a/asl-lint.toml"))
    );
    // Both names in one directory: the visible one wins.
    std::fs::write(root.join("a/b/asl-lint.toml"), "").unwrap();
    std::fs::write(root.join("a/b/.asl-lint.toml"), "").unwrap();
    assert_eq!(
        Config::find_for(&file),
        Some(root.join("a/b/asl-lint.toml"))
    );
}

#[test]
fn load_reports_io_and_content_errors() {
    let root = scratch("config-load");
    let path = root.join("asl-lint.toml");
    assert!(matches!(
        Config::load(&path),
        Err(asl_lint::config::LoadError::Io(_))
    ));
    std::fs::write(&path, "selct = []\n").unwrap();
    match Config::load(&path) {
        Err(asl_lint::config::LoadError::Invalid { text, errors }) => {
            assert_eq!(text, "selct = []\n");
            assert_eq!(errors.len(), 1);
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    std::fs::write(&path, "exclude = [\"gen\"]\n").unwrap();
    let config = Config::load(&path).expect("valid");
    assert_eq!(config.root, root);
    assert!(config.is_excluded(&root.join("gen")));
    assert!(config.is_excluded(&root.join("x/gen/m.asl.json")));
    assert!(!config.is_excluded(&root.join("x/m.asl.json")));
}

#[test]
fn exclusion_uses_paths_relative_to_the_configuration() {
    let config = Config::from_toml(
        "exclude = [\"generated/**\", \"*.draft.asl.json\", \"node_modules\"]\n",
        Path::new("/project/asl-lint.toml"),
    )
    .expect("valid");
    assert_eq!(
        config.relative_path(Path::new("/project/sub/./x/../m.asl.json")),
        "sub/m.asl.json"
    );
    assert!(config.is_excluded(Path::new("/project/generated/a.asl.json")));
    assert!(!config.is_excluded(Path::new("/project/src/generated/a.asl.json")));
    assert!(config.is_excluded(Path::new("/project/src/a.draft.asl.json")));
    assert!(config.is_excluded(Path::new("/project/x/node_modules/y/a.asl.json")));
    assert!(!config.is_excluded(Path::new("/project/src/a.asl.json")));
    // Outside the configuration directory, name patterns still apply.
    assert!(config.is_excluded(Path::new("/elsewhere/a.draft.asl.json")));
    assert!(!config.is_excluded(Path::new("/elsewhere/generated/a.asl.json")));
}

// ---------------------------------------------------------------------------
// The JSON Schema of the configuration.

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/asl-lint.config.schema.json")
}

/// The schema with its generated parts (rule names, codes, categories and
/// the `[rules]` properties) filled in from the registry.
fn generated_schema(mut schema: serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let names: Vec<Value> = rules::ALL.iter().map(|r| json!(r.name)).collect();
    let codes: Vec<Value> = rules::ALL.iter().map(|r| json!(r.code)).collect();
    let categories: Vec<Value> = Category::ALL.iter().map(|c| json!(c.as_str())).collect();
    let rule_enum: Vec<Value> = names.iter().chain(&codes).cloned().collect();
    let selector_enum: Vec<Value> = names
        .iter()
        .chain(&codes)
        .chain(&categories)
        .cloned()
        .collect();
    // The parser reads names, codes and categories in any case (`asl102`,
    // `Graph`): the enum offers the canonical spellings for completion, the
    // pattern accepts the others.
    let any_case = |words: &[&str]| -> String {
        let alternatives: Vec<String> = words
            .iter()
            .map(|w| {
                w.chars()
                    .map(|c| {
                        if c.is_ascii_alphabetic() {
                            format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                        } else {
                            c.to_string()
                        }
                    })
                    .collect()
            })
            .collect();
        alternatives.join("|")
    };
    let name_list: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
    let code_digits: Vec<&str> = rules::ALL
        .iter()
        .map(|r| r.code.strip_prefix("ASL").expect("codes start with ASL"))
        .collect();
    let category_list: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let rules_pattern = format!(
        "{}|[aA][sS][lL](?:{})",
        any_case(&name_list),
        code_digits.join("|")
    );
    let definition = |description: &str, values: Vec<Value>, pattern: String| {
        json!({
            "description": description,
            "anyOf": [
                { "enum": values },
                { "type": "string", "pattern": format!("^(?:{pattern})$") }
            ]
        })
    };
    schema["definitions"]["rule"] = definition(
        "A rule name or code, in any case (`unreachable-state`, `ASL102`, `asl102`).",
        rule_enum,
        rules_pattern.clone(),
    );
    schema["definitions"]["selector"] = definition(
        "A rule name, a rule code or a category, in any case.",
        selector_enum,
        format!("{rules_pattern}|{}", any_case(&category_list)),
    );
    schema["$id"] = json!(
        "https://raw.githubusercontent.com/asl-lint/asl-lint/main/schemas/asl-lint.config.schema.json"
    );
    let mut props = Map::new();
    for r in rules::ALL {
        props.insert(
            r.name.to_string(),
            json!({
                "description": format!("{} ({}, {}, default {}).", r.summary, r.code, r.category.as_str(), r.default_severity),
                "$ref": "#/definitions/level"
            }),
        );
    }
    schema["properties"]["rules"]["properties"] = Value::Object(props);
    schema
}

#[test]
fn config_schema_is_current() {
    let path = schema_path();
    let text = std::fs::read_to_string(&path).expect("the schema exists");
    let current: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    let wanted = generated_schema(current);
    let wanted_text = serde_json::to_string_pretty(&wanted).unwrap() + "\n";
    if wanted_text != text {
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, wanted_text).expect("the schema is writable");
        } else {
            panic!(
                "schemas/asl-lint.config.schema.json is out of date; run `UPDATE_SCHEMA=1 cargo test --test config`"
            );
        }
    }
}

#[test]
fn config_schema_keys_match_the_parser() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    let top: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, TOP_LEVEL_KEYS);
    let entry: Vec<&str> = schema["definitions"]["suppression"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(entry, SUPPRESS_KEYS);
}

#[test]
fn config_schema_agrees_with_the_parser_on_examples() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let cases = [
        (
            "select = [\"graph\", \"ASL002\"]\ntype = \"express\"\n[rules]\nduplicate-key = \"info\"\n[[suppress]]\nrule = \"duplicate-key\"\nstate = \"A\"\nreason = \"r\"\n",
            true,
        ),
        ("exclude = [\"a/**\"]\nplaceholders = false\n", true),
        ("slect = []\n", false),
        ("select = [\"nope\"]\n", false),
        ("[rules]\nnope = \"off\"\n", false),
        ("[rules]\nduplicate-key = \"loud\"\n", false),
        ("[[suppress]]\nrule = \"duplicate-key\"\n", false),
        ("[[suppress]]\nrule = \"duplicate-key\"\nreason = \"r\"\nwhy = 1\n", false),
        ("type = \"EXPRESS\"\n", false),
        // Names, codes and categories are read in any case, by both.
        ("select = [\"asl002\", \"Graph\", \"Unreachable-State\"]\n", true),
        ("ignore = [\"STATES\", \"aSl104\"]\n", true),
        ("[rules]\nasl102 = \"off\"\n", true),
        ("[[suppress]]\nrule = \"asl216\"\nreason = \"r\"\n", true),
        // Not a code, a category where a rule is wanted, a level's case.
        ("select = [\"asl9999\"]\n", false),
        ("select = [\"asl\"]\n", false),
        ("select = [\"graphs\"]\n", false),
        ("[rules]\ngraph = \"off\"\n", false),
        ("[[suppress]]\nrule = \"schema\"\nreason = \"r\"\n", false),
        ("[rules]\nduplicate-key = \"Off\"\n", false),
    ];
    for (text, valid) in cases {
        let parsed = parse(text);
        assert_eq!(parsed.is_ok(), valid, "parser on:\n{text}\n{parsed:?}");
        let instance: serde_json::Value = toml::from_str(text).expect("TOML");
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.is_empty(), valid, "schema on:\n{text}\n{errors:?}");
    }
}

#[test]
fn max_nesting_depth_is_read_and_checked() {
    use asl_lint::config::Config;
    let ok = Config::from_toml(
        "max-nesting-depth = 3\n",
        std::path::Path::new("asl-lint.toml"),
    )
    .expect("valid");
    assert_eq!(ok.to_settings().max_nesting_depth, 3);
    let default = Config::from_toml("", std::path::Path::new("asl-lint.toml")).expect("valid");
    assert_eq!(default.to_settings().max_nesting_depth, 10);
    for (bad, message) in [
        (
            "max-nesting-depth = 0\n",
            "`max-nesting-depth` must be at least 1, not 0",
        ),
        (
            "max-nesting-depth = -2\n",
            "`max-nesting-depth` must be at least 1, not -2",
        ),
        (
            "max-nesting-depth = \"3\"\n",
            "`max-nesting-depth` must be a positive integer, not a string",
        ),
    ] {
        let errors =
            Config::from_toml(bad, std::path::Path::new("asl-lint.toml")).expect_err("invalid");
        assert_eq!(errors[0].message, message);
    }
    // The setting reaches the rule: two levels are too many for a limit of 1.
    let text = r#"{ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true, "Branches": [
        { "StartAt": "Q", "States": { "Q": { "Type": "Parallel", "End": true, "Branches": [
            { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } } ] } } } ] } } }"#;
    let mut settings =
        asl_lint::settings::Settings::only(&asl_lint::rules::nesting_too_deep::NESTING_TOO_DEEP);
    settings.max_nesting_depth = 1;
    let report = asl_lint::lint_bytes(
        "n.asl.json",
        text.as_bytes(),
        &settings,
        asl_lint::Selection::Always,
    )
    .unwrap();
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    settings.max_nesting_depth = 2;
    let report = asl_lint::lint_bytes(
        "n.asl.json",
        text.as_bytes(),
        &settings,
        asl_lint::Selection::Always,
    )
    .unwrap();
    assert!(report.diagnostics.is_empty());
}
