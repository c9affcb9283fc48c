//! Project-wide rules: link problems, the app's security settings and the reference's silent
//! fallbacks, persona `role:` lines, classification values, unresolved references, and
//! `rate_limit:` declarations.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use dazzle_syntax::SyntaxKind;

use super::and_list;
use crate::audit::SENSITIVE_CLASSES;
use crate::db::{Db, Project, item_index};
use crate::diagnostics::{Finding, FixSpec, Locator, Severity};
use crate::model::{SecurityProfile, project_model};

/// The closest of `candidates` to `word` when it is a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= 2 && *d < c.len().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

const CLASSES: &[&str] = &[
    "pii_direct",
    "pii_indirect",
    "pii_sensitive",
    "financial_txn",
    "financial_account",
    "business_confidential",
    "business_internal",
    "public",
    "unclassified",
];
const RETENTIONS: &[&str] = &["ephemeral", "session", "short", "medium", "long", "permanent", "legal_hold"];
const ERASURES: &[&str] = &["delete", "anonymize", "pseudonymize", "redact"];

/// The findings that concern the project as a whole.
#[salsa::tracked(returns(ref))]
pub fn project_findings(db: &dyn Db, project: Project) -> Arc<Vec<Finding>> {
    let model = project_model(db, project);
    let mut out = Vec::new();
    for d in &model.diagnostics {
        let locator = match &d.subject {
            Some((SyntaxKind::MODULE_DECL, _)) => Locator::Module,
            Some((SyntaxKind::USE_DECL, name)) => Locator::Use(name.clone()),
            Some((_, name)) => Locator::Definition(name.clone()),
            None => Locator::File,
        };
        out.push(Finding {
            code: d.code,
            severity: Severity::Error,
            message: d.message.clone(),
            file: d.file,
            locator,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }

    let root = model.modules.iter().find(|m| Some(&m.name) == model.root.as_ref());
    if let Some(root) = root {
        let app = item_index(db, root.file).app.clone();
        let file = Some(root.file);
        let profile = app.as_ref().and_then(|a| a.property("security_profile").map(str::to_owned));
        match &profile {
            Some(value) if SecurityProfile::from_value(value).is_none() => {
                let suggestion = closest(&value.to_lowercase(), ["basic", "standard", "strict"]);
                out.push(Finding {
                    code: "unknown-security-profile",
                    severity: Severity::Warning,
                    message: format!(
                        "Unknown security_profile '{value}': Dazzle silently falls back to `basic` (CORS wide open, no \
                         HSTS). Use basic, standard or strict{}",
                        suggestion.map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default()
                    ),
                    file,
                    locator: Locator::AppKey("security_profile".to_owned()),
                    related: Vec::new(),
                    fixes: suggestion
                        .map(|s| FixSpec::Replace { label: format!("Use `{s}`"), text: s.to_owned() })
                        .into_iter()
                        .collect(),
                });
            }
            _ if model.security_profile == SecurityProfile::Basic => {
                out.push(Finding {
                    code: "basic-security-profile",
                    severity: Severity::Warning,
                    message: if profile.is_some() {
                        "security_profile: basic must not ship: CORS is wide open and HSTS is off. Use standard or \
                         strict for anything deployed"
                            .to_owned()
                    } else {
                        "The app sets no security_profile, so Dazzle uses `basic`: CORS wide open, HSTS off. Set \
                         `security_profile: standard` (or strict) before deploying"
                            .to_owned()
                    },
                    file,
                    locator: Locator::AppKey("security_profile".to_owned()),
                    related: Vec::new(),
                    fixes: if profile.is_some() {
                        vec![FixSpec::Replace { label: "Use `standard`".to_owned(), text: "standard".to_owned() }]
                    } else {
                        Vec::new()
                    },
                });
            }
            _ => {}
        }
        if let Some(value) = app.as_ref().and_then(|a| a.property("multi_tenant"))
            && value != "true"
            && value != "false"
        {
            out.push(Finding {
                code: "invalid-multi-tenant",
                severity: Severity::Warning,
                message: format!(
                    "multi_tenant: '{value}' is not a boolean: Dazzle reads anything but `true` as false, so the app is \
                     NOT multi-tenant"
                ),
                file,
                locator: Locator::AppKey("multi_tenant".to_owned()),
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }

    let entities: BTreeSet<&str> = model.entities.iter().map(|e| e.name.as_str()).collect();
    let policies = super::policies_file(db, model);
    for module in &model.modules {
        let index = item_index(db, module.file);
        let file = Some(module.file);
        for persona in &index.personas {
            if let Some(role) = &persona.role_line {
                out.push(Finding {
                    code: "ignored-persona-role",
                    severity: Severity::Warning,
                    message: format!(
                        "Dazzle ignores a persona's `role:` line: the matrix column and every role() check use the \
                         persona id '{}', not '{role}'",
                        persona.id
                    ),
                    file,
                    locator: Locator::DefinitionKey { name: persona.id.clone(), key: "role".to_owned(), nth: 0 },
                    related: Vec::new(),
                    fixes: Vec::new(),
                });
            }
        }
        let used_policies = policies == Some(module.file);
        for (nth, c) in index.classify.iter().enumerate() {
            let locator = Locator::NthLine { word: "classify".to_owned(), nth };
            if let Some(missing) = super::missing_classify_target(model, c).filter(|_| used_policies) {
                out.push(Finding {
                    code: "unresolved-reference",
                    severity: Severity::Error,
                    message: format!(
                        "`classify {}.{}` names {missing}: Dazzle's validator refuses the project, and the \
                         classification protects nothing",
                        c.entity, c.field
                    ),
                    file,
                    locator: locator.clone(),
                    related: Vec::new(),
                    fixes: Vec::new(),
                });
            }
            if !CLASSES.contains(&c.class.to_lowercase().as_str()) {
                out.push(fallback("classification", &c.class, "unclassified", CLASSES, file, locator.clone()));
            }
            if let Some(r) = &c.retention
                && !RETENTIONS.contains(&r.as_str())
            {
                out.push(fallback("retention", r, "medium", RETENTIONS, file, locator));
            }
        }
        if let Some(value) = index.audit_access.last().filter(|_| used_policies)
            && !matches!(value.to_lowercase().as_str(), "true" | "yes" | "on")
        {
            let ctx = super::rule_context(db, project);
            let classified: BTreeSet<&str> = ctx
                .classified
                .values()
                .flatten()
                .filter(|c| SENSITIVE_CLASSES.contains(&c.class.to_lowercase().as_str()))
                .map(|c| c.entity.as_str())
                .collect();
            if !classified.is_empty() {
                let names: Vec<String> = classified.iter().map(|e| (*e).to_owned()).collect();
                out.push(Finding {
                    code: "missing-audit",
                    severity: if model.security_profile == SecurityProfile::Strict {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    message: format!(
                        "`audit_access: {value}` in policies: turns off the audit of access to classified data, but \
                         {} {} personal or financial data: reads of it leave no trail for a breach investigation or \
                         a data-subject request. Set `audit_access: true`",
                        and_list(&names),
                        if names.len() == 1 { "holds" } else { "hold" }
                    ),
                    file,
                    locator: Locator::BlockKey { block: "policies".to_owned(), key: "audit_access".to_owned() },
                    related: Vec::new(),
                    fixes: vec![FixSpec::Replace {
                        label: "Set `audit_access: true`".to_owned(),
                        text: "audit_access: true".to_owned(),
                    }],
                });
            }
        }
        for (nth, (_, policy)) in index.erasure.iter().enumerate() {
            if !ERASURES.contains(&policy.as_str()) {
                let locator = Locator::NthLine { word: "erasure".to_owned(), nth };
                out.push(fallback("erasure policy", policy, "anonymize", ERASURES, file, locator));
            }
        }
        for nth in 0..index.rate_limits {
            out.push(Finding {
                code: "rate-limit-not-enforced",
                severity: Severity::Warning,
                message: "`rate_limit:` is parsed but Dazzle does not enforce it on generated routes: rate-limit at \
                          the gateway or reverse proxy instead"
                    .to_owned(),
                file,
                locator: Locator::NthLine { word: "rate_limit".to_owned(), nth },
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
        // `how` is formatted only for a reference that does not resolve.
        let unresolved = |definition: &str, target: &str, how: fmt::Arguments<'_>, out: &mut Vec<Finding>| {
            if entities.contains(target) || target.is_empty() {
                return;
            }
            let hint =
                closest(target, entities.iter().copied()).map(|c| format!(" Did you mean '{c}'?")).unwrap_or_default();
            out.push(Finding {
                code: "unresolved-reference",
                severity: Severity::Error,
                message: format!("{how} '{target}', but no entity '{target}' is declared.{hint}"),
                file,
                locator: Locator::Reference { definition: definition.to_owned(), target: target.to_owned() },
                related: Vec::new(),
                fixes: Vec::new(),
            });
        };
        for entity in &index.entities {
            for field in entity.fields.iter() {
                if let Some(target) = &field.target {
                    let how = format_args!("Field '{}.{}' references entity", entity.name, field.name);
                    unresolved(&entity.name, target, how, &mut out);
                }
            }
        }
        for ui in index.surfaces.iter().chain(&index.workspaces) {
            for target in &ui.entities {
                unresolved(&ui.name, target, format_args!("'{}' uses entity", ui.name), &mut out);
            }
        }
    }
    super::tenancy::check(db, model, super::rule_context(db, project), &mut out);
    super::settled(out)
}

fn fallback(
    what: &str,
    value: &str,
    default: &str,
    valid: &[&str],
    file: Option<crate::db::SourceFile>,
    locator: Locator,
) -> Finding {
    let hint = closest(&value.to_lowercase(), valid.iter().copied())
        .map(|c| format!(" Did you mean '{c}'?"))
        .unwrap_or_default();
    Finding {
        code: "unknown-policy-value",
        severity: Severity::Warning,
        message: format!(
            "Unknown {what} '{value}': Dazzle silently uses '{default}' instead. Valid: {}.{hint}",
            valid.join(", ")
        ),
        file,
        locator,
        related: Vec::new(),
        fixes: Vec::new(),
    }
}
