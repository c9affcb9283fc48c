//! Who gained or lost access between two matrices: every cell (persona × entity × operation)
//! whose decision differs, classified by how much the decision lets the persona see, and the
//! personas and entities that appeared or went away.

use std::collections::HashMap;

use crate::access::Operation;
use crate::drift::SignedOffMatrix;
use crate::matrix::{Decision, Matrix};

/// How much of an entity a decision opens to a persona: nothing; a permit that the runtime
/// turns into a deny for want of a scope; some rows; every row; every row without any rule.
pub fn breadth(decision: Decision) -> u8 {
    match decision {
        Decision::Deny => 0,
        Decision::PermitNoScope => 1,
        Decision::PermitScoped | Decision::PermitFiltered => 2,
        Decision::Permit => 3,
        Decision::PermitUnprotected => 4,
    }
}

/// How a cell changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Access gained: the new decision opens more (DENY → any PERMIT…, scoped → PERMIT, …).
    Widened,
    /// Access lost.
    Narrowed,
    /// As much access, decided another way (PERMIT_SCOPED ↔ PERMIT_FILTERED).
    Changed,
}

impl ChangeKind {
    /// `widened`, `narrowed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Widened => "widened",
            ChangeKind::Narrowed => "narrowed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// A matrix as plain cells, from the analysis or from a committed JSON document, indexed for
/// lookups by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixTable {
    /// Persona columns, in order.
    pub roles: Vec<String>,
    /// Entity rows, in order.
    pub entities: Vec<String>,
    role_index: HashMap<String, usize>,
    entity_index: HashMap<String, usize>,
    /// Entity-major, then role, then operation; `DENY` where a document leaves a cell out.
    decisions: Vec<Decision>,
}

impl MatrixTable {
    /// An all-`DENY` table over these rows and columns (duplicates keep their first place).
    fn new(roles: &[String], entities: &[String]) -> MatrixTable {
        let mut table = MatrixTable::default();
        for role in roles {
            if !table.role_index.contains_key(role) {
                table.role_index.insert(role.clone(), table.roles.len());
                table.roles.push(role.clone());
            }
        }
        for entity in entities {
            if !table.entity_index.contains_key(entity) {
                table.entity_index.insert(entity.clone(), table.entities.len());
                table.entities.push(entity.clone());
            }
        }
        table.decisions = vec![Decision::Deny; table.entities.len() * table.roles.len() * Operation::ALL.len()];
        table
    }

    fn slot(&self, entity: usize, role: usize, op: Operation) -> usize {
        let op = Operation::ALL.iter().position(|&o| o == op).unwrap_or(0);
        (entity * self.roles.len() + role) * Operation::ALL.len() + op
    }

    /// The cells of a computed matrix.
    pub fn from_matrix(matrix: &Matrix) -> MatrixTable {
        let entities: Vec<String> = matrix.entities.iter().map(|e| e.entity.clone()).collect();
        let mut table = MatrixTable::new(&matrix.roles, &entities);
        let mut filled = vec![false; table.entities.len()];
        for rows in &matrix.entities {
            // A duplicated entity keeps its first rows, as the reference's lookups do.
            let e = table.entity_index[&rows.entity];
            if std::mem::replace(&mut filled[e], true) {
                continue;
            }
            for (r, role) in matrix.roles.iter().enumerate() {
                let Some(&col) = table.role_index.get(role) else { continue };
                for op in Operation::ALL {
                    let slot = table.slot(e, col, op);
                    table.decisions[slot] = rows.get(r, op);
                }
            }
        }
        table
    }

    /// The cells of a signed-off matrix document; an unknown operation or decision name is an
    /// error naming it.
    pub fn from_signed_off(doc: &SignedOffMatrix) -> Result<MatrixTable, String> {
        let mut table = MatrixTable::new(&doc.roles, &doc.entities);
        for (role, entity, op, decision) in &doc.cells {
            let op = Operation::from_name(op).ok_or_else(|| format!("unknown operation `{op}` in a cell"))?;
            let decision =
                Decision::from_name(decision).ok_or_else(|| format!("unknown decision `{decision}` in a cell"))?;
            if let (Some(&e), Some(&r)) = (table.entity_index.get(entity), table.role_index.get(role)) {
                let slot = table.slot(e, r, op);
                table.decisions[slot] = decision;
            }
        }
        Ok(table)
    }

    /// A cell: `None` when the entity or the persona is not in the matrix, `DENY` for a cell the
    /// document leaves out (as the reference's `get`).
    pub fn get(&self, entity: &str, role: &str, op: Operation) -> Option<Decision> {
        let (&e, &r) = (self.entity_index.get(entity)?, self.role_index.get(role)?);
        Some(self.decisions[self.slot(e, r, op)])
    }
}

/// One cell whose decision differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellChange {
    /// The entity.
    pub entity: String,
    /// The persona.
    pub persona: String,
    /// The operation.
    pub operation: Operation,
    /// The base decision (`None`: the entity or persona did not exist).
    pub before: Option<Decision>,
    /// The head decision (`None`: the entity or persona no longer exists).
    pub after: Option<Decision>,
    /// How it changed.
    pub kind: ChangeKind,
}

