//! One petgraph per scope: nodes are the scope's states, edges its transitions
//! that name a state of the same scope.

use super::{Machine, StateId, TransitionKind};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct ScopeGraph {
    pub graph: DiGraph<StateId, TransitionKind>,
    pub index: HashMap<StateId, NodeIndex>,
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
            }
            for &sid in &scope.states {
                let state = machine.state(sid);
                for t in &state.transitions {
                    if let Some(&target) = scope.by_name.get(t.target) {
                        g.graph.add_edge(g.index[&sid], g.index[&target], t.kind);
                    }
                }
            }
            g
        })
        .collect()
}
