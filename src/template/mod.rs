//! Where definitions live: state machines inside CloudFormation and SAM
//! templates (CDK output included) and Serverless Framework files.
//!
//! This module sits between [`crate::syntax`] and [`crate::lint`]: it reads a
//! parsed document, decides what it is ([`classify`]) and finds the
//! definitions in it ([`extract`]); it reports nothing itself. Each
//! definition is one of
//!
//! - **in place** ([`Body::InPlace`]): a `Definition` object of the template,
//!   linted where it stands. Intrinsic functions inside it are replaced by
//!   placeholder strings of the same range (`{"Ref": "Fn"}` → `"${Fn}"`,
//!   `Fn::Sub` → its string) so rules see strings where the deployment puts
//!   values;
//! - **virtual text** ([`Body::Text`]): a `DefinitionString` (a string, an
//!   `Fn::Sub`, an `Fn::Join` as CDK writes it) reassembled into JSON text with
//!   a [`mapping::SourceMap`] back to the template's characters;
//! - **a file** ([`Body::File`]): SAM's `DefinitionUri` naming a local file
//!   (or the Serverless Framework's `${file(…)}`).
//!
//! What cannot be linted (a definition in S3, one computed by `Fn::If`) is a
//! [`Note`] saying why.

pub mod mapping;
pub mod placeholders;

use crate::settings::MachineType;
use crate::syntax::{pointer, Member, Node, TextRange, Value};
use mapping::{Builder, SourceMap};
use placeholders::{Known, PSEUDO_PARAMETERS};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The resource types that are state machines.
pub const STATE_MACHINE_TYPES: [&str; 2] = [
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
];

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A state machine definition (or something to lint as one).
    Definition,
    /// A CloudFormation or SAM template (CDK output included).
    CloudFormation,
    /// A Serverless Framework service with `stepFunctions.stateMachines`.
    Serverless,
}

/// Decides by content what `root` is: a definition (`StartAt`/`States`), a
/// template (`AWSTemplateFormatVersion`, or `Resources` holding a state
/// machine), a Serverless Framework file (`stepFunctions.stateMachines`), or
/// by default a definition.
pub fn classify(root: &Node) -> Kind {
    if root.get("StartAt").is_some() || root.get("States").is_some() {
        return Kind::Definition;
    }
    if root.get("AWSTemplateFormatVersion").is_some() || !machine_resources(root).is_empty() {
        return Kind::CloudFormation;
    }
    if serverless_machines(root).is_some() {
        return Kind::Serverless;
    }
    Kind::Definition
}

/// True when `root` is a template or Serverless file with at least one state
/// machine.
pub fn has_machines(root: &Node) -> bool {
    match classify(root) {
        Kind::Definition => false,
        Kind::CloudFormation => !machine_resources(root).is_empty(),
        Kind::Serverless => serverless_machines(root).is_some_and(|m| !m.is_empty()),
    }
}

/// The members of `Resources` whose `Type` is a state machine.
fn machine_resources(root: &Node) -> Vec<&Member> {
    let Some(resources) = root.get("Resources").and_then(Node::as_object) else {
        return Vec::new();
    };
    resources
        .iter()
        .filter(|m| {
            m.value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| STATE_MACHINE_TYPES.contains(&t))
        })
        .collect()
}

fn serverless_machines(root: &Node) -> Option<&[Member]> {
    root.get("stepFunctions")?.get("stateMachines")?.as_object()
}

/// A definition found in a template.
#[derive(Clone, Debug)]
pub struct Embedded {
    /// The state machine: a logical id, or a Serverless Framework name.
    pub machine: String,
    /// The JSON pointer of the property holding it
    /// (`/Resources/M/Properties/Definition`); findings' pointers are
    /// appended to it.
    pub pointer: String,
    pub body: Body,
    /// The machine's type when the template says it: CloudFormation's
    /// `StateMachineType`, SAM's `Type`, the Serverless Framework's `type`
    /// (`STANDARD` or `EXPRESS`, any case). `None` when it is not given or
    /// is computed at deploy time.
    pub machine_type: Option<MachineType>,
}

