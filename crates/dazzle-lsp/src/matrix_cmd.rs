//! `dazzle-lsp matrix [PROJECT] --format table|json|csv`: the static RBAC matrix, printed
//! byte for byte as `dazzle rbac matrix` prints it; warnings go to stderr as `WARNING: …`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use dazzle_analysis::AnalysisHost;
use dazzle_syntax::Dialect;

use crate::cli::MatrixFormat;
use crate::{matrix_output, parallel, project_loader};

/// Runs the command: 0 on success (warnings included), 2 when the project cannot be read.
pub(crate) fn run(path: &Path, format: MatrixFormat, dialect: Option<Dialect>, write: Option<&Path>) -> ExitCode {
    let mut host = AnalysisHost::default();
    let loaded = match project_loader::load(&mut host, path, dialect) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("error: {}", err.0);
            return ExitCode::from(2);
        }
    };
    let analysis = host.analysis();
    let files = analysis.project_files(loaded.project);
    parallel::warm_matrix(&analysis, loaded.project, &files);
    let Ok(Some(matrix)) = analysis.matrix(loaded.project) else {
        eprintln!("error: the analysis was cancelled");
        return ExitCode::from(2);
    };
    if let Some(target) = write {
        let json = format!("{}\n", matrix_output::json_text(&matrix));
        if let Err(err) = std::fs::write(target, json) {
            eprintln!("error: cannot write {}: {err}", target.display());
            return ExitCode::from(2);
        }
    }
    match format {
        MatrixFormat::Table => crate::stdout::write(&format!("{}\n", matrix_output::table(&matrix))),
        MatrixFormat::Json => crate::stdout::stream(|out| {
            matrix_output::write_json(&matrix, out)?;
            out.write_all(b"\n")
        }),
        MatrixFormat::Csv => crate::stdout::write(&format!("{}\n", matrix_output::csv(&matrix))),
    }
    for warning in &matrix.warnings {
        eprintln!("WARNING: {}", warning.message);
    }
    // A one-shot command: freeing every memoized tree one by one only delays the exit.
    std::mem::forget(analysis);
    std::mem::forget(host);
    ExitCode::SUCCESS
}
