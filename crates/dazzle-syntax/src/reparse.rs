//! Reparsing after an edit. A top-level construct is parsed the same wherever it stands: it
//! starts at column 0 with a word that is not `module`, `use` or `app` (the only lines whose
//! meaning depends on the lines before them), and ends where the next line at column 0
//! starts. So when an edit stays inside one construct, keeping its first and last byte, and
//! the edited text still parses as one construct, that construct's new node replaces the old
//! one and every other node is shared with the old tree. Anything else is parsed in full.

use rowan::{NodeOrToken, TextRange, TextSize};

use crate::grammar::is_construct_kind;
use crate::green;
use crate::lexer::UNTERMINATED_STRING;
use crate::parser::depth_limit_message;
use crate::{Dialect, Parse, SyntaxError, SyntaxKind, parse};

impl Parse {
    /// The parse of `new_text`, given that this is the parse of `old_text` in `dialect`:
    /// equal to `parse(new_text, dialect)`, but when one construct was edited only that
    /// construct is parsed again.
    pub fn reparse(&self, old_text: &str, new_text: &str, dialect: Dialect) -> Parse {
        reparse_construct(self, old_text, new_text, dialect).unwrap_or_else(|| parse(new_text, dialect))
    }
}

/// The incremental path; `None` when the edit is not inside one construct or its new text
/// is not one construct.
fn reparse_construct(old: &Parse, old_text: &str, new_text: &str, dialect: Dialect) -> Option<Parse> {
    if TextSize::of(old_text) != old.green.text_len() {
        return None;
    }
    let (old_bytes, new_bytes) = (old_text.as_bytes(), new_text.as_bytes());
    let prefix = common_prefix(old_bytes, new_bytes);
    let suffix = common_suffix(&old_bytes[prefix..], &new_bytes[prefix..]);
    if prefix == old_bytes.len() && prefix == new_bytes.len() {
        return Some(old.clone());
    }
    // The edit replaced old_text[prefix..old_end] with new_text[prefix..new_end].
    let old_end = old_bytes.len() - suffix;

    let (index, start, end) = enclosing_construct(old, prefix, old_end)?;
    let new_end = end + new_bytes.len() - old_bytes.len();
    let edited = parse(&new_text[start..new_end], dialect);
    let mut children = edited.green.children();
    let node = match (children.next(), children.next()) {
        (Some(NodeOrToken::Node(node)), None) if is_construct(node.kind()) => node.to_owned(),
        _ => return None,
    };
    // Two diagnostics depend on text outside the construct: the depth limit, said once per
    // file, and an unterminated string, which a quote anywhere after it would close.
    let depth_limit = depth_limit_message();
    if old.errors.iter().chain(&edited.errors).any(|e| e.message == depth_limit || e.message == UNTERMINATED_STRING) {
        return None;
    }
    let errors = spliced_errors(&old.errors, &edited.errors, start, end, new_end)?;
    Some(Parse { green: old.green.replace_child(index, NodeOrToken::Node(node)), errors })
}

/// The top-level construct the edit `[from, to)` lies in, keeping its first byte (at the start
/// of a line) and its last (a newline, or the end of the file): `(child index, start, end)`.
fn enclosing_construct(old: &Parse, from: usize, to: usize) -> Option<(usize, usize, usize)> {
    let children: Vec<_> = old.green.children().collect();
    let mut start = 0usize;
    for (index, child) in children.iter().enumerate() {
        let end = start + usize::from(child.text_len());
        let last = index + 1 == children.len();
        if from < end || last {
            let NodeOrToken::Node(node) = child else { return None };
            let at_line_start = index == 0 || ends_with_newline(&children[index - 1]);
            // The last construct may grow at the end of the file; any other keeps its newline.
            let keeps_bounds = from > start && (to < end || last);
            let ends_line = last || ends_with_newline(child);
            return (is_construct(node.kind()) && at_line_start && keeps_bounds && ends_line)
                .then_some((index, start, end));
        }
        start = end;
    }
    None
}

fn is_construct(raw: rowan::SyntaxKind) -> bool {
    SyntaxKind::from_raw(raw.0).is_some_and(is_construct_kind)
}

/// Whether the element's text ends with a newline.
fn ends_with_newline(element: &NodeOrToken<&rowan::GreenNodeData, &rowan::GreenTokenData>) -> bool {
    let last = match element {
        NodeOrToken::Token(token) => Some(token.text()),
        NodeOrToken::Node(node) => green::last_token(node),
    };
    last.is_some_and(|text| text.ends_with('\n'))
}

/// The old diagnostics before and after the construct, around the edited construct's own
/// (moved to its place); `None` when an old one touches a boundary of the construct, where
/// it cannot be told which construct it came from.
fn spliced_errors(
    old: &[SyntaxError],
    edited: &[SyntaxError],
    start: usize,
    end: usize,
    new_end: usize,
) -> Option<Vec<SyntaxError>> {
    let (start, end) = (TextSize::try_from(start).ok()?, TextSize::try_from(end).ok()?);
    let new_end = TextSize::try_from(new_end).ok()?;
    let ambiguous = |r: TextRange| {
        (r.is_empty() && (r.start() == start || r.start() == end))
            || (r.start() < start && r.end() > start)
            || (r.start() < end && r.end() > end)
    };
    if old.iter().any(|e| ambiguous(e.range)) {
        return None;
    }
    let before = old.iter().filter(|e| e.range.end() <= start).cloned();
    let inside = edited.iter().map(|e| SyntaxError { range: e.range + start, ..e.clone() });
    let after = old.iter().filter(|e| e.range.start() >= end).map(|e| SyntaxError {
        range: TextRange::new(e.range.start() - end + new_end, e.range.end() - end + new_end),
        ..e.clone()
    });
    Some(before.chain(inside).chain(after).collect())
}

/// Length of the longest common prefix, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= len && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < len && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the longest common suffix, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= len && a[a_end - i - BLOCK..a_end - i] == b[b_end - i - BLOCK..b_end - i] {
        i += BLOCK;
    }
    while i < len && a[a_end - i - 1] == b[b_end - i - 1] {
        i += 1;
    }
    i
}
