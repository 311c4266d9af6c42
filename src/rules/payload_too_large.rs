use crate::rules::util::{compact_json_len, is_jsonata, json_text_within, Unit};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state whose literal `Result`, `Parameters`, `Arguments` or
    /// `Output` is larger than 256 KiB once serialized as compact JSON.
    ///
    /// The size is an approximation: it is the size of the literal as
    /// written (without layout whitespace), before any path or expression in
    /// it is evaluated. JSONata expression strings are not measured.
    ///
    /// ## Why is this bad?
    /// State input and output, task parameters and results are limited to
    /// 256 KiB of UTF-8; larger payloads fail the execution with
    /// `States.DataLimitExceeded`. Store large data in S3 and pass its
    /// location instead.
    ///
    /// ## Example
    /// A Pass state whose `Result` literal is more than 256 KiB (shortened
    /// here; see the fixture `invalid_large_result.asl.json`):
    /// ```text
    /// { "StartAt": "A", "States": { "A": { "Type": "Pass", "Result": { "data": "xxxx…(262,144 x)…" }, "End": true } } }
    /// ```
    pub static PAYLOAD_TOO_LARGE = {
        code: "ASL252",
        name: "payload-too-large",
        category: States,
        severity: Warning,
        summary: "a literal payload is larger than the 256 KiB Step Functions allows",
        check: Some(check),
    }
}

const LIMIT: usize = 256 * 1024;
const FIELDS: &[&str] = &["Result", "Parameters", "Arguments", "Output"];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    if json_text_within(cx, LIMIT) {
        return;
    }
    for state in &cx.machine.states {
        let Some(members) = state.node.as_object() else {
            continue;
        };
        for m in members.iter().filter(|m| FIELDS.contains(&m.key.as_str())) {
            if m.value.as_str().is_some_and(is_jsonata) {
                continue;
            }
            let size = compact_json_len(&m.value, Unit::Bytes);
            if size <= LIMIT {
                continue;
            }
            out.report(
                &PAYLOAD_TOO_LARGE,
                m.key_range,
                format!(
                    "`{}` of state `{}` is about {} KiB, more than the 256 KiB payload limit",
                    m.key,
                    state.name,
                    size.div_ceil(1024)
                ),
            )
            .help("store large data in S3 (or another store) and pass its location instead");
        }
    }
}
