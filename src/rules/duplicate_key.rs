use crate::rules::{LintContext, Sink};
use crate::syntax::{Node, Value};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports a key that appears twice in the same object, pointing at both.
    ///
    /// ## Why is this bad?
    /// JSON parsers silently keep one of the copies, and which one is not
    /// specified: the definition means different things to different tools,
    /// and one of the two values is ignored.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true, "Type": "Succeed" } } }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } }
    /// ```
    pub static DUPLICATE_KEY = {
        code: "ASL002",
        name: "duplicate-key",
        category: Syntax,
        severity: Error,
        summary: "the same key appears twice in one object",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    // Iterative walk: the tree depth is bounded, but there is no need to recurse.
    let mut stack: Vec<&Node> = vec![cx.root];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                seen.clear();
                for (i, m) in members.iter().enumerate() {
                    if let Some(&first) = seen.get(m.key.as_str()) {
                        let prev = &members[first];
                        out.report(
                            &DUPLICATE_KEY,
                            m.key_range,
                            format!("key `{}` appears more than once in this object", m.key),
                        )
                        .related(prev.key_range, "first defined here")
                        .help("remove one of the copies; parsers keep only one of them");
                    } else {
                        seen.insert(&m.key, i);
                    }
                }
                stack.extend(members.iter().rev().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}
