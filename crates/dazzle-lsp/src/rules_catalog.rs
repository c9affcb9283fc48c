//! Every diagnostic code with its title, the OWASP Top 10 item and CWE it guards, and its
//! documentation page (compiled in from docs/rules, the single source of the help text).

use serde_json::{Value, json};

/// One code of the catalog.
struct Rule {
    code: &'static str,
    title: &'static str,
    doc: &'static str,
}

macro_rules! catalog {
    ($($code:literal, $title:literal;)*) => {
        const RULES: &[Rule] = &[$(Rule {
            code: $code,
            title: $title,
            doc: include_str!(concat!("../../../docs/rules/", $code, ".md")),
        }),*];
    };
}

/// What a code guards, as its page's `**Guards:**` line says.
pub(crate) struct Guards {
    /// `A01:2021`
    pub owasp: String,
    /// `Broken Access Control`
    pub owasp_name: String,
    /// `CWE-285`
    pub cwe: String,
    /// `Improper Authorization`
    pub cwe_name: String,
    /// ASVS 4.0.3 requirements, e.g. `["V4.1.3", "V4.2.1"]`.
    pub asvs: Vec<String>,
}

/// The OWASP Top 10 (2021) categories, in order.
pub(crate) const OWASP_TOP_10: [(&str, &str); 10] = [
    ("A01:2021", "Broken Access Control"),
    ("A02:2021", "Cryptographic Failures"),
    ("A03:2021", "Injection"),
    ("A04:2021", "Insecure Design"),
    ("A05:2021", "Security Misconfiguration"),
    ("A06:2021", "Vulnerable and Outdated Components"),
    ("A07:2021", "Identification and Authentication Failures"),
    ("A08:2021", "Software and Data Integrity Failures"),
    ("A09:2021", "Security Logging and Monitoring Failures"),
    ("A10:2021", "Server-Side Request Forgery"),
];

/// What `code` guards (empty for an unknown code).
pub(crate) fn guards(code: &str) -> Guards {
    let line = rule(code).and_then(|r| r.doc.lines().find_map(|l| l.strip_prefix("**Guards:**"))).unwrap_or_default();
    let parts: Vec<&str> = line.split('·').map(str::trim).collect();
    let split = |prefix: &str| -> (String, String) {
        parts
            .iter()
            .find(|p| p.starts_with(prefix))
            .and_then(|p| p.split_once(' '))
            .map(|(id, name)| (id.to_owned(), name.to_owned()))
            .unwrap_or_default()
    };
    let (owasp, owasp_name) = split("A");
    let (cwe, cwe_name) = split("CWE-");
    let asvs = parts
        .iter()
        .find_map(|p| p.strip_prefix("ASVS 4.0.3 "))
        .map(|ids| ids.split(',').map(|i| i.trim().to_owned()).collect())
        .unwrap_or_default();
    Guards { owasp, owasp_name, cwe, cwe_name, asvs }
}

/// Every code with its title, in catalog order.
pub(crate) fn codes() -> impl Iterator<Item = (&'static str, &'static str)> {
    RULES.iter().map(|r| (r.code, r.title))
}

/// A code's title.
pub(crate) fn title(code: &str) -> &'static str {
    rule(code).map_or("", |r| r.title)
}

impl Rule {
    /// `(OWASP id, CWE id)` from the page's `**Guards:**` line, e.g. `("A01:2021", "CWE-285")`.
    fn guards(&self) -> (String, String) {
        let line = self.doc.lines().find(|l| l.starts_with("**Guards:**")).unwrap_or_default();
        let word = |prefix: &str| {
            line.split(|c: char| c.is_whitespace() || c == '·')
                .find(|w| w.starts_with(prefix))
                .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()).to_owned())
                .unwrap_or_default()
        };
        (word("A"), word("CWE-"))
    }
}

