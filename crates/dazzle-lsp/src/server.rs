//! The language server on stdio (tower-lsp-server on tokio). Edits are applied to the single
//! `AnalysisHost` synchronously, before any `.await`, so they land in arrival order; reads
//! take a snapshot under a short lock and run on the blocking pool; diagnostics are published
//! only if the document's version is still current.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dazzle_analysis::diagnostics::{Diagnostic as Finding, Severity};
use dazzle_analysis::{Analysis, AnalysisHost, Durability, FileId, ProjectId};
use dazzle_syntax::{Dialect, TextRange, TextSize};
use line_index::{LineCol, LineIndex, WideEncoding, WideLineCol};
use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::project_loader;

/// Serves LSP on stdin/stdout until `exit`.
pub(crate) fn run() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let (service, socket) =
            LspService::build(Backend::new).custom_method("dazzle/rbacMatrix", Backend::rbac_matrix).finish();
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    std::process::ExitCode::SUCCESS
}

/// The position encoding agreed with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

/// An open document.
struct Doc {
    file: FileId,
    project: ProjectId,
    version: i32,
    text: String,
    index: LineIndex,
}

/// A loaded project: its root and its files by absolute path.
struct ProjectEntry {
    root: PathBuf,
    id: ProjectId,
    files: Vec<(PathBuf, FileId)>,
    lone: bool,
}

struct State {
    host: AnalysisHost,
    encoding: Encoding,
    docs: HashMap<Uri, Doc>,
    projects: Vec<ProjectEntry>,
}

/// The server.
pub(crate) struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

/// Params of `dazzle/rbacMatrix`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MatrixParams {
    text_document: TextDocumentIdentifier,
}

impl Backend {
    fn new(client: Client) -> Backend {
        let state = State {
            host: AnalysisHost::default(),
            encoding: Encoding::Utf16,
            docs: HashMap::new(),
            projects: Vec::new(),
        };
        Backend { client, state: Arc::new(Mutex::new(state)) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `dazzle/rbacMatrix`: the project's matrix as `dazzle-lsp matrix --format json` prints it.
    async fn rbac_matrix(&self, params: MatrixParams) -> Result<serde_json::Value> {
        let (analysis, project) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&params.text_document.uri) else {
                return Err(Error::invalid_params("the document is not open"));
            };
            (state.host.analysis(), doc.project)
        };
        let text = read(move || {
            let matrix = analysis.matrix(project)?;
            Ok(matrix.map(|m| crate::matrix_cmd::json_text(&m)))
        })
        .await?;
        let Some(text) = text else { return Err(Error::invalid_params("no project")) };
        serde_json::from_str(&text).map_err(|e| Error::invalid_params(e.to_string()))
    }

    /// Recomputes and publishes the diagnostics of every open document of `project`.
    async fn publish(&self, project: ProjectId) {
        let (analysis, docs) = {
            let state = self.lock();
            let docs: Vec<(Uri, FileId, i32, String)> = state
                .docs
                .iter()
                .filter(|(_, d)| d.project == project)
                .map(|(uri, d)| (uri.clone(), d.file, d.version, d.text.clone()))
                .collect();
            (state.host.analysis(), docs)
        };
        let encoding = self.lock().encoding;
        let computed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            for (uri, file, version, text) in docs {
                let Ok(findings) = analysis.file_diagnostics(project, file) else { return None };
                let index = LineIndex::new(&text);
                let diagnostics = findings.iter().map(|f| to_lsp_diagnostic(f, &index, encoding)).collect();
                out.push((uri, version, diagnostics));
            }
            Some(out)
        })
        .await;
        let Ok(Some(results)) = computed else { return };
        for (uri, version, diagnostics) in results {
            let current = self.lock().docs.get(&uri).map(|d| d.version);
            if current == Some(version) {
                self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
            }
        }
    }

    /// The project holding `path`, loading it from disk the first time.
    fn project_for(state: &mut State, path: &Path) -> Option<usize> {
        if let Some(i) = state.projects.iter().position(|p| !p.lone && path.starts_with(&p.root)) {
            return Some(i);
        }
        let root = project_loader::find_project_root(path);
        let loaded = match root {
            Some(root) => project_loader::load(&mut state.host, &root, None).ok()?,
            None => project_loader::load(&mut state.host, path, None).ok()?,
        };
        let files = loaded.files.iter().map(|(id, rel, _)| (loaded.root.join(rel), *id)).collect();
        state.projects.push(ProjectEntry {
            root: loaded.root.clone(),
            id: loaded.project,
            files,
            lone: project_loader::find_project_root(path).is_none(),
        });
        Some(state.projects.len() - 1)
    }
}

