declare_rule! {
    /// ## What it does
    /// Reports a field that is not allowed where it appears: a key a state of
    /// that `Type` does not have, a misspelled or mis-cased field
    /// (`ResultsPath`, `outputPath`), an unknown key in a retrier, catcher,
    /// choice rule, `ItemReader`, `ItemBatcher`, `ResultWriter`, a Parallel
    /// branch or at the top level. Suggests the closest allowed name and,
    /// when it is the only close one, offers a fix that renames the key.
    ///
    /// A field that exists but belongs to the other query language
    /// (`Parameters` in a JSONata state) is reported by
    /// `wrong-query-language-field` instead.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition ("Field … is not supported"),
    /// and a misspelled optional field would otherwise silently do nothing.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "ResultsPath": "$.result",
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
    ///       "ResultPath": "$.result",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static UNKNOWN_FIELD = {
        code: "ASL011",
        name: "unknown-field",
        category: Schema,
        severity: Error,
        summary: "a field is not allowed where it appears",
        check: None,
    }
}
