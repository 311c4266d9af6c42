use crate::diagnostic::Fix;
use crate::rules::jsonpath_sites;
use crate::rules::util::edit;
use crate::rules::{LintContext, Sink};
use crate::syntax::Member;

declare_rule! {
    /// ## What it does
    /// In the payload templates and `Assign` of JSONPath states, flags a
    /// string that looks like a path (`$.x`, `$$.x`, `$var`) or an intrinsic
    /// call (`States.Format(…)`) under a key that does not end in `.$`
    /// (AWS's `NO_DOLLAR` warning). Offers to rename the key.
    ///
    /// Bare `$`/`$$`, `$LATEST`, prices such as `$5.00` and names such as
    /// `States.ALL` are left alone.
    ///
    /// ## Why is this bad?
    /// Without the suffix the string is passed on literally: the next state
    /// receives the text `"$.order.id"` instead of the order id.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id": "$.order.id" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id.$": "$.order.id" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static MISSING_DOLLAR_SUFFIX = {
        code: "ASL302",
        name: "missing-dollar-suffix",
        category: Data,
        severity: Warning,
        summary: "a path or intrinsic call under a key without `.$` is passed literally",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    jsonpath_sites::templates(cx.machine, |site| {
        let state = site.state.name;
        let field = &site.field;
        jsonpath_sites::objects(site.node, |members| {
            for m in members {
                if m.key.ends_with(".$") {
                    continue;
                }
                let Some(what) = m.value.as_str().and_then(jsonpath_sites::looks_dynamic) else {
                    continue;
                };
                let key = &m.key;
                let report = out
                    .report(
                        &MISSING_DOLLAR_SUFFIX,
                        m.key_range,
                        format!(
                            "`{key}` in `{field}` of state `{state}` holds {what}, but without the `.$` suffix it is passed as a literal string"
                        ),
                    )
                    .help(format!(
                        "rename the key to `{key}.$` so the value is evaluated"
                    ));
                if let Some(fix) = rename_fix(cx, m, members) {
                    report.fix(fix);
                }
            }
        });
    });
}

/// Appends `.$` to the key, in its quoting style (JSON, YAML plain or
/// quoted), when the key is written without escapes and no sibling already
/// has the new name.
fn rename_fix(cx: &LintContext<'_>, m: &Member, siblings: &[Member]) -> Option<Fix> {
    let new_key = format!("{}.$", m.key);
    if m.key.is_empty() || siblings.iter().any(|s| s.key == new_key) {
        return None;
    }
    edit::rename_key(
        cx.text(),
        m,
        &new_key,
        cx.file.format,
        format!("rename `{}` to `{new_key}`", m.key),
    )
}
