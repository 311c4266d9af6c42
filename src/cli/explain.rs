//! `asl-lint explain RULE`: one rule's documentation, as Markdown.

use super::{did_you_mean, print, CliError, ExitStatus};
use crate::rules::{self, Rule};
use clap::Args;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule name (`duplicate-key`) or code (`ASL002`), in any case.
    #[arg(value_name = "RULE")]
    pub rule: String,
}

pub fn run(args: &ExplainArgs) -> Result<ExitStatus, CliError> {
    let rule = find(&args.rule)?;
    print(&explain(rule))?;
    Ok(ExitStatus::Success)
}

/// The rule named by `name_or_code`, or an error with a suggestion.
pub fn find(name_or_code: &str) -> Result<&'static Rule, CliError> {
    rules::lookup(name_or_code.trim()).ok_or_else(|| {
        let candidates = rules::ALL.iter().flat_map(|r| [r.name, r.code]);
        CliError(format!(
            "unknown rule `{}`{}",
            name_or_code,
            did_you_mean(name_or_code.trim(), candidates)
        ))
    })
}

/// `# name (CODE)`, category, default severity, then the docs.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# {} ({})\n\nCategory: {}\nDefault severity: {}\n\n{}",
        rule.name,
        rule.code,
        rule.category.as_str(),
        rule.default_severity,
        rule.docs_markdown()
    )
}
