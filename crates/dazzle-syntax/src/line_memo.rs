//! Lines already parsed in this file, replayed instead of parsed again. Dazzle files repeat
//! whole lines (`id: uuid pk`, `create: authenticated`, `as: admin`), and a line's grammar
//! reads nothing but its own tokens, its context and the header state: the same line in the
//! same state parses to the same shared children and the same outcome. Only lines that parse
//! without an error into one open node are kept; their strings and comments, which the builder
//! does not share by itself, join the shared elements then.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::SyntaxKind;
use crate::grammar::{Body, Ctx};
use crate::green_builder::Child;

/// What a line's grammar reads besides its tokens: the context and the header flags of the
/// top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct LineState {
    pub(crate) ctx: Ctx,
    pub(crate) header_open: bool,
    pub(crate) seen_module_or_use: bool,
}

/// The parser's token columns, to compare lines.
#[derive(Clone, Copy)]
pub(crate) struct Tokens<'a, 't> {
    pub(crate) kinds: &'a [SyntaxKind],
    pub(crate) starts: &'a [u32],
    pub(crate) text: &'t str,
}

impl<'t> Tokens<'_, 't> {
    /// The text of the tokens in `range`.
    #[inline]
    fn text(&self, range: &Range<usize>) -> &'t str {
        &self.text[self.starts[range.start] as usize..self.starts[range.end] as usize]
    }

    /// Whether the tokens in `a` and `b` have the same kinds, lengths and text.
    fn same(&self, a: &Range<usize>, b: &Range<usize>) -> bool {
        let (base_a, base_b) = (self.starts[a.start], self.starts[b.start]);
        a.len() == b.len()
            && self.kinds[a.clone()] == self.kinds[b.clone()]
            && self.starts[a.clone()].iter().zip(&self.starts[b.clone()]).all(|(x, y)| x - base_a == y - base_b)
            && self.text(a) == self.text(b)
    }
}

/// What parsing a line did: the kind of the node it left open, and what may follow it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome<'t> {
    pub(crate) node: SyntaxKind,
    pub(crate) body: Body<'t>,
}

struct Recorded<'t> {
    hash: u64,
    before: LineState,
    /// The tokens of the line as first parsed.
    tokens: Range<u32>,
    /// Its node's children, in [`LineMemo::children`].
    children: Range<u32>,
    outcome: Outcome<'t>,
}

/// The lines of one parse, by their tokens and state.
pub(crate) struct LineMemo<'t> {
    lines: HashTable<Recorded<'t>>,
    children: Vec<Child>,
    /// Tests parse with and without replaying, to compare.
    #[cfg(test)]
    disabled: bool,
}

impl<'t> LineMemo<'t> {
    /// A memo with room for `lines` lines, so that it never grows (and rehashes) while a file
    /// is parsed.
    pub(crate) fn with_capacity(lines: usize) -> LineMemo<'t> {
        LineMemo {
            lines: HashTable::with_capacity(lines),
            children: Vec::with_capacity(4 * lines),
            #[cfg(test)]
            disabled: false,
        }
    }

    /// The hash of the line of tokens `range` parsed in `state`.
    pub(crate) fn hash(tokens: Tokens<'_, 't>, range: &Range<usize>, state: LineState) -> u64 {
        let mut hasher = FxHasher::default();
        state.hash(&mut hasher);
        hasher.write(tokens.text(range).as_bytes());
        hasher.finish()
    }

    /// The outcome and the node's children of the same line parsed before in the same state.
    pub(crate) fn find(
        &self,
        tokens: Tokens<'_, 't>,
        hash: u64,
        state: LineState,
        range: &Range<usize>,
    ) -> Option<(Outcome<'t>, &[Child])> {
        #[cfg(test)]
        if self.disabled {
            return None;
        }
        let line = self.lines.find(hash, |line| {
            line.before == state && tokens.same(&(line.tokens.start as usize..line.tokens.end as usize), range)
        })?;
        Some((line.outcome, &self.children[line.children.start as usize..line.children.end as usize]))
    }

    /// Keeps the line of tokens `range`, parsed in `before` into a node of `children`.
    pub(crate) fn record(
        &mut self,
        hash: u64,
        before: LineState,
        range: &Range<usize>,
        children: &[Child],
        outcome: Outcome<'t>,
    ) {
        let start = to_u32(self.children.len());
        self.children.extend_from_slice(children);
        let line = Recorded {
            hash,
            before,
            tokens: to_u32(range.start)..to_u32(range.end),
            children: start..to_u32(self.children.len()),
            outcome,
        };
        self.lines.insert_unique(hash, line, |line| line.hash);
    }
}

#[cfg(test)]
impl LineMemo<'_> {
    /// A memo that never replays.
    pub(crate) fn disabled() -> Self {
        LineMemo { disabled: true, ..LineMemo::with_capacity(0) }
    }
}

/// Token and child counts fit 32 bits: rowan's offsets stop at 4 GiB.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 4 G tokens")
}

#[cfg(test)]
mod tests;
