//! The parser's machinery: a token cursor confined to one logical line, the indentation
//! (layout) rules of the reference lexer, and the green-tree builder. What each line means is
//! decided in `grammar`.
//!
//! Layout follows dsl-syntax §1.9: a space counts 1 column, a tab 4; blank and comment-only
//! lines never affect indentation; a line deeper than the line above it belongs to that line's
//! block; a dedent must return to a level of an enclosing block. INDENT/DEDENT never appear in
//! the tree: a block is the `BLOCK` node holding the deeper lines.

use rowan::{GreenNode, TextRange, TextSize};

use crate::green_builder::{Checkpoint, GreenBuilder};

use crate::grammar::{self, Body, Ctx};
use crate::line_lexer::{LexedLines, Line, NO_ID};
use crate::line_memo::{LineMemo, LineState, Outcome};
use crate::{Dialect, SyntaxError, SyntaxKind};

use SyntaxKind::*;

/// Blocks nested deeper than this are flattened (and reported) to bound recursion.
const MAX_BLOCK_DEPTH: u32 = 100;

/// The error said once per file at the first block nested deeper than [`MAX_BLOCK_DEPTH`]:
/// the one diagnostic that depends on the lines before it.
pub(crate) fn depth_limit_message() -> String {
    format!("Blocks are nested more than {MAX_BLOCK_DEPTH} levels deep")
}

/// What [`Parser::line`] left of the line's node.
enum LineNode {
    /// The node is open, to finish after the block; the line's entry in the memo, if kept.
    Open(Option<u32>),
    /// The node was added finished (a replayed line with no block).
    Finished,
}

/// What parsing a piece made.
pub(crate) struct PieceParse {
    /// A `SOURCE_FILE` node holding the piece's top-level items and trivia.
    pub(crate) green: GreenNode,
    /// The parser's diagnostics, in the order they were found.
    pub(crate) errors: Vec<SyntaxError>,
    /// Whether the header was still open at the end of the piece.
    pub(crate) header_open: bool,
    /// Where the error of blocks nested too deep stands in `errors`, if the piece reported it:
    /// the file says it once, so later pieces' are dropped.
    pub(crate) depth_error: Option<usize>,
}

pub(crate) struct Parser<'t> {
    kinds: Vec<SyntaxKind>,
    /// Start offset of every token, plus the offset of the piece's end.
    starts: Vec<u32>,
    /// The text the tokens cover.
    text: &'t str,
    lines: Vec<Line>,
    next_line: usize,
    /// The token cursor.
    pos: usize,
    /// The end of the line being parsed: the cursor never passes it inside a line.
    line_end: usize,
    builder: GreenBuilder<'t>,
    errors: Vec<SyntaxError>,
    pub(crate) dialect: Dialect,
    depth: u32,
    depth_error: Option<usize>,
    /// Whether `module` / `use` / `app` may still appear (no construct seen yet).
    pub(crate) header_open: bool,
    /// Whether a `module` or `use` line was seen (a later `module` is misplaced).
    pub(crate) seen_module_or_use: bool,
    /// The lines parsed so far, to replay when they repeat.
    memo: LineMemo<'t>,
}

impl<'t> Parser<'t> {
    /// A parser over the tokens and lines of `lexed`, a piece of `text` (`pieces`): the
    /// whole file or whole top-level items, starting the file or not (then past its header).
    pub(crate) fn new(text: &'t str, lexed: LexedLines, dialect: Dialect, starts_file: bool) -> Parser<'t> {
        let LexedLines { columns, lines, ids } = lexed;
        let line_count = lines.len();
        Parser {
            kinds: columns.kinds,
            starts: columns.starts,
            text,
            lines,
            next_line: 0,
            pos: 0,
            line_end: 0,
            builder: GreenBuilder::with_capacity(line_count),
            errors: Vec::new(),
            dialect,
            depth: 0,
            depth_error: None,
            header_open: starts_file,
            // Read only while the header is open: a later piece starts with it closed.
            seen_module_or_use: !starts_file,
            memo: LineMemo::new(ids),
        }
    }

    /// The same parser, parsing every line afresh: the oracle of the line memo's tests.
    #[cfg(test)]
    pub(crate) fn without_line_memo(mut self) -> Parser<'t> {
        self.memo.disable();
        self
    }

