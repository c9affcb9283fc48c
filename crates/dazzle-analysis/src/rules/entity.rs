//! Per-entity rules: unscoped entities, missing audit, undeclared personas, list scopes
//! without read scopes, and visibility-gate fields no scope reads.

use std::collections::BTreeSet;

use super::{RuleContext, and_list};
use crate::access::{Effect, Operation};
use crate::audit::{AuditSource, audit_coverage, audit_text};
use crate::diagnostics::{Finding, FixSpec, Locator, Related, Severity};
use crate::framework::ADMIN_PERSONAS;
use crate::matrix::{Decision, EntityMatrix};
use crate::model::LinkedEntity;

fn finding(
    entity: &LinkedEntity,
    code: &'static str,
    severity: Severity,
    message: String,
    locator: Locator,
) -> Finding {
    Finding { code, severity, message, file: entity.file, locator, related: Vec::new(), fixes: Vec::new() }
}

fn strict_severity(ctx: &RuleContext) -> Severity {
    if ctx.strict { Severity::Error } else { Severity::Warning }
}

/// The personas granted `op` (any non-DENY cell), in column order.
fn granted(rows: &EntityMatrix, ctx: &RuleContext, op: Operation) -> Vec<String> {
    ctx.personas.iter().enumerate().filter(|(r, _)| rows.get(*r, op).is_granted()).map(|(_, p)| p.clone()).collect()
}

/// `unscoped-entity`: rows that every permitted persona sees in full.
pub(super) fn unscoped(entity: &LinkedEntity, rows: &EntityMatrix, ctx: &RuleContext, out: &mut Vec<Finding>) {
    if entity.patterns.iter().any(|p| p == "system") {
        return;
    }
    let name = &entity.name;
    let unprotected = entity.access.as_ref().is_none_or(|a| a.permissions.is_empty());
    let has_scopes = entity.access.as_ref().is_some_and(|a| !a.scopes.is_empty());
    // The platform's own tables are open by design (security-semantics §2.3).
    if unprotected && entity.domain.as_deref() == Some("platform") {
        return;
    }
    if unprotected {
        let everyone = if ctx.personas.is_empty() { "every user".to_owned() } else { and_list(&ctx.personas) };
        let mut f = finding(
            entity,
            "unscoped-entity",
            strict_severity(ctx),
            format!(
                "Entity '{name}' has no permission rules: {everyone} may list, read, create, update and delete \
                 every row (PERMIT_UNPROTECTED)"
            ),
            Locator::Definition(name.clone()),
        );
        if !ctx.personas.is_empty() {
            let roles: Vec<String> = ctx.personas.iter().map(|p| format!("role({p})")).collect();
            let mut lines = vec!["permit:".to_owned()];
            lines.extend(Operation::ALL.iter().map(|op| format!("  {op}: {}", roles.join(" or "))));
            lines.extend(scope_skeleton(Operation::ALL.iter().map(|&op| (op, ctx.personas.clone())).collect()));
            f.fixes.push(FixSpec::AppendToEntity {
                entity: name.clone(),
                label: "Add explicit permit: and scope: rules".to_owned(),
                lines,
            });
        }
        out.push(f);
        return;
    }
    if has_scopes {
        return;
    }
    let per_op: Vec<(Operation, Vec<String>)> = Operation::ALL.iter().map(|&op| (op, granted(rows, ctx, op))).collect();
    let row_ops = [Operation::List, Operation::Read, Operation::Update, Operation::Delete];
    let mut who: Vec<String> = Vec::new();
    for (r, persona) in ctx.personas.iter().enumerate() {
        let with = |filtered: bool| -> Vec<String> {
            row_ops
                .iter()
                .filter(|&&op| {
                    let d = rows.get(r, op);
                    d.is_granted() && (d == Decision::PermitFiltered) == filtered
                })
                .map(|op| op.to_string())
                .collect()
        };
        let (full, filtered) = (with(false), with(true));
        let mut can = Vec::new();
        if !full.is_empty() {
            can.push(format!("{} every row", and_list(&full)));
        }
        if !filtered.is_empty() {
            can.push(format!("{} the rows its permit condition admits (no scope rule)", and_list(&filtered)));
        }
        // A create no scope rule checks writes rows for any owner or tenant.
        if rows.get(r, Operation::Create).is_granted() {
            can.push("create rows no rule checks".to_owned());
        }
        if !can.is_empty() {
            who.push(format!("{persona} can {}", and_list(&can)));
        }
    }
    if who.is_empty() {
        return;
    }
    let mut f = finding(
        entity,
        "unscoped-entity",
        strict_severity(ctx),
        format!(
            "Entity '{name}' has no scope: rules, so no scope rule filters its rows: {}. (Dazzle's own warning claims \
             such entities default-deny; at runtime they do not.)",
            who.join("; ")
        ),
        Locator::Definition(name.clone()),
    );
    let granted_ops: Vec<(Operation, Vec<String>)> = per_op.into_iter().filter(|(_, ps)| !ps.is_empty()).collect();
    f.fixes.push(FixSpec::AppendToEntity {
        entity: name.clone(),
        label: "Add a scope: skeleton for the permitted personas".to_owned(),
        lines: scope_skeleton(granted_ops),
    });
    out.push(f);
}

