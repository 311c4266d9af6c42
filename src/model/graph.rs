//! One petgraph per scope: nodes are the scope's states, edges its transitions
//! that name a state of the same scope.
//!
//! Everything the graph rules need is computed here once per document, in
//! time linear in the number of states and transitions: reachability from
//! `StartAt`, which states can reach a terminal state, and the loops nothing
//! leaves. Node `i` of a scope's graph is the scope's `i`-th state in source
//! order, so per-node tables are plain vectors.
//!
//! A `StartAt` or transition whose target holds a deploy-time `${…}`
//! placeholder (and names no state exactly) may name any state of its scope
//! once deployed ([`super::names_any_state`]). It is not an edge: its
//! source is marked in [`ScopeGraph::wild`] (and a `StartAt` in
//! [`ScopeGraph::start_wild`]). A reachable wild source makes every state of
//! the scope reachable, a wild source reaches a terminal state when the scope
//! has one, and a loop with a wild source is not closed. This keeps the
//! tables linear: no edge to every state is ever added.

use super::{names_any_state, Machine, StateId, TransitionKind};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Default)]
pub struct ScopeGraph {
    pub graph: DiGraph<StateId, TransitionKind>,
    pub index: HashMap<StateId, NodeIndex>,
    /// The state `StartAt` names, when it is a state of this scope.
    pub start: Option<NodeIndex>,
    /// Per node: Succeed, Fail or `"End": true`.
    pub terminal: Vec<bool>,
    /// Per node: reachable from `start` along transitions (all false when
    /// `StartAt` is missing or names no state of the scope).
    pub reachable: Vec<bool>,
    /// Per node: some terminal state is reachable from it (terminals included).
    pub reaches_terminal: Vec<bool>,
    /// Per node: it has a transition whose target is not a state of this scope
    /// (misspelled, or in another scope). Such a state has an exit the graph
    /// does not show.
    pub dangling: Vec<bool>,
    /// Per node: it has a transition whose target is a deploy-time
    /// placeholder, which may name any state of the scope.
    pub wild: Vec<bool>,
    /// `StartAt` is a deploy-time placeholder: any state may be the first.
    pub start_wild: bool,
}

impl ScopeGraph {
    /// The state of a node.
    pub fn state(&self, node: NodeIndex) -> StateId {
        self.graph[node]
    }
    /// The node of a state of this scope.
    pub fn node(&self, state: StateId) -> Option<NodeIndex> {
        self.index.get(&state).copied()
    }
    /// True when the scope has at least one terminal state.
    pub fn has_terminal(&self) -> bool {
        self.terminal.iter().any(|&t| t)
    }
    /// True when some transition of the scope (a self-loop included) targets `node`.
    pub fn has_incoming(&self, node: NodeIndex) -> bool {
        self.graph
            .neighbors_directed(node, Direction::Incoming)
            .next()
            .is_some()
    }
    /// True when `node` is reachable from `StartAt`.
    pub fn is_reachable(&self, node: NodeIndex) -> bool {
        self.reachable.get(node.index()).copied().unwrap_or(false)
    }
    /// True when some state of the scope has a transition to a deploy-time
    /// placeholder, which may name `node` or any other state.
    pub fn has_wild(&self) -> bool {
        self.wild.iter().any(|&w| w)
    }

    /// The loops no transition leaves: strongly connected components that are
    /// reachable from `StartAt`, contain a cycle (two or more states, or a
    /// state that transitions to itself), have no edge to a state outside the
    /// component and contain no terminal state. Without an exit, no state of
    /// such a loop can reach a terminal state.
    ///
    /// Components with a dangling transition are left out: their exit may be
    /// the misspelled target, which another rule reports. So are components
    /// with a transition to a deploy-time placeholder, which may name a
    /// state outside the component. Each loop lists its
    /// states in source order, and loops are sorted by their first state.
    pub fn closed_loops(&self) -> Vec<Vec<StateId>> {
        let g = &self.graph;
        // Kosaraju is iterative: no recursion depth tied to the input.
        let sccs = petgraph::algo::kosaraju_scc(g);
        let mut component = vec![usize::MAX; g.node_count()];
        for (c, scc) in sccs.iter().enumerate() {
            for n in scc {
                component[n.index()] = c;
            }
        }
        let mut loops = Vec::new();
        for (c, scc) in sccs.iter().enumerate() {
            let Some(&first) = scc.first() else { continue };
            if !self.is_reachable(first) {
                continue;
            }
            let mut cyclic = scc.len() > 1;
            let mut closed = true;
            for &n in scc {
                if self.terminal[n.index()] || self.dangling[n.index()] || self.wild[n.index()] {
                    closed = false;
                    break;
                }
                for m in g.neighbors(n) {
                    if component[m.index()] != c {
                        closed = false;
                    } else if m == n {
                        cyclic = true;
                    }
                }
            }
            if cyclic && closed {
                let mut states: Vec<StateId> = scc.iter().map(|&n| g[n]).collect();
                states.sort_unstable();
                loops.push(states);
            }
        }
        loops.sort_unstable();
        loops
    }
}

