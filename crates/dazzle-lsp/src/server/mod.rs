//! The language server on stdio (tower-lsp-server on tokio). Edits are applied to the single
//! `AnalysisHost` synchronously, before any `.await`, so they land in arrival order; reads
//! take a snapshot under a short lock and run on the blocking pool; diagnostics are published
//! only if the document's version is still current.
//!
//! This module holds the state and the protocol's entry points, which hand each message to
//! the module of its concern.

mod assists;
mod custom;
mod diagnostics;
mod documents;
mod formatting;
mod lenses;
mod lifecycle;
mod navigation;
mod projects;
mod structure;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use dazzle_analysis::{Analysis, AnalysisHost, FileId, PreviousParse, ProjectId};
use dazzle_syntax::{TextRange, TextSize};
use line_index::LineIndex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::client_settings::{LensSettings, RuleOverrides};
use crate::document::Document;
use crate::lsp_convert::{Encoding, to_range};

/// Serves LSP on stdin/stdout until `exit`.
pub(crate) fn run() -> std::process::ExitCode {
    // The server lives long and runs a thread per core and more: its heap stays in 4 KiB
    // pages, as huge pages would round each thread's heap up to 2 MiB (about twice the memory)
    // for page faults it takes once.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let (service, socket) = LspService::build(Backend::new)
            .custom_method("dazzle/rbacMatrix", Backend::rbac_matrix)
            .custom_method("dazzle/matrixDiff", Backend::matrix_diff)
            .custom_method("dazzle/securityReport", Backend::security_report)
            .finish();
        // tower-lsp-server stops reading at the first malformed message: the guard answers
        // and drops those instead, and passes the rest on.
        let (input, output, writer) = crate::transport::guard(std::io::stdin(), tokio::io::stdout());
        Server::new(input, output, socket).serve(service).await;
        let _ = writer.await;
    });
    // `exit` without a `shutdown` first (or stdin closed) ends with status 1, as the protocol asks.
    if SHUT_DOWN.load(std::sync::atomic::Ordering::SeqCst) {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    }
}

/// Whether the client asked for `shutdown` (one server per process).
static SHUT_DOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// An open document and where it sits in the analysis.
struct Doc {
    file: FileId,
    project: ProjectId,
    doc: Document,
    /// The trees diagnostics were published from since the edit before last, with their
    /// texts; the newest is the base the next edit is reparsed from. The analysis
    /// frees a replaced tree when the next edit is applied; holding it here makes that a
    /// count decrement, and the tree is freed after that edit's diagnostics are sent instead.
    trees: Vec<PreviousParse>,
}

/// Frees trees on the blocking pool: freeing a large file's nodes one by one would otherwise
/// delay the request at hand.
fn free_later(trees: Vec<PreviousParse>) {
    if !trees.is_empty() {
        tokio::task::spawn_blocking(move || drop(trees));
    }
}

/// An open `dazzle.toml`: the editor's text is the project's manifest while it is open.
struct ManifestDoc {
    project: ProjectId,
    doc: Document,
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
    manifests: HashMap<Uri, ManifestDoc>,
    projects: Vec<ProjectEntry>,
    /// Whether the client watches files for us (dynamic registration).
    watch_files: bool,
    /// Whether the client shows `$/progress` started by the server.
    work_done_progress: bool,
    /// Rule severities from the editor's settings.
    rules: RuleOverrides,
    /// Which code lenses to show.
    lenses: LensSettings,
    /// Whether the client re-requests code lenses when asked (`workspace/codeLens/refresh`).
    lens_refresh: bool,
    /// Each project's matrix at `HEAD`, with the commit it was read from.
    baselines: HashMap<ProjectId, (String, crate::diff_cmd::Side)>,
    /// Problems with the settings given at initialize, shown once initialized.
    settings_problems: Vec<String>,
    /// Progress tokens handed out so far.
    progress_tokens: u32,
    /// The workspace folders, whose projects load when the client is initialized.
    folders: Vec<PathBuf>,
    /// Snapshots taken for publishing diagnostics so far.
    snapshots: u64,
    /// Replaced trees waiting to be freed once the diagnostics of the edit are out.
    replaced_trees: Vec<PreviousParse>,
}

impl State {
    /// The projects with an open document (a `.dsl` file or their `dazzle.toml`), each once.
    fn open_projects(&self) -> Vec<ProjectId> {
        let mut open = Vec::new();
        for project in self.docs.values().map(|d| d.project).chain(self.manifests.values().map(|m| m.project)) {
            if !open.contains(&project) {
                open.push(project);
            }
        }
        open
    }
}

