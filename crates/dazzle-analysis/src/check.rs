//! Every diagnostic of a file, located, configured and filtered: syntax errors, anti-Turing
//! violations, and the rules' findings; then `[tool.dazzle-lsp]` severities and inline
//! `# dazzle-lsp: allow(code)` suppressions (an unused one is itself reported).

use std::collections::BTreeSet;
use std::sync::Arc;

use dazzle_syntax::{AstNode, Dialect, Severity as SyntaxSeverity, SyntaxKind, TextRange, TextSize};

use crate::anti_turing::anti_turing;
use crate::db::{Db, Project, SourceFile, manifest, parse};
use crate::diagnostics::{Diagnostic, DiagnosticFile, Finding, RelatedRange, Severity};
use crate::locate::Locations;
use crate::model::project_model;
use crate::rules::{file_findings, project_findings};

/// The diagnostics of `file` as part of `project`, sorted by position.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, project: Project, file: SourceFile) -> Arc<Vec<Diagnostic>> {
    let parsed = parse(db, file);
    let tree = parsed.tree();
    let mut out: Vec<Diagnostic> = Vec::new();
    // A project read as 0.112 because it uses 0.112-only syntax (no dialect configured) still
    // hears that 0.125 would reject or skip those lines, but only as information.
    let configured = project.dialect(db).or(manifest(db, project).dialect);
    let inferred_0112 = configured.is_none() && project_model(db, project).dialect == Dialect::V0_112;
    for e in parsed.errors() {
        let severity = match e.severity {
            SyntaxSeverity::Error => Severity::Error,
            SyntaxSeverity::Warning if inferred_0112 && e.code.starts_with("removed-") => Severity::Info,
            SyntaxSeverity::Warning => Severity::Warning,
        };
        out.push(Diagnostic {
            code: e.code,
            severity,
            message: e.message.clone(),
            file: DiagnosticFile::Source(file),
            range: e.range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    for v in anti_turing(db, file).iter() {
        out.push(Diagnostic {
            code: "anti-turing",
            severity: Severity::Error,
            message: v.message.clone(),
            file: DiagnosticFile::Source(file),
            range: v.range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    let locations = Locations::new(&tree);
    for finding in file_findings(db, project, file).iter() {
        out.push(located(&locations, file, finding.clone()));
    }
    let text = file.text(db);
    apply_suppressions(text, &tree, file, &mut out);
    let config = manifest(db, project);
    out.retain_mut(|d| match config.severity_of(d.code) {
        _ if d.code == "syntax-error" => true,
        Some(None) => false,
        Some(Some(severity)) => {
            d.severity = severity;
            true
        }
        None => true,
    });
    out.sort_by(|a, b| (a.range.start(), a.range.end(), a.code).cmp(&(b.range.start(), b.range.end(), b.code)));
    Arc::new(out)
}

fn located(locations: &Locations<'_>, file: SourceFile, finding: Finding) -> Diagnostic {
    let range = locations.range(&finding.locator);
    let fixes = finding.fixes.iter().filter_map(|spec| locations.fix(spec, range)).collect();
    let related = finding
        .related
        .iter()
        .map(|r| RelatedRange { range: locations.range(&r.locator), message: r.message.clone() })
        .collect();
    Diagnostic {
        code: finding.code,
        severity: finding.severity,
        message: finding.message,
        file: DiagnosticFile::Source(file),
        range,
        related,
        fixes,
    }
}

/// The diagnostics that belong to `dazzle.toml`: invalid TOML or settings, literal secrets, and
/// project findings tied to no `.dsl` file (such as a missing root module).
#[salsa::tracked(returns(ref))]
pub fn manifest_diagnostics(db: &dyn Db, project: Project) -> Arc<Vec<Diagnostic>> {
    let config = manifest(db, project);
    let mut out = Vec::new();
    for d in &config.diagnostics {
        out.push(Diagnostic {
            code: d.code,
            severity: Severity::Error,
            message: d.message.clone(),
            file: DiagnosticFile::Manifest,
            range: d.range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    for (key, range) in &config.secrets {
        out.push(Diagnostic {
            code: "secret-in-manifest",
            severity: Severity::Error,
            message: format!(
                "dazzle.toml `{key}` holds a literal credential (not shown here): anyone with the repository can read \
                 it. {}",
                secret_advice(key)
            ),
            file: DiagnosticFile::Manifest,
            range: *range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    for (key, range) in &config.env_literals {
        out.push(Diagnostic {
            code: "secret-in-manifest",
            severity: Severity::Error,
            message: format!(
                "dazzle.toml `{key}` is written `env:…`, but Dazzle resolves `env:` only in `[database] url`: this \
                 setting's secret is that literal text, which anyone with the repository can read. {}",
                secret_advice(key)
            ),
            file: DiagnosticFile::Manifest,
            range: *range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    for finding in project_findings(db, project).iter().filter(|f| f.file.is_none()) {
        let range = match finding.code {
            "missing-root-module" => config.root_range.unwrap_or_default(),
            _ => TextRange::empty(TextSize::new(0)),
        };
        out.push(Diagnostic {
            code: finding.code,
            severity: finding.severity,
            message: finding.message.clone(),
            file: DiagnosticFile::Manifest,
            range,
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
    out.retain_mut(|d| match config.severity_of(d.code) {
        Some(None) => false,
        Some(Some(severity)) => {
            d.severity = severity;
            true
        }
        None => true,
    });
    Arc::new(out)
}

/// How to keep the credential at `key` out of `dazzle.toml`, as far as Dazzle supports it: it
/// resolves `env:VARIABLE` only in `[database] url`, and names variables with `*_env` keys for
/// OAuth providers; every other setting is read as written.
fn secret_advice(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    if key == "database.url" {
        "Write `url = \"env:DATABASE_URL\"`: Dazzle resolves `env:` there at runtime".to_owned()
    } else if key.starts_with("auth.oauth_providers") && matches!(last, "client_secret" | "client_id") {
        format!("Name the environment variable instead: `{last}_env = \"VARIABLE\"`")
    } else {
        "Dazzle reads this setting as written (it resolves `env:` only in `[database] url`): commit it empty and \
         supply the value per deployment, outside the repository"
            .to_owned()
    }
}

/// One `# dazzle-lsp: allow(code, …)` comment.
struct Suppression {
    range: TextRange,
    line: usize,
    codes: Vec<String>,
    used: BTreeSet<String>,
}

/// Drops diagnostics suppressed on their line (trailing comment) or by a comment line right
/// above, and reports suppressions that suppress nothing.
fn apply_suppressions(text: &str, tree: &dazzle_syntax::SourceFile, file: SourceFile, out: &mut Vec<Diagnostic>) {
    // Every suppression comment holds the marker: a text without it has none to look for.
    if !text.contains(ALLOW_MARKER) {
        return;
    }
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: TextSize| line_starts.partition_point(|&s| s <= usize::from(offset)) - 1;
    let mut suppressions = Vec::new();
    let green = tree.syntax().green().into_owned();
    dazzle_syntax::for_each_token(&green, |kind, range, comment| {
        if kind != SyntaxKind::COMMENT {
            return;
        }
        let Some(codes) = parse_allow(comment) else { return };
        let line = line_of(range.start());
        let own_line = text[line_starts[line]..usize::from(range.start())].trim().is_empty();
        suppressions.push(Suppression {
            range,
            line: if own_line { line + 1 } else { line },
            codes,
            used: BTreeSet::new(),
        });
    });
    if suppressions.is_empty() {
        return;
    }
    out.retain(|d| {
        let line = line_of(d.range.start());
        for s in suppressions.iter_mut() {
            if s.line == line && s.codes.iter().any(|c| c == d.code) && d.code != "syntax-error" {
                s.used.insert(d.code.to_owned());
                return false;
            }
        }
        true
    });
    for s in suppressions {
        let unused: Vec<&String> = s.codes.iter().filter(|c| !s.used.contains(*c)).collect();
        if !unused.is_empty() {
            out.push(Diagnostic {
                code: "unused-suppression",
                severity: Severity::Warning,
                message: format!(
                    "This `dazzle-lsp: allow({})` suppresses nothing here: remove it",
                    unused.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                ),
                file: DiagnosticFile::Source(file),
                range: s.range,
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
}

/// What begins a suppression comment, after the `#`.
const ALLOW_MARKER: &str = "dazzle-lsp:";

/// The codes of a `# dazzle-lsp: allow(a, b)` comment.
fn parse_allow(comment: &str) -> Option<Vec<String>> {
    let rest = comment.trim_start_matches('#').trim_start();
    let rest = rest.strip_prefix(ALLOW_MARKER)?.trim_start();
    let inner = rest.strip_prefix("allow(")?;
    let inner = &inner[..inner.find(')')?];
    Some(inner.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect())
}