/// Marks every node reachable from `from` following edges in `dir`.
fn flood(
    g: &DiGraph<StateId, TransitionKind>,
    from: impl IntoIterator<Item = NodeIndex>,
    dir: Direction,
) -> Vec<bool> {
    let mut seen = vec![false; g.node_count()];
    let mut queue = VecDeque::new();
    for n in from {
        if !seen[n.index()] {
            seen[n.index()] = true;
            queue.push_back(n);
        }
    }
    while let Some(n) = queue.pop_front() {
        for m in g.neighbors_directed(n, dir) {
            if !seen[m.index()] {
                seen[m.index()] = true;
                queue.push_back(m);
            }
        }
    }
    seen
}

pub fn build_all(machine: &Machine<'_>) -> Vec<ScopeGraph> {
    machine
        .scopes
        .iter()
        .map(|scope| {
            let mut g = ScopeGraph::default();
            for &sid in &scope.states {
                let ix = g.graph.add_node(sid);
                g.index.insert(sid, ix);
                g.terminal.push(machine.state(sid).is_terminal());
                g.dangling.push(false);
                g.wild.push(false);
            }
            for &sid in &scope.states {
                let state = machine.state(sid);
                let from = g.index[&sid];
                for t in &state.transitions {
                    if let Some(&target) = scope.by_name.get(t.target) {
                        g.graph.add_edge(from, g.index[&target], t.kind);
                    } else if t.is_placeholder() {
                        g.wild[from.index()] = true;
                    } else {
                        g.dangling[from.index()] = true;
                    }
                }
            }
            let start_name = scope.start_at_name();
            g.start = start_name
                .and_then(|name| scope.by_name.get(name))
                .and_then(|sid| g.index.get(sid).copied());
            g.start_wild = start_name.is_some_and(|name| names_any_state(scope, name));
            g.reachable = if g.start_wild {
                vec![true; g.graph.node_count()]
            } else {
                flood(&g.graph, g.start, Direction::Outgoing)
            };
            if g.reachable.iter().zip(&g.wild).any(|(&r, &w)| r && w) {
                // A reachable placeholder target may be any state.
                g.reachable.iter_mut().for_each(|r| *r = true);
            }
            let has_terminal = g.has_terminal();
            let ends = g
                .graph
                .node_indices()
                .filter(|n| g.terminal[n.index()] || (has_terminal && g.wild[n.index()]))
                .collect::<Vec<_>>();
            g.reaches_terminal = flood(&g.graph, ends, Direction::Incoming);
            g
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::{Machine, ScopeId};
    use crate::syntax::{json, Node};

    fn parse(text: &str) -> Node {
        json::parse(text).documents.remove(0).root
    }

    /// Names of the states whose entry in `table` is true, in source order.
    fn names<'a>(m: &'a Machine<'_>, scope: ScopeId, table: &[bool]) -> Vec<&'a str> {
        m.states_of(scope)
            .enumerate()
            .filter(|(i, _)| table[*i])
            .map(|(_, s)| s.name)
            .collect()
    }

    fn loop_names<'a>(m: &'a Machine<'_>, scope: ScopeId) -> Vec<Vec<&'a str>> {
        m.graph(scope)
            .closed_loops()
            .into_iter()
            .map(|l| l.into_iter().map(|s| m.state(s).name).collect())
            .collect()
    }

    #[test]
    fn reachability_terminals_and_closed_loops() {
        let root = parse(
            r#"{
              "StartAt": "A",
              "States": {
                "A": { "Type": "Choice", "Choices": [ { "Next": "B" } ], "Default": "L1" },
                "B": { "Type": "Task", "Next": "Done",
                       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Oops" } ] },
                "Done": { "Type": "Succeed" },
                "Oops": { "Type": "Fail" },
                "L1": { "Type": "Pass", "Next": "L2" },
                "L2": { "Type": "Wait", "Seconds": 1, "Next": "L1" },
                "Self": { "Type": "Pass", "Next": "Self" },
                "X": { "Type": "Pass", "Next": "Y" },
                "Y": { "Type": "Pass", "Next": "X" }
              }
            }"#,
        );
        let m = Machine::build(&root);
        let top = ScopeId(0);
        let g = m.graph(top);
        assert_eq!(g.start.map(|n| m.state(g.state(n)).name), Some("A"));
        assert!(g.has_terminal());
        assert_eq!(
            names(&m, top, &g.reachable),
            ["A", "B", "Done", "Oops", "L1", "L2"]
        );
        assert_eq!(names(&m, top, &g.terminal), ["Done", "Oops"]);
        assert_eq!(
            names(&m, top, &g.reaches_terminal),
            ["A", "B", "Done", "Oops"]
        );
        assert!(names(&m, top, &g.dangling).is_empty());
        // Unreachable loops (`Self`, `X`/`Y`) are not reported as closed loops.
        assert_eq!(loop_names(&m, top), [["L1", "L2"]]);
        let self_node = g.node(m.find(top, "Self").unwrap().id).unwrap();
        assert!(g.has_incoming(self_node), "a self-loop is an incoming edge");
        let a = g.node(m.find(top, "A").unwrap().id).unwrap();
        assert!(!g.has_incoming(a));
    }

    #[test]
    fn loops_with_an_exit_or_a_dangling_target_are_not_closed() {
        let root = parse(
            r#"{
              "StartAt": "Poll",
              "States": {
                "Poll": { "Type": "Task", "Resource": "arn", "Next": "Done?" },
                "Done?": { "Type": "Choice",
                           "Choices": [ { "Variable": "$.done", "BooleanEquals": true, "Next": "End" } ],
                           "Default": "Poll" },
                "End": { "Type": "Pass", "End": true },
                "Spin": { "Type": "Pass", "Next": "Spin" }
              }
            }"#,
        );
        let m = Machine::build(&root);
        assert!(loop_names(&m, ScopeId(0)).is_empty());
        let g = m.graph(ScopeId(0));
        assert_eq!(
            names(&m, ScopeId(0), &g.reaches_terminal),
            ["Poll", "Done?", "End"]
        );

        let root = parse(
            r#"{
              "StartAt": "A",
              "States": {
                "A": { "Type": "Pass", "Next": "B" },
                "B": { "Type": "Choice", "Choices": [ { "Next": "Finsh" } ], "Default": "A" },
                "Finish": { "Type": "Succeed" }
              }
            }"#,
        );
        let m = Machine::build(&root);
        let g = m.graph(ScopeId(0));
        assert_eq!(names(&m, ScopeId(0), &g.dangling), ["B"]);
        assert!(loop_names(&m, ScopeId(0)).is_empty());
    }

    #[test]
    fn a_self_loop_is_a_closed_loop_and_chains_into_loops_report_the_loop_only() {
        let root = parse(
            r#"{
              "StartAt": "A",
              "States": {
                "A": { "Type": "Pass", "Next": "B" },
                "B": { "Type": "Pass", "Next": "C" },
                "C": { "Type": "Wait", "Seconds": 5, "Next": "C" },
                "Z": { "Type": "Succeed" }
              }
            }"#,
        );
        let m = Machine::build(&root);
        assert_eq!(loop_names(&m, ScopeId(0)), [["C"]]);
    }

    #[test]
    fn missing_or_broken_start_reaches_nothing() {
        let root =
            parse(r#"{ "StartAt": "Nope", "States": { "A": { "Type": "Pass", "Next": "A" } } }"#);
        let m = Machine::build(&root);
        let g = m.graph(ScopeId(0));
        assert_eq!(g.start, None);
        assert_eq!(g.reachable, [false]);
        assert!(!g.has_terminal());
        assert!(g.closed_loops().is_empty());

        let root = parse(r#"{ "StartAt": 3, "States": [] }"#);
        let m = Machine::build(&root);
        let g = m.graph(ScopeId(0));
        assert_eq!(g.start, None);
        assert!(g.reachable.is_empty());
    }

    #[test]
    fn nested_scopes_have_their_own_graphs() {
        let root = parse(
            r#"{
              "StartAt": "P",
              "States": {
                "P": { "Type": "Parallel", "End": true, "Branches": [
                  { "StartAt": "B1", "States": { "B1": { "Type": "Pass", "Next": "P" } } },
                  { "StartAt": "B2", "States": { "B2": { "Type": "Pass", "End": true } } }
                ] }
              }
            }"#,
        );
        let m = Machine::build(&root);
        assert_eq!(m.scopes.len(), 3);
        let b0 = m.graph(ScopeId(1));
        assert_eq!(b0.dangling, [true], "`P` is not a state of the branch");
        assert_eq!(b0.reachable, [true]);
        assert!(!b0.has_terminal());
        assert_eq!(b0.graph.edge_count(), 0);
        let b1 = m.graph(ScopeId(2));
        assert_eq!(b1.reaches_terminal, [true]);
    }

    #[test]
    fn placeholder_targets_may_name_any_state() {
        let root = parse(
            r#"{
              "StartAt": "A",
              "States": {
                "A": { "Type": "Pass", "Next": "${Other}" },
                "B": { "Type": "Pass", "Next": "C" },
                "C": { "Type": "Succeed" },
                "L": { "Type": "Pass", "Next": "L2" },
                "L2": { "Type": "Pass", "Next": "Stage-${S}" },
                "${Next}": { "Type": "Pass", "Next": "${Next}" }
              }
            }"#,
        );
        let m = Machine::build(&root);
        let top = ScopeId(0);
        let g = m.graph(top);
        assert_eq!(names(&m, top, &g.wild), ["A", "L2"]);
        assert!(!g.start_wild);
        assert!(g.dangling.iter().all(|&d| !d));
        // `A` is reachable and its target may be any state.
        assert!(g.reachable.iter().all(|&r| r));
        // A wild source may lead to `C`; `${Next}` names a state exactly.
        assert_eq!(
            names(&m, top, &g.reaches_terminal),
            ["A", "B", "C", "L", "L2"]
        );
        assert!(g
            .closed_loops()
            .contains(&vec![m.find(top, "${Next}").unwrap().id]));
        assert_eq!(g.closed_loops().len(), 1, "`L` → `L2` may leave the loop");

        let root = parse(
            r#"{ "StartAt": "${First}", "States": { "A": { "Type": "Pass", "Next": "A" }, "B": { "Type": "Pass", "Next": "A" } } }"#,
        );
        let m = Machine::build(&root);
        let g = m.graph(ScopeId(0));
        assert!(g.start_wild);
        assert_eq!(g.start, None);
        assert_eq!(g.reachable, [true, true]);
        assert_eq!(g.reaches_terminal, [false, false], "no terminal to reach");

        // An unreachable wild source reaches nothing.
        let root = parse(
            r#"{ "StartAt": "A", "States": { "A": { "Type": "Succeed" }, "B": { "Type": "Pass", "Next": "${X}" }, "C": { "Type": "Succeed" } } }"#,
        );
        let m = Machine::build(&root);
        let g = m.graph(ScopeId(0));
        assert_eq!(g.reachable, [true, false, false]);
        assert_eq!(g.reaches_terminal, [true, true, true]);
    }

    #[test]
    fn placeholders_are_closed_dollar_braces() {
        use crate::model::has_placeholder;
        assert!(has_placeholder("${X}"));
        assert!(has_placeholder("Step-${Stage}-a"));
        assert!(has_placeholder("${${X}"));
        assert!(!has_placeholder("${X"));
        assert!(!has_placeholder("$X"));
        assert!(!has_placeholder("{X}"));
        assert!(!has_placeholder(""));
        // Many unclosed openings stay cheap.
        assert!(!has_placeholder(&"${".repeat(100_000)));
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let n = 20_000;
        let mut text = String::from(r#"{ "StartAt": "S0", "States": {"#);
        for i in 0..n {
            text.push_str(&format!(
                r#""S{i}": {{ "Type": "Pass", "Next": "S{}" }},"#,
                i + 1
            ));
        }
        text.push_str(&format!(
            r#""S{n}": {{ "Type": "Pass", "Next": "S0" }} }} }}"#
        ));
        let root = parse(&text);
        let m = Machine::build(&root);
        let loops = m.graph(ScopeId(0)).closed_loops();
        assert_eq!(loops.len(), 1);
        assert_eq!(loops[0].len(), n + 1);
    }
}
