//! What the editor features know about the language: where in a definition a
//! key sits ([`Ctx`]), which fields each kind of object accepts, short field
//! descriptions for hover, enum values, intrinsic functions, predefined error
//! names, context-object fields and `Resource` templates.
//!
//! Field descriptions come from the JSON Schema ([`crate::schema::describe`]);
//! the short table here answers where the schema cannot (a field the
//! document does not have yet, so no `if`/`then` branch of the schema
//! applies, as while completing).

use crate::model::{QueryLanguage, StateType};
use crate::syntax::{pointer, Node};

/// The kind of object a key path leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// The top level of the machine.
    Root,
    /// A Parallel branch.
    Branch,
    /// A Map `ItemProcessor` or `Iterator`.
    Processor,
    /// The `States` object of a scope: its keys are state names.
    StatesMap,
    /// A state object.
    State,
    /// `Branches` (an array of scopes).
    BranchList,
    RetryList,
    Retrier,
    CatchList,
    Catcher,
    /// `Choices`, or the array of a nested `And`/`Or`.
    ChoiceList,
    ChoiceRule,
    ProcessorConfig,
    ItemReader,
    ReaderConfig,
    ResultWriter,
    WriterConfig,
    ItemBatcher,
    /// `ErrorEquals` of a retrier or catcher.
    ErrorEquals,
    /// User data (`Parameters`, `Arguments`, `Result`, `Assign` …) or
    /// anything not understood.
    Payload,
}

/// Where a key path leads, and where the innermost scope and state are on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub ctx: Ctx,
    /// The tokens of the innermost scope (a prefix of the path).
    pub scope_len: usize,
    /// Index in the path of the innermost state's name, if inside a state.
    pub state_at: Option<usize>,
}

/// Follows a key path (object keys and array indices, as strings) from the
/// root of a machine.
pub fn walk<S: AsRef<str>>(tokens: &[S]) -> Walk {
    let mut w = Walk {
        ctx: Ctx::Root,
        scope_len: 0,
        state_at: None,
    };
    for (i, tok) in tokens.iter().enumerate() {
        let tok = tok.as_ref();
        let scope_ctx = matches!(w.ctx, Ctx::Root | Ctx::Branch | Ctx::Processor);
        w.ctx = match (w.ctx, tok) {
            (_, "States") if scope_ctx => Ctx::StatesMap,
            (Ctx::Processor, "ProcessorConfig") => Ctx::ProcessorConfig,
            (Ctx::StatesMap, _) => {
                w.state_at = Some(i);
                Ctx::State
            }
            (Ctx::State, "Branches") => Ctx::BranchList,
            (Ctx::BranchList, _) => {
                w.scope_len = i + 1;
                w.state_at = None;
                Ctx::Branch
            }
            (Ctx::State, "ItemProcessor" | "Iterator") => {
                w.scope_len = i + 1;
                w.state_at = None;
                Ctx::Processor
            }
            (Ctx::State, "Retry") => Ctx::RetryList,
            (Ctx::RetryList, _) => Ctx::Retrier,
            (Ctx::State, "Catch") => Ctx::CatchList,
            (Ctx::CatchList, _) => Ctx::Catcher,
            (Ctx::Retrier | Ctx::Catcher, "ErrorEquals") => Ctx::ErrorEquals,
            (Ctx::State, "Choices") => Ctx::ChoiceList,
            (Ctx::ChoiceList, _) => Ctx::ChoiceRule,
            (Ctx::ChoiceRule, "And" | "Or") => Ctx::ChoiceList,
            (Ctx::ChoiceRule, "Not") => Ctx::ChoiceRule,
            (Ctx::State, "ItemReader") => Ctx::ItemReader,
            (Ctx::ItemReader, "ReaderConfig") => Ctx::ReaderConfig,
            (Ctx::State, "ResultWriter") => Ctx::ResultWriter,
            (Ctx::ResultWriter, "WriterConfig") => Ctx::WriterConfig,
            (Ctx::State, "ItemBatcher") => Ctx::ItemBatcher,
            _ => Ctx::Payload,
        };
        if w.ctx == Ctx::Payload {
            break;
        }
    }
    w
}

/// The tokens of a JSON pointer.
pub fn pointer_tokens(ptr: &str) -> Vec<String> {
    if ptr.is_empty() {
        return Vec::new();
    }
    ptr.trim_start_matches('/')
        .split('/')
        .map(pointer::unescape)
        .collect()
}

/// A JSON pointer from tokens.
pub fn tokens_pointer<S: AsRef<str>>(tokens: &[S]) -> String {
    tokens
        .iter()
        .fold(String::new(), |p, t| pointer::push(&p, t.as_ref()))
}

// ---------------------------------------------------------------------------
// Fields

const COMMON_JSONPATH_IO: &[&str] = &["InputPath", "OutputPath"];

