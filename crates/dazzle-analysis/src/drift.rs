//! `matrix-drift`: the difference between the project's matrix and a signed-off one (the
//! golden master a team commits), each change located on the rule that decides the new value.

use dazzle_syntax::{TextRange, TextSize};

use crate::access::Operation;
use crate::db::{Db, Project, parse};
use crate::diagnostics::{Diagnostic, DiagnosticFile, Locator, Severity};
use crate::locate::{cell_locator, locate};
use crate::matrix::project_matrix;
use crate::model::project_model;

/// A committed matrix, as `dazzle-lsp matrix --format json` wrote it.
#[derive(Debug, Clone, Default)]
pub struct SignedOffMatrix {
    /// Columns.
    pub roles: Vec<String>,
    /// Rows.
    pub entities: Vec<String>,
    /// Operations.
    pub operations: Vec<String>,
    /// `(role, entity, operation, decision)`.
    pub cells: Vec<(String, String, String, String)>,
}

/// Every difference between the current matrix and `golden`.
pub fn matrix_drift(db: &dyn Db, project: Project, golden: &SignedOffMatrix) -> Vec<Diagnostic> {
    let matrix = project_matrix(db, project);
    let model = project_model(db, project);
    let root_file =
        model.modules.iter().find(|m| Some(&m.name) == model.root.as_ref()).or(model.modules.first()).map(|m| m.file);
    let mut out = Vec::new();
    let mut push = |file: Option<crate::db::SourceFile>, locator: Locator, message: String| {
        let (file, range) = match file {
            Some(f) => (DiagnosticFile::Source(f), locate(&parse(db, f).tree(), &locator)),
            None => (DiagnosticFile::Manifest, TextRange::empty(TextSize::new(0))),
        };
        out.push(Diagnostic {
            code: "matrix-drift",
            severity: Severity::Error,
            message,
            file,
            range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    };
    let ops: Vec<String> = Operation::ALL.iter().map(|o| o.to_string()).collect();
    if golden.operations != ops {
        push(
            root_file,
            Locator::File,
            format!("Matrix drift: operations changed from [{}] to [{}]", golden.operations.join(", "), ops.join(", ")),
        );
    }
    for role in &matrix.roles {
        if !golden.roles.contains(role) {
            push(
                root_file.filter(|_| true),
                Locator::Definition(role.clone()),
                format!(
                    "Matrix drift: persona '{role}' is new — it is not in the signed-off matrix; review its access and refresh the golden"
                ),
            );
        }
    }
    for role in &golden.roles {
        if !matrix.roles.contains(role) {
            push(
                root_file,
                Locator::File,
                format!("Matrix drift: persona '{role}' of the signed-off matrix no longer exists"),
            );
        }
    }
    for entity in &golden.entities {
        if !matrix.entities.iter().any(|e| &e.entity == entity) {
            push(
                root_file,
                Locator::File,
                format!("Matrix drift: entity '{entity}' of the signed-off matrix no longer exists"),
            );
        }
    }
    for rows in matrix.entities.iter() {
        let linked = model.entities.iter().find(|e| e.name == rows.entity);
        let file = linked.and_then(|e| e.file).or(root_file);
        if !golden.entities.contains(&rows.entity) {
            push(
                file,
                Locator::Definition(rows.entity.clone()),
                format!(
                    "Matrix drift: entity '{}' is new — nobody has signed off its access; review it and refresh the golden",
                    rows.entity
                ),
            );
            continue;
        }
        for (r, role) in matrix.roles.iter().enumerate() {
            if !golden.roles.contains(role) {
                continue;
            }
            for op in Operation::ALL {
                let new = rows.get(r, op).as_str();
                let old = golden
                    .cells
                    .iter()
                    .find(|(gr, ge, go, _)| gr == role && ge == &rows.entity && go == op.as_str())
                    .map_or("DENY", |(_, _, _, d)| d.as_str());
                if old == new {
                    continue;
                }
                let locator =
                    linked.map_or_else(|| Locator::Definition(rows.entity.clone()), |e| cell_locator(e, role, op));
                let direction = match (old == "DENY", new == "DENY") {
                    (true, false) => "widened",
                    (false, true) => "narrowed",
                    _ => "changed",
                };
                push(
                    file,
                    locator,
                    format!("Matrix drift ({direction}): {role} {op} on {}: {old} → {new}", rows.entity),
                );
            }
        }
    }
    out
}
