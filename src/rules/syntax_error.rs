declare_rule! {
    /// ## What it does
    /// Reports a file that cannot be read as a definition: invalid JSON or
    /// YAML, invalid UTF-8, a UTF-16 file, an empty file, a binary file, or
    /// nesting deeper than asl-lint accepts.
    ///
    /// ## Why is this bad?
    /// Step Functions parses the definition as strict JSON (RFC 8259) and
    /// rejects it with `INVALID_JSON_DESCRIPTION`: no comments, no trailing
    /// commas, no single quotes. Nothing else can be checked until it parses.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" }, } }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    pub static SYNTAX_ERROR = {
        code: "ASL001",
        name: "syntax-error",
        category: Syntax,
        severity: Error,
        summary: "the file is not valid JSON or YAML",
        check: None,
    }
}