/// The fields a state of `ty` accepts under `ql`, `Type` first.
pub fn state_fields(ty: Option<StateType>, ql: QueryLanguage) -> Vec<&'static str> {
    use StateType::*;
    let mut f = vec!["Type", "Comment", "QueryLanguage"];
    let jp = ql == QueryLanguage::JsonPath;
    let Some(ty) = ty else {
        // Unknown type: everything any state accepts.
        let mut all: Vec<&'static str> = Vec::new();
        for t in StateType::ALL {
            for x in state_fields(Some(t), ql) {
                if !all.contains(&x) {
                    all.push(x);
                }
            }
        }
        return all;
    };
    if ty.needs_transition() {
        f.extend(["Next", "End"]);
    }
    match ty {
        Pass => {
            if jp {
                f.extend(COMMON_JSONPATH_IO);
                f.extend(["Parameters", "ResultPath", "Result"]);
            }
        }
        Task => {
            f.push("Resource");
            if jp {
                f.extend(COMMON_JSONPATH_IO);
                f.extend(["Parameters", "ResultPath", "ResultSelector"]);
                f.extend(["TimeoutSeconds", "TimeoutSecondsPath"]);
                f.extend(["HeartbeatSeconds", "HeartbeatSecondsPath"]);
            } else {
                f.extend(["Arguments", "TimeoutSeconds", "HeartbeatSeconds"]);
            }
            f.extend(["Retry", "Catch", "Credentials"]);
        }
        Choice => {
            f.extend(["Choices", "Default"]);
            if jp {
                f.extend(COMMON_JSONPATH_IO);
            }
        }
        Wait => {
            f.extend(["Seconds", "Timestamp"]);
            if jp {
                f.extend(["SecondsPath", "TimestampPath"]);
                f.extend(COMMON_JSONPATH_IO);
            }
        }
        Succeed => {
            if jp {
                f.extend(COMMON_JSONPATH_IO);
            }
        }
        Fail => {
            f.extend(["Error", "Cause"]);
            if jp {
                f.extend(["ErrorPath", "CausePath"]);
            }
        }
        Parallel => {
            f.push("Branches");
            if jp {
                f.extend(COMMON_JSONPATH_IO);
                f.extend(["Parameters", "ResultPath", "ResultSelector"]);
            } else {
                f.push("Arguments");
            }
            f.extend(["Retry", "Catch"]);
        }
        Map => {
            f.extend(["ItemProcessor", "ItemSelector", "ItemReader", "ItemBatcher"]);
            f.extend([
                "ResultWriter",
                "MaxConcurrency",
                "ToleratedFailurePercentage",
            ]);
            f.extend(["ToleratedFailureCount", "Label"]);
            if jp {
                f.extend(COMMON_JSONPATH_IO);
                f.extend(["ItemsPath", "ResultPath", "ResultSelector", "Parameters"]);
                f.extend(["MaxConcurrencyPath", "ToleratedFailurePercentagePath"]);
                f.extend(["ToleratedFailureCountPath", "Iterator"]);
            } else {
                f.push("Items");
            }
            f.extend(["Retry", "Catch"]);
        }
    }
    if !jp && ty != Fail {
        f.push("Output");
    }
    if !matches!(ty, Succeed | Fail) {
        f.push("Assign");
    }
    f
}

/// Choice-rule comparison operators (JSONPath).
pub fn comparison_operators() -> Vec<String> {
    let mut ops = Vec::new();
    for (kind, extra) in [
        ("String", &["StringMatches"][..]),
        ("Numeric", &[][..]),
        ("Timestamp", &[][..]),
        ("Boolean", &[][..]),
    ] {
        let rel: &[&str] = if kind == "Boolean" {
            &["Equals"]
        } else {
            &[
                "Equals",
                "LessThan",
                "GreaterThan",
                "LessThanEquals",
                "GreaterThanEquals",
            ]
        };
        for r in rel {
            ops.push(format!("{kind}{r}"));
            ops.push(format!("{kind}{r}Path"));
        }
        ops.extend(extra.iter().map(|s| s.to_string()));
    }
    for t in [
        "IsNull",
        "IsPresent",
        "IsNumeric",
        "IsString",
        "IsBoolean",
        "IsTimestamp",
    ] {
        ops.push(t.to_string());
    }
    ops
}

/// The keys an object in `ctx` accepts (for key completion).
pub fn fields_of(ctx: Ctx, ty: Option<StateType>, ql: QueryLanguage) -> Vec<String> {
    let jp = ql == QueryLanguage::JsonPath;
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match ctx {
        Ctx::Root => v(&[
            "StartAt",
            "States",
            "Comment",
            "QueryLanguage",
            "TimeoutSeconds",
            "Version",
        ]),
        Ctx::Branch => v(&["StartAt", "States", "Comment"]),
        Ctx::Processor => v(&["StartAt", "States", "Comment", "ProcessorConfig"]),
        Ctx::State => state_fields(ty, ql).iter().map(|s| s.to_string()).collect(),
        Ctx::Retrier => v(&[
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ]),
        Ctx::Catcher => {
            let mut f = v(&["ErrorEquals", "Next", "Comment", "Assign"]);
            f.push(if jp { "ResultPath" } else { "Output" }.to_string());
            f
        }
        Ctx::ChoiceRule => {
            if jp {
                let mut f = v(&["Variable", "Next", "And", "Or", "Not", "Comment", "Assign"]);
                f.extend(comparison_operators());
                f
            } else {
                v(&["Condition", "Next", "Comment", "Assign", "Output"])
            }
        }
        Ctx::ProcessorConfig => v(&["Mode", "ExecutionType"]),
        Ctx::ItemReader | Ctx::ResultWriter => {
            let mut f = v(&["Resource", if jp { "Parameters" } else { "Arguments" }]);
            f.push(
                if ctx == Ctx::ItemReader {
                    "ReaderConfig"
                } else {
                    "WriterConfig"
                }
                .to_string(),
            );
            f
        }
        Ctx::ReaderConfig => v(&[
            "InputType",
            "CSVHeaderLocation",
            "CSVHeaders",
            "CSVDelimiter",
            "MaxItems",
            "MaxItemsPath",
            "ManifestType",
        ]),
        Ctx::WriterConfig => v(&["OutputType", "Transformation"]),
        Ctx::ItemBatcher => v(&[
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            "BatchInput",
        ]),
        _ => Vec::new(),
    }
}

/// The values an enum-like field accepts.
pub fn enum_values(ctx: Ctx, key: &str) -> &'static [&'static str] {
    match (ctx, key) {
        (Ctx::State, "Type") => &[
            "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
        ],
        (_, "QueryLanguage") => &["JSONPath", "JSONata"],
        (Ctx::Root, "Version") => &["1.0"],
        (Ctx::ProcessorConfig, "Mode") => &["INLINE", "DISTRIBUTED"],
        (Ctx::ProcessorConfig, "ExecutionType") => &["STANDARD", "EXPRESS"],
        (Ctx::Retrier, "JitterStrategy") => &["FULL", "NONE"],
        (Ctx::ReaderConfig, "InputType") => &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
        (Ctx::ReaderConfig, "CSVHeaderLocation") => &["FIRST_ROW", "GIVEN"],
        (Ctx::ReaderConfig, "CSVDelimiter") => &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
        (Ctx::ReaderConfig, "ManifestType") => &["S3_INVENTORY", "ATHENA_DATA"],
        (Ctx::WriterConfig, "OutputType") => &["JSON", "JSONL"],
        (Ctx::WriterConfig, "Transformation") => &["NONE", "COMPACT", "FLATTEN"],
        _ => &[],
    }
}

