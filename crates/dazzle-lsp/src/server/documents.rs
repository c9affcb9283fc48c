//! Documents opened, edited and closed in the editor, and files changed on disk.

use std::path::PathBuf;
use std::sync::Arc;

use dazzle_analysis::{Durability, FileId, ProjectId};
use dazzle_syntax::Dialect;
use tower_lsp_server::ls_types::*;

use super::{Backend, Doc, ManifestDoc};
use crate::document::Document;

impl Backend {
    /// Records an opened document, loading its project the first time (with a progress
    /// report whose end is the returned sender); whether the project is new.
    #[allow(clippy::type_complexity)]
    fn open(
        &self,
        item: TextDocumentItem,
    ) -> std::result::Result<(ProjectId, bool, Option<tokio::sync::oneshot::Sender<()>>), String> {
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
                state.host.set_file_text(id, item.text.as_str());
                id
            }
            None => {
                let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let id = state.host.add_file(&name, item.text.as_str(), Dialect::default(), Durability::LOW);
                state.projects[i].files.push((path.clone(), id));
                let ids: Vec<FileId> = state.projects[i].files.iter().map(|(_, id)| *id).collect();
                state.host.set_project_files(project, &ids);
                id
            }
        };
        let doc = Document::new(item.text, item.version);
        let replaced = state.docs.insert(item.uri.clone(), Doc { file, project, doc, trees: Vec::new() });
        super::free_later(replaced.map(|d| d.trees).unwrap_or_default());
        Ok((project, state.projects.len() > known_projects, progress))
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

    pub(super) async fn on_did_open(&self, params: DidOpenTextDocumentParams) {
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
        let (project, loaded, progress) = match self.open(params.text_document) {
            Ok(opened) => opened,
            Err(message) => {
                return self.client.show_message(MessageType::ERROR, format!("dazzle-lsp: {message}")).await;
            }
        };
        if loaded {
            // A new project: its files' indexes, which linking the model reads, are computed on
            // every core before the first publish (an edit meanwhile cancels this, harmlessly).
            // The publish then analyses the opened file's entities alone; the others wait until
            // a feature asks for them.
            let analysis = self.lock().host.analysis();
            let _ = super::read(move || {
                let files = analysis.project_files(project);
                crate::parallel::warm_indexes(&analysis, &files);
                Ok(())
            })
            .await;
        }
        self.publish(project).await;
        if let Some(done) = progress {
            let _ = done.send(());
        }
    }

    pub(super) async fn on_did_change(&self, params: DidChangeTextDocumentParams) {
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
            let text: Arc<str> = doc.text().into();
            match target {
                (_, Some(file)) => {
                    // The newest tree published is the base the edited text is reparsed from;
                    // the analysis holds it until the next edit. Every older one is ours
                    // alone, and freed elsewhere.
                    let mut base = None;
                    if let Some(open) = state.docs.get_mut(uri) {
                        base = open.trees.pop();
                        state.replaced_trees.append(&mut open.trees);
                        open.trees.extend(base.clone());
                    }
                    state.host.edit_file_text(file, Arc::clone(&text), base);
                }
                (project, None) => state.host.set_manifest(project, Some(&text)),
            }
            target.0
        };
        self.publish(project).await;
    }

    pub(super) async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let project = {
            let mut state = self.lock();
            if let Some(manifest) = state.manifests.remove(&uri) {
                let text = uri.to_file_path().and_then(|p| std::fs::read_to_string(p).ok());
                state.host.set_manifest(manifest.project, text.as_deref());
                manifest.project
            } else {
                let Some(mut doc) = state.docs.remove(&uri) else { return };
                super::free_later(std::mem::take(&mut doc.trees));
                // The editor's unsaved text is gone: the analysis goes back to the file on disk.
                if let Some(text) = uri.to_file_path().and_then(|p| std::fs::read_to_string(p).ok()) {
                    state.host.set_file_text(doc.file, text);
                }
                doc.project
            }
        };
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        self.publish(project).await;
    }

    pub(super) async fn on_did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
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
                        state.host.set_file_text(file, text.as_str());
                    }
                    (_, None) => {
                        let Ok(text) = std::fs::read_to_string(&path) else { continue };
                        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        let file = state.host.add_file(&name, text.as_str(), Dialect::default(), Durability::LOW);
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
}
