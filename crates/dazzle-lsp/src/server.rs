//! The language server on stdio (tower-lsp-server on tokio). Edits are applied to the single
//! `AnalysisHost` synchronously, before any `.await`, so they land in arrival order; reads
//! take a snapshot under a short lock and run on the blocking pool; diagnostics are published
//! only if the document's version is still current.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dazzle_analysis::diagnostics::DiagnosticFile;
use dazzle_analysis::{Analysis, AnalysisHost, Durability, FileId, ProjectId};
use dazzle_syntax::{Dialect, TextRange, TextSize};
use line_index::LineIndex;
use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::client_settings::RuleOverrides;
use crate::document::Document;
use crate::lsp_convert::{
    Encoding, to_lsp_completion, to_lsp_diagnostic, to_lsp_symbol, to_offset, to_range, to_selection_range,
    to_semantic_tokens,
};
use crate::{project_loader, rules_catalog};

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
    /// Problems with the settings given at initialize, shown once initialized.
    settings_problems: Vec<String>,
    /// Progress tokens handed out so far.
    progress_tokens: u32,
    /// The workspace folders, whose projects load when the client is initialized.
    folders: Vec<PathBuf>,
    /// Snapshots taken for publishing diagnostics so far.
    snapshots: u64,
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
            manifests: HashMap::new(),
            projects: Vec::new(),
            watch_files: false,
            work_done_progress: false,
            rules: RuleOverrides::default(),
            settings_problems: Vec::new(),
            progress_tokens: 0,
            folders: Vec::new(),
            snapshots: 0,
        };
        Backend { client, state: Arc::new(Mutex::new(state)), published: tokio::sync::Mutex::default() }
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
        // One snapshot of the texts, the analysis and the settings, numbered: a result is
        // sent only if no later snapshot's result has been sent for that document already
        // (the version alone cannot tell: a settings change republishes the same version).
        let (analysis, docs, encoding, rules, snapshot) = {
            let mut state = self.lock();
            let mut docs: Vec<(Uri, Option<FileId>, i32, String)> = state
                .docs
                .iter()
                .filter(|(_, d)| d.project == project)
                .map(|(uri, d)| (uri.clone(), Some(d.file), d.doc.version, d.doc.text().to_owned()))
                .collect();
            docs.extend(
                state
                    .manifests
                    .iter()
                    .filter(|(_, m)| m.project == project)
                    .map(|(uri, m)| (uri.clone(), None, m.doc.version, m.doc.text().to_owned())),
            );
            state.snapshots += 1;
            (state.host.analysis(), docs, state.encoding, state.rules.clone(), state.snapshots)
        };
        let computed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            for (uri, file, version, text) in docs {
                let findings = match file {
                    Some(file) => analysis.file_diagnostics(project, file),
                    None => analysis
                        .manifest_diagnostics(project)
                        .map(|all| all.into_iter().filter(|d| d.file == DiagnosticFile::Manifest).collect()),
                };
                let Ok(findings) = findings else { return None };
                let findings = rules.apply(findings);
                let index = LineIndex::new(&text);
                let diagnostics = findings.iter().map(|f| to_lsp_diagnostic(f, &uri, &index, encoding)).collect();
                out.push((uri, version, diagnostics));
            }
            Some(out)
        })
        .await;
        let Ok(Some(results)) = computed else { return };
        // Held across the send, so that check and send are one step among publishers.
        let mut published = self.published.lock().await;
        for (uri, version, diagnostics) in results {
            let current = {
                let state = self.lock();
                state.docs.get(&uri).map(|d| d.doc.version).or_else(|| state.manifests.get(&uri).map(|m| m.doc.version))
            };
            let newer_sent = published.get(&uri).is_some_and(|&sent| sent > snapshot);
            if current == Some(version) && !newer_sent {
                published.insert(uri.clone(), snapshot);
                self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
            }
        }
    }

    /// Records an opened document, loading its project the first time (with a progress
    /// report whose end is the returned sender).
    #[allow(clippy::type_complexity)]
    fn open(
        &self,
        item: TextDocumentItem,
    ) -> std::result::Result<(ProjectId, Option<tokio::sync::oneshot::Sender<()>>), String> {
        let mut state = self.lock();
        // A document that is not a file (an unsaved `untitled:` buffer) stands alone.
        let path = item.uri.to_file_path().map_or_else(|| PathBuf::from(item.uri.as_str()), |p| p.into_owned());
        let known_projects = state.projects.len();
        let i = Backend::project_for(&mut state, &path)?;
        let progress = (state.projects.len() > known_projects && state.work_done_progress).then(|| {
            state.progress_tokens += 1;
            let name = state.projects[i].root.file_name().map(|n| n.to_string_lossy().into_owned());
            let files = state.projects[i].files.len();
            self.start_progress(state.progress_tokens, name.unwrap_or_default(), files)
        });
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
        let doc = Document::new(item.text, item.version);
        state.docs.insert(item.uri.clone(), Doc { file, project, doc });
        Ok((project, progress))
    }

    /// An opened `dazzle.toml` of a project: its text becomes the project's manifest and its
    /// diagnostics (invalid settings, literal secrets — never echoed) are published.
    async fn open_manifest(&self, item: TextDocumentItem) {
        let project = {
            let mut state = self.lock();
            let Some(path) = item.uri.to_file_path().map(|p| p.into_owned()) else { return };
            let i = match Backend::project_for(&mut state, &path) {
                Ok(i) if !state.projects[i].lone => i,
                _ => return, // not the manifest of a project we can read
            };
            let project = state.projects[i].id;
            state.host.set_manifest(project, Some(&item.text));
            let doc = Document::new(item.text, item.version);
            state.manifests.insert(item.uri, ManifestDoc { project, doc });
            project
        };
        self.publish(project).await;
    }

    /// Shows `$/progress` while a newly loaded project is analysed for the first time; the
    /// returned sender ends it. The client's consent to the token is awaited on a task of its
    /// own so that the messages behind this one are not held up.
    fn start_progress(&self, n: u32, name: String, files: usize) -> tokio::sync::oneshot::Sender<()> {
        let (done, finished) = tokio::sync::oneshot::channel::<()>();
        let client = self.client.clone();
        tokio::spawn(async move {
            let token = ProgressToken::String(format!("dazzle-lsp/load/{n}"));
            if client.create_work_done_progress(token.clone()).await.is_err() {
                return;
            }
            let progress = client
                .progress(token, "Analysing Dazzle project")
                .with_message(format!("{name}: {files} files"))
                .begin()
                .await;
            let _ = finished.await;
            progress.finish().await;
        });
        done
    }

    /// Loads the projects found in workspace folders (so that workspace symbols see them before
    /// any file is open) and warms their analysis, under `$/progress`.
    async fn load_folders(&self, folders: &[PathBuf]) {
        let roots: Vec<PathBuf> = folders.iter().flat_map(|f| project_loader::discover_projects(f, 3)).collect();
        if roots.is_empty() {
            return;
        }
        let mut problems = Vec::new();
        let (analysis, projects, progress) = {
            let mut state = self.lock();
            let mut projects = Vec::new();
            for root in &roots {
                match Backend::project_for(&mut state, root) {
                    Ok(i) => projects.push(state.projects[i].id),
                    Err(message) => problems.push(message),
                }
            }
            let progress = state.work_done_progress.then(|| {
                state.progress_tokens += 1;
                let files: usize =
                    state.projects.iter().filter(|p| projects.contains(&p.id)).map(|p| p.files.len()).sum();
                let name = match &roots[..] {
                    [root] => root.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                    _ => format!("{} projects", roots.len()),
                };
                self.start_progress(state.progress_tokens, name, files)
            });
            (state.host.analysis(), projects, progress)
        };
        for problem in problems {
            self.client.show_message(MessageType::ERROR, format!("dazzle-lsp: {problem}")).await;
        }
        // Warm the model and the matrix; an edit arriving meanwhile cancels this, harmlessly.
        let _ = read(move || {
            for project in projects {
                analysis.matrix(project)?;
            }
            Ok(())
        })
        .await;
        if let Some(done) = progress {
            let _ = done.send(());
        }
    }

    /// The project holding `path`, loading it from disk the first time. A file outside any
    /// project (or not on disk) is a project of its own; a project that cannot be read is an
    /// error the user is told about.
    fn project_for(state: &mut State, path: &Path) -> std::result::Result<usize, String> {
        let holds = |p: &ProjectEntry| match p.lone {
            true => p.files.iter().any(|(f, _)| f == path),
            false => path.starts_with(&p.root),
        };
        if let Some(i) = state.projects.iter().position(holds) {
            return Ok(i);
        }
        // An unsaved new file has no disk entry to start the search from: its directory does.
        let root = project_loader::find_project_root(path)
            .or_else(|| path.parent().and_then(project_loader::find_project_root));
        let entry = match root {
            Some(root) => {
                let loaded = project_loader::load(&mut state.host, &root, None).map_err(|e| e.0)?;
                let files = loaded.files.iter().map(|(id, rel, _)| (loaded.root.join(rel), *id)).collect();
                ProjectEntry { root: loaded.root, id: loaded.project, files, lone: false }
            }
            None => {
                // The file itself is added by the caller, with the editor's text.
                let id = state.host.add_project(None, &[], None);
                let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
                ProjectEntry { root, id, files: Vec::new(), lone: true }
            }
        };
        state.projects.push(entry);
        Ok(state.projects.len() - 1)
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
        let offered = params.capabilities.general.and_then(|g| g.position_encodings).unwrap_or_default();
        let (encoding, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else if offered.contains(&PositionEncodingKind::UTF32) && !offered.contains(&PositionEncodingKind::UTF16) {
            (Encoding::Utf32, PositionEncodingKind::UTF32)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        let watch_files = params
            .capabilities
            .workspace
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let work_done_progress = params.capabilities.window.and_then(|w| w.work_done_progress).unwrap_or(false);
        #[allow(deprecated)] // `rootUri` still comes from clients without workspace folders
        let folders: Vec<PathBuf> = match (&params.workspace_folders, &params.root_uri) {
            (Some(folders), _) => folders.iter().filter_map(|f| f.uri.to_file_path()).map(|p| p.into_owned()).collect(),
            (None, Some(root)) => root.to_file_path().map(|p| p.into_owned()).into_iter().collect(),
            (None, None) => Vec::new(),
        };
        let (rules, problems) =
            params.initialization_options.as_ref().map_or_else(Default::default, RuleOverrides::from_settings);
        let rules = rules.unwrap_or_default();
        {
            let mut state = self.lock();
            state.encoding = encoding;
            state.watch_files = watch_files;
            state.work_done_progress = work_done_progress;
            state.rules = rules;
            state.settings_problems = problems;
            state.folders = folders;
        }
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
                workspace_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["(".to_owned(), " ".to_owned()]),
                    ..CompletionOptions::default()
                }),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        legend: SemanticTokensLegend {
                            token_types: dazzle_ide::SEMANTIC_TOKEN_TYPES
                                .iter()
                                .map(|t| SemanticTokenType::new(t))
                                .collect(),
                            token_modifiers: Vec::new(),
                        },
                        full: Some(SemanticTokensFullOptions::Bool(true)),
                        range: Some(true),
                        ..SemanticTokensOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let problems = std::mem::take(&mut self.lock().settings_problems);
        for problem in problems {
            self.client.show_message(MessageType::WARNING, problem).await;
        }
        let folders = self.lock().folders.clone();
        self.load_folders(&folders).await;
        if !self.lock().watch_files {
            return; // the client cannot watch for us; edits made in the editor still arrive
        }
        // Files changed on disk by other tools (git checkout, generators) must reach the
        // analysis; the client watches them for us.
        let watchers = ["**/*.dsl", "**/dazzle.toml"]
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None })
            .to_vec();
        let registration = Registration {
            id: "dazzle-watch".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
        };
        // Awaiting the client's answer here would hold up the messages behind this one.
        let client = self.client.clone();
        tokio::spawn(async move { client.register_capability(vec![registration]).await });
    }

    async fn shutdown(&self) -> Result<()> {
        SHUT_DOWN.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // Only Dazzle sources join a project: a client that sends every file it opens
        // (a README) must not have them analysed as modules. A project's `dazzle.toml` gets
        // the manifest's diagnostics.
        let path = params.text_document.uri.to_file_path().map(|p| p.into_owned());
        if path.as_ref().is_some_and(|p| p.file_name().is_some_and(|n| n == "dazzle.toml")) {
            return self.open_manifest(params.text_document).await;
        }
        if path.is_some_and(|p| p.extension().is_some_and(|e| e != "dsl")) {
            return;
        }
        let (project, progress) = match self.open(params.text_document) {
            Ok(opened) => opened,
            Err(message) => {
                return self.client.show_message(MessageType::ERROR, format!("dazzle-lsp: {message}")).await;
            }
        };
        self.publish(project).await;
        if let Some(done) = progress {
            let _ = done.send(());
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| -> Vec<PathBuf> {
            folders.iter().filter_map(|f| f.uri.to_file_path()).map(|p| p.into_owned()).collect()
        };
        let (added, removed) = (paths(params.event.added), paths(params.event.removed));
        {
            let mut state = self.lock();
            state.folders.retain(|f| !removed.contains(f));
            state.folders.extend(added.iter().cloned());
            // Projects of a removed folder are forgotten unless one of their files is open.
            let open = state.open_projects();
            state.projects.retain(|p| open.contains(&p.id) || !removed.iter().any(|f| p.root.starts_with(f)));
        }
        self.load_folders(&added).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (rules, problems) = RuleOverrides::from_settings(&params.settings);
        let projects: Vec<ProjectId> = {
            let mut state = self.lock();
            match rules.filter(|r| *r != state.rules) {
                None => Vec::new(),
                Some(rules) => {
                    state.rules = rules;
                    state.open_projects()
                }
            }
        };
        for problem in problems {
            self.client.show_message(MessageType::WARNING, problem).await;
        }
        for project in projects {
            self.publish(project).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let project = {
            let mut state = self.lock();
            let state = &mut *state;
            let uri = &params.text_document.uri;
            let (doc, target) = match (state.docs.get_mut(uri), state.manifests.get_mut(uri)) {
                (Some(open), _) => (&mut open.doc, (open.project, Some(open.file))),
                (None, Some(manifest)) => (&mut manifest.doc, (manifest.project, None)),
                (None, None) => return,
            };
            if params.text_document.version < doc.version {
                return;
            }
            for change in params.content_changes {
                doc.apply(change, state.encoding);
            }
            doc.version = params.text_document.version;
            let text = doc.text().to_owned();
            match target {
                (_, Some(file)) => state.host.set_file_text(file, &text),
                (project, None) => state.host.set_manifest(project, Some(&text)),
            }
            target.0
        };
        self.publish(project).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let project = {
            let mut state = self.lock();
            if let Some(manifest) = state.manifests.remove(&uri) {
                let text = uri.to_file_path().and_then(|p| std::fs::read_to_string(p).ok());
                state.host.set_manifest(manifest.project, text.as_deref());
                manifest.project
            } else {
                let Some(doc) = state.docs.remove(&uri) else { return };
                // The editor's unsaved text is gone: the analysis goes back to the file on disk.
                if let Some(text) = uri.to_file_path().and_then(|p| std::fs::read_to_string(p).ok()) {
                    state.host.set_file_text(doc.file, &text);
                }
                doc.project
            }
        };
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        self.publish(project).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&position) else { return Ok(None) };
        let rules = self.lock().rules.clone();
        let (hover, findings) = read(move || {
            let hover = dazzle_ide::hover(&analysis, project, file, offset)?;
            let findings = rules.apply(analysis.file_diagnostics(project, file)?);
            Ok((hover, findings))
        })
        .await?;
        // A finding under the cursor gets its rule explained below the symbol's hover.
        let mut codes: Vec<(&str, TextRange)> = Vec::new();
        for f in findings.iter().filter(|f| f.range.start() <= offset && offset <= f.range.end()) {
            if !codes.iter().any(|(code, _)| *code == f.code) {
                codes.push((f.code, f.range));
            }
        }
        let explained: Vec<String> = codes.iter().filter_map(|(code, _)| rules_catalog::explanation(code)).collect();
        let range = hover.as_ref().map(|h| h.range).or_else(|| codes.first().map(|(_, range)| *range));
        let mut sections: Vec<String> = hover.map(|h| h.markdown).into_iter().collect();
        sections.extend(explained);
        let Some(range) = range.filter(|_| !sections.is_empty()) else { return Ok(None) };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: sections.join("\n\n---\n\n"),
            }),
            range: Some(to_range(&index, range, encoding)),
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
            (state.host.analysis(), doc.file, doc.doc.index().clone(), state.encoding)
        };
        let symbols = read(move || dazzle_ide::document_symbols(&analysis, file)).await?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols.iter().map(|s| to_lsp_symbol(s, &index, encoding)).collect())))
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut touched = Vec::new();
        {
            let mut state = self.lock();
            for event in params.changes {
                if state.docs.contains_key(&event.uri) || state.manifests.contains_key(&event.uri) {
                    continue; // the editor's text wins over the disk's
                }
                let Some(path) = event.uri.to_file_path().map(|p| p.into_owned()) else { continue };
                let Some(i) = state.projects.iter().position(|p| path.starts_with(&p.root) && !p.lone) else {
                    continue;
                };
                let project = state.projects[i].id;
                if path == state.projects[i].root.join("dazzle.toml") {
                    // The project's settings changed on disk (a checkout, another tool).
                    let text = std::fs::read_to_string(&path).ok();
                    state.host.set_manifest(project, text.as_deref());
                    if !touched.contains(&project) {
                        touched.push(project);
                    }
                    continue;
                }
                if path.extension().is_none_or(|e| e != "dsl") {
                    continue;
                }
                let known = state.projects[i].files.iter().position(|(p, _)| *p == path);
                match (event.typ, known) {
                    (FileChangeType::DELETED, Some(k)) => {
                        state.projects[i].files.remove(k);
                    }
                    (FileChangeType::DELETED, None) => continue,
                    (_, Some(k)) => {
                        let Ok(text) = std::fs::read_to_string(&path) else { continue };
                        let file = state.projects[i].files[k].1;
                        state.host.set_file_text(file, &text);
                    }
                    (_, None) => {
                        let Ok(text) = std::fs::read_to_string(&path) else { continue };
                        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        let file = state.host.add_file(&name, &text, Dialect::default(), Durability::LOW);
                        state.projects[i].files.push((path, file));
                        // The loader's order (component-wise by path) decides output order.
                        state.projects[i].files.sort_by(|a, b| a.0.cmp(&b.0));
                    }
                }
                let ids: Vec<FileId> = state.projects[i].files.iter().map(|(_, id)| *id).collect();
                state.host.set_project_files(project, &ids);
                if !touched.contains(&project) {
                    touched.push(project);
                }
            }
        }
        for project in touched {
            self.publish(project).await;
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, _, _)) = self.at(&position) else { return Ok(None) };
        let items = read(move || dazzle_ide::completions(&analysis, project, file, offset)).await?;
        Ok(Some(CompletionResponse::Array(items.into_iter().map(to_lsp_completion).collect())))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, _, encoding)) = self.at(&position) else { return Ok(None) };
        let with_declaration = params.context.include_declaration;
        let uris = self.uris(project);
        let found = read(move || dazzle_ide::references(&analysis, project, file, offset)).await?;
        let ranges = found.into_iter().filter(|r| with_declaration || !r.is_definition).map(|r| (r.file, r.range));
        Ok(Some(locations(&uris, ranges, encoding)))
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params;
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&position) else { return Ok(None) };
        let found = read(move || dazzle_ide::references(&analysis, project, file, offset)).await?;
        let highlights: Vec<DocumentHighlight> = found
            .into_iter()
            .filter(|r| r.file == file)
            .map(|r| DocumentHighlight {
                range: to_range(&index, r.range, encoding),
                kind: Some(if r.is_definition { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
            })
            .collect();
        Ok((!highlights.is_empty()).then_some(highlights))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&params) else { return Ok(None) };
        let range = read(move || dazzle_ide::prepare_rename(&analysis, project, file, offset)).await?;
        Ok(range.map(|r| PrepareRenameResponse::Range(to_range(&index, r, encoding))))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, _, encoding)) = self.at(&position) else { return Ok(None) };
        let uris = self.uris(project);
        let new_name = params.new_name;
        let checked = new_name.clone();
        let edits = read(move || dazzle_ide::rename(&analysis, project, file, offset, &checked)).await?;
        let edits = edits.map_err(Error::invalid_params)?;
        if edits.is_empty() {
            return Err(Error::invalid_params("nothing to rename here"));
        }
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for (id, uri, text) in &uris {
            let index = LineIndex::new(text);
            for r in edits.iter().filter(|r| r.file == *id) {
                let edit = TextEdit { range: to_range(&index, r.range, encoding), new_text: new_name.clone() };
                changes.entry(uri.clone()).or_default().push(edit);
            }
        }
        Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((analysis, project, file, index, text, encoding)) = self.doc(&uri) else { return Ok(None) };
        let start = to_offset(&index, &text, params.range.start, encoding);
        let end = to_offset(&index, &text, params.range.end, encoding).max(start);
        let actions =
            read(move || dazzle_ide::code_actions(&analysis, project, file, TextRange::new(start, end))).await?;
        let response = actions
            .into_iter()
            .map(|a| {
                let range = to_range(&index, a.diagnostic, encoding);
                let diagnostics: Vec<Diagnostic> = params
                    .context
                    .diagnostics
                    .iter()
                    .filter(|d| d.range == range && d.code == Some(NumberOrString::String(a.code.to_owned())))
                    .cloned()
                    .collect();
                let edits = a
                    .edits
                    .iter()
                    .map(|e| TextEdit { range: to_range(&index, e.range, encoding), new_text: e.insert.clone() })
                    .collect();
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: a.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), edits)])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(a.preferred),
                    ..CodeAction::default()
                })
            })
            .collect();
        Ok(Some(response))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((analysis, _, file, index, _, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let ranges = read(move || dazzle_ide::folding_ranges(&analysis, file)).await?;
        Ok(Some(
            ranges
                .into_iter()
                .map(|r| to_range(&index, r, encoding))
                .filter(|r| r.end.line > r.start.line)
                .map(|r| FoldingRange {
                    start_line: r.start.line,
                    end_line: r.end.line,
                    kind: Some(FoldingRangeKind::Region),
                    ..FoldingRange::default()
                })
                .collect(),
        ))
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let Some((analysis, _, file, index, text, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let offsets: Vec<TextSize> = params.positions.iter().map(|p| to_offset(&index, &text, *p, encoding)).collect();
        let nested = read(move || dazzle_ide::selection_ranges(&analysis, file, &offsets)).await?;
        Ok(Some(nested.iter().map(|ranges| to_selection_range(&index, ranges, encoding)).collect()))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let Some((analysis, _, file, index, text, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let tokens = read(move || dazzle_ide::semantic_tokens(&analysis, file, None)).await?;
        let data = to_semantic_tokens(&text, &index, &tokens, encoding);
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let Some((analysis, _, file, index, text, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let start = to_offset(&index, &text, params.range.start, encoding);
        let end = to_offset(&index, &text, params.range.end, encoding).max(start);
        let tokens =
            read(move || dazzle_ide::semantic_tokens(&analysis, file, Some(TextRange::new(start, end)))).await?;
        let data = to_semantic_tokens(&text, &index, &tokens, encoding);
        Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let (analysis, encoding, projects) = {
            let state = self.lock();
            let projects: Vec<ProjectId> = state.projects.iter().map(|p| p.id).collect();
            (state.host.analysis(), state.encoding, projects)
        };
        let files: Vec<(FileId, Uri, String)> = projects.into_iter().flat_map(|p| self.uris(p)).collect();
        let ids: Vec<FileId> = files.iter().map(|(id, _, _)| *id).collect();
        let per_file: Vec<Vec<dazzle_ide::Symbol>> =
            read(move || ids.iter().map(|&f| dazzle_ide::document_symbols(&analysis, f)).collect()).await?;
        let mut out = Vec::new();
        for ((_, uri, text), symbols) in files.iter().zip(per_file) {
            let index = LineIndex::new(text);
            for s in symbols.iter().filter(|s| fuzzy_match(&query, &s.name)) {
                out.push(WorkspaceSymbol {
                    name: s.name.clone(),
                    kind: SymbolKind::CLASS,
                    tags: None,
                    container_name: s.detail.clone(),
                    location: OneOf::Left(Location {
                        uri: uri.clone(),
                        range: to_range(&index, s.selection, encoding),
                    }),
                    data: None,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Nested(out)))
    }
}

/// Whether the query's characters appear in order in the name (case-insensitive), the way
/// editors filter symbol lists.
fn fuzzy_match(query: &str, name: &str) -> bool {
    let mut name = name.chars().flat_map(char::to_lowercase);
    query.chars().all(|q| name.any(|c| c == q))
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
    fn doc(&self, uri: &Uri) -> Option<(Analysis, ProjectId, FileId, LineIndex, String, Encoding)> {
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
    ) -> Option<(Analysis, ProjectId, FileId, TextSize, LineIndex, Encoding)> {
        let state = self.lock();
        let doc = state.docs.get(&position.text_document.uri)?;
        let offset = TextSize::try_from(doc.doc.offset(position.position, state.encoding)).unwrap_or_default();
        Some((state.host.analysis(), doc.project, doc.file, offset, doc.doc.index().clone(), state.encoding))
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
                    Some(doc) => doc.doc.text().to_owned(),
                    None => std::fs::read_to_string(path).ok()?,
                };
                Some((*id, uri, text))
            })
            .collect()
    }
}
