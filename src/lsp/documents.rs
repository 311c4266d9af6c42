//! The documents the client has open: text, version, language id, line index,
//! the parsed tree, and the diagnostics last published for them.

use super::convert::{self, LineMap};
use crate::diagnostic::Diagnostic;
use crate::source::{Encoding, LineIndex, SourceFile};
use crate::syntax::{self, Format, Node, Parsed, TextRange};
use crate::template;
use lsp_types::{Range, Uri};
use std::collections::HashMap;

/// One open document.
pub struct Document {
    pub uri: Uri,
    pub language_id: String,
    pub version: i32,
    pub text: String,
    pub line_index: LineIndex,
    pub format: Format,
    /// The tree of the current text (no documents when it does not parse).
    pub parsed: Parsed,
    /// The tree of the latest text that parsed, kept while the current text
    /// does not: completion reads state names and types from it while the
    /// user is typing.
    pub last_good: Option<Parsed>,
    /// Whether asl-lint attaches to this document (see [`Document::attach`]).
    pub is_asl: bool,
    /// Whether diagnostics were published for it (so closing must clear them).
    pub published: bool,
    /// The diagnostics of the last lint of the current text.
    pub diagnostics: Vec<Diagnostic>,
    /// The state machines written in place in a template (`Definition`
    /// objects of CloudFormation/SAM, Serverless `definition` maps), which
    /// the editor features read; kept from the last text that parsed.
    pub embedded: Vec<EmbeddedMachine>,
    /// True when the text changed since the last [`Document::refresh`].
    stale: bool,
}

/// A state machine written in place inside a template.
pub struct EmbeddedMachine {
    /// Its logical id (or Serverless name).
    pub machine: String,
    /// The JSON pointer of the property (`/Resources/M/Properties/Definition`).
    pub pointer: String,
    /// The definition, intrinsic functions replaced by strings of the same
    /// range (see [`crate::template::InPlace`]): ranges are the template's.
    pub root: Node,
    /// The key of the property that holds it (`Definition`).
    pub key_range: TextRange,
}

impl EmbeddedMachine {
    /// The property, key to value.
    pub fn range(&self) -> TextRange {
        self.key_range.cover(self.root.range)
    }
}

impl Document {
    pub fn new(uri: Uri, language_id: String, version: i32, text: String) -> Document {
        let format = format_of(&language_id, &convert::uri_file_name(&uri), &text);
        let mut doc = Document {
            uri,
            language_id,
            version,
            line_index: LineIndex::new(""),
            text: String::new(),
            format,
            parsed: Parsed::default(),
            last_good: None,
            is_asl: false,
            published: false,
            diagnostics: Vec::new(),
            embedded: Vec::new(),
            stale: true,
        };
        doc.set_text(text, version);
        doc.refresh();
        doc
    }

    /// Replaces the whole text. Cheap: the text is parsed by
    /// [`Document::refresh`], once per burst of changes.
    pub fn set_text(&mut self, text: String, version: i32) {
        self.version = version;
        self.text = text;
        self.stale = true;
    }

    /// Brings the line index, the tree and the attach decision up to date
    /// with the text.
    pub fn refresh(&mut self) {
        if !self.stale {
            return;
        }
        self.stale = false;
        self.line_index = LineIndex::new(&self.text);
        self.diagnostics.clear();
        if !self.may_attach() {
            // Any other JSON or YAML file the client shows us: not parsed.
            self.parsed = Parsed::default();
            self.last_good = None;
            self.embedded.clear();
            self.is_asl = false;
            return;
        }
        let parsed = syntax::parse(&self.text, self.format);
        let previous = std::mem::replace(&mut self.parsed, parsed);
        if !self.parsed.documents.is_empty() {
            dispose(self.last_good.take());
            dispose(Some(previous));
            self.embedded = embedded_machines(&self.text, &self.parsed, self.format);
        } else if !previous.documents.is_empty() {
            dispose(self.last_good.replace(previous));
        }
        self.is_asl = self.attach();
    }