#[derive(Clone, Debug)]
pub enum Body {
    /// A definition object of the template.
    InPlace(InPlace),
    /// A definition reassembled from template strings.
    Text(Virtual),
    /// A local file: SAM `DefinitionUri`, Serverless `${file(…)}`.
    File(FileRef),
}

#[derive(Clone, Debug)]
pub struct InPlace {
    /// The definition, intrinsic functions replaced by strings.
    pub root: Node,
    /// Ranges of values only known at deploy time (intrinsic functions other
    /// than `Fn::Sub`): findings inside them say nothing true.
    pub placeholders: Vec<TextRange>,
    /// The names the definition's strings may use.
    pub known: Known,
    /// Strings that were `Fn::Sub` strings, with what they may use.
    pub sub_strings: Vec<(TextRange, Known)>,
}

#[derive(Clone, Debug)]
pub struct Virtual {
    /// The reassembled JSON text.
    pub text: String,
    pub map: SourceMap,
    /// Where the virtual text came from, in virtual offsets, in order.
    pub regions: Vec<(TextRange, Region)>,
    /// Intrinsic functions other than `Ref` and `Fn::GetAtt` that stand in
    /// the text (`Fn::If`, `Fn::Select` …): they may produce any text, so a
    /// text that does not parse is not necessarily wrong.
    pub computed: Vec<String>,
    /// The range of the property's key (`DefinitionString`).
    pub key: TextRange,
}

/// What a region of a virtual text is.
#[derive(Clone, Debug)]
pub enum Region {
    /// Text of a template string, with the names it may use.
    Text(Known),
    /// A placeholder made for an intrinsic function or a delimiter; never
    /// checked.
    Made,
}

#[derive(Clone, Debug)]
pub struct FileRef {
    /// The path as written, relative to the template's folder.
    pub uri: String,
    /// The range of the value naming it.
    pub range: TextRange,
    /// `DefinitionSubstitutions` keys, when known.
    pub substitutions: Option<Arc<BTreeSet<String>>>,
}

/// Something about a template that the user should know: a definition that
/// is not linted, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub machine: String,
    pub range: TextRange,
    pub message: String,
    pub help: String,
}

/// What [`extract`] found.
#[derive(Clone, Debug, Default)]
pub struct Extracted {
    pub definitions: Vec<Embedded>,
    pub notes: Vec<Note>,
}

/// Finds the definitions of a template or Serverless document. `text` is the
/// file's text and `yaml` whether it was read as YAML (string quoting
/// differs).
pub fn extract(text: &str, root: &Node, yaml: bool) -> Extracted {
    let mut out = Extracted::default();
    match classify(root) {
        Kind::Definition => {}
        Kind::CloudFormation => cloudformation(text, root, yaml, &mut out),
        Kind::Serverless => serverless(root, &mut out),
    }
    out
}

/// The names `Fn::Sub` resolves in this template besides its own variables.
fn template_names(root: &Node) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = PSEUDO_PARAMETERS.iter().map(|s| s.to_string()).collect();
    for section in ["Parameters", "Resources"] {
        if let Some(members) = root.get(section).and_then(Node::as_object) {
            names.extend(members.iter().map(|m| m.key.clone()));
        }
    }
    names
}

/// The single key of an intrinsic function object (`Ref`, `Fn::…`).
pub fn intrinsic(node: &Node) -> Option<&Member> {
    match node.as_object()? {
        [m] if m.key == "Ref" || m.key.starts_with("Fn::") => Some(m),
        _ => None,
    }
}

fn cloudformation(text: &str, root: &Node, yaml: bool, out: &mut Extracted) {
    let template = Arc::new(template_names(root));
    for resource in machine_resources(root) {
        let first = out.definitions.len();
        cloudformation_machine(text, resource, yaml, &template, out);
        let declared = resource.value.get("Properties").and_then(|props| {
            // `AWS::Serverless::StateMachine` names it `Type`.
            let field = match resource.value.get("Type").and_then(Node::as_str) {
                Some("AWS::Serverless::StateMachine") => "Type",
                _ => "StateMachineType",
            };
            declared_type(props.get(field)?)
        });
        for def in &mut out.definitions[first..] {
            def.machine_type = declared;
        }
    }
}

