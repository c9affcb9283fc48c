//! The server's document store against a string-splicing model: random LSP edits (ranges in
//! UTF-8, UTF-16 or UTF-32, positions past line ends and past the end, whole-text
//! replacements) leave `Document` with exactly the text the model computes, and positions
//! past a line's end clamp to the end of its content, before `\n` or `\r\n`.

use dazzle_lsp::Encoding;
use dazzle_lsp::document::Document;
use proptest::prelude::*;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// The byte offset of a position, computed independently: lines end at `\n` (a `\r` before it
/// belongs to the line break, a lone `\r` does not end a line), a character past the content
/// clamps to its end, a line past the last to the end of the text, a position inside a
/// character to its start.
fn model_offset(text: &str, p: Position, encoding: Encoding) -> usize {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(line) = lines.get(p.line as usize) else { return text.len() };
    let start: usize = lines[..p.line as usize].iter().map(|l| l.len() + 1).sum();
    let content = if (p.line as usize) + 1 < lines.len() { line.strip_suffix('\r').unwrap_or(line) } else { line };
    let mut units = 0u64;
    for (i, c) in content.char_indices() {
        let width = match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        } as u64;
        if units + width > u64::from(p.character) {
            return start + i;
        }
        units += width;
    }
    start + content.len()
}

const PIECES: &[&str] =
    &["", "a", "\n", "\r\n", "\r", "é", "😀", "€", "entity X \"X\":\n", "  id: uuid pk\n", "\t", "ab\ncd"];

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![Just(Encoding::Utf8), Just(Encoding::Utf16), Just(Encoding::Utf32)]
}

fn position() -> impl Strategy<Value = Position> {
    let line = prop_oneof![6 => 0..8u32, 1 => Just(u32::MAX), 1 => any::<u32>()];
    let character = prop_oneof![6 => 0..12u32, 1 => Just(u32::MAX), 1 => any::<u32>()];
    (line, character).prop_map(|(line, character)| Position { line, character })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..16).prop_map(|p| p.concat())
}

/// A change: a range replacement, or (rarely) the whole text.
fn change() -> impl Strategy<Value = (Option<(Position, Position)>, String)> {
    (prop::option::weighted(0.9, (position(), position())), text())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn document_edits_equal_the_string_model(
        initial in text(),
        steps in prop::collection::vec((encoding(), change()), 1..12),
    ) {
        let mut document = Document::new(initial.clone(), 1);
        let mut model = initial;
        for (encoding, (range, text)) in steps {
            match range {
                None => model = text.clone(),
                Some((start, end)) => {
                    let a = model_offset(&model, start, encoding);
                    let b = model_offset(&model, end, encoding).max(a);
                    model.replace_range(a..b, &text);
                }
            }
            let range = range.map(|(start, end)| Range { start, end });
            document.apply(TextDocumentContentChangeEvent { range, range_length: None, text }, encoding);
            prop_assert_eq!(document.text(), model.as_str());
        }
    }

    #[test]
    fn offsets_round_trip_through_positions(text in text(), offset in 0..64usize, encoding in encoding()) {
        let document = Document::new(text.clone(), 1);
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let position = document.position(offset, encoding);
        let inside_crlf = text[..offset].ends_with('\r') && text[offset..].starts_with('\n');
        if !inside_crlf {
            prop_assert_eq!(document.offset(position, encoding), offset);
        }
    }
}

#[test]
fn positions_past_a_line_end_clamp_before_its_line_break() {
    let document = Document::new("ab\r\ncd\nef😀\rg".to_owned(), 1);
    let at = |line, character, encoding| document.offset(Position { line, character }, encoding);
    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        assert_eq!(at(0, 2, encoding), 2);
        assert_eq!(at(0, 3, encoding), 2, "not between \\r and \\n");
        assert_eq!(at(0, u32::MAX, encoding), 2);
        assert_eq!(at(1, 99, encoding), 6, "not past the \\n");
        assert_eq!(at(2, u32::MAX, encoding), document.text().len(), "a lone \\r ends no line");
        assert_eq!(at(3, 0, encoding), document.text().len());
        assert_eq!(at(u32::MAX, u32::MAX, encoding), document.text().len());
    }
    // Inside the emoji: back to its start.
    assert_eq!(at(2, 3, Encoding::Utf16), 9);
    assert_eq!(at(2, 4, Encoding::Utf16), 13);
    assert_eq!(at(2, 3, Encoding::Utf32), 13);
    assert_eq!(at(2, 5, Encoding::Utf8), 9);

    let mut document = Document::new("ab\ncd".to_owned(), 1);
    let range = Range { start: Position { line: 0, character: 10 }, end: Position { line: 0, character: 10 } };
    document.apply(
        TextDocumentContentChangeEvent { range: Some(range), range_length: None, text: "!".to_owned() },
        Encoding::Utf16,
    );
    assert_eq!(document.text(), "ab!\ncd", "an insertion past the line's end lands at its end");
}
