//! Code lenses over entity headers: the entity's matrix row per persona
//! (`admin LRCUD · clinician LR scoped · patient —`), and what changed since a baseline
//! matrix (`+clinician update · −patient read since HEAD`).

use dazzle_analysis::access::Operation;
use dazzle_analysis::access_diff::{ChangeKind, MatrixDiff};
use dazzle_analysis::matrix::{Decision, Matrix};
use dazzle_syntax::{AstNode, SyntaxKind, TextRange};

use crate::{Analysis, Cancellable, FileId, ProjectId};

/// The lens of one entity header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityLens {
    /// The entity's name in its header.
    pub range: TextRange,
    /// The entity.
    pub entity: String,
    /// Its matrix row, summarised per persona.
    pub row: String,
}

/// A lens for every entity declared in `file`, with its matrix row.
pub fn entity_lenses(analysis: &Analysis, project: ProjectId, file: FileId) -> Cancellable<Vec<EntityLens>> {
    let (Some(parse), Some(matrix)) = (analysis.parse(file)?, analysis.matrix(project)?) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for construct in parse.tree().constructs().filter(|c| c.syntax().kind() == SyntaxKind::ENTITY) {
        let (Some(name), Some(node)) =
            (construct.name_text(), construct.syntax().children().find(|n| n.kind() == SyntaxKind::NAME))
        else {
            continue;
        };
        if let Some(row) = row_summary(&matrix, &name) {
            out.push(EntityLens { range: node.text_range(), entity: name, row });
        }
    }
    Ok(out)
}

const LETTERS: [(Operation, char); 5] = [
    (Operation::List, 'L'),
    (Operation::Read, 'R'),
    (Operation::Create, 'C'),
    (Operation::Update, 'U'),
    (Operation::Delete, 'D'),
];

/// The entity's row: per persona the letters of the operations it may perform, grouped by how
/// (`LRC` unfiltered, `U scoped` row-filtered, `D no scope` denied at runtime for want of a scope
/// rule); `—` for none. An entity without permission rules reads `no permission rules: everyone
/// LRCUD (PERMIT_UNPROTECTED)`.
pub fn row_summary(matrix: &Matrix, entity: &str) -> Option<String> {
    let rows = matrix.entities.iter().find(|e| e.entity == entity)?;
    if matrix.roles.is_empty() {
        return Some("no personas: the matrix has no columns".to_owned());
    }
    let all_unprotected = (0..matrix.roles.len())
        .all(|r| Operation::ALL.iter().all(|&op| rows.get(r, op) == Decision::PermitUnprotected));
    if all_unprotected {
        return Some("no permission rules: everyone LRCUD (PERMIT_UNPROTECTED)".to_owned());
    }
    let parts: Vec<String> = matrix
        .roles
        .iter()
        .enumerate()
        .map(|(r, role)| {
            let letters = |wanted: &[Decision]| -> String {
                LETTERS.iter().filter(|(op, _)| wanted.contains(&rows.get(r, *op))).map(|(_, c)| *c).collect()
            };
            let groups: Vec<String> = [
                (letters(&[Decision::Permit]), ""),
                (letters(&[Decision::PermitUnprotected]), " unprotected"),
                (letters(&[Decision::PermitScoped, Decision::PermitFiltered]), " scoped"),
                (letters(&[Decision::PermitNoScope]), " no scope"),
            ]
            .into_iter()
            .filter(|(l, _)| !l.is_empty())
            .map(|(l, how)| format!("{l}{how}"))
            .collect();
            if groups.is_empty() { format!("{role} —") } else { format!("{role} {}", groups.join(", ")) }
        })
        .collect();
    Some(parts.join(" · "))
}

/// What changed in the entity's row since the baseline of `diff`, named `since`
/// (`+clinician update · −patient read since HEAD`); `None` when nothing did.
pub fn changes_since(diff: &MatrixDiff, entity: &str, since: &str) -> Option<String> {
    if diff.entities_added.iter().any(|e| e == entity) {
        return Some(format!("new since {since}"));
    }
    let mut groups: Vec<(ChangeKind, &str, Vec<&str>)> = Vec::new();
    for c in diff.changes.iter().filter(|c| c.entity == entity) {
        match groups.iter_mut().find(|(k, p, _)| *k == c.kind && *p == c.persona) {
            Some((_, _, ops)) => ops.push(c.operation.as_str()),
            None => groups.push((c.kind, &c.persona, vec![c.operation.as_str()])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(kind, persona, ops)| {
            let sign = match kind {
                ChangeKind::Widened => "+",
                ChangeKind::Narrowed => "−",
                ChangeKind::Changed => "~",
            };
            format!("{sign}{persona} {}", ops.join(", "))
        })
        .collect();
    Some(format!("{} since {since}", parts.join(" · ")))
}

#[cfg(test)]
mod tests {
    use dazzle_analysis::access_diff::{MatrixTable, diff};
    use dazzle_analysis::drift::SignedOffMatrix;

    use super::*;

    fn table(cells: &[(&str, &str, &str, &str)]) -> MatrixTable {
        let mut doc = SignedOffMatrix {
            roles: vec!["admin".into(), "clinician".into(), "patient".into()],
            operations: Operation::ALL.iter().map(|o| o.to_string()).collect(),
            ..SignedOffMatrix::default()
        };
        for (role, entity, op, decision) in cells {
            if !doc.entities.iter().any(|e| e == entity) {
                doc.entities.push(entity.to_string());
            }
            doc.cells.push((role.to_string(), entity.to_string(), op.to_string(), decision.to_string()));
        }
        MatrixTable::from_signed_off(&doc).unwrap()
    }

    #[test]
    fn changes_are_grouped_per_persona_and_kind() {
        let base =
            table(&[("clinician", "Visit", "read", "PERMIT_SCOPED"), ("patient", "Visit", "read", "PERMIT_SCOPED")]);
        let head = table(&[
            ("clinician", "Visit", "read", "PERMIT_SCOPED"),
            ("clinician", "Visit", "update", "PERMIT_SCOPED"),
            ("clinician", "Visit", "delete", "PERMIT"),
            ("patient", "Visit", "list", "DENY"),
            ("admin", "Note", "read", "PERMIT"),
        ]);
        let d = diff(&base, &head);
        assert_eq!(
            changes_since(&d, "Visit", "HEAD").as_deref(),
            Some("+clinician update, delete · −patient read since HEAD")
        );
        assert_eq!(changes_since(&d, "Note", "HEAD").as_deref(), Some("new since HEAD"));
        assert_eq!(changes_since(&diff(&base, &base), "Visit", "HEAD"), None);
    }
}
