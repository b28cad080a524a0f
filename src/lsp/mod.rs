//! `qmlc lsp`: the editor server, Language Server Protocol 3.17 over stdio.
//!
//! One thread reads framed messages (`transport`), one writes them, and the server runs on a
//! thread with the front end's large stack. The server takes every message already waiting before
//! it publishes diagnostics, so a burst of changes is analysed once; a request analyses its
//! document first if a change left it unanalysed. Each feature is a function over a document and
//! a byte offset (`hover`, `navigation`, `edits`, `completion`, `signature`, `lenses`) or over a
//! whole document (`outline`: document symbols and folding ranges; `tokens`: semantic tokens;
//! `hints`: inlay hints), tested
//! without any I/O.
//!
//! Choices the protocol leaves open:
//! - a request naming a document that was never opened gets a `RequestFailed` (-32803) error;
//! - a rename on a builtin name or keyword, or to a name that is not allowed, gets a
//!   `RequestFailed` error whose message says why;
//! - the help line and notes of a diagnostic are appended to its message (see `diagnostics`);
//! - a frame that is not JSON gets a `ParseError` (-32700) response with a `null` id, and JSON that
//!   is not a message an `InvalidRequest` (-32600) one; the server goes on reading;
//! - a change that arrives while its document is analysed supersedes that analysis: the stale
//!   diagnostics are dropped and the new text is analysed next (an analysis itself is not
//!   interrupted; a 2,000-line file takes a few milliseconds, see `benches/lsp_latency.rs`);
//! - a request whose `$/cancelRequest` is already waiting when its batch is read is answered
//!   `RequestCanceled` (-32800) without running; one already answered is not answered again;
//! - the server exits on `exit` (status 0 after `shutdown`, 1 without), or when its input ends,
//!   since nothing more can arrive (status 1 unless `shutdown` came first).

mod completion;
mod diagnostics;
mod document;
mod edits;
mod hints;
mod hover;
mod lenses;
mod navigation;
mod outline;
mod signature;
mod tokens;
mod transport;

use document::{offset_of, range_of, Document};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notifications, Notification as _};
use lsp_types::request::{self as requests, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionProviderCapability, CompletionOptions,
    CompletionResponse, GotoDefinitionResponse, InitializeResult, OneOf, PositionEncodingKind, PrepareRenameResponse,
    PublishDiagnosticsParams, RenameOptions, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use qmlc::source::Span;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, Sender};
use transport::{Incoming, Outgoing};

/// Runs the server on stdin and stdout and returns the exit status.
pub fn run() -> u8 {
    let (incoming, outgoing) = transport::stdio();
    qmlc::stack::with_large_stack(move || Server::new(outgoing).serve(&incoming))
}

