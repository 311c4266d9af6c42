//! The typed view of a state machine, built from the spanned tree.
//!
//! Scopes are the top level, each `Parallel` branch and each `Map`
//! `ItemProcessor` (or deprecated `Iterator`); each has its own `StartAt` and
//! `States`. The builder never fails: a state that is not an object, a `Next`
//! that is not a string or a `States` that is an array simply contribute less,
//! and the schema pass reports the broken shape.

use crate::syntax::json::placeholder_end;
use crate::syntax::{pointer, Node, TextRange};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn parse(s: &str) -> Option<QueryLanguage> {
        match s {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Pass,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];
    pub fn parse(s: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }
    /// Task, Pass, Wait, Parallel and Map need exactly one of `Next` and `End`.
    pub fn needs_transition(self) -> bool {
        matches!(
            self,
            StateType::Task
                | StateType::Pass
                | StateType::Wait
                | StateType::Parallel
                | StateType::Map
        )
    }
    /// Choice, Succeed and Fail carry neither `Next` nor `End`.
    pub fn forbids_next_and_end(self) -> bool {
        !self.needs_transition()
    }
    pub fn can_retry_or_catch(self) -> bool {
        matches!(self, StateType::Task | StateType::Parallel | StateType::Map)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The whole state machine.
    Root,
    /// `Branches[index]` of a Parallel state.
    Branch { index: usize },
    /// A Map's `ItemProcessor`.
    ItemProcessor,
    /// A Map's deprecated `Iterator`.
    Iterator,
}

/// One `StartAt` + `States` pair.
#[derive(Debug)]
pub struct Scope<'a> {
    pub id: ScopeId,
    pub kind: ScopeKind,
    /// The object holding `StartAt` and `States`.
    pub node: &'a Node,
    /// JSON pointer of `node`.
    pub pointer: String,
    /// The Parallel or Map state that owns this scope (`None` for the root).
    pub owner: Option<StateId>,
    /// The `StartAt` value, whatever its type.
    pub start_at: Option<&'a Node>,
    /// The `States` value, whatever its type.
    pub states_node: Option<&'a Node>,
    /// The states of this scope, in source order.
    pub states: Vec<StateId>,
    /// Name → first state of that name in this scope.
    pub by_name: HashMap<&'a str, StateId>,
    /// True for a Map processor whose `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub distributed: bool,
}

impl<'a> Scope<'a> {
    /// `StartAt` when it is a string.
    pub fn start_at_name(&self) -> Option<&'a str> {
        self.start_at.and_then(Node::as_str)
    }
    /// A short description for messages: "the top level", "branch 2 of `P`".
    pub fn describe(&self, machine: &Machine<'_>) -> String {
        let owner = self.owner.map(|o| machine.state(o).name).unwrap_or("");
        match self.kind {
            ScopeKind::Root => "the top level".to_string(),
            ScopeKind::Branch { index } => format!("branch {index} of `{owner}`"),
            ScopeKind::ItemProcessor => format!("the item processor of `{owner}`"),
            ScopeKind::Iterator => format!("the iterator of `{owner}`"),
        }
    }
}

/// Where a transition comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    Next,
    /// A Choice state's `Default`.
    Default,
    /// `Choices[i].Next`.
    Choice(usize),
    /// `Catch[i].Next`.
    Catch(usize),
}

impl TransitionKind {
    /// The field as a user would name it: `Next`, `Default`, `Choices[0].Next`.
    pub fn field(self) -> String {
        match self {
            TransitionKind::Next => "Next".into(),
            TransitionKind::Default => "Default".into(),
            TransitionKind::Choice(i) => format!("Choices[{i}].Next"),
            TransitionKind::Catch(i) => format!("Catch[{i}].Next"),
        }
    }
}

/// A transition whose target is a string.
#[derive(Clone, Debug)]
pub struct Transition<'a> {
    pub kind: TransitionKind,
    pub target: &'a str,
    /// The string node naming the target.
    pub node: &'a Node,
}