/// `STANDARD` or `EXPRESS` (any case), as a template declares a machine's type.
fn declared_type(node: &Node) -> Option<MachineType> {
    match node.as_str()?.to_ascii_uppercase().as_str() {
        "STANDARD" => Some(MachineType::Standard),
        "EXPRESS" => Some(MachineType::Express),
        _ => None,
    }
}

/// The definition of one CloudFormation/SAM state machine resource.
fn cloudformation_machine(
    text: &str,
    resource: &Member,
    yaml: bool,
    template: &Arc<BTreeSet<String>>,
    out: &mut Extracted,
) {
    let machine = resource.key.clone();
    let base = pointer::push("/Resources", &resource.key);
    let Some(props) = resource.value.get("Properties") else {
        out.notes.push(Note {
            machine: machine.clone(),
            range: resource.key_range,
            message: format!("state machine `{machine}` has no `Properties`; nothing to lint"),
            help: "give it a `Definition`, `DefinitionString` or `DefinitionUri`".into(),
        });
        return;
    };
    let base = pointer::push(&base, "Properties");
    if let Some(f) = intrinsic(props) {
        out.notes.push(Note {
            machine: machine.clone(),
            range: props.range,
            message: format!(
                "the `Properties` of state machine `{machine}` are computed by `{}` at deploy \
                 time; its definition is not linted",
                f.key
            ),
            help: "write the properties as a map, with the condition inside the values that \
                   differ, to have the definition linted"
                .into(),
        });
        return;
    }
    let Some(members) = props.as_object() else {
        out.notes.push(Note {
            machine: machine.clone(),
            range: props.range,
            message: format!(
                "the `Properties` of state machine `{machine}` are {}, not a map; there is \
                 no definition to lint",
                a_value(props)
            ),
            help: "write the properties as a map with `Definition`, `DefinitionString` or \
                   `DefinitionUri`"
                .into(),
        });
        return;
    };
    let substitutions = match props.get("DefinitionSubstitutions") {
        None => Some(Arc::new(BTreeSet::new())),
        Some(s) => s
            .as_object()
            .filter(|_| intrinsic(s).is_none())
            .map(|m| Arc::new(m.iter().map(|m| m.key.clone()).collect::<BTreeSet<_>>())),
    };
    let known = Known {
        substitutions: substitutions.clone(),
        sub: None,
    };
    let mut found = false;
    for m in members {
        let ptr = pointer::push(&base, &m.key);
        match m.key.as_str() {
            "Definition" => {
                found = true;
                definition_object(
                    &machine,
                    ptr,
                    m,
                    Kind::CloudFormation,
                    &known,
                    template,
                    out,
                );
            }
            "DefinitionString" => {
                found = true;
                match assemble(text, &m.value, yaml, &known, template) {
                    Ok(mut v) => out.definitions.push(Embedded {
                        machine: machine.clone(),
                        pointer: ptr,
                        machine_type: None,
                        body: Body::Text({
                            v.key = m.key_range;
                            v
                        }),
                    }),
                    Err(why) => out.notes.push(Note {
                        machine: machine.clone(),
                        range: m.key_range,
                        message: format!(
                            "the `DefinitionString` of state machine `{machine}` is not linted: {why}"
                        ),
                        help: "asl-lint reassembles strings, `Fn::Sub` and `Fn::Join` of \
                               strings and `Ref`/`Fn::GetAtt`; lint the deployed definition \
                               instead"
                            .into(),
                    }),
                }
            }
            "DefinitionUri" => {
                found = true;
                definition_uri(&machine, m, &substitutions, out);
            }
            "DefinitionS3Location" => {
                found = true;
                out.notes.push(in_s3(&machine, m));
            }
            _ => {}
        }
    }
    if !found {
        out.notes.push(Note {
            machine: machine.clone(),
            range: resource.key_range,
            message: format!("state machine `{machine}` has no definition to lint"),
            help: "it needs one of `Definition`, `DefinitionString`, `DefinitionUri` or \
                   `DefinitionS3Location`"
                .into(),
        });
    }
}

fn in_s3(machine: &str, m: &Member) -> Note {
    Note {
        machine: machine.to_string(),
        range: m.key_range,
        message: format!(
            "the definition of state machine `{machine}` is in S3 (`{}`); it is not linted",
            m.key
        ),
        help: "lint the file before it is uploaded, or point `DefinitionUri` at the local file"
            .into(),
    }
}