/// The capabilities the server announces in its answer to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), "(".to_string()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        signature_help_provider: Some(lsp_types::SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
            retrigger_characters: Some(vec![" ".to_string(), "=".to_string()]),
            work_done_progress_options: Default::default(),
        }),
        code_lens_provider: Some(lsp_types::CodeLensOptions { resolve_provider: Some(false) }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp_types::SemanticTokensOptions {
                legend: tokens::legend(),
                range: Some(true),
                full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                ..lsp_types::SemanticTokensOptions::default()
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Where the server is in the protocol's life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Starting,
    Running,
    /// `shutdown` was answered; only `exit` remains.
    ShutDown,
}

/// A failed request: the error code and message of its response.
type Failure = (ErrorCode, String);

/// The server: the open documents and the channel its messages go out on.
pub struct Server {
    documents: HashMap<String, (Uri, Document)>,
    /// Documents changed since their diagnostics were last published.
    unpublished: BTreeSet<String>,
    state: State,
    outgoing: Sender<Outgoing>,
}

impl Server {
    pub fn new(outgoing: Sender<Outgoing>) -> Server {
        Server { documents: HashMap::new(), unpublished: BTreeSet::new(), state: State::Starting, outgoing }
    }

    /// Serves until `exit` or the end of the input, and returns the exit status.
    ///
    /// Messages are taken in batches: everything waiting is handled before diagnostics are
    /// published, so a burst of changes is analysed once, and a request cancelled by a
    /// `$/cancelRequest` later in the same batch is answered `RequestCanceled` without running.
    pub fn serve(mut self, incoming: &Receiver<Incoming>) -> u8 {
        let mut queue = VecDeque::new();
        loop {
            if queue.is_empty() {
                match incoming.recv() {
                    Ok(message) => queue.push_back(message),
                    Err(_) => break,
                }
            }
            queue.extend(incoming.try_iter());
            let cancelled = cancelled_requests(&queue);
            while let Some(message) = queue.pop_front() {
                if let Incoming::Message(Message::Request(request)) = &message {
                    if cancelled.contains(&request.id) {
                        let message = "the request was cancelled".to_string();
                        let response =
                            Response::new_err(request.id.clone(), ErrorCode::RequestCanceled as i32, message);
                        self.send(Outgoing::Message(Message::Response(response)));
                        continue;
                    }
                }
                if let Some(status) = self.handle(message) {
                    return status;
                }
            }
            self.publish_diagnostics(incoming, &mut queue);
        }
        if self.state == State::ShutDown {
            0
        } else {
            1
        }
    }

    /// Handles one message; returns the exit status on `exit`.
    fn handle(&mut self, incoming: Incoming) -> Option<u8> {
        match incoming {
            Incoming::Malformed { id, code, message } => {
                self.send(transport::malformed_response(id, code, &message));
                None
            }
            Incoming::Message(Message::Request(request)) => {
                let id = request.id.clone();
                // A bug in a feature must cost one answer, not the session.
                let response = std::panic::catch_unwind(AssertUnwindSafe(|| self.request(request)))
                    .unwrap_or_else(|_| Err((ErrorCode::InternalError, "the server failed on this request".into())));
                let response = match response {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.send(Outgoing::Message(Message::Response(response)));
                None
            }
            Incoming::Message(Message::Notification(notification)) => {
                if notification.method == notifications::Exit::METHOD {
                    return Some(if self.state == State::ShutDown { 0 } else { 1 });
                }
                let method = notification.method.clone();
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.notification(notification)));
                let problem = match outcome {
                    Ok(Ok(())) => None,
                    Ok(Err(problem)) => Some(problem),
                    Err(_) => Some(format!("the server failed on a `{method}` notification")),
                };
                if let Some(problem) = problem {
                    self.log(&problem);
                }
                None
            }
            // The server sends no requests, so a response answers nothing.
            Incoming::Message(Message::Response(_)) => None,
        }
    }

    fn request(&mut self, request: Request) -> Result<Value, Failure> {
        let Request { method, params, .. } = request;
        match self.state {
            State::Starting if method != requests::Initialize::METHOD => {
                return Err((ErrorCode::ServerNotInitialized, "the server has not been initialized".into()));
            }
            State::Running if method == requests::Initialize::METHOD => {
                return Err((ErrorCode::InvalidRequest, "the server is already initialized".into()));
            }
            State::ShutDown => return Err((ErrorCode::InvalidRequest, "the server has shut down".into())),
            _ => {}
        }
        match method.as_str() {
            requests::Initialize::METHOD => {
                let _: lsp_types::InitializeParams = parse_params(params)?;
                self.state = State::Running;
                to_value(InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(ServerInfo {
                        name: "qmlc".to_string(),
                        version: Some(env!("CARGO_PKG_VERSION").to_string()),
                    }),
                })
            }
            requests::Shutdown::METHOD => {
                self.state = State::ShutDown;
                Ok(Value::Null)
            }
            requests::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = parse_params(params)?;
                let (_, document, offset) = self.at(&params.text_document_position_params)?;
                to_value(hover::hover(document, offset))
            }
            requests::GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams = parse_params(params)?;
                let (uri, document, offset) = self.at(&params.text_document_position_params)?;
                to_value(navigation::definition(document, &uri, offset).map(GotoDefinitionResponse::Scalar))
            }
            requests::References::METHOD => {
                let params: lsp_types::ReferenceParams = parse_params(params)?;
                let include_declaration = params.context.include_declaration;
                let (uri, document, offset) = self.at(&params.text_document_position)?;
                to_value(navigation::references(document, &uri, offset, include_declaration))
            }
            requests::PrepareRenameRequest::METHOD => {
                let params: TextDocumentPositionParams = parse_params(params)?;
                let (_, document, offset) = self.at(&params)?;
                let refused = |message: String| (ErrorCode::RequestFailed, message);
                navigation::prepare_rename(document, offset)
                    .map_err(|refusal| refused(refusal.0))
                    .and_then(|span| to_value(PrepareRenameResponse::Range(range_of(&document.source, span))))
            }
            requests::Rename::METHOD => {
                let params: lsp_types::RenameParams = parse_params(params)?;
                let (uri, document, offset) = self.at(&params.text_document_position)?;
                match navigation::rename(document, &uri, offset, &params.new_name) {
                    Ok(edit) => to_value(edit),
                    Err(refusal) => Err((ErrorCode::RequestFailed, refusal.0)),
                }
            }
            requests::Formatting::METHOD => {
                let params: lsp_types::DocumentFormattingParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                to_value(edits::formatting(document))
            }
            requests::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = parse_params(params)?;
                let (uri, document) = self.document(&params.text_document.uri)?;
                let start = offset_of(&document.source, params.range.start);
                let end = offset_of(&document.source, params.range.end);
                let wanted = Span::new(start.min(end), start.max(end));
                let actions: Vec<CodeActionOrCommand> = edits::code_actions(document, &uri, wanted)
                    .into_iter()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect();
                to_value(actions)
            }
            requests::Completion::METHOD => {
                let params: lsp_types::CompletionParams = parse_params(params)?;
                let (_, document, offset) = self.at(&params.text_document_position)?;
                to_value(CompletionResponse::Array(completion::completion(document, offset)))
            }
            requests::SignatureHelpRequest::METHOD => {
                let params: lsp_types::SignatureHelpParams = parse_params(params)?;
                let (_, document, offset) = self.at(&params.text_document_position_params)?;
                to_value(signature::signature_help(document, offset))
            }
            requests::CodeLensRequest::METHOD => {
                let params: lsp_types::CodeLensParams = parse_params(params)?;
                let (uri, document) = self.document(&params.text_document.uri)?;
                to_value(lenses::code_lenses(document, &uri))
            }
            requests::DocumentSymbolRequest::METHOD => {
                let params: lsp_types::DocumentSymbolParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                to_value(lsp_types::DocumentSymbolResponse::Nested(outline::document_symbols(document)))
            }
            requests::FoldingRangeRequest::METHOD => {
                let params: lsp_types::FoldingRangeParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                to_value(outline::folding_ranges(document))
            }
            requests::SemanticTokensFullRequest::METHOD => {
                let params: lsp_types::SemanticTokensParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                to_value(tokens::semantic_tokens(document, None))
            }
            requests::SemanticTokensRangeRequest::METHOD => {
                let params: lsp_types::SemanticTokensRangeParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                let start = offset_of(&document.source, params.range.start);
                let end = offset_of(&document.source, params.range.end);
                to_value(tokens::semantic_tokens(document, Some(Span::new(start.min(end), start.max(end)))))
            }
            requests::InlayHintRequest::METHOD => {
                let params: lsp_types::InlayHintParams = parse_params(params)?;
                let (_, document) = self.document(&params.text_document.uri)?;
                let start = offset_of(&document.source, params.range.start);
                let end = offset_of(&document.source, params.range.end);
                to_value(hints::inlay_hints(document, Span::new(start.min(end), start.max(end))))
            }
            _ => Err((ErrorCode::MethodNotFound, format!("the server does not handle `{method}`"))),
        }
    }

    fn notification(&mut self, notification: Notification) -> Result<(), String> {
        let Notification { method, params } = notification;
        if self.state == State::Starting {
            // Before `initialize` every notification but `exit` is dropped, as the protocol says.
            return Ok(());
        }
        let bad = |error: Failure| format!("a `{method}` notification was not understood: {}", error.1);
        match method.as_str() {
            notifications::DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams = parse_params(params).map_err(bad)?;
                let item = params.text_document;
                let key = item.uri.as_str().to_string();
                let document = Document::new(&key, item.text, item.version);
                self.documents.insert(key.clone(), (item.uri, document));
                self.unpublished.insert(key);
            }
            notifications::DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams = parse_params(params).map_err(bad)?;
                let key = params.text_document.uri.as_str().to_string();
                let Some((_, document)) = self.documents.get_mut(&key) else {
                    return Err(format!("a change to `{key}`, which is not open, was ignored"));
                };
                for change in params.content_changes {
                    document.apply_change(change);
                }
                document.version = params.text_document.version;
                self.unpublished.insert(key);
            }
            notifications::DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams = parse_params(params).map_err(bad)?;
                let key = params.text_document.uri.as_str().to_string();
                self.documents.remove(&key);
                self.unpublished.remove(&key);
                // Closing clears the document's diagnostics from the editor's list.
                self.notify::<notifications::PublishDiagnostics>(PublishDiagnosticsParams {
                    uri: params.text_document.uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
            }
            // Everything else (`initialized`, `didSave`, settings) needs nothing; `$/cancelRequest`
            // was acted on when its batch was read (see `serve`).
            _ => {}
        }
        Ok(())
    }

    /// Publishes the diagnostics of the documents changed since they were last published.
    ///
    /// Messages that arrive meanwhile go to `queue`. A change to a document arriving while it is
    /// analysed supersedes that analysis: its diagnostics, already stale, are not published, and
    /// the newer text is analysed after the waiting messages are handled. Any waiting message also
    /// stops the round before the next document, so requests are not held behind analyses.
    fn publish_diagnostics(&mut self, incoming: &Receiver<Incoming>, queue: &mut VecDeque<Incoming>) {
        let keys: Vec<String> = self.unpublished.iter().cloned().collect();
        for key in keys {
            if !queue.is_empty() {
                return;
            }
            let Some((uri, document)) = self.documents.get_mut(&key) else {
                self.unpublished.remove(&key);
                continue;
            };
            let uri = uri.clone();
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                let diagnostics = document.analysis().diagnostics.clone();
                diagnostics::to_lsp(&uri, &document.source, &diagnostics)
            }));
            queue.extend(incoming.try_iter());
            if queue.iter().any(|message| changes_document(message, &key)) {
                continue;
            }
            self.unpublished.remove(&key);
            match outcome {
                Ok(diagnostics) => {
                    let version = Some(document.version);
                    self.notify::<notifications::PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics,
                        version,
                    });
                }
                Err(_) => self.log(&format!("the server failed to analyse `{key}`")),
            }
        }
    }

    /// The open document a request names.
    fn document(&mut self, uri: &Uri) -> Result<(Uri, &mut Document), Failure> {
        match self.documents.get_mut(uri.as_str()) {
            Some((uri, document)) => Ok((uri.clone(), document)),
            None => Err((ErrorCode::RequestFailed, format!("the document `{}` is not open", uri.as_str()))),
        }
    }

    /// The open document a request names and the byte offset of its position (clamped).
    fn at(&mut self, position: &TextDocumentPositionParams) -> Result<(Uri, &mut Document, usize), Failure> {
        let (uri, document) = self.document(&position.text_document.uri)?;
        let offset = offset_of(&document.source, position.position);
        Ok((uri, document, offset))
    }

    fn notify<N: notifications::Notification>(&self, params: N::Params) {
        self.send(Outgoing::Message(Message::Notification(Notification::new(N::METHOD.to_string(), params))));
    }

    /// Tells the client something went wrong that has no response to carry it.
    fn log(&self, message: &str) {
        self.notify::<notifications::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: message.to_string(),
        });
    }

    fn send(&self, message: Outgoing) {
        // The writer is gone only when stdout is closed, and then there is no one to tell.
        let _ = self.outgoing.send(message);
    }
}

