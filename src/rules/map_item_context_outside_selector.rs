use crate::jsonata::analysis::context_paths;
use crate::model::StateType;
use crate::paths::PathKind;
use crate::rules::jsonpath_sites;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Flags `$$.Map.Item…` context paths in JSONPath states outside the
    /// `ItemSelector` (or deprecated `Parameters`) of a Map state, and
    /// `$states.context.Map…` in JSONata states outside a Map state's
    /// `ItemSelector`.
    ///
    /// ## Why is this bad?
    /// Step Functions fills `$$.Map.Item.Index`, `Value`, `Key` and `Source`
    /// only while it builds each item's input in the Map's `ItemSelector`.
    /// Elsewhere, including inside the item processor's states, the path
    /// matches nothing and the state fails at run time. Pass the values you
    /// need into the iteration through `ItemSelector` instead.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": {
    ///           "Work": { "Type": "Pass", "Parameters": { "index.$": "$$.Map.Item.Index" }, "End": true }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemSelector": { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value" },
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": {
    ///           "Work": { "Type": "Pass", "Parameters": { "index.$": "$.index" }, "End": true }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_ITEM_CONTEXT_OUTSIDE_SELECTOR = {
        code: "ASL307",
        name: "map-item-context-outside-selector",
        category: Data,
        severity: Warning,
        summary: "`$$.Map.Item` (`$states.context.Map.Item`) is used outside a Map state's `ItemSelector`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for parsed in cx.jsonpath_sites() {
        let site = &parsed.site;
        if site.map_selector || !site.text.contains("$$") {
            continue;
        }
        let state = site.state.name;
        parsed.paths(|p| {
            if p.kind != PathKind::Context {
                return;
            }
            let mut names = p.leading_names();
            let Some((first, first_span)) = names.next() else {
                return;
            };
            if first != "Map" {
                return;
            }
            let span = names
                .next()
                .map_or(first_span, |(_, s)| first_span.cover(s));
            let range = jsonpath_sites::inner_range(
                cx,
                site.node,
                crate::syntax::TextRange::new(p.span.start(), span.end()),
            );
            out.report(
                &MAP_ITEM_CONTEXT_OUTSIDE_SELECTOR,
                range,
                format!(
                    "`$$.Map` is only defined in the `ItemSelector` of a Map state, not in {} of state `{state}`",
                    site.what
                ),
            )
            .help("read `$$.Map.Item.Index`/`Value` in the Map's `ItemSelector` and pass them to the iteration as input fields");
        });
    }
    for parsed in cx.jsonata_sites() {
        let site = &parsed.site;
        let selector = site.state.state_type == Some(StateType::Map)
            && (site.field == "ItemSelector" || site.field.starts_with("ItemSelector."));
        if selector {
            continue;
        }
        let Some((e, expr)) = parsed.expr() else {
            continue;
        };
        if !e.text.contains("context") {
            continue;
        }
        for c in context_paths(expr) {
            let Some(&(first, first_span)) = c.names.first() else {
                continue;
            };
            if first != "Map" {
                continue;
            }
            let end = c.names.get(1).map_or(first_span, |n| n.1);
            out.report(
                &MAP_ITEM_CONTEXT_OUTSIDE_SELECTOR,
                parsed.range(cx, c.span.cover(end)),
                format!(
                    "`$states.context.Map` is only defined in the `ItemSelector` of a Map state, not in `{}` of state `{}`",
                    site.field, site.state.name
                ),
            )
            .help("read `$states.context.Map.Item.Index`/`Value` in the Map's `ItemSelector` and pass them to the iteration as input fields");
        }
    }
}
