//! A green-tree builder tuned for this parser. Tokens are shared: those whose text is fixed by
//! their kind (punctuation, newlines) and runs of spaces through arrays, the rest (strings and
//! comments aside) through a per-parse map keyed by borrowed text (no allocation on a hit).
//! Small nodes made only of shared children are shared too, found by their kind and their
//! children: a name reference, a type, `role(admin)` or `id: uuid pk` is one node however
//! often the file repeats it. Larger nodes are built without hashing, and so are the nodes of
//! a kind that lookups have rarely found in this file.
//!
//! The shared elements live in one list, and the pending children are indices, into it or into
//! a stack of the elements of their own, so that adding a shared token or finding a shared node
//! touches no reference count. A line the parser keeps to replay (`line_memo`) has its
//! elements of their own moved to the shared list, strings and comments included.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use hashbrown::HashTable;
use rowan::{GreenNode, GreenToken, NodeOrToken};
use rustc_hash::FxHasher;

use crate::SyntaxKind;
use crate::syntax_kind::KIND_COUNT;

type GreenElement = NodeOrToken<GreenNode, GreenToken>;

/// A position to wrap later children into a node started after the fact.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checkpoint(usize);

/// Runs of up to this many spaces are cached by length.
const SPACE_RUNS: usize = 64;

/// Nodes of up to this many children are shared when all their children are (a field line
/// has seven).
const SHARED_CHILDREN: usize = 9;

/// A kind's nodes are looked up this many times before their hits are weighed…
const LOOKUPS_ON_TRIAL: u32 = 64;

/// …and no longer once fewer than one lookup in this many has found the node.
const MIN_HIT_RATIO: u32 = 16;

/// Shared-node lookups of one kind, and how many found the node.
#[derive(Debug, Clone, Copy, Default)]
struct Lookups {
    tries: u32,
    hits: u32,
}

impl Lookups {
    /// Counts a lookup, unless nodes of this kind have so rarely been found that looking
    /// them up costs more than building them (whole lines with a name or a number of their
    /// own): then they are built as nodes of their own, which the tree cannot tell apart.
    fn worth_trying(&mut self) -> bool {
        if self.tries >= LOOKUPS_ON_TRIAL && self.hits.saturating_mul(MIN_HIT_RATIO) < self.tries {
            return false;
        }
        self.tries += 1;
        true
    }
}

/// A child of a node being built: an index into the shared list, or, with this bit set, into
/// the stack of elements of their own (strings, comments, the nodes that hold them).
pub(crate) type Child = u32;
const OWN: Child = 1 << 31;

/// A shared node in the lookup table: its index in the shared list, its kind, and where its
/// children's indices are in `GreenBuilder::keys`.
struct SharedNode {
    index: u32,
    kind: SyntaxKind,
    keys: std::ops::Range<u32>,
}

pub(crate) struct GreenBuilder<'t> {
    parents: Vec<(SyntaxKind, usize)>,
    children: Vec<Child>,
    /// Every shared token and node, once.
    shared: Vec<GreenElement>,
    /// The children of their own, in the order of `children`.
    own: Vec<GreenElement>,
    /// The children of the node being built, gathered before rowan reads them: its loop over
    /// a plain list compiles to a tight one, where over `children` it calls out per child.
    elements: Vec<GreenElement>,
    /// Indices into `shared`: by kind for tokens whose text the kind fixes, by length for
    /// runs of spaces, by kind and text for the rest.
    by_kind: Vec<Option<u32>>,
    spaces: Vec<Option<u32>>,
    tokens: HashMap<(SyntaxKind, &'t str), u32, BuildHasherDefault<FxHasher>>,
    /// The shared nodes, by [`node_hash`], and their children's indices one after another.
    nodes: HashTable<SharedNode>,
    keys: Vec<u32>,
    /// Lookups and hits so far, by node kind.
    lookups: Vec<Lookups>,
}