// ---------------------------------------------------------------------------
// Field descriptions (hover)

/// What the field at `ptr` means and accepts, as Markdown: the schema's
/// description, else the table's. State names and payload keys are not
/// fields (hover shows a state summary for the former).
pub fn describe_field(root: &Node, ptr: &str) -> Option<String> {
    let tokens = pointer_tokens(ptr);
    let (key, parent) = tokens.split_last()?;
    let ctx = walk(parent).ctx;
    if ctx == Ctx::StatesMap || matches!(ctx, Ctx::Payload) {
        if ctx == Ctx::Payload && key.ends_with(".$") {
            return Some(format!(
                "**`{key}`**: a dynamic field. Its value is a path (`$.x`, `$$.x`, `$var`) or an \
                 intrinsic function call; the result becomes the field `{}`.",
                key.trim_end_matches(".$")
            ));
        }
        return None;
    }
    let text = crate::schema::describe(root, ptr).or_else(|| field_text(ctx, key))?;
    Some(format!("**`{key}`**: {text}"))
}

fn field_text(ctx: Ctx, key: &str) -> Option<String> {
    let s = match (ctx, key) {
        (Ctx::Root, "StartAt") | (Ctx::Branch | Ctx::Processor, "StartAt") => {
            "string, required. The name of the state that runs first; it must be a state of \
             this same `States` object."
        }
        (_, "States") => {
            "object, required. The states of this scope, keyed by state name (at most 80 \
             characters, unique in the whole state machine)."
        }
        (_, "Comment") => "string. A human-readable description; ignored by Step Functions.",
        (Ctx::Root, "TimeoutSeconds") => {
            "positive integer. The maximum time an execution may run; it fails with \
             `States.Timeout` when exceeded."
        }
        (Ctx::Root, "Version") => "string. The ASL version; only `\"1.0\"` exists.",
        (_, "QueryLanguage") => {
            "`\"JSONPath\"` (default) or `\"JSONata\"`. Selects how fields transform data. \
             A state may switch to JSONata when the machine uses JSONPath, not the other way."
        }
        (Ctx::State, "Type") => {
            "string, required. One of `Task`, `Pass`, `Choice`, `Wait`, `Succeed`, `Fail`, \
             `Parallel`, `Map`; it decides which other fields the state accepts."
        }
        (Ctx::State | Ctx::Catcher | Ctx::ChoiceRule, "Next") => {
            "string. The name of the state to run next, in the same scope. A state has either \
             `Next` or `\"End\": true`."
        }
        (Ctx::State, "End") => {
            "`true`. Ends the execution (or the branch/iteration) after this state."
        }
        (Ctx::State, "Resource") => {
            "string, required on Task. The ARN of the work to run: a Lambda function, an \
             activity, or a service integration such as `arn:aws:states:::lambda:invoke`; \
             `.sync` waits for a job, `.waitForTaskToken` for a callback."
        }
        (_, "InputPath") => {
            "JSONPath string or null. Selects part of the state input; `null` passes `{}`."
        }
        (_, "OutputPath") => {
            "JSONPath string or null. Selects part of the state output to pass on; `null` \
             passes `{}`."
        }
        (Ctx::Catcher, "ResultPath") => {
            "reference path (JSONPath). Where the error output goes in the input."
        }
        (_, "ResultPath") => {
            "JSONPath reference path or null. Where to put the result in the input; `null` \
             discards the result and passes the input on."
        }
        (_, "Parameters") => {
            "object (JSONPath). A payload template: the effective input. Keys ending in `.$` \
             take paths or intrinsic functions."
        }
        (_, "ResultSelector") => {
            "object (JSONPath). A payload template applied to the result before `ResultPath`."
        }
        (Ctx::State, "Result") => "any JSON (Pass, JSONPath). The fixed output of the Pass state.",
        (_, "Arguments") => {
            "object or JSONata string (JSONata). The input sent to the task or the branches."
        }
        (_, "Output") => "any JSON or JSONata string (JSONata). The state's output.",
        (_, "Assign") => {
            "object. Variables to set, by name; values may use JSONPath (`.$` keys) or JSONata \
             expressions. Visible to later states of the same scope."
        }
        (Ctx::State, "Retry") => {
            "array of retriers. How to retry after errors; the first retrier whose \
             `ErrorEquals` matches is used."
        }
        (Ctx::State, "Catch") => {
            "array of catchers. Where to go after errors once retries are exhausted."
        }
        (Ctx::State, "TimeoutSeconds") => {
            "positive integer (or JSONata string). Fails the task with `States.Timeout` when it \
             runs longer. Default 99999999."
        }
        (Ctx::State, "TimeoutSecondsPath") => {
            "reference path (JSONPath). Reads `TimeoutSeconds` from the input."
        }
        (Ctx::State, "HeartbeatSeconds") => {
            "positive integer, smaller than `TimeoutSeconds`. Fails the task with \
             `States.HeartbeatTimeout` when no heartbeat arrives in time."
        }
        (Ctx::State, "HeartbeatSecondsPath") => {
            "reference path (JSONPath). Reads `HeartbeatSeconds` from the input."
        }
        (Ctx::State, "Credentials") => {
            "object with `RoleArn` (or `RoleArn.$`). An IAM role to assume for this task."
        }
        (Ctx::State, "Choices") => {
            "array of choice rules, required on Choice. Evaluated in order; the first match \
             decides the next state."
        }
        (Ctx::State, "Default") => {
            "string. The state to go to when no choice rule matches; without it the execution \
             fails with `States.NoChoiceMatched`."
        }
        (Ctx::State, "Seconds") => "non-negative integer (or JSONata string). How long to wait.",
        (Ctx::State, "SecondsPath") => "reference path (JSONPath). Reads the wait in seconds.",
        (Ctx::State, "Timestamp") => {
            "RFC 3339 timestamp (or JSONata string), e.g. `2026-01-01T00:00:00Z`. Wait until \
             this time."
        }
        (Ctx::State, "TimestampPath") => "reference path (JSONPath). Reads the timestamp.",
        (Ctx::State, "Error") => "string (or JSONata). The error name the Fail state reports.",
        (Ctx::State, "Cause") => "string (or JSONata). A description of the failure.",
        (Ctx::State, "ErrorPath") => {
            "path or intrinsic (JSONPath). Reads the error name from the input."
        }
        (Ctx::State, "CausePath") => {
            "path or intrinsic (JSONPath). Reads the cause from the input."
        }
        (Ctx::State, "Branches") => {
            "array of sub-machines (`StartAt` + `States`), required on Parallel. All run at \
             once; the output is the array of their outputs."
        }
        (Ctx::State, "ItemProcessor") => {
            "object, required on Map. The sub-machine (`StartAt`, `States`, `ProcessorConfig`) \
             run for each item."
        }
        (Ctx::State, "Iterator") => "object. Deprecated name of `ItemProcessor`.",
        (Ctx::State, "ItemsPath") => {
            "reference path (JSONPath). Where the array to iterate is in the input; default `$`."
        }
        (Ctx::State, "Items") => "array or JSONata string (JSONata). The items to iterate.",
        (Ctx::State, "ItemSelector") => {
            "object. A template that builds each iteration's input; `$$.Map.Item.Value` is the \
             item."
        }
        (Ctx::State, "ItemReader") => {
            "object (distributed Map). Reads items from S3: `Resource`, `ReaderConfig`, \
             `Parameters`/`Arguments`."
        }
        (Ctx::State, "ItemBatcher") => "object (distributed Map). Groups items into batches.",
        (Ctx::State, "ResultWriter") => "object (distributed Map). Writes results to S3.",
        (Ctx::State, "MaxConcurrency") => {
            "non-negative integer. The most iterations run at once; `0` means no limit."
        }
        (Ctx::State, "MaxConcurrencyPath") => "reference path (JSONPath). Reads `MaxConcurrency`.",
        (Ctx::State, "ToleratedFailurePercentage") => {
            "number 0–100 (distributed Map). Fails the Map when more items fail."
        }
        (Ctx::State, "ToleratedFailureCount") => {
            "non-negative integer (distributed Map). Fails the Map when more items fail."
        }
        (Ctx::State, "ToleratedFailurePercentagePath" | "ToleratedFailureCountPath") => {
            "reference path (JSONPath). Reads the tolerated failures from the input."
        }
        (Ctx::State, "Label") => {
            "string (distributed Map), up to 40 characters. Names the child executions."
        }
        (Ctx::Retrier | Ctx::Catcher, "ErrorEquals") => {
            "non-empty array of error names, required. Matches errors by name; `States.ALL` \
             matches any error and must be alone and last."
        }
        (Ctx::Retrier, "IntervalSeconds") => {
            "positive integer. Seconds before the first retry; default 1."
        }
        (Ctx::Retrier, "MaxAttempts") => {
            "non-negative integer. Retries at most this many times; default 3, `0` never retries."
        }
        (Ctx::Retrier, "BackoffRate") => {
            "number ≥ 1. Multiplies the interval after each retry; default 2."
        }
        (Ctx::Retrier, "MaxDelaySeconds") => "positive integer. Caps the retry interval.",
        (Ctx::Retrier, "JitterStrategy") => {
            "`FULL` or `NONE`. Randomises retry intervals to avoid bursts."
        }
        (Ctx::ChoiceRule, "Variable") => "path (JSONPath). The value the rule compares.",
        (Ctx::ChoiceRule, "Condition") => {
            "JSONata expression `{% … %}` (JSONata). The rule matches when it is true."
        }
        (Ctx::ChoiceRule, "And" | "Or") => "array of choice rules (without `Next`).",
        (Ctx::ChoiceRule, "Not") => "one choice rule (without `Next`), negated.",
        (Ctx::ProcessorConfig, "Mode") => {
            "`INLINE` (default) or `DISTRIBUTED`. Distributed runs child executions and accepts \
             `ItemReader`, `ItemBatcher`, `ResultWriter`."
        }
        (Ctx::ProcessorConfig, "ExecutionType") => {
            "`STANDARD` or `EXPRESS`, required for `DISTRIBUTED`. The type of child executions."
        }
        (Ctx::ItemReader | Ctx::ResultWriter, "Resource") => {
            "string. The S3 integration ARN, e.g. `arn:aws:states:::s3:getObject`."
        }
        (Ctx::ItemReader, "ReaderConfig") => {
            "object. How to read: `InputType`, CSV options, `MaxItems`."
        }
        (Ctx::ResultWriter, "WriterConfig") => "object. `OutputType` and `Transformation`.",
        (Ctx::ReaderConfig, "InputType") => "`CSV`, `JSON`, `JSONL`, `MANIFEST` or `PARQUET`.",
        (Ctx::ReaderConfig, "CSVHeaderLocation") => {
            "`FIRST_ROW` or `GIVEN` (then `CSVHeaders` is required)."
        }
        (Ctx::ReaderConfig, "CSVHeaders") => "array of strings. Column names for `GIVEN`.",
        (Ctx::ReaderConfig, "CSVDelimiter") => {
            "`COMMA` (default), `PIPE`, `SEMICOLON`, `SPACE` or `TAB`."
        }
        (Ctx::ReaderConfig, "MaxItems" | "MaxItemsPath") => {
            "non-negative integer (or path). Reads at most this many items."
        }
        (Ctx::ItemBatcher, k) if k.starts_with("MaxItemsPerBatch") => {
            "positive integer (or path). Items per batch."
        }
        (Ctx::ItemBatcher, k) if k.starts_with("MaxInputBytesPerBatch") => {
            "positive integer (or path), at most 262144. Bytes per batch."
        }
        (Ctx::ItemBatcher, "BatchInput") => "object. Added to every batch as `BatchInput`.",
        (Ctx::ChoiceRule, op) => return comparison_text(op),
        _ => return None,
    };
    Some(s.to_string())
}

