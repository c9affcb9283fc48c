//! The parser's lexer: the text is lexed a line at a time, and a line whose text (after its
//! indentation) came before is not lexed again: its tokens are copied from where it first
//! appeared. Dazzle files repeat whole lines (`id: uuid pk`, `as: admin`), and the tokens of a
//! line that ends with its own line feed depend on nothing but its text: no token reaches past
//! a line feed but a string, and a line with such a string (or a lexical error) is never
//! copied. Each distinct line that comes more than once gets an id, by which `line_memo`
//! keeps its parses.

use std::ops::Range;

use hashbrown::HashTable;
use logos::Logos;

use crate::lexer::{Columns, next_kind};
use crate::parser::indent_width;
use crate::{SyntaxError, SyntaxKind};

/// The id of a line that is never replayed by the line memo.
pub(crate) const NO_ID: u32 = u32::MAX;

/// One line that holds at least one non-trivia token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// Index of its first non-trivia token.
    pub(crate) first: u32,
    /// Index of its NEWLINE token, or the token count at the end of the file.
    pub(crate) end: u32,
    /// Width of its leading white space (space = 1, tab = 4).
    pub(crate) indent: u32,
    /// The same for every line of the same text from `first` on; [`NO_ID`] for a line whose
    /// text comes only once, or that spans line feeds (in a string), has a lexical error or
    /// ends the file.
    pub(crate) id: u32,
}

/// The tokens of a text (or of a piece of it), and its lines.
pub(crate) struct LexedLines {
    pub(crate) columns: Columns,
    pub(crate) lines: Vec<Line>,
    /// How many ids the lines have: they run from 0 to this, exclusive.
    pub(crate) ids: u32,
}

impl LexedLines {
    /// Where the last token ends (the column of starts ends with it): the end of the piece
    /// lexed, or past it when a string that starts in the piece runs across its end.
    pub(crate) fn end(&self) -> usize {
        self.columns.starts.last().map_or(0, |&end| end as usize)
    }
}

/// A line's text after its indentation, as first lexed.
struct Seen<'t> {
    text: &'t str,
    hash: u64,
    /// Its tokens in the columns, its line feed included.
    tokens: Range<u32>,
    /// Where its first non-trivia token stands among them, if one is (a line feed is none).
    first: Option<u32>,
    /// Whether the text came again.
    repeated: bool,
}

/// Lexes the lines of `text` from the start of `piece` (the start of a line) on, as long as
/// they start before its end, into columns and lines; the lexical errors are added to
/// `errors`. The tokens are those of the whole text from there on.
pub(crate) fn lex(text: &str, piece: Range<usize>, errors: &mut Vec<SyntaxError>) -> LexedLines {
    let size = piece.len();
    // Tokens average three bytes or more; reserving for two keeps one allocation per column.
    let mut columns = Columns::with_capacity(size / 2 + 2);
    // Lines average over sixteen bytes; reserving for that keeps the list from growing.
    let mut lines = Vec::with_capacity(size / 16 + 1);
    // The distinct lines (a line's id is its index, until the end renumbers the lines that
    // repeat) and, by their hash, a table of those indices: four bytes a line, and a growth
    // that rehashes nothing but the stored hashes. Lines average some thirty bytes, and fewer
    // than half of them are distinct.
    let mut seen: Vec<Seen<'_>> = Vec::with_capacity(size / 64);
    let mut by_text: HashTable<u32> = HashTable::with_capacity(size / 64);
    let mut lexer = SyntaxKind::lexer(text);
    // A byte-order mark is lexed, and reported, with the first line, which is never copied.
    let bom = piece.start == 0 && text.starts_with('\u{feff}');
    let bytes = text.as_bytes();
    let mut offset = piece.start;
    while offset < piece.end {
        let content = offset + bytes[offset..].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r')).count();
        let Some((end, hash)) = line_end_and_hash(bytes, content) else {
            let first = columns.kinds.len();
            offset = lex_line(&mut lexer, text, offset, &mut columns, errors);
            lines.extend(line_of(text, &columns, first, bom && first == 0, NO_ID));
            break;
        };
        let key = &text[content..end];
        let copyable = offset > 0 || !bom;
        let found = by_text.find(hash, |&id| seen[id as usize].text == key);
        if copyable && let Some(&id) = found {
            let line = &mut seen[id as usize];
            line.repeated = true;
            if content > offset {
                columns.push(SyntaxKind::WHITESPACE, offset);
            }
            let copied = columns.kinds.len();
            columns.copy(range(&line.tokens), content);
            if let Some(significant) = line.first {
                let indent = indent_width(&text[offset..content]);
                let first = to_u32(copied) + significant;
                lines.push(Line { first, end: to_u32(columns.kinds.len() - 1), indent, id });
            }
            offset = end;
            continue;
        }
        let (first, known_errors) = (columns.kinds.len(), errors.len());
        let stop = lex_line(&mut lexer, text, offset, &mut columns, errors);
        let mut line = line_of(text, &columns, first, bom && first == 0, NO_ID);
        if copyable && stop == end && errors.len() == known_errors {
            let id = to_u32(seen.len());
            let tokens = to_u32(first + usize::from(content > offset))..to_u32(columns.kinds.len());
            let significant = line.map(|line| line.first - tokens.start);
            seen.push(Seen { text: key, hash, tokens, first: significant, repeated: false });
            by_text.insert_unique(hash, id, |&id| seen[id as usize].hash);
            line = line.map(|line| Line { id, ..line });
        }
        lines.extend(line);
        offset = stop;
    }
    columns.starts.push(to_u32(offset));
    // A line whose text never came again has nothing to replay: the parser need neither look
    // it up nor keep it. The others are numbered anew from 0, for the memo to index by.
    let mut renumbered = vec![NO_ID; seen.len()];
    let mut ids = 0;
    for line in lines.iter_mut().filter(|line| line.id != NO_ID) {
        let seen_as = line.id as usize;
        if !seen[seen_as].repeated {
            line.id = NO_ID;
            continue;
        }
        if renumbered[seen_as] == NO_ID {
            renumbered[seen_as] = ids;
            ids += 1;
        }
        line.id = renumbered[seen_as];
    }
    LexedLines { columns, lines, ids }
}

