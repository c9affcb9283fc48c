//! The file as physical lines of tokens, each token with the kind of its parent node and its
//! block depth (read from the green tree in one pass, no red cursors).

use dazzle_syntax::{GreenNode, NodeOrToken, SyntaxKind, indent_width};

/// A token of a line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok<'a> {
    pub kind: SyntaxKind,
    pub text: &'a str,
    /// Byte offset in the file.
    pub start: usize,
    /// The kind of the node holding it.
    pub parent: SyntaxKind,
    /// How many `BLOCK`s enclose it.
    pub depth: u32,
}

impl Tok<'_> {
    pub(super) fn is_word(&self) -> bool {
        matches!(self.kind, SyntaxKind::IDENT | SyntaxKind::KEYWORD)
    }
}

/// One physical line (a string that spans lines belongs to the line it starts on).
#[derive(Debug, Clone)]
pub(super) struct Line<'a> {
    /// Its tokens, the `NEWLINE` excluded.
    pub toks: Vec<Tok<'a>>,
    /// Byte range of the line, its line break excluded.
    pub start: usize,
    pub end: usize,
    /// The line break as written (`\n`; a `\r` before it is the last token), if any.
    pub newline: bool,
}

/// What a line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind {
    Blank,
    Comment,
    Content,
}

impl<'a> Line<'a> {
    /// The tokens that are not white space.
    pub(super) fn significant(&self) -> impl Iterator<Item = &Tok<'a>> {
        self.toks.iter().filter(|t| t.kind != SyntaxKind::WHITESPACE)
    }

    pub(super) fn kind(&self) -> LineKind {
        match self.significant().next() {
            None => LineKind::Blank,
            Some(t) if t.kind == SyntaxKind::COMMENT => LineKind::Comment,
            Some(_) => LineKind::Content,
        }
    }

    /// The layout column of the line: its leading white space, a space 1 and a tab 4 (as the
    /// parser counts), up to anything else.
    pub(super) fn column(&self) -> u32 {
        match self.toks.first() {
            Some(t) if t.kind == SyntaxKind::WHITESPACE => indent_width(t.text),
            _ => 0,
        }
    }
}

/// The lines of a parsed file.
pub(super) fn split<'a>(green: &'a GreenNode) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut current = Line { toks: Vec::new(), start: 0, end: 0, newline: false };
    let mut offset = 0usize;
    // (children, kind of the node) — the root is SOURCE_FILE.
    let mut stack = vec![(green.children(), SyntaxKind::SOURCE_FILE)];
    let mut depth = 0u32;
    while let Some((children, kind)) = stack.last_mut() {
        let parent = *kind;
        match children.next() {
            Some(NodeOrToken::Node(node)) => {
                let kind = SyntaxKind::from_raw(node.kind().0).unwrap_or(SyntaxKind::ERROR);
                if kind == SyntaxKind::BLOCK {
                    depth += 1;
                }
                stack.push((node.children(), kind));
            }
            Some(NodeOrToken::Token(token)) => {
                let kind = SyntaxKind::from_raw(token.kind().0).unwrap_or(SyntaxKind::ERROR_TOKEN);
                let text = token.text();
                if kind == SyntaxKind::NEWLINE {
                    current.end = offset;
                    current.newline = true;
                    let next = Line { toks: Vec::new(), start: offset + text.len(), end: 0, newline: false };
                    lines.push(std::mem::replace(&mut current, next));
                } else {
                    current.toks.push(Tok { kind, text, start: offset, parent, depth });
                }
                offset += text.len();
            }
            None => {
                if parent == SyntaxKind::BLOCK {
                    depth -= 1;
                }
                stack.pop();
            }
        }
    }
    if !current.toks.is_empty() {
        current.end = offset;
        lines.push(current);
    }
    lines
}