/// Runs a read on the blocking pool; a cancelled read becomes `ContentModified`.
async fn read<T: Send + 'static>(f: impl FnOnce() -> dazzle_analysis::Cancellable<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))).await {
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(_cancelled))) => Err(Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32801),
            message: "content modified".into(),
            data: None,
        }),
        Ok(Err(_)) | Err(_) => Err(Error::internal_error()),
    }
}

fn to_lsp_diagnostic(d: &Finding, index: &LineIndex, encoding: Encoding) -> Diagnostic {
    Diagnostic {
        range: to_range(index, d.range, encoding),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.code.to_owned())),
        source: Some("dazzle-lsp".to_owned()),
        message: d.message.clone(),
        ..Diagnostic::default()
    }
}

fn to_position(index: &LineIndex, offset: TextSize, encoding: Encoding) -> Position {
    let offset = offset.min(index.len());
    let lc = index.line_col(line_index::TextSize::from(u32::from(offset)));
    let character = match encoding {
        Encoding::Utf8 => lc.col,
        Encoding::Utf16 => index.to_wide(WideEncoding::Utf16, lc).map_or(lc.col, |w| w.col),
        Encoding::Utf32 => index.to_wide(WideEncoding::Utf32, lc).map_or(lc.col, |w| w.col),
    };
    Position { line: lc.line, character }
}

fn to_range(index: &LineIndex, range: TextRange, encoding: Encoding) -> Range {
    Range { start: to_position(index, range.start(), encoding), end: to_position(index, range.end(), encoding) }
}

/// The byte offset of an LSP position; positions past a line's end clamp to it, past the
/// last line to the end of the text.
fn to_offset(index: &LineIndex, text: &str, position: Position, encoding: Encoding) -> TextSize {
    let Some(line_range) = index.line(position.line) else { return TextSize::of(text) };
    let lc = match encoding {
        Encoding::Utf8 => LineCol { line: position.line, col: position.character },
        Encoding::Utf16 => index
            .to_utf8(WideEncoding::Utf16, WideLineCol { line: position.line, col: position.character })
            .unwrap_or(LineCol { line: position.line, col: u32::from(line_range.len()) }),
        Encoding::Utf32 => index
            .to_utf8(WideEncoding::Utf32, WideLineCol { line: position.line, col: position.character })
            .unwrap_or(LineCol { line: position.line, col: u32::from(line_range.len()) }),
    };
    let col = lc.col.min(u32::from(line_range.len()));
    let mut offset = usize::from(line_range.start()) + col as usize;
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    TextSize::try_from(offset).unwrap_or_default()
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params.capabilities.general.and_then(|g| g.position_encodings).unwrap_or_default();
        let (encoding, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else if offered.contains(&PositionEncodingKind::UTF32) && !offered.contains(&PositionEncodingKind::UTF16) {
            (Encoding::Utf32, PositionEncodingKind::UTF32)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        self.lock().encoding = encoding;
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "dazzle-lsp".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let project = {
            let mut state = self.lock();
            let Some(path) = item.uri.to_file_path().map(|p| p.into_owned()) else { return };
            let Some(i) = Backend::project_for(&mut state, &path) else { return };
            let project = state.projects[i].id;
            let known = state.projects[i].files.iter().find(|(p, _)| *p == path).map(|(_, id)| *id);
            let file = match known {
                Some(id) => {
                    state.host.set_file_text(id, &item.text);
                    id
                }
                None => {
                    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let id = state.host.add_file(&name, &item.text, Dialect::default(), Durability::LOW);
                    state.projects[i].files.push((path.clone(), id));
                    let ids: Vec<FileId> = state.projects[i].files.iter().map(|(_, id)| *id).collect();
                    state.host.set_project_files(project, &ids);
                    id
                }
            };
            let index = LineIndex::new(&item.text);
            state.docs.insert(item.uri.clone(), Doc { file, project, version: item.version, text: item.text, index });
            project
        };
        self.publish(project).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let project = {
            let mut state = self.lock();
            let encoding = state.encoding;
            let Some(doc) = state.docs.get_mut(&params.text_document.uri) else { return };
            if params.text_document.version < doc.version {
                return;
            }
            for change in params.content_changes {
                match change.range {
                    None => doc.text = change.text,
                    Some(range) => {
                        let start = to_offset(&doc.index, &doc.text, range.start, encoding);
                        let end = to_offset(&doc.index, &doc.text, range.end, encoding).max(start);
                        doc.text.replace_range(usize::from(start)..usize::from(end), &change.text);
                    }
                }
                doc.index = LineIndex::new(&doc.text);
            }
            doc.version = params.text_document.version;
            let (file, project, text) = (doc.file, doc.project, doc.text.clone());
            state.host.set_file_text(file, &text);
            project
        };
        self.publish(project).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let project = {
            let mut state = self.lock();
            let Some(doc) = state.docs.remove(&uri) else { return };
            // The editor's unsaved text is gone: the analysis goes back to the file on disk.
            if let Some(text) = uri.to_file_path().and_then(|p| std::fs::read_to_string(p).ok()) {
                state.host.set_file_text(doc.file, &text);
            }
            doc.project
        };
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        self.publish(project).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&position) else { return Ok(None) };
        let result = read(move || dazzle_ide::hover(&analysis, project, file, offset)).await?;
        Ok(result.map(|h| Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: h.markdown }),
            range: Some(to_range(&index, h.range, encoding)),
        }))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let Some((analysis, project, file, offset, _, encoding)) = self.at(&position) else { return Ok(None) };
        let uris = self.uris(project);
        let targets = read(move || dazzle_ide::goto_definition(&analysis, project, file, offset)).await?;
        let locations: Vec<Location> = targets
            .into_iter()
            .filter_map(|t| {
                let (uri, text) =
                    uris.iter().find(|(id, _, _)| *id == t.file).map(|(_, u, text)| (u.clone(), text.clone()))?;
                Some(Location { uri, range: to_range(&LineIndex::new(&text), t.range, encoding) })
            })
            .collect();
        Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let (analysis, file, index, encoding) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&params.text_document.uri) else { return Ok(None) };
            (state.host.analysis(), doc.file, doc.index.clone(), state.encoding)
        };
        let symbols = read(move || dazzle_ide::document_symbols(&analysis, file)).await?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols.iter().map(|s| to_lsp_symbol(s, &index, encoding)).collect())))
    }
}

