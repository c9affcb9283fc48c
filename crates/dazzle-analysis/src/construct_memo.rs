//! Per-construct results of a file's last analysis, for files an editor is changing. A
//! reparse shares the green nodes of every construct the edit did not touch, so a node seen
//! before (the very same node in memory) has the same lowering and the same anti-Turing
//! violations as then: they are taken from here instead of computed again. Each result is a
//! function of its node alone, so a query gives the same answer with or without this memo;
//! only files with a reparse base keep one, and only their last run's nodes are kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dazzle_syntax::{GreenNode, GreenNodeData};

use crate::db::SourceFile;

/// One table per kind of result.
#[derive(Clone, Default)]
pub struct ConstructMemo {
    pub(crate) entities: Table<crate::item_index::EntityItem>,
    pub(crate) violations: Table<Arc<[crate::anti_turing::Violation]>>,
}

/// The results of each file's last run, by node address (the node is kept alive with its
/// result, so the address cannot be reused meanwhile).
pub(crate) struct Table<T>(Arc<Mutex<HashMap<SourceFile, Entries<T>>>>);

type Entries<T> = HashMap<usize, (GreenNode, T)>;

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Table(Arc::clone(&self.0))
    }
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table(Arc::default())
    }
}

impl<T: Clone> Table<T> {
    /// Starts a run over `file`'s constructs, taking its last run's results; `keep` says
    /// whether this run's are kept for the next (a file with a reparse base).
    pub(crate) fn run(&self, file: SourceFile, keep: bool) -> Run<'_, T> {
        let last = self.0.lock().map(|mut files| files.remove(&file)).ok().flatten().unwrap_or_default();
        Run { table: self, file, keep, last, this: HashMap::new() }
    }
}

/// A run over one file's constructs.
pub(crate) struct Run<'t, T> {
    table: &'t Table<T>,
    file: SourceFile,
    keep: bool,
    last: Entries<T>,
    this: Entries<T>,
}

impl<T: Clone> Run<'_, T> {
    /// The result for `node`: the last run's, if it saw this very node, else `compute`'s.
    pub(crate) fn get(&mut self, node: &GreenNodeData, compute: impl FnOnce() -> T) -> T {
        let key = std::ptr::from_ref(node) as usize;
        let last = self.last.remove(&key);
        if !self.keep {
            return last.map_or_else(compute, |(_, result)| result);
        }
        let entry = last.unwrap_or_else(|| (node.to_owned(), compute()));
        let result = entry.1.clone();
        self.this.insert(key, entry);
        result
    }
}

impl<T> Drop for Run<'_, T> {
    fn drop(&mut self) {
        if self.keep
            && let Ok(mut files) = self.table.0.lock()
        {
            files.insert(self.file, std::mem::take(&mut self.this));
        }
    }
}
