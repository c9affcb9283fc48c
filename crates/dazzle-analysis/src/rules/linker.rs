//! What Dazzle's linker rejects although its parser accepts it: the project does not load, so
//! the finding is an error on the line that causes it.

use crate::access::Cond;
use crate::diagnostics::{Finding, Locator, Severity};
use crate::model::LinkedEntity;

/// `role-check-in-scope`: `role(…)` or `has_grant(…)` in a `scope:` rule. Scope rules filter
/// rows; the linker refuses authorization checks there (dsl-syntax §2.5.3).
pub(super) fn checks_in_scope(entity: &LinkedEntity, out: &mut Vec<Finding>) {
    let Some(access) = &entity.access else { return };
    for scope in &access.scopes {
        let (Some(nth), Some(cond)) = (scope.origin, &scope.condition) else { continue };
        let Some(check) = first_check(cond) else { continue };
        let (what, kind) = match check {
            Cond::Role(role) => (format!("`role({role})`"), "Role"),
            _ => (format!("`{check}`"), "Grant"),
        };
        out.push(Finding {
            code: "role-check-in-scope",
            severity: Severity::Error,
            message: format!(
                "{what} in `scope: {}` on '{}': {kind} checks belong in permit: blocks, not scope: blocks — Dazzle \
                 refuses to load the project. Keep the check in `permit:` and give the scope rule a row filter (or \
                 `all`) for the personas in its `as:`",
                scope.operation, entity.name
            ),
            file: entity.file,
            locator: Locator::ScopeRule { entity: entity.name.clone(), nth },
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
}

/// The first `role(…)` or `has_grant(…)` of a condition, left to right.
fn first_check(cond: &Cond) -> Option<&Cond> {
    match cond {
        Cond::Role(_) | Cond::Grant { .. } => Some(cond),
        Cond::And(a, b) | Cond::Or(a, b) => first_check(a).or_else(|| first_check(b)),
        Cond::Not(a) => first_check(a),
        Cond::Comparison(_) | Cond::Via { .. } => None,
    }
}