/// `scope:` with one `op: all` rule per operation (to be narrowed) for its personas.
fn scope_skeleton(ops: Vec<(Operation, Vec<String>)>) -> Vec<String> {
    let mut lines = vec!["scope:".to_owned()];
    for (op, personas) in ops {
        lines.push(format!("  {op}: all  # TODO: narrow, e.g. owner = current_user"));
        lines.push(format!("    as: {}", personas.join(", ")));
    }
    lines
}

/// `missing-audit`: personal or sensitive data that no audit covers, under the decision table
/// of [`crate::audit`] (last `audit:` line wins, then the signable default, then the app's
/// `audit_trail`; an explicit `audit: false` beats both defaults).
pub(super) fn missing_audit(entity: &LinkedEntity, ctx: &RuleContext, out: &mut Vec<Finding>) {
    let classified = ctx.classified.get(&entity.name).map_or(&[][..], Vec::as_slice);
    let coverage = audit_coverage(entity, classified, ctx.audit_trail);
    if !coverage.required() {
        return;
    }
    let name = &entity.name;
    let reasons = coverage.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let lines = &entity.audit_lines;
    let deciding = |nth: usize| Locator::DefinitionKey { name: name.clone(), key: "audit".to_owned(), nth };
    if !coverage.covered() {
        let f = match coverage.source {
            AuditSource::Directive(nth) => {
                let defaults: Vec<&str> = [
                    (entity.signable, "the audit a signable entity gets by default"),
                    (ctx.audit_trail, "the app's `audit_trail: true`"),
                ]
                .into_iter()
                .filter_map(|(on, what)| on.then_some(what))
                .collect();
                let wins = if defaults.is_empty() {
                    String::new()
                } else {
                    format!(" (an explicit value wins over {})", defaults.join(" and "))
                };
                let why = if nth == 0 {
                    format!("opts out with `audit: false`{wins}")
                } else {
                    format!(
                        "its last `audit:` line, this `audit: false`, switches auditing off{wins}: of an entity's \
                         `audit:` lines the last one wins, so the {} before it no longer {}",
                        if nth == 1 { "one".to_owned() } else { nth.to_string() },
                        if nth == 1 { "applies" } else { "apply" }
                    )
                };
                let mut f = finding(
                    entity,
                    "missing-audit",
                    strict_severity(ctx),
                    format!(
                        "Entity '{name}' holds personal or sensitive data ({reasons}) but {why}: reads and changes of \
                         it leave no audit trail"
                    ),
                    deciding(nth),
                );
                for i in 0..nth {
                    f.related.push(Related {
                        locator: deciding(i),
                        message: "overridden by the entity's last `audit:` line".to_owned(),
                    });
                }
                f.fixes.push(FixSpec::Replace {
                    label: "Audit every operation".to_owned(),
                    text: "audit: all".to_owned(),
                });
                f
            }
            _ => {
                let mut f = finding(
                    entity,
                    "missing-audit",
                    strict_severity(ctx),
                    format!(
                        "Entity '{name}' holds personal or sensitive data ({reasons}) but has no `audit:` and the app \
                         has no `audit_trail: true`: reads and changes of it leave no audit trail"
                    ),
                    Locator::Definition(name.clone()),
                );
                f.fixes.push(FixSpec::AppendToEntity {
                    entity: name.clone(),
                    label: "Add `audit: all`".to_owned(),
                    lines: vec!["audit: all".to_owned()],
                });
                f
            }
        };
        out.push(f);
        return;
    }
    let special: Vec<&str> = entity
        .fields
        .iter()
        .filter(|f| f.pii_args.iter().any(|(k, v)| k == "sensitivity" && v == "special_category"))
        .map(|f| f.name.as_str())
        .collect();
    if let (false, false, AuditSource::Directive(nth)) = (special.is_empty(), coverage.covers_read(), coverage.source) {
        let mut f = finding(
            entity,
            "missing-audit",
            strict_severity(ctx),
            format!(
                "Entity '{name}' holds special-category data ({}) whose reads must be audited, but `{}` leaves out \
                 read",
                special.join(", "),
                audit_text(&lines[nth])
            ),
            deciding(nth),
        );
        f.fixes.push(FixSpec::Replace { label: "Audit every operation".to_owned(), text: "audit: all".to_owned() });
        out.push(f);
    }
}

