//! Lines already parsed in this file, replayed instead of parsed again. Dazzle files repeat
//! whole lines (`id: uuid pk`, `create: authenticated`, `as: admin`), and a line's grammar
//! reads nothing but its own tokens, its context and the header state: the same line (the
//! same id from `line_lexer`, so the same text and tokens) in the same state parses to the
//! same shared children and the same outcome. Only lines that parse without an error into one
//! open node are kept; their strings and comments, which the builder does not share by itself,
//! join the shared elements then.

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

/// What parsing a line did: the kind of the node it left open, and what may follow it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome<'t> {
    pub(crate) node: SyntaxKind,
    pub(crate) body: Body<'t>,
}

struct Recorded<'t> {
    /// The line's id and the state it was parsed in.
    id: u32,
    before: LineState,
    /// Its node's children, in [`LineMemo::children`].
    children: Range<u32>,
    outcome: Outcome<'t>,
    /// The shared node it made when no block followed, once one did.
    finished: Option<Child>,
}

/// A line found in the memo.
pub(crate) struct Replay<'m, 't> {
    /// Its entry, to [`LineMemo::finish`].
    pub(crate) index: u32,
    pub(crate) outcome: Outcome<'t>,
    pub(crate) children: &'m [Child],
    pub(crate) finished: Option<Child>,
}

/// The lines of one parse, by their id and state.
pub(crate) struct LineMemo<'t> {
    /// Indices into `recorded`: a table of four bytes per line of the file stays a few pages,
    /// where one of the records themselves would touch a page for most of the lines it keeps.
    lines: HashTable<u32>,
    recorded: Vec<Recorded<'t>>,
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
            recorded: Vec::new(),
            children: Vec::with_capacity(4 * lines),
            #[cfg(test)]
            disabled: false,
        }
    }

    /// The line `id` parsed before in `state`: its outcome, its node's children and, if it
    /// was finished with no block before, that node.
    pub(crate) fn find(&self, id: u32, state: LineState) -> Option<Replay<'_, 't>> {
        #[cfg(test)]
        if self.disabled {
            return None;
        }
        let recorded = &self.recorded;
        let &index = self.lines.find(hash(id, state), |&index| {
            let line = &recorded[index as usize];
            line.id == id && line.before == state
        })?;
        let line = &recorded[index as usize];
        let children = &self.children[line.children.start as usize..line.children.end as usize];
        Some(Replay { index, outcome: line.outcome, children, finished: line.finished })
    }

    /// Notes that the line of entry `index`, with no block, made the shared node `node`.
    pub(crate) fn finish(&mut self, index: u32, node: Child) {
        self.recorded[index as usize].finished = Some(node);
    }

    /// Keeps the line `id`, parsed in `before` into a node of `children`; returns its entry.
    pub(crate) fn record(&mut self, id: u32, before: LineState, children: &[Child], outcome: Outcome<'t>) -> u32 {
        let start = to_u32(self.children.len());
        self.children.extend_from_slice(children);
        let line = Recorded { id, before, children: start..to_u32(self.children.len()), outcome, finished: None };
        let index = to_u32(self.recorded.len());
        self.recorded.push(line);
        let recorded = &self.recorded;
        self.lines.insert_unique(hash(id, before), index, |&index| {
            let line = &recorded[index as usize];
            hash(line.id, line.before)
        });
        index
    }
}

/// The hash of the line `id` in `state`.
fn hash(id: u32, state: LineState) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u32(id);
    state.hash(&mut hasher);
    hasher.finish()
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
