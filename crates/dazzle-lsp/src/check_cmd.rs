//! `dazzle-lsp --check [PATH …]`: the headless linter. Same engine as the server: each
//! project is loaded into an `AnalysisHost` and its diagnostics are rendered.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use dazzle_analysis::AnalysisHost;
use dazzle_analysis::diagnostics::{Diagnostic, DiagnosticFile, Severity};
use dazzle_syntax::Dialect;

use crate::cli::{CheckFormat, ColorWhen};
use crate::line_index::LineIndex;
use crate::parallel;
use crate::project_loader::{self, LoadedProject};
use crate::render;

/// The options of a check run.
pub(crate) struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: CheckFormat,
    pub deny_warnings: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub color: ColorWhen,
    pub dialect: Option<Dialect>,
    pub matrix_golden: Option<PathBuf>,
}

/// A diagnostic ready to render: its file's display path and text, and 1-based positions.
#[derive(Clone)]
pub(crate) struct Report {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Path relative to the project root (as JSON and SARIF report it).
    pub file: String,
    /// Path as the user can open it from the current directory.
    pub display_path: String,
    /// 1-based line and column (columns count characters), start and end.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// Byte range, for snippets.
    pub range: std::ops::Range<usize>,
    /// Index into `CheckRun::texts`.
    pub text: usize,
    /// Labels of the available fixes.
    pub fixes: Vec<String>,
    /// Related places in the same file.
    pub related: Vec<RelatedReport>,
}

/// A related place of a report, positioned like the report.
#[derive(Clone)]
pub(crate) struct RelatedReport {
    pub message: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub range: std::ops::Range<usize>,
}

/// Everything a renderer needs.
pub(crate) struct CheckRun {
    pub reports: Vec<Report>,
    /// `(display path, text)` of every file that has a report.
    pub texts: Vec<(String, Arc<str>)>,
    pub files_checked: usize,
}

/// A path that names what to check (or format).
pub(crate) enum Target {
    /// A project (or lone file) to check completely.
    Project(PathBuf),
    /// One file of its project.
    File(PathBuf),
}

