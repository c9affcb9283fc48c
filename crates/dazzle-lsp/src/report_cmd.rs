//! `dazzle-lsp report [PROJECT] [--format html|markdown|json] [-o FILE]`: the security report of
//! a project (see `report`), on stdout or in a file — never over a `.dsl` file or a
//! `dazzle.toml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dazzle_analysis::AnalysisHost;
use dazzle_syntax::Dialect;

use crate::cli::ReportFormat;
use crate::{parallel, project_loader, report};

/// The options of a report run.
pub(crate) struct ReportOptions {
    pub project: PathBuf,
    pub format: ReportFormat,
    pub output: Option<PathBuf>,
    pub dialect: Option<Dialect>,
}

/// Runs the command: 0 when written, 2 on usage or IO errors.
pub(crate) fn run(options: ReportOptions) -> ExitCode {
    match render(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn render(options: &ReportOptions) -> Result<(), String> {
    if let Some(out) = &options.output {
        refuse_source(out)?;
    }
    let mut host = AnalysisHost::default();
    let loaded = project_loader::load(&mut host, &options.project, options.dialect).map_err(|e| e.0)?;
    let analysis = host.analysis();
    let files = analysis.project_files(loaded.project);
    parallel::warm_check(&analysis, loaded.project, &files);
    let text = report::render(&analysis, &loaded, options.format)?;
    match &options.output {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?,
        None => crate::stdout::write(&text),
    }
    // One-shot: freeing every memoized tree one by one only delays the exit.
    std::mem::forget(analysis);
    std::mem::forget(host);
    Ok(())
}

/// A report must not replace a project's source.
fn refuse_source(path: &Path) -> Result<(), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name == "dazzle.toml" || path.extension().is_some_and(|e| e == "dsl") {
        return Err(format!("{}: refusing to write the report over a project source file", path.display()));
    }
    Ok(())
}
