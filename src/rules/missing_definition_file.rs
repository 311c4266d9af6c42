declare_rule! {
    /// ## What it does
    /// Reports a SAM `DefinitionUri` (or a Serverless Framework
    /// `${file(…)}` definition) naming a local file that does not exist.
    /// Paths are relative to the template's folder, as `sam build` and
    /// `sam package` read them. An existing file is linted with the
    /// template's `DefinitionSubstitutions` known.
    ///
    /// ## Why is this bad?
    /// `sam build`, `sam deploy` and `sam package` fail when the definition
    /// file is missing, usually after a file was renamed or moved.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "Transform": "AWS::Serverless-2016-10-31",
    ///   "Resources": {
    ///     "Machine": {
    ///       "Type": "AWS::Serverless::StateMachine",
    ///       "Properties": { "DefinitionUri": "statemachine/no-such-file.asl.json" }
    ///     }
    ///   }
    /// }
    /// ```
    pub static MISSING_DEFINITION_FILE = {
        code: "ASL005",
        name: "missing-definition-file",
        category: Syntax,
        severity: Error,
        summary: "a `DefinitionUri` names a local file that does not exist",
        check: None,
    }
}
