//! Spacing inside a line. Only the white space around a few tokens is normalised — the key's
//! colon, commas, brackets, and comparison and boolean operators in conditions — and nothing
//! that makes or breaks an adjacency the language reads (`name(`, `enum[`, `=>`, `30d`) ever
//! changes. Every other run of spaces is kept (it may align columns); tabs become spaces.

use dazzle_syntax::SyntaxKind;

use super::lines::{Line, Tok};

/// Operators that get one space on each side, by token and the node they are in.
fn spaced_operator(t: &Tok<'_>) -> bool {
    use SyntaxKind::*;
    match t.kind {
        EQ | EQ2 | NEQ | GT | LT | GTEQ | LTEQ => matches!(t.parent, COMPARISON | VIA_BINDING),
        ARROW => t.parent == TRANSITION,
        IDENT | KEYWORD => matches!(t.text, "and" | "or" | "not") && matches!(t.parent, OR_EXPR | AND_EXPR | NOT_EXPR),
        _ => false,
    }
}

/// Whether a token can stand next to an operator's inserted space without meaning something
/// else: a word, a literal or a bracket.
fn operand(t: &Tok<'_>) -> bool {
    use SyntaxKind::*;
    matches!(t.kind, IDENT | KEYWORD | NUMBER | STRING | DURATION | L_PAREN | R_PAREN | L_BRACK | R_BRACK)
}

/// White space as written, with tabs (and stray carriage returns) turned into single spaces.
fn kept(ws: &str) -> String {
    if ws.contains(['\t', '\r']) { " ".to_owned() } else { ws.to_owned() }
}

/// The index (among significant tokens) of the colon after the line's key: `key:` or `- key:`.
fn key_colon(s: &[&Tok<'_>]) -> Option<usize> {
    let at: usize = if s.first().is_some_and(|t| t.kind == SyntaxKind::MINUS) { 2 } else { 1 };
    let key = s.get(at - 1)?;
    (key.is_word() && s.get(at).is_some_and(|t| t.kind == SyntaxKind::COLON)).then_some(at)
}

/// The white space between significant tokens `i - 1` and `i`, written `ws`; `nested`: inside
/// brackets (where a comma is followed by one space, or none as written; outside brackets the
/// space after a comma may align columns and is kept).
fn gap(s: &[&Tok<'_>], i: usize, ws: &str, colon: Option<usize>, nested: bool) -> String {
    use SyntaxKind::*;
    let (prev, next) = (s[i - 1], s[i]);
    if next.kind == COMMENT {
        return kept(ws);
    }
    // A word and the bracket after it stay as written: `role(`, `enum[` and `str (` differ.
    if prev.is_word() && matches!(next.kind, L_PAREN | L_BRACK) {
        return kept(ws);
    }
    if Some(i - 1) == colon {
        return " ".to_owned();
    }
    if Some(i) == colon || next.kind == COMMA {
        return String::new();
    }
    if i == 1 && prev.kind == MINUS && !ws.is_empty() {
        return " ".to_owned();
    }
    if prev.kind == COMMA && nested {
        return if ws.is_empty() { String::new() } else { " ".to_owned() };
    }
    if matches!(prev.kind, L_PAREN | L_BRACK) || matches!(next.kind, R_PAREN | R_BRACK) {
        return String::new();
    }
    if (spaced_operator(prev) && operand(next)) || (spaced_operator(next) && operand(prev)) {
        return " ".to_owned();
    }
    kept(ws)
}

/// The line's text after its indentation, spaced, with no trailing white space.
pub(super) fn body(line: &Line<'_>) -> String {
    let significant: Vec<&Tok<'_>> = line.significant().collect();
    let colon = key_colon(&significant);
    let mut out = String::new();
    let mut ws = String::new();
    let mut seen = 0;
    let mut depth = 0usize;
    for t in &line.toks {
        if t.kind == SyntaxKind::WHITESPACE {
            if seen > 0 {
                ws.push_str(t.text);
            }
            continue;
        }
        if seen > 0 {
            out.push_str(&gap(&significant, seen, &ws, colon, depth > 0));
        }
        match t.kind {
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK => depth += 1,
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK => depth = depth.saturating_sub(1),
            _ => {}
        }
        ws.clear();
        if t.kind == SyntaxKind::COMMENT {
            out.push_str(t.text.trim_end());
        } else {
            out.push_str(t.text);
        }
        seen += 1;
    }
    out
}

/// Where the text after a leading `- ` starts in the formatted line, relative to the dash.
pub(super) fn dash_text_offset(line: &Line<'_>) -> Option<u32> {
    let mut s = line.significant();
    let dash = s.next().filter(|t| t.kind == SyntaxKind::MINUS)?;
    let text = s.next()?;
    Some(if text.start == dash.start + 1 { 1 } else { 2 })
}
