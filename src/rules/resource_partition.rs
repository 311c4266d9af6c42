use crate::rules::util::arn::{partition_kind, PartitionKind};
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports Task `Resource` ARNs in an isolated partition (`aws-iso`,
    /// `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`), and definitions
    /// whose Task ARNs name different partitions.
    ///
    /// ## Why is this bad?
    /// A state machine lives in one partition and cannot call resources in
    /// another, so mixed partitions fail (usually an ARN copied from another
    /// environment). Isolated partitions exist but their Step Functions
    /// support is not documented publicly, so such ARNs cannot be checked;
    /// `arn:${AWS::Partition}:…` keeps a template portable.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "a" },
    ///       "Next": "B"
    ///     },
    ///     "B": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws-cn:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "b" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "a" },
    ///       "Next": "B"
    ///     },
    ///     "B": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "b" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static RESOURCE_PARTITION = {
        code: "ASL263",
        name: "resource-partition",
        category: States,
        severity: Warning,
        summary: "a Task ARN is in an isolated partition, or Task ARNs mix partitions",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    let mut first: Option<(&str, TextRange, &str)> = None;
    for task in cx.task_resources() {
        let Ok(parsed) = &task.parsed else { continue };
        let Some(p) = parsed.partition() else {
            continue;
        };
        let range = task.span(text, p.start, p.end());
        let name = task.state.name;
        match first {
            None => first = Some((p.text, range, name)),
            Some((fp, frange, fname)) if fp != p.text => {
                out.report(
                    &RESOURCE_PARTITION,
                    range,
                    format!(
                        "`Resource` of Task state `{name}` is in partition `{}`, but Task state `{fname}` uses `{fp}`",
                        p.text
                    ),
                )
                .related(frange, format!("partition `{fp}` here"))
                .help("a state machine runs in one partition and cannot call resources in another; use the same partition everywhere");
                continue;
            }
            Some(_) => {}
        }
        if partition_kind(p.text) == PartitionKind::Isolated {
            out.report(
                &RESOURCE_PARTITION,
                range,
                format!(
                    "`Resource` of Task state `{name}` is in the isolated partition `{}`",
                    p.text
                ),
            )
            .help("the integrations of isolated partitions are not documented publicly and are not checked; consider `arn:${AWS::Partition}:…` in a template");
        }
    }
}