    /// Moves the text and its line index into a [`SourceFile`] for the
    /// linter, without copying them; [`Document::put_back`] returns them.
    pub fn take_source_file(&mut self) -> SourceFile {
        let path = self.source_path();
        let mut file = SourceFile::with_format(path, String::new(), self.format);
        file.text = std::mem::take(&mut self.text);
        file.line_index = std::mem::replace(&mut self.line_index, LineIndex::new(""));
        file
    }

    /// Takes back what [`Document::take_source_file`] lent.
    pub fn put_back(&mut self, file: SourceFile) {
        self.text = file.text;
        self.line_index = file.line_index;
    }

    /// True when the language id or name says ASL (whatever the content).
    fn named_asl(&self) -> bool {
        if matches!(self.language_id.as_str(), "asl" | "asl-yaml") {
            return true;
        }
        let name = convert::uri_file_name(&self.uri).to_ascii_lowercase();
        name.ends_with(".asl.json") || name.ends_with(".asl.yaml") || name.ends_with(".asl.yml")
    }

    /// Cheap test before parsing: a document named ASL, one already
    /// attached, or a text that mentions a state machine (both `StartAt` and
    /// `States`, a state machine resource type, or Serverless
    /// `stateMachines`). Clients that send every JSON and YAML file cost a
    /// substring search per change for the others.
    fn may_attach(&self) -> bool {
        self.named_asl()
            || self.is_asl
            || crate::lint::mentions_machine(&self.text)
            || self.text.contains("stateMachines")
    }

    /// The embedded machine whose property contains `offset`.
    pub fn embedded_at(&self, offset: usize) -> Option<&EmbeddedMachine> {
        self.embedded
            .iter()
            .find(|e| e.range().start() <= offset && offset <= e.range().end())
    }

    /// Applies one change: with a range, replaces that range (clamped);
    /// without, replaces everything.
    pub fn apply_change(
        &mut self,
        range: Option<Range>,
        text: String,
        enc: Encoding,
        version: i32,
    ) {
        match range {
            None => self.set_text(text, version),
            Some(r) => {
                let index = LineIndex::new(&self.text);
                let tr = LineMap::new(&self.text, &index, enc).text_range(r);
                let mut new = String::with_capacity(self.text.len() + text.len());
                new.push_str(&self.text[..tr.start()]);
                new.push_str(&text);
                new.push_str(&self.text[tr.end()..]);
                self.set_text(new, version);
            }
        }
    }

    pub fn map(&self, enc: Encoding) -> LineMap<'_> {
        LineMap::new(&self.text, &self.line_index, enc)
    }

    /// The tree that features read: the current one, else the last that parsed.
    pub fn tree(&self) -> Option<&Parsed> {
        if !self.parsed.documents.is_empty() {
            Some(&self.parsed)
        } else {
            self.last_good.as_ref()
        }
    }

    /// The state machine of the current text that contains `offset`: a
    /// document (YAML files may hold several; else the first), or in a
    /// template the definition written in place there (none elsewhere in
    /// the template).
    pub fn root_at(&self, offset: usize) -> Option<&Node> {
        let docs = &self.parsed.documents;
        let doc = docs
            .iter()
            .find(|d| d.root.range.start() <= offset && offset <= d.root.range.end())
            .or_else(|| docs.first())
            .map(|d| &d.root)?;
        if template::classify(doc) == template::Kind::Definition {
            return Some(doc);
        }
        self.embedded_at(offset).map(|e| &e.root)
    }

    /// Decides whether asl-lint attaches: the language id is `asl` or
    /// `asl-yaml`; or the file is named `*.asl.json`, `*.asl.yaml`,
    /// `*.asl.yml`; or it is JSON/YAML (by language id or name, `.template`
    /// included) holding a document whose root has both `StartAt` and
    /// `States`, or a CloudFormation/SAM template or Serverless file with a
    /// state machine. While the text does not parse, an attached document
    /// stays attached, and another attaches when its text mentions a state
    /// machine (as `asl-lint check` decides for files it finds).
    fn attach(&self) -> bool {
        if self.named_asl() {
            return true;
        }
        let name = convert::uri_file_name(&self.uri).to_ascii_lowercase();
        let json_or_yaml = matches!(
            self.language_id.as_str(),
            "json" | "jsonc" | "yaml" | "json.states" | "yaml.states"
        ) || [".json", ".yaml", ".yml", ".template"]
            .iter()
            .any(|e| name.ends_with(e));
        if !json_or_yaml {
            return false;
        }
        if !self.parsed.documents.is_empty() {
            return self.parsed.documents.iter().any(|d| {
                (d.root.get("StartAt").is_some() && d.root.get("States").is_some())
                    || template::has_machines(&d.root)
            });
        }
        self.is_asl || crate::lint::mentions_machine(&self.text)
    }

    /// The document as the linter reads it: named by the file's path when
    /// its URI is a `file:` URI (else by the URI), in the format its
    /// language id or name decided.
    pub fn source_file(&self) -> SourceFile {
        SourceFile::with_format(self.source_path(), self.text.clone(), self.format)
    }

    fn source_path(&self) -> String {
        convert::uri_to_path(&self.uri)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| self.uri.as_str().to_string())
    }
}

