//! `dazzle-lsp parse FILE`: the syntax tree and diagnostics of one file, for bug reports and
//! for checking losslessness from outside.

use std::path::Path;
use std::process::ExitCode;

use dazzle_syntax::{Dialect, Severity, SyntaxError};
use serde_json::json;

use crate::cli::ParseFormat;
use crate::line_index::LineIndex;

/// Runs the command: 0 when the file has no syntax error, 1 when it has, 2 when unreadable.
pub(crate) fn run(path: &Path, dialect: Dialect, format: ParseFormat) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
            return ExitCode::from(2);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            eprintln!("error: {} is not UTF-8 text (invalid byte at offset {at})", path.display());
            return ExitCode::from(2);
        }
    };
    let parse = dazzle_syntax::parse(&text, dialect);
    let index = LineIndex::new(&text);
    let out = match format {
        ParseFormat::Tree => {
            let mut out = parse.debug_tree();
            for error in parse.errors() {
                let (line, col) = index.line_col(error.range.start());
                let message = match error.severity {
                    Severity::Error => error.message.clone(),
                    Severity::Warning => format!("warning[{}]: {}", error.code, error.message),
                };
                out.push_str(&format!("{line}:{col}: {message}\n"));
            }
            out
        }
        ParseFormat::Json => {
            let file =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let diagnostics: Vec<_> = parse.errors().iter().map(|e| diagnostic_json(e, &file, &index)).collect();
            let mut out = serde_json::to_string_pretty(&json!({"version": 1, "diagnostics": diagnostics}))
                .expect("JSON values always serialize");
            out.push('\n');
            out
        }
    };
    crate::stdout::write(&out);
    let failed = parse.errors().iter().any(|e| e.severity == Severity::Error);
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn diagnostic_json(error: &SyntaxError, file: &str, index: &LineIndex<'_>) -> serde_json::Value {
    let (line, column) = index.line_col(error.range.start());
    let (end_line, end_column) = index.line_col(error.range.end());
    json!({
        "code": error.code,
        "severity": match error.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": error.message,
        "file": file,
        "range": {
            "start": {"line": line, "column": column},
            "end": {"line": end_line, "column": end_column},
        },
    })
}
