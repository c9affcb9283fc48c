//! The report as one self-contained HTML page: inline CSS (light and dark by
//! `prefers-color-scheme`, a print style) and a few lines of optional inline JavaScript; a
//! Content-Security-Policy that allows no request of any kind; real table markup with header
//! scopes and text labels beside every colour. It reads fully with JavaScript off: a scoped
//! cell's row filter opens with `<details>`.

use std::fmt::Write as _;

use dazzle_analysis::access::Operation;
use dazzle_analysis::matrix::Decision;

use super::{Item, SecurityReport, Status};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("filter.js");

/// HTML-escapes text.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A decision's colour class and text label.
fn label(decision: Decision) -> (&'static str, &'static str) {
    match decision {
        Decision::Permit => ("d-permit", "P"),
        Decision::PermitScoped => ("d-scoped", "S"),
        Decision::PermitFiltered => ("d-filtered", "F"),
        Decision::PermitNoScope => ("d-noscope", "NS"),
        Decision::PermitUnprotected => ("d-unprotected", "U"),
        Decision::Deny => ("d-deny", "–"),
    }
}

const LEGEND: [(Decision, &str); 6] = [
    (Decision::Permit, "every row"),
    (Decision::PermitScoped, "rows a scope rule admits (open the cell for its filter)"),
    (Decision::PermitFiltered, "rows a legacy access condition admits"),
    (Decision::PermitNoScope, "a permit but no scope rule: denied at runtime"),
    (Decision::PermitUnprotected, "no permission rules at all: open to everyone"),
    (Decision::Deny, "denied"),
];

/// The page.
pub(crate) fn html(report: &SecurityReport) -> String {
    let p = &report.project;
    let mut out = String::with_capacity(64 * 1024 + report.entities.len() * report.roles.len() * 200);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Security report — {}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&p.name)
    );
    let _ = write!(
        out,
        "<header><h1>Security report — {}</h1><p class=\"muted\">Generated {} by dazzle-lsp {} from the project's DSL and \
         dazzle.toml.</p>\n<nav><a href=\"#summary\">Summary</a><a href=\"#matrix\">RBAC matrix</a><a href=\"#findings\">Findings</a>\
         <a href=\"#checklist\">Checklist</a><a href=\"#owasp\">OWASP Top 10</a></nav></header>\n",
        esc(&p.name),
        esc(&report.generated),
        report.tool_version
    );
    summary(report, &mut out);
    matrix(report, &mut out);
    findings(report, &mut out);
    checklist(report, &mut out);
    owasp(report, &mut out);
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn summary(report: &SecurityReport, out: &mut String) {
    let p = &report.project;
    let profile = match &p.security_profile_written {
        Some(w) if w.to_lowercase() != p.security_profile => {
            format!("{} (written <code>{}</code>)", p.security_profile, esc(w))
        }
        _ => p.security_profile.to_owned(),
    };
    let tenancy = if p.tenancy.is_empty() {
        "—".to_owned()
    } else {
        p.tenancy.iter().map(|(k, v)| format!("{}: {}", esc(k), esc(v))).collect::<Vec<_>>().join("; ")
    };
    let rows: [(&str, String); 11] = [
        ("Project", esc(&p.name)),
        ("Dialect", p.dialect.to_owned()),
        ("Security profile", profile),
        ("Multi-tenant", if p.multi_tenant { "yes" } else { "no" }.to_owned()),
        ("Tenancy", tenancy),
        ("Audit trail (app)", if p.audit_trail { "on" } else { "off" }.to_owned()),
        ("Files", p.files.to_string()),
        ("Entities", format!("{} declared, {} from the framework", p.entities, p.framework_entities)),
        ("Personas", p.personas.to_string()),
        ("Findings", report.counts_text()),
        (
            "Matrix SHA-256",
            format!(
                "<code>{}</code> <span class=\"muted\">(of <code>dazzle-lsp matrix --format json</code>: compare with \
                 <code>sha256sum</code> of the signed-off golden)</span>",
                report.matrix_sha256
            ),
        ),
    ];
    out.push_str("<section id=\"summary\"><h2>Summary</h2>\n<table class=\"facts\"><tbody>\n");
    for (name, value) in rows {
        let _ = writeln!(out, "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>");
    }
    out.push_str("</tbody></table></section>\n");
}

