//! A green-tree builder tuned for this parser. Tokens are shared: those whose text is fixed by
//! their kind (punctuation, newlines) and runs of spaces through arrays, the rest through a
//! per-parse map keyed by borrowed text (no allocation on a hit). Nodes are built without
//! rowan's node cache: Dazzle lines rarely repeat whole subtrees, so hashing them is waste.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rowan::{GreenNode, GreenToken, NodeOrToken};
use rustc_hash::FxHasher;

use crate::SyntaxKind;

type GreenElement = NodeOrToken<GreenNode, GreenToken>;

/// A position to wrap later children into a node started after the fact.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checkpoint(usize);

/// Runs of up to this many spaces are cached by length.
const SPACE_RUNS: usize = 64;

pub(crate) struct GreenBuilder<'t> {
    parents: Vec<(SyntaxKind, usize)>,
    children: Vec<GreenElement>,
    by_kind: Vec<Option<GreenToken>>,
    spaces: Vec<Option<GreenToken>>,
    tokens: HashMap<(SyntaxKind, &'t str), GreenToken, BuildHasherDefault<FxHasher>>,
}

impl<'t> GreenBuilder<'t> {
    pub(crate) fn new() -> GreenBuilder<'t> {
        GreenBuilder {
            parents: Vec::new(),
            children: Vec::new(),
            by_kind: vec![None; usize::from(SyntaxKind::ERROR_TOKEN as u16)],
            spaces: vec![None; SPACE_RUNS + 1],
            tokens: HashMap::default(),
        }
    }

    /// Adds a token. Punctuation and indentation, most tokens, take the short path here (an
    /// array slot); words go through the map.
    #[inline]
    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &'t str) {
        let slot = if has_fixed_text(kind) {
            &mut self.by_kind[usize::from(kind as u16)]
        } else if kind == SyntaxKind::WHITESPACE && text.len() <= SPACE_RUNS && text.bytes().all(|b| b == b' ') {
            &mut self.spaces[text.len()]
        } else {
            return self.other_token(kind, text);
        };
        let token = slot.get_or_insert_with(|| GreenToken::new(kind.into(), text)).clone();
        self.children.push(NodeOrToken::Token(token));
    }

    /// A word, number or string: shared through the map, or (strings, comments) not at all.
    #[inline(never)]
    fn other_token(&mut self, kind: SyntaxKind, text: &'t str) {
        let token = if matches!(kind, SyntaxKind::STRING | SyntaxKind::COMMENT) {
            // Mostly unique texts: sharing them costs a hash and a compare for nothing.
            GreenToken::new(kind.into(), text)
        } else {
            self.tokens.entry((kind, text)).or_insert_with(|| GreenToken::new(kind.into(), text)).clone()
        };
        self.children.push(NodeOrToken::Token(token));
    }

    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        self.parents.push((kind, self.children.len()));
    }

    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.children.len())
    }

    pub(crate) fn start_node_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        self.parents.push((kind, checkpoint.0));
    }

    pub(crate) fn finish_node(&mut self) {
        let (kind, first) = self.parents.pop().expect("finish_node without start_node");
        let node = GreenNode::new(kind.into(), self.children.drain(first..));
        self.children.push(NodeOrToken::Node(node));
    }

    /// The root: the single node left after every `finish_node`.
    pub(crate) fn finish(mut self) -> GreenNode {
        assert!(self.parents.is_empty(), "unfinished nodes");
        match self.children.pop() {
            Some(NodeOrToken::Node(node)) if self.children.is_empty() => node,
            _ => panic!("the builder must end with exactly one root node"),
        }
    }
}

/// Whether every token of `kind` has the same text.
fn has_fixed_text(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        NEWLINE
            | COLON
            | COMMA
            | DOT
            | L_PAREN
            | R_PAREN
            | L_BRACK
            | R_BRACK
            | L_BRACE
            | R_BRACE
            | EQ
            | EQ2
            | NEQ
            | GT
            | LT
            | GTEQ
            | LTEQ
            | ARROW
            | L_ARROW
            | BI_ARROW
            | SLASH
            | QUESTION
            | DOLLAR
            | PIPE
            | PLUS
            | MINUS
            | STAR
            | PERCENT
    )
}
