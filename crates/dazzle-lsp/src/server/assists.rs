//! Completion and code actions.

use std::collections::HashMap;

use dazzle_syntax::TextRange;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, read};
use crate::lsp_convert::{to_lsp_completion, to_offset, to_range};

impl Backend {
    pub(super) async fn on_completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, _, _)) = self.at(&position) else { return Ok(None) };
        let items = read(move || dazzle_ide::completions(&analysis, project, file, offset)).await?;
        Ok(Some(CompletionResponse::Array(items.into_iter().map(to_lsp_completion).collect())))
    }

    pub(super) async fn on_code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
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
}