catalog! {
    "syntax-error", "Syntax error";
    "removed-construct", "Construct removed in Dazzle 0.125";
    "removed-syntax", "Syntax that Dazzle 0.125 rejects";
    "unknown-construct", "Unknown top-level construct";
    "misplaced-header", "Ignored module header line";
    "invalid-manifest", "Invalid dazzle.toml";
    "secret-in-manifest", "Literal credential in dazzle.toml";
    "duplicate-module", "Duplicate module name";
    "unknown-module", "Use of an undefined module";
    "module-cycle", "Circular module dependency";
    "missing-root-module", "Root module not found";
    "duplicate-definition", "Duplicate definition";
    "unresolved-reference", "Reference to an undeclared entity";
    "unscoped-entity", "Entity rows are not filtered";
    "missing-audit", "Sensitive data without audit";
    "anti-turing", "Procedural construct in a declarative DSL";
    "unknown-persona", "Undeclared persona in an access rule";
    "list-without-read-scope", "List scope without read scope";
    "visibility-field-unscoped", "Visibility field no scope reads";
    "permit-false-not-enforced", "`permit: op: false` not enforced at runtime";
    "role-conjunction", "`role(a) and role(b)` differs at runtime";
    "forbid-field-condition", "Field condition in forbid differs at runtime";
    "negated-access-rule", "`not (…)` in an access rule";
    "has-grant-not-enforced", "`has_grant` not enforced at runtime";
    "access-keyword-as-field", "`authenticated` read as a field in `access:`";
    "role-check-in-scope", "Role or grant check in a scope rule";
    "tenant-unscoped-rule", "Scope rule not tied to the user's tenant";
    "tenant-admin-in-scope", "Tenant admin persona bound by a scope rule";
    "tenant-partition-key-missing", "Tenancy partition key on no entity";
    "tenancy-mode-unimplemented", "Tenancy mode the runtime does not implement";
    "pii-field-unmarked", "Personal data without `pii`";
    "unknown-security-profile", "Unknown security_profile";
    "basic-security-profile", "Basic security profile";
    "invalid-multi-tenant", "multi_tenant is not a boolean";
    "ignored-persona-role", "Ignored persona role";
    "unknown-policy-value", "Unknown classification, retention or erasure value";
    "rate-limit-not-enforced", "rate_limit not enforced";
    "unused-suppression", "Unused suppression";
    "matrix-drift", "RBAC matrix drifted from the signed-off one";
    "access-widened", "A persona gained access in this change";
    "access-narrowed", "A persona lost access in this change";
    "access-changed", "A cell's access is decided another way";
}

fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The code's documentation page on the web.
pub(crate) fn docs_url(code: &str) -> String {
    format!("{}/blob/main/docs/rules/{code}.md", env!("CARGO_PKG_REPOSITORY"))
}

/// Where the code's documentation lives.
pub(crate) fn help_url(code: &str) -> String {
    format!("docs/rules/{code}.md")
}

/// The SARIF `reportingDescriptor` of a code.
pub(crate) fn sarif_rule(code: &str) -> Value {
    let Some(rule) = rule(code) else {
        return json!({"id": code, "shortDescription": {"text": code}});
    };
    let (owasp, cwe) = rule.guards();
    json!({
        "id": rule.code,
        "name": rule.code,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": what_section(rule.doc)},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "properties": {
            "tags": ["security", cwe, format!("OWASP-{owasp}"), format!("external/cwe/{}", cwe.to_lowercase())],
        },
    })
}

/// Markdown explaining a code for a hover: its title, what it reports and what it guards.
pub(crate) fn explanation(code: &str) -> Option<String> {
    let rule = rule(code)?;
    let guards = rule.doc.lines().find_map(|l| l.strip_prefix("**Guards:**")).unwrap_or_default().trim();
    let mut text = format!("**`{}`** — {}\n\n{}", rule.code, rule.title, what_section(rule.doc));
    if !guards.is_empty() {
        text.push_str(&format!("\n\n*Guards:* {guards}"));
    }
    Some(text)
}

/// The first paragraph of a page's `## What` section.
fn what_section(doc: &str) -> String {
    let after = doc.split("## What").nth(1).unwrap_or(doc);
    after.trim_start().split("\n\n").next().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_come_from_the_pages() {
        let text = explanation("missing-audit").expect("a known code");
        assert!(text.starts_with("**`missing-audit`** — "), "{text}");
        assert!(text.contains("audit"), "{text}");
        assert!(text.contains("CWE-778"), "{text}");
        assert_eq!(explanation("no-such-code"), None);
    }

    #[test]
    fn every_page_names_its_code_and_what_it_guards() {
        for rule in RULES {
            assert!(rule.doc.starts_with(&format!("# `{}`", rule.code)), "{}", rule.code);
            assert!(rule.doc.contains("## What"), "{} lacks a What section", rule.code);
            let (owasp, cwe) = rule.guards();
            assert!(owasp.starts_with('A') && owasp.ends_with(":2021"), "{}: OWASP item `{owasp}`", rule.code);
            assert!(cwe.starts_with("CWE-") && cwe.len() > 4, "{}: CWE `{cwe}`", rule.code);
            let g = guards(rule.code);
            assert!(
                OWASP_TOP_10.iter().any(|(id, name)| *id == g.owasp && *name == g.owasp_name),
                "{}: {}",
                rule.code,
                g.owasp_name
            );
            assert!(!g.cwe_name.is_empty() && !g.asvs.is_empty(), "{}: CWE name or ASVS missing", rule.code);
            assert!(g.asvs.iter().all(|a| a.starts_with('V')), "{}: ASVS {:?}", rule.code, g.asvs);
        }
    }
}
