//! The static RBAC matrix, cell for cell and warning for warning as the reference computes it
//! (security-semantics §1.3–§1.5), one salsa query per entity.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use dazzle_syntax::Dialect;

use crate::access::{AccessSpec, Effect, Operation, PermissionRule, ScopeRule};
use crate::db::{Db, EntityDef, Project, entity_defs};
use crate::model::{LinkedEntity, project_model};

/// The decision of one (role, entity, operation) cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// A permit matched; no row filter.
    Permit,
    /// A permit matched and the first matching scope rule filters rows.
    PermitScoped,
    /// A permit matched but no scope rule covers the role: the runtime denies.
    PermitNoScope,
    /// A permit matched on the legacy path and its condition filters rows.
    PermitFiltered,
    /// The entity has no permission rules at all.
    PermitUnprotected,
    /// A forbid matched, or no permit did.
    Deny,
}

impl Decision {
    /// The reference's name for the decision.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "PERMIT",
            Decision::PermitScoped => "PERMIT_SCOPED",
            Decision::PermitNoScope => "PERMIT_NO_SCOPE",
            Decision::PermitFiltered => "PERMIT_FILTERED",
            Decision::PermitUnprotected => "PERMIT_UNPROTECTED",
            Decision::Deny => "DENY",
        }
    }

    /// The decision the reference names `name`.
    pub fn from_name(name: &str) -> Option<Decision> {
        [
            Decision::Permit,
            Decision::PermitScoped,
            Decision::PermitNoScope,
            Decision::PermitFiltered,
            Decision::PermitUnprotected,
            Decision::Deny,
        ]
        .into_iter()
        .find(|d| d.as_str() == name)
    }

    /// Whether the role can perform the operation at all (statically).
    pub fn is_granted(self) -> bool {
        self != Decision::Deny
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A warning of matrix generation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatrixWarning {
    /// `unprotected_entity`, `no_scope_rule`, `redundant_forbid`, `unknown_scope_persona`,
    /// `scope_without_permit` or `orphan_role`.
    pub kind: &'static str,
    /// Entity name or `*`.
    pub entity: String,
    /// Role name, binding, `as:` list or `*`.
    pub role: String,
    /// Operation or `*`.
    pub operation: String,
    /// The reference's message.
    pub message: String,
}

/// Who the matrix's columns are and which roles the rules mention.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleContext {
    /// Columns: persona ids in order.
    pub roles: Vec<String>,
    /// Personas named by rules (`personas` lists and `role(x)` in permit/forbid conditions).
    pub referenced: BTreeSet<String>,
}

/// The matrix row block of one entity: decisions role-major, then operation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMatrix {
    /// The entity.
    pub entity: String,
    /// `roles.len() * 5` decisions.
    pub decisions: Vec<Decision>,
    /// The entity's warnings, in the reference's order.
    pub warnings: Vec<MatrixWarning>,
}

impl EntityMatrix {
    /// The decision for `role_index` and `op`.
    pub fn get(&self, role_index: usize, op: Operation) -> Decision {
        let i = role_index * 5 + Operation::ALL.iter().position(|o| *o == op).unwrap_or(0);
        self.decisions.get(i).copied().unwrap_or(Decision::Deny)
    }
}

/// The whole matrix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matrix {
    /// Column names.
    pub roles: Vec<String>,
    /// Row blocks in entity order.
    pub entities: Vec<Arc<EntityMatrix>>,
    /// All warnings in the reference's order.
    pub warnings: Vec<MatrixWarning>,
    /// 0.112 atomic flows; `None` in the 0.125 dialect, whose output has no such key.
    pub atomic_flows: Option<Vec<crate::item_index::AtomicFlow>>,
}

impl Matrix {
    /// The decision of a cell (`Deny` for unknown triples, as the reference's `get`).
    pub fn get(&self, role: &str, entity: &str, op: Operation) -> Decision {
        let Some(r) = self.roles.iter().position(|x| x == role) else {
            return Decision::Deny;
        };
        self.entities.iter().find(|e| e.entity == entity).map_or(Decision::Deny, |e| e.get(r, op))
    }
}