    /// Parses the piece into a `SOURCE_FILE`.
    pub(crate) fn parse_file(mut self) -> PieceParse {
        self.builder.start_node(SOURCE_FILE);
        grammar::source_file(&mut self);
        self.flush_to(self.kinds.len());
        self.builder.finish_node();
        PieceParse {
            green: self.builder.finish(),
            errors: self.errors,
            header_open: self.header_open,
            depth_error: self.depth_error,
        }
    }

    // ------------------------------------------------------------------ layout

    /// The indentation of the next unparsed line, if any remains.
    pub(crate) fn next_indent(&self) -> Option<u32> {
        self.lines.get(self.next_line).map(|l| l.indent)
    }

    /// Parses lines into the current node as long as they belong to a block at `indent`
    /// whose owner sits at `owner_indent` (`None` at the top level).
    pub(crate) fn items(&mut self, ctx: Ctx, indent: u32, owner_indent: Option<u32>) {
        while let Some(line) = self.lines.get(self.next_line).copied() {
            if line.indent < indent {
                match owner_indent {
                    Some(owner) if line.indent > owner => {
                        // Dedent to a level no enclosing block has: report it, keep the line here.
                        self.error_range(
                            format!("Inconsistent indentation (expected {owner} spaces, got {})", line.indent),
                            self.line_start_range(line),
                        );
                        self.item(ctx, line.indent);
                        continue;
                    }
                    _ => break,
                }
            }
            self.item(ctx, line.indent.max(indent));
        }
        if let Some(owner) = owner_indent {
            self.eat_trailing_comments(owner);
        }
    }

    /// Parses one line with `ctx`'s grammar and, if deeper lines follow, its block.
    fn item(&mut self, ctx: Ctx, indent: u32) {
        // The line after this one (`line` consumes exactly one) starts its block if deeper.
        let has_block = self.lines.get(self.next_line + 1).is_some_and(|next| next.indent > indent);
        let (body, node) = self.line(ctx, !has_block);
        match body {
            Body::Required(_, ref what) if !has_block => {
                let at = self.last_line_end_range();
                self.error_range(format!("Expected an indented block below {what}"), at);
            }
            _ => {}
        }
        if has_block {
            let child = match body {
                Body::None(what) => {
                    if let Some(what) = what {
                        let start = self.line_start_range(self.lines[self.next_line]);
                        self.error_range(format!("Unexpected indented block: {what} takes no body"), start);
                    }
                    Ctx::Generic
                }
                Body::Optional(child) | Body::Required(child, _) => child,
            };
            self.block(child, indent);
        }
        match node {
            LineNode::Finished => {}
            LineNode::Open(kept) => {
                self.builder.finish_node();
                if let Some(kept) = kept
                    && !has_block
                    && let Some(node) = self.builder.last_shared()
                {
                    self.memo.finish(kept, node);
                }
            }
        }
    }

    /// Parses the lines deeper than `owner_indent` into a `BLOCK` node.
    fn block(&mut self, ctx: Ctx, owner_indent: u32) {
        let Some(indent) = self.next_indent() else {
            return;
        };
        if self.depth >= MAX_BLOCK_DEPTH {
            if self.depth_error.is_none() {
                self.depth_error = Some(self.errors.len());
                let line = self.lines[self.next_line];
                self.error_range(depth_limit_message(), self.line_start_range(line));
            }
            // Flatten: every deeper line becomes a plain sibling line.
            while self.next_indent().is_some_and(|i| i > owner_indent) {
                self.enter_line();
                self.builder.start_node(ITEM);
                self.finish_line_quietly();
                self.builder.finish_node();
            }
            return;
        }
        self.depth += 1;
        self.builder.start_node(BLOCK);
        self.items(ctx, indent, Some(owner_indent));
        self.builder.finish_node();
        self.depth -= 1;
    }