fn comparison_text(op: &str) -> Option<String> {
    if !comparison_operators().iter().any(|o| o == op) {
        return None;
    }
    if let Some(t) = op.strip_prefix("Is") {
        return Some(format!(
            "boolean (JSONPath). Matches when `Variable` {}.",
            match t {
                "Null" => "is null".to_string(),
                "Present" => "exists in the input".to_string(),
                other => format!("is a {}", other.to_ascii_lowercase()),
            }
        ));
    }
    if op == "StringMatches" {
        return Some(
            "string pattern (JSONPath). `*` matches any characters; `\\*` a literal star.".into(),
        );
    }
    let path = op.ends_with("Path");
    let base = op.trim_end_matches("Path");
    let (kind, rel) = ["String", "Numeric", "Timestamp", "Boolean"]
        .iter()
        .find_map(|k| base.strip_prefix(k).map(|r| (*k, r)))?;
    let rel = match rel {
        "Equals" => "equals",
        "LessThan" => "is less than",
        "GreaterThan" => "is greater than",
        "LessThanEquals" => "is less than or equal to",
        "GreaterThanEquals" => "is greater than or equal to",
        _ => return None,
    };
    let operand = if path {
        "the value at this path".to_string()
    } else {
        format!("this {}", kind.to_ascii_lowercase())
    };
    Some(format!(
        "(JSONPath) Matches when `Variable` {rel} {operand}."
    ))
}