/// "a string", "a list", "null" …: how a value that is not a map is named.
fn a_value(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// An in-place definition: `Definition` of a CloudFormation or SAM
/// resource, or `definition` of a Serverless Framework state machine
/// (`kind` says which, for the notes).
fn definition_object(
    machine: &str,
    ptr: String,
    m: &Member,
    kind: Kind,
    known: &Known,
    template: &Arc<BTreeSet<String>>,
    out: &mut Extracted,
) {
    let key = &m.key;
    if let Some(f) = intrinsic(&m.value) {
        out.notes.push(Note {
            machine: machine.to_string(),
            range: m.key_range,
            message: format!(
                "the `{key}` of state machine `{machine}` is computed by `{}` at deploy time; \
                 it is not linted",
                f.key
            ),
            help: "write the definition as a map, or lint each alternative as its own file".into(),
        });
        return;
    }
    if m.value.as_object().is_none() {
        let text = m.value.as_str().unwrap_or("");
        let (message, help) = match kind {
            Kind::Serverless if text.trim_start().starts_with("${") => (
                format!(
                    "the `{key}` of state machine `{machine}` is the Serverless Framework variable \
                     `{text}`, resolved when the service is packaged; it is not linted"
                ),
                "write `${file(path/to/definition.asl.yaml)}` to have the file linted, or lint \
                 the definition where the variable points"
                    .to_string(),
            ),
            Kind::Serverless => (
                format!(
                    "the `{key}` of state machine `{machine}` is {}, not a map; it is not linted",
                    a_value(&m.value)
                ),
                "`definition` takes the definition as a map, or `${file(path)}` naming a JSON or \
                 YAML file"
                    .to_string(),
            ),
            _ => (
                format!(
                    "the `{key}` of state machine `{machine}` is {}, not a map; it is not linted",
                    a_value(&m.value)
                ),
                "`Definition` takes the definition as a map; JSON text goes in `DefinitionString`"
                    .to_string(),
            ),
        };
        out.notes.push(Note {
            machine: machine.to_string(),
            range: m.key_range,
            message,
            help,
        });
        return;
    }
    let mut rw = Rewrite {
        template,
        known,
        placeholders: Vec::new(),
        sub_strings: Vec::new(),
    };
    let root = rw.node(&m.value);
    out.definitions.push(Embedded {
        machine: machine.to_string(),
        pointer: ptr,
        machine_type: None,
        body: Body::InPlace(InPlace {
            root,
            placeholders: rw.placeholders,
            known: known.clone(),
            sub_strings: rw.sub_strings,
        }),
    });
}

fn definition_uri(
    machine: &str,
    m: &Member,
    substitutions: &Option<Arc<BTreeSet<String>>>,
    out: &mut Extracted,
) {
    match &m.value.value {
        Value::String(uri) if uri.starts_with("s3://") => out.notes.push(in_s3(machine, m)),
        Value::String(uri) => out.definitions.push(Embedded {
            machine: machine.to_string(),
            pointer: String::new(),
            machine_type: None,
            body: Body::File(FileRef {
                uri: uri.clone(),
                range: m.value.range,
                substitutions: substitutions.clone(),
            }),
        }),
        Value::Object(_) if intrinsic(&m.value).is_none() => out.notes.push(in_s3(machine, m)),
        _ => out.notes.push(Note {
            machine: machine.to_string(),
            range: m.key_range,
            message: format!(
                "the `DefinitionUri` of state machine `{machine}` is computed at deploy time; \
                 the definition is not linted"
            ),
            help: "name the local file with a plain string to have it linted".into(),
        }),
    }
}

/// Serverless Framework: `stepFunctions.stateMachines.<name>.definition`.
fn serverless(root: &Node, out: &mut Extracted) {
    let Some(machines) = serverless_machines(root) else {
        return;
    };
    let template = Arc::new(BTreeSet::new());
    // Serverless variables (`${self:…}`, `${opt:…}`) are resolved by the
    // framework from places asl-lint does not read: names are not checked.
    let known = Known::default();
    for m in machines {
        let first = out.definitions.len();
        serverless_machine(m, &known, &template, out);
        let declared = m.value.get("type").and_then(declared_type);
        for def in &mut out.definitions[first..] {
            def.machine_type = declared;
        }
    }
}

/// The definition of one Serverless Framework state machine.
fn serverless_machine(
    m: &Member,
    known: &Known,
    template: &Arc<BTreeSet<String>>,
    out: &mut Extracted,
) {
    let machine = m.key.clone();
    let base = pointer::push("/stepFunctions/stateMachines", &m.key);
    let Some(def) = m.value.member("definition") else {
        out.notes.push(Note {
            machine: machine.clone(),
            range: m.key_range,
            message: format!("state machine `{machine}` has no `definition` to lint"),
            help: "give it a `definition` map".into(),
        });
        return;
    };
    let ptr = pointer::push(&base, "definition");
    if let Some(path) = def
        .value
        .as_str()
        .and_then(|s| s.strip_prefix("${file(")?.strip_suffix(")}"))
    {
        out.definitions.push(Embedded {
            machine,
            pointer: String::new(),
            machine_type: None,
            body: Body::File(FileRef {
                uri: path.trim().to_string(),
                range: def.value.range,
                substitutions: None,
            }),
        });
        return;
    }
    definition_object(&machine, ptr, def, Kind::Serverless, known, template, out);
}

/// Replaces intrinsic functions inside an in-place definition.
struct Rewrite<'a> {
    template: &'a Arc<BTreeSet<String>>,
    known: &'a Known,
    placeholders: Vec<TextRange>,
    sub_strings: Vec<(TextRange, Known)>,
}

