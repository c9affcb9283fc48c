//! The server's own requests: `dazzle/rbacMatrix`.

use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, read};

/// Params of `dazzle/rbacMatrix`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MatrixParams {
    text_document: TextDocumentIdentifier,
}

impl Backend {
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
