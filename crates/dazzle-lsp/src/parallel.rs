//! Warming the per-file queries on every core before a project-wide query runs. The calling
//! thread takes part (one thread fewer to start, and its allocator's memory is reused), and
//! the work is handed out one piece at a time, so a large file does not leave a core idle.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use dazzle_analysis::{Analysis, FileId, ProjectId};

/// Computes the item index of every file, spreading the files over the machine's cores; each
/// thread reads through its own snapshot. Cancellation only means the work is redone later.
pub(crate) fn prefetch(analysis: &Analysis, files: &[FileId]) {
    on_threads(
        analysis,
        files.len(),
        |_| {},
        |snapshot, i| {
            let _ = snapshot.prefetch(&files[i..=i]);
        },
    );
}

/// Pieces the entity pass is cut into, so that a core that starts on it late still takes a share.
const ENTITY_PIECES: usize = 16;

/// Computes every entity's matrix rows and rule findings, split over the cores, and the
/// anti-Turing scan of each of `scan`: the calling thread links the project model first (the
/// entity work waits for it) while the other cores scan.
pub(crate) fn prefetch_entities(analysis: &Analysis, project: ProjectId, scan: &[FileId]) {
    on_threads(analysis, scan.len() + ENTITY_PIECES, link(project), |snapshot, i| match scan.get(i) {
        Some(file) => {
            let _ = snapshot.prefetch_syntax(std::slice::from_ref(file));
        }
        None => {
            let _ = snapshot.prefetch_entities(project, i - scan.len(), ENTITY_PIECES);
        }
    });
}

/// Computes every entity's matrix rows (and no rule findings), split over the cores after the
/// calling thread has linked the project model: the warm-up of `matrix` and `diff`.
pub(crate) fn prefetch_matrix(analysis: &Analysis, project: ProjectId) {
    on_threads(analysis, ENTITY_PIECES, link(project), |snapshot, i| {
        let _ = snapshot.prefetch_matrix_rows(project, i, ENTITY_PIECES);
    });
}

/// The calling thread's first task in an entity pass: linking the project model, which the
/// work on every entity waits for.
fn link(project: ProjectId) -> impl FnOnce(&Analysis) {
    move |snapshot| {
        let _ = snapshot.project_model(project);
    }
}

/// Warms what every file's diagnostics and lenses read, for a project loaded in the background
/// (a workspace folder): each file's item index, then each entity's matrix rows and findings,
/// on every core.
pub(crate) fn warm_project(analysis: &Analysis, project: ProjectId) {
    prefetch(analysis, &analysis.project_files(project));
    prefetch_entities(analysis, project, &[]);
}

/// Computes every file's diagnostics the same way.
pub(crate) fn prefetch_diagnostics(analysis: &Analysis, project: ProjectId, files: &[FileId]) {
    on_threads(
        analysis,
        files.len(),
        |_| {},
        |snapshot, i| {
            let _ = snapshot.prefetch_diagnostics(project, &files[i..=i]);
        },
    );
}

/// How many threads to use for `pieces` pieces of work (the core count is read once: it
/// costs three file reads on Linux).
fn threads(pieces: usize) -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    (*CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))).min(pieces)
}

/// Runs `work` on pieces `0..pieces`, each taken by the next free thread; the calling thread
/// runs `first` before it takes any. Every thread reads through its own snapshot. On one core
/// nothing runs: the queries are computed on demand instead.
fn on_threads(
    analysis: &Analysis,
    pieces: usize,
    first: impl FnOnce(&Analysis),
    work: impl Fn(&Analysis, usize) + Sync,
) {
    let threads = threads(pieces);
    if threads <= 1 {
        return;
    }
    let next = AtomicUsize::new(0);
    let run = |snapshot: &Analysis| {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= pieces {
                break;
            }
            work(snapshot, i);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let snapshot = analysis.clone();
            let run = &run;
            scope.spawn(move || run(&snapshot));
        }
        first(analysis);
        run(analysis);
    });
}