impl<'t> GreenBuilder<'t> {
    /// A builder sized for a file of `lines` lines, so that its tables do not grow (and
    /// rehash) while it is parsed: real files have about one shared node per line, half as
    /// many shared elements again, and a distinct word for every few lines.
    pub(crate) fn with_capacity(lines: usize) -> GreenBuilder<'t> {
        GreenBuilder {
            parents: Vec::new(),
            children: Vec::new(),
            shared: Vec::with_capacity(lines + lines / 2),
            own: Vec::new(),
            elements: Vec::new(),
            by_kind: vec![None; usize::from(SyntaxKind::ERROR_TOKEN as u16)],
            spaces: vec![None; SPACE_RUNS + 1],
            tokens: HashMap::with_capacity_and_hasher(lines / 4, BuildHasherDefault::default()),
            nodes: HashTable::with_capacity(lines),
            keys: Vec::with_capacity(4 * lines),
            lookups: vec![Lookups::default(); KIND_COUNT],
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
        let index = match *slot {
            Some(index) => index,
            None => {
                let index = share(&mut self.shared, NodeOrToken::Token(GreenToken::new(kind.into(), text)));
                *slot = Some(index);
                index
            }
        };
        self.children.push(index);
    }

    /// A word, number or string: shared through the map, or (strings, comments) not at all.
    #[inline(never)]
    fn other_token(&mut self, kind: SyntaxKind, text: &'t str) {
        let child = if matches!(kind, SyntaxKind::STRING | SyntaxKind::COMMENT) {
            // Mostly unique texts: sharing them costs a hash and a compare for nothing.
            self.push_own(NodeOrToken::Token(GreenToken::new(kind.into(), text)))
        } else {
            let shared = &mut self.shared;
            *self
                .tokens
                .entry((kind, text))
                .or_insert_with(|| share(shared, NodeOrToken::Token(GreenToken::new(kind.into(), text))))
        };
        self.children.push(child);
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
        let child = match self.shared_node(kind, first) {
            Some(index) => index,
            None => self.own_node(kind, first),
        };
        self.children.push(child);
    }

    /// Builds a node of `kind` of its own from the children from `first` on, consuming them.
    fn own_node(&mut self, kind: SyntaxKind, first: usize) -> Child {
        // The children of their own are the top of the stack, from the first one among these.
        let own_first =
            self.children[first..].iter().find(|&&c| c & OWN != 0).map_or(self.own.len(), |c| (c & !OWN) as usize);
        let mut own = self.own.drain(own_first..);
        let shared = &self.shared;
        self.elements.extend(self.children[first..].iter().map(|&child| match child & OWN {
            0 => shared[child as usize].clone(),
            _ => own.next().expect("an element of its own for every child marked so"),
        }));
        drop(own);
        let node = GreenNode::new(kind.into(), self.elements.drain(..));
        self.children.truncate(first);
        self.push_own(NodeOrToken::Node(node))
    }

    /// Puts `element` on the stack of elements of their own, returning its child index.
    fn push_own(&mut self, element: GreenElement) -> Child {
        self.own.push(element);
        to_u32(self.own.len() - 1) | OWN
    }

    /// The index of the shared node of `kind` made of the children from `first` on (found,
    /// or built and recorded), when they are few and all shared; the children are consumed.
    fn shared_node(&mut self, kind: SyntaxKind, first: usize) -> Option<u32> {
        let indices = &self.children[first..];
        if indices.len() > SHARED_CHILDREN || indices.iter().any(|&c| c & OWN != 0) {
            return None;
        }
        if !self.lookups[usize::from(kind as u16)].worth_trying() {
            return None;
        }
        let hash = node_hash(kind, indices);
        let keys = &self.keys;
        let is_same = |node: &SharedNode| node.kind == kind && keys[range(&node.keys)] == *indices;
        let index = match self.nodes.find(hash, is_same) {
            Some(node) => {
                self.lookups[usize::from(kind as u16)].hits += 1;
                node.index
            }
            None => {
                self.elements.extend(indices.iter().map(|&i| self.shared[i as usize].clone()));
                let node = GreenNode::new(kind.into(), self.elements.drain(..));
                let start = to_u32(self.keys.len());
                self.keys.extend_from_slice(indices);
                let index = share(&mut self.shared, NodeOrToken::Node(node));
                let entry = SharedNode { index, kind, keys: start..to_u32(self.keys.len()) };
                let keys = &self.keys;
                self.nodes.insert_unique(hash, entry, |node| node_hash(node.kind, &keys[range(&node.keys)]));
                index
            }
        };
        self.children.truncate(first);
        Some(index)
    }

