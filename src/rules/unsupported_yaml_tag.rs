declare_rule! {
    /// ## What it does
    /// Reports a YAML tag in a definition file (not a template) that nothing
    /// will resolve:
    ///
    /// - a tag asl-lint does not know (`Seconds: !custom 5`): it is ignored,
    ///   and the value is read as if it had no tag;
    /// - a CloudFormation short form (`!Ref`, `!Sub`, `!GetAtt` …): in a
    ///   template it stands for an intrinsic function, but a definition file
    ///   is not a template, so the value becomes an object such as
    ///   `{"Ref": "Start"}`. When that object is already reported (for
    ///   example "`StartAt` must be a string"), the tag is named in that
    ///   finding instead.
    ///
    /// Core tags (`!!str`, `!!int` …) and CloudFormation tags inside
    /// templates are fine. Files included by a Serverless Framework
    /// `${file(…)}` are not checked for CloudFormation tags: the framework
    /// resolves them.
    ///
    /// ## Why is this bad?
    /// Step Functions reads definitions as JSON. Whatever turns this YAML into
    /// JSON (a deployment tool, `DefinitionS3Location`, a converter) either
    /// refuses a tag it does not know or drops it, and nothing resolves
    /// CloudFormation functions outside a template: the deployed definition is
    /// not the one written here.
    ///
    /// ## Example
    /// ```yaml
    /// StartAt: Wait
    /// States:
    ///   Wait:
    ///     Type: Wait
    ///     Seconds: !custom 5
    ///     Next: Call
    ///   Call:
    ///     Type: Task
    ///     Resource: !GetAtt Function.Arn
    ///     End: true
    /// ```
    ///
    /// Use instead (the function's ARN filled in by `DefinitionSubstitutions`
    /// of the template that deploys the file):
    /// ```yaml
    /// StartAt: Wait
    /// States:
    ///   Wait:
    ///     Type: Wait
    ///     Seconds: 5
    ///     Next: Call
    ///   Call:
    ///     Type: Task
    ///     Resource: ${FunctionArn}
    ///     End: true
    /// ```
    pub static UNSUPPORTED_YAML_TAG = {
        code: "ASL007",
        name: "unsupported-yaml-tag",
        category: Syntax,
        severity: Warning,
        summary: "a YAML tag in a definition file that nothing resolves",
        check: None,
    }
}
