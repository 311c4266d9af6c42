declare_rule! {
    /// ## What it does
    /// Notes a `${Name}` placeholder in a definition that the deployment does
    /// not define, when the names it can use are known: the keys of the state
    /// machine's `DefinitionSubstitutions` (CloudFormation and SAM, for
    /// `Definition`, `DefinitionString` and `DefinitionUri` files), or inside
    /// an `Fn::Sub` string its variables, the template's parameters and
    /// resources (`${Res}`, `${Res.Attribute}`) and the pseudo parameters
    /// (`${AWS::Region}`, `${AWS::Partition}` …). Placeholders of other tools
    /// (Terraform, the Serverless Framework) are not judged.
    ///
    /// ## Why is this bad?
    /// An undefined placeholder is deployed as the literal text `${Name}`:
    /// the state machine then calls a resource named `${Name}` and fails at
    /// run time, or `Fn::Sub` makes the stack fail to deploy. It is usually
    /// a misspelt or forgotten substitution.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "Resources": {
    ///     "Machine": {
    ///       "Type": "AWS::StepFunctions::StateMachine",
    ///       "Properties": {
    ///         "DefinitionString": "{\"StartAt\": \"Call\", \"States\": {\"Call\": {\"Type\": \"Task\", \"Resource\": \"${FunctionArn}\", \"End\": true}}}",
    ///         "DefinitionSubstitutions": { "FunctionArm": "arn:aws:lambda:us-east-1:123456789012:function:f" }
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
    ///         "DefinitionString": "{\"StartAt\": \"Call\", \"States\": {\"Call\": {\"Type\": \"Task\", \"Resource\": \"${FunctionArn}\", \"End\": true}}}",
    ///         "DefinitionSubstitutions": { "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f" }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    pub static UNKNOWN_PLACEHOLDER = {
        code: "ASL006",
        name: "unknown-placeholder",
        category: Syntax,
        severity: Info,
        summary: "a `${…}` placeholder that the deployment does not define",
        check: None,
    }
}
