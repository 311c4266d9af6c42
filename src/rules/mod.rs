//! The rule registry, the context rules read and the sink they report into.
//!
//! A rule is a function plus metadata declared once with [`declare_rule!`]; its
//! doc comment is its user documentation (What it does / Why is this bad? /
//! Example), printed by `asl-lint explain` and linked from every output.
//! Rules never choose their final severity: the [`Sink`] applies the settings.

use crate::diagnostic::{Diagnostic, Fix, Related, Severity};
use crate::model::Machine;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::syntax::pointer;
use crate::syntax::{Node, TextRange};

/// What a rule is about; used to group rules in listings and in `select`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The file cannot be read as a definition at all.
    Syntax,
    /// The shape of the definition: fields, types, values.
    Schema,
    /// Transitions between states.
    Graph,
    /// Per-state semantics.
    States,
    /// Paths, templates, intrinsics, variables and JSONata.
    Data,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Syntax,
        Category::Schema,
        Category::Graph,
        Category::States,
        Category::Data,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Schema => "schema",
            Category::Graph => "graph",
            Category::States => "states",
            Category::Data => "data",
        }
    }
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

pub type CheckFn = fn(&LintContext<'_>, &mut Sink<'_>);

/// A rule: stable code and name, metadata, docs and the check.
#[derive(Debug)]
pub struct Rule {
    /// `ASL104`: stable, never reused.
    pub code: &'static str,
    /// `unreachable-state`: stable, kebab-case, names the problem.
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// One line for listings and SARIF `shortDescription`.
    pub summary: &'static str,
    /// Markdown documentation, captured from the doc comment.
    pub docs: &'static str,
    /// `src/rules/x.rs:12`, where it is declared.
    pub source: &'static str,
    /// `None` for findings the pipeline itself emits (syntax and schema errors).
    pub check: Option<CheckFn>,
}

impl Rule {
    /// The documentation with the one leading space of each doc line removed.
    pub fn docs_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
    /// Where the rule's documentation is published.
    pub fn url(&self) -> String {
        format!("{}#{}", crate::DOCS_URL, self.name)
    }
}

/// Declares a rule, clippy-style: the doc comment becomes the rule's docs.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $id:ident = {
            code: $code:literal,
            name: $name:literal,
            category: $cat:ident,
            severity: $sev:ident,
            summary: $summary:literal,
            check: $check:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $id: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            category: $crate::rules::Category::$cat,
            default_severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            source: concat!(file!(), ":", line!()),
            check: $check,
        };
    };
}