/// Runs the check: exit 0 when nothing fails, 1 when findings fail, 2 on usage or IO errors.
pub(crate) fn run(options: CheckOptions) -> ExitCode {
    let paths = if options.paths.is_empty() { vec![PathBuf::from(".")] } else { options.paths.clone() };
    let mut targets = Vec::new();
    for path in &paths {
        match targets_of(path) {
            Ok(mut found) => targets.append(&mut found),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    }
    let mut run = CheckRun { reports: Vec::new(), texts: Vec::new(), files_checked: 0 };
    let mut seen_roots = BTreeSet::new();
    for target in targets {
        let (path, only) = match &target {
            Target::Project(p) => (p.clone(), None),
            Target::File(f) => (f.clone(), std::fs::canonicalize(f).ok()),
        };
        let mut host = AnalysisHost::default();
        let loaded = match project_loader::load(&mut host, &path, options.dialect) {
            Ok(loaded) => loaded,
            Err(err) => {
                eprintln!("error: {}", err.0);
                return ExitCode::from(2);
            }
        };
        if only.is_none() && !seen_roots.insert(loaded.root.clone()) {
            continue;
        }
        let analysis = host.analysis();
        let files = analysis.project_files(loaded.project);
        parallel::warm_check(&analysis, loaded.project, &files);
        let collected =
            collect(&analysis, &loaded, only.as_deref(), &mut run).and_then(|()| match &options.matrix_golden {
                Some(golden) if only.is_none() => golden_drift(&analysis, &loaded, golden, &mut run),
                _ => Ok(()),
            });
        if let Err(message) = collected {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        std::mem::forget(analysis);
        std::mem::forget(host);
    }
    let selected = |code: &str| {
        (options.select.is_empty() || options.select.iter().any(|s| s == code))
            && !options.ignore.iter().any(|s| s == code)
    };
    run.reports.retain(|r| selected(r.code));
    run.reports.sort_by(|a, b| (&a.file, a.start, a.code).cmp(&(&b.file, b.start, b.code)));
    match options.format {
        CheckFormat::Human => crate::stdout::write(&render::human(&run, options.color)),
        CheckFormat::Json => crate::stdout::stream(|out| render::json(&run, out)),
        CheckFormat::Sarif => crate::stdout::write(&render::sarif(&run)),
        CheckFormat::Github => crate::stdout::write(&render::github(&run)),
    }
    let errors = run.reports.iter().filter(|r| r.severity == Severity::Error).count();
    let warnings = run.reports.iter().filter(|r| r.severity == Severity::Warning).count();
    if errors > 0 || (options.deny_warnings && warnings > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// What a command-line path names: a project, a file, or a tree searched for projects.
pub(crate) fn targets_of(path: &Path) -> Result<Vec<Target>, String> {
    if !path.exists() {
        return Err(format!("{}: no such file or directory", path.display()));
    }
    if path.is_file() {
        return Ok(vec![Target::File(path.to_path_buf())]);
    }
    if project_loader::find_project_root(path).is_some() {
        return Ok(vec![Target::Project(path.to_path_buf())]);
    }
    let mut manifests = Vec::new();
    let mut lone = Vec::new();
    search(path, &mut manifests, &mut lone, 0);
    if !manifests.is_empty() {
        manifests.sort();
        return Ok(manifests.into_iter().map(Target::Project).collect());
    }
    if lone.is_empty() {
        return Err(format!("{}: no Dazzle project (dazzle.toml) or .dsl file below it", path.display()));
    }
    lone.sort();
    Ok(lone.into_iter().map(Target::File).collect())
}

/// Finds `dazzle.toml` directories (not descending into a project) and loose `.dsl` files.
fn search(dir: &Path, manifests: &mut Vec<PathBuf>, lone: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    if dir.join("dazzle.toml").is_file() {
        manifests.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && !hidden && name != "target" && name != "node_modules" {
            search(&path, manifests, lone, depth + 1);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "dsl") {
            lone.push(path);
        }
    }
}

/// Adds the reports of a project's diagnostics to `run`: every file's (or only `only`'s), then,
/// for the whole project, the manifest's (its secrets masked).
pub(crate) fn collect(
    analysis: &dazzle_analysis::Analysis,
    loaded: &LoadedProject,
    only: Option<&Path>,
    run: &mut CheckRun,
) -> Result<(), String> {
    for (id, relative, text) in &loaded.files {
        if let Some(only) = only
            && std::fs::canonicalize(loaded.root.join(relative)).ok().as_deref() != Some(only)
        {
            continue;
        }
        run.files_checked += 1;
        let diagnostics = analysis.file_diagnostics(loaded.project, *id).map_err(|_| "analysis cancelled")?;
        add_reports(loaded, diagnostics, relative, text, run);
    }
    if only.is_none()
        && let Some(text) = &loaded.manifest_text
    {
        let diagnostics: Vec<Diagnostic> = analysis
            .manifest_diagnostics(loaded.project)
            .map_err(|_| "analysis cancelled")?
            .into_iter()
            .filter(|d| d.file == DiagnosticFile::Manifest)
            .collect();
        let secrets: Vec<_> = diagnostics.iter().filter(|d| d.code == "secret-in-manifest").map(|d| d.range).collect();
        add_reports(loaded, diagnostics, Path::new("dazzle.toml"), &Arc::from(mask(text, &secrets)), run);
    }
    Ok(())
}

/// Adds the `matrix-drift` reports against a committed matrix.
fn golden_drift(
    analysis: &dazzle_analysis::Analysis,
    loaded: &LoadedProject,
    golden: &Path,
    run: &mut CheckRun,
) -> Result<(), String> {
    for (relative, text, diagnostics) in crate::matrix_golden::drift(analysis, loaded, golden)? {
        add_reports(loaded, diagnostics, &relative, &text, run);
    }
    Ok(())
}

/// Adds the reports of one file's diagnostics.
fn add_reports(
    loaded: &LoadedProject,
    diagnostics: Vec<Diagnostic>,
    relative: &Path,
    text: &Arc<str>,
    run: &mut CheckRun,
) {
    let cwd = std::env::current_dir().ok();
    let absolute = loaded.root.join(relative);
    let display_path = match cwd.as_ref().and_then(|c| absolute.strip_prefix(c).ok()) {
        Some(p) => p.display().to_string(),
        None => absolute.display().to_string(),
    };
    if diagnostics.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    run.texts.push((display_path.clone(), Arc::clone(text)));
    let text_index = run.texts.len() - 1;
    for d in diagnostics {
        run.reports.push(Report {
            code: d.code,
            severity: d.severity,
            message: d.message,
            file: relative.to_string_lossy().replace('\\', "/"),
            display_path: display_path.clone(),
            start: index.line_col(d.range.start()),
            end: index.line_col(d.range.end()),
            range: usize::from(d.range.start())..usize::from(d.range.end()),
            text: text_index,
            fixes: d.fixes.iter().map(|f| f.label.clone()).collect(),
            related: d
                .related
                .iter()
                .map(|r| RelatedReport {
                    message: r.message.clone(),
                    start: index.line_col(r.range.start()),
                    end: index.line_col(r.range.end()),
                    range: usize::from(r.range.start())..usize::from(r.range.end()),
                })
                .collect(),
        });
    }
}

/// `text` with every secret value replaced by `*` (quotes kept, byte lengths unchanged), so
/// that no snippet can show a credential.
fn mask(text: &str, secrets: &[dazzle_syntax::TextRange]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let inside = secrets.iter().any(|r| {
            let (start, end) = (usize::from(r.start()), usize::from(r.end()));
            i > start && i + c.len_utf8() < end
        });
        if inside && c != '\n' {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}