    /// Parses the next line with `ctx`'s grammar, or replays the same line parsed before in
    /// the same state. The line's node is left open, or, for a `leaf` line (no block follows)
    /// replayed whole, added finished.
    fn line(&mut self, ctx: Ctx, leaf: bool) -> (Body<'t>, LineNode) {
        let id = self.enter_line().id;
        let end = (self.line_end + 1).min(self.kinds.len());
        let before = self.line_state(ctx);
        if id != NO_ID
            && let Some(replay) = self.memo.find(id, before)
        {
            self.pos = end;
            return match replay.finished {
                Some(node) if leaf => {
                    self.builder.push_shared(node);
                    (replay.outcome.body, LineNode::Finished)
                }
                _ => {
                    self.builder.replay(replay.outcome.node, replay.children);
                    (replay.outcome.body, LineNode::Open(Some(replay.index)))
                }
            };
        }
        let (mark, errors) = (self.builder.mark(), self.errors.len());
        let body = grammar::line(self, ctx);
        // A line that changed the header flags is kept but never replayed: they only ever
        // turn one way, so the state it was parsed in cannot recur. Every line ends at its
        // end; that is checked here, not assumed, since a replay moves the cursor there.
        let mut kept = None;
        if id != NO_ID
            && self.pos == end
            && self.errors.len() == errors
            && let Some((node, children)) = self.builder.line_node(mark)
        {
            kept = Some(self.memo.record(id, before, children, Outcome { node, body }));
        }
        (body, LineNode::Open(kept))
    }

    /// What a line's grammar reads besides its tokens, in `ctx` at this point of the file.
    fn line_state(&self, ctx: Ctx) -> LineState {
        LineState { ctx, header_open: self.header_open, seen_module_or_use: self.seen_module_or_use }
    }

    /// Comment lines right after a block, indented deeper than its owner, still belong to it.
    fn eat_trailing_comments(&mut self, owner_indent: u32) {
        let limit = self.lines.get(self.next_line).map_or(self.kinds.len(), |l| l.first as usize);
        let mut i = self.pos;
        let mut keep = self.pos;
        while i < limit {
            let mut j = i;
            let mut indent = 0;
            if self.kinds[j] == WHITESPACE {
                indent = indent_width(self.token_text(j));
                j += 1;
            }
            let is_comment = j < limit && self.kinds[j] == COMMENT;
            if is_comment && indent <= owner_indent {
                break;
            }
            let mut end = j;
            while end < limit && self.kinds[end] != NEWLINE {
                end += 1;
            }
            if end >= limit {
                // A comment with no line feed after it ends the file: a piece that ends before
                // the file's end ends with a line feed.
                if is_comment && limit == self.kinds.len() {
                    keep = limit;
                }
                break;
            }
            if is_comment {
                keep = end + 1;
            }
            i = end + 1;
        }
        self.flush_to(keep);
    }

    // ------------------------------------------------------------------ lines

    /// Moves to the next unparsed line, which it returns: trivia before it goes to the
    /// current node.
    pub(crate) fn enter_line(&mut self) -> Line {
        let line = self.lines[self.next_line];
        self.next_line += 1;
        self.flush_to(line.first as usize);
        self.line_end = line.end as usize;
        line
    }

    /// Ends the current line: leftover tokens become an `ERROR` node with one error, then the
    /// trailing trivia and the NEWLINE join the current node.
    pub(crate) fn finish_line(&mut self) {
        if !self.at_eol() {
            let found = self.describe(0);
            self.error_here(format!("Unexpected {found}: expected the end of the line"));
            self.eat_rest_as(ERROR);
        }
        self.finish_line_quietly();
    }

    /// Ends the current line, keeping leftover tokens in the current node without complaint.
    pub(crate) fn finish_line_quietly(&mut self) {
        while self.pos < self.line_end {
            self.bump_raw();
        }
        if self.pos < self.kinds.len() && self.kinds[self.pos] == NEWLINE {
            self.bump_raw();
        }
    }

