//! `textDocument/formatting` and `textDocument/rangeFormatting`: the editor's text formatted
//! as its project's `dazzle.toml` asks (the open manifest's text if it is open), answered as
//! minimal edits — one per run of changed lines, none inside an item kept for its syntax
//! errors. A range request keeps the edits that touch the range.

use dazzle_syntax::TextRange;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::formatting::{FormatSettings, line_edits};
use crate::lsp_convert::{to_offset, to_range};

impl Backend {
    pub(super) async fn on_formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.format_edits(&params.text_document.uri, None).await
    }

    pub(super) async fn on_range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.format_edits(&params.text_document.uri, Some(params.range)).await
    }

    async fn format_edits(&self, uri: &Uri, range: Option<Range>) -> Result<Option<Vec<TextEdit>>> {
        let (text, index, encoding, manifest) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(uri) else { return Ok(None) };
            let root = state.projects.iter().find(|p| p.id == doc.project && !p.lone).map(|p| p.root.clone());
            // The open dazzle.toml's text wins over the file on disk.
            let open = state.manifests.values().find(|m| m.project == doc.project).map(|m| m.doc.text().to_owned());
            let manifest = open.or_else(|| root.and_then(|r| std::fs::read_to_string(r.join("dazzle.toml")).ok()));
            (doc.doc.text().to_owned(), doc.doc.index().clone(), state.encoding, manifest)
        };
        let wanted = range.map(|r| {
            let start = to_offset(&index, &text, r.start, encoding);
            TextRange::new(start, to_offset(&index, &text, r.end, encoding).max(start))
        });
        let source = text.clone();
        let formatted =
            tokio::task::spawn_blocking(move || FormatSettings::from_manifest(manifest.as_deref()).format(&source))
                .await
                .map_err(|_| tower_lsp_server::jsonrpc::Error::internal_error())?;
        if let Some(reason) = formatted.refused {
            self.client.show_message(MessageType::WARNING, format!("dazzle-lsp: not formatted: {reason}")).await;
            return Ok(None);
        }
        let edits = line_edits(&text, &formatted.text)
            .into_iter()
            .filter_map(|(bytes, new_text)| {
                let range =
                    TextRange::new(u32::try_from(bytes.start).ok()?.into(), u32::try_from(bytes.end).ok()?.into());
                let touches = wanted.is_none_or(|w| range.start() <= w.end() && w.start() <= range.end());
                touches.then(|| TextEdit { range: to_range(&index, range, encoding), new_text })
            })
            .collect();
        Ok(Some(edits))
    }
}