/// Columns and referenced roles; backdates unless personas or role names change.
#[salsa::tracked(returns(ref))]
pub fn role_context(db: &dyn Db, project: Project) -> Arc<RoleContext> {
    let model = project_model(db, project);
    let mut referenced = BTreeSet::new();
    for access in model.entities.iter().filter_map(|e| e.access.as_ref()) {
        let mut roles = Vec::new();
        for rule in &access.permissions {
            referenced.extend(rule.personas.iter().cloned());
            if let Some(c) = &rule.condition {
                c.roles(&mut roles);
            }
        }
        referenced.extend(roles);
    }
    Arc::new(RoleContext { roles: model.personas.clone(), referenced })
}

/// The matrix rows and warnings of one entity.
#[salsa::tracked(returns(ref))]
pub fn entity_matrix<'db>(db: &'db dyn Db, def: EntityDef<'db>) -> Arc<EntityMatrix> {
    let ctx = role_context(db, def.project(db));
    Arc::new(compute_entity(def.linked(db), ctx))
}

/// The project's matrix.
#[salsa::tracked(returns(ref))]
pub fn project_matrix(db: &dyn Db, project: Project) -> Arc<Matrix> {
    let ctx = role_context(db, project);
    let model = project_model(db, project);
    let atomic_flows = (model.dialect == Dialect::V0_112).then(|| model.atomic_flows.clone());
    let mut matrix = Matrix { roles: ctx.roles.clone(), atomic_flows, ..Matrix::default() };
    for &def in entity_defs(db, project) {
        let rows = entity_matrix(db, def).clone();
        matrix.warnings.extend(rows.warnings.iter().cloned());
        matrix.entities.push(rows);
    }
    for orphan in ctx.roles.iter().collect::<BTreeSet<_>>() {
        if !ctx.referenced.contains(orphan) {
            matrix.warnings.push(MatrixWarning {
                kind: "orphan_role",
                entity: "*".to_owned(),
                role: orphan.clone(),
                operation: "*".to_owned(),
                message: format!("Persona '{orphan}' is not referenced in any permission rule"),
            });
        }
    }
    Arc::new(matrix)
}

/// Computes one entity's rows and warnings.
pub fn compute_entity(entity: &LinkedEntity, ctx: &RoleContext) -> EntityMatrix {
    let name = &entity.name;
    let mut rows = EntityMatrix { entity: name.clone(), decisions: Vec::new(), warnings: Vec::new() };
    let access = match &entity.access {
        Some(access) if !access.permissions.is_empty() => access,
        _ => {
            rows.decisions = vec![Decision::PermitUnprotected; ctx.roles.len() * 5];
            rows.warnings.push(MatrixWarning {
                kind: "unprotected_entity",
                entity: name.clone(),
                role: "*".to_owned(),
                operation: "*".to_owned(),
                message: format!(
                    "Entity '{name}' has no permission rules — all operations are PERMIT_UNPROTECTED (backward-compat)"
                ),
            });
            return rows;
        }
    };
    rows.decisions.reserve_exact(ctx.roles.len() * Operation::ALL.len());
    for role in &ctx.roles {
        for op in Operation::ALL {
            let decision = decide(access, role, op);
            rows.decisions.push(decision);
            if decision == Decision::PermitNoScope {
                rows.warnings.push(MatrixWarning {
                    kind: "no_scope_rule",
                    entity: name.clone(),
                    role: role.clone(),
                    operation: op.to_string(),
                    message: no_scope_message(name, role, op),
                });
            }
        }
    }
    redundant_forbids(name, access, &ctx.roles, &mut rows.warnings);
    dead_scopes(name, access, ctx, &rows.decisions, &mut rows.warnings);
    rows
}

