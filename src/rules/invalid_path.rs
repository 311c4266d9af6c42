use crate::model::StateType;
use crate::paths::{self, PathKind};
use crate::rules::jsonpath_sites::{self, Expr, PathField};
use crate::rules::{LintContext, Sink};
use crate::syntax::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks the path fields of JSONPath states: `InputPath` and `OutputPath`
    /// must be Paths (or null); `ResultPath` (also in a Catcher) a Reference
    /// Path into the state's output (or null), never `$$…` or a variable;
    /// `ItemsPath`, every other `…Path` field (`TimeoutSecondsPath`,
    /// `SecondsPath`, `MaxItemsPath`, `ToleratedFailureCountPath` …) and the
    /// Choice `Variable` and `…Path` comparison operands Reference Paths; Fail
    /// `ErrorPath`/`CausePath` Reference Paths (or string-returning intrinsic
    /// calls, checked by `intrinsic-function`).
    ///
    /// A Reference Path names a single node: only `.name`, `['name']` and
    /// `[index]` steps, no `..`, `*`, filters, slices or unions.
    ///
    /// `ItemsPath` cannot be `null` (unlike `InputPath`, `OutputPath` and
    /// `ResultPath`, where `null` means an empty object or a discarded
    /// result): leave it out to iterate over the whole input.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition when a path does not parse, and a
    /// field that stores or reads one value cannot take a path that selects
    /// several. The finding points at the offending character.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "InputPath": "$.order items", "ResultPath": "$..saved", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": { "Type": "Pass", "InputPath": "$['order items']", "ResultPath": "$.saved", "End": true }
    ///   }
    /// }
    /// ```
    pub static INVALID_PATH = {
        code: "ASL300",
        name: "invalid-path",
        category: Data,
        severity: Error,
        summary: "a path field does not hold a valid Path or Reference Path",
        check: Some(check),
    }
}

const REFERENCE_HELP: &str =
    "a reference path starts with `$` and names one node with `.name`, `['name']` and `[index]` steps only, e.g. `$.items[0]['a b']`";
const PATH_HELP: &str =
    "a path starts with `$` and continues with steps such as `.name`, `['a b']`, `[0]`, `[*]` or `[?(@.x > 1)]`";

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in jsonpath_sites::jsonpath_states(cx.machine) {
        if state.state_type != Some(StateType::Map) {
            continue;
        }
        if let Some(items) = state.get("ItemsPath").filter(|n| n.is_null()) {
            out.report(
                &INVALID_PATH,
                items.range,
                format!("`ItemsPath` of state `{}` cannot be null", state.name),
            )
            .help("`ItemsPath` must be a reference path to the items; leave it out to iterate over the whole input (`$`)");
        }
    }
    for parsed in cx.jsonpath_sites() {
        let site = &parsed.site;
        let Some(kind) = site.field else {
            continue;
        };
        // Intrinsic calls in path fields are `intrinsic-function`'s findings.
        let Expr::Path(path) = &parsed.expr else {
            continue;
        };
        let s = site.text;
        let state = site.state.name;
        let field = &site.what.field;
        let (result, noun) = match kind {
            PathField::Path => (path.as_ref().map_err(Clone::clone), "path"),
            _ => (
                path.as_ref()
                    .map_err(Clone::clone)
                    .and_then(|p| match p.reference_error() {
                        Some(e) => Err(e),
                        None => Ok(p),
                    }),
                "reference path",
            ),
        };
        match result {
            Err(e) => {
                if paths::has_placeholder(s) {
                    continue;
                }
                let range = jsonpath_sites::inner_range(cx, site.node, e.span());
                let help = if kind == PathField::Path {
                    PATH_HELP
                } else {
                    REFERENCE_HELP
                };
                out.report(
                    &INVALID_PATH,
                    range,
                    format!(
                        "`{field}` of state `{state}` is not a valid {noun}: {}",
                        e.message
                    ),
                )
                .help(help);
            }
            Ok(p) if kind == PathField::ResultPath => {
                let what = match p.kind {
                    PathKind::Context => "the context object (`$$`)",
                    PathKind::Variable => "a variable",
                    _ => continue,
                };
                let end = p.variable.as_ref().map_or(2, |(_, r)| r.end());
                let range = jsonpath_sites::inner_range(cx, site.node, TextRange::new(0, end));
                out.report(
                    &INVALID_PATH,
                    range,
                    format!("`{field}` of state `{state}` cannot write into {what}"),
                )
                .help(match p.kind {
                    PathKind::Variable => {
                        "`ResultPath` places the result in the state output (`$…`); use `Assign` to set variables"
                    }
                    _ => "`ResultPath` places the result in the state output; start it with `$.` or use `$`",
                });
            }
            Ok(_) => {}
        }
    }
}