    /// Wraps the rest of the line (if any) into a node of `kind`.
    pub(crate) fn eat_rest_as(&mut self, kind: SyntaxKind) {
        if self.at_eol() {
            return;
        }
        self.start_node(kind);
        while !self.at_eol() {
            self.bump();
        }
        self.finish_node();
    }

    /// Reports `message` at the current token and wraps the rest of the line in `ERROR`.
    pub(crate) fn err_rest(&mut self, message: impl Into<String>) {
        self.error_here(message);
        self.eat_rest_as(ERROR);
    }

    // ------------------------------------------------------------------ cursor

    /// Index of the `n`-th non-trivia token from the cursor within the line, if any.
    fn nth_index(&self, n: usize) -> Option<usize> {
        let mut i = self.significant_from(self.pos);
        for _ in 0..n {
            if i >= self.line_end {
                return None;
            }
            i = self.significant_from(i + 1);
        }
        (i < self.line_end).then_some(i)
    }

    /// The index of the first non-trivia token at or after `i` (the token count past the last):
    /// at most a space and a comment away inside a line, so scanning costs what a lookup table
    /// of a `u32` per token did, without the table.
    fn significant_from(&self, mut i: usize) -> usize {
        while self.kinds.get(i).is_some_and(|kind| kind.is_trivia()) {
            i += 1;
        }
        i
    }

    /// Kind of the `n`-th non-trivia token ahead on this line; `NEWLINE` past its end.
    pub(crate) fn nth(&self, n: usize) -> SyntaxKind {
        self.nth_index(n).map_or(NEWLINE, |i| self.kinds[i])
    }

