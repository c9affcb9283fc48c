//! Warming the per-file queries on every core before a project-wide query runs.

use dazzle_analysis::{Analysis, FileId};

/// Computes the item index of every file, spreading the files over the machine's cores; each
/// thread reads through its own snapshot. Cancellation only means the work is redone later.
pub(crate) fn prefetch(analysis: &Analysis, files: &[FileId]) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if threads <= 1 {
        return;
    }
    std::thread::scope(|scope| {
        for t in 0..threads {
            let snapshot = analysis.clone();
            let mine: Vec<FileId> = files.iter().copied().skip(t).step_by(threads).collect();
            scope.spawn(move || {
                let _ = snapshot.prefetch(&mine);
            });
        }
    });
}