/// The server.
pub(crate) struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// For each document, the snapshot number of the diagnostics last sent.
    published: tokio::sync::Mutex<HashMap<Uri, u64>>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        let state = State {
            host: AnalysisHost::default(),
            encoding: Encoding::Utf16,
            docs: HashMap::new(),
            manifests: HashMap::new(),
            projects: Vec::new(),
            watch_files: false,
            work_done_progress: false,
            rules: RuleOverrides::default(),
            lenses: LensSettings::default(),
            lens_refresh: false,
            baselines: HashMap::new(),
            settings_problems: Vec::new(),
            progress_tokens: 0,
            folders: Vec::new(),
            snapshots: 0,
            replaced_trees: Vec::new(),
        };
        Backend { client, state: Arc::new(Mutex::new(state)), published: tokio::sync::Mutex::default() }
    }

    /// The server's state, locked.
    ///
    /// Never while this task holds an [`Analysis`] snapshot: an edit applied under the lock
    /// waits for every snapshot to be dropped, so the two would wait for each other. Take the
    /// snapshot together with everything else the request needs, in one lock.
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        self.on_initialize(params).await
    }

    async fn initialized(&self, params: InitializedParams) {
        self.on_initialized(params).await
    }

    async fn shutdown(&self) -> Result<()> {
        self.on_shutdown().await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.on_did_open(params).await
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.on_did_change_workspace_folders(params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.on_did_change_configuration(params).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.on_did_change(params).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.on_did_close(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.on_hover(params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.on_goto_definition(params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.on_document_symbol(params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.on_did_change_watched_files(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.on_completion(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.on_references(params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        self.on_document_highlight(params).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.on_prepare_rename(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.on_rename(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.on_code_action(params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.on_folding_range(params).await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        self.on_selection_range(params).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.on_semantic_tokens_full(params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.on_semantic_tokens_range(params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.on_formatting(params).await
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.on_range_formatting(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.on_code_lens(params).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        self.on_symbol(params).await
    }
}

/// LSP locations of ranges in project files.
fn locations(
    uris: &[(FileId, Uri, String)],
    ranges: impl Iterator<Item = (FileId, TextRange)>,
    encoding: Encoding,
) -> Vec<Location> {
    let mut indexes: HashMap<FileId, LineIndex> = HashMap::new();
    ranges
        .filter_map(|(file, range)| {
            let (_, uri, text) = uris.iter().find(|(id, _, _)| *id == file)?;
            let index = indexes.entry(file).or_insert_with(|| LineIndex::new(text));
            Some(Location { uri: uri.clone(), range: to_range(index, range, encoding) })
        })
        .collect()
}

impl Backend {
    /// A snapshot and an open document's project, file, line index and text.
    #[allow(clippy::type_complexity)]
    fn doc(&self, uri: &Uri) -> Option<(Analysis, ProjectId, FileId, Arc<LineIndex>, String, Encoding)> {
        let state = self.lock();
        let doc = state.docs.get(uri)?;
        Some((
            state.host.analysis(),
            doc.project,
            doc.file,
            doc.doc.index().clone(),
            doc.doc.text().to_owned(),
            state.encoding,
        ))
    }
    /// A snapshot and the position's file, project and byte offset.
    #[allow(clippy::type_complexity)]
    fn at(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(Analysis, ProjectId, FileId, TextSize, Arc<LineIndex>, Encoding)> {
        let state = self.lock();
        let doc = state.docs.get(&position.text_document.uri)?;
        let offset = TextSize::try_from(doc.doc.offset(position.position, state.encoding)).unwrap_or_default();
        Some((state.host.analysis(), doc.project, doc.file, offset, doc.doc.index().clone(), state.encoding))
    }

    /// [`Self::at`] and the project's files (see [`files_of`]), taken under one lock.
    #[allow(clippy::type_complexity)]
    fn at_with_files(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Option<(Analysis, ProjectId, FileId, TextSize, Encoding, Vec<(FileId, Uri, String)>)> {
        let state = self.lock();
        let doc = state.docs.get(&position.text_document.uri)?;
        let offset = TextSize::try_from(doc.doc.offset(position.position, state.encoding)).unwrap_or_default();
        let files = files_of(&state, doc.project);
        Some((state.host.analysis(), doc.project, doc.file, offset, state.encoding, files))
    }
}

/// Every file of a project with its URI and current text (open documents' text wins).
fn files_of(state: &State, project: ProjectId) -> Vec<(FileId, Uri, String)> {
    let Some(entry) = state.projects.iter().find(|p| p.id == project) else { return Vec::new() };
    entry
        .files
        .iter()
        .filter_map(|(path, id)| {
            let uri = Uri::from_file_path(path)?;
            let text = match state.docs.get(&uri) {
                Some(doc) => doc.doc.text().to_owned(),
                None => std::fs::read_to_string(path).ok()?,
            };
            Some((*id, uri, text))
        })
        .collect()
}