// ---------------------------------------------------------------------------
// Intrinsics, errors, context object, resources

/// Name, signature, description.
pub const INTRINSICS: &[(&str, &str, &str)] = &[
    (
        "States.Format",
        "States.Format(template, ...values) → string",
        "Fills each `{}` of the template with the next value.",
    ),
    (
        "States.StringToJson",
        "States.StringToJson(string) → JSON",
        "Parses a JSON string.",
    ),
    (
        "States.JsonToString",
        "States.JsonToString(value) → string",
        "Serialises a value as JSON text.",
    ),
    (
        "States.Array",
        "States.Array(...values) → array",
        "Builds an array of its arguments.",
    ),
    (
        "States.ArrayPartition",
        "States.ArrayPartition(array, chunkSize) → array",
        "Splits an array into chunks of `chunkSize`.",
    ),
    (
        "States.ArrayContains",
        "States.ArrayContains(array, value) → boolean",
        "True when the array contains the value.",
    ),
    (
        "States.ArrayRange",
        "States.ArrayRange(start, end, step) → array",
        "Integers from `start` to `end` by `step` (at most 1000).",
    ),
    (
        "States.ArrayGetItem",
        "States.ArrayGetItem(array, index) → value",
        "The item at a zero-based index.",
    ),
    (
        "States.ArrayLength",
        "States.ArrayLength(array) → number",
        "The number of items.",
    ),
    (
        "States.ArrayUnique",
        "States.ArrayUnique(array) → array",
        "The array without duplicate values.",
    ),
    (
        "States.Base64Encode",
        "States.Base64Encode(string) → string",
        "Base64-encodes a string (at most 10,000 characters).",
    ),
    (
        "States.Base64Decode",
        "States.Base64Decode(string) → string",
        "Decodes a Base64 string.",
    ),
    (
        "States.Hash",
        "States.Hash(value, algorithm) → string",
        "Hashes with `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.",
    ),
    (
        "States.JsonMerge",
        "States.JsonMerge(object1, object2, false) → object",
        "Shallow-merges two objects; the third argument must be `false`.",
    ),
    (
        "States.MathRandom",
        "States.MathRandom(start, end[, seed]) → number",
        "A random integer in `[start, end)`.",
    ),
    (
        "States.MathAdd",
        "States.MathAdd(a, b) → number",
        "The sum of two integers.",
    ),
    (
        "States.StringSplit",
        "States.StringSplit(string, delimiters) → array",
        "Splits a string at any of the delimiter characters.",
    ),
    (
        "States.UUID",
        "States.UUID() → string",
        "A random version 4 UUID.",
    ),
];