impl Rewrite<'_> {
    fn node(&mut self, node: &Node) -> Node {
        if let Some(f) = intrinsic(node) {
            if f.key == "Fn::Sub" {
                if let Some((s, vars)) = sub_parts(&f.value) {
                    let known = Known {
                        substitutions: self.known.substitutions.clone(),
                        sub: Some(self.sub_names(vars)),
                    };
                    self.sub_strings.push((s.range, known));
                    return s.clone();
                }
            }
            self.placeholders.push(node.range);
            return Node::new(node.range, Value::String(made_placeholder(f)));
        }
        match &node.value {
            Value::Object(members) => Node::new(
                node.range,
                Value::Object(
                    members
                        .iter()
                        .map(|m| Member {
                            key: m.key.clone(),
                            key_range: m.key_range,
                            value: self.node(&m.value),
                        })
                        .collect(),
                ),
            ),
            Value::Array(items) => Node::new(
                node.range,
                Value::Array(items.iter().map(|n| self.node(n)).collect()),
            ),
            _ => node.clone(),
        }
    }

    fn sub_names(&self, vars: Option<&Node>) -> Arc<BTreeSet<String>> {
        sub_names(self.template, vars)
    }
}

/// The names an `Fn::Sub` resolves: the template's, plus its variables.
fn sub_names(template: &Arc<BTreeSet<String>>, vars: Option<&Node>) -> Arc<BTreeSet<String>> {
    match vars.and_then(Node::as_object) {
        Some(members) if !members.is_empty() => {
            let mut names = (**template).clone();
            names.extend(members.iter().map(|m| m.key.clone()));
            Arc::new(names)
        }
        _ => template.clone(),
    }
}

/// `Fn::Sub`'s string, and its variable map when given (`[string, map]`).
fn sub_parts(value: &Node) -> Option<(&Node, Option<&Node>)> {
    match &value.value {
        Value::String(_) => Some((value, None)),
        Value::Array(items) => match items.as_slice() {
            [s, vars] if s.as_str().is_some() => Some((s, Some(vars))),
            [s] if s.as_str().is_some() => Some((s, None)),
            _ => None,
        },
        _ => None,
    }
}

/// The placeholder text standing for an intrinsic function: `${Name}` for
/// `Ref`, `${Name.Attribute}` for `Fn::GetAtt` (what `Fn::Sub` would write),
/// `${Fn::If}` for the others. Only characters that are safe inside a JSON
/// string are kept.
pub fn made_placeholder(f: &Member) -> String {
    let inner = match f.key.as_str() {
        "Ref" => f.value.as_str().map(str::to_string),
        "Fn::GetAtt" => match &f.value.value {
            Value::String(s) => Some(s.clone()),
            Value::Array(items) => {
                let parts: Option<Vec<&str>> = items.iter().map(Node::as_str).collect();
                parts.map(|p| p.join("."))
            }
            _ => None,
        },
        _ => None,
    }
    .unwrap_or_else(|| f.key.clone());
    let safe: String = inner
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
        .collect();
    format!("${{{safe}}}")
}

