//! Where the static matrix and the runtime disagree (security-semantics §1.8): each case is
//! reported on the rule that causes it, so the hover never lies silently.

use std::fmt;

use super::and_list;
use crate::access::{Cond, Effect, PermissionRule};
use crate::diagnostics::{Finding, Locator, Severity};
use crate::model::LinkedEntity;

/// Checks every permit/forbid rule of the entity, once per rule line (a legacy `write:` line
/// yields a create and an update rule: one finding names both).
pub(super) fn check(entity: &LinkedEntity, out: &mut Vec<Finding>) {
    let Some(access) = &entity.access else { return };
    let mut lines: Vec<(&(String, usize), Vec<&PermissionRule>)> = Vec::new();
    for rule in &access.permissions {
        let Some(origin) = &rule.origin else { continue };
        match lines.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, rules)) => rules.push(rule),
            None => lines.push((origin, vec![rule])),
        }
    }
    for ((block, nth), rules) in lines {
        check_line(entity, block, *nth, &rules, out);
    }
}

fn check_line(entity: &LinkedEntity, block: &str, nth: usize, rules: &[&PermissionRule], out: &mut Vec<Finding>) {
    let rule = rules[0];
    let ops = Operations { rules, entity: None };
    let targets = Operations { rules, entity: Some(&entity.name) };
    let mut push = |code: &'static str, message: String| {
        out.push(Finding {
            code,
            severity: Severity::Warning,
            message,
            file: entity.file,
            locator: Locator::AccessRule { entity: entity.name.clone(), block: block.to_owned(), nth },
            related: Vec::new(),
            fixes: Vec::new(),
        });
    };
    if rule.deny_all {
        push(
            "permit-false-not-enforced",
            format!(
                "`{ops}: false` denies {targets} in the matrix, but the runtime drops the `false` short form: any \
                 authenticated user may {ops}. Until that is fixed, leave the operation out of `permit:` instead"
            ),
        );
    }
    let Some(cond) = &rule.condition else { return };
    if block == "access"
        && let Cond::Comparison(text) = cond
        && matches!(text.as_str(), "authenticated" | "anonymous" | "true")
    {
        push(
            "access-keyword-as-field",
            format!(
                "In a legacy `access:` block, `{text}` is not a short form: Dazzle reads it as the comparison \
                 `{text} = true` on a field named `{text}`, so {targets} becomes a row filter open to every \
                 persona. Use `permit: {ops}: {text}` instead"
            ),
        );
    }
    let forbid = rule.effect == Effect::Forbid;
    let kind = if forbid { "forbid" } else { block };
    if cond.has_role_conjunction() {
        push(
            "role-conjunction",
            if forbid {
                format!(
                    "`role(a) and role(b)` in forbid: {targets}: the matrix blocks each of those personas on its own, \
                     but at runtime the rule forbids only a user who holds every role named"
                )
            } else {
                format!(
                    "`role(a) and role(b)` in {kind}: {targets}: the matrix grants each of those personas on its own, \
                     but at runtime a user must hold every role named"
                )
            },
        );
    }
    if forbid && cond.has_comparison() {
        push(
            "forbid-field-condition",
            format!(
                "A field condition in forbid: {targets}: the matrix denies {ops} to every persona, but at runtime \
                 only the rows matching the condition are forbidden"
            ),
        );
    }
    if cond.has_negation() {
        push(
            "negated-access-rule",
            format!(
                "`not (…)` in {kind}: {targets}: the matrix treats the rule as open to every persona, and the \
                 runtime cannot convert it (the entity fails to load)"
            ),
        );
    }
    // Under a negation the runtime refuses the entity (negated-access-rule): nothing to compare.
    if cond.has_grant() && !cond.has_negation() {
        let effect = if forbid { "so this rule forbids nobody" } else { "so this rule admits nobody" };
        let matrix =
            if forbid { "the matrix denies every persona" } else { "the matrix shows it open to every persona" };
        push(
            "has-grant-not-enforced",
            format!(
                "`has_grant(…)` in {kind}: {targets} is never resolved at runtime (the term is always false, \
                 {effect}), while {matrix}"
            ),
        );
    }
}

/// The operations of a rule line as messages list them (`list and read`), or its targets
/// (`Task.list and Task.read`) with the entity: written only into a message that is reported.
struct Operations<'a> {
    rules: &'a [&'a PermissionRule],
    entity: Option<&'a str>,
}

impl fmt::Display for Operations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = match self.entity {
            Some(name) => self.rules.iter().map(|r| format!("{name}.{}", r.operation)).collect(),
            None => self.rules.iter().map(|r| r.operation.to_string()).collect(),
        };
        f.write_str(&and_list(&items))
    }
}