pub mod assign_in_nested_choice_rule;
pub mod choice_duplicate_rule;
pub mod choice_empty_combinator;
pub mod choice_jsonata_condition;
pub mod choice_no_default;
pub mod choice_operand_type;
pub mod choice_rule_next;
pub mod choice_rule_operators;
pub mod choice_rule_variable;
pub mod credentials_shape;
pub mod cross_scope_transition;
pub mod definition_not_linted;
pub mod definition_too_large;
pub mod deprecated_map_field;
pub mod distributed_concurrency_cap;
pub mod distributed_field_in_inline_map;
pub mod duplicate_key;
pub mod duplicate_state_name;
pub mod empty_error_equals;
pub mod end_false;
pub mod express_duration_limit;
pub mod express_unsupported_pattern;
pub mod fail_error_looks_like_path;
pub mod fail_exclusive_fields;
pub mod heartbeat_not_below_timeout;
pub mod ignored_branch_query_language;
pub mod integration_pattern_unsupported;
pub mod integration_pattern_unverified;
pub mod intrinsic_function;
pub mod invalid_context_path;
pub mod invalid_path;
pub mod invalid_resource_arn;
pub mod invalid_template_value;
pub mod invalid_timestamp;
pub mod invalid_variable_name;
pub mod io_error;
pub mod item_batcher_limits;
pub mod item_reader_resource;
pub mod jsonata_common;
pub mod jsonata_intrinsic_call;
pub mod jsonata_missing_delimiters;
pub mod jsonata_states_misuse;
pub mod jsonata_syntax;
pub mod jsonata_type_mismatch;
pub mod jsonata_unknown_function;
pub mod jsonata_unknown_states_field;
pub mod jsonpath_sites;
pub mod literal_looks_like_path;
pub mod map_distributed_in_express;
pub mod map_field_exclusive;
pub mod map_item_context_outside_selector;
pub mod map_label;
pub mod map_processor_exactly_one;
pub mod map_selector_exclusive;
pub mod missing_definition_file;
pub mod missing_dollar_suffix;
pub mod missing_execution_type;
pub mod missing_integration_parameter;
pub mod missing_next_or_end;
pub mod missing_transition_target;
pub mod misspelled_error_name;
pub mod nesting_too_deep;
pub mod next_and_end;
pub mod no_path_to_terminal;
pub mod no_terminal_state;
pub mod parallel_no_branches;
pub mod pass_result_is_static;
pub mod payload_too_large;
pub mod query_language_downgrade;
pub mod reader_config;
pub mod resource_partition;
pub mod result_writer;
pub mod retry_field_range;
pub mod retry_interval_zero;
pub mod retry_max_delay_below_interval;
pub mod schema_violation;
pub mod sdk_integration_case;
pub mod sdk_parameter_case;
pub mod shadowed_catcher;
pub mod shadowed_retrier;
pub mod state_name_characters;
pub mod state_name_length;
pub mod states_all_not_alone;
pub mod states_all_not_last;
pub mod string_matches_escaping;
pub mod syntax_error;
pub mod task_callback_no_timeout;
pub mod task_callback_no_token;
pub mod task_resource_jsonata;
pub mod task_timeout_exclusive;
pub mod task_timeout_range;
pub mod task_token_outside_callback;
pub mod template_key_collision;
pub mod tolerated_failure_range;
pub mod transition_on_terminal_state;
pub mod undefined_variable;
pub mod unknown_field;
pub mod unknown_integration;
pub mod unknown_placeholder;
pub mod unreachable_state;
pub mod unsupported_resource;
pub mod unsupported_version;
pub mod unsupported_yaml_tag;
pub mod unused_suppression;
pub mod unused_variable;
pub mod util;
pub mod variable_maybe_unassigned;
pub mod variable_name_characters;
pub mod variable_read_in_same_state;
pub mod variable_scope;
pub mod variable_too_large;
pub mod wait_duration;
pub mod wait_seconds_range;
pub mod writer_config_output_type;
pub mod wrong_query_language_field;

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &syntax_error::SYNTAX_ERROR,
    &duplicate_key::DUPLICATE_KEY,
    &io_error::IO_ERROR,
    &definition_not_linted::DEFINITION_NOT_LINTED,
    &missing_definition_file::MISSING_DEFINITION_FILE,
    &unknown_placeholder::UNKNOWN_PLACEHOLDER,
    &unsupported_yaml_tag::UNSUPPORTED_YAML_TAG,
    &unused_suppression::UNUSED_SUPPRESSION,
    &schema_violation::SCHEMA_VIOLATION,
    &unknown_field::UNKNOWN_FIELD,
    &wrong_query_language_field::WRONG_QUERY_LANGUAGE_FIELD,
    &unsupported_version::UNSUPPORTED_VERSION,
    &ignored_branch_query_language::IGNORED_BRANCH_QUERY_LANGUAGE,
    &missing_transition_target::MISSING_TRANSITION_TARGET,
    &cross_scope_transition::CROSS_SCOPE_TRANSITION,
    &unreachable_state::UNREACHABLE_STATE,
    &no_terminal_state::NO_TERMINAL_STATE,
    &no_path_to_terminal::NO_PATH_TO_TERMINAL,
    &duplicate_state_name::DUPLICATE_STATE_NAME,
    &state_name_length::STATE_NAME_LENGTH,
    &missing_next_or_end::MISSING_NEXT_OR_END,
    &next_and_end::NEXT_AND_END,
    &transition_on_terminal_state::TRANSITION_ON_TERMINAL_STATE,
    &end_false::END_FALSE,
    &state_name_characters::STATE_NAME_CHARACTERS,
    &empty_error_equals::EMPTY_ERROR_EQUALS,
    &states_all_not_alone::STATES_ALL_NOT_ALONE,
    &states_all_not_last::STATES_ALL_NOT_LAST,
    &misspelled_error_name::MISSPELLED_ERROR_NAME,
    &shadowed_retrier::SHADOWED_RETRIER,
    &shadowed_catcher::SHADOWED_CATCHER,
    &retry_field_range::RETRY_FIELD_RANGE,
    &retry_interval_zero::RETRY_INTERVAL_ZERO,
    &retry_max_delay_below_interval::RETRY_MAX_DELAY_BELOW_INTERVAL,
    &choice_rule_operators::CHOICE_RULE_OPERATORS,
    &choice_operand_type::CHOICE_OPERAND_TYPE,
    &choice_rule_variable::CHOICE_RULE_VARIABLE,
    &choice_rule_next::CHOICE_RULE_NEXT,
    &choice_empty_combinator::CHOICE_EMPTY_COMBINATOR,
    &choice_jsonata_condition::CHOICE_JSONATA_CONDITION,
    &choice_no_default::CHOICE_NO_DEFAULT,
    &choice_duplicate_rule::CHOICE_DUPLICATE_RULE,
    &string_matches_escaping::STRING_MATCHES_ESCAPING,
    &wait_duration::WAIT_DURATION,
    &wait_seconds_range::WAIT_SECONDS_RANGE,
    &invalid_timestamp::INVALID_TIMESTAMP,
    &task_timeout_exclusive::TASK_TIMEOUT_EXCLUSIVE,
    &heartbeat_not_below_timeout::HEARTBEAT_NOT_BELOW_TIMEOUT,
    &task_timeout_range::TASK_TIMEOUT_RANGE,
    &credentials_shape::CREDENTIALS_SHAPE,
    &fail_exclusive_fields::FAIL_EXCLUSIVE_FIELDS,
    &fail_error_looks_like_path::FAIL_ERROR_LOOKS_LIKE_PATH,
    &parallel_no_branches::PARALLEL_NO_BRANCHES,
    &map_processor_exactly_one::MAP_PROCESSOR_EXACTLY_ONE,
    &deprecated_map_field::DEPRECATED_MAP_FIELD,
    &map_selector_exclusive::MAP_SELECTOR_EXCLUSIVE,
    &map_field_exclusive::MAP_FIELD_EXCLUSIVE,
    &distributed_field_in_inline_map::DISTRIBUTED_FIELD_IN_INLINE_MAP,
    &missing_execution_type::MISSING_EXECUTION_TYPE,
    &tolerated_failure_range::TOLERATED_FAILURE_RANGE,
    &item_batcher_limits::ITEM_BATCHER_LIMITS,
    &map_label::MAP_LABEL,
    &reader_config::READER_CONFIG,
    &item_reader_resource::ITEM_READER_RESOURCE,
    &result_writer::RESULT_WRITER,
    &writer_config_output_type::WRITER_CONFIG_OUTPUT_TYPE,
    &distributed_concurrency_cap::DISTRIBUTED_CONCURRENCY_CAP,
    &definition_too_large::DEFINITION_TOO_LARGE,
    &nesting_too_deep::NESTING_TOO_DEEP,
    &payload_too_large::PAYLOAD_TOO_LARGE,
    &query_language_downgrade::QUERY_LANGUAGE_DOWNGRADE,
    &task_resource_jsonata::TASK_RESOURCE_JSONATA,
    &invalid_resource_arn::INVALID_RESOURCE_ARN,
    &unsupported_resource::UNSUPPORTED_RESOURCE,
    &resource_partition::RESOURCE_PARTITION,
    &integration_pattern_unsupported::INTEGRATION_PATTERN_UNSUPPORTED,
    &integration_pattern_unverified::INTEGRATION_PATTERN_UNVERIFIED,
    &unknown_integration::UNKNOWN_INTEGRATION,
    &sdk_integration_case::SDK_INTEGRATION_CASE,
    &sdk_parameter_case::SDK_PARAMETER_CASE,
    &missing_integration_parameter::MISSING_INTEGRATION_PARAMETER,
    &task_callback_no_token::TASK_CALLBACK_NO_TOKEN,
    &task_callback_no_timeout::TASK_CALLBACK_NO_TIMEOUT,
    &task_token_outside_callback::TASK_TOKEN_OUTSIDE_CALLBACK,
    &express_unsupported_pattern::EXPRESS_UNSUPPORTED_PATTERN,
    &map_distributed_in_express::MAP_DISTRIBUTED_IN_EXPRESS,
    &express_duration_limit::EXPRESS_DURATION_LIMIT,
    &invalid_path::INVALID_PATH,
    &invalid_template_value::INVALID_TEMPLATE_VALUE,
    &missing_dollar_suffix::MISSING_DOLLAR_SUFFIX,
    &template_key_collision::TEMPLATE_KEY_COLLISION,
    &pass_result_is_static::PASS_RESULT_IS_STATIC,
    &intrinsic_function::INTRINSIC_FUNCTION,
    &invalid_context_path::INVALID_CONTEXT_PATH,
    &map_item_context_outside_selector::MAP_ITEM_CONTEXT_OUTSIDE_SELECTOR,
    &literal_looks_like_path::LITERAL_LOOKS_LIKE_PATH,
    &invalid_variable_name::INVALID_VARIABLE_NAME,
    &undefined_variable::UNDEFINED_VARIABLE,
    &variable_maybe_unassigned::VARIABLE_MAYBE_UNASSIGNED,
    &variable_scope::VARIABLE_SCOPE,
    &variable_read_in_same_state::VARIABLE_READ_IN_SAME_STATE,
    &unused_variable::UNUSED_VARIABLE,
    &assign_in_nested_choice_rule::ASSIGN_IN_NESTED_CHOICE_RULE,
    &variable_name_characters::VARIABLE_NAME_CHARACTERS,
    &variable_too_large::VARIABLE_TOO_LARGE,
    &jsonata_syntax::JSONATA_SYNTAX,
    &jsonata_unknown_function::JSONATA_UNKNOWN_FUNCTION,
    &jsonata_states_misuse::JSONATA_STATES_MISUSE,
    &jsonata_missing_delimiters::JSONATA_MISSING_DELIMITERS,
    &jsonata_type_mismatch::JSONATA_TYPE_MISMATCH,
    &jsonata_unknown_states_field::JSONATA_UNKNOWN_STATES_FIELD,
    &jsonata_intrinsic_call::JSONATA_INTRINSIC_CALL,
];

