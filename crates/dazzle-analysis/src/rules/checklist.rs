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

/// Whether a field name, lowercased and split at `_`, holds a personal word or two
/// consecutive words that make a personal pair. A name already in lower-case ASCII (most
/// are) is read in place.
fn names_personal_data(name: &str) -> bool {
    let lower: std::borrow::Cow<'_, str> = if name.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        name.into()
    } else {
        name.to_lowercase().into()
    };
    let mut previous: Option<&str> = None;
    for word in lower.split('_') {
        if PERSONAL_WORDS.contains(&word) {
            return true;
        }
        if let Some(previous) = previous {
            let is_pair = |pair: &&str| {
                pair.len() == previous.len() + 1 + word.len()
                    && pair.starts_with(previous)
                    && pair.ends_with(word)
                    && pair.as_bytes()[previous.len()] == b'_'
            };
            if PERSONAL_PAIRS.iter().any(is_pair) {
                return true;
            }
        }
        previous = Some(word);
    }
    false
}

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
        if field.ty == "email" || names_personal_data(&field.name) {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{PERSONAL_PAIRS, PERSONAL_WORDS, names_personal_data};

    /// The rule as the specification words it: lowercase the name, split it at `_`, and look
    /// for a personal word or a personal pair of consecutive words.
    fn by_the_words(name: &str) -> bool {
        let lower = name.to_lowercase();
        let words: Vec<&str> = lower.split('_').collect();
        words.iter().any(|w| PERSONAL_WORDS.contains(w))
            || words.windows(2).any(|pair| PERSONAL_PAIRS.contains(&pair.join("_").as_str()))
    }

    /// Names made of personal words, halves of personal pairs and other words, in any case.
    fn name() -> impl Strategy<Value = String> {
        let mut pieces: Vec<String> = PERSONAL_WORDS.iter().map(|w| w.to_string()).collect();
        pieces.extend(PERSONAL_PAIRS.iter().flat_map(|p| p.split('_')).map(str::to_owned));
        pieces.extend(["name", "of", "id", "x", "", "Ünïcode", "ǅ"].map(str::to_owned));
        (prop::collection::vec((prop::sample::select(pieces), any::<bool>()), 1..5)).prop_map(|words| {
            let words: Vec<String> =
                words.into_iter().map(|(w, upper)| if upper { w.to_uppercase() } else { w }).collect();
            words.join("_")
        })
    }

    proptest! {
        #[test]
        fn names_personal_data_as_the_words_say(name in name()) {
            prop_assert_eq!(names_personal_data(&name), by_the_words(&name), "{}", name);
        }
    }
}