impl Backend {
    /// A snapshot and the position's file, project and byte offset.
    #[allow(clippy::type_complexity)]
    fn at(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(Analysis, ProjectId, FileId, TextSize, LineIndex, Encoding)> {
        let state = self.lock();
        let doc = state.docs.get(&position.text_document.uri)?;
        let offset = to_offset(&doc.index, &doc.text, position.position, state.encoding);
        Some((state.host.analysis(), doc.project, doc.file, offset, doc.index.clone(), state.encoding))
    }

    /// Every file of a project with its URI and current text (open documents' text wins).
    fn uris(&self, project: ProjectId) -> Vec<(FileId, Uri, String)> {
        let state = self.lock();
        let Some(entry) = state.projects.iter().find(|p| p.id == project) else { return Vec::new() };
        entry
            .files
            .iter()
            .filter_map(|(path, id)| {
                let uri = Uri::from_file_path(path)?;
                let text = match state.docs.get(&uri) {
                    Some(doc) => doc.text.clone(),
                    None => std::fs::read_to_string(path).ok()?,
                };
                Some((*id, uri, text))
            })
            .collect()
    }
}

#[allow(deprecated)]
fn to_lsp_symbol(s: &dazzle_ide::Symbol, index: &LineIndex, encoding: Encoding) -> DocumentSymbol {
    DocumentSymbol {
        name: if s.name.is_empty() { "?".to_owned() } else { s.name.clone() },
        detail: s.detail.clone(),
        kind: match s.kind {
            dazzle_ide::SymbolKind::Construct => SymbolKind::CLASS,
            dazzle_ide::SymbolKind::Field => SymbolKind::FIELD,
            dazzle_ide::SymbolKind::Block => SymbolKind::NAMESPACE,
        },
        tags: None,
        deprecated: None,
        range: to_range(index, s.range, encoding),
        selection_range: to_range(index, s.selection, encoding),
        children: Some(s.children.iter().map(|c| to_lsp_symbol(c, index, encoding)).collect()),
    }
}