/// The differences between two matrices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixDiff {
    /// Personas only in head.
    pub personas_added: Vec<String>,
    /// Personas only in base.
    pub personas_removed: Vec<String>,
    /// Entities only in head.
    pub entities_added: Vec<String>,
    /// Entities only in base.
    pub entities_removed: Vec<String>,
    /// Changed cells: head's entity order, then the removed entities; persona order likewise;
    /// operations in matrix order.
    pub changes: Vec<CellChange>,
}

impl MatrixDiff {
    /// How many changes are of `kind`.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// Whether nothing changed (no cell, persona or entity).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.personas_added.is_empty()
            && self.personas_removed.is_empty()
            && self.entities_added.is_empty()
            && self.entities_removed.is_empty()
    }
}

/// How `before` → `after` changed access, if it did. A missing cell grants nothing.
pub fn classify(before: Option<Decision>, after: Option<Decision>) -> Option<ChangeKind> {
    let (b, a) = (before.unwrap_or(Decision::Deny), after.unwrap_or(Decision::Deny));
    match breadth(a).cmp(&breadth(b)) {
        std::cmp::Ordering::Greater => Some(ChangeKind::Widened),
        std::cmp::Ordering::Less => Some(ChangeKind::Narrowed),
        std::cmp::Ordering::Equal if a != b => Some(ChangeKind::Changed),
        std::cmp::Ordering::Equal => None,
    }
}

/// Every difference from `base` to `head`.
pub fn diff(base: &MatrixTable, head: &MatrixTable) -> MatrixDiff {
    let only = |a: &[String], b: &HashMap<String, usize>| a.iter().filter(|x| !b.contains_key(*x)).cloned().collect();
    let mut out = MatrixDiff {
        personas_added: only(&head.roles, &base.role_index),
        personas_removed: only(&base.roles, &head.role_index),
        entities_added: only(&head.entities, &base.entity_index),
        entities_removed: only(&base.entities, &head.entity_index),
        changes: Vec::new(),
    };
    let entities = head.entities.iter().chain(&out.entities_removed);
    let roles: Vec<&String> = head.roles.iter().chain(&out.personas_removed).collect();
    for entity in entities {
        for role in &roles {
            for op in Operation::ALL {
                let (before, after) = (base.get(entity, role, op), head.get(entity, role, op));
                if let Some(kind) = classify(before, after) {
                    let persona = (*role).clone();
                    out.changes.push(CellChange {
                        entity: entity.clone(),
                        persona,
                        operation: op,
                        before,
                        after,
                        kind,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(roles: &[&str], cells: &[(&str, &str, Operation, Decision)]) -> MatrixTable {
        let mut doc =
            SignedOffMatrix { roles: roles.iter().map(|r| r.to_string()).collect(), ..SignedOffMatrix::default() };
        for (entity, role, op, d) in cells {
            if !doc.entities.iter().any(|e| e == entity) {
                doc.entities.push(entity.to_string());
            }
            doc.cells.push((role.to_string(), entity.to_string(), op.to_string(), d.as_str().to_owned()));
        }
        MatrixTable::from_signed_off(&doc).unwrap()
    }

    #[test]
    fn classifies_by_breadth() {
        use Decision::*;
        assert_eq!(classify(Some(Deny), Some(PermitNoScope)), Some(ChangeKind::Widened));
        assert_eq!(classify(Some(PermitScoped), Some(Permit)), Some(ChangeKind::Widened));
        assert_eq!(classify(Some(Permit), Some(PermitUnprotected)), Some(ChangeKind::Widened));
        assert_eq!(classify(Some(PermitFiltered), Some(PermitScoped)), Some(ChangeKind::Changed));
        assert_eq!(classify(Some(Permit), Some(PermitNoScope)), Some(ChangeKind::Narrowed));
        assert_eq!(classify(None, Some(Deny)), None);
        assert_eq!(classify(Some(Permit), None), Some(ChangeKind::Narrowed));
        assert_eq!(classify(Some(Permit), Some(Permit)), None);
    }

    #[test]
    fn added_and_removed_rows_and_columns() {
        use Decision::*;
        let base = table(
            &["admin", "clerk"],
            &[("Order", "admin", Operation::Read, Permit), ("Old", "clerk", Operation::List, Permit)],
        );
        let head = table(
            &["admin", "nurse"],
            &[("Order", "admin", Operation::Read, Permit), ("Order", "nurse", Operation::Read, PermitScoped)],
        );
        let d = diff(&base, &head);
        assert_eq!(
            (d.personas_added.clone(), d.personas_removed.clone()),
            (vec!["nurse".to_owned()], vec!["clerk".to_owned()])
        );
        assert_eq!((d.entities_added.clone(), d.entities_removed.clone()), (vec![], vec!["Old".to_owned()]));
        let cells: Vec<(String, String, &str, ChangeKind)> =
            d.changes.iter().map(|c| (c.entity.clone(), c.persona.clone(), c.operation.as_str(), c.kind)).collect();
        assert_eq!(
            cells,
            vec![
                ("Order".to_owned(), "nurse".to_owned(), "read", ChangeKind::Widened),
                ("Old".to_owned(), "clerk".to_owned(), "list", ChangeKind::Narrowed),
            ]
        );
    }
}
