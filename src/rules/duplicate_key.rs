use crate::rules::{LintContext, Sink};
use crate::syntax::{Member, Node, Value};
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
                // Most objects are small: comparing each key with the ones
                // before it is cheaper than hashing (and bounded: at most
                // SMALL² / 2 comparisons per object). Large ones use a map.
                let first_of = |i: usize, key: &str| -> Option<usize> {
                    members[..i].iter().position(|p| p.key == key)
                };
                if members.len() <= SMALL {
                    for (i, m) in members.iter().enumerate() {
                        if let Some(first) = first_of(i, &m.key) {
                            report(out, &members[first], m);
                        }
                    }
                } else {
                    seen.clear();
                    for (i, m) in members.iter().enumerate() {
                        if let Some(&first) = seen.get(m.key.as_str()) {
                            report(out, &members[first], m);
                        } else {
                            seen.insert(&m.key, i);
                        }
                    }
                }
                stack.extend(members.iter().rev().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// Objects with at most this many members are checked without a map.
const SMALL: usize = 16;

fn report(out: &mut Sink<'_>, first: &Member, dup: &Member) {
    out.report(
        &DUPLICATE_KEY,
        dup.key_range,
        format!("key `{}` appears more than once in this object", dup.key),
    )
    .related(first.key_range, "first defined here")
    .help("remove one of the copies; parsers keep only one of them");
}