/// JSONata functions available in Step Functions: name (without `$`),
/// signature, description. The names are those of
/// [`crate::jsonata::analysis::BUILTIN_FUNCTIONS`] (less `$eval`, which Step
/// Functions does not offer) and
/// [`crate::jsonata::analysis::STEP_FUNCTIONS_FUNCTIONS`]; a test keeps them
/// in step.
pub const JSONATA_FUNCTIONS: &[(&str, &str, &str)] = &[
    ("abs", "$abs(number) → number", "The absolute value."),
    (
        "append",
        "$append(array1, array2) → array",
        "The two arrays (or values) joined into one array.",
    ),
    (
        "assert",
        "$assert(condition, message)",
        "Fails with `message` when `condition` is false.",
    ),
    (
        "average",
        "$average(array) → number",
        "The mean of an array of numbers.",
    ),
    (
        "base64decode",
        "$base64decode(str) → string",
        "Decodes a Base64 string (UTF-8).",
    ),
    (
        "base64encode",
        "$base64encode(str) → string",
        "Encodes a string as Base64 (UTF-8).",
    ),
    (
        "boolean",
        "$boolean(arg) → boolean",
        "Casts a value to a boolean with JSONata's rules.",
    ),
    (
        "ceil",
        "$ceil(number) → number",
        "Rounds up to the next integer.",
    ),
    ("clone", "$clone(arg) → value", "A deep copy of a value."),
    (
        "contains",
        "$contains(str, pattern) → boolean",
        "True when `str` contains `pattern` (a string or a regex).",
    ),
    ("count", "$count(array) → number", "The number of items."),
    (
        "decodeUrl",
        "$decodeUrl(str) → string",
        "Decodes a URL encoded by `$encodeUrl`.",
    ),
    (
        "decodeUrlComponent",
        "$decodeUrlComponent(str) → string",
        "Decodes a URL component.",
    ),
    (
        "distinct",
        "$distinct(array) → array",
        "The array without duplicate values.",
    ),
    (
        "each",
        "$each(object, function) → array",
        "Calls `function(value, key)` for each member and returns the results.",
    ),
    (
        "encodeUrl",
        "$encodeUrl(str) → string",
        "Percent-encodes a whole URL.",
    ),
    (
        "encodeUrlComponent",
        "$encodeUrlComponent(str) → string",
        "Percent-encodes a URL component.",
    ),
    (
        "error",
        "$error(message)",
        "Fails the evaluation with `message`.",
    ),
    (
        "exists",
        "$exists(arg) → boolean",
        "True when the expression has a value.",
    ),
    (
        "filter",
        "$filter(array, function) → array",
        "The items for which `function(value, index, array)` is true.",
    ),
    (
        "floor",
        "$floor(number) → number",
        "Rounds down to the previous integer.",
    ),
    (
        "formatBase",
        "$formatBase(number[, radix]) → string",
        "The number written in base `radix` (2 to 36).",
    ),
    (
        "formatInteger",
        "$formatInteger(number, picture) → string",
        "The integer written with an XPath picture string.",
    ),
    (
        "formatNumber",
        "$formatNumber(number, picture[, options]) → string",
        "The number written with an XPath decimal picture.",
    ),
    (
        "fromMillis",
        "$fromMillis(number[, picture[, timezone]]) → string",
        "Milliseconds since the epoch as an ISO 8601 (or pictured) timestamp.",
    ),
    (
        "join",
        "$join(array[, separator]) → string",
        "Joins an array of strings.",
    ),
    (
        "keys",
        "$keys(object) → array",
        "The keys of an object (or of the objects of an array).",
    ),
    (
        "length",
        "$length(str) → number",
        "The number of characters.",
    ),
    (
        "lookup",
        "$lookup(object, key) → value",
        "The value of `key` in the object.",
    ),
    (
        "lowercase",
        "$lowercase(str) → string",
        "The string in lowercase.",
    ),
    (
        "map",
        "$map(array, function) → array",
        "The results of `function(value, index, array)` for each item.",
    ),
    (
        "match",
        "$match(str, pattern[, limit]) → array",
        "The matches of a regex, with their index and groups.",
    ),
    ("max", "$max(array) → number", "The largest number."),
    (
        "merge",
        "$merge(array) → object",
        "Merges an array of objects into one (later keys win).",
    ),
    (
        "millis",
        "$millis() → number",
        "Milliseconds since the epoch, fixed for the evaluation.",
    ),
    ("min", "$min(array) → number", "The smallest number."),
    ("not", "$not(arg) → boolean", "The boolean negation."),
    (
        "now",
        "$now([picture[, timezone]]) → string",
        "The current time as an ISO 8601 (or pictured) timestamp.",
    ),
    (
        "number",
        "$number(arg) → number",
        "Casts a string or boolean to a number.",
    ),
    (
        "pad",
        "$pad(str, width[, char]) → string",
        "Pads to `width` characters (negative: on the left).",
    ),
    (
        "parseInteger",
        "$parseInteger(str, picture) → number",
        "Reads an integer written with an XPath picture string.",
    ),
    (
        "power",
        "$power(base, exponent) → number",
        "`base` raised to `exponent`.",
    ),
    (
        "reduce",
        "$reduce(array, function[, init]) → value",
        "Folds the array with `function(accumulator, value)`.",
    ),
    (
        "replace",
        "$replace(str, pattern, replacement[, limit]) → string",
        "Replaces occurrences of a string or regex.",
    ),
    (
        "reverse",
        "$reverse(array) → array",
        "The array in reverse order.",
    ),
    (
        "round",
        "$round(number[, precision]) → number",
        "Rounds half to even, to `precision` decimal places.",
    ),
    (
        "shuffle",
        "$shuffle(array) → array",
        "The array in random order.",
    ),
    (
        "sift",
        "$sift(object, function) → object",
        "The members for which `function(value, key)` is true.",
    ),
    (
        "single",
        "$single(array[, function]) → value",
        "The one item that matches; fails unless exactly one does.",
    ),
    (
        "sort",
        "$sort(array[, function]) → array",
        "The array sorted (by `function(left, right)`: true swaps).",
    ),
    (
        "split",
        "$split(str, separator[, limit]) → array",
        "Splits a string at a string or regex.",
    ),
    (
        "spread",
        "$spread(object) → array",
        "An array of single-member objects.",
    ),
    ("sqrt", "$sqrt(number) → number", "The square root."),
    (
        "string",
        "$string(arg[, prettify]) → string",
        "Casts a value to a string (objects and arrays as JSON).",
    ),
    (
        "substring",
        "$substring(str, start[, length]) → string",
        "Characters from `start` (negative: from the end).",
    ),
    (
        "substringAfter",
        "$substringAfter(str, chars) → string",
        "What follows the first occurrence of `chars`.",
    ),
    (
        "substringBefore",
        "$substringBefore(str, chars) → string",
        "What precedes the first occurrence of `chars`.",
    ),
    (
        "sum",
        "$sum(array) → number",
        "The sum of an array of numbers.",
    ),
    (
        "toMillis",
        "$toMillis(timestamp[, picture]) → number",
        "An ISO 8601 (or pictured) timestamp as milliseconds since the epoch.",
    ),
    (
        "trim",
        "$trim(str) → string",
        "Removes leading and trailing whitespace and collapses runs of it.",
    ),
    (
        "type",
        "$type(value) → string",
        "`null`, `number`, `string`, `boolean`, `array`, `object` or `function`.",
    ),
    (
        "uppercase",
        "$uppercase(str) → string",
        "The string in uppercase.",
    ),
    (
        "zip",
        "$zip(array1, ...) → array",
        "Convolves arrays: the first items together, then the second …",
    ),
    // Step Functions additions.
    (
        "hash",
        "$hash(value, algorithm) → string",
        "(Step Functions) Hashes with `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.",
    ),
    (
        "parse",
        "$parse(jsonString) → value",
        "(Step Functions) Parses a JSON string; use it instead of `$eval`.",
    ),
    (
        "partition",
        "$partition(array, chunkSize) → array",
        "(Step Functions) Splits an array into chunks of `chunkSize`.",
    ),
    (
        "random",
        "$random([seed]) → number",
        "(Step Functions) A random number in [0, 1); the same `seed` gives the same number.",
    ),
    (
        "range",
        "$range(start, end, step) → array",
        "(Step Functions) Numbers from `start` to `end` by `step`.",
    ),
    (
        "uuid",
        "$uuid() → string",
        "(Step Functions) A random version 4 UUID.",
    ),
];