/// `unknown-persona`: `role(x)` or `as: x` naming no persona.
pub(super) fn personas(entity: &LinkedEntity, ctx: &RuleContext, out: &mut Vec<Finding>) {
    let Some(access) = &entity.access else { return };
    if ctx.personas.is_empty() {
        return;
    }
    let known = |p: &str| p == "*" || ctx.personas.iter().any(|x| x == p) || ADMIN_PERSONAS.contains(&p);
    let mut reported = std::collections::HashSet::new();
    let mut report = |name: &str, locator: Locator, how: &str, out: &mut Vec<Finding>| {
        if !reported.insert((name.to_owned(), locator.clone())) {
            return;
        }
        let declared = ctx.personas.join(", ");
        let hint = crate::rules::project::closest(name, ctx.personas.iter().map(String::as_str))
            .map(|c| format!(" Did you mean '{c}'?"))
            .unwrap_or_default();
        let mut f = finding(
            entity,
            "unknown-persona",
            Severity::Warning,
            format!(
                "{how} persona '{name}', which is not declared (declared: {declared}); the rule never matches anyone.{hint}"
            ),
            locator,
        );
        f.fixes.push(FixSpec::AppendToFile {
            label: format!("Declare persona '{name}'"),
            text: format!("\npersona {name} \"{}\":\n  description: \"\"\n", title_case(name)),
        });
        out.push(f);
    };
    // Most names are declared: only an unknown one costs a locator.
    for rule in &access.permissions {
        let (Some(cond), Some((block, nth))) = (&rule.condition, &rule.origin) else {
            continue;
        };
        let how = if rule.effect == Effect::Forbid { "forbid: references" } else { "permit: references" };
        cond.for_each_role(&mut |role| {
            if !known(role) {
                let locator = Locator::RuleRole {
                    entity: entity.name.clone(),
                    block: block.clone(),
                    nth: *nth,
                    role: role.to_owned(),
                };
                report(role, locator, how, out);
            }
        });
    }
    for scope in &access.scopes {
        let Some(nth) = scope.origin else { continue };
        for persona in scope.personas.iter().filter(|p| !known(p)) {
            let locator = Locator::ScopeAs { entity: entity.name.clone(), nth, persona: persona.clone() };
            report(persona, locator, "scope `as:` binds", out);
        }
    }
}

fn title_case(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `list-without-read-scope` (the reference's #303): personas that may list rows but whose
/// detail views find no read scope at runtime.
pub(super) fn list_without_read(entity: &LinkedEntity, out: &mut Vec<Finding>) {
    let Some(access) = &entity.access else { return };
    if access.scopes.is_empty() || entity.patterns.iter().any(|p| p == "system") {
        return;
    }
    let names = |op: Operation| -> BTreeSet<&str> {
        access.scopes.iter().filter(|s| s.operation == op).flat_map(|s| s.personas.iter().map(String::as_str)).collect()
    };
    let list = names(Operation::List);
    let read = names(Operation::Read);
    if read.contains("*") {
        return;
    }
    let missing: Vec<&str> = list.difference(&read).copied().collect();
    if missing.is_empty() {
        return;
    }
    let name = &entity.name;
    let nth = access.scopes.iter().find(|s| s.operation == Operation::List).and_then(|s| s.origin).unwrap_or(0);
    out.push(finding(
        entity,
        "list-without-read-scope",
        Severity::Warning,
        format!(
            "Entity '{name}': scope list covers persona(s) {} without a read scope: the matrix lets read fall back to \
             list, but at runtime detail views 404 for them. Add `scope: read: … as: …` for the same personas (often \
             `read: all` matching list).",
            missing.join(", ")
        ),
        Locator::ScopeRule { entity: name.clone(), nth },
    ));
}

/// `visibility-field-unscoped` (the reference's #1062): a bool field named like a visibility
/// gate that no scope rule reads.
pub(super) fn visibility_fields(entity: &LinkedEntity, out: &mut Vec<Finding>) {
    const GATES: [&str; 5] = ["is_internal", "is_private", "internal_only", "internal", "private"];
    let Some(access) = &entity.access else { return };
    if access.scopes.is_empty() {
        return;
    }
    let bindings: BTreeSet<&str> = access.scopes.iter().flat_map(|s| s.personas.iter().map(String::as_str)).collect();
    if bindings.len() < 2 {
        return;
    }
    for field in entity.fields.iter().filter(|f| f.ty == "bool" && GATES.contains(&f.name.as_str())) {
        let read = access.scopes.iter().any(|s| s.condition.as_ref().is_some_and(|c| c.mentions_field(&field.name)));
        if !read {
            out.push(finding(
                entity,
                "visibility-field-unscoped",
                Severity::Warning,
                format!(
                    "Entity '{}': bool field '{}' looks like a visibility gate but no scope rule reads it — every \
                     persona ({}) sees rows whatever its value. Add a `scope: list: {} = false as: <persona>` rule or \
                     rename the field.",
                    entity.name,
                    field.name,
                    bindings.iter().copied().collect::<Vec<_>>().join(", "),
                    field.name
                ),
                Locator::Field { entity: entity.name.clone(), field: field.name.clone() },
            ));
        }
    }
}
