use crate::diagnostic::{Edit, Fix};
use crate::model::State;
use crate::rules::util::edit;
use crate::rules::{LintContext, Sink};
use crate::syntax::Format;

declare_rule! {
    /// ## What it does
    /// Reports a Task, Pass, Wait, Parallel or Map state that has neither a
    /// `Next` nor `"End": true`, including one with `"End": false` and no
    /// `Next`. When it can be done with a plain text edit, it offers to make
    /// the state terminal with `"End": true`.
    ///
    /// ## Why is this bad?
    /// These state types must say where the execution goes next, or that it
    /// ends; Step Functions rejects the definition otherwise.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true }
    ///   }
    /// }
    /// ```
    pub static MISSING_NEXT_OR_END = {
        code: "ASL107",
        name: "missing-next-or-end",
        category: Graph,
        severity: Error,
        summary: "a Task, Pass, Wait, Parallel or Map state has neither `Next` nor `\"End\": true`",
        check: Some(check),
    }
}

/// Adds `End: true` after the last member of the state, in the file's
/// style: a line of its own indented like the members when they have their
/// own lines (JSON, YAML block or flow style), else on the same line.
fn insert_end(cx: &LintContext<'_>, state: &State<'_>) -> Option<Fix> {
    let format = cx.file.format;
    let e = edit::append_member(cx.text(), state.node, "End", "true", format)?;
    Some(Fix {
        title: match format {
            Format::Json => "add `\"End\": true`".into(),
            Format::Yaml => "add `End: true`".into(),
        },
        edits: vec![e],
    })
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for state in &m.states {
        if !state.state_type.is_some_and(|t| t.needs_transition()) || state.get("Next").is_some() {
            continue;
        }
        let end = state.get("End");
        let (message, fix) = match end.map(|e| (e, e.as_bool())) {
            None => (
                format!(
                    "state `{}` has neither `Next` nor `\"End\": true`",
                    state.name
                ),
                insert_end(cx, state),
            ),
            Some((node, Some(false))) => (
                format!("state `{}` has `\"End\": false` and no `Next`", state.name),
                Some(Fix {
                    title: "set `End` to `true`".into(),
                    edits: vec![Edit {
                        range: node.range,
                        replacement: "true".into(),
                    }],
                }),
            ),
            // `"End": true` is fine; a non-boolean `End` is a schema error.
            Some(_) => continue,
        };
        let report = out
            .report(&MISSING_NEXT_OR_END, state.name_range, message)
            .help(format!(
                "add `Next` naming the state that runs after it, or `\"End\": true` if it is the last state of {}",
                m.scope(state.scope).describe(m)
            ));
        if let Some(fix) = fix {
            report.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    /// Lints `text` with this rule only and applies every fix.
    fn fixed(path: &str, text: &str) -> String {
        let file = SourceFile::new(path, text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&MISSING_NEXT_OR_END));
        crate::diagnostic::apply_fixes(text, &diags)
    }

    #[test]
    fn fix_inserts_end_true_with_the_members_indentation() {
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Result\": { \"x\": 1 }\n    },\n    \"B\": { \"Type\": \"Wait\", \"Seconds\": 1 },\n    \"C\": { \"Type\": \"Pass\", \"End\": false }\n  }\n}";
        let out = fixed("x.asl.json", text);
        assert_eq!(
            out,
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Result\": { \"x\": 1 },\n      \"End\": true\n    },\n    \"B\": { \"Type\": \"Wait\", \"Seconds\": 1, \"End\": true },\n    \"C\": { \"Type\": \"Pass\", \"End\": true }\n  }\n}"
        );
        let again = SourceFile::new("x.asl.json", out);
        assert!(crate::lint_source(&again, &Settings::only(&MISSING_NEXT_OR_END)).is_empty());
    }

    #[test]
    fn fix_inserts_end_true_in_yaml_block_and_flow_style() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result:\n      x: 1 # one\n  B: {Type: Wait, Seconds: 1}\n  C:\n    Type: Pass\n    End: false\n";
        let out = fixed("x.asl.yaml", text);
        assert_eq!(
            out,
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result:\n      x: 1 # one\n    End: true\n  B: {Type: Wait, Seconds: 1, End: true}\n  C:\n    Type: Pass\n    End: true\n"
        );
        let again = SourceFile::new("x.asl.yaml", out);
        assert!(crate::lint_source(&again, &Settings::only(&MISSING_NEXT_OR_END)).is_empty());
    }
}
