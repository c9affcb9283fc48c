//! Code lenses over entity headers — the entity's matrix row, and what changed in it since
//! `HEAD` when the project is in a git repository — and `dazzle/matrixDiff`, the whole diff
//! against a revision as `dazzle-lsp diff --format json` prints it.

use std::path::PathBuf;

use dazzle_analysis::ProjectId;
use dazzle_analysis::access_diff::{self, MatrixTable};
use serde::Deserialize;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, files_of, read};
use crate::diff_cmd::{self, Side};
use crate::lsp_convert::to_range;
use crate::revision;

/// Params of `dazzle/matrixDiff`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MatrixDiffParams {
    text_document: TextDocumentIdentifier,
    /// The base revision (default `HEAD`).
    base: Option<String>,
}

impl Backend {
    pub(super) async fn on_code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let (analysis, project, file, index, encoding, settings, root) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&uri) else { return Ok(None) };
            let root = state.projects.iter().find(|p| p.id == doc.project && !p.lone).map(|p| p.root.clone());
            let index = doc.doc.index().clone();
            (state.host.analysis(), doc.project, doc.file, index, state.encoding, state.lenses, root)
        };
        if !settings.matrix && !settings.changes {
            return Ok(None);
        }
        // The snapshot moves into the read and is gone before `baseline` takes the lock.
        let (rows, head) = read(move || {
            let rows = dazzle_ide::entity_lenses(&analysis, project, file)?;
            let head = analysis.matrix(project)?.map(|m| MatrixTable::from_matrix(&m));
            Ok((rows, head))
        })
        .await?;
        let lens = |range, title: String, command: &str| CodeLens {
            range: to_range(&index, range, encoding),
            command: Some(Command { title, command: command.to_owned(), arguments: Some(vec![json!(uri.as_str())]) }),
            data: None,
        };
        let mut lenses = Vec::new();
        if settings.matrix {
            lenses.extend(rows.iter().map(|r| lens(r.range, r.row.clone(), "dazzle.showMatrix")));
        }
        if let (true, Some(root), Some(head)) = (settings.changes, root, head)
            && let Some(baseline) = self.baseline(project, root).await
        {
            let diff = access_diff::diff(&baseline.table, &head);
            for row in &rows {
                if let Some(text) = dazzle_ide::changes_since(&diff, &row.entity, "HEAD") {
                    lenses.push(lens(row.range, text, "dazzle.showMatrixChanges"));
                }
            }
        }
        Ok(Some(lenses))
    }

    /// The project's matrix at `HEAD`, cached per commit; `None` outside a git repository or
    /// before the first commit.
    async fn baseline(&self, project: ProjectId, root: PathBuf) -> Option<Side> {
        let cached = self.lock().baselines.get(&project).cloned();
        let at = root.clone();
        let commit =
            tokio::task::spawn_blocking(move || revision::Repo::discover(&at)?.resolve("HEAD")).await.ok()?.ok()?;
        if let Some((known, side)) = cached
            && known == commit
        {
            return Some(side);
        }
        let rev = commit.clone();
        let side = tokio::task::spawn_blocking(move || diff_cmd::revision_side(&root, &rev, None)).await.ok()?.ok()?;
        self.lock().baselines.insert(project, (commit, side.clone()));
        Some(side)
    }

    /// `dazzle/matrixDiff`: who gained or lost access from a revision (default `HEAD`) to the
    /// editor's text, as `dazzle-lsp diff --format json` reports it.
    pub(super) async fn matrix_diff(&self, params: MatrixDiffParams) -> Result<serde_json::Value> {
        let (analysis, project, root, files) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&params.text_document.uri) else {
                return Err(Error::invalid_params("the document is not open"));
            };
            let Some(entry) = state.projects.iter().find(|p| p.id == doc.project && !p.lone) else {
                return Err(Error::invalid_params("the document is not in a project with a dazzle.toml"));
            };
            (state.host.analysis(), doc.project, entry.root.clone(), files_of(&state, doc.project))
        };
        let files: Vec<_> = files
            .into_iter()
            .filter_map(|(id, uri, text)| {
                let path = uri.to_file_path()?.into_owned();
                Some((id, path.strip_prefix(&root).ok()?.to_path_buf(), std::sync::Arc::from(text)))
            })
            .collect();
        let base = params.base.unwrap_or_else(|| "HEAD".to_owned());
        let json = tokio::task::spawn_blocking(move || -> std::result::Result<String, String> {
            let base = diff_cmd::revision_side(&root, &base, None)?;
            let head = Side::analysed("editor".to_owned(), None, analysis, project, files)?;
            Ok(crate::diff_render::json(&diff_cmd::report(&base, &head, root)?))
        })
        .await
        .map_err(|_| Error::internal_error())?
        .map_err(Error::invalid_params)?;
        serde_json::from_str(&json).map_err(|e| Error::invalid_params(e.to_string()))
    }
}
