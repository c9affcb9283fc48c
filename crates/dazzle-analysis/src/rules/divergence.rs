//! Where the static matrix and the runtime disagree (security-semantics §1.8): each case is
//! reported on the rule that causes it, so the hover never lies silently.

use crate::access::Effect;
use crate::diagnostics::{Finding, Locator, Severity};
use crate::model::LinkedEntity;

/// Checks every permit/forbid rule of the entity.
pub(super) fn check(entity: &LinkedEntity, out: &mut Vec<Finding>) {
    let Some(access) = &entity.access else { return };
    let name = &entity.name;
    let mut seen = std::collections::BTreeSet::new();
    for rule in &access.permissions {
        let Some((block, nth)) = &rule.origin else {
            continue;
        };
        let op = rule.operation;
        let locator = Locator::AccessRule { entity: name.clone(), block: block.clone(), nth: *nth };
        let mut push = |code: &'static str, message: String| {
            if seen.insert((code, *nth, block.clone())) {
                out.push(Finding {
                    code,
                    severity: Severity::Warning,
                    message,
                    file: entity.file,
                    locator: locator.clone(),
                    related: Vec::new(),
                    fixes: Vec::new(),
                });
            }
        };
        if rule.deny_all {
            push(
                "permit-false-not-enforced",
                format!(
                    "`{op}: false` denies {name}.{op} in the matrix, but the runtime drops the `false` short form: any \
                     authenticated user may {op}. Until that is fixed, leave the operation out of `permit:` instead"
                ),
            );
        }
        let Some(cond) = &rule.condition else {
            continue;
        };
        if block == "access"
            && let crate::access::Cond::Comparison(text) = cond
            && matches!(text.as_str(), "authenticated" | "anonymous" | "true")
        {
            push(
                "access-keyword-as-field",
                format!(
                    "In a legacy `access:` block, `{text}` is not a short form: Dazzle reads it as the comparison \
                     `{text} = true` on a field named `{text}`, so {name}.{op} becomes a row filter open to every \
                     persona. Use `permit: {op}: {text}` instead"
                ),
            );
        }
        let kind = if rule.effect == Effect::Forbid { "forbid" } else { "permit" };
        if cond.has_role_conjunction() {
            push(
                "role-conjunction",
                format!(
                    "`role(a) and role(b)` in {kind}: {name}.{op}: the matrix grants each of those personas on its own, \
                     but at runtime a user must hold every role named"
                ),
            );
        }
        if rule.effect == Effect::Forbid && cond.has_comparison() {
            push(
                "forbid-field-condition",
                format!(
                    "A field condition in forbid: {name}.{op}: the matrix denies {op} to every persona, but at runtime \
                     only the rows matching the condition are forbidden"
                ),
            );
        }
        if cond.has_negation() {
            push(
                "negated-access-rule",
                format!(
                    "`not (…)` in {kind}: {name}.{op}: the matrix treats the rule as open to every persona, and the \
                     runtime cannot convert it (the entity fails to load)"
                ),
            );
        }
        if cond.has_grant() {
            push(
                "has-grant-not-enforced",
                format!(
                    "`has_grant(…)` in {kind}: {name}.{op} is never resolved at runtime (the term is always false, so \
                     this rule admits nobody), while the matrix shows it open to every persona"
                ),
            );
        }
    }
}