/// The fields of `$states` in JSONata: name, description.
pub const STATES_FIELDS: &[(&str, &str)] = &[
    ("input", "The state's input."),
    ("context", "The context object (execution, state machine, state, task token, Map item)."),
    ("result", "The result of the Task, Parallel or Map state; only in its top-level `Output` and `Assign`."),
    ("errorOutput", "The error output of a failure; only in a catcher's `Output` and `Assign`."),
];

/// Predefined error names and what raises them.
pub const ERRORS: &[(&str, &str)] = &[
    ("States.ALL", "Matches any error name; must be alone and in the last retrier or catcher."),
    ("States.Timeout", "A task ran longer than `TimeoutSeconds` or missed a heartbeat, or the execution timed out."),
    ("States.TaskFailed", "A task failed; matches any error except `States.Timeout`."),
    ("States.Permissions", "The task had insufficient privileges to run its code."),
    ("States.ResultPathMatchFailure", "`ResultPath` cannot be applied to the input."),
    ("States.ParameterPathFailure", "A `.$` field of `Parameters` names a path that does not exist."),
    ("States.BranchFailed", "A branch of a Parallel state failed."),
    ("States.NoChoiceMatched", "No choice rule matched and there is no `Default`."),
    ("States.IntrinsicFailure", "An intrinsic function call failed."),
    ("States.ExceedToleratedFailureThreshold", "More items of a distributed Map failed than tolerated."),
    ("States.ItemReaderFailed", "A distributed Map could not read its items."),
    ("States.ResultWriterFailed", "A distributed Map could not write its results."),
    ("States.HeartbeatTimeout", "A task missed its heartbeat (`HeartbeatSeconds`)."),
    ("States.QueryEvaluationError", "A JSONata expression failed to evaluate."),
    ("States.Runtime", "A runtime error, such as a path that matches nothing; not retriable."),
    ("States.DataLimitExceeded", "An input or output exceeded the payload quota; not retriable."),
    ("States.Http.Socket", "An HTTP Task timed out (it is capped at 60 seconds) or its connection failed."),
];

/// Context-object paths and what they hold.
pub const CONTEXT_FIELDS: &[(&str, &str)] = &[
    ("$$.Execution.Id", "The execution ARN."),
    ("$$.Execution.Input", "The execution's input."),
    ("$$.Execution.Name", "The execution name."),
    ("$$.Execution.RoleArn", "The role the execution runs as."),
    ("$$.Execution.StartTime", "When the execution started."),
    (
        "$$.Execution.RedriveCount",
        "How many times the execution was redriven.",
    ),
    (
        "$$.Execution.RedriveTime",
        "When the execution was last redriven.",
    ),
    ("$$.State.Name", "The current state's name."),
    (
        "$$.State.EnteredTime",
        "When the current state was entered.",
    ),
    (
        "$$.State.RetryCount",
        "How many retries of the current state ran.",
    ),
    ("$$.StateMachine.Id", "The state machine ARN."),
    ("$$.StateMachine.Name", "The state machine name."),
    (
        "$$.Task.Token",
        "The task token (`.waitForTaskToken` integrations).",
    ),
    ("$$.Map.Item.Index", "The index of the current Map item."),
    ("$$.Map.Item.Value", "The value of the current Map item."),
];

