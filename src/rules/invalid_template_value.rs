use crate::diagnostic::Fix;
use crate::paths;
use crate::rules::jsonpath_sites::{self, Expr};
use crate::rules::util::edit;
use crate::rules::{LintContext, Sink};
use crate::syntax::{Member, TextRange};

declare_rule! {
    /// ## What it does
    /// In the payload templates of JSONPath states (`Parameters`,
    /// `ResultSelector`, `ItemSelector`, `Credentials`, ItemReader and
    /// ResultWriter `Parameters`, ItemBatcher `BatchInput`) and in JSONPath
    /// `Assign`, checks that every key ending in `.$` holds a string that is a
    /// Path (`$.x`), a context path (`$$.x`), a variable path (`$x`) or an
    /// intrinsic function call, at any nesting depth.
    ///
    /// Intrinsic calls are checked in detail by `intrinsic-function`.
    ///
    /// When the value is clearly meant literally (a number, a boolean, an
    /// object, or text such as `"hello world"` that is not a field reference
    /// missing its `$`), it offers to remove the `.$` suffix.
    ///
    /// ## Why is this bad?
    /// The `.$` suffix tells Step Functions to evaluate the value. A value
    /// that is not a path or an intrinsic call (a number, an empty string, a
    /// plain word) makes AWS reject the definition ("must be a valid JSONPath
    /// or a valid intrinsic function call").
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id.$": "order.id", "count.$": 3 }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id.$": "$.order.id", "count": 3 }, "End": true }
    ///   }
    /// }
    /// ```
    pub static INVALID_TEMPLATE_VALUE = {
        code: "ASL301",
        name: "invalid-template-value",
        category: Data,
        severity: Error,
        summary: "a `.$` template value is not a path or an intrinsic function call",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    jsonpath_sites::templates(cx.machine, |site| {
        let state = site.state.name;
        let field = &site.field;
        jsonpath_sites::objects(site.node, |members| {
            for m in members {
                let Some(name) = m.key.strip_suffix(".$") else {
                    continue;
                };
                let key = &m.key;
                if name.is_empty() {
                    out.report(
                        &INVALID_TEMPLATE_VALUE,
                        m.key_range,
                        format!("key `.$` in `{field}` of state `{state}` has no name"),
                    )
                    .help("write the field name before the suffix, e.g. `id.$`");
                }
                let Some(s) = m.value.as_str() else {
                    let report = out
                        .report(
                            &INVALID_TEMPLATE_VALUE,
                            m.value.range,
                            format!(
                                "`{key}` in `{field}` of state `{state}` must hold a path or an intrinsic function call, found {}",
                                m.value.type_name()
                            ),
                        )
                        .help(format!(
                            "to pass a literal value, rename the key to `{name}`"
                        ));
                    if let Some(fix) = literal_fix(cx, m, name, members) {
                        report.fix(fix);
                    }
                    continue;
                };
                if s.trim().is_empty() {
                    out.report(
                        &INVALID_TEMPLATE_VALUE,
                        m.value.range,
                        format!("`{key}` in `{field}` of state `{state}` is empty"),
                    )
                    .help("write a path such as `$.field`, or remove the `.$` suffix to pass a literal");
                    continue;
                }
                if paths::has_placeholder(s) {
                    continue;
                }
                // Parsed once for all the rules.
                let classified;
                let expr = match cx.jsonpath_expr(&m.value) {
                    Some(e) => e,
                    None => {
                        classified = jsonpath_sites::classify(s);
                        &classified
                    }
                };
                match expr {
                    Expr::Path(Err(e)) => {
                        let range = jsonpath_sites::inner_range(cx, &m.value, e.span());
                        out.report(
                            &INVALID_TEMPLATE_VALUE,
                            range,
                            format!(
                                "`{key}` in `{field}` of state `{state}` is not a valid path: {}",
                                e.message
                            ),
                        )
                        .help("write a path that starts with `$`, e.g. `$.field`, `$['a b']` or `$.items[0]`");
                    }
                    Expr::Path(Ok(_)) | Expr::Intrinsic(_) => {}
                    Expr::Other => {
                        let lead = s.len() - s.trim_start().len();
                        let range = jsonpath_sites::inner_range(
                            cx,
                            &m.value,
                            TextRange::new(lead, s.trim_end().len().max(lead)),
                        );
                        let report = out
                            .report(
                                &INVALID_TEMPLATE_VALUE,
                                range,
                                format!(
                                    "`{key}` in `{field}` of state `{state}` is neither a path nor an intrinsic function call"
                                ),
                            )
                            .help(literal_help(s.trim(), name));
                        if clearly_literal(s) {
                            if let Some(fix) = literal_fix(cx, m, name, members) {
                                report.fix(fix);
                            }
                        }
                    }
                }
            }
        });
    });
}

/// True when a string that is neither a path nor an intrinsic call reads as
/// text meant literally rather than a path missing its `$`: it is not a
/// dotted or bracketed field reference (`order.id`, `.x`, `[0]`, `@.x`) and
/// does not start like an intrinsic (`States.`).
fn clearly_literal(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() || t.starts_with(['.', '[', '@', '$']) || t.starts_with("States.") {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-');
    let dotted_path = t.contains('.') && t.split('.').all(|p| !p.is_empty() && p.chars().all(word));
    !dotted_path
}

/// Removes the `.$` suffix so the value is passed as it is, when the key is
/// written without escapes and no sibling already has the plain name.
fn literal_fix(cx: &LintContext<'_>, m: &Member, name: &str, siblings: &[Member]) -> Option<Fix> {
    if name.is_empty() || siblings.iter().any(|s| s.key == name) {
        return None;
    }
    edit::rename_key(
        cx.text(),
        m,
        name,
        cx.file.format,
        format!("rename `{}` to `{name}` to pass the value literally", m.key),
    )
}

fn literal_help(s: &str, name: &str) -> String {
    let simple = s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if simple && !s.starts_with('.') {
        format!("did you mean `$.{s}`? To pass the string literally, rename the key to `{name}`")
    } else {
        format!("start a path with `$`, or rename the key to `{name}` to pass the string literally")
    }
}