    /// Where the builder stands: its open nodes and its pending children, for [`Self::line_node`].
    pub(crate) fn mark(&self) -> (usize, usize) {
        (self.parents.len(), self.children.len())
    }

    /// The node started at `mark` and still open, with its children so far, when that is all
    /// that was added since: what replaying the same line must add again ([`Self::replay`]).
    /// Its children of their own (strings, comments, the nodes that hold them) become shared
    /// first, so that a repeated line with a string is replayed too.
    pub(crate) fn line_node(&mut self, mark: (usize, usize)) -> Option<(SyntaxKind, &[Child])> {
        let (parents, first) = mark;
        let &(kind, start) = self.parents.last()?;
        if self.parents.len() != parents + 1 || start != first {
            return None;
        }
        // They are the top of the stack, in order: every node finished inside took its own.
        let owned = self.children[first..].iter().filter(|&&c| c & OWN != 0).count();
        if owned > 0 {
            let mut promoted = self.own.drain(self.own.len() - owned..);
            for child in self.children[first..].iter_mut().filter(|c| **c & OWN != 0) {
                let element = promoted.next().expect("an element of its own for every child marked so");
                *child = share(&mut self.shared, element);
            }
        }
        Some((kind, &self.children[first..]))
    }

    /// Opens a node of `kind` holding `children` (shared indices, from [`Self::line_node`]).
    pub(crate) fn replay(&mut self, kind: SyntaxKind, children: &[Child]) {
        self.parents.push((kind, self.children.len()));
        self.children.extend_from_slice(children);
    }

    /// Adds the shared node (or token) `child`, finished before.
    pub(crate) fn push_shared(&mut self, child: Child) {
        self.children.push(child);
    }

    /// The child added last, if it is shared (so that [`Self::push_shared`] may add it again).
    pub(crate) fn last_shared(&self) -> Option<Child> {
        self.children.last().copied().filter(|&child| child & OWN == 0)
    }

    /// The root: the single node left after every `finish_node`.
    pub(crate) fn finish(mut self) -> GreenNode {
        assert!(self.parents.is_empty(), "unfinished nodes");
        let root = match self.children.pop() {
            Some(child) if child & OWN != 0 => self.own.pop(),
            Some(child) => self.shared.get(child as usize).cloned(),
            None => None,
        };
        match root {
            Some(NodeOrToken::Node(node)) if self.children.is_empty() => node,
            _ => panic!("the builder must end with exactly one root node"),
        }
    }
}

/// Adds `element` to the shared list, returning its index.
fn share(shared: &mut Vec<GreenElement>, element: GreenElement) -> u32 {
    shared.push(element);
    to_u32(shared.len() - 1)
}

/// The hash of a shared node: its kind and its children's indices.
fn node_hash(kind: SyntaxKind, children: &[u32]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u16(kind as u16);
    for &child in children {
        hasher.write_u32(child);
    }
    hasher.finish()
}

fn range(keys: &std::ops::Range<u32>) -> std::ops::Range<usize> {
    keys.start as usize..keys.end as usize
}

/// Indices take 31 bits: a file would need over 2 G distinct tokens and small nodes, or a
/// stack of over 2 G elements of their own, to overflow them (rowan's offsets stop at 4 GiB).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).ok().filter(|&n| n & OWN == 0).expect("fewer than 2 G elements")
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

#[cfg(test)]
mod tests;
