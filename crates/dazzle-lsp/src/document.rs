//! An open document: the editor's text, its version and its line index, changed by the
//! `didChange` events the client sends.

use std::sync::Arc;

use line_index::LineIndex;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};

use crate::lsp_convert::{Encoding, to_offset, to_position};

/// The editor's copy of a file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The version the client gave with the last change.
    pub version: i32,
    text: String,
    index: Arc<LineIndex>,
}

impl Document {
    /// A document opened with `text` at `version`.
    pub fn new(text: String, version: i32) -> Document {
        let index = Arc::new(LineIndex::new(&text));
        Document { version, text, index }
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line index of the current text (shared: a request or a publish takes a count, not
    /// a copy).
    pub fn index(&self) -> &Arc<LineIndex> {
        &self.index
    }

    /// Applies one change: a range replacement, or the whole text when it has no range.
    /// Positions past a line's end clamp to it, past the last line to the end of the text; a
    /// range whose end precedes its start is treated as empty at its start.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) {
        match change.range {
            None => self.text = change.text,
            Some(range) => {
                let start = to_offset(&self.index, &self.text, range.start, encoding);
                let end = to_offset(&self.index, &self.text, range.end, encoding).max(start);
                self.text.replace_range(usize::from(start)..usize::from(end), &change.text);
            }
        }
        self.index = Arc::new(LineIndex::new(&self.text));
    }

    /// The byte offset of an LSP position (clamped as in [`Document::apply`]).
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        usize::from(to_offset(&self.index, &self.text, position, encoding))
    }

    /// The LSP position of a byte offset (clamped to the text, and back to a character
    /// boundary).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        to_position(&self.index, dazzle_syntax::TextSize::try_from(offset).unwrap_or_default(), encoding)
    }
}
