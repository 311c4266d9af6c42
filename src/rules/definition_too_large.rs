use crate::rules::util::{compact_json_len, json_text_within, Unit};
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a state machine definition larger than 1,048,576 characters,
    /// the maximum Step Functions accepts.
    ///
    /// The size is measured on the definition serialized as compact JSON
    /// (without indentation or other insignificant whitespace), so a large
    /// but pretty-printed file that deployment tools minify is not reported.
    ///
    /// ## Why is this bad?
    /// The definition size limit (1 MB) is a hard quota: CreateStateMachine
    /// and UpdateStateMachine reject larger definitions. Move large literal
    /// data out of the definition (into S3, parameters or the execution
    /// input), or split the workflow into nested state machines.
    ///
    /// ## Example
    /// A definition whose literals add up to more than 1 MB (shortened here;
    /// the fixture `invalid_over_one_megabyte.asl.json` is the real thing):
    /// ```text
    /// { "StartAt": "A", "States": { "A": { "Type": "Pass", "Comment": "xxxx…(1,048,576 x)…", "End": true } } }
    /// ```
    pub static DEFINITION_TOO_LARGE = {
        code: "ASL250",
        name: "definition-too-large",
        category: States,
        severity: Error,
        summary: "the definition is larger than the 1 MB Step Functions accepts",
        check: Some(check),
    }
}

const LIMIT: usize = 1_048_576;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let root = cx.root;
    if json_text_within(cx, LIMIT) {
        return;
    }
    // One linear pass. (The text length is no bound: YAML can be shorter
    // than the JSON it stands for.)
    let size = compact_json_len(root, Unit::Chars);
    if size <= LIMIT {
        return;
    }
    let start = root.range.start();
    out.report(
        &DEFINITION_TOO_LARGE,
        TextRange::new(start, (start + 1).min(root.range.end())),
        format!("the definition is {size} characters long as compact JSON, more than the maximum 1048576"),
    )
    .help("move large literals out of the definition (S3, execution input) or split the workflow into nested state machines");
}