/// Reassembles a `DefinitionString` value into JSON text.
fn assemble(
    text: &str,
    value: &Node,
    yaml: bool,
    known: &Known,
    template: &Arc<BTreeSet<String>>,
) -> Result<Virtual, String> {
    let mut a = Assembler {
        b: Builder::new(text),
        regions: Vec::new(),
        computed: Vec::new(),
        yaml,
        known,
        template,
    };
    a.top(value)?;
    if a.b.is_empty() {
        // Nothing to map character by character: point at the value.
        a.b.push_opaque("", value.range);
    }
    let Assembler {
        b,
        regions,
        computed,
        ..
    } = a;
    let (text, map) = b.finish();
    Ok(Virtual {
        text,
        map,
        regions,
        computed,
        key: TextRange::default(),
    })
}

struct Assembler<'t, 'k> {
    b: Builder<'t>,
    regions: Vec<(TextRange, Region)>,
    computed: Vec<String>,
    yaml: bool,
    known: &'k Known,
    template: &'k Arc<BTreeSet<String>>,
}

impl Assembler<'_, '_> {
    fn top(&mut self, value: &Node) -> Result<(), String> {
        match &value.value {
            Value::String(_) => {
                self.string(value, self.known.clone());
                Ok(())
            }
            Value::Object(_) => match intrinsic(value) {
                Some(f) if f.key == "Fn::Sub" || f.key == "Fn::Join" => self.part(value),
                Some(f) => Err(format!("it is computed by `{}` at deploy time", f.key)),
                None => Err("it is a map, not a string".into()),
            },
            other => Err(format!("it is a {}, not a string", other.type_name())),
        }
    }

    fn string(&mut self, node: &Node, known: Known) {
        let start = self.b.len();
        self.b.push_string(node, self.yaml);
        self.regions
            .push((TextRange::new(start, self.b.len()), Region::Text(known)));
    }

    fn made(&mut self, text: &str, src: TextRange) {
        let start = self.b.len();
        self.b.push_opaque(text, src);
        self.regions
            .push((TextRange::new(start, self.b.len()), Region::Made));
    }