/// Old names and codes of renamed rules, and what they are called now.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// Finds a rule by name or code (case-insensitive), following renames.
pub fn lookup(name_or_code: &str) -> Option<&'static Rule> {
    let wanted = REDIRECTS
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(name_or_code))
        .map_or(name_or_code, |(_, new)| new);
    ALL.iter()
        .copied()
        .find(|r| r.name.eq_ignore_ascii_case(wanted) || r.code.eq_ignore_ascii_case(wanted))
}

/// What a rule sees: the file, the document's tree and its typed model.
pub struct LintContext<'a> {
    pub file: &'a SourceFile,
    pub root: &'a Node,
    pub machine: &'a Machine<'a>,
    pub settings: &'a Settings,
    /// Analyses several rules share, computed once per document on first use.
    cache: Cache<'a>,
}

#[derive(Default)]
struct Cache<'a> {
    variables: std::sync::OnceLock<util::variables::Variables<'a>>,
    variable_flow: std::sync::OnceLock<util::variables::Flow>,
    read_issues: std::sync::OnceLock<Vec<(usize, util::variables::ReadIssue)>>,
    jsonpath: std::sync::OnceLock<Vec<jsonpath_sites::ParsedSite<'a>>>,
    /// The address of each evaluated string node → its index in `jsonpath`.
    jsonpath_index: std::sync::OnceLock<std::collections::HashMap<usize, usize>>,
    jsonata: std::sync::OnceLock<Vec<jsonata_common::Parsed<'a>>>,
    tasks: std::sync::OnceLock<Vec<util::arn::TaskResource<'a, 'a>>>,
}

