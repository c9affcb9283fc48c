//! The server's own requests: `dazzle/rbacMatrix` and `dazzle/securityReport`.

use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, read};
use crate::cli::ReportFormat;
use crate::project_loader::LoadedProject;

/// Params of `dazzle/rbacMatrix`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MatrixParams {
    text_document: TextDocumentIdentifier,
}

/// Params of `dazzle/securityReport`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReportParams {
    text_document: TextDocumentIdentifier,
    /// `html` (the default), `markdown` or `json`.
    #[serde(default)]
    format: Option<String>,
}

impl Backend {
    /// `dazzle/securityReport`: the security report of the document's project, as
    /// `dazzle-lsp report` renders it but from the editor's unsaved texts:
    /// `{ "format": …, "content": … }`.
    pub(super) async fn security_report(&self, params: ReportParams) -> Result<serde_json::Value> {
        let format = match params.format.as_deref() {
            None | Some("html") => ReportFormat::Html,
            Some("markdown") => ReportFormat::Markdown,
            Some("json") => ReportFormat::Json,
            Some(other) => return Err(Error::invalid_params(format!("unknown report format `{other}`"))),
        };
        let uri = &params.text_document.uri;
        let (analysis, project, root, files) = {
            let state = self.lock();
            let project = match (state.docs.get(uri), state.manifests.get(uri)) {
                (Some(doc), _) => doc.project,
                (None, Some(manifest)) => manifest.project,
                (None, None) => return Err(Error::invalid_params("the document is not open")),
            };
            let Some(entry) = state.projects.iter().find(|p| p.id == project) else {
                return Err(Error::invalid_params("no project"));
            };
            (state.host.analysis(), project, entry.root.clone(), entry.files.clone())
        };
        let result = read(move || {
            let mut loaded_files = Vec::with_capacity(files.len());
            for (path, id) in &files {
                let text = analysis.file_text(*id)?.unwrap_or_default();
                let relative = path.strip_prefix(&root).unwrap_or(path).to_path_buf();
                loaded_files.push((*id, relative, text));
            }
            let manifest_text = analysis.manifest_text(project)?.map(|t| t.to_string());
            let loaded = LoadedProject { root: root.clone(), project, files: loaded_files, manifest_text };
            Ok(crate::report::render(&analysis, &loaded, format))
        })
        .await?;
        match result {
            Ok(content) => Ok(serde_json::json!({ "format": format_name(format), "content": content })),
            Err(message) if message == crate::report::CANCELLED => Err(Error {
                code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32801),
                message: "content modified".into(),
                data: None,
            }),
            Err(message) => Err(Error::invalid_params(message)),
        }
    }

    /// `dazzle/rbacMatrix`: the project's matrix as `dazzle-lsp matrix --format json` prints it.
    pub(super) async fn rbac_matrix(&self, params: MatrixParams) -> Result<serde_json::Value> {
        let (analysis, project) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&params.text_document.uri) else {
                return Err(Error::invalid_params("the document is not open"));
            };
            (state.host.analysis(), doc.project)
        };
        let text = read(move || {
            let matrix = analysis.matrix(project)?;
            Ok(matrix.map(|m| crate::matrix_output::json_text(&m)))
        })
        .await?;
        let Some(text) = text else { return Err(Error::invalid_params("no project")) };
        serde_json::from_str(&text).map_err(|e| Error::invalid_params(e.to_string()))
    }
}

fn format_name(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Html => "html",
        ReportFormat::Markdown => "markdown",
        ReportFormat::Json => "json",
    }
}
