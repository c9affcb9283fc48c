//! Security rules: per-entity queries (so an edit to one entity re-runs only its rules) and
//! project-wide ones, each producing offset-free findings with stable codes.

mod checklist;
mod divergence;
mod entity;
mod linker;
mod project;
mod tenancy;

use std::collections::BTreeMap;
use std::sync::Arc;

use dazzle_syntax::Dialect;

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
    /// Whether the project has a `tenancy:` block.
    pub tenancy_declared: bool,
    /// Its `mode:`, lower-cased: `shared_schema` when the block names none (the reference's
    /// default); `None` without a block.
    pub tenancy_mode: Option<String>,
    /// `tenancy: partition_key`, as written.
    pub partition_key: Option<String>,
    /// Whether the runtime fences tenants itself (a `tenancy:` block in `shared_schema` mode).
    pub tenant_fenced: bool,
    /// Entities the tenancy block leaves unpartitioned (`entities_excluded:` / `exclude:`).
    pub tenancy_excluded: Vec<String>,
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
    // Only the `policies:` block Dazzle uses classifies; a classification of a field no entity
    // declares is the linker's error, not data.
    if let Some(file) = policies_file(db, model) {
        let declared = |c: &&Classification| missing_classify_target(model, c).is_none();
        for c in crate::db::item_index(db, file).classify.iter().filter(declared) {
            ctx.classified.entry(c.entity.clone()).or_default().push(c.clone());
        }
    }
    for module in &model.modules {
        let index = crate::db::item_index(db, module.file);
        if let Some(tenancy) = &index.tenancy {
            ctx.tenancy_declared = true;
            ctx.tenancy_mode.get_or_insert_with(|| "shared_schema".to_owned());
            for (key, value) in tenancy {
                // Dazzle 0.112 lexes `mode` and `partition_key` as keywords and skips both lines:
                // its tenancy is always shared_schema on `tenant_id`.
                let modern = model.dialect != Dialect::V0_112;
                match key.as_str() {
                    "partition_key" if modern => ctx.partition_key = Some(value.clone()),
                    "mode" if modern => ctx.tenancy_mode = Some(value.to_lowercase()),
                    "admin_personas" => ctx.tenant_admins = name_list(value),
                    "entities_excluded" | "exclude" => ctx.tenancy_excluded = name_list(value),
                    _ => {}
                }
            }
        }
    }
    ctx.tenant_fenced = ctx.tenancy_mode.as_deref() == Some("shared_schema");
    Arc::new(ctx)
}

/// The file whose `policies:` block the project uses: Dazzle's linker takes the first module's
/// and ignores the others.
pub(crate) fn policies_file(db: &dyn Db, model: &crate::model::ProjectModel) -> Option<SourceFile> {
    model.modules.iter().map(|m| m.file).find(|&f| {
        let index = crate::db::item_index(db, f);
        !index.classify.is_empty() || !index.audit_access.is_empty() || !index.erasure.is_empty()
    })
}

/// What a `classify` line names that does not exist, said for a message: an undeclared entity,
/// or a field its entity does not store (a semantic archetype may add fields this model does
/// not list: trusted).
pub(crate) fn missing_classify_target(model: &crate::model::ProjectModel, c: &Classification) -> Option<String> {
    let Some(entity) = model.entities.iter().find(|e| e.name == c.entity) else {
        return Some(format!("entity '{}', which is not declared", c.entity));
    };
    if entity.archetype_kind.is_some() || entity.fields.iter().any(|f| f.is_stored(&c.field)) {
        return None;
    }
    let computed = entity.fields.iter().any(|f| f.name == c.field);
    let what = if computed { "declares only as computed" } else { "does not declare" };
    Some(format!("field '{}', which entity '{}' {what}", c.field, c.entity))
}

/// The names of a `[a, "b", c]` value.
fn name_list(value: &str) -> Vec<String> {
    value
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

impl RuleContext {
    /// The column rows are partitioned by: `tenancy: partition_key`, else the reference's
    /// default `tenant_id` when a `tenancy:` block exists.
    pub fn effective_partition_key(&self) -> Option<&str> {
        self.partition_key.as_deref().or(self.tenancy_declared.then_some("tenant_id"))
    }
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
    linker::checks_in_scope(entity, &mut out);
    checklist::tenant_scopes(entity, ctx, &mut out);
    checklist::unmarked_pii(entity, ctx, &mut out);
    settled(out)
}

/// Findings as a memo keeps them: without the room their making left, which would outlive
/// them (`format!` reserves about twice a message's literal text).
fn settled(mut findings: Vec<Finding>) -> Arc<Vec<Finding>> {
    for finding in &mut findings {
        finding.message.shrink_to_fit();
    }
    findings.shrink_to_fit();
    Arc::new(findings)
}

/// The findings located in `file`: its entities' (every finding of an entity is in the file
/// that declares it, as `rule_cases` asserts), then the project-wide rules' in it. Only this
/// file's entities are analysed, so the first diagnostics of an opened file wait for its own
/// entities alone.
#[salsa::tracked(returns(ref))]
pub fn file_findings(db: &dyn Db, project: Project, file: SourceFile) -> Arc<Vec<Finding>> {
    let declared_here =
        entity_defs(db, project).iter().zip(entity_files(db, project)).filter(|(_, f)| **f == Some(file));
    let mut out: Vec<Finding> = Vec::new();
    for (&def, _) in declared_here {
        out.extend(entity_findings(db, def).iter().cloned());
    }
    out.extend(project_findings(db, project).iter().filter(|f| f.file == Some(file)).cloned());
    settled(out)
}

/// The file that declares each entity of `entity_defs`, in the same order. Unchanged by an
/// edit that moves no entity to another file, so a file's findings do not depend on the
/// other files' entities.
#[salsa::tracked(returns(ref))]
pub fn entity_files(db: &dyn Db, project: Project) -> Vec<Option<SourceFile>> {
    entity_defs(db, project).iter().map(|def| def.linked(db).file).collect()
}

/// `a, b and c`
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
