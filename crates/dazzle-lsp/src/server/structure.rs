//! Folding and selection ranges and semantic tokens.

use dazzle_syntax::{TextRange, TextSize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, read};
use crate::lsp_convert::{to_offset, to_range, to_selection_range, to_semantic_tokens};

impl Backend {
    pub(super) async fn on_folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
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

    pub(super) async fn on_selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let Some((analysis, _, file, index, text, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let offsets: Vec<TextSize> = params.positions.iter().map(|p| to_offset(&index, &text, *p, encoding)).collect();
        let nested = read(move || dazzle_ide::selection_ranges(&analysis, file, &offsets)).await?;
        Ok(Some(nested.iter().map(|ranges| to_selection_range(&index, ranges, encoding)).collect()))
    }

    pub(super) async fn on_semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((analysis, _, file, index, text, encoding)) = self.doc(&params.text_document.uri) else {
            return Ok(None);
        };
        let tokens = read(move || dazzle_ide::semantic_tokens(&analysis, file, None)).await?;
        let data = to_semantic_tokens(&text, &index, &tokens, encoding);
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    pub(super) async fn on_semantic_tokens_range(
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
}
