//! `dazzle-lsp matrix [PROJECT] --format table|json|csv`: the static RBAC matrix, printed
//! byte for byte as `dazzle rbac matrix` prints it; warnings go to stderr as `WARNING: …`.

use std::path::Path;
use std::process::ExitCode;

use dazzle_analysis::AnalysisHost;
use dazzle_analysis::access::Operation;
use dazzle_analysis::matrix::Matrix;
use dazzle_syntax::Dialect;

use crate::cli::MatrixFormat;
use crate::project_loader;
use crate::py_json::Json;

/// Runs the command: 0 on success (warnings included), 2 when the project cannot be read.
pub(crate) fn run(path: &Path, format: MatrixFormat, dialect: Option<Dialect>, write: Option<&Path>) -> ExitCode {
    let mut host = AnalysisHost::batch();
    let loaded = match project_loader::load(&mut host, path, dialect) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("error: {}", err.0);
            return ExitCode::from(2);
        }
    };
    let analysis = host.analysis();
    crate::parallel::prefetch(&analysis, &analysis.project_files(loaded.project));
    crate::parallel::prefetch_entities(&analysis, loaded.project);
    let Ok(Some(matrix)) = analysis.matrix(loaded.project) else {
        eprintln!("error: the analysis was cancelled");
        return ExitCode::from(2);
    };
    let out = match format {
        MatrixFormat::Table => format!("{}\n", table(&matrix)),
        MatrixFormat::Json => format!("{}\n", crate::py_json::to_string(&to_json(&matrix))),
        MatrixFormat::Csv => format!("{}\n", csv(&matrix)),
    };
    if let Some(target) = write {
        let json = format!("{}\n", crate::py_json::to_string(&to_json(&matrix)));
        if let Err(err) = std::fs::write(target, json) {
            eprintln!("error: cannot write {}: {err}", target.display());
            return ExitCode::from(2);
        }
    }
    print!("{out}");
    for warning in &matrix.warnings {
        eprintln!("WARNING: {}", warning.message);
    }
    // A one-shot command: freeing every memoized tree one by one only delays the exit.
    std::mem::forget(analysis);
    std::mem::forget(host);
    ExitCode::SUCCESS
}

fn entity_names(matrix: &Matrix) -> Vec<&str> {
    matrix.entities.iter().map(|e| e.entity.as_str()).collect()
}

/// The reference's JSON document.
fn to_json(matrix: &Matrix) -> Json<'_> {
    let mut values = Vec::with_capacity(matrix.entities.len() * matrix.roles.len() * 20);
    for rows in &matrix.entities {
        for (r, role) in matrix.roles.iter().enumerate() {
            for op in Operation::ALL {
                values.extend([role.as_str(), &rows.entity, op.as_str(), rows.get(r, op).as_str()]);
            }
        }
    }
    let cells = Json::Records { keys: &["role", "entity", "operation", "decision"], values };
    let warnings = matrix
        .warnings
        .iter()
        .map(|w| {
            Json::Object(vec![
                ("kind", Json::Str(w.kind)),
                ("entity", Json::Str(&w.entity)),
                ("role", Json::Str(&w.role)),
                ("operation", Json::Str(&w.operation)),
                ("message", Json::Str(&w.message)),
            ])
        })
        .collect();
    let mut doc = vec![
        ("roles", strings(matrix.roles.iter().map(String::as_str))),
        ("entities", strings(entity_names(matrix))),
        ("operations", strings(Operation::ALL.iter().map(|o| o.as_str()))),
        ("cells", cells),
        ("warnings", Json::List(warnings)),
    ];
    if let Some(flows) = &matrix.atomic_flows {
        let flows = flows
            .iter()
            .map(|f| {
                let steps = f
                    .steps
                    .iter()
                    .map(|(e, op)| Json::Object(vec![("entity", Json::Str(e)), ("operation", Json::Str(op))]))
                    .collect();
                Json::Object(vec![
                    ("name", Json::Str(&f.name)),
                    ("label", Json::Str(&f.label)),
                    ("roles", strings(f.roles.iter().map(String::as_str))),
                    ("steps", Json::List(steps)),
                    ("invariants", strings(f.invariants.iter().map(String::as_str))),
                ])
            })
            .collect();
        doc.push(("atomic_flows", Json::List(flows)));
    }
    Json::Object(doc)
}

/// The matrix document as `dazzle rbac matrix --format json` prints it (no trailing newline).
pub(crate) fn json_text(matrix: &Matrix) -> String {
    crate::py_json::to_string(&to_json(matrix))
}

/// A list of strings.
fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Json<'a> {
    Json::List(items.into_iter().map(Json::Str).collect())
}

/// The reference's Markdown table.
fn table(matrix: &Matrix) -> String {
    if matrix.roles.is_empty() || matrix.entities.is_empty() {
        return "*(empty matrix)*".to_owned();
    }
    let mut header = vec!["entity", "operation"];
    header.extend(matrix.roles.iter().map(String::as_str));
    let mut lines =
        vec![format!("| {} |", header.join(" | ")), format!("| {} |", vec!["---"; header.len()].join(" | "))];
    for rows in &matrix.entities {
        for op in Operation::ALL {
            let mut parts = vec![rows.entity.as_str(), op.as_str()];
            parts.extend((0..matrix.roles.len()).map(|r| rows.get(r, op).as_str()));
            lines.push(format!("| {} |", parts.join(" | ")));
        }
    }
    if let Some(flows) = matrix.atomic_flows.as_ref().filter(|f| !f.is_empty()) {
        lines.extend(
            [
                "",
                "#### Atomic flows",
                "",
                "| flow | execute roles | steps (entity:op) | invariants |",
                "| --- | --- | --- | --- |",
            ]
            .map(str::to_owned),
        );
        for f in flows {
            let steps: Vec<String> = f.steps.iter().map(|(e, op)| format!("{e}:{op}")).collect();
            let invariants = if f.invariants.is_empty() { "—".to_owned() } else { f.invariants.join("; ") };
            lines.push(format!("| {} | {} | {} | {invariants} |", f.name, f.roles.join(", "), steps.join(", ")));
        }
    }
    lines.join("\n")
}

/// The reference's CSV: Python's `csv.writer` (CRLF line ends, minimal quoting).
fn csv(matrix: &Matrix) -> String {
    let mut out = String::new();
    let mut row = |fields: Vec<&str>| {
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    let mut header = vec!["entity", "operation"];
    header.extend(matrix.roles.iter().map(String::as_str));
    row(header);
    for rows in &matrix.entities {
        for op in Operation::ALL {
            let mut fields = vec![rows.entity.as_str(), op.as_str()];
            fields.extend((0..matrix.roles.len()).map(|r| rows.get(r, op).as_str()));
            row(fields);
        }
    }
    out
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
