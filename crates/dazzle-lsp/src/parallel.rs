//! Warming the per-file queries on every core before a project-wide query runs. The work comes
//! in phases, each a number of pieces handed out one at a time (a large file does not leave a
//! core idle), and one set of threads runs them all, meeting between phases: the calling thread
//! takes part (one thread fewer to start, and its allocator's memory is reused), and the others
//! live for the whole warm-up, so that their allocator heaps are made once, not per phase.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, OnceLock};

use dazzle_analysis::{Analysis, FileId, ProjectId};

/// Pieces the entity pass is cut into, so that a core that starts on it late still takes a share.
const ENTITY_PIECES: usize = 16;

/// One phase of a warm-up: `work` runs on pieces `0..pieces`, each taken by the next free
/// thread, after the calling thread has run `first`. Every thread reads through its own snapshot,
/// and cancellation only means the work is redone later.
struct Phase<'a> {
    pieces: usize,
    first: Option<First<'a>>,
    work: Work<'a>,
}

/// What the calling thread does in a phase before it takes pieces.
type First<'a> = Box<dyn Fn(&Analysis) + Sync + 'a>;

/// What a thread does with a piece of a phase.
type Work<'a> = Box<dyn Fn(&Analysis, usize) + Sync + 'a>;

/// The item index of every file.
fn index(files: &[FileId]) -> Phase<'_> {
    Phase {
        pieces: files.len(),
        first: None,
        work: Box::new(|snapshot, i| {
            let _ = snapshot.prefetch(&files[i..=i]);
        }),
    }
}

/// Every entity's matrix rows and rule findings, and the anti-Turing scan of each of `scan`:
/// the calling thread links the project model first (the entity work waits for it) while the
/// other cores scan.
fn entities(project: ProjectId, scan: &[FileId]) -> Phase<'_> {
    Phase {
        pieces: scan.len() + ENTITY_PIECES,
        first: Some(link(project)),
        work: Box::new(move |snapshot, i| match scan.get(i) {
            Some(file) => {
                let _ = snapshot.prefetch_syntax(std::slice::from_ref(file));
            }
            None => {
                let _ = snapshot.prefetch_entities(project, i - scan.len(), ENTITY_PIECES);
            }
        }),
    }
}

/// Every entity's matrix rows (and no rule findings), after the calling thread has linked the
/// project model: the warm-up of `matrix` and `diff`.
fn matrix_rows(project: ProjectId) -> Phase<'static> {
    Phase {
        pieces: ENTITY_PIECES,
        first: Some(link(project)),
        work: Box::new(move |snapshot, i| {
            let _ = snapshot.prefetch_matrix_rows(project, i, ENTITY_PIECES);
        }),
    }
}

/// The calling thread's first task in an entity phase: linking the project model, which the
/// work on every entity waits for.
fn link(project: ProjectId) -> First<'static> {
    Box::new(move |snapshot| {
        let _ = snapshot.project_model(project);
    })
}

/// Every file's diagnostics.
fn diagnostics(project: ProjectId, files: &[FileId]) -> Phase<'_> {
    Phase {
        pieces: files.len(),
        first: None,
        work: Box::new(move |snapshot, i| {
            let _ = snapshot.prefetch_diagnostics(project, &files[i..=i]);
        }),
    }
}

/// Warms every file's item index: what linking a project reads.
pub(crate) fn warm_indexes(analysis: &Analysis, files: &[FileId]) {
    run(analysis, &[index(files)]);
}

/// Warms what `--check` and `report` read: every file's item index, then every entity's matrix
/// rows and findings with the anti-Turing scans of `files`, then every file's diagnostics.
pub(crate) fn warm_check(analysis: &Analysis, project: ProjectId, files: &[FileId]) {
    run(analysis, &[index(files), entities(project, files), diagnostics(project, files)]);
}

/// Warms what `matrix` and `diff` read: every file's item index, then every entity's matrix rows.
pub(crate) fn warm_matrix(analysis: &Analysis, project: ProjectId, files: &[FileId]) {
    run(analysis, &[index(files), matrix_rows(project)]);
}

/// Warms what every file's diagnostics and lenses read, for a project loaded in the background
/// (a workspace folder): each file's item index, then each entity's matrix rows and findings.
pub(crate) fn warm_project(analysis: &Analysis, project: ProjectId) {
    let files = analysis.project_files(project);
    run(analysis, &[index(&files), entities(project, &[])]);
}

/// How many threads to use for `pieces` pieces of work (the core count is read once: it
/// costs three file reads on Linux).
fn threads(pieces: usize) -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    (*CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))).min(pieces)
}

/// Runs `phases` in order on the machine's cores, each thread through its own snapshot; no
/// thread starts a phase before every thread is done with the one before. On one core nothing
/// runs: the queries are computed on demand instead.
fn run(analysis: &Analysis, phases: &[Phase<'_>]) {
    let threads = threads(phases.iter().map(|phase| phase.pieces).max().unwrap_or(0));
    if threads <= 1 {
        return;
    }
    let next: Vec<AtomicUsize> = phases.iter().map(|_| AtomicUsize::new(0)).collect();
    let between = Barrier::new(threads);
    let take_part = |snapshot: &Analysis, calling: bool| {
        for (phase, next) in phases.iter().zip(&next) {
            if let Some(first) = phase.first.as_ref().filter(|_| calling) {
                first(snapshot);
            }
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= phase.pieces {
                    break;
                }
                (phase.work)(snapshot, i);
            }
            between.wait();
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let snapshot = analysis.clone();
            let take_part = &take_part;
            scope.spawn(move || take_part(&snapshot, false));
        }
        take_part(analysis, true);
    });
}
