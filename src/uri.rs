//! Percent-encoding of file paths for URIs (SARIF artifact locations, LSP
//! document URIs).

/// Percent-encodes `path` for the path of a URI: unreserved characters and
/// `/` stay; with `keep_sub_delims`, so do `:` `@` and the sub-delimiters
/// `!$&'()*+,;=` (safe in an absolute URI's path, but `:` would read as a
/// scheme in the first segment of a relative reference). Everything else —
/// spaces, `#`, `%`, `?`, non-ASCII as UTF-8 bytes — is encoded.
pub fn encode_path(path: &str, keep_sub_delims: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_sub_delims
                && matches!(
                    b,
                    b':' | b'@'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                ));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn encodes_what_a_uri_path_cannot_hold() {
        assert_eq!(encode_path("/a b/#x%/é", true), "/a%20b/%23x%25/%C3%A9");
        assert_eq!(encode_path("c:/x@y", true), "c:/x@y");
        assert_eq!(encode_path("c:/x@y", false), "c%3A/x%40y");
    }
}