/// Lexes from `offset` to the end of its line: up to and including the first NEWLINE token
/// (past line feeds in strings), or to the end of the text. Returns where it stopped.
fn lex_line<'t>(
    lexer: &mut logos::Lexer<'t, SyntaxKind>,
    text: &'t str,
    offset: usize,
    columns: &mut Columns,
    errors: &mut Vec<SyntaxError>,
) -> usize {
    // The lexer stands where it stopped last; copied lines since then are skipped.
    lexer.bump(offset - lexer.span().end);
    while let Some(result) = lexer.next() {
        let kind = next_kind(lexer, text, result, errors);
        let start = lexer.span().start;
        columns.push(kind, start);
        if kind == SyntaxKind::NEWLINE {
            break;
        }
    }
    lexer.span().end.max(offset)
}

/// The line made of the tokens from `first` on, which [`lex_line`] just added (skipping the
/// first of them, a byte-order mark, when `skip_first`), if one of them is not trivia.
fn line_of(text: &str, columns: &Columns, first: usize, skip_first: bool, id: u32) -> Option<Line> {
    let kinds = &columns.kinds;
    let end = kinds.len() - usize::from(kinds.last() == Some(&SyntaxKind::NEWLINE));
    let start = first + usize::from(skip_first);
    let significant = (start..end).find(|&i| !kinds[i].is_trivia())?;
    let indent =
        if kinds[start] == SyntaxKind::WHITESPACE { indent_width(&text[columns.starts[start] as usize..]) } else { 0 };
    Some(Line { first: to_u32(significant), end: to_u32(end), indent, id })
}

/// The end of the line from `start` (past its line feed), if it has one, and the hash of its
/// text from `start`: one pass of eight bytes at a time, which finds the line feed in a word
/// as it hashes it.
fn line_end_and_hash(bytes: &[u8], start: usize) -> Option<(usize, u64)> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const FEEDS: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut hash = 0u64;
    let mut at = start;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let x = word ^ FEEDS;
        // The lowest flagged byte is the first line feed (a borrow only flags bytes above it).
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            let len = found.trailing_zeros() as usize / 8 + 1;
            let kept = if len == 8 { word } else { word & ((1u64 << (8 * len)) - 1) };
            return Some((at + len, mix(hash, kept)));
        }
        hash = mix(hash, word);
        at += 8;
    }
    let tail = &bytes[at..];
    let len = tail.iter().position(|&b| b == b'\n')? + 1;
    let mut last = [0u8; 8];
    last[..len].copy_from_slice(&tail[..len]);
    Some((at + len, mix(hash, u64::from_le_bytes(last))))
}

/// One step of the line hash (FxHash's).
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn range(tokens: &Range<u32>) -> Range<usize> {
    tokens.start as usize..tokens.end as usize
}

/// Token counts and offsets fit 32 bits: rowan's offsets stop at 4 GiB.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("a text shorter than 4 GiB")
}

#[cfg(test)]
mod tests;
