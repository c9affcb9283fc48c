//! Conversions between the analysis's byte ranges and findings and their LSP forms, in the
//! position encoding negotiated with the client.

use dazzle_analysis::diagnostics::{Diagnostic as Finding, Severity};
use dazzle_syntax::{TextRange, TextSize};
use line_index::{LineCol, LineIndex, WideEncoding, WideLineCol};
use tower_lsp_server::ls_types::*;

/// The position encoding agreed with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

/// A finding as an LSP diagnostic (its code as a string, source `dazzle-lsp`), with its
/// related places in the same document.
pub(crate) fn to_lsp_diagnostic(d: &Finding, uri: &Uri, index: &LineIndex, encoding: Encoding) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: to_range(index, r.range, encoding) },
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: to_range(index, d.range, encoding),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.code.to_owned())),
        source: Some("dazzle-lsp".to_owned()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// The LSP position of a byte offset (clamped to the text, and back to a character boundary:
/// a range computed on another version of the text must not bring the server down).
pub(crate) fn to_position(index: &LineIndex, offset: TextSize, encoding: Encoding) -> Position {
    let mut offset = u32::from(offset.min(index.len()));
    let lc = loop {
        match index.try_line_col(line_index::TextSize::from(offset)) {
            Some(lc) => break lc,
            None => offset -= 1, // inside a multi-byte character; offset 0 always converts
        }
    };
    let character = match encoding {
        Encoding::Utf8 => lc.col,
        Encoding::Utf16 => index.to_wide(WideEncoding::Utf16, lc).map_or(lc.col, |w| w.col),
        Encoding::Utf32 => index.to_wide(WideEncoding::Utf32, lc).map_or(lc.col, |w| w.col),
    };
    Position { line: lc.line, character }
}

/// The LSP range of a byte range.
pub(crate) fn to_range(index: &LineIndex, range: TextRange, encoding: Encoding) -> Range {
    Range { start: to_position(index, range.start(), encoding), end: to_position(index, range.end(), encoding) }
}

/// The byte offset of an LSP position; positions past a line's end clamp to it (before its
/// `\n` or `\r\n`, as the protocol says), past the last line to the end of the text, inside a
/// character to its start.
pub(crate) fn to_offset(index: &LineIndex, text: &str, position: Position, encoding: Encoding) -> TextSize {
    let Some(mut line_range) = index.line(position.line) else { return TextSize::of(text) };
    // The range runs to the next line's start: leave the line break out.
    let line_text = text.get(usize::from(line_range.start())..usize::from(line_range.end())).unwrap_or_default();
    let content = line_text.strip_suffix('\n').map_or(line_text, |l| l.strip_suffix('\r').unwrap_or(l));
    line_range = line_index::TextRange::at(line_range.start(), line_index::TextSize::of(content));
    let lc = match encoding {
        Encoding::Utf8 => LineCol { line: position.line, col: position.character },
        Encoding::Utf16 => index
            .to_utf8(WideEncoding::Utf16, WideLineCol { line: position.line, col: position.character })
            .unwrap_or(LineCol { line: position.line, col: u32::from(line_range.len()) }),
        Encoding::Utf32 => index
            .to_utf8(WideEncoding::Utf32, WideLineCol { line: position.line, col: position.character })
            .unwrap_or(LineCol { line: position.line, col: u32::from(line_range.len()) }),
    };
    let col = lc.col.min(u32::from(line_range.len()));
    let mut offset = usize::from(line_range.start()) + col as usize;
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    TextSize::try_from(offset).unwrap_or_default()
}

/// An outline entry and its children as an LSP document symbol.
#[allow(deprecated)]
pub(crate) fn to_lsp_symbol(s: &dazzle_ide::Symbol, index: &LineIndex, encoding: Encoding) -> DocumentSymbol {
    DocumentSymbol {
        name: if s.name.is_empty() { "?".to_owned() } else { s.name.clone() },
        detail: s.detail.clone(),
        kind: match s.kind {
            dazzle_ide::SymbolKind::Construct => SymbolKind::CLASS,
            dazzle_ide::SymbolKind::Field => SymbolKind::FIELD,
            dazzle_ide::SymbolKind::Block => SymbolKind::NAMESPACE,
        },
        tags: None,
        deprecated: None,
        range: to_range(index, s.range, encoding),
        selection_range: to_range(index, s.selection, encoding),
        children: Some(s.children.iter().map(|c| to_lsp_symbol(c, index, encoding)).collect()),
    }
}

/// Encodes highlighted byte ranges as LSP relative semantic tokens; a token spanning lines
/// becomes one token per line, since clients need not support multi-line tokens.
pub(crate) fn to_semantic_tokens(
    text: &str,
    index: &LineIndex,
    tokens: &[dazzle_ide::SemanticToken],
    encoding: Encoding,
) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    for &(range, class) in tokens {
        let start = to_position(index, range.start(), encoding);
        let slice = &text[usize::from(range.start()).min(text.len())..usize::from(range.end()).min(text.len())];
        for (i, piece) in slice.split('\n').enumerate() {
            let line = start.line + i as u32;
            let col = if i == 0 { start.character } else { 0 };
            let length = encoded_len(piece.trim_end_matches('\r'), encoding);
            if length == 0 {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 { col - prev_start } else { col };
            out.push(SemanticToken { delta_line, delta_start, length, token_type: class, token_modifiers_bitset: 0 });
            (prev_line, prev_start) = (line, col);
        }
    }
    out
}

fn encoded_len(s: &str, encoding: Encoding) -> u32 {
    let len = match encoding {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.encode_utf16().count(),
        Encoding::Utf32 => s.chars().count(),
    };
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Nests ranges given innermost first into the LSP parent chain.
pub(crate) fn to_selection_range(index: &LineIndex, ranges: &[TextRange], encoding: Encoding) -> SelectionRange {
    let mut chain: Option<SelectionRange> = None;
    for range in ranges.iter().rev() {
        chain = Some(SelectionRange { range: to_range(index, *range, encoding), parent: chain.map(Box::new) });
    }
    chain.unwrap_or(SelectionRange { range: Range::default(), parent: None })
}

/// A completion proposal as an LSP item (snippets marked as such).
pub(crate) fn to_lsp_completion(c: dazzle_ide::CompletionItem) -> CompletionItem {
    let kind = match c.kind {
        dazzle_ide::CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        dazzle_ide::CompletionKind::Entity => CompletionItemKind::CLASS,
        dazzle_ide::CompletionKind::Persona => CompletionItemKind::VARIABLE,
        dazzle_ide::CompletionKind::Field => CompletionItemKind::FIELD,
        dazzle_ide::CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    };
    CompletionItem {
        insert_text_format: c.snippet.is_some().then_some(InsertTextFormat::SNIPPET),
        insert_text: c.snippet,
        label: c.label,
        kind: Some(kind),
        detail: c.detail,
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_inside_a_character_converts_to_its_start() {
        // A range computed on another version of the text (a file changed on disk) may fall
        // inside a multi-byte character: the conversion must not panic.
        let text = "a😀b\nc";
        let index = LineIndex::new(text);
        for inside in 2..5 {
            assert_eq!(to_position(&index, TextSize::from(inside), Encoding::Utf16), Position::new(0, 1));
        }
        assert_eq!(to_position(&index, TextSize::from(5), Encoding::Utf16), Position::new(0, 3));
        assert_eq!(to_position(&index, TextSize::from(99), Encoding::Utf32), Position::new(1, 1));
    }

    #[test]
    fn a_position_past_the_line_end_clamps_before_the_line_break() {
        let text = "ab\r\ncd\nef";
        let index = LineIndex::new(text);
        let at = |line, character| to_offset(&index, text, Position::new(line, character), Encoding::Utf16);
        assert_eq!(at(0, 9), TextSize::from(2));
        assert_eq!(at(1, 9), TextSize::from(6));
        assert_eq!(at(2, 9), TextSize::from(9));
        assert_eq!(at(3, 0), TextSize::from(9));
    }
}
