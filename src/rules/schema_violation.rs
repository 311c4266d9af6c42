declare_rule! {
    /// ## What it does
    /// Checks the shape of the definition against the JSON Schema of Amazon
    /// States Language (`schemas/asl.schema.json`): field types, allowed
    /// values, required fields (`StartAt`, `States`, a state's `Type`, a
    /// Task's `Resource`, a Choice's `Choices`, a Parallel's `Branches`, a
    /// retrier's `ErrorEquals`, a catcher's `ErrorEquals` and `Next`) and
    /// simple numeric ranges. Unknown fields are reported by `unknown-field`.
    ///
    /// When a dedicated rule reports the same value (`retry-field-range` for
    /// a `BackoffRate` below 1, `choice-operand-type` for a quoted number,
    /// `wrong-query-language-field` for a JSONPath field in a JSONata state
    /// …), only that rule's finding is kept: it says more. Turn that rule off,
    /// or make it less severe than this one, and this one reports the value
    /// again.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects such a definition when it is created or updated
    /// (`SCHEMA_VALIDATION_FAILED`), so the deployment fails.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": "30",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": 30,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static SCHEMA_VIOLATION = {
        code: "ASL010",
        name: "schema-violation",
        category: Schema,
        severity: Error,
        summary: "a field has the wrong type or value, or a required field is missing",
        check: None,
    }
}
