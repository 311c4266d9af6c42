//! asl-lint: a linter, static analyzer and language server for Amazon States
//! Language, the JSON/YAML language of AWS Step Functions state machines.
//!
//! Data flows one way: bytes → [`syntax`] (spanned tree) → [`template`]
//! (definitions inside CloudFormation, SAM and Serverless files) → [`schema`] and
//! [`model`] (typed view, per-scope graphs) → [`rules`] → [`diagnostic`]s →
//! renderers and the language server.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod graph_render;
pub mod jsonata;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod output;
pub mod paths;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod template;
pub mod uri;

pub use lint::{lint_bytes, lint_reference, lint_source, FileReport, Reference, Selection};

/// Where rule documentation is published; each rule is an anchor on it.
pub const DOCS_URL: &str = "https://github.com/asl-lint/asl-lint/blob/main/docs/rules.md";
