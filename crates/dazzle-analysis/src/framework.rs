//! Entities the framework adds to every app (or to apps using a feature), with the access
//! rules the reference gives them (security-semantics §1.1).

use std::sync::Arc;

use crate::access::{AccessSpec, Cond, Effect, Operation, PermissionRule, ScopeRule};
use crate::model::{LinkedEntity, SecurityProfile};

/// The personas that the admin entities name.
pub const ADMIN_PERSONAS: [&str; 2] = ["admin", "super_admin"];

/// Order of the reference's `PermissionKind` enum.
const KIND_ORDER: [Operation; 5] =
    [Operation::Create, Operation::Read, Operation::Update, Operation::Delete, Operation::List];

/// The operations owner-scoped framework entities grant, in the reference's order.
const OWNER_OPS: [Operation; 5] =
    [Operation::Create, Operation::Read, Operation::List, Operation::Update, Operation::Delete];

fn platform(name: &str, patterns: &[&str], access: AccessSpec) -> LinkedEntity {
    LinkedEntity {
        name: name.to_owned(),
        domain: Some("platform".to_owned()),
        patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
        access: Some(Arc::new(access)),
        injected: true,
        ..LinkedEntity::default()
    }
}

fn open_permits(ops: &[Operation]) -> Vec<PermissionRule> {
    ops.iter().map(|&op| PermissionRule::new(op, Effect::Permit, None)).collect()
}

/// `AIJob`, added when an `llm_config` exists: every operation open.
pub fn ai_job() -> LinkedEntity {
    platform(
        "AIJob",
        &["system", "audit"],
        AccessSpec { permissions: open_permits(&KIND_ORDER), ..AccessSpec::default() },
    )
}

/// `ProcessRun`, added when a process step runs an `llm_intent`: every operation open.
pub fn llm_process_run() -> LinkedEntity {
    platform(
        "ProcessRun",
        &["system", "audit"],
        AccessSpec { permissions: open_permits(&KIND_ORDER), ..AccessSpec::default() },
    )
}

/// `AuditEntry`, added by any `audit on X:` block: create, read and list open.
pub fn audit_entry() -> LinkedEntity {
    let ops = [Operation::Create, Operation::Read, Operation::List];
    platform(
        "AuditEntry",
        &["system", "audit"],
        AccessSpec { permissions: open_permits(&ops), ..AccessSpec::default() },
    )
}

/// `JobRun` (0.112), added by any `job` block: create, read, list and update open.
pub fn job_run() -> LinkedEntity {
    let ops = [Operation::Create, Operation::Read, Operation::List, Operation::Update];
    platform("JobRun", &["system", "audit"], AccessSpec { permissions: open_permits(&ops), ..AccessSpec::default() })
}

/// An entity whose rows belong to the user named by `owner_field`; admins see all.
fn owner_scoped(name: &str, patterns: &[&str], owner_field: &str, user_attr: &str) -> LinkedEntity {
    let own = Cond::Comparison(format!("{owner_field} = {user_attr}"));
    let mut scopes: Vec<ScopeRule> = OWNER_OPS
        .iter()
        .map(|&operation| ScopeRule {
            operation,
            condition: Some(own.clone()),
            personas: vec!["*".to_owned()],
            origin: None,
        })
        .collect();
    scopes.extend(OWNER_OPS.iter().map(|&operation| ScopeRule {
        operation,
        condition: None,
        personas: ADMIN_PERSONAS.iter().map(|p| (*p).to_owned()).collect(),
        origin: None,
    }));
    platform(name, patterns, AccessSpec { visibility: 0, permissions: open_permits(&OWNER_OPS), scopes })
}

/// `FeedbackReport`, added when `feedback_widget: enabled`.
pub fn feedback_report() -> LinkedEntity {
    owner_scoped("FeedbackReport", &["system"], "reported_by", "current_user.email")
}

/// `OnboardingState`, added when the project has a `guide`.
pub fn onboarding_state() -> LinkedEntity {
    owner_scoped("OnboardingState", &["lifecycle", "audit"], "user_id", "current_user.id")
}

/// The admin entities for `profile`, in the reference's order: read and list for the admin
/// personas only.
pub fn admin_entities(profile: SecurityProfile) -> Vec<LinkedEntity> {
    let always: [(&str, &[&str]); 3] = [
        ("SystemHealth", &["system", "monitoring"]),
        ("SystemMetric", &["system", "monitoring"]),
        ("DeployHistory", &["system", "audit"]),
    ];
    let standard: [(&str, &[&str]); 4] = [
        ("ProcessRun", &["system", "audit"]),
        ("SessionInfo", &["system", "audit"]),
        ("LogEntry", &["system", "monitoring"]),
        ("EventTrace", &["system", "monitoring"]),
    ];
    let gated = if profile == SecurityProfile::Basic { &standard[..0] } else { &standard[..] };
    always
        .iter()
        .chain(gated)
        .map(|(name, patterns)| {
            let permissions = [Operation::Read, Operation::List]
                .into_iter()
                .map(|op| PermissionRule {
                    personas: ADMIN_PERSONAS.iter().map(|p| (*p).to_owned()).collect(),
                    ..PermissionRule::new(op, Effect::Permit, None)
                })
                .collect();
            platform(name, patterns, AccessSpec { permissions, ..AccessSpec::default() })
        })
        .collect()
}

/// The access an archetype `settings` / `tenant_settings` / `user` entity gets when it
/// declares none: a visibility rule and create/update/delete for `role(admin)`.
pub fn admin_only_access() -> AccessSpec {
    let admin = || Some(Cond::Role("admin".to_owned()));
    AccessSpec {
        visibility: 1,
        permissions: [Operation::Create, Operation::Update, Operation::Delete]
            .into_iter()
            .map(|op| PermissionRule::new(op, Effect::Permit, admin()))
            .collect(),
        scopes: Vec::new(),
    }
}