/// `Resource` templates: ARN, what it does, the arguments it needs.
pub const RESOURCES: &[(&str, &str)] = &[
    (
        "arn:aws:states:::lambda:invoke",
        "Invoke a Lambda function (`FunctionName`, `Payload`).",
    ),
    (
        "arn:aws:states:::sns:publish",
        "Publish to an SNS topic (`TopicArn`, `Message`).",
    ),
    (
        "arn:aws:states:::sqs:sendMessage",
        "Send an SQS message (`QueueUrl`, `MessageBody`).",
    ),
    (
        "arn:aws:states:::states:startExecution.sync:2",
        "Start a nested state machine and wait for it (`StateMachineArn`, `Input`).",
    ),
    (
        "arn:aws:states:::dynamodb:putItem",
        "Put a DynamoDB item (`TableName`, `Item`).",
    ),
    (
        "arn:aws:states:::dynamodb:getItem",
        "Get a DynamoDB item (`TableName`, `Key`).",
    ),
    (
        "arn:aws:states:::ecs:runTask.sync",
        "Run an ECS task and wait for it (`Cluster`, `TaskDefinition`).",
    ),
    (
        "arn:aws:states:::glue:startJobRun.sync",
        "Run a Glue job and wait for it (`JobName`).",
    ),
    (
        "arn:aws:states:::events:putEvents",
        "Send events to EventBridge (`Entries`).",
    ),
    (
        "arn:aws:states:::http:invoke",
        "Call an HTTPS API (`ApiEndpoint`, `Method`, `Authentication`).",
    ),
    (
        "arn:aws:states:::bedrock:invokeModel",
        "Invoke a Bedrock model (`ModelId`, `Body`).",
    ),
    (
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Invoke a Lambda function and wait for `SendTaskSuccess` with `$$.Task.Token`.",
    ),
    (
        "arn:aws:lambda:REGION:ACCOUNT_ID:function:FUNCTION_NAME",
        "Invoke a Lambda function directly (legacy form).",
    ),
    (
        "arn:aws:states:REGION:ACCOUNT_ID:activity:ACTIVITY_NAME",
        "Wait for an activity worker.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_nested_scopes() {
        let w = walk(&["States", "P", "Branches", "0", "States", "B"]);
        assert_eq!(w.ctx, Ctx::State);
        assert_eq!(w.scope_len, 4);
        assert_eq!(w.state_at, Some(5));
        let w = walk(&["States", "M", "ItemProcessor", "ProcessorConfig"]);
        assert_eq!(w.ctx, Ctx::ProcessorConfig);
        let w = walk(&["States", "C", "Choices", "0", "And", "1"]);
        assert_eq!(w.ctx, Ctx::ChoiceRule);
        let w = walk(&["States", "T", "Parameters", "States"]);
        assert_eq!(w.ctx, Ctx::Payload);
        // A state may be called `States`.
        let w = walk(&["States", "States"]);
        assert_eq!(w.ctx, Ctx::State);
        assert_eq!(w.state_at, Some(1));
        assert_eq!(
            walk(&["States", "T", "Retry", "0", "ErrorEquals"]).ctx,
            Ctx::ErrorEquals
        );
    }

    #[test]
    fn fields_follow_type_and_query_language() {
        let jp = state_fields(Some(StateType::Task), QueryLanguage::JsonPath);
        assert!(jp.contains(&"Parameters") && !jp.contains(&"Arguments"));
        let ja = state_fields(Some(StateType::Task), QueryLanguage::Jsonata);
        assert!(ja.contains(&"Arguments") && ja.contains(&"Output") && !ja.contains(&"InputPath"));
        let fail = state_fields(Some(StateType::Fail), QueryLanguage::JsonPath);
        assert!(!fail.contains(&"Next") && !fail.contains(&"Assign"));
        let any = state_fields(None, QueryLanguage::JsonPath);
        assert!(any.contains(&"Branches") && any.contains(&"Seconds"));
    }

    #[test]
    fn describes_fields_by_context() {
        let root = crate::syntax::json::parse("{}").documents.remove(0).root;
        let d = describe_field(&root, "/States/A/Retry/0/BackoffRate").unwrap();
        assert!(d.contains("BackoffRate") && d.contains("≥ 1"), "{d}");
        assert!(describe_field(&root, "/States/A/Parameters/Foo").is_none());
        assert!(describe_field(&root, "/States/A/Parameters/Foo.$")
            .unwrap()
            .contains("`Foo`"));
        assert!(
            describe_field(&root, "/States/A/Choices/0/NumericLessThanPath")
                .unwrap()
                .contains("less than")
        );
        assert!(describe_field(&root, "/States/A").is_none());
    }

    #[test]
    fn prefers_the_schema_descriptions() {
        let root = crate::syntax::json::parse(
            r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}]}}}"#,
        )
        .documents
        .remove(0)
        .root;
        for ptr in [
            "/StartAt",
            "/States/A/Resource",
            "/States/A/Retry/0/MaxAttempts",
        ] {
            let schema = crate::schema::describe(&root, ptr).unwrap();
            let key = ptr.rsplit('/').next().unwrap();
            assert_eq!(
                describe_field(&root, ptr).unwrap(),
                format!("**`{key}`**: {schema}")
            );
        }
        // A state name is not a field, even though the schema describes it.
        assert!(crate::schema::describe(&root, "/States/A").is_some());
        assert!(describe_field(&root, "/States/A").is_none());
    }
}

#[cfg(test)]
mod consistency {
    //! The editor's tables describe the same things the rules check; these
    //! tests keep them from drifting apart.
    use super::{ERRORS, INTRINSICS, JSONATA_FUNCTIONS};
    use std::collections::BTreeSet;

    #[test]
    fn jsonata_functions_match_the_lists_of_the_rules() {
        use crate::jsonata::analysis::{BUILTIN_FUNCTIONS, STEP_FUNCTIONS_FUNCTIONS};
        let ours: BTreeSet<&str> = JSONATA_FUNCTIONS.iter().map(|f| f.0).collect();
        assert_eq!(ours.len(), JSONATA_FUNCTIONS.len(), "no name twice");
        let rules: BTreeSet<&str> = BUILTIN_FUNCTIONS
            .iter()
            .chain(STEP_FUNCTIONS_FUNCTIONS)
            .copied()
            .filter(|f| *f != "eval")
            .collect();
        assert_eq!(ours, rules);
        for (name, sig, _) in JSONATA_FUNCTIONS {
            assert!(sig.starts_with(&format!("${name}(")), "{sig}");
        }
    }

    #[test]
    fn intrinsics_match_the_function_table_of_the_rules() {
        let ours: BTreeSet<&str> = INTRINSICS.iter().map(|i| i.0).collect();
        let rules: BTreeSet<&str> = crate::paths::FUNCTIONS.iter().map(|f| f.name).collect();
        assert_eq!(ours, rules);
    }

    #[test]
    fn error_names_match_the_predefined_names_of_the_rules() {
        let ours: BTreeSet<&str> = ERRORS.iter().map(|e| e.0).collect();
        let rules: BTreeSet<&str> = crate::rules::util::errors::PREDEFINED
            .iter()
            .copied()
            .collect();
        assert_eq!(ours, rules);
    }
}