/// The decision for `role` and `op` on an entity with permission rules (§1.4).
pub fn decide(access: &AccessSpec, role: &str, op: Operation) -> Decision {
    let mut forbidden = false;
    let mut permit: Option<&PermissionRule> = None;
    for rule in access.permissions.iter().filter(|r| r.operation == op) {
        if !rule_matches(rule, role) {
            continue;
        }
        match rule.effect {
            Effect::Forbid => forbidden = true,
            Effect::Permit => {
                permit.get_or_insert(rule);
            }
        }
    }
    let Some(permit) = permit else {
        return Decision::Deny;
    };
    if forbidden {
        return Decision::Deny;
    }
    if !access.scopes.is_empty() {
        return match find_scope(&access.scopes, op, role) {
            None => Decision::PermitNoScope,
            Some(scope) if scope.condition.is_none() => Decision::Permit,
            Some(_) => Decision::PermitScoped,
        };
    }
    if permit.condition.as_ref().is_some_and(|c| c.has_field_filter()) {
        Decision::PermitFiltered
    } else {
        Decision::Permit
    }
}

/// Whether `rule` applies to `role`: pure role conditions match the roles they name; any
/// other condition (or none) matches everyone; `false` matches no one.
pub fn rule_matches(rule: &PermissionRule, role: &str) -> bool {
    if rule.deny_all {
        return false;
    }
    if rule.personas.is_empty() {
        return rule.condition.as_ref().and_then(|c| c.pure_role_mentions(role)).unwrap_or(true);
    }
    rule.personas.iter().any(|p| p == role) || rule.condition.as_ref().is_some_and(|c| c.mentions_role(role))
}

/// Which rule decides a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decider {
    /// No rule at all (unprotected), or no permit matched.
    Entity,
    /// A permission rule (permit or forbid), by origin.
    Rule(String, usize),
    /// A scope rule, by index.
    Scope(usize),
}

/// The rule that decides (`role`, `op`) on an entity: the forbid that denies it, else the
/// scope rule that filters it, else the permit that grants it.
pub fn decider(access: Option<&AccessSpec>, role: &str, op: Operation) -> Decider {
    let Some(access) = access.filter(|a| !a.permissions.is_empty()) else {
        return Decider::Entity;
    };
    let matching = || access.permissions.iter().filter(move |r| r.operation == op && rule_matches(r, role));
    let origin = |r: &PermissionRule| r.origin.clone().map_or(Decider::Entity, |(b, n)| Decider::Rule(b, n));
    if let Some(forbid) = matching().find(|r| r.effect == Effect::Forbid) {
        return origin(forbid);
    }
    let Some(permit) = matching().find(|r| r.effect == Effect::Permit) else {
        return Decider::Entity;
    };
    if !access.scopes.is_empty()
        && let Some(scope) = find_scope(&access.scopes, op, role)
        && let Some(nth) = scope.origin
    {
        return Decider::Scope(nth);
    }
    origin(permit)
}

/// The row filter of a cell that has one, as written: the condition of the scope rule that
/// decides a `PERMIT_SCOPED` cell, or of the permit that decides a `PERMIT_FILTERED` one.
pub fn row_filter(entity: &LinkedEntity, role: &str, op: Operation, decision: Decision) -> Option<String> {
    let access = entity.access.as_ref()?;
    match decision {
        Decision::PermitScoped => find_scope(&access.scopes, op, role)?.condition.as_ref().map(|c| c.to_string()),
        Decision::PermitFiltered => access
            .permissions
            .iter()
            .find(|r| r.operation == op && r.effect == Effect::Permit && rule_matches(r, role))?
            .condition
            .as_ref()
            .map(|c| c.to_string()),
        _ => None,
    }
}

/// The first scope rule for (`op`, `role`); `read` falls back to `list`.
pub fn find_scope<'a>(scopes: &'a [ScopeRule], op: Operation, role: &str) -> Option<&'a ScopeRule> {
    let matching = |wanted: Operation| {
        scopes.iter().find(|s| s.operation == wanted && s.personas.iter().any(|p| p == "*" || p == role))
    };
    matching(op).or_else(|| if op == Operation::Read { matching(Operation::List) } else { None })
}

fn no_scope_message(entity: &str, role: &str, op: Operation) -> String {
    let common = format!("Role '{role}' passes permit for {entity}.{op} but has no matching scope rule —");
    match op {
        Operation::List | Operation::Read => format!("{common} will see 0 records"),
        Operation::Update | Operation::Delete => format!(
            "{common} the request will 404 at runtime (scope predicate will reject every row for this role; \
             add a `scope: {op}:` rule or `scope: all as: <persona>`)"
        ),
        Operation::Create => format!(
            "{common} the inserted row will 403 at runtime (predicate is evaluated against the payload after \
             framework defaulting; see docs/reference/rbac-scope.md for the v1 supported shapes — ColumnCheck / \
             UserAttrCheck / BoolComposite — and #1124 for the FK-path / EXISTS roadmap)"
        ),
    }
}