/// The ids named by the `$/cancelRequest` notifications among the waiting messages.
fn cancelled_requests(queue: &VecDeque<Incoming>) -> Vec<RequestId> {
    queue
        .iter()
        .filter_map(|message| match message {
            Incoming::Message(Message::Notification(notification))
                if notification.method == notifications::Cancel::METHOD =>
            {
                let params: lsp_types::CancelParams = serde_json::from_value(notification.params.clone()).ok()?;
                Some(match params.id {
                    lsp_types::NumberOrString::Number(number) => RequestId::from(number),
                    lsp_types::NumberOrString::String(text) => RequestId::from(text),
                })
            }
            _ => None,
        })
        .collect()
}

/// Whether a waiting message changes (or closes) the document with this key.
fn changes_document(message: &Incoming, key: &str) -> bool {
    let Incoming::Message(Message::Notification(notification)) = message else { return false };
    let method = notification.method.as_str();
    let changing = method == notifications::DidChangeTextDocument::METHOD
        || method == notifications::DidCloseTextDocument::METHOD
        || method == notifications::DidOpenTextDocument::METHOD;
    changing && notification.params["textDocument"]["uri"].as_str() == Some(key)
}

fn parse_params<P: DeserializeOwned>(params: Value) -> Result<P, Failure> {
    serde_json::from_value(params).map_err(|error| (ErrorCode::InvalidParams, format!("invalid params: {error}")))
}

fn to_value(result: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(result).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}

#[cfg(test)]
mod tests;