    /// One part of the text: a string, `Fn::Sub`, `Fn::Join`, or another
    /// intrinsic function (a placeholder).
    fn part(&mut self, node: &Node) -> Result<(), String> {
        if node.as_str().is_some() {
            self.string(node, self.known.clone());
            return Ok(());
        }
        let Some(f) = intrinsic(node) else {
            return Err(format!(
                "a part of it is a {}, which `Fn::Join` cannot join",
                node.type_name()
            ));
        };
        match f.key.as_str() {
            "Fn::Sub" => {
                let (s, vars) = sub_parts(&f.value)
                    .ok_or("its `Fn::Sub` does not take a string; the text is computed")?;
                let known = Known {
                    substitutions: self.known.substitutions.clone(),
                    sub: Some(sub_names(self.template, vars)),
                };
                self.string(s, known);
                Ok(())
            }
            "Fn::Join" => {
                let (delim, parts) = match f.value.as_array() {
                    Some([d, p]) => (d, p),
                    _ => return Err("its `Fn::Join` is not `[delimiter, [parts]]`".into()),
                };
                let Some(delim_text) = delim.as_str() else {
                    return Err("its `Fn::Join` delimiter is not a string".into());
                };
                let Some(parts) = parts.as_array() else {
                    return Err(
                        "its `Fn::Join` joins a list that is only known at deploy time".into(),
                    );
                };
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 && !delim_text.is_empty() {
                        self.made(delim_text, delim.range);
                    }
                    self.part(p)?;
                }
                Ok(())
            }
            _ => {
                if f.key != "Ref" && f.key != "Fn::GetAtt" && !self.computed.contains(&f.key) {
                    self.computed.push(f.key.clone());
                }
                self.made(&made_placeholder(f), node.range);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{json, yaml};

    fn parse(text: &str, is_yaml: bool) -> Node {
        let p = if is_yaml {
            yaml::parse(text)
        } else {
            json::parse(text)
        };
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.documents[0].root.clone()
    }

    #[test]
    fn classifies_by_content() {
        assert_eq!(
            classify(&parse(r#"{"StartAt": "A"}"#, false)),
            Kind::Definition
        );
        assert_eq!(
            classify(&parse(
                r#"{"AWSTemplateFormatVersion": "2010-09-09"}"#,
                false
            )),
            Kind::CloudFormation
        );
        let sam = "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n";
        assert_eq!(classify(&parse(sam, true)), Kind::CloudFormation);
        assert!(has_machines(&parse(sam, true)));
        let sls = "service: s\nstepFunctions:\n  stateMachines:\n    m:\n      definition: {}\n";
        assert_eq!(classify(&parse(sls, true)), Kind::Serverless);
        assert_eq!(classify(&parse("a: 1", true)), Kind::Definition);
        assert!(!has_machines(&parse(
            r#"{"AWSTemplateFormatVersion": "x", "Resources": {}}"#,
            false
        )));
    }

    #[test]
    fn join_with_intrinsics_becomes_placeholders() {
        let t = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:",
              {"Ref": "AWS::Partition"}, ":states:::lambda:invoke\",\"TimeoutSeconds\":", {"Ref": "T"},
              ",\"Parameters\":{\"FunctionName\":\"", {"Fn::GetAtt": ["Fn", "Arn"]}, "\"},\"End\":true}}}"]]}}}}}"#;
        let root = parse(t, false);
        let x = extract(t, &root, false);
        assert!(x.notes.is_empty(), "{:?}", x.notes);
        let Body::Text(v) = &x.definitions[0].body else {
            panic!("virtual text expected")
        };
        assert!(v
            .text
            .contains(r#""Resource":"arn:${AWS::Partition}:states:::lambda:invoke""#));
        assert!(v.text.contains(r#""TimeoutSeconds":${T},"#));
        assert!(v.text.contains(r#""FunctionName":"${Fn.Arn}""#));
        assert_eq!(
            x.definitions[0].pointer,
            "/Resources/M/Properties/DefinitionString"
        );
        let made = v
            .regions
            .iter()
            .filter(|(_, r)| matches!(r, Region::Made))
            .count();
        assert_eq!(made, 3);
    }

    #[test]
    fn in_place_definitions_replace_intrinsics() {
        let t = "Parameters:\n  P: {Type: String}\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        X: 1\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt Fn.Arn\n            Parameters:\n              Q: !Sub '${P}-${X}'\n            End: true\n";
        let root = parse(t, true);
        let x = extract(t, &root, true);
        let Body::InPlace(p) = &x.definitions[0].body else {
            panic!("in place expected")
        };
        let a = p.root.get("States").unwrap().get("A").unwrap();
        assert_eq!(a.get("Resource").unwrap().as_str(), Some("${Fn.Arn}"));
        assert_eq!(p.placeholders.len(), 1);
        assert_eq!(
            a.get("Parameters").unwrap().get("Q").unwrap().as_str(),
            Some("${P}-${X}")
        );
        assert_eq!(p.sub_strings.len(), 1);
        assert!(p.known.substitutions.as_ref().unwrap().contains("X"));
    }

    #[test]
    fn unlintable_definitions_are_noted() {
        let t = r#"{"Resources": {
            "A": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionS3Location": {"Bucket": "b", "Key": "k"}}},
            "B": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::If": ["C", "x", "y"]}}},
            "C": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "s3://b/k"}},
            "D": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "sm/d.asl.json"}},
            "E": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": "{}"}}}}"#;
        let root = parse(t, false);
        let x = extract(t, &root, false);
        let machines: Vec<&str> = x.notes.iter().map(|n| n.machine.as_str()).collect();
        assert_eq!(machines, ["A", "B", "C", "E"]);
        assert!(
            x.notes[1].message.contains("`Fn::If`"),
            "{}",
            x.notes[1].message
        );
        let Body::File(f) = &x.definitions[0].body else {
            panic!("file expected")
        };
        assert_eq!(f.uri, "sm/d.asl.json");
    }
}
