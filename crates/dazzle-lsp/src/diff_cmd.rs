//! `dazzle-lsp diff [PROJECT] --base REV [--head REV]`: who gained or lost access in a change.
//! Both sides are analysed with the engine `--check` uses — the work tree as it is on disk, or
//! a revision read from git objects — or the base is a committed matrix JSON; every cell whose
//! decision differs is reported, located on the rule that decides it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use dazzle_analysis::access::Operation;
use dazzle_analysis::access_diff::{ChangeKind, MatrixDiff, MatrixTable, diff};
use dazzle_analysis::{Analysis, AnalysisHost, Cancellable, FileId, ProjectId};
use dazzle_syntax::Dialect;

use crate::cli::{ColorWhen, DiffFormat, FailOn};
use crate::line_index::LineIndex;
use crate::parallel;
use crate::project_loader::{self, FileCache, LoadedProject};
use crate::{diff_render, matrix_golden, revision};

/// The options of a diff run.
pub(crate) struct DiffOptions {
    pub project: PathBuf,
    pub base: String,
    pub head: Option<String>,
    pub format: DiffFormat,
    pub fail_on: FailOn,
    pub dialect: Option<Dialect>,
    pub color: ColorWhen,
}

/// A place in a project file: path relative to the project root (with `/`), 1-based
/// positions (columns count characters), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A syntax error at one side.
pub(crate) struct Problem {
    pub location: Location,
    pub message: String,
}

/// One changed cell, with what a reviewer needs beside it.
pub(crate) struct Change {
    pub cell: dazzle_analysis::access_diff::CellChange,
    /// The entity holds personal, sensitive, classified or audited data.
    pub sensitive: bool,
    /// The rule that decides the cell in head.
    pub location: Option<Location>,
    /// The rule that decided it in base.
    pub base_location: Option<Location>,
}

impl Change {
    /// Widened access to sensitive data: a reviewer must sign it off.
    pub(crate) fn requires_sign_off(&self) -> bool {
        self.sensitive && self.cell.kind == ChangeKind::Widened
    }
}

/// Everything the renderers need.
pub(crate) struct DiffReport {
    /// The base as given (a revision or a JSON file) and the commit it names.
    pub base: String,
    pub base_commit: Option<String>,
    /// The head as given (`work tree` when none was) and the commit it names.
    pub head: String,
    pub head_commit: Option<String>,
    pub diff: MatrixDiff,
    pub changes: Vec<Change>,
    /// Syntax errors of the base and of the head (each side is compared as parsed).
    pub base_errors: Vec<Problem>,
    pub head_errors: Vec<Problem>,
    /// The project root, for display paths.
    pub root: PathBuf,
}

/// One side of the comparison: a matrix, and — unless it came from a JSON file — the analysis
/// it was computed by, to locate rules in.
#[derive(Clone)]
pub(crate) struct Side {
    pub label: String,
    pub commit: Option<String>,
    pub table: MatrixTable,
    analysed: Option<Analysed>,
}

/// A snapshot of a project's analysis with its files (id, path relative to the root, text).
#[derive(Clone)]
struct Analysed {
    analysis: Analysis,
    project: ProjectId,
    files: Vec<(FileId, PathBuf, Arc<str>)>,
}

impl Side {
    /// A side analysed in `analysis`; the matrix is computed (warmed on every core) here.
    pub(crate) fn analysed(
        label: String,
        commit: Option<String>,
        analysis: Analysis,
        project: ProjectId,
        files: Vec<(FileId, PathBuf, Arc<str>)>,
    ) -> Result<Side, String> {
        let ids: Vec<FileId> = files.iter().map(|f| f.0).collect();
        parallel::warm_matrix(&analysis, project, &ids);
        let matrix = analysis.matrix(project).map_err(|_| "analysis cancelled")?.unwrap_or_default();
        let table = MatrixTable::from_matrix(&matrix);
        Ok(Side { label, commit, table, analysed: Some(Analysed { analysis, project, files }) })
    }

    /// A side loaded into a host of its own; its snapshot keeps the database alive.
    pub(crate) fn loaded(
        label: String,
        commit: Option<String>,
        host: AnalysisHost,
        loaded: LoadedProject,
    ) -> Result<Side, String> {
        Side::analysed(label, commit, host.analysis(), loaded.project, loaded.files)
    }

    /// Where the decision of a cell is made at this side.
    fn location(&self, entity: &str, role: &str, op: Operation) -> Option<Location> {
        let a = self.analysed.as_ref()?;
        let (file, range) = a.analysis.cell_location(a.project, entity, role, op).ok()??;
        let (_, relative, text) = a.files.iter().find(|(id, _, _)| *id == file)?;
        Some(location(relative, text, range))
    }

    fn sensitive(&self, entity: &str) -> bool {
        self.analysed.as_ref().is_some_and(|a| a.analysis.is_sensitive(a.project, entity).unwrap_or(false))
    }

