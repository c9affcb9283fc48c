//! Warming the per-file queries on every core before a project-wide query runs.

use dazzle_analysis::{Analysis, FileId, ProjectId};

/// Computes the item index of every file, spreading the files over the machine's cores; each
/// thread reads through its own snapshot. Cancellation only means the work is redone later.
pub(crate) fn prefetch(analysis: &Analysis, files: &[FileId]) {
    on_threads(
        files,
        |snapshot, mine| {
            let _ = snapshot.prefetch(mine);
        },
        analysis,
    );
}

/// Computes every file's item index and syntax work (tree, anti-Turing scan) the same way.
pub(crate) fn prefetch_all(analysis: &Analysis, files: &[FileId]) {
    on_threads(
        files,
        |snapshot, mine| {
            let _ = snapshot.prefetch(mine);
            let _ = snapshot.prefetch_syntax(mine);
        },
        analysis,
    );
}

/// Computes every entity's matrix rows and rule findings, split over the cores.
pub(crate) fn prefetch_entities(analysis: &Analysis, project: ProjectId) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 {
        return;
    }
    std::thread::scope(|scope| {
        for part in 0..threads {
            let snapshot = analysis.clone();
            scope.spawn(move || {
                let _ = snapshot.prefetch_entities(project, part, threads);
            });
        }
    });
}

/// Computes every file's diagnostics the same way.
pub(crate) fn prefetch_diagnostics(analysis: &Analysis, project: ProjectId, files: &[FileId]) {
    on_threads(
        files,
        |snapshot, mine| {
            let _ = snapshot.prefetch_diagnostics(project, mine);
        },
        analysis,
    );
}

/// Runs `work` on every core, each thread with its own snapshot and its share of `files`.
fn on_threads(files: &[FileId], work: impl Fn(&Analysis, &[FileId]) + Sync, analysis: &Analysis) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len());
    if threads <= 1 {
        return;
    }
    std::thread::scope(|scope| {
        for t in 0..threads {
            let snapshot = analysis.clone();
            let mine: Vec<FileId> = files.iter().copied().skip(t).step_by(threads).collect();
            let work = &work;
            scope.spawn(move || work(&snapshot, &mine));
        }
    });
}
