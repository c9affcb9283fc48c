//! The app-developer security checklist of Dazzle's security guide (`docs/guides/security.md`
//! §5, 21 items, and the tenant isolation of its §T4), scored from the DSL files and
//! `dazzle.toml`: an item passes only when it was checked, fails with the places that break
//! it, and is left to manual review when static analysis cannot know (TLS, ingress, secrets
//! at runtime, CI practice).

use dazzle_analysis::access::Operation;
use dazzle_analysis::manifest::Manifest;
use dazzle_analysis::matrix::Decision;
use dazzle_analysis::rules::RuleContext;

use super::{CheckItem, Inputs, Place, SecurityReport};

/// How an item scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Passes,
    Fails,
    Manual,
}

impl Status {
    /// `passes`, `fails` or `manual review`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Passes => "passes",
            Status::Fails => "fails",
            Status::Manual => "manual review",
        }
    }
}

/// Personas the framework treats as administrators, and the tenancy's own.
fn is_admin(persona: &str, ctx: &RuleContext) -> bool {
    matches!(persona, "admin" | "super_admin" | "platform_admin") || ctx.tenant_admins.iter().any(|p| p == persona)
}

/// An item decided by the findings of some codes: fails with their places, else passes.
fn by_codes(report: &SecurityReport, codes: &[&str], pass: &str) -> (Status, String, Vec<(Place, String)>) {
    let evidence: Vec<(Place, String)> = report
        .items
        .iter()
        .filter(|i| codes.contains(&i.finding.code))
        .map(|i| {
            let f = &i.finding;
            (Place { file: f.file.clone(), line: f.start.0, column: f.start.1 }, format!("`{}`: {}", f.code, f.message))
        })
        .collect();
    if evidence.is_empty() {
        return (Status::Passes, pass.to_owned(), evidence);
    }
    let fired: Vec<&str> =
        codes.iter().copied().filter(|c| report.items.iter().any(|i| i.finding.code == *c)).collect();
    (Status::Fails, format!("{} ({})", plural(evidence.len(), "finding"), fired.join(", ")), evidence)
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn manual(detail: &str) -> (Status, String, Vec<(Place, String)>) {
    (Status::Manual, detail.to_owned(), Vec::new())
}

/// Scores every item.
pub(super) fn score(
    report: &SecurityReport,
    manifest: &Manifest,
    ctx: &RuleContext,
    inputs: &Inputs<'_>,
) -> Result<Vec<CheckItem>, String> {
    let profile = report.project.security_profile;
    let sensitive: Vec<&super::EntityRow> =
        report.entities.iter().filter(|e| !e.framework && !e.sensitive.is_empty()).collect();
    let mut items = Vec::new();
    let mut item = |id, title, source, (status, detail, evidence): (Status, String, Vec<(Place, String)>)| {
        items.push(CheckItem { id, title, source, status, detail, evidence });
    };

    item(
        "security-profile",
        "Set `security_profile: standard` or `strict`; do not ship `basic`",
        "docs/guides/security.md:422",
        match by_codes(report, &["basic-security-profile", "unknown-security-profile", "missing-root-module"], "") {
            (Status::Passes, _, e) => (Status::Passes, format!("the app's profile is `{profile}`"), e),
            failed => failed,
        },
    );
    item(
        "cors-origins",
        "Set `cors_origins` when a separate front end or API client calls from another origin",
        "docs/guides/security.md:425",
        manual(
            "whether a cross-origin client exists is a deployment fact; `cors_origins` is a server setting, not DSL",
        ),
    );
    item(
        "secret-key",
        "Generate a strong `DAZZLE_SECRET_KEY` (at least 32 bytes)",
        "docs/guides/security.md:430",
        manual("an environment variable of the deployment"),
    );
    item(
        "secret-store",
        "Keep `DAZZLE_SECRET_KEY`, `DATABASE_URL` and every credential in the platform's secret store",
        "docs/guides/security.md:433",
        manual("the secret store and files other than dazzle.toml (.env, CI, infrastructure) are outside the project"),
    );
    item(
        "env-indirection",
        "Commit pointers (`env:VAR`, `*_env` names), not credentials, in `dazzle.toml`",
        "docs/guides/security.md:436",
        by_codes(report, &["secret-in-manifest"], "no literal credential in dazzle.toml"),
    );
    item(
        "jwt-secret",
        "With JWT auth, set `JWT_SECRET` to at least 32 bytes",
        "docs/guides/security.md:440",
        manual(if manifest.auth_provider.as_deref() == Some("jwt") {
            "`[auth] provider = \"jwt\"`: this applies; the secret is an environment variable of the deployment"
        } else {
            "the secret is an environment variable of the deployment (dazzle.toml does not select JWT auth)"
        }),
    );
    item(
        "session-lifetime",
        "Set the session lifetime to the shortest interval acceptable",
        "docs/guides/security.md:445",
        manual("a server parameter; no DSL or dazzle.toml setting controls it"),
    );
    item(
        "matrix-review",
        "Review the RBAC matrix diff after every DSL change; sign off new access to sensitive entities",
        "docs/guides/security.md:449",
        manual(
            "a review step: run `dazzle-lsp diff --base origin/main` on every change (docs/ci.md); compare this \
             report's matrix SHA-256 with the signed-off golden",
        ),
    );
    let divergences = [
        "permit-false-not-enforced",
        "negated-access-rule",
        "role-conjunction",
        "forbid-field-condition",
        "has-grant-not-enforced",
        "list-without-read-scope",
    ];
    let known = report.items.iter().filter(|i| divergences.contains(&i.finding.code)).count();
    item(
        "rbac-verify",
        "Run `dazzle rbac verify` in CI against a staging database",
        "docs/guides/security.md:451",
        manual(&format!(
            "needs the running app; statically, {known} finding{} of places where the matrix and the runtime disagree",
            if known == 1 { "" } else { "s" }
        )),
    );
    item(
        "audit-sensitive",
        "Annotate every entity that handles sensitive data with `audit:` (and set a retention schedule)",
        "docs/guides/security.md:453",
        match by_codes(report, &["missing-audit"], "") {
            (Status::Passes, _, e) if sensitive.is_empty() => (
                Status::Passes,
                "no entity holds personal, sensitive or classified data (retention: manual)".to_owned(),
                e,
            ),
            (Status::Passes, _, e) => (
                Status::Passes,
                match sensitive.len() {
                    1 => "the sensitive entity is audited (retention schedule: manual review)".to_owned(),
                    n => format!("all {n} sensitive entities are audited (retention schedules: manual review)"),
                },
                e,
            ),
            failed => failed,
        },
    );
    // Every list route can export CSV: a non-administrator must not list every row of a
    // sensitive entity.
    let mut exports = Vec::new();
    for entity in &sensitive {
        for (p, persona) in report.roles.iter().enumerate() {
            let cell = entity.cell(p, Operation::List);
            if is_admin(persona, ctx) || !matches!(cell.decision, Decision::Permit | Decision::PermitUnprotected) {
                continue;
            }
            let located =
                inputs.analysis.cell_location(inputs.project, &entity.name, persona, Operation::List).ok().flatten();
            let place =
                located.and_then(|(file, range)| inputs.place(file, range.start())).or_else(|| entity.place.clone());
            if let Some(place) = place {
                exports.push((place, format!("{persona} may list every row of {} ({})", entity.name, cell.decision)));
            }
        }
    }
    item(
        "bulk-export-scoped",
        "Give bulk-export surfaces the narrowest `permit:` / `scope:` rule",
        "docs/guides/security.md:456",
        if exports.is_empty() {
            (
                Status::Passes,
                format!(
                    "no non-administrator lists every row of a sensitive entity ({} checked; every list also exports CSV)",
                    sensitive.len()
                ),
                exports,
            )
        } else {
            (
                Status::Fails,
                format!("{} on sensitive entities", plural(exports.len(), "unfiltered list grant")),
                exports,
            )
        },
    );
    item(
        "csrf-custom-endpoints",
        "Make custom POST endpoints carry the CSRF token",
        "docs/guides/security.md:458",
        manual("custom routes are Python code outside the DSL"),
    );
    item(
        "pii-annotation",
        "Annotate personal data fields with `pii(category=…, sensitivity=…)`",
        "docs/guides/security.md:465",
        by_codes(report, &["pii-field-unmarked"], "no field looks like unmarked personal data (a name heuristic)"),
    );
    item(
        "subprocessors",
        "Declare `subprocessor` blocks for every third party that handles personal data",
        "docs/guides/security.md:467",
        manual("which third parties receive personal data is not written in the DSL"),
    );
    item(
        "compliance-review",
        "Review `dazzle compliance compile` for ISO 27001 and SOC 2",
        "docs/guides/security.md:469",
        manual("an auditor's judgement of the compiled evidence"),
    );
    item(
        "pinned-dependencies",
        "Pin exact dependency versions in production",
        "docs/guides/security.md:473",
        manual("requirements and lock files are outside the project"),
    );
    item(
        "pip-audit",
        "Review `pip-audit` output on every merge",
        "docs/guides/security.md:475",
        manual("a CI practice"),
    );
    item(
        "block-internal-routes",
        "Block `/_dazzle/entity/*`, `/_dazzle/tables`, `/_dazzle/spec` and `/spec` at the load balancer",
        "docs/guides/security.md:479",
        manual("ingress configuration"),
    );
    item(
        "health-routes",
        "Keep the health and readiness routes reachable",
        "docs/guides/security.md:481",
        manual("ingress and probe configuration"),
    );
    item(
        "database-role",
        "Use a database role limited to SELECT, INSERT, UPDATE, DELETE on application tables",
        "docs/guides/security.md:483",
        manual("database grants"),
    );
    item(
        "tls",
        "Terminate TLS before the app so the session cookie is `Secure`",
        "docs/guides/security.md:486",
        manual("proxy configuration"),
    );
    let tenanted = report.project.multi_tenant || !report.project.tenancy.is_empty() || ctx.tenant_root.is_some();
    item(
        "tenant-isolation",
        "Tie every scope rule of a multi-tenant app to the user's tenant",
        "docs/guides/security.md:217",
        if tenanted {
            let pass = if ctx.tenant_fenced {
                "the runtime fences every query to the user's tenant (`tenancy: mode: shared_schema`)"
            } else {
                "every scope rule of a non-administrator is tied to the user's tenant"
            };
            by_codes(report, &["tenant-unscoped-rule", "invalid-multi-tenant"], pass)
        } else {
            (Status::Passes, "the app is not multi-tenant: there are no tenants to isolate".to_owned(), Vec::new())
        },
    );
    Ok(items)
}
