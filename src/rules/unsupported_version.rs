use crate::rules::util::{has_placeholder, replace_string_fix};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a top-level `Version` other than `"1.0"`.
    ///
    /// ## Why is this bad?
    /// `1.0` is the only version of Amazon States Language there is; the
    /// field is optional and defaults to it. Any other value is a typo or a
    /// version of something else (a template's, an API's) put in the wrong
    /// place, and AWS's own language service rejects it.
    ///
    /// This is a warning, not an error: whether Step Functions itself refuses
    /// another version string is not documented.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "Version": "2.0",
    ///   "StartAt": "Done",
    ///   "States": { "Done": { "Type": "Succeed" } }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "Version": "1.0",
    ///   "StartAt": "Done",
    ///   "States": { "Done": { "Type": "Succeed" } }
    /// }
    /// ```
    pub static UNSUPPORTED_VERSION = {
        code: "ASL013",
        name: "unsupported-version",
        category: Schema,
        severity: Warning,
        summary: "the top-level `Version` is not `1.0`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let Some(node) = cx.root.get("Version") else {
        return;
    };
    // Not a string: the schema reports the type.
    let Some(v) = node.as_str() else { return };
    if v == "1.0" || has_placeholder(v) {
        return;
    }
    let report = out
        .report(
            &UNSUPPORTED_VERSION,
            node.range,
            format!("`Version` is `{v}`, but Amazon States Language only has version `1.0`"),
        )
        .help("write `\"1.0\"`, or remove `Version` (it defaults to `1.0`)");
    if let Some(fix) =
        replace_string_fix(cx.text(), node, v, "1.0", "replace the version with `1.0`")
    {
        report.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    #[test]
    fn the_fix_writes_1_0() {
        let text = r#"{"Version": "1", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        let file = SourceFile::new("x.asl.json", text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&UNSUPPORTED_VERSION));
        assert_eq!(
            crate::diagnostic::apply_fixes(text, &diags),
            text.replace(r#""1""#, r#""1.0""#)
        );
    }
}
