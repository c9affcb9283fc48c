//! Whether an entity must be audited, and whether it is: the decision table of
//! docs/rules/missing-audit.md, in one place for the rule, the hover and the report.
//!
//! Requires audit: a `pii` / `pii(…)` or `sensitive` field, a `classify` line with a personal or
//! financial class, or `signable: true`. Audited: the last `audit:` line of the entity decides
//! (as the reference's parser and linker do); without one, a signable entity gets `audit: all`
//! from the linker, and otherwise the app's `audit_trail: true` audits it at runtime. An
//! explicit `audit: false` always wins — over the signable default and over the app's trail.

use crate::item_index::{Audit, Classification};
use crate::model::LinkedEntity;

/// The `classify` classes the reference's DI-07 check treats as personal or financial data.
pub const SENSITIVE_CLASSES: [&str; 5] =
    ["pii_direct", "pii_indirect", "pii_sensitive", "financial_txn", "financial_account"];

/// Why an entity requires audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditReason {
    /// A field marked `pii` or `pii(…)`.
    Pii(String),
    /// A field marked `sensitive`.
    Sensitive(String),
    /// `classify Entity.field as CLASS` with a personal or financial class.
    Classified {
        /// The field.
        field: String,
        /// The class, lower-cased.
        class: String,
    },
    /// `signable: true`.
    Signable,
}

impl std::fmt::Display for AuditReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditReason::Pii(field) => write!(f, "{field}: pii"),
            AuditReason::Sensitive(field) => write!(f, "{field}: sensitive"),
            AuditReason::Classified { field, class } => write!(f, "{field} classified {class}"),
            AuditReason::Signable => f.write_str("signable"),
        }
    }
}

/// What decides an entity's audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSource {
    /// The entity's `audit:` line with this index (the last one; earlier ones are overridden).
    Directive(usize),
    /// No `audit:` line; `signable: true` makes the linker audit every operation.
    SignableDefault,
    /// No `audit:` line; the app's `audit_trail: true` audits it at runtime.
    AppAuditTrail,
    /// Nothing audits it.
    Nothing,
}

/// An entity's audit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCoverage {
    /// Why it requires audit (empty: it does not).
    pub reasons: Vec<AuditReason>,
    /// The operations audited: `None` when not audited, `Some([])` for every operation.
    pub operations: Option<Vec<String>>,
    /// What decided that.
    pub source: AuditSource,
}

impl AuditCoverage {
    /// Whether the entity requires audit.
    pub fn required(&self) -> bool {
        !self.reasons.is_empty()
    }

    /// Whether some operation is audited.
    pub fn covered(&self) -> bool {
        self.operations.is_some()
    }

    /// Whether reads are audited.
    pub fn covers_read(&self) -> bool {
        self.operations.as_ref().is_some_and(|ops| ops.is_empty() || ops.iter().any(|o| o == "read"))
    }
}

/// The audit status of `entity` in an app whose `audit_trail` is `audit_trail`, given the
/// project's `classify` lines for it.
pub fn audit_coverage(entity: &LinkedEntity, classified: &[Classification], audit_trail: bool) -> AuditCoverage {
    let mut reasons = Vec::new();
    for field in entity.fields.iter() {
        if field.modifiers.iter().any(|m| m == "pii") {
            reasons.push(AuditReason::Pii(field.name.clone()));
        } else if field.modifiers.iter().any(|m| m == "sensitive") {
            reasons.push(AuditReason::Sensitive(field.name.clone()));
        }
    }
    for c in classified.iter().filter(|c| c.entity == entity.name) {
        let class = c.class.to_lowercase();
        if SENSITIVE_CLASSES.contains(&class.as_str()) {
            reasons.push(AuditReason::Classified { field: c.field.clone(), class });
        }
    }
    if entity.signable {
        reasons.push(AuditReason::Signable);
    }
    let (operations, source) = match entity.audit_lines.last() {
        Some(Audit::Off) => (None, AuditSource::Directive(entity.audit_lines.len() - 1)),
        Some(Audit::All) => (Some(Vec::new()), AuditSource::Directive(entity.audit_lines.len() - 1)),
        Some(Audit::Operations(ops)) => (Some(ops.clone()), AuditSource::Directive(entity.audit_lines.len() - 1)),
        None if entity.signable => (Some(Vec::new()), AuditSource::SignableDefault),
        None if audit_trail => (Some(Vec::new()), AuditSource::AppAuditTrail),
        None => (None, AuditSource::Nothing),
    };
    AuditCoverage { reasons, operations, source }
}

/// `audit: …` as written for an audit value.
pub fn audit_text(audit: &Audit) -> String {
    match audit {
        Audit::All => "audit: all".to_owned(),
        Audit::Off => "audit: false".to_owned(),
        Audit::Operations(ops) => format!("audit: [{}]", ops.join(", ")),
    }
}