impl Transition<'_> {
    /// True when the target holds a deploy-time placeholder (see
    /// [`names_any_state`]).
    pub fn is_placeholder(&self) -> bool {
        has_placeholder(self.target)
    }
}

/// True when `name` holds a deploy-time `${…}` placeholder
/// (`DefinitionSubstitutions`, `Fn::Sub`, an intrinsic function of a
/// template, Terraform's `templatefile`): the state it names is only known
/// once the definition is deployed.
pub fn has_placeholder(name: &str) -> bool {
    // Each look may scan to the end of the string: a few looks keep it linear.
    const LOOKS: usize = 8;
    let bytes = name.as_bytes();
    let mut from = 0;
    for _ in 0..LOOKS {
        let Some(i) = name.get(from..).and_then(|t| t.find("${")) else {
            return false;
        };
        if placeholder_end(bytes, from + i).is_some() {
            return true;
        }
        from += i + 2;
    }
    false
}

/// True when a `StartAt` or transition target `name` may name any state of
/// `scope`: it names none of them exactly and holds a deploy-time
/// placeholder. Graph rules then count every state of the scope as a
/// possible target, and no rule reports the target as missing.
pub fn names_any_state(scope: &Scope<'_>, name: &str) -> bool {
    !scope.by_name.contains_key(name) && has_placeholder(name)
}

#[derive(Debug)]
pub struct State<'a> {
    pub id: StateId,
    pub name: &'a str,
    /// The key naming the state, quotes included.
    pub name_range: TextRange,
    /// The state's value (an object, unless the definition is broken).
    pub node: &'a Node,
    /// JSON pointer of `node`.
    pub pointer: String,
    pub scope: ScopeId,
    /// `None` when `Type` is missing, not a string or unknown.
    pub state_type: Option<StateType>,
    /// The state's own `QueryLanguage`, else the machine's, else JSONPath.
    pub query_language: QueryLanguage,
    pub transitions: Vec<Transition<'a>>,
    /// Scopes owned by this state (Parallel branches, Map processor).
    pub children: Vec<ScopeId>,
}

impl<'a> State<'a> {
    /// The value of the state's field `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }
    /// `"End": true`.
    pub fn has_end_true(&self) -> bool {
        self.get("End").and_then(Node::as_bool) == Some(true)
    }
    /// Succeed, Fail, or `"End": true`.
    pub fn is_terminal(&self) -> bool {
        matches!(self.state_type, Some(StateType::Succeed | StateType::Fail)) || self.has_end_true()
    }
    /// The pointer of one of this state's fields.
    pub fn field_pointer(&self, key: &str) -> String {
        pointer::push(&self.pointer, key)
    }
}

/// The state machine of one document.
#[derive(Debug)]
pub struct Machine<'a> {
    pub root: &'a Node,
    /// The top-level `QueryLanguage` (default JSONPath).
    pub query_language: QueryLanguage,
    /// Scope 0 is the root; the others follow in source order.
    pub scopes: Vec<Scope<'a>>,
    /// Every state of every scope, in source order (depth first).
    pub states: Vec<State<'a>>,
    /// Name → first state of that name anywhere in the machine (all scopes).
    pub all_by_name: HashMap<&'a str, StateId>,
    graphs: std::sync::OnceLock<Vec<graph::ScopeGraph>>,
}

pub mod graph;

