//! Initialisation (capabilities, settings, position encoding), the file watcher and shutdown.

use std::path::PathBuf;

use dazzle_analysis::ProjectId;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, SHUT_DOWN};
use crate::client_settings::{LensSettings, RuleOverrides};
use crate::lsp_convert::Encoding;

impl Backend {
    pub(super) async fn on_initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params.capabilities.general.and_then(|g| g.position_encodings).unwrap_or_default();
        let (encoding, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else if offered.contains(&PositionEncodingKind::UTF32) && !offered.contains(&PositionEncodingKind::UTF16) {
            (Encoding::Utf32, PositionEncodingKind::UTF32)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        let workspace = params.capabilities.workspace.as_ref();
        let watch_files =
            workspace.and_then(|w| w.did_change_watched_files).and_then(|w| w.dynamic_registration).unwrap_or(false);
        let lens_refresh =
            workspace.and_then(|w| w.code_lens.as_ref()).and_then(|c| c.refresh_support).unwrap_or(false);
        let work_done_progress = params.capabilities.window.and_then(|w| w.work_done_progress).unwrap_or(false);
        #[allow(deprecated)] // `rootUri` still comes from clients without workspace folders
        let folders: Vec<PathBuf> = match (&params.workspace_folders, &params.root_uri) {
            (Some(folders), _) => folders.iter().filter_map(|f| f.uri.to_file_path()).map(|p| p.into_owned()).collect(),
            (None, Some(root)) => root.to_file_path().map(|p| p.into_owned()).into_iter().collect(),
            (None, None) => Vec::new(),
        };
        let options = params.initialization_options.unwrap_or_default();
        let (rules, mut problems) = RuleOverrides::from_settings(&options);
        let rules = rules.unwrap_or_default();
        let (lenses, lens_problems) = LensSettings::from_settings(&options, LensSettings::default());
        problems.extend(lens_problems);
        {
            let mut state = self.lock();
            state.encoding = encoding;
            state.watch_files = watch_files;
            state.work_done_progress = work_done_progress;
            state.rules = rules;
            state.lenses = lenses.unwrap_or_default();
            state.lens_refresh = lens_refresh;
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
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
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

    pub(super) async fn on_initialized(&self, _: InitializedParams) {
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

    pub(super) async fn on_shutdown(&self) -> Result<()> {
        SHUT_DOWN.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    pub(super) async fn on_did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (rules, mut problems) = RuleOverrides::from_settings(&params.settings);
        let (projects, refresh_lenses): (Vec<ProjectId>, bool) = {
            let mut state = self.lock();
            let (lenses, lens_problems) = LensSettings::from_settings(&params.settings, state.lenses);
            problems.extend(lens_problems);
            let lenses_changed = lenses.is_some_and(|l| l != state.lenses);
            if let Some(lenses) = lenses {
                state.lenses = lenses;
            }
            let projects = match rules.filter(|r| *r != state.rules) {
                None => Vec::new(),
                Some(rules) => {
                    state.rules = rules;
                    state.open_projects()
                }
            };
            (projects, lenses_changed && state.lens_refresh)
        };
        for problem in problems {
            self.client.show_message(MessageType::WARNING, problem).await;
        }
        if refresh_lenses {
            // Awaiting the client's answer here would hold up the messages behind this one.
            let client = self.client.clone();
            tokio::spawn(async move { client.code_lens_refresh().await });
        }
        for project in projects {
            self.publish(project).await;
        }
    }
}