/// Drops a tree that is no longer needed on one of rayon's threads: freeing a
/// large tree takes a good part of the time of parsing it, and the new
/// diagnostics need not wait for it.
fn dispose(tree: Option<Parsed>) {
    if let Some(tree) = tree.filter(|t| !t.documents.is_empty()) {
        rayon::spawn(move || drop(tree));
    }
}

/// The state machines written in place in the templates of `parsed`.
fn embedded_machines(text: &str, parsed: &Parsed, format: Format) -> Vec<EmbeddedMachine> {
    let mut out = Vec::new();
    for d in &parsed.documents {
        if template::classify(&d.root) == template::Kind::Definition {
            continue;
        }
        for e in template::extract(text, &d.root, format == Format::Yaml).definitions {
            let template::Body::InPlace(p) = e.body else {
                continue;
            };
            // The property's key: the last member of the pointer.
            let (parent, _) = e.pointer.rsplit_once('/').unwrap_or(("", ""));
            let key_range = syntax::pointer::resolve(&d.root, parent)
                .and_then(Node::as_object)
                .and_then(|ms| ms.iter().find(|m| m.value.range == p.root.range))
                .map_or(p.root.range, |m| m.key_range);
            out.push(EmbeddedMachine {
                machine: e.machine,
                pointer: e.pointer,
                root: p.root,
                key_range,
            });
        }
    }
    out
}

/// YAML for `asl-yaml`/`yaml` ids; JSON for `asl`/`json`; else by file name,
/// a `.template` file (CloudFormation's extension) by its first character
/// as `asl-lint check` decides.
fn format_of(language_id: &str, file_name: &str, text: &str) -> Format {
    match language_id {
        "asl-yaml" | "yaml" | "yaml.states" => Format::Yaml,
        "asl" | "json" | "jsonc" | "json.states" => Format::Json,
        _ if file_name.to_ascii_lowercase().ends_with(".template") => {
            let body = text.trim_start_matches('\u{feff}').trim_start();
            if body.is_empty() || body.starts_with('{') {
                Format::Json
            } else {
                Format::Yaml
            }
        }
        _ => Format::from_path(file_name),
    }
}

/// Open documents by URI.
#[derive(Default)]
pub struct Documents {
    map: HashMap<String, Document>,
}

