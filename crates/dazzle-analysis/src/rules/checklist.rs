//! Checks from the Dazzle security guide's deployment checklist that concern one entity:
//! tenant isolation of scope rules, and personal-data fields without `pii`.

use super::RuleContext;
use crate::access::Operation;
use crate::diagnostics::{Finding, Locator, Severity};
use crate::framework::ADMIN_PERSONAS;
use crate::model::LinkedEntity;

/// `tenant-unscoped-rule`: in a multi-tenant app whose runtime does not fence tenants itself,
/// a scope rule for a non-admin persona that does not tie rows to the user's tenant.
pub(super) fn tenant_scopes(entity: &LinkedEntity, ctx: &RuleContext, out: &mut Vec<Finding>) {
    if !ctx.multi_tenant || ctx.tenant_fenced || ctx.tenant_root.as_deref() == Some(entity.name.as_str()) {
        return;
    }
    let Some(access) = &entity.access else { return };
    let tenant_field = entity.fields.iter().find(|f| {
        (f.target.is_some() && f.target == ctx.tenant_root) || ctx.effective_partition_key() == Some(f.name.as_str())
    });
    let Some(tenant_field) = tenant_field else {
        return;
    };
    for scope in &access.scopes {
        let Some(nth) = scope.origin else { continue };
        let tenants: Vec<&str> = scope
            .personas
            .iter()
            .map(String::as_str)
            .filter(|p| !ADMIN_PERSONAS.contains(p) && !ctx.tenant_admins.iter().any(|a| a == p))
            .collect();
        if tenants.is_empty() {
            continue;
        }
        let constrained = scope.condition.as_ref().is_some_and(|c| c.restricts_field(&tenant_field.name));
        if !constrained {
            let harm = match scope.operation {
                Operation::List | Operation::Read => "they see rows of every tenant",
                Operation::Create => "they create rows in any tenant",
                Operation::Update | Operation::Delete => "they change rows of every tenant",
            };
            out.push(Finding {
                code: "tenant-unscoped-rule",
                severity: Severity::Warning,
                message: format!(
                    "Multi-tenant app: `scope: {}` for {} on '{}' does not constrain rows to the user's tenant, so \
                     {harm}. Add a condition on `{}`, e.g. `{} = current_user.{}`",
                    scope.operation,
                    tenants.join(", "),
                    entity.name,
                    tenant_field.name,
                    tenant_field.name,
                    tenant_field.name
                ),
                file: entity.file,
                locator: Locator::ScopeRule { entity: entity.name.clone(), nth },
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
}

/// Words that make a field name personal data.
const PERSONAL_WORDS: &[&str] = &[
    "email",
    "phone",
    "mobile",
    "telephone",
    "address",
    "street",
    "postcode",
    "zip",
    "dob",
    "birthday",
    "ssn",
    "passport",
    "iban",
    "surname",
    "nino",
];

/// Word pairs that do.
const PERSONAL_PAIRS: &[&str] = &[
    "date_of",
    "of_birth",
    "birth_date",
    "national_id",
    "tax_id",
    "first_name",
    "last_name",
    "full_name",
    "postal_code",
    "social_security",
    "given_name",
    "family_name",
];

/// Types that cannot hold personal data themselves.
const NON_DATA_TYPES: &[&str] = &[
    "bool",
    "ref",
    "has_many",
    "has_one",
    "embeds",
    "belongs_to",
    "latest_one",
    "descendants_of",
    "ancestors_of",
    "poly_ref",
    "computed",
    "enum",
];

/// `pii-field-unmarked`: a field whose name says personal data but that carries no `pii`.
pub(super) fn unmarked_pii(entity: &LinkedEntity, ctx: &RuleContext, out: &mut Vec<Finding>) {
    let classified = ctx.classified.get(&entity.name);
    for field in entity.fields.iter() {
        if field.modifiers.iter().any(|m| m == "pii") || NON_DATA_TYPES.contains(&field.ty.as_str()) {
            continue;
        }
        if classified.is_some_and(|c| c.iter().any(|c| c.field == field.name)) {
            continue;
        }
        let lower = field.name.to_lowercase();
        let words: Vec<&str> = lower.split('_').collect();
        let personal = field.ty == "email"
            || words.iter().any(|w| PERSONAL_WORDS.contains(w))
            || words.windows(2).any(|pair| PERSONAL_PAIRS.contains(&pair.join("_").as_str()));
        if personal {
            out.push(Finding {
                code: "pii-field-unmarked",
                severity: Severity::Hint,
                message: format!(
                    "Field '{}.{}' looks like personal data but has no `pii` marker: add `pii(category=…)` so privacy \
                     pages, erasure and audit rules know about it",
                    entity.name, field.name
                ),
                file: entity.file,
                locator: Locator::Field { entity: entity.name.clone(), field: field.name.clone() },
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
}
