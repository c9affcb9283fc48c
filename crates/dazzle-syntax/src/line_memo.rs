//! Lines already parsed in this file, replayed instead of parsed again. Dazzle files repeat
//! whole lines (`id: uuid pk`, `create: authenticated`, `as: admin`), and a line's grammar
//! reads nothing but its own tokens, its context and the header state: the same line (the
//! same id from `line_lexer`, so the same text and tokens) in the same state parses to the
//! same shared children and the same outcome. Only lines that parse without an error into one
//! open node are kept; their strings and comments, which the builder does not share by itself,
//! join the shared elements then.

use std::ops::Range;

use crate::SyntaxKind;
use crate::grammar::{Body, Ctx};
use crate::green_builder::Child;

/// What a line's grammar reads besides its tokens: the context and the header flags of the
/// top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The state the line was parsed in.
    before: LineState,
    /// The entry of the same line in another state, if any.
    other_state: u32,
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

/// No entry.
const NONE: u32 = u32::MAX;

/// The lines of one parse, by their id and state.
pub(crate) struct LineMemo<'t> {
    /// By line id, its latest entry in `recorded` ([`NONE`] while it has none); the entries
    /// of one id in other states are chained from there.
    by_id: Vec<u32>,
    recorded: Vec<Recorded<'t>>,
    children: Vec<Child>,
    /// Tests parse with and without replaying, to compare.
    #[cfg(test)]
    disabled: bool,
}

impl<'t> LineMemo<'t> {
    /// A memo for lines of ids below `ids`.
    pub(crate) fn new(ids: u32) -> LineMemo<'t> {
        LineMemo {
            by_id: vec![NONE; ids as usize],
            recorded: Vec::new(),
            // Lines average under four children.
            children: Vec::with_capacity(4 * ids as usize),
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
        let mut index = self.by_id[id as usize];
        while index != NONE {
            let line = &self.recorded[index as usize];
            if line.before == state {
                let children = &self.children[line.children.start as usize..line.children.end as usize];
                return Some(Replay { index, outcome: line.outcome, children, finished: line.finished });
            }
            index = line.other_state;
        }
        None
    }

    /// Notes that the line of entry `index`, with no block, made the shared node `node`.
    pub(crate) fn finish(&mut self, index: u32, node: Child) {
        self.recorded[index as usize].finished = Some(node);
    }

    /// Keeps the line `id`, parsed in `before` into a node of `children`; returns its entry.
    pub(crate) fn record(&mut self, id: u32, before: LineState, children: &[Child], outcome: Outcome<'t>) -> u32 {
        let start = to_u32(self.children.len());
        self.children.extend_from_slice(children);
        let index = to_u32(self.recorded.len());
        let other_state = std::mem::replace(&mut self.by_id[id as usize], index);
        let children = start..to_u32(self.children.len());
        self.recorded.push(Recorded { before, other_state, children, outcome, finished: None });
        index
    }
}

#[cfg(test)]
impl LineMemo<'_> {
    /// Makes the memo never replay (it still records).
    pub(crate) fn disable(&mut self) {
        self.disabled = true;
    }
}

/// Token and child counts fit 32 bits: rowan's offsets stop at 4 GiB.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 4 G tokens")
}

#[cfg(test)]
mod tests;
