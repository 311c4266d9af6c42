//! JSON pointers (RFC 6901) over the spanned tree: from a pointer to a node, and
//! from a byte range back to the pointer of the node that holds it.

use super::{Node, TextRange, Value};

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_string();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + token.len() + 1);
    p.push_str(pointer);
    p.push('/');
    p.push_str(&escape(token));
    p
}

/// The node a pointer names, if any. `""` is the root.
pub fn resolve<'n>(root: &'n Node, pointer: &str) -> Option<&'n Node> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for raw in rest.split('/') {
        let token = unescape(raw);
        node = match &node.value {
            Value::Object(members) => &members.iter().find(|m| m.key == token)?.value,
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// The pointer of the innermost node (or object member, for a key) whose range
/// contains `range`. Members and items are in source order, so each level is a
/// binary search: O(depth · log width).
pub fn locate(root: &Node, range: TextRange) -> String {
    let mut pointer = String::new();
    let mut node = root;
    loop {
        match &node.value {
            Value::Object(members) => {
                let i = members.partition_point(|m| m.value.range.end < range.start);
                let Some(m) = members.get(i) else { break };
                let member_range = m.key_range.cover(m.value.range);
                if !member_range.contains_range(range) {
                    break;
                }
                pointer.push('/');
                pointer.push_str(&escape(&m.key));
                if m.key_range.contains_range(range) {
                    break;
                }
                node = &m.value;
            }
            Value::Array(items) => {
                let i = items.partition_point(|n| n.range.end < range.start);
                let Some(item) = items.get(i) else { break };
                if !item.range.contains_range(range) {
                    break;
                }
                pointer.push('/');
                pointer.push_str(&i.to_string());
                node = item;
            }
            _ => break,
        }
        if node.range == range {
            break;
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    fn tree(t: &str) -> Node {
        json::parse(t).documents.remove(0).root
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(unescape("~01"), "~1");
    }

    #[test]
    fn resolves_pointers() {
        let t = r#"{"States":{"Check Order":{"Next":"x"},"a/b":{"c~d":[1,2]}}}"#;
        let root = tree(t);
        let n = resolve(&root, "/States/Check Order/Next").unwrap();
        assert_eq!(n.as_str(), Some("x"));
        let n = resolve(&root, "/States/a~1b/c~0d/1").unwrap();
        assert_eq!(n.as_number().unwrap().raw(), "2");
        assert!(resolve(&root, "/States/missing").is_none());
        assert!(resolve(&root, "/States/a~1b/c~0d/01").is_none());
        assert!(resolve(&root, "States").is_none());
        assert_eq!(resolve(&root, "").unwrap().range, root.range);
    }

    #[test]
    fn locates_values_and_keys() {
        let t = r#"{"States":{"Check Order":{"Next":"x"},"a/b":{"c~d":[1,2]}}}"#;
        let root = tree(t);
        let next = resolve(&root, "/States/Check Order/Next").unwrap();
        assert_eq!(locate(&root, next.range), "/States/Check Order/Next");
        let two = resolve(&root, "/States/a~1b/c~0d/1").unwrap();
        assert_eq!(locate(&root, two.range), "/States/a~1b/c~0d/1");
        let key = t.find("\"a/b\"").unwrap();
        assert_eq!(locate(&root, TextRange::new(key, key + 5)), "/States/a~1b");
        assert_eq!(locate(&root, root.range), "");
        // A range inside a string value still names that value.
        let x = t.find("\"x\"").unwrap();
        assert_eq!(
            locate(&root, TextRange::new(x + 1, x + 2)),
            "/States/Check Order/Next"
        );
    }
}
