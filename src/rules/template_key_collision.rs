use crate::rules::jsonpath_sites;
use crate::rules::{LintContext, Sink};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Flags a payload template (or JSONPath `Assign`) object that has both a
    /// key `x` and a key `x.$`.
    ///
    /// ## Why is this bad?
    /// Both keys produce the output field `x`: one passes a literal, the other
    /// evaluates a path. Step Functions rejects such templates, and a reader
    /// cannot tell which value was meant.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id": "fixed", "id.$": "$.id" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": { "Type": "Pass", "Parameters": { "id.$": "$.id" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static TEMPLATE_KEY_COLLISION = {
        code: "ASL303",
        name: "template-key-collision",
        category: Data,
        severity: Error,
        summary: "a template has both `x` and `x.$`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    jsonpath_sites::templates(cx.machine, |site| {
        let state = site.state.name;
        let field = &site.field;
        jsonpath_sites::objects(site.node, |members| {
            seen.clear();
            for (i, m) in members.iter().enumerate() {
                let name = m.key.strip_suffix(".$").unwrap_or(&m.key);
                match seen.get(name) {
                    Some(&first) if members[first].key != m.key => {
                        let prev = &members[first];
                        out.report(
                            &TEMPLATE_KEY_COLLISION,
                            m.key_range,
                            format!(
                                "`{}` and `{}` in `{field}` of state `{state}` both produce the field `{name}`",
                                prev.key, m.key
                            ),
                        )
                        .related(prev.key_range, "the other key")
                        .help(format!(
                            "keep one of them: `{name}.$` evaluates a path, `{name}` passes a literal"
                        ));
                    }
                    Some(_) => {} // an exact duplicate: `duplicate-key` reports it
                    None => {
                        seen.insert(name, i);
                    }
                }
            }
        });
    });
}
