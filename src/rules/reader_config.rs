use crate::model::StateType;
use crate::rules::util::{has_placeholder, integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the `ItemReader.ReaderConfig` of Distributed Map states:
    ///
    /// - an `s3:getObject` reader must say how to read the object with
    ///   `InputType` (except an S3 inventory manifest,
    ///   `"ManifestType": "S3_INVENTORY"`, whose format is known);
    /// - `"Transformation": "LOAD_AND_FLATTEN"` reads the files a listing or
    ///   manifest names, and needs their format in `InputType`;
    /// - `"ManifestType": "S3_INVENTORY"` must not have an `InputType`;
    /// - a Parquet file (`"InputType": "PARQUET"`) cannot be read at a
    ///   `VersionId`;
    /// - `"CSVHeaderLocation": "GIVEN"` needs a non-empty `CSVHeaders`;
    /// - `CSVHeaderLocation`, `CSVHeaders` and `CSVDelimiter` only apply when
    ///   `InputType` is `CSV` (or `MANIFEST`);
    /// - a literal `MaxItems` must be between 0 and 100,000,000 (the
    ///   specification asks for a positive integer, but an AWS sample deploys
    ///   `MaxItems: 0`, so 0 is accepted).
    ///
    /// ## Why is this bad?
    /// Step Functions rejects these readers (AWS's ItemReader documentation
    /// states each requirement): it cannot tell how to parse the object,
    /// where the column names of a CSV file come from, or how many items to
    /// read.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemReader": {
    ///         "Resource": "arn:aws:states:::s3:getObject",
    ///         "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "GIVEN" },
    ///         "Parameters": { "Bucket": "my-bucket", "Key": "items.csv" }
    ///       },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemReader": {
    ///         "Resource": "arn:aws:states:::s3:getObject",
    ///         "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "name"] },
    ///         "Parameters": { "Bucket": "my-bucket", "Key": "items.csv" }
    ///       },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static READER_CONFIG = {
        code: "ASL245",
        name: "reader-config",
        category: States,
        severity: Error,
        summary: "a Map `ItemReader.ReaderConfig` is incomplete or inconsistent",
        check: Some(check),
    }
}

const CSV_ONLY: &[&str] = &["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"];
const MAX_ITEMS: f64 = 100_000_000.0;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(reader) = state.node.member("ItemReader") else {
            continue;
        };
        if reader.value.as_object().is_none() {
            continue;
        }
        let config = reader.value.member("ReaderConfig");
        let config_obj = config.filter(|c| c.value.as_object().is_some());
        let input_type = config_obj.and_then(|c| c.value.get("InputType"));

        let get_object = reader
            .value
            .get("Resource")
            .and_then(|r| r.as_str())
            .is_some_and(|r| r.ends_with(":s3:getObject"));
        let inventory = config_obj
            .and_then(|c| c.value.get("ManifestType"))
            .and_then(|n| n.as_str())
            == Some("S3_INVENTORY");
        if get_object
            && !inventory
            && input_type.is_none()
            && (config.is_none() || config_obj.is_some())
        {
            out.report(
                &READER_CONFIG,
                config.map_or(reader.key_range, |c| c.key_range),
                format!(
                    "the `s3:getObject` reader of Map state `{}` does not set `InputType`",
                    state.name
                ),
            )
            .help("add `\"ReaderConfig\": { \"InputType\": \"JSON\" }` (or `CSV`, `JSONL`, `PARQUET`, `MANIFEST`) to say how to read the object");
        }

        let Some(config) = config_obj else { continue };
        let cfg = &config.value;

        if let Some(t) = cfg.member("Transformation") {
            if t.value.as_str() == Some("LOAD_AND_FLATTEN") && input_type.is_none() && !inventory {
                out.report(
                    &READER_CONFIG,
                    t.key_range,
                    format!(
                        "the reader of Map state `{}` uses `\"Transformation\": \"LOAD_AND_FLATTEN\"` without an `InputType`",
                        state.name
                    ),
                )
                .help("add the format of the files to read, e.g. `\"InputType\": \"JSON\"` (or `CSV`, `JSONL`, `PARQUET`)");
            }
        }

        if inventory {
            if let Some(m) = cfg.member("InputType") {
                out.report(
                    &READER_CONFIG,
                    m.key_range,
                    format!(
                        "the S3 inventory reader of Map state `{}` sets `InputType`, which an `S3_INVENTORY` manifest does not take",
                        state.name
                    ),
                )
                .help("remove `InputType`: Step Functions reads the inventory's format from its manifest");
            }
        }

        if input_type.and_then(|n| n.as_str()) == Some("PARQUET") {
            for args in ["Parameters", "Arguments"] {
                let Some(m) = reader.value.get(args).and_then(|a| a.as_object()) else {
                    continue;
                };
                for v in m
                    .iter()
                    .filter(|m| m.key == "VersionId" || m.key == "VersionId.$")
                {
                    out.report(
                        &READER_CONFIG,
                        v.key_range,
                        format!(
                            "the Parquet reader of Map state `{}` sets `{}`, but Parquet files cannot be read at a version",
                            state.name, v.key
                        ),
                    )
                    .help("remove the version; Step Functions reads the current version of a Parquet file");
                }
            }
        }

        if cfg.get("CSVHeaderLocation").and_then(|n| n.as_str()) == Some("GIVEN") {
            let headers = cfg.member("CSVHeaders");
            let empty = match headers {
                None => true,
                Some(h) => h.value.as_array().is_some_and(<[_]>::is_empty),
            };
            if empty {
                let at = headers.map_or_else(
                    || {
                        cfg.member("CSVHeaderLocation")
                            .map(|m| m.value.range)
                            .unwrap_or(config.key_range)
                    },
                    |h| h.value.range,
                );
                out.report(
                    &READER_CONFIG,
                    at,
                    format!(
                        "the CSV reader of Map state `{}` uses `\"CSVHeaderLocation\": \"GIVEN\"` without column names",
                        state.name
                    ),
                )
                .help("list the column names in `\"CSVHeaders\": [\"…\"]`, or use `\"CSVHeaderLocation\": \"FIRST_ROW\"`");
            }
        }

        if let Some(t) = input_type.and_then(|n| n.as_str()) {
            // A `${…}` placeholder may well be `CSV`.
            if !matches!(t, "CSV" | "MANIFEST") && !has_placeholder(t) {
                for m in cfg.as_object().unwrap_or(&[]) {
                    if CSV_ONLY.contains(&m.key.as_str()) {
                        out.report(
                            &READER_CONFIG,
                            m.key_range,
                            format!(
                                "`{}` of Map state `{}` only applies to CSV input, but `InputType` is `{t}`",
                                m.key, state.name
                            ),
                        )
                        .help("remove it, or set `\"InputType\": \"CSV\"`");
                    }
                }
            }
        }

        if let Some(node) = cfg.get("MaxItems") {
            if let Some(v) = integer(node) {
                if !(0.0..=MAX_ITEMS).contains(&v) {
                    out.report(
                        &READER_CONFIG,
                        node.range,
                        format!(
                            "`MaxItems` {} of Map state `{}` is not between 0 and 100000000",
                            show_number(v),
                            state.name
                        ),
                    )
                    .help("read at most 100,000,000 items, or remove `MaxItems` to read them all");
                }
            }
        }
    }
}
