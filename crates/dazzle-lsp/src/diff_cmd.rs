//! `dazzle-lsp diff [PROJECT] --base REV [--head REV]`: who gained or lost access in a change.
//! Both sides are analysed with the engine `--check` uses — the work tree as it is on disk, or
//! a revision read from git objects — or the base is a committed matrix JSON; every cell whose
//! decision differs is reported, located on the rule that decides it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dazzle_analysis::access::Operation;
use dazzle_analysis::access_diff::{ChangeKind, MatrixDiff, MatrixTable, diff};
use dazzle_analysis::{AnalysisHost, Cancellable};
use dazzle_syntax::Dialect;

use crate::cli::{ColorWhen, DiffFormat, FailOn};
use crate::line_index::LineIndex;
use crate::project_loader::{self, LoadedProject};
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

/// One side of the comparison.
struct Side {
    label: String,
    commit: Option<String>,
    table: MatrixTable,
    analysed: Option<(AnalysisHost, LoadedProject)>,
}

impl Side {
    fn analysed(
        label: String,
        commit: Option<String>,
        host: AnalysisHost,
        loaded: LoadedProject,
    ) -> Result<Side, String> {
        let analysis = host.analysis();
        let files = analysis.project_files(loaded.project);
        crate::parallel::prefetch(&analysis, &files);
        crate::parallel::prefetch_entities(&analysis, loaded.project);
        let matrix = analysis.matrix(loaded.project).map_err(|_| "analysis cancelled")?.unwrap_or_default();
        Ok(Side { label, commit, table: MatrixTable::from_matrix(&matrix), analysed: Some((host, loaded)) })
    }

    /// Where the decision of a cell is made at this side.
    fn location(&self, entity: &str, role: &str, op: Operation) -> Option<Location> {
        let (host, loaded) = self.analysed.as_ref()?;
        let (file, range) = host.analysis().cell_location(loaded.project, entity, role, op).ok()??;
        let (_, relative, text) = loaded.files.iter().find(|(id, _, _)| *id == file)?;
        Some(location(relative, text, range))
    }

    fn sensitive(&self, entity: &str) -> bool {
        self.analysed
            .as_ref()
            .is_some_and(|(host, loaded)| host.analysis().is_sensitive(loaded.project, entity).unwrap_or(false))
    }

    fn syntax_errors(&self) -> Cancellable<Vec<Problem>> {
        let Some((host, loaded)) = &self.analysed else { return Ok(Vec::new()) };
        let analysis = host.analysis();
        let mut out = Vec::new();
        for (id, relative, text) in &loaded.files {
            let Some(parse) = analysis.parse(*id)? else { continue };
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
    print!("{out}");
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
    let head = match &options.head {
        None => {
            let mut host = AnalysisHost::batch();
            let loaded = project_loader::load(&mut host, &root, options.dialect).map_err(|e| e.0)?;
            Side::analysed("work tree".to_owned(), None, host, loaded)?
        }
        Some(rev) => revision_side(&root, rev, options.dialect)?,
    };
    let base_path = Path::new(&options.base);
    let base = if base_path.is_file() {
        let doc = matrix_golden::read(base_path)?;
        let table = MatrixTable::from_signed_off(&doc).map_err(|e| format!("{}: {e}", base_path.display()))?;
        Side { label: options.base.clone(), commit: None, table, analysed: None }
    } else {
        revision_side(&root, &options.base, options.dialect)?
    };
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
    let base_errors = base.syntax_errors().map_err(|_| "analysis cancelled")?;
    let head_errors = head.syntax_errors().map_err(|_| "analysis cancelled")?;
    let report = DiffReport {
        base: base.label.clone(),
        base_commit: base.commit.clone(),
        head: head.label.clone(),
        head_commit: head.commit.clone(),
        diff: matrix_diff,
        changes,
        base_errors,
        head_errors,
        root,
    };
    // One-shot: freeing every memoized tree one by one only delays the exit.
    std::mem::forget(base);
    std::mem::forget(head);
    Ok(report)
}

fn revision_side(root: &Path, rev: &str, dialect: Option<Dialect>) -> Result<Side, String> {
    let mut host = AnalysisHost::batch();
    let (loaded, revision) = revision::load(&mut host, root, rev, dialect)?;
    Side::analysed(revision.rev, Some(revision.commit), host, loaded)
}
