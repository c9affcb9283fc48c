//! A large file is lexed and parsed in pieces, one per core. A piece starts at a line that
//! starts with a letter: a top-level item, where the parser stands at the top level with no
//! block open whatever came before (as in `reparse`), unless the line is inside a string that
//! started before it. The lexer of the piece before tells: it must end exactly there, or the
//! file is lexed and parsed again in one piece.
//!
//! What else a line's parse reads of the lines before it is the header flags, which a later
//! piece starts with closed (when the first piece leaves the header open, the file is parsed
//! again in one piece), and whether blocks nested too deep were reported, which is said once
//! per file: later pieces' reports are dropped. Each piece has its own shared elements and line
//! memo, which the tree cannot tell, and makes a `SOURCE_FILE` node; the root holds their
//! children in order.

use std::ops::Range;
use std::sync::OnceLock;

use rowan::GreenNode;

use crate::line_lexer;
use crate::parser::{Parser, PieceParse};
use crate::{Dialect, SyntaxError, SyntaxKind};

/// A file is cut into pieces of at least this many bytes. Two pieces of 32 KiB take longer
/// than one of 64 KiB (a thread's start and its fresh heap), of 64 KiB as long as one of
/// 128 KiB, and of 128 KiB 36% less time than one of 256 KiB (the benchmark's entities).
const MIN_PIECE_BYTES: usize = 64 * 1024;

/// Parses `text`: the root and every diagnostic, the parser's then the lexer's.
pub(crate) fn parse(text: &str, dialect: Dialect) -> (GreenNode, Vec<SyntaxError>) {
    match text.len() / MIN_PIECE_BYTES {
        0 | 1 => parse_from(text, dialect, &[]),
        most => parse_from(text, dialect, &starts(text, cores().min(most))),
    }
}

/// Parses `text` in pieces that start at the offsets `starts` (increasing, each at a line that
/// starts with a letter, [`may_start_piece`]).
pub(crate) fn parse_from(text: &str, dialect: Dialect, starts: &[usize]) -> (GreenNode, Vec<SyntaxError>) {
    let ends = starts.iter().copied().chain(std::iter::once(text.len()));
    let pieces: Vec<Range<usize>> =
        std::iter::once(0).chain(starts.iter().copied()).zip(ends).map(|(a, b)| a..b).collect();
    let (first, rest) = pieces.split_first().expect("a file is at least one piece");
    let parse_piece = |piece: Range<usize>| parse_piece(text, piece, dialect);
    if rest.is_empty() {
        let (parsed, mut lex_errors) = parse_piece(first.clone()).expect("a whole file is lexed to its end");
        let mut errors = parsed.errors;
        errors.append(&mut lex_errors);
        return (parsed.green, errors);
    }
    let parsed: Option<Vec<_>> = std::thread::scope(|scope| {
        // A piece whose thread cannot be started is parsed on this one, after the first.
        let others: Vec<_> = rest
            .iter()
            .map(|piece| {
                let thread = std::thread::Builder::new().spawn_scoped(scope, move || parse_piece(piece.clone()));
                thread.map_err(|_| piece)
            })
            .collect();
        let first = parse_piece(first.clone());
        let others = others.into_iter().map(|thread| match thread {
            Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(piece) => parse_piece(piece.clone()),
        });
        std::iter::once(first).chain(others).collect()
    });
    match parsed {
        Some(parsed) if !parsed[0].0.header_open => join(parsed),
        _ => parse_from(text, dialect, &[]),
    }
}

/// Lexes and parses the piece `piece` of `text`: `None` if a string runs across its end.
fn parse_piece(text: &str, piece: Range<usize>, dialect: Dialect) -> Option<(PieceParse, Vec<SyntaxError>)> {
    let mut lex_errors = Vec::new();
    let lexed = line_lexer::lex(text, piece.clone(), &mut lex_errors);
    if lexed.end() != piece.end {
        return None;
    }
    Some((Parser::new(text, lexed, dialect, piece.start == 0).parse_file(), lex_errors))
}

/// The root made of the pieces' top-level children, and the diagnostics in the order of one
/// piece's: the parser's, with the depth limit's only once, then the lexer's.
fn join(parsed: Vec<(PieceParse, Vec<SyntaxError>)>) -> (GreenNode, Vec<SyntaxError>) {
    let children = parsed.iter().flat_map(|(piece, _)| piece.green.children().map(|child| child.to_owned()));
    let root = GreenNode::new(SyntaxKind::SOURCE_FILE.into(), children.collect::<Vec<_>>());
    let mut errors = Vec::with_capacity(parsed.iter().map(|(piece, lex)| piece.errors.len() + lex.len()).sum());
    let mut lex_errors = Vec::new();
    let mut depth_reported = false;
    for (piece, mut lex) in parsed {
        for (i, error) in piece.errors.into_iter().enumerate() {
            if piece.depth_error == Some(i) {
                if depth_reported {
                    continue;
                }
                depth_reported = true;
            }
            errors.push(error);
        }
        lex_errors.append(&mut lex);
    }
    errors.append(&mut lex_errors);
    (root, errors)
}

/// Where `count` pieces of about the same size start, after the first one (fewer when the file
/// has fewer places to cut).
pub(crate) fn starts(text: &str, count: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::with_capacity(count.saturating_sub(1));
    for k in 1..count {
        let target = (text.len() / count * k).max(starts.last().map_or(1, |&last| last + 1));
        match (target..text.len()).find(|&offset| may_start_piece(text, offset)) {
            Some(start) => starts.push(start),
            None => break,
        }
    }
    starts
}

/// Whether a piece may start at `offset`: a line that starts with a letter, but the first.
pub(crate) fn may_start_piece(text: &str, offset: usize) -> bool {
    let bytes = text.as_bytes();
    offset > 0 && bytes[offset - 1] == b'\n' && bytes.get(offset).is_some_and(u8::is_ascii_alphabetic)
}

/// The machine's cores, read once (it costs file reads on Linux).
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests;
