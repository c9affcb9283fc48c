//! Projects: found for a file or below a workspace folder, loaded with `$/progress`.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::*;

use super::{Backend, ProjectEntry, State, read};
use crate::project_loader;

impl Backend {
    /// Shows `$/progress` while a newly loaded project is analysed for the first time; the
    /// returned sender ends it. The client's consent to the token is awaited on a task of its
    /// own so that the messages behind this one are not held up.
    pub(super) fn start_progress(&self, n: u32, name: String, files: usize) -> tokio::sync::oneshot::Sender<()> {
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
    pub(super) async fn load_folders(&self, folders: &[PathBuf]) {
        let roots: Vec<PathBuf> = folders.iter().flat_map(|f| project_loader::discover_projects(f, 3)).collect();
        if roots.is_empty() {
            return;
        }
        let mut problems = Vec::new();
        let (projects, progress) = {
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
            (projects, progress)
        };
        for problem in problems {
            self.client.show_message(MessageType::ERROR, format!("dazzle-lsp: {problem}")).await;
        }
        // Warm the model and the matrix; an edit arriving meanwhile cancels this, harmlessly.
        let analysis = self.lock().host.analysis();
        let _ = read(move || {
            for project in projects {
                crate::parallel::warm_project(&analysis, project);
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
    pub(super) fn project_for(state: &mut State, path: &Path) -> std::result::Result<usize, String> {
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

    pub(super) async fn on_did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
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
}