impl<'a> Machine<'a> {
    /// Builds the model. Never fails; see the module docs.
    pub fn build(root: &'a Node) -> Machine<'a> {
        let query_language = root
            .get("QueryLanguage")
            .and_then(Node::as_str)
            .and_then(QueryLanguage::parse)
            .unwrap_or_default();
        let mut m = Machine {
            root,
            query_language,
            scopes: Vec::new(),
            states: Vec::new(),
            all_by_name: HashMap::new(),
            graphs: std::sync::OnceLock::new(),
        };
        m.add_scope(
            root,
            String::new(),
            ScopeKind::Root,
            None,
            false,
            query_language,
        );
        let mut all_by_name = HashMap::with_capacity(m.states.len());
        for s in &m.states {
            all_by_name.entry(s.name).or_insert(s.id);
        }
        m.all_by_name = all_by_name;
        m
    }

    pub fn state(&self, id: StateId) -> &State<'a> {
        &self.states[id.0 as usize]
    }
    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.0 as usize]
    }
    pub fn root_scope(&self) -> &Scope<'a> {
        &self.scopes[0]
    }
    /// The state named `name` in `scope`.
    pub fn find(&self, scope: ScopeId, name: &str) -> Option<&State<'a>> {
        self.scope(scope)
            .by_name
            .get(name)
            .map(|&id| self.state(id))
    }
    /// The first state named `name` in any scope (source order).
    pub fn find_anywhere(&self, name: &str) -> Option<&State<'a>> {
        self.all_by_name.get(name).map(|&id| self.state(id))
    }
    /// The states of one scope.
    pub fn states_of(&self, scope: ScopeId) -> impl Iterator<Item = &State<'a>> + '_ {
        self.scope(scope)
            .states
            .iter()
            .map(move |&id| self.state(id))
    }
    /// The transition graph of each scope, built once on first use.
    pub fn graph(&self, scope: ScopeId) -> &graph::ScopeGraph {
        &self.graphs.get_or_init(|| graph::build_all(self))[scope.0 as usize]
    }
    /// The Map or Parallel nesting depth of a scope (root is 0).
    pub fn depth(&self, mut scope: ScopeId) -> usize {
        let mut d = 0;
        while let Some(owner) = self.scope(scope).owner {
            d += 1;
            scope = self.state(owner).scope;
        }
        d
    }

    fn add_scope(
        &mut self,
        node: &'a Node,
        ptr: String,
        kind: ScopeKind,
        owner: Option<StateId>,
        distributed: bool,
        inherited_ql: QueryLanguage,
    ) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        let states_node = node.get("States");
        self.scopes.push(Scope {
            id,
            kind,
            node,
            pointer: ptr.clone(),
            owner,
            start_at: node.get("StartAt"),
            states_node,
            states: Vec::new(),
            by_name: HashMap::new(),
            distributed,
        });
        let Some(members) = states_node.and_then(Node::as_object) else {
            return id;
        };
        let states_ptr = pointer::push(&ptr, "States");
        for member in members {
            let sid = StateId(self.states.len() as u32);
            let node = &member.value;
            let state_ptr = pointer::push(&states_ptr, &member.key);
            let state_type = node
                .get("Type")
                .and_then(Node::as_str)
                .and_then(StateType::parse);
            let query_language = node
                .get("QueryLanguage")
                .and_then(Node::as_str)
                .and_then(QueryLanguage::parse)
                .unwrap_or(inherited_ql);
            let transitions = transitions_of(node, state_type);
            self.states.push(State {
                id: sid,
                name: &member.key,
                name_range: member.key_range,
                node,
                pointer: state_ptr.clone(),
                scope: id,
                state_type,
                query_language,
                transitions,
                children: Vec::new(),
            });
            let scope = &mut self.scopes[id.0 as usize];
            scope.states.push(sid);
            scope.by_name.entry(&member.key).or_insert(sid);

            // Inner scopes inherit the machine's query language, not the
            // state's: a state's QueryLanguage applies to that state only.
            let mut children = Vec::new();
            match state_type {
                Some(StateType::Parallel) => {
                    if let Some(branches) = node.get("Branches").and_then(Node::as_array) {
                        let bptr = pointer::push(&state_ptr, "Branches");
                        for (i, b) in branches.iter().enumerate() {
                            if b.as_object().is_some() {
                                let c = self.add_scope(
                                    b,
                                    pointer::push(&bptr, &i.to_string()),
                                    ScopeKind::Branch { index: i },
                                    Some(sid),
                                    false,
                                    self.query_language,
                                );
                                children.push(c);
                            }
                        }
                    }
                }
                Some(StateType::Map) => {
                    for (key, kind) in [
                        ("ItemProcessor", ScopeKind::ItemProcessor),
                        ("Iterator", ScopeKind::Iterator),
                    ] {
                        if let Some(p) = node.get(key).filter(|p| p.as_object().is_some()) {
                            let distributed = p
                                .get("ProcessorConfig")
                                .and_then(|c| c.get("Mode"))
                                .and_then(Node::as_str)
                                == Some("DISTRIBUTED");
                            let c = self.add_scope(
                                p,
                                pointer::push(&state_ptr, key),
                                kind,
                                Some(sid),
                                distributed,
                                self.query_language,
                            );
                            children.push(c);
                        }
                    }
                }
                _ => {}
            }
            self.states[sid.0 as usize].children = children;
        }
        id
    }
}