impl<'a> LintContext<'a> {
    pub fn new(
        file: &'a SourceFile,
        root: &'a Node,
        machine: &'a Machine<'a>,
        settings: &'a Settings,
    ) -> Self {
        LintContext {
            file,
            root,
            machine,
            settings,
            cache: Cache::default(),
        }
    }

    pub fn text(&self) -> &str {
        &self.file.text
    }

    /// Every variable assignment and read of the machine (shared by the
    /// variable rules).
    pub fn variables(&self) -> &util::variables::Variables<'a> {
        self.cache
            .variables
            .get_or_init(|| util::variables::Variables::collect(self))
    }

    /// Which variables are certainly or possibly assigned on entry to each
    /// state (shared by the variable rules).
    pub fn variable_flow(&self) -> &util::variables::Flow {
        self.cache
            .variable_flow
            .get_or_init(|| util::variables::Flow::compute(self.machine, self.variables()))
    }

    /// Every string of the JSONPath states that Step Functions evaluates as a
    /// path or an intrinsic call (path fields, `.$` template values), parsed
    /// once per document and shared by the rules.
    /// Every Task state with a constant string `Resource`, parsed once for
    /// all the rules that read it.
    pub fn task_resources(&self) -> &[util::arn::TaskResource<'a, 'a>] {
        self.cache
            .tasks
            .get_or_init(|| util::arn::task_resources(self.machine).collect())
    }

    pub fn jsonpath_sites(&self) -> &[jsonpath_sites::ParsedSite<'a>] {
        self.cache
            .jsonpath
            .get_or_init(|| jsonpath_sites::parse_all(self.machine))
    }

    /// What the evaluated string `node` of a JSONPath state (a path field or
    /// a `.$` template value) parsed to, from [`Self::jsonpath_sites`].
    pub fn jsonpath_expr(&self, node: &Node) -> Option<&jsonpath_sites::Expr> {
        let sites = self.jsonpath_sites();
        let index = self.cache.jsonpath_index.get_or_init(|| {
            sites
                .iter()
                .enumerate()
                .map(|(i, p)| (std::ptr::from_ref(p.site.node) as usize, i))
                .collect()
        });
        let i = *index.get(&(std::ptr::from_ref(node) as usize))?;
        Some(&sites[i].expr)
    }

    /// Every string of the JSONata states that Step Functions evaluates, with
    /// its `{% … %}` expression parsed once per document and shared by the
    /// rules.
    pub fn jsonata_sites(&self) -> &[jsonata_common::Parsed<'a>] {
        self.cache
            .jsonata
            .get_or_init(|| jsonata_common::parse_all(self.machine))
    }

    /// The variable reads that have a problem, by index into
    /// `variables().reads` (shared by the variable rules).
    pub fn variable_read_issues(&self) -> &[(usize, util::variables::ReadIssue)] {
        self.cache.read_issues.get_or_init(|| {
            util::variables::read_issues(self.machine, self.variables(), self.variable_flow())
        })
    }
}