fn matrix(report: &SecurityReport, out: &mut String) {
    let _ = write!(
        out,
        "<section id=\"matrix\"><h2>RBAC matrix</h2>\n<p>{} entities × {} personas × list, read, create, update, delete, as the \
         reference computes it statically. <span class=\"badge sensitive\">sensitive</span> marks entities holding personal, \
         sensitive, classified or audited data.</p>\n<p class=\"legend\">",
        report.entities.len(),
        report.roles.len()
    );
    for (decision, meaning) in LEGEND {
        let (class, text) = label(decision);
        let _ = write!(out, "<span><span class=\"d {class}\">{text}</span> {} — {meaning}</span>", decision.as_str());
    }
    out.push_str("</p>\n");
    if report.roles.is_empty() {
        out.push_str("<p><em>No personas are declared: the matrix has no columns.</em></p></section>\n");
        return;
    }
    out.push_str("<form id=\"filters\" hidden><label>Persona <select><option value=\"\">all</option>");
    for (i, role) in report.roles.iter().enumerate() {
        let _ = write!(out, "<option value=\"{i}\">{}</option>", esc(role));
    }
    out.push_str("</select></label><label><input type=\"checkbox\"> only entities with unfiltered or unprotected access</label></form>\n");
    out.push_str("<div class=\"scroll\"><table class=\"grid\" id=\"grid\"><thead><tr><th scope=\"col\" rowspan=\"2\">Entity</th>");
    for (i, role) in report.roles.iter().enumerate() {
        let _ = write!(out, "<th scope=\"colgroup\" colspan=\"5\" class=\"p0\" data-p=\"{i}\">{}</th>", esc(role));
    }
    out.push_str("</tr><tr>");
    for i in 0..report.roles.len() {
        for (n, op) in Operation::ALL.iter().enumerate() {
            let first = if n == 0 { " class=\"p0\"" } else { "" };
            let letter = op.as_str()[..1].to_uppercase();
            let _ = write!(out, "<th scope=\"col\"{first} data-p=\"{i}\"><abbr title=\"{op}\">{letter}</abbr></th>");
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for e in &report.entities {
        let mut badges = String::new();
        if !e.sensitive.is_empty() {
            let _ = write!(
                badges,
                " <span class=\"badge sensitive\" title=\"{}\">sensitive</span>",
                esc(&e.sensitive.join(", "))
            );
        }
        if e.framework {
            badges.push_str(" <span class=\"badge framework\">framework</span>");
        }
        let _ = write!(out, "<tr><th scope=\"row\">{}{badges}</th>", esc(&e.name));
        for (r, role) in report.roles.iter().enumerate() {
            for (n, &op) in Operation::ALL.iter().enumerate() {
                let c = e.cell(r, op);
                let (class, text) = label(c.decision);
                let first = if n == 0 { " p0" } else { "" };
                let tip = format!("{role} {op} {}: {}", e.name, c.decision.as_str());
                match &c.filter {
                    Some(filter) => {
                        let _ = write!(
                            out,
                            "<td class=\"d {class}{first}\" data-p=\"{r}\" title=\"{} — {}\"><details><summary>{text}</summary><code>{}</code></details></td>",
                            esc(&tip),
                            esc(filter),
                            esc(filter)
                        );
                    }
                    None => {
                        let _ = write!(
                            out,
                            "<td class=\"d {class}{first}\" data-p=\"{r}\" title=\"{}\">{text}</td>",
                            esc(&tip)
                        );
                    }
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// A source line with its tokens coloured.
fn highlighted(text: &str, spans: &[(usize, usize, &'static str)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(start, end, class) in spans {
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&esc(&text[at..start]));
        let _ = write!(out, "<span class=\"{class}\">{}</span>", esc(&text[start..end]));
        at = end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

fn finding(item: &Item, out: &mut String) {
    let f = &item.finding;
    let _ = write!(
        out,
        "<article class=\"finding\"><div class=\"where\">{}:{}:{}</div><div>{}</div>",
        esc(&f.file),
        f.start.0,
        f.start.1,
        esc(&f.message)
    );
    if !item.excerpt.is_empty() {
        out.push_str("<pre class=\"src\">");
        for line in &item.excerpt {
            let _ = writeln!(out, "<span class=\"ln\">{}</span>{}", line.number, highlighted(&line.text, &line.spans));
        }
        out.push_str("</pre>");
    }
    out.push_str("</article>\n");
}

fn findings(report: &SecurityReport, out: &mut String) {
    out.push_str("<section id=\"findings\"><h2>Findings</h2>\n");
    if report.items.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    for (severity, code, group) in report.groups() {
        let g = &group[0].guards;
        let _ = write!(
            out,
            "<section><h3><span class=\"sev-{0}\">{0}</span> · <code>{code}</code> — {1} ({2})</h3>\n<p class=\"muted\">{3} {4} · {5} \
             {6} · ASVS 4.0.3 {7} · <a href=\"{8}\">rule documentation</a></p>\n",
            severity.as_str(),
            esc(group[0].title),
            group.len(),
            esc(&g.owasp),
            esc(&g.owasp_name),
            esc(&g.cwe),
            esc(&g.cwe_name),
            esc(&g.asvs.join(", ")),
            esc(&crate::rules_catalog::docs_url(code))
        );
        for item in group {
            finding(item, out);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn checklist(report: &SecurityReport, out: &mut String) {
    out.push_str(
        "<section id=\"checklist\"><h2>Security checklist</h2>\n<p>The app-developer checklist of Dazzle's security guide \
         (<code>docs/guides/security.md</code> §5, and tenant isolation from §T4). An item passes only when it was checked; \
         what static analysis cannot know is left to manual review.</p>\n<table class=\"checklist\"><thead><tr>\
         <th scope=\"col\">Item</th><th scope=\"col\">Status</th><th scope=\"col\">Detail</th></tr></thead><tbody>\n",
    );
    for c in &report.checklist {
        let class = match c.status {
            Status::Passes => "st-passes",
            Status::Fails => "st-fails",
            Status::Manual => "st-manual",
        };
        let _ = write!(
            out,
            "<tr id=\"check-{}\"><td>{}<br><span class=\"muted mono\">{}</span></td><td class=\"{class}\">{}</td><td>{}",
            c.id,
            esc(c.title),
            esc(c.source),
            c.status.as_str(),
            esc(&c.detail)
        );
        if !c.evidence.is_empty() {
            out.push_str("<ul class=\"evidence\">");
            for (at, message) in &c.evidence {
                let _ = write!(
                    out,
                    "<li><span class=\"mono\">{}:{}:{}</span> {}</li>",
                    esc(&at.file),
                    at.line,
                    at.column,
                    esc(message)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
}

fn owasp(report: &SecurityReport, out: &mut String) {
    out.push_str(
        "<section id=\"owasp\"><h2>OWASP Top 10 (2021)</h2>\n<table><thead><tr><th scope=\"col\">Category</th>\
         <th scope=\"col\">dazzle-lsp rules</th><th scope=\"col\">Findings</th></tr></thead><tbody>\n",
    );
    for o in &report.owasp {
        let codes = if o.codes.is_empty() {
            "<span class=\"muted\">— (outside what the DSL declares)</span>".to_owned()
        } else {
            o.codes.iter().map(|c| format!("<code>{c}</code>")).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{} {}</th><td>{codes}</td><td>{}</td></tr>",
            o.id,
            esc(o.name),
            o.findings
        );
    }
    out.push_str("</tbody></table></section>\n");
}