    /// Text of the `n`-th non-trivia token ahead on this line; empty past its end.
    pub(crate) fn nth_text(&self, n: usize) -> &'t str {
        self.nth_index(n).map_or("", |i| self.token_text(i))
    }

    /// The current token's kind.
    pub(crate) fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    /// The current token's text.
    pub(crate) fn current_text(&self) -> &'t str {
        self.nth_text(0)
    }

    pub(crate) fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    /// Whether the current token is the word `word`.
    pub(crate) fn at_word(&self, word: &str) -> bool {
        self.current() == IDENT && self.current_text() == word
    }

    /// Whether the `n`-th token ahead is the word `word`.
    pub(crate) fn nth_word(&self, n: usize, word: &str) -> bool {
        self.nth(n) == IDENT && self.nth_text(n) == word
    }

    pub(crate) fn at_eol(&self) -> bool {
        self.nth_index(0).is_none()
    }

    /// Byte range of the `n`-th token ahead; an empty range at the line's end past it.
    pub(crate) fn nth_range(&self, n: usize) -> TextRange {
        match self.nth_index(n) {
            Some(i) => self.token_range(i),
            None => self.eol_range(),
        }
    }

    /// The NEWLINE of the current line (what the reference reports as `got NEWLINE`), or an
    /// empty range at the end of the file.
    fn eol_range(&self) -> TextRange {
        if self.line_end < self.kinds.len() {
            self.token_range(self.line_end)
        } else {
            let end = TextSize::from(self.starts[self.kinds.len()]);
            TextRange::empty(end)
        }
    }

    /// `IDENTIFIER`, `NEWLINE`, `STRING`, `':'`… as the reference names the current token.
    pub(crate) fn describe(&self, n: usize) -> String {
        match self.nth(n) {
            NEWLINE => "end of line".to_owned(),
            IDENT => format!("`{}`", self.nth_text(n)),
            STRING => "a string".to_owned(),
            NUMBER | DURATION => format!("number `{}`", self.nth_text(n)),
            _ => format!("`{}`", self.nth_text(n)),
        }
    }

    /// Consumes the current token with its own kind.
    pub(crate) fn bump(&mut self) {
        if let Some(i) = self.nth_index(0) {
            self.flush_to(i);
            self.bump_raw();
        }
    }

    /// Consumes the current token, re-tagged as `kind` (`KEYWORD` for a keyword).
    pub(crate) fn bump_as(&mut self, kind: SyntaxKind) {
        if let Some(i) = self.nth_index(0) {
            self.flush_to(i);
            let text = self.token_text(i);
            self.builder.token(kind, text);
            self.pos += 1;
        }
    }

    /// Consumes the current token if it is `kind`.
    pub(crate) fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes the current token as a keyword if it is the word `word`.
    pub(crate) fn eat_keyword(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump_as(KEYWORD);
            true
        } else {
            false
        }
    }

    fn bump_raw(&mut self) {
        let text = self.token_text(self.pos);
        self.builder.token(self.kinds[self.pos], text);
        self.pos += 1;
    }

    /// Emits every token before `index` into the current node.
    fn flush_to(&mut self, index: usize) {
        while self.pos < index {
            self.bump_raw();
        }
    }

    /// Emits the trivia before the next token of the line, so that a node started next
    /// begins at that token.
    fn skip_trivia(&mut self) {
        if let Some(i) = self.nth_index(0) {
            self.flush_to(i);
        }
    }

    // ------------------------------------------------------------------ nodes

    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        self.skip_trivia();
        self.builder.start_node(kind);
    }

    pub(crate) fn finish_node(&mut self) {
        self.builder.finish_node();
    }

    pub(crate) fn checkpoint(&mut self) -> Checkpoint {
        self.skip_trivia();
        self.builder.checkpoint()
    }

    pub(crate) fn start_node_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        self.builder.start_node_at(checkpoint, kind);
    }

    // ------------------------------------------------------------------ errors

    pub(crate) fn error_range(&mut self, message: impl Into<String>, range: TextRange) {
        self.errors.push(SyntaxError::new(message, range));
    }

    /// Reports an error on the current token (or the line's end). A rejected character was
    /// reported by the lexer already, so nothing more is said about it.
    pub(crate) fn error_here(&mut self, message: impl Into<String>) {
        if self.current() == ERROR_TOKEN {
            return;
        }
        let range = self.nth_range(0);
        self.error_range(message, range);
    }

    pub(crate) fn push_diagnostic(&mut self, diagnostic: SyntaxError) {
        self.errors.push(diagnostic);
    }

    /// Reports, in the 0.125 dialect, syntax that only 0.112 accepts (0.125 rejects the file).
    pub(crate) fn only_in_0112(&mut self, range: TextRange, what: &str) {
        if self.dialect == Dialect::V0_125 {
            self.errors.push(SyntaxError::warning(
                "removed-syntax",
                format!("{what} is valid in Dazzle 0.112 but 0.125 rejects it (the whole file fails to load)"),
                range,
            ));
        }
    }

    /// The NEWLINE that ended the line parsed last (for "block expected" errors).
    fn last_line_end_range(&self) -> TextRange {
        if self.pos > 0 && self.kinds[self.pos - 1] == NEWLINE {
            self.token_range(self.pos - 1)
        } else {
            TextRange::empty(TextSize::from(self.starts[self.pos]))
        }
    }

    /// From the start of `line` to its first token: the indentation the reference blames.
    fn line_start_range(&self, line: Line) -> TextRange {
        let first = line.first as usize;
        let mut i = first;
        while i > 0 && self.kinds[i - 1] != NEWLINE {
            i -= 1;
        }
        TextRange::new(self.starts[i].into(), self.starts[first].into())
    }

    // ------------------------------------------------------------------ text

    fn token_text(&self, i: usize) -> &'t str {
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    fn token_range(&self, i: usize) -> TextRange {
        TextRange::new(self.starts[i].into(), self.starts[i + 1].into())
    }
}

/// Indentation width of a line's leading white space: space 1, tab 4, up to anything else.
pub fn indent_width(ws: &str) -> u32 {
    let mut width = 0u32;
    for b in ws.bytes() {
        match b {
            b' ' => width = width.saturating_add(1),
            b'\t' => width = width.saturating_add(4),
            _ => break,
        }
    }
    width
}