    fn syntax_errors(&self) -> Cancellable<Vec<Problem>> {
        let Some(a) = &self.analysed else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for (id, relative, text) in &a.files {
            let Some(parse) = a.analysis.parse(*id)? else { continue };
            for e in parse.errors().iter().filter(|e| e.severity == dazzle_syntax::Severity::Error) {
                out.push(Problem { location: location(relative, text, e.range), message: e.message.clone() });
            }
        }
        Ok(out)
    }
}

fn location(relative: &Path, text: &str, range: dazzle_syntax::TextRange) -> Location {
    let index = LineIndex::new(text);
    let (line, column) = index.line_col(range.start());
    let (end_line, end_column) = index.line_col(range.end());
    let file = relative.to_string_lossy().replace('\\', "/");
    Location { file, line, column, end_line, end_column }
}

/// Runs the command: 0 when no change fails, 1 when one that `--fail-on` names does, 2 on
/// usage errors (unknown revision, not a git repository, unreadable project or JSON).
pub(crate) fn run(options: DiffOptions) -> ExitCode {
    let report = match compute(&options) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let out = match options.format {
        DiffFormat::Human => diff_render::human(&report, options.color),
        DiffFormat::Markdown => diff_render::markdown(&report),
        DiffFormat::Json => diff_render::json(&report),
        DiffFormat::Sarif => diff_render::sarif(&report),
        DiffFormat::Github => diff_render::github(&report),
    };
    crate::stdout::write(&out);
    let fails = match options.fail_on {
        FailOn::Widened => report.diff.count(ChangeKind::Widened) > 0,
        FailOn::Any => !report.diff.is_empty(),
        FailOn::None => false,
    };
    if fails { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Loads both sides and compares them.
pub(crate) fn compute(options: &DiffOptions) -> Result<DiffReport, String> {
    if !options.project.exists() {
        return Err(format!("{}: no such file or directory", options.project.display()));
    }
    let root = project_loader::find_project_root(&options.project).ok_or_else(|| {
        format!(
            "{}: no dazzle.toml in this directory or above it (a Dazzle project needs one)",
            options.project.display()
        )
    })?;
    // One host for both sides: the files they share are parsed and indexed once.
    let mut host = AnalysisHost::default();
    let mut cache = FileCache::default();
    let head = match &options.head {
        None => {
            let loaded =
                project_loader::load_shared(&mut host, Some(&mut cache), &root, options.dialect).map_err(|e| e.0)?;
            (loaded, "work tree".to_owned(), None)
        }
        Some(rev) => {
            let (loaded, r) = revision::load(&mut host, Some(&mut cache), &root, rev, options.dialect)?;
            (loaded, r.rev, Some(r.commit))
        }
    };
    let base_path = Path::new(&options.base);
    let base_json = base_path.is_file();
    let base_rev = if base_json {
        None
    } else {
        let (loaded, r) = revision::load(&mut host, Some(&mut cache), &root, &options.base, options.dialect)?;
        Some((loaded, r.rev, Some(r.commit)))
    };
    let analysis = host.analysis();
    let head = Side::analysed(head.1, head.2, analysis.clone(), head.0.project, head.0.files)?;
    let base = match base_rev {
        Some((loaded, label, commit)) => Side::analysed(label, commit, analysis, loaded.project, loaded.files)?,
        None => {
            let doc = matrix_golden::read(base_path)?;
            let table = MatrixTable::from_signed_off(&doc).map_err(|e| format!("{}: {e}", base_path.display()))?;
            Side { label: options.base.clone(), commit: None, table, analysed: None }
        }
    };
    let report = report(&base, &head, root)?;
    // One-shot: freeing every memoized tree one by one only delays the exit.
    std::mem::forget(base);
    std::mem::forget(head);
    std::mem::forget(host);
    Ok(report)
}

/// Compares two sides: every changed cell with its locations, sensitivity and the syntax
/// errors each side was compared with.
pub(crate) fn report(base: &Side, head: &Side, root: PathBuf) -> Result<DiffReport, String> {
    let matrix_diff = diff(&base.table, &head.table);
    let changes = matrix_diff
        .changes
        .iter()
        .map(|cell| Change {
            cell: cell.clone(),
            sensitive: head.sensitive(&cell.entity) || base.sensitive(&cell.entity),
            location: cell.after.and_then(|_| head.location(&cell.entity, &cell.persona, cell.operation)),
            base_location: cell.before.and_then(|_| base.location(&cell.entity, &cell.persona, cell.operation)),
        })
        .collect();
    Ok(DiffReport {
        base: base.label.clone(),
        base_commit: base.commit.clone(),
        head: head.label.clone(),
        head_commit: head.commit.clone(),
        diff: matrix_diff,
        changes,
        base_errors: base.syntax_errors().map_err(|_| "analysis cancelled")?,
        head_errors: head.syntax_errors().map_err(|_| "analysis cancelled")?,
        root,
    })
}

/// The project at `root` as it was at `rev`, analysed in a host of its own.
pub(crate) fn revision_side(root: &Path, rev: &str, dialect: Option<Dialect>) -> Result<Side, String> {
    let mut host = AnalysisHost::default();
    let (loaded, revision) = revision::load(&mut host, None, root, rev, dialect)?;
    Side::loaded(revision.rev, Some(revision.commit), host, loaded)
}
