//! Hover, definition, references, highlights, rename and symbols.

use std::collections::HashMap;

use dazzle_analysis::FileId;
use dazzle_syntax::TextRange;
use line_index::LineIndex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, files_of, locations, read};
use crate::lsp_convert::{to_lsp_symbol, to_range};
use crate::rules_catalog;

impl Backend {
    pub(super) async fn on_hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let rules = self.lock().rules.clone();
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&position) else { return Ok(None) };
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

    pub(super) async fn on_goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let Some((analysis, project, file, offset, encoding, uris)) = self.at_with_files(&position) else {
            return Ok(None);
        };
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

    pub(super) async fn on_references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, encoding, uris)) = self.at_with_files(&position) else {
            return Ok(None);
        };
        let with_declaration = params.context.include_declaration;
        let found = read(move || dazzle_ide::references(&analysis, project, file, offset)).await?;
        let ranges = found.into_iter().filter(|r| with_declaration || !r.is_definition).map(|r| (r.file, r.range));
        Ok(Some(locations(&uris, ranges, encoding)))
    }

    pub(super) async fn on_document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
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

    pub(super) async fn on_prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((analysis, project, file, offset, index, encoding)) = self.at(&params) else { return Ok(None) };
        let range = read(move || dazzle_ide::prepare_rename(&analysis, project, file, offset)).await?;
        Ok(range.map(|r| PrepareRenameResponse::Range(to_range(&index, r, encoding))))
    }

    pub(super) async fn on_rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let Some((analysis, project, file, offset, encoding, uris)) = self.at_with_files(&position) else {
            return Ok(None);
        };
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

    pub(super) async fn on_document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let (analysis, file, index, encoding) = {
            let state = self.lock();
            let Some(doc) = state.docs.get(&params.text_document.uri) else { return Ok(None) };
            (state.host.analysis(), doc.file, doc.doc.index().clone(), state.encoding)
        };
        let symbols = read(move || dazzle_ide::document_symbols(&analysis, file)).await?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols.iter().map(|s| to_lsp_symbol(s, &index, encoding)).collect())))
    }

    pub(super) async fn on_symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let (analysis, encoding, files) = {
            let state = self.lock();
            let files: Vec<(FileId, Uri, String)> =
                state.projects.iter().flat_map(|p| files_of(&state, p.id)).collect();
            (state.host.analysis(), state.encoding, files)
        };
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
