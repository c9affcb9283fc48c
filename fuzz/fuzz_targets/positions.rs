//! LSP position conversion on hostile text (CRLF, lone CR, characters of every UTF-8 and UTF-16
//! width, positions past line ends and past the end, in UTF-8, UTF-16 and UTF-32):
//! `Document::offset` and `Document::position` never panic, offsets fall on character
//! boundaries inside the text, and agree with an independent computation; positions inside
//! the text round-trip through offsets, and offsets on character boundaries round-trip through
//! positions (except inside a `\r\n`, which is no place inside a line).
//!
//! Input: the text, a NUL byte, then the bytes positions and offsets are drawn from.
#![no_main]

use dazzle_lsp::Encoding;
use dazzle_lsp::document::Document;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types::Position;

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

fn width(c: char, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => c.len_utf8() as u32,
        Encoding::Utf16 => c.len_utf16() as u32,
        Encoding::Utf32 => 1,
    }
}

/// Every line as (start offset, content): lines end at `\n`, a `\r` before it belongs to the
/// line break; a lone `\r` is an ordinary character.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        match text[start..].find('\n') {
            Some(i) => {
                let line = &text[start..start + i];
                out.push((start, line.strip_suffix('\r').unwrap_or(line)));
                start += i + 1;
            }
            None => {
                out.push((start, &text[start..]));
                return out;
            }
        }
    }
}

/// The offset of a position, independently: clamped to the line's content, to the end of the
/// text past the last line, to a character's start inside it.
fn model_offset(lines: &[(usize, &str)], text: &str, p: Position, encoding: Encoding) -> usize {
    let Some(&(start, content)) = lines.get(p.line as usize) else { return text.len() };
    let mut units = 0u64;
    for (i, c) in content.char_indices() {
        if units + u64::from(width(c, encoding)) > u64::from(p.character) {
            return start + i;
        }
        units += u64::from(width(c, encoding));
    }
    start + content.len()
}

/// The position of an offset on a character boundary, independently.
fn model_position(lines: &[(usize, &str)], offset: usize, encoding: Encoding) -> Position {
    let line = lines.partition_point(|&(start, _)| start <= offset) - 1;
    let (start, content) = lines[line];
    let within = &content[..(offset - start).min(content.len())];
    let mut character: u32 = within.chars().map(|c| width(c, encoding)).sum();
    // An offset between `\r` and `\n` counts the `\r`.
    if offset - start > content.len() {
        character += (offset - start - content.len()) as u32;
    }
    Position { line: line as u32, character }
}

fn run(u: &mut Unstructured, text: &str) -> Result<()> {
    let document = Document::new(text.to_owned(), 0);
    let lines = lines(text);
    for _ in 0..u.int_in_range(1..=32u8)? {
        let encoding = *u.choose(&ENCODINGS)?;
        // Positions: inside the text, past line ends, past the last line, extreme.
        let line = match u.int_in_range(0..=7u8)? {
            0 => u.arbitrary()?,
            1 => lines.len() as u32 + u.int_in_range(0..=2)?,
            _ => u.int_in_range(0..=lines.len() as u32 - 1)?,
        };
        let character = match u.int_in_range(0..=7u8)? {
            0 => u32::MAX,
            1 => u.arbitrary()?,
            _ => u.int_in_range(0..=80)?,
        };
        let p = Position { line, character };
        let offset = document.offset(p, encoding);
        assert!(offset <= text.len(), "{p:?} -> {offset} past the end");
        assert!(text.is_char_boundary(offset), "{p:?} -> {offset} not on a char boundary");
        assert_eq!(offset, model_offset(&lines, text, p, encoding), "offset of {p:?} in {encoding:?}");
        // A position on a character boundary inside a line survives the round trip.
        let back = document.position(offset, encoding);
        if let Some(&(_, content)) = lines.get(p.line as usize) {
            let len: u32 = content.chars().map(|c| width(c, encoding)).sum();
            let on_boundary = {
                let mut units = 0;
                content.chars().any(|c| {
                    units += width(c, encoding);
                    units == p.character
                }) || p.character == 0
            };
            if p.character <= len && on_boundary {
                assert_eq!(back, p, "round trip of {p:?} via {offset} in {encoding:?}");
            }
        }

        // Offsets: any, including inside characters and past the end.
        let offset = match u.int_in_range(0..=7u8)? {
            0 => u.arbitrary()?,
            1 => text.len() + u.int_in_range(0..=3)?,
            _ => u.int_in_range(0..=text.len())?,
        };
        let p = document.position(offset, encoding);
        let mut clamped = offset.min(text.len());
        while !text.is_char_boundary(clamped) {
            clamped -= 1;
        }
        assert_eq!(p, model_position(&lines, clamped, encoding), "position of {offset} in {encoding:?}");
        let inside_crlf = clamped > 0 && text[..clamped].ends_with('\r') && text[clamped..].starts_with('\n');
        if !inside_crlf {
            assert_eq!(document.offset(p, encoding), clamped, "round trip of offset {clamped} via {p:?}");
        }
        // UTF-16 and UTF-32 agree on the line and differ exactly by the non-BMP characters.
        let p16 = document.position(clamped, Encoding::Utf16);
        let p32 = document.position(clamped, Encoding::Utf32);
        assert_eq!(p16.line, p32.line);
        let (start, _) = lines[p16.line as usize];
        let astral = text[start..clamped].chars().filter(|c| c.len_utf16() == 2).count() as u32;
        assert_eq!(p16.character, p32.character + astral, "utf-16 vs utf-32 at {clamped}");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..split]);
    let mut u = Unstructured::new(data.get(split + 1..).unwrap_or_default());
    let _ = run(&mut u, &text);
});