/// Roles a rule set covers for the redundant-forbid check: its personas, else every role.
fn covered<'a>(rules: impl Iterator<Item = &'a PermissionRule>, roles: &'a [String]) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    for rule in rules {
        if rule.personas.is_empty() {
            out.extend(roles.iter().map(String::as_str));
        } else {
            out.extend(rule.personas.iter().map(String::as_str));
        }
    }
    out
}

/// `redundant_forbid`: a forbid for an operation no permit covers. The reference iterates a
/// hash set; roles are reported here in column order (then any others by name).
fn redundant_forbids(entity: &str, access: &AccessSpec, roles: &[String], out: &mut Vec<MatrixWarning>) {
    for op in Operation::ALL {
        let of = |effect: Effect| access.permissions.iter().filter(move |r| r.operation == op && r.effect == effect);
        if of(Effect::Forbid).next().is_none() {
            continue;
        }
        let forbid = covered(of(Effect::Forbid), roles);
        let permit = covered(of(Effect::Permit), roles);
        let mut redundant: Vec<&str> = forbid.difference(&permit).copied().collect();
        redundant.sort_by_key(|r| (roles.iter().position(|x| x == r).unwrap_or(usize::MAX), *r));
        for role in redundant {
            out.push(MatrixWarning {
                kind: "redundant_forbid",
                entity: entity.to_owned(),
                role: role.to_owned(),
                operation: op.to_string(),
                message: format!(
                    "FORBID rule for role '{role}' on {entity}.{op} is redundant — no PERMIT exists for this role"
                ),
            });
        }
    }
}

/// `unknown_scope_persona` and `scope_without_permit`, per scope rule in source order;
/// `decisions` are the entity's cells, role by role (a role outside the columns is decided
/// afresh).
fn dead_scopes(
    entity: &str,
    access: &AccessSpec,
    ctx: &RoleContext,
    decisions: &[Decision],
    out: &mut Vec<MatrixWarning>,
) {
    let known = |b: &str| ctx.roles.iter().any(|r| r == b) || ctx.referenced.contains(b);
    let decision = |role: &str, op: Operation| match ctx.roles.iter().position(|r| r == role) {
        Some(column) => decisions[column * Operation::ALL.len() + op as usize],
        None => decide(access, role, op),
    };
    for scope in &access.scopes {
        let op = scope.operation;
        let unknown: Vec<&String> = scope.personas.iter().filter(|b| *b != "*" && !known(b)).collect();
        for binding in &unknown {
            out.push(MatrixWarning {
                kind: "unknown_scope_persona",
                entity: entity.to_owned(),
                role: (*binding).clone(),
                operation: op.to_string(),
                message: format!(
                    "scope rule for {entity}.{op} binds 'as: {binding}' but no such persona or role is declared — \
                     the rule can never match (likely a typo)"
                ),
            });
        }
        let bound: Vec<&str> = if scope.personas.iter().any(|p| p == "*") {
            ctx.roles.iter().map(String::as_str).collect()
        } else {
            scope.personas.iter().filter(|b| !unknown.contains(b)).map(String::as_str).collect()
        };
        if bound.is_empty() {
            continue;
        }
        let mut served = vec![op];
        if op == Operation::List {
            served.push(Operation::Read);
        }
        let reachable = bound.iter().any(|r| served.iter().any(|o| decision(r, *o) != Decision::Deny));
        if !reachable {
            let list = scope.personas.join(", ");
            out.push(MatrixWarning {
                kind: "scope_without_permit",
                entity: entity.to_owned(),
                role: list.clone(),
                operation: op.to_string(),
                message: format!(
                    "scope rule for {entity}.{op} (as: {list}) has no matching permit — default-deny makes the rule \
                     unreachable (add `permit: {op}:` for these roles or remove the scope rule)"
                ),
            });
        }
    }
}
