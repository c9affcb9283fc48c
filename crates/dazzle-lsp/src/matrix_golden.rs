//! `--matrix-golden FILE`: reading a committed matrix and reporting how the project drifted
//! from it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dazzle_analysis::Analysis;
use dazzle_analysis::diagnostics::{Diagnostic, DiagnosticFile};
use dazzle_analysis::drift::SignedOffMatrix;
use serde_json::Value;

use crate::project_loader::LoadedProject;

/// Reads a matrix JSON document written by `dazzle-lsp matrix --format json`.
pub(crate) fn read(path: &Path) -> Result<SignedOffMatrix, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not a matrix JSON document: {e}", path.display()))?;
    let strings = |key: &str| -> Result<Vec<String>, String> {
        json.get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| {
                format!("{}: no `{key}` list (expected `dazzle-lsp matrix --format json` output)", path.display())
            })?
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| format!("{}: `{key}` holds a non-string", path.display()))
            })
            .collect()
    };
    let mut golden = SignedOffMatrix {
        roles: strings("roles")?,
        entities: strings("entities")?,
        operations: strings("operations")?,
        cells: Vec::new(),
    };
    let cells =
        json.get("cells").and_then(Value::as_array).ok_or_else(|| format!("{}: no `cells` list", path.display()))?;
    for cell in cells {
        let field = |k: &str| cell.get(k).and_then(Value::as_str).map(str::to_owned);
        match (field("role"), field("entity"), field("operation"), field("decision")) {
            (Some(r), Some(e), Some(o), Some(d)) => golden.cells.push((r, e, o, d)),
            _ => {
                return Err(format!("{}: a cell lacks role, entity, operation or decision", path.display()));
            }
        }
    }
    Ok(golden)
}

/// One file's drift: its path relative to the root, its text and its diagnostics.
pub(crate) type FileDrift = (PathBuf, Arc<str>, Vec<Diagnostic>);

/// The drift diagnostics, grouped by file.
pub(crate) fn drift(analysis: &Analysis, loaded: &LoadedProject, golden: &Path) -> Result<Vec<FileDrift>, String> {
    let signed_off = read(golden)?;
    let diagnostics = analysis.matrix_drift(loaded.project, &signed_off).map_err(|_| "analysis cancelled")?;
    let mut out: Vec<FileDrift> = Vec::new();
    for d in diagnostics {
        let (relative, text) = match d.file {
            DiagnosticFile::Source(file) => {
                let id = analysis.file_id(file);
                match loaded.files.iter().find(|(fid, _, _)| Some(*fid) == id) {
                    Some((_, relative, text)) => (relative.clone(), Arc::clone(text)),
                    None => continue,
                }
            }
            DiagnosticFile::Manifest => {
                (PathBuf::from("dazzle.toml"), Arc::from(loaded.manifest_text.clone().unwrap_or_default()))
            }
        };
        match out.iter_mut().find(|(r, _, _)| *r == relative) {
            Some((_, _, list)) => list.push(d),
            None => out.push((relative, text, vec![d])),
        }
    }
    Ok(out)
}
