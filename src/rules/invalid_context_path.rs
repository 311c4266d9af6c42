use crate::paths::{self, PathKind};
use crate::rules::jsonpath_sites::{self, PathField};
use crate::rules::{closest, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks `$$.…` context-object paths in JSONPath states (path fields,
    /// `.$` template values and intrinsic arguments) against the documented
    /// fields: `Execution.{Id, Input, Name, RoleArn, StartTime, RedriveCount,
    /// RedriveTime}`, `State.{EnteredTime, Name, RetryCount}`,
    /// `StateMachine.{Id, Name}`, `Task.Token` and `Map.Item.{Index, Value,
    /// Key, Source}`. Anything below `Execution.Input`, `Map.Item.Value` and
    /// `Map.Item.Source` is user data and not checked.
    ///
    /// This is a warning rather than an error: AWS says new context fields may
    /// appear, and it does not reject unknown ones when the definition is
    /// created.
    ///
    /// ## Why is this bad?
    /// A path to a field the context object does not have matches nothing,
    /// and the state fails at run time with `States.Runtime`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Log",
    ///   "States": {
    ///     "Log": { "Type": "Pass", "Parameters": { "id.$": "$$.Execution.ID" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Log",
    ///   "States": {
    ///     "Log": { "Type": "Pass", "Parameters": { "id.$": "$$.Execution.Id" }, "End": true }
    ///   }
    /// }
    /// ```
    pub static INVALID_CONTEXT_PATH = {
        code: "ASL306",
        name: "invalid-context-path",
        category: Data,
        severity: Warning,
        summary: "a `$$.` path names a field the context object does not have",
        check: Some(check),
    }
}

/// A context-object field and what is below it.
enum Field {
    /// Has the listed children.
    Object(&'static [(&'static str, Field)]),
    /// A scalar: nothing below it.
    Leaf,
    /// User data: anything below it.
    Free,
}

static ROOT: &[(&str, Field)] = &[
    (
        "Execution",
        Field::Object(&[
            ("Id", Field::Leaf),
            ("Input", Field::Free),
            ("Name", Field::Leaf),
            ("RoleArn", Field::Leaf),
            ("StartTime", Field::Leaf),
            ("RedriveCount", Field::Leaf),
            ("RedriveTime", Field::Leaf),
        ]),
    ),
    (
        "State",
        Field::Object(&[
            ("EnteredTime", Field::Leaf),
            ("Name", Field::Leaf),
            ("RetryCount", Field::Leaf),
        ]),
    ),
    (
        "StateMachine",
        Field::Object(&[("Id", Field::Leaf), ("Name", Field::Leaf)]),
    ),
    ("Task", Field::Object(&[("Token", Field::Leaf)])),
    (
        "Map",
        Field::Object(&[(
            "Item",
            Field::Object(&[
                ("Index", Field::Leaf),
                ("Value", Field::Free),
                ("Key", Field::Leaf),
                ("Source", Field::Free),
            ]),
        )]),
    ),
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    jsonpath_sites::expressions(cx.machine, |site| {
        // `$$` in ResultPath is `invalid-path`'s finding.
        if site.field == Some(PathField::ResultPath) || !site.text.contains("$$") {
            return;
        }
        let state = site.state.name;
        jsonpath_sites::paths_in(site.text, site.intrinsics, |p| {
            if p.kind != PathKind::Context {
                return;
            }
            let mut field = &Field::Object(ROOT);
            let mut shown = String::from("$$");
            for seg in &p.segments {
                let Some(name) = seg.name() else {
                    return;
                };
                if paths::has_placeholder(name) {
                    return;
                }
                let range = jsonpath_sites::inner_range(cx, site.node, seg.span);
                let children = match field {
                    Field::Free => return,
                    Field::Leaf => {
                        out.report(
                            &INVALID_CONTEXT_PATH,
                            range,
                            format!(
                                "context field `{shown}` has no member `{name}` (in {} of state `{state}`)",
                                site.what
                            ),
                        )
                        .help(format!("`{shown}` is a single value; use `{shown}` itself"));
                        return;
                    }
                    Field::Object(children) => children,
                };
                match children.iter().find(|(n, _)| *n == name) {
                    Some((_, f)) => field = f,
                    None => {
                        let known: Vec<&str> = children.iter().map(|(n, _)| *n).collect();
                        let help = match closest(name, known.iter().copied()) {
                            Some(g) => format!("did you mean `{shown}.{g}`?"),
                            None => format!(
                                "`{shown}` has these fields: {}",
                                known
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        out.report(
                            &INVALID_CONTEXT_PATH,
                            range,
                            format!(
                                "the context object has no field `{shown}.{name}` (in {} of state `{state}`)",
                                site.what
                            ),
                        )
                        .help(help);
                        return;
                    }
                }
                shown.push('.');
                shown.push_str(name);
            }
        });
    });
}