fn transitions_of<'a>(node: &'a Node, state_type: Option<StateType>) -> Vec<Transition<'a>> {
    let mut out = Vec::new();
    let mut push = |kind, n: Option<&'a Node>| {
        if let Some(n) = n {
            if let Some(target) = n.as_str() {
                out.push(Transition {
                    kind,
                    target,
                    node: n,
                });
            }
        }
    };
    push(TransitionKind::Next, node.get("Next"));
    if state_type == Some(StateType::Choice) || state_type.is_none() {
        push(TransitionKind::Default, node.get("Default"));
        if let Some(rules) = node.get("Choices").and_then(Node::as_array) {
            for (i, r) in rules.iter().enumerate() {
                push(TransitionKind::Choice(i), r.get("Next"));
            }
        }
    }
    if let Some(catchers) = node.get("Catch").and_then(Node::as_array) {
        for (i, c) in catchers.iter().enumerate() {
            push(TransitionKind::Catch(i), c.get("Next"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    #[test]
    fn builds_nested_scopes_with_pointers_and_query_languages() {
        let text = r#"{
          "QueryLanguage": "JSONata",
          "StartAt": "P",
          "States": {
            "P": { "Type": "Parallel", "Next": "M", "QueryLanguage": "JSONPath",
                   "Branches": [ { "StartAt": "B", "States": { "B": { "Type": "Succeed" } } } ],
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "F" } ] },
            "M": { "Type": "Map", "End": true,
                   "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED" },
                                      "StartAt": "I", "States": { "I": { "Type": "Pass", "End": true } } } },
            "F": "not an object",
            "C": { "Type": "Choice", "Choices": [ { "Next": "M" } ], "Default": 7 }
          }
        }"#;
        let root = json::parse(text).documents.remove(0).root;
        let m = Machine::build(&root);
        assert_eq!(m.scopes.len(), 3);
        assert_eq!(m.states.len(), 6);
        let p = m.find(ScopeId(0), "P").unwrap();
        assert_eq!(p.query_language, QueryLanguage::JsonPath);
        assert_eq!(p.transitions.len(), 2);
        assert_eq!(p.transitions[1].kind, TransitionKind::Catch(0));
        let b = m.find(ScopeId(1), "B").unwrap();
        assert_eq!(b.pointer, "/States/P/Branches/0/States/B");
        assert_eq!(b.query_language, QueryLanguage::Jsonata);
        assert!(b.is_terminal());
        let proc_scope = m.scope(m.find(ScopeId(0), "M").unwrap().children[0]);
        assert!(proc_scope.distributed);
        assert_eq!(proc_scope.describe(&m), "the item processor of `M`");
        let f = m.find(ScopeId(0), "F").unwrap();
        assert_eq!(f.state_type, None);
        let c = m.find(ScopeId(0), "C").unwrap();
        assert_eq!(
            c.transitions.len(),
            1,
            "a numeric Default is not a transition"
        );
        assert_eq!(m.depth(proc_scope.id), 1);
    }
}
