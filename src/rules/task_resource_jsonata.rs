use crate::model::StateType;
use crate::rules::util::{is_jsonata, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose `Resource` is a JSONata expression
    /// (`{% … %}`).
    ///
    /// ## Why is this bad?
    /// `Resource` must be a constant string: Step Functions resolves it when
    /// the state machine is created, to check the integration and build its
    /// IAM policy. In a JSONata state only `Arguments`, `Output`, `Assign`
    /// and the other evaluated fields may hold expressions; in a JSONPath
    /// state `{% … %}` is just a string that is not an ARN. To choose a
    /// Lambda function at run time, call `arn:aws:states:::lambda:invoke`
    /// and compute `FunctionName` in `Arguments`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "{% $states.input.functionArn %}",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Arguments": { "FunctionName": "{% $states.input.functionArn %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_RESOURCE_JSONATA = {
        code: "ASL260",
        name: "task-resource-jsonata",
        category: States,
        severity: Error,
        summary: "a Task's `Resource` is a JSONata expression instead of a constant",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Task) {
        let Some(node) = state.get("Resource") else {
            continue;
        };
        let Some(value) = node.as_str() else { continue };
        if !is_jsonata(value) {
            continue;
        }
        let help = if value.contains("lambda") || value.contains("unction") {
            "use `arn:aws:states:::lambda:invoke` and compute `FunctionName` in `Arguments`"
        } else {
            "write the ARN as a constant and compute the call's parameters in `Arguments`"
        };
        out.report(
            &TASK_RESOURCE_JSONATA,
            node.range,
            format!(
                "`Resource` of Task state `{}` is a JSONata expression; it must be a constant",
                state.name
            ),
        )
        .help(help);
    }
}