/// Collects findings: stamps the rule, applies the configured severity, drops
/// findings of disabled rules and computes the JSON pointer of each.
pub struct Sink<'a> {
    settings: &'a Settings,
    root: Option<&'a Node>,
    out: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(settings: &'a Settings, root: Option<&'a Node>) -> Self {
        Sink {
            settings,
            root,
            out: Vec::new(),
        }
    }

    /// True when `rule` is on; rules may skip work for disabled siblings.
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.settings.severity_of(rule).is_some()
    }

    /// Reports a finding of `rule` at `range`. The returned builder adds help,
    /// related locations and a fix; the finding is recorded when it is dropped.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: impl Into<String>,
    ) -> Report<'_, 'a> {
        let diag = self.settings.severity_of(rule).map(|severity| Diagnostic {
            rule,
            severity,
            message: shorten(message.into()),
            help: None,
            range,
            pointer: String::new(),
            related: Vec::new(),
            fix: None,
        });
        Report { sink: self, diag }
    }

    pub fn finish(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// A finding being built; recorded on drop.
pub struct Report<'s, 'a> {
    sink: &'s mut Sink<'a>,
    diag: Option<Diagnostic>,
}

impl Report<'_, '_> {
    pub fn help(mut self, help: impl Into<String>) -> Self {
        if let Some(d) = &mut self.diag {
            d.help = Some(shorten(help.into()));
        }
        self
    }
    pub fn related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        if let Some(d) = &mut self.diag {
            d.related.push(Related {
                range,
                message: shorten(message.into()),
            });
        }
        self
    }
    pub fn fix(mut self, fix: Fix) -> Self {
        if let Some(d) = &mut self.diag {
            d.fix = Some(fix);
        }
        self
    }
    /// Sets the pointer explicitly (by default it is found from the range).
    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        if let Some(d) = &mut self.diag {
            d.pointer = pointer.into();
        }
        self
    }
}

impl Drop for Report<'_, '_> {
    fn drop(&mut self) {
        if let Some(mut d) = self.diag.take() {
            if d.pointer.is_empty() {
                if let Some(root) = self.sink.root {
                    d.pointer = pointer::locate(root, d.range);
                }
            }
            self.sink.out.push(d);
        }
    }
}

/// The most characters of one `code span` a message keeps: messages quote
/// names and values from the file, and a 10 MB key quoted back whole would
/// flood every output.
const MAX_SPAN_CHARS: usize = 120;

/// The most characters of a whole message.
const MAX_MESSAGE_CHARS: usize = 2000;

