//! YAML 1.2 into the spanned tree (work in progress).

use super::{Parsed, SyntaxError, TextRange};

pub fn parse(text: &str) -> Parsed {
    Parsed {
        documents: Vec::new(),
        errors: vec![SyntaxError::new(
            "YAML is not supported yet",
            TextRange::empty(text.len().min(0)),
        )],
    }
}
