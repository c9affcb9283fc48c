//! The `tenancy:` block's own checks, as the reference validates them (security-semantics §5):
//! an admin persona that a scope rule also binds, a partition key no entity declares (after
//! the linker gives it to the tenanted entities, as it does in shared_schema mode), and an
//! isolation mode the runtime does not implement.

use super::RuleContext;
use crate::db::{Db, SourceFile, item_index};
use crate::diagnostics::{Finding, Locator, Severity};
use crate::model::{LinkedEntity, ProjectModel};

/// Modes Dazzle's parser accepts but its runtime does not implement (others are parse errors).
const UNIMPLEMENTED_MODES: &[&str] = &["schema_per_tenant", "database_per_tenant"];

/// Every tenancy finding of the project.
pub(super) fn check(db: &dyn Db, model: &ProjectModel, ctx: &RuleContext, out: &mut Vec<Finding>) {
    let Some(file) = model.modules.iter().map(|m| m.file).find(|&f| item_index(db, f).tenancy.is_some()) else {
        return;
    };
    admins_in_scopes(model, ctx, out);
    let mode = ctx.tenancy_mode.as_deref().unwrap_or("shared_schema");
    if mode != "single"
        && let Some(key) = ctx.effective_partition_key()
        && !model.entities.iter().any(|e| e.fields.iter().any(|f| f.name == key))
        && !(mode == "shared_schema" && model.entities.iter().any(|e| receives_partition_key(e, ctx)))
    {
        out.push(finding(
            "tenant-partition-key-missing",
            Severity::Warning,
            format!(
                "tenancy.partition_key='{key}'{} but no entity declares a field with that name: multi-tenancy is \
                 effectively disabled — data is not partitioned. Add `{key}` to the tenanted entities (usually a \
                 `ref` to the tenant entity) or name the field they have",
                if ctx.partition_key.is_none() { " (the default)" } else { "" }
            ),
            file,
            Locator::BlockKey { block: "tenancy".to_owned(), key: "partition_key".to_owned() },
        ));
    }
    if UNIMPLEMENTED_MODES.contains(&mode) {
        out.push(finding(
            "tenancy-mode-unimplemented",
            Severity::Warning,
            format!(
                "tenancy mode '{mode}' is not implemented by the runtime: no tenant fencing is applied, so every \
                 scope rule alone keeps tenants apart. Use shared_schema (or single)"
            ),
            file,
            Locator::BlockKey { block: "tenancy".to_owned(), key: "mode".to_owned() },
        ));
    }
}

/// Whether the linker gives `entity` the partition key (shared_schema only, with a tenant
/// entity): every entity but the tenant itself, the excluded ones, user and settings
/// archetypes, platform entities and memberships (which keep their own ref to the tenant).
fn receives_partition_key(entity: &LinkedEntity, ctx: &RuleContext) -> bool {
    let Some(tenant) = ctx.tenant_root.as_deref() else { return false };
    // A membership keeps its ref to the tenant (the archetype adds one when it is not written).
    let archetype = entity.archetype_kind.as_deref();
    !(entity.injected
        || entity.name == tenant
        || ctx.tenancy_excluded.contains(&entity.name)
        || matches!(archetype, Some("user" | "settings" | "user_membership"))
        || entity.domain.as_deref() == Some("platform"))
}

/// `tenant-admin-in-scope`: a persona of `tenancy: admin_personas` (which bypasses the tenant
/// filter) that a `scope:` rule also binds; the reference refuses the project.
fn admins_in_scopes(model: &ProjectModel, ctx: &RuleContext, out: &mut Vec<Finding>) {
    for entity in model.entities.iter().filter(|e| !e.injected) {
        let (Some(access), Some(file)) = (&entity.access, entity.file) else { continue };
        let mut reported = Vec::new();
        for scope in &access.scopes {
            let Some(nth) = scope.origin else { continue };
            for persona in scope.personas.iter().filter(|p| ctx.tenant_admins.contains(p)) {
                if reported.contains(persona) {
                    continue;
                }
                reported.push(persona.clone());
                out.push(finding(
                    "tenant-admin-in-scope",
                    Severity::Error,
                    format!(
                        "Entity '{}': persona '{persona}' is in `tenancy.admin_personas` (it bypasses the tenant \
                         filter) and also bound to this `scope:` rule, which is therefore dead for it — Dazzle \
                         refuses the project. Remove '{persona}' from one side",
                        entity.name
                    ),
                    file,
                    Locator::ScopeAs { entity: entity.name.clone(), nth, persona: persona.clone() },
                ));
            }
        }
    }
}

fn finding(code: &'static str, severity: Severity, message: String, file: SourceFile, locator: Locator) -> Finding {
    Finding { code, severity, message, file: Some(file), locator, related: Vec::new(), fixes: Vec::new() }
}
