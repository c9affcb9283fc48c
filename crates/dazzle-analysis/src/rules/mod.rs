//! Security rules: per-entity queries (so an edit to one entity re-runs only its rules) and
//! project-wide ones, each producing offset-free findings with stable codes.

mod checklist;
mod divergence;
mod entity;
mod project;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::db::{Db, EntityDef, Project, SourceFile, entity_defs};
use crate::diagnostics::Finding;
use crate::item_index::Classification;
use crate::matrix::entity_matrix;
use crate::model::{SecurityProfile, project_model};

pub use project::project_findings;

/// What the per-entity rules need to know about the rest of the project; backdates unless
/// one of these settings changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleContext {
    /// Persona ids in order.
    pub personas: Vec<String>,
    /// `security_profile: strict`
    pub strict: bool,
    /// `audit_trail: true`
    pub audit_trail: bool,
    /// `multi_tenant: true`
    pub multi_tenant: bool,
    /// The entity rows are partitioned by, when it can be identified.
    pub tenant_root: Option<String>,
    /// `tenancy: partition_key`
    pub partition_key: Option<String>,
    /// Whether the runtime fences tenants itself (`tenancy: mode: shared_schema`).
    pub tenant_fenced: bool,
    /// Personas exempt from tenant filtering (`tenancy: admin_personas`).
    pub tenant_admins: Vec<String>,
    /// `classify` lines by entity.
    pub classified: BTreeMap<String, Vec<Classification>>,
}

/// The project settings the per-entity rules read.
#[salsa::tracked(returns(ref))]
pub fn rule_context(db: &dyn Db, project: Project) -> Arc<RuleContext> {
    let model = project_model(db, project);
    let mut ctx = RuleContext {
        personas: model.personas.clone(),
        strict: model.security_profile == SecurityProfile::Strict,
        audit_trail: model.audit_trail,
        multi_tenant: model.multi_tenant,
        ..RuleContext::default()
    };
    ctx.tenant_root =
        model.entities.iter().find(|e| e.archetype_kind.as_deref() == Some("tenant")).map(|e| e.name.clone());
    for module in &model.modules {
        let index = crate::db::item_index(db, module.file);
        for c in &index.classify {
            ctx.classified.entry(c.entity.clone()).or_default().push(c.clone());
        }
        if let Some(tenancy) = &index.tenancy {
            for (key, value) in tenancy {
                match key.as_str() {
                    "partition_key" => ctx.partition_key = Some(value.clone()),
                    "mode" => ctx.tenant_fenced = value == "shared_schema",
                    "admin_personas" => {
                        ctx.tenant_admins = value
                            .trim_matches(|c| c == '[' || c == ']')
                            .split(',')
                            .map(|s| s.trim().trim_matches('"').to_owned())
                            .filter(|s| !s.is_empty())
                            .collect();
                    }
                    _ => {}
                }
            }
        }
    }
    Arc::new(ctx)
}

/// The findings of one entity.
#[salsa::tracked(returns(ref))]
pub fn entity_findings<'db>(db: &'db dyn Db, def: EntityDef<'db>) -> Arc<Vec<Finding>> {
    let entity = def.linked(db);
    if entity.injected || entity.file.is_none() {
        return Arc::new(Vec::new());
    }
    let ctx = rule_context(db, def.project(db));
    let rows = entity_matrix(db, def);
    let mut out = Vec::new();
    entity::unscoped(entity, rows, ctx, &mut out);
    entity::missing_audit(entity, ctx, &mut out);
    entity::personas(entity, ctx, &mut out);
    entity::list_without_read(entity, &mut out);
    entity::visibility_fields(entity, &mut out);
    divergence::check(entity, &mut out);
    checklist::tenant_scopes(entity, ctx, &mut out);
    checklist::unmarked_pii(entity, ctx, &mut out);
    Arc::new(out)
}

/// Every finding of the project (entity rules, then project rules), grouped by file.
#[salsa::tracked(returns(ref))]
pub fn findings_by_file(db: &dyn Db, project: Project) -> Arc<HashMap<Option<SourceFile>, Vec<Finding>>> {
    let mut map: HashMap<Option<SourceFile>, Vec<Finding>> = HashMap::new();
    let entity = entity_defs(db, project).iter().flat_map(|&def| entity_findings(db, def).iter().cloned());
    for finding in entity.chain(project_findings(db, project).iter().cloned()) {
        map.entry(finding.file).or_default().push(finding);
    }
    Arc::new(map)
}

/// `a, b and c`
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
