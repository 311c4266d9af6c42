declare_rule! {
    /// ## What it does
    /// Notes a state machine of a CloudFormation, SAM or Serverless Framework
    /// template whose definition asl-lint cannot read, and says why: it is in
    /// S3 (`DefinitionS3Location`, an S3 `DefinitionUri`), it is computed at
    /// deploy time (`Fn::If`, `Fn::Transform`, a `Ref` to a parameter), or it
    /// is not a map or a string where one is expected.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong with the template as such, but its definition goes
    /// unchecked; the note keeps that from passing silently. Lint the file
    /// before it is uploaded, or keep the definition in the template.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "Resources": {
    ///     "Machine": {
    ///       "Type": "AWS::StepFunctions::StateMachine",
    ///       "Properties": {
    ///         "DefinitionS3Location": { "Bucket": "my-bucket", "Key": "machine.asl.json" }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "Resources": {
    ///     "Machine": {
    ///       "Type": "AWS::StepFunctions::StateMachine",
    ///       "Properties": {
    ///         "Definition": { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    pub static DEFINITION_NOT_LINTED = {
        code: "ASL004",
        name: "definition-not-linted",
        category: Syntax,
        severity: Info,
        summary: "a template's state machine definition cannot be read, and why",
        check: None,
    }
}
