//! The report as Markdown, for a pull request or a wiki page: the matrix as one table per
//! entity.

use std::fmt::Write as _;

use dazzle_analysis::access::Operation;

use super::{SecurityReport, Status};

/// A table cell's text: `|` escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(crate) fn markdown(report: &SecurityReport) -> String {
    let p = &report.project;
    let mut out = format!("# Security report — {}\n\n", p.name);
    let tenancy = if p.tenancy.is_empty() {
        "—".to_owned()
    } else {
        p.tenancy.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    };
    let profile = match &p.security_profile_written {
        Some(w) if w.to_lowercase() != p.security_profile => format!("{} (written `{w}`)", p.security_profile),
        _ => p.security_profile.to_owned(),
    };
    let _ = write!(
        out,
        "| | |\n| --- | --- |\n| dialect | {} |\n| security profile | {profile} |\n| multi-tenant | {} |\n| tenancy | {} |\n\
         | audit trail (app) | {} |\n| files | {} |\n| entities | {} declared, {} from the framework |\n| personas | {} |\n\
         | findings | {} |\n| matrix SHA-256 | `{}` |\n| generated | {} by dazzle-lsp {} |\n\n",
        p.dialect,
        if p.multi_tenant { "yes" } else { "no" },
        cell(&tenancy),
        if p.audit_trail { "on" } else { "off" },
        p.files,
        p.entities,
        p.framework_entities,
        p.personas,
        report.counts_text(),
        report.matrix_sha256,
        report.generated,
        report.tool_version,
    );

    out.push_str("## RBAC matrix\n\n");
    if report.roles.is_empty() {
        out.push_str("*No personas are declared: the matrix has no columns.*\n\n");
    }
    for e in report.entities.iter().filter(|_| !report.roles.is_empty()) {
        let mut notes = Vec::new();
        if e.framework {
            notes.push("framework".to_owned());
        }
        if !e.sensitive.is_empty() {
            notes.push(format!("sensitive: {}", e.sensitive.join(", ")));
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" ({})", cell(&notes.join("; "))) };
        let _ = writeln!(
            out,
            "### {}{notes}\n\n| persona | list | read | create | update | delete |\n| --- | --- | --- | --- | --- | --- |",
            e.name
        );
        for (r, role) in report.roles.iter().enumerate() {
            let cells: Vec<String> = Operation::ALL
                .iter()
                .map(|&op| {
                    let c = e.cell(r, op);
                    match &c.filter {
                        Some(f) => format!("{} `{}`", c.decision.as_str(), cell(f)),
                        None => c.decision.as_str().to_owned(),
                    }
                })
                .collect();
            let _ = writeln!(out, "| {role} | {} |", cells.join(" | "));
        }
        out.push('\n');
    }

    out.push_str("## Findings\n\n");
    if report.items.is_empty() {
        out.push_str("No findings.\n\n");
    }
    for (severity, code, group) in report.groups() {
        let g = &group[0].guards;
        let _ = writeln!(
            out,
            "### {} · `{code}` — {} ({})\n\n{} {} · {} {} · ASVS 4.0.3 {} · [docs]({})\n",
            severity.as_str(),
            group[0].title,
            group.len(),
            g.owasp,
            g.owasp_name,
            g.cwe,
            g.cwe_name,
            g.asvs.join(", "),
            crate::rules_catalog::docs_url(code)
        );
        for i in group {
            let f = &i.finding;
            let _ = writeln!(out, "- `{}:{}:{}` — {}", f.file, f.start.0, f.start.1, f.message.replace('\n', " "));
            if !i.excerpt.is_empty() {
                out.push_str("\n  ```dsl\n");
                for line in &i.excerpt {
                    let _ = writeln!(out, "  {:>4} | {}", line.number, line.text);
                }
                out.push_str("  ```\n");
            }
        }
        out.push('\n');
    }

    out.push_str("## Security checklist\n\nFrom Dazzle's security guide (`docs/guides/security.md` §5, §T4).\n\n| item | status | detail |\n| --- | --- | --- |\n");
    for c in &report.checklist {
        let status = match c.status {
            Status::Passes => "✅ passes",
            Status::Fails => "❌ fails",
            Status::Manual => "➖ manual review",
        };
        let _ = writeln!(out, "| {} | {status} | {} |", cell(c.title), cell(&c.detail));
    }
    for c in report.checklist.iter().filter(|c| !c.evidence.is_empty()) {
        let _ = writeln!(out, "\n**{}** fails here:\n", c.title);
        for (at, message) in &c.evidence {
            let _ = writeln!(out, "- `{}:{}:{}` — {}", at.file, at.line, at.column, message.replace('\n', " "));
        }
    }

    out.push_str("\n## OWASP Top 10 (2021)\n\n| category | dazzle-lsp rules | findings |\n| --- | --- | --- |\n");
    for o in &report.owasp {
        let codes = if o.codes.is_empty() {
            "— (outside what the DSL declares)".to_owned()
        } else {
            o.codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(out, "| {} {} | {codes} | {} |", o.id, o.name, o.findings);
    }
    out
}