impl Documents {
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.map.get(uri.as_str())
    }
    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.map.get_mut(uri.as_str())
    }
    pub fn insert(&mut self, doc: Document) {
        self.map.insert(doc.uri.as_str().to_string(), doc);
    }
    pub fn remove(&mut self, uri: &Uri) -> Option<Document> {
        self.map.remove(uri.as_str())
    }
    /// URIs of every open document, sorted (for deterministic re-lints).
    pub fn uris(&self) -> Vec<Uri> {
        let mut v: Vec<&Document> = self.map.values().collect();
        v.sort_by(|a, b| a.uri.as_str().cmp(b.uri.as_str()));
        v.into_iter().map(|d| d.uri.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn doc(uri: &str, lang: &str, text: &str) -> Document {
        Document::new(Uri::from_str(uri).unwrap(), lang.into(), 0, text.into())
    }

    #[test]
    fn attaches_to_asl_documents_only() {
        assert!(doc("file:///x.json", "asl", "{}").is_asl);
        assert!(doc("file:///x.asl.json", "json", "{}").is_asl);
        assert!(doc("file:///x.ASL.YML", "yaml", "").is_asl);
        assert!(doc("file:///x.json", "json", r#"{"StartAt":"A","States":{}}"#).is_asl);
        assert!(!doc("file:///x.json", "json", r#"{"StartAt":"A"}"#).is_asl);
        assert!(!doc("file:///package.json", "json", r#"{"name":"x"}"#).is_asl);
        assert!(!doc("file:///x.py", "python", r#"{"StartAt":"A","States":{}}"#).is_asl);
        // Broken JSON that mentions both keys.
        assert!(doc("untitled:U-1", "json", r#"{"StartAt":"A","States":{"#).is_asl);
    }

    #[test]
    fn attaches_to_templates_by_content() {
        let sam = "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Succeed}\n";
        let d = doc("file:///w/template.yaml", "yaml", sam);
        assert!(d.is_asl);
        assert_eq!(d.embedded.len(), 1);
        assert_eq!(d.embedded[0].machine, "M");
        // `.template` in another language mode: YAML by its first character.
        let d = doc("file:///w/stack.template", "plaintext", sam);
        assert!(d.is_asl);
        assert_eq!(d.format, Format::Yaml);
        assert_eq!(d.embedded.len(), 1);
        // A template without a state machine, and other JSON: not parsed.
        let d = doc(
            "file:///w/t.yaml",
            "yaml",
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
        );
        assert!(!d.is_asl);
        assert!(d.parsed.documents.is_empty());
    }

    #[test]
    fn keeps_decision_and_last_tree_while_broken() {
        let mut d = doc("file:///x.json", "json", r#"{"StartAt":"A","States":{}}"#);
        assert!(d.is_asl);
        d.set_text(r#"{"StartAt":"A","States":{"#.into(), 1);
        d.refresh();
        assert!(d.is_asl);
        assert!(d.parsed.documents.is_empty());
        assert!(d.tree().is_some());
        d.set_text(r#"{"a":1}"#.into(), 2);
        d.refresh();
        assert!(!d.is_asl);
        assert!(d.last_good.is_none());
    }

    #[test]
    fn ranged_changes_apply_in_order() {
        let mut d = doc("file:///x.asl.json", "asl", "{\"é\": 1}");
        let r = Range::new(
            lsp_types::Position::new(0, 6),
            lsp_types::Position::new(0, 7),
        );
        d.apply_change(Some(r), "2".into(), Encoding::Utf16, 1);
        assert_eq!(d.text, "{\"é\": 2}");
        let r = Range::new(
            lsp_types::Position::new(0, 99),
            lsp_types::Position::new(5, 0),
        );
        d.apply_change(Some(r), " ".into(), Encoding::Utf16, 2);
        assert_eq!(d.text, "{\"é\": 2} ");
        assert_eq!(d.version, 2);
    }

    #[test]
    fn the_source_file_carries_the_format() {
        let f = doc("file:///a%20b/x.asl.json", "asl", "{}").source_file();
        assert_eq!(
            (f.path.as_str(), f.format),
            ("/a b/x.asl.json", Format::Json)
        );
        let f = doc("untitled:U-1", "asl-yaml", "").source_file();
        assert_eq!((f.path.as_str(), f.format), ("untitled:U-1", Format::Yaml));
        let f = doc("untitled:U-1.yaml", "asl", "").source_file();
        assert_eq!(
            (f.path.as_str(), f.format),
            ("untitled:U-1.yaml", Format::Json)
        );
    }
}
