use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports Parallel and Map states nested more than 10 levels deep
    /// (a Map inside a Parallel branch inside a Map … counts one level per
    /// Parallel or Map state). The limit is configurable:
    /// `max-nesting-depth = 6` in `asl-lint.toml`.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects definitions that are nested too deeply
    /// (`TOO_DEEPLY_NESTED`). The exact threshold is not documented, hence a
    /// warning; deep nesting is also hard to read and to monitor. Move inner
    /// levels into a separate state machine started with
    /// `arn:aws:states:::states:startExecution.sync`.
    ///
    /// ## Example
    /// Eleven Parallel states, each inside the only branch of the previous one.
    /// ```json
    /// { "StartAt": "P1", "States": { "P1": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P2", "States": { "P2": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P3", "States": { "P3": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P4", "States": { "P4": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P5", "States": { "P5": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P6", "States": { "P6": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P7", "States": { "P7": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P8", "States": { "P8": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P9", "States": { "P9": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P10", "States": { "P10": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "P11", "States": { "P11": { "Type": "Parallel", "End": true, "Branches": [
    ///   { "StartAt": "Leaf", "States": { "Leaf": { "Type": "Succeed" } } }
    ///   ] } } } ] } } } ] } } } ] } } } ] } } } ] } } } ] } } } ] } } } ] } } } ] } } } ] } } }
    /// ```
    pub static NESTING_TOO_DEEP = {
        code: "ASL251",
        name: "nesting-too-deep",
        category: States,
        severity: Warning,
        summary: "Parallel and Map states are nested too deeply",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let machine = cx.machine;
    let max = cx.settings.max_nesting_depth;
    // Scopes are created after the scope of the state owning them, so one
    // pass in order computes every depth.
    let mut depth = vec![0usize; machine.scopes.len()];
    for (i, scope) in machine.scopes.iter().enumerate() {
        if let Some(owner) = scope.owner {
            let parent = machine.state(owner).scope.0 as usize;
            depth[i] = depth.get(parent).copied().unwrap_or(0) + 1;
        }
    }
    for (i, scope) in machine.scopes.iter().enumerate() {
        let Some(owner) = scope.owner else { continue };
        let owner = machine.state(owner);
        // Report once, at the state that opens the first level too many.
        if depth[i] != max + 1 || owner.children.first() != Some(&scope.id) {
            continue;
        }
        out.report(
            &NESTING_TOO_DEEP,
            owner.name_range,
            format!(
                "state `{}` opens nesting level {}, deeper than {max} levels of Parallel and Map states",
                owner.name, depth[i]
            ),
        )
        .help("move the inner states into a separate state machine and start it with `arn:aws:states:::states:startExecution.sync`");
    }
}
