//! The asl-lint language server: synchronous, single-threaded, FULL text
//! sync, over an `lsp_server::Connection`.
//!
//! ```no_run
//! let (conn, io) = lsp_server::Connection::stdio();
//! asl_lint::lsp::run(conn)?;
//! io.join()?;
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```
//!
//! `run` takes the connection by value so its channels are dropped before
//! the caller joins the I/O threads. It returns `Ok` after `shutdown` then
//! `exit`; an `exit` without `shutdown` returns [`ExitWithoutShutdown`]
//! (the process should then exit with code 1), and a client that vanishes
//! returns [`Disconnected`].
//!
//! The loop: notifications that change text (`didOpen`, `didChange`,
//! `didClose`) are applied, then every message already queued is drained;
//! text changes among them are applied too and everything else is kept, in
//! order, to be handled after the documents have been linted once. A burst
//! of keystrokes therefore lints only the latest text. Over standard I/O
//! ([`run_with_reader`]) the drain also waits, briefly, for a message the
//! reader thread has started reading but not delivered; when the reader is
//! idle it does not wait at all, so a single change is linted at once.
//! Each document is linted with the `asl-lint.toml` nearest to it (see
//! `workspace`), re-read when the client reports a change to such a file or
//! to its configuration, and whenever the file itself changed on disk.
//! Each handler runs under `catch_unwind`: a panic answers the request with
//! an internal error, and a panic while linting publishes one "internal
//! error" diagnostic instead of taking the editor's server down.

mod catalog;
mod context;
pub mod convert;
mod documents;
mod format;
mod handlers;
mod snippets;
pub mod stdio;
mod workspace;

use crate::diagnostic::Diagnostic;
use crate::source::Encoding;
use documents::{Document, Documents};
use lsp_server::{
    Connection, ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError,
};
use lsp_types::{
    CodeActionParams, CompletionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams,
    DocumentSymbolParams, FoldingRangeParams, GotoDefinitionParams, HoverParams,
    PublishDiagnosticsParams, ReferenceParams, RenameParams, SelectionRangeParams,
    TextDocumentPositionParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use workspace::{Configs, Loaded, Problem};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The most queued messages read in one go after a text change.
const MAX_DRAIN: usize = 100_000;

/// The longest the drain after a text change waits for a message the
/// stdio reader is in the middle of reading (a client that stalls halfway
/// through a message does not hold linting up for longer).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(20);

/// The client sent `exit` before `shutdown`; LSP asks for exit code 1.
#[derive(Debug)]
pub struct ExitWithoutShutdown;

impl fmt::Display for ExitWithoutShutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client sent `exit` without `shutdown`")
    }
}

impl std::error::Error for ExitWithoutShutdown {}

/// The client closed the connection without `exit`.
#[derive(Debug)]
pub struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client closed the connection without `exit`")
    }
}

impl std::error::Error for Disconnected {}

/// Runs the server until `exit`. See the module docs.
pub fn run(connection: Connection) -> Result<(), BoxError> {
    run_with_reader(connection, None)
}

/// [`run`] over the stdio transport, whose reader says when a message is
/// on its way (see [`stdio::Reading`]).
pub fn run_with_reader(
    connection: Connection,
    reading: Option<stdio::Reading>,
) -> Result<(), BoxError> {
    let (id, params) = connection.initialize_start()?;
    let enc = negotiate_encoding(&params);
    let root = workspace_root(&params);
    let watch_config = params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(Value::as_bool)
        == Some(true);
    let snippets = params
        .pointer("/capabilities/textDocument/completion/completionItem/snippetSupport")
        .and_then(Value::as_bool)
        == Some(true);
    // Answered here rather than with `initialize_finish`, which ends the
    // session when anything but `initialized` comes next (a client that
    // sends a request first); the main loop ignores `initialized` like any
    // notification it does not handle.
    connection.sender.send(
        Response::new_ok(
            id,
            json!({
                "capabilities": capabilities(enc),
                "serverInfo": { "name": "asl-lint", "version": env!("CARGO_PKG_VERSION") },
            }),
        )
        .into(),
    )?;
    let mut server = Server {
        conn: &connection,
        enc,
        docs: Documents::default(),
        configs: Configs::new(root),
        next_request: 0,
        reading,
        snippets,
    };
    if watch_config {
        server.register_config_watcher();
    }
    server.main_loop()
}

/// UTF-8 when the client offers it in `general.positionEncodings`, else the
/// LSP default UTF-16.
fn negotiate_encoding(init_params: &Value) -> Encoding {
    let offered = init_params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(Value::as_array);
    match offered {
        Some(list) if list.iter().any(|e| e.as_str() == Some("utf-8")) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(enc: Encoding) -> Value {
    json!({
        "positionEncoding": convert::encoding_kind(enc),
        "textDocumentSync": { "openClose": true, "change": 1 },
        "hoverProvider": true,
        "completionProvider": { "triggerCharacters": ["\"", ".", "$"] },
        "definitionProvider": true,
        "referencesProvider": true,
        "renameProvider": { "prepareProvider": true },
        "documentSymbolProvider": true,
        "foldingRangeProvider": true,
        "documentFormattingProvider": true,
        "selectionRangeProvider": true,
        "codeActionProvider": { "codeActionKinds": ["quickfix"] },
    })
}

/// The first workspace folder (or the deprecated `rootUri`) as a path.
fn workspace_root(init_params: &Value) -> Option<PathBuf> {
    let uri = init_params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| init_params.get("rootUri"))
        .and_then(Value::as_str)?;
    convert::uri_to_path(&uri.parse().ok()?)
}

/// A text-sync notification, applied before linting.
enum TextSync {
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
    Close(DidCloseTextDocumentParams),
}

fn as_sync(n: &Notification) -> Option<Result<TextSync, serde_json::Error>> {
    let p = n.params.clone();
    Some(match n.method.as_str() {
        "textDocument/didOpen" => serde_json::from_value(p).map(TextSync::Open),
        "textDocument/didChange" => serde_json::from_value(p).map(TextSync::Change),
        "textDocument/didClose" => serde_json::from_value(p).map(TextSync::Close),
        _ => return None,
    })
}

struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    docs: Documents,
    /// The configuration files, looked up per document.
    configs: Configs,
    next_request: i32,
    /// The stdio reader's progress, when there is one.
    reading: Option<stdio::Reading>,
    /// Whether the client accepts snippet text in completion items.
    snippets: bool,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), BoxError> {
        let mut shutdown = false;
        let mut queue: VecDeque<Message> = VecDeque::new();
        loop {
            let msg = match queue.pop_front() {
                Some(m) => m,
                None => match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Err(Disconnected.into()),
                },
            };
            match msg {
                Message::Request(req) => {
                    if shutdown {
                        self.respond(Response::new_err(
                            req.id,
                            ErrorCode::InvalidRequest as i32,
                            "the server is shutting down".into(),
                        ));
                    } else if req.method == "shutdown" {
                        shutdown = true;
                        self.respond(Response::new_ok(req.id, Value::Null));
                    } else {
                        let resp = self.handle_request(req);
                        self.respond(resp);
                    }
                }
                Message::Notification(n) if n.method == "exit" => {
                    return if shutdown {
                        Ok(())
                    } else {
                        Err(ExitWithoutShutdown.into())
                    };
                }
                Message::Notification(n) => match as_sync(&n) {
                    Some(sync) => {
                        let mut dirty: Vec<Uri> = Vec::new();
                        self.apply_sync(sync, &n.method, &mut dirty);
                        // Drain what is already queued: more text changes are
                        // applied now; anything else waits until after linting.
                        // Bounded, so a client that never pauses still gets
                        // its documents linted.
                        for _ in 0..MAX_DRAIN {
                            let Some(next) = self.next_queued() else {
                                break;
                            };
                            match &next {
                                Message::Notification(n2) => match as_sync(n2) {
                                    Some(sync) => self.apply_sync(sync, &n2.method, &mut dirty),
                                    None => queue.push_back(next),
                                },
                                _ => queue.push_back(next),
                            }
                        }
                        for uri in dirty {
                            self.lint_and_publish(&uri);
                        }
                    }
                    None => self.handle_notification(n),
                },
                Message::Response(_) => {}
            }
        }
    }

    /// A message the client has already sent, if any: one queued, else one
    /// the stdio reader is in the middle of reading (waited for at most
    /// [`SETTLE`]). Nothing is waited for when the reader is idle, so a
    /// lone change is linted at once, and an in-memory connection, whose
    /// messages are queued whole, never waits.
    fn next_queued(&self) -> Option<Message> {
        if let Ok(m) = self.conn.receiver.try_recv() {
            return Some(m);
        }
        if self
            .reading
            .as_ref()
            .is_some_and(stdio::Reading::mid_message)
        {
            return self.conn.receiver.recv_timeout(SETTLE).ok();
        }
        None
    }

    fn send(&self, msg: Message) {
        // A closed channel means the client is gone; the main loop notices
        // on its next receive.
        let _ = self.conn.sender.send(msg);
    }

    fn respond(&self, resp: Response) {
        self.send(resp.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    fn register_config_watcher(&mut self) {
        self.next_request += 1;
        let params = json!({
            "registrations": [{
                "id": "asl-lint-config",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": crate::config::FILE_NAMES
                    .iter()
                    .map(|name| json!({ "globPattern": format!("**/{name}") }))
                    .collect::<Vec<_>>() },
            }]
        });
        let id = RequestId::from(format!("asl-lint/{}", self.next_request));
        self.send(Request::new(id, "client/registerCapability".into(), params).into());
    }

    // -- text sync and diagnostics -----------------------------------------

    fn apply_sync(
        &mut self,
        sync: Result<TextSync, serde_json::Error>,
        method: &str,
        dirty: &mut Vec<Uri>,
    ) {
        let sync = match sync {
            Ok(s) => s,
            Err(e) => {
                eprintln!("asl-lint: ignoring `{method}` with malformed params: {e}");
                return;
            }
        };
        let enc = self.enc;
        let result = catch_unwind(AssertUnwindSafe(|| match sync {
            TextSync::Open(p) => {
                let d = p.text_document;
                let uri = d.uri.clone();
                // Re-opening keeps track of what the client already shows.
                let published = self.docs.remove(&uri).is_some_and(|old| old.published);
                let mut doc = Document::new(d.uri, d.language_id, d.version, d.text);
                doc.published = published;
                self.docs.insert(doc);
                Some(uri)
            }
            TextSync::Change(p) => {
                let uri = p.text_document.uri;
                let version = p.text_document.version;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    eprintln!(
                        "asl-lint: `didChange` for a document that is not open: {}",
                        uri.as_str()
                    );
                    return None;
                };
                for change in p.content_changes {
                    doc.apply_change(change.range, change.text, enc, version);
                }
                doc.version = version;
                Some(uri)
            }
            TextSync::Close(p) => {
                let uri = p.text_document.uri;
                if let Some(doc) = self.docs.remove(&uri) {
                    if doc.published {
                        self.publish(&uri, Vec::new(), None);
                    }
                }
                None
            }
        }));
        match result {
            Ok(Some(uri)) => {
                if !dirty.contains(&uri) {
                    dirty.push(uri);
                }
            }
            Ok(None) => {}
            Err(panic) => eprintln!(
                "asl-lint: panic while applying `{method}`: {}",
                panic_message(&*panic)
            ),
        }
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics,
                version,
            },
        );
    }

    /// Lints one open document and publishes the result; a document that is
    /// not ASL, or that its configuration excludes, gets nothing (or an
    /// empty list, if it had diagnostics).
    fn lint_and_publish(&mut self, uri: &Uri) {
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.refresh();
        let path = convert::uri_to_path(uri);
        let loaded = if doc.is_asl {
            self.config_for(uri, path.as_deref())
        } else {
            None
        };
        let excluded = match (&loaded, &path) {
            (Some(l), Some(p)) => l.config.is_excluded(p),
            _ => false,
        };
        let settings = loaded
            .as_deref()
            .map_or(self.configs.defaults(), |l| &l.settings);
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        if !doc.is_asl || excluded {
            doc.diagnostics.clear();
            if doc.published {
                doc.published = false;
                let v = doc.version;
                self.publish(uri, Vec::new(), Some(v));
            }
            return;
        }
        let file = doc.take_source_file();
        let linted = lint_guarded(|| {
            lint_document(
                &file,
                &doc.parsed,
                path.as_deref(),
                loaded.as_deref(),
                settings,
            )
        });
        doc.put_back(file);
        let published = match linted {
            Ok(diags) => {
                doc.diagnostics = diags;
                let map = doc.map(enc);
                doc.diagnostics
                    .iter()
                    .map(|d| convert::diagnostic(d, uri, &map))
                    .collect()
            }
            Err(what) => {
                eprintln!("asl-lint: panic while linting {}: {what}", uri.as_str());
                doc.diagnostics.clear();
                vec![convert::internal_error_diagnostic(&what)]
            }
        };
        doc.published = true;
        let v = doc.version;
        self.publish(uri, published, Some(v));
    }

    /// The configuration of a document; files that cannot be used are
    /// reported (once) and give the defaults.
    fn config_for(&mut self, uri: &Uri, path: Option<&Path>) -> Option<Rc<Loaded>> {
        let mut problems = Vec::new();
        let configs = &mut self.configs;
        let loaded = match lint_guarded(|| configs.for_document(path, &mut problems)) {
            Ok(loaded) => loaded,
            Err(what) => {
                eprintln!(
                    "asl-lint: panic while reading the configuration of {}: {what}",
                    uri.as_str()
                );
                None
            }
        };
        self.report_config_problems(&problems);
        loaded
    }

    /// Logs configuration files that cannot be used and tells the user.
    fn report_config_problems(&self, problems: &[Problem]) {
        for p in problems {
            let text = format!("asl-lint: {p}; using the default settings");
            eprintln!("{text}");
            self.notify(
                "window/showMessage",
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::WARNING,
                    message: text,
                },
            );
        }
    }

    /// Reads the configuration files again and lints every open document.
    fn relint_all(&mut self) {
        self.configs.clear();
        for uri in self.docs.uris() {
            self.lint_and_publish(&uri);
        }
    }

    // -- notifications ------------------------------------------------------

    fn handle_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| match n.method.as_str() {
            "workspace/didChangeConfiguration" => self.relint_all(),
            "workspace/didChangeWatchedFiles" => {
                match serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                    Ok(p) => {
                        if p.changes.iter().any(|c| {
                            crate::config::FILE_NAMES
                                .contains(&convert::uri_file_name(&c.uri).as_str())
                        }) {
                            self.relint_all();
                        }
                    }
                    Err(e) => eprintln!("asl-lint: ignoring `{method}` with malformed params: {e}"),
                }
            }
            // `initialized`, `$/cancelRequest`, `$/setTrace`, `textDocument/didSave` …
            _ => {}
        }));
        if let Err(panic) = result {
            eprintln!(
                "asl-lint: panic while handling `{method}`: {}",
                panic_message(&*panic)
            );
        }
    }

    // -- requests -----------------------------------------------------------

    fn handle_request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(req))) {
            Ok(resp) => resp,
            Err(panic) => {
                let what = panic_message(&*panic);
                eprintln!("asl-lint: panic while handling `{method}`: {what}");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("internal error in asl-lint while handling `{method}`: {what}"),
                )
            }
        }
    }

    fn dispatch(&mut self, req: Request) -> Response {
        let enc = self.enc;
        match req.method.as_str() {
            "textDocument/hover" => self.on::<HoverParams, _>(req, |doc, p| {
                Ok(handlers::hover(
                    doc,
                    enc,
                    p.text_document_position_params.position,
                ))
            }),
            "textDocument/completion" => {
                let snippets = self.snippets;
                self.on::<CompletionParams, _>(req, |doc, p| {
                    Ok(handlers::completion(
                        doc,
                        enc,
                        p.text_document_position.position,
                        snippets,
                    ))
                })
            }
            "textDocument/formatting" => self.on::<DocumentFormattingParams, _>(req, |doc, p| {
                Ok(handlers::formatting(doc, enc, &p.options))
            }),
            "textDocument/selectionRange" => self.on::<SelectionRangeParams, _>(req, |doc, p| {
                Ok(handlers::selection_ranges(doc, enc, &p.positions))
            }),
            "textDocument/definition" => self.on::<GotoDefinitionParams, _>(req, |doc, p| {
                Ok(handlers::definition(
                    doc,
                    enc,
                    p.text_document_position_params.position,
                ))
            }),
            "textDocument/references" => self.on::<ReferenceParams, _>(req, |doc, p| {
                Ok(handlers::references(
                    doc,
                    enc,
                    p.text_document_position.position,
                    p.context.include_declaration,
                ))
            }),
            "textDocument/prepareRename" => self
                .on::<TextDocumentPositionParams, _>(req, |doc, p| {
                    Ok(handlers::prepare_rename(doc, enc, p.position))
                }),
            "textDocument/rename" => self.on::<RenameParams, _>(req, |doc, p| {
                handlers::rename(doc, enc, p.text_document_position.position, &p.new_name)
            }),
            "textDocument/documentSymbol" => self.on::<DocumentSymbolParams, _>(req, |doc, _| {
                Ok(handlers::document_symbols(doc, enc))
            }),
            "textDocument/foldingRange" => self
                .on::<FoldingRangeParams, _>(req, |doc, _| Ok(handlers::folding_ranges(doc, enc))),
            "textDocument/codeAction" => self.on::<CodeActionParams, _>(req, |doc, p| {
                Ok(handlers::code_actions(doc, enc, p.range))
            }),
            "initialize" => Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            ),
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("asl-lint does not handle `{}`", req.method),
            ),
        }
    }

    /// Parses the params of a document request, finds the document and runs
    /// `f`. Malformed params answer `InvalidParams`; a document that is not
    /// open (or not ASL) answers `null`.
    fn on<P, R>(
        &mut self,
        req: Request,
        f: impl FnOnce(&Document, P) -> Result<R, ResponseError>,
    ) -> Response
    where
        P: DeserializeOwned + DocumentParams,
        R: serde::Serialize,
    {
        let id = req.id;
        let params: P = match serde_json::from_value(req.params) {
            Ok(p) => p,
            Err(e) => {
                return Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid params for `{}`: {e}", req.method),
                )
            }
        };
        if let Some(doc) = self.docs.get_mut(params.uri()) {
            doc.refresh();
        }
        let Some(doc) = self.docs.get(params.uri()).filter(|d| d.is_asl) else {
            return Response::new_ok(id, Value::Null);
        };
        match f(doc, params) {
            Ok(r) => match serde_json::to_value(r) {
                Ok(v) => Response::new_ok(id, v),
                Err(e) => Response::new_err(id, ErrorCode::InternalError as i32, e.to_string()),
            },
            Err(e) => Response {
                id,
                response_result: Err(e),
            },
        }
    }
}

/// Params that name one document.
trait DocumentParams {
    fn uri(&self) -> &Uri;
}

macro_rules! document_params {
    ($($t:ty => |$p:ident| $e:expr;)*) => {
        $(impl DocumentParams for $t {
            fn uri(&self) -> &Uri {
                let $p = self;
                $e
            }
        })*
    };
}

document_params! {
    HoverParams => |p| &p.text_document_position_params.text_document.uri;
    CompletionParams => |p| &p.text_document_position.text_document.uri;
    GotoDefinitionParams => |p| &p.text_document_position_params.text_document.uri;
    ReferenceParams => |p| &p.text_document_position.text_document.uri;
    TextDocumentPositionParams => |p| &p.text_document.uri;
    RenameParams => |p| &p.text_document_position.text_document.uri;
    DocumentSymbolParams => |p| &p.text_document.uri;
    FoldingRangeParams => |p| &p.text_document.uri;
    CodeActionParams => |p| &p.text_document.uri;
    DocumentFormattingParams => |p| &p.text_document.uri;
    SelectionRangeParams => |p| &p.text_document.uri;
}

/// Test support, hidden from the docs: makes linting a document whose text
/// contains a marker panic, so that tests can check that a crash while
/// linting becomes one diagnostic and the server keeps serving. Only code in
/// the same process can arm it (no setting, variable or message does), and
/// it is off unless a test turns it on.
#[doc(hidden)]
pub mod testing {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Mutex;

    static ARMED: AtomicBool = AtomicBool::new(false);
    static MARKER: Mutex<Option<String>> = Mutex::new(None);

    /// Linting a document that contains `marker` panics from now on;
    /// `None` (or an empty marker) turns that off.
    pub fn panic_on_lint(marker: Option<&str>) {
        let marker = marker.filter(|m| !m.is_empty()).map(str::to_string);
        ARMED.store(marker.is_some(), Ordering::SeqCst);
        *MARKER.lock().unwrap_or_else(|e| e.into_inner()) = marker;
    }

    pub(super) fn check(text: &str) {
        if !ARMED.load(Ordering::Relaxed) {
            return;
        }
        let marker = MARKER.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(m) = marker {
            if text.contains(&m) {
                panic!("test panic: the document contains the marker `{m}`");
            }
        }
    }
}

/// Lints a document with its configuration: settings, then the
/// configuration's `[[suppress]]` entries and, in YAML, suppression comments.
fn lint_document(
    file: &crate::source::SourceFile,
    parsed: &crate::syntax::Parsed,
    path: Option<&Path>,
    loaded: Option<&Loaded>,
    settings: &crate::settings::Settings,
) -> Vec<Diagnostic> {
    testing::check(&file.text);
    let diags = crate::lint::lint_preparsed_source(file, parsed, file.format, settings);
    let relative = match (loaded, path) {
        (Some(l), Some(p)) => Some(l.config.relative_path(p)),
        _ => None,
    };
    let entries = loaded.map_or(&[][..], |l| l.config.suppress.as_slice());
    crate::suppress::apply(file, relative.as_deref(), diags, entries, settings)
}

/// Runs `f`, turning a panic into its message.
fn lint_guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p))
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_utf8_only_when_offered() {
        let p = json!({"capabilities": {"general": {"positionEncodings": ["utf-16"]}}});
        assert_eq!(negotiate_encoding(&p), Encoding::Utf16);
        let p = json!({"capabilities": {"general": {"positionEncodings": ["utf-32", "utf-8"]}}});
        assert_eq!(negotiate_encoding(&p), Encoding::Utf8);
        assert_eq!(negotiate_encoding(&json!({})), Encoding::Utf16);
        assert_eq!(
            negotiate_encoding(&json!({"capabilities": 3})),
            Encoding::Utf16
        );
    }

    #[test]
    fn a_panic_while_linting_becomes_a_message() {
        let r: Result<(), String> = lint_guarded(|| panic!("boom {}", 1));
        assert_eq!(r.unwrap_err(), "boom 1");
        let d = convert::internal_error_diagnostic("boom 1");
        assert!(d.message.starts_with("internal error"));
        assert_eq!(d.source.as_deref(), Some("asl-lint"));
    }
}
