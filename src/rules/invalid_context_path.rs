use crate::jsonata::analysis::context_paths;
use crate::model::{State, StateType};
use crate::paths::{self, PathKind};
use crate::rules::jsonpath_sites::{PathField, ValueMap};
use crate::rules::{closest, LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks context-object paths against the documented fields:
    /// `Execution.{Id, Input, Name, RoleArn, StartTime, RedriveCount,
    /// RedriveTime}`, `State.{EnteredTime, Name, RetryCount}`,
    /// `StateMachine.{Id, Name}`, `Task.Token` and `Map.Item.{Index, Value,
    /// Key, Source}`. Anything below `Execution.Input`, `Map.Item.Value` and
    /// `Map.Item.Source` is user data and not checked. Both forms are
    /// checked: `$$.…` in JSONPath states (path fields, `.$` template values
    /// and intrinsic arguments) and `$states.context.…` in the `{% … %}`
    /// expressions of JSONata states.
    ///
    /// `Task` is only in the context object of a Task state: `$$.Task.Token`
    /// (or `$states.context.Task.Token`) in a Pass, Choice, Wait, Map or
    /// Parallel state is reported too.
    ///
    /// This is a warning rather than an error: AWS says new context fields may
    /// appear, and it does not reject unknown ones when the definition is
    /// created.
    ///
    /// ## Why is this bad?
    /// A path to a field the context object does not have matches nothing,
    /// and the state fails at run time (`States.Runtime` in JSONPath; in
    /// JSONata the value is undefined, which fails the state or silently
    /// drops the field). The task token is only handed to Task states, for a
    /// worker to return with `SendTaskSuccess`; any other state reads
    /// nothing.
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
        summary: "a `$$.` or `$states.context.` path names a field the context object does not have",
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
    for parsed in cx.jsonpath_sites() {
        let site = &parsed.site;
        // `$$` in ResultPath is `invalid-path`'s finding.
        if site.field == Some(PathField::ResultPath) || !site.text.contains("$$") {
            continue;
        }
        let map = ValueMap::new(cx, site.node);
        parsed.paths(|p| {
            if p.kind != PathKind::Context {
                return;
            }
            let mut names = Vec::new();
            for seg in &p.segments {
                let Some(name) = seg.name() else {
                    break;
                };
                names.push((name, map.range(seg.span)));
            }
            let at = format!("{} of state `{}`", site.what, site.state.name);
            check_names(out, site.state, "$$", &names, &at);
        });
    }
    for parsed in cx.jsonata_sites() {
        let Some((e, expr)) = parsed.expr() else {
            continue;
        };
        if !e.text.contains("context") {
            continue;
        }
        let site = &parsed.site;
        for c in context_paths(expr) {
            let names: Vec<(&str, TextRange)> = c
                .names
                .iter()
                .take_while(|(_, span)| !e.touches_hole(*span))
                .map(|&(n, span)| (n, parsed.range(cx, span)))
                .collect();
            let at = format!("`{}` of state `{}`", site.field, site.state.name);
            check_names(out, site.state, "$states.context", &names, &at);
        }
    }
}

/// Checks the field names that follow the context object's root, written
/// `root` (`$$` or `$states.context`), with their file ranges.
fn check_names(
    out: &mut Sink<'_>,
    state: &State<'_>,
    root: &str,
    names: &[(&str, TextRange)],
    at: &str,
) {
    let mut field = &Field::Object(ROOT);
    let mut shown = String::from(root);
    for (i, &(name, range)) in names.iter().enumerate() {
        if paths::has_placeholder(name) {
            return;
        }
        if i == 0 && name == "Task" && state.state_type.is_some_and(|t| t != StateType::Task) {
            let ty = state.state_type.map_or("", StateType::as_str);
            out.report(
                &INVALID_CONTEXT_PATH,
                range,
                format!("the context object has `{root}.Task` only in Task states, not in {at}, a {ty} state"),
            )
            .help("the task token is handed only to a Task state whose `Resource` ends in `.waitForTaskToken`; read it in that state's parameters");
            return;
        }
        let children = match field {
            Field::Free => return,
            Field::Leaf => {
                out.report(
                    &INVALID_CONTEXT_PATH,
                    range,
                    format!("context field `{shown}` has no member `{name}` (in {at})"),
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
                    format!("the context object has no field `{shown}.{name}` (in {at})"),
                )
                .help(help);
                return;
            }
        }
        shown.push('.');
        shown.push_str(name);
    }
}