/// Cuts code spans longer than [`MAX_SPAN_CHARS`] (and a message longer than
/// [`MAX_MESSAGE_CHARS`]) with an ellipsis. Short messages are returned as
/// they are, without a copy.
fn shorten(message: String) -> String {
    if message.len() <= MAX_SPAN_CHARS {
        return message;
    }
    let long_span = message
        .split('`')
        .skip(1)
        .step_by(2)
        .any(|span| span.len() > MAX_SPAN_CHARS && span.chars().count() > MAX_SPAN_CHARS);
    let mut out = if long_span {
        let mut out = String::with_capacity(message.len().min(4 * MAX_MESSAGE_CHARS));
        for (i, part) in message.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            if i % 2 == 1 && part.chars().count() > MAX_SPAN_CHARS {
                out.extend(part.chars().take(MAX_SPAN_CHARS - 1));
                out.push('…');
            } else {
                out.push_str(part);
            }
        }
        out
    } else {
        message
    };
    if out.len() > MAX_MESSAGE_CHARS && out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS - 1).collect();
        out.push('…');
    }
    out
}

/// Words longer than this get no "did you mean".
pub const MAX_SUGGESTED_CHARS: usize = 256;

/// The closest of `candidates` to `word` by edit distance, if close enough to
/// be a likely typo ("did you mean"). Case differences count as small.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(usize, &str)> = None;
    let word_len = word.chars().count();
    // Nobody mistypes a name this long in a way a suggestion would help, and
    // comparing two huge names character by character is quadratic.
    if word_len > MAX_SUGGESTED_CHARS {
        return None;
    }
    let limit = (word_len / 3).clamp(1, 4);
    for c in candidates {
        if c == word {
            continue;
        }
        // The distance is at least the difference in length: skip far
        // lengths before the quadratic comparison (a 10 MB name must not
        // cost 10 MB × the candidates' lengths).
        if c.chars().count().abs_diff(word_len) > limit {
            continue;
        }
        let d = if c.eq_ignore_ascii_case(word) {
            0
        } else {
            edit_distance(&word.to_lowercase(), &c.to_lowercase())
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters, with adjacent transpositions (so
/// `Nxet` is one edit from `Next`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    // Three rolling rows (the transposition looks two rows back): memory is
    // linear in the shorter word's length, whatever the other's.
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    let w = b.len() + 1;
    let mut before: Vec<usize> = vec![0; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur: Vec<usize> = vec![0; w];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("Next", "Nxet"), 1);
        assert_eq!(edit_distance("ResultsPath", "ResultPath"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("sitting", "kitten"), 3);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("abcdef", "abdcef"), 1);
    }

    #[test]
    fn closest_prefers_the_nearest_and_ignores_far_words() {
        let c = ["ResultPath", "ResultSelector", "OutputPath"];
        assert_eq!(closest("ResultsPath", c), Some("ResultPath"));
        assert_eq!(closest("outputpath", c), Some("OutputPath"));
        assert_eq!(closest("Banana", c), None);
    }

    #[test]
    fn long_code_spans_are_cut() {
        let short = "state `A` is fine".to_string();
        assert_eq!(shorten(short.clone()), short);
        let name = "é".repeat(1_000_000);
        let m = shorten(format!("field `{name}` of `X` is not allowed"));
        assert!(m.starts_with("field `éé"));
        assert!(m.ends_with("…` of `X` is not allowed"), "{m}");
        assert_eq!(m.chars().filter(|&c| c == 'é').count(), MAX_SPAN_CHARS - 1);
        let plain = "x".repeat(10_000);
        assert_eq!(shorten(plain).chars().count(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn closest_skips_words_of_far_lengths_quickly() {
        let huge = "x".repeat(10_000_000);
        let start = std::time::Instant::now();
        assert_eq!(
            closest(&huge, ["Next", "End", &"x".repeat(9_999_999)]),
            None
        );
        let long = "y".repeat(MAX_SUGGESTED_CHARS + 1);
        assert_eq!(closest(&long, [&long[1..]]), None);
        assert_eq!(closest("Nxet", ["Next", huge.as_str()]), Some("Next"));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn registry_lookup_by_name_and_code() {
        assert_eq!(lookup("syntax-error").map(|r| r.code), Some("ASL001"));
        assert_eq!(lookup("asl001").map(|r| r.name), Some("syntax-error"));
        assert!(lookup("no-such-rule").is_none());
    }
}
