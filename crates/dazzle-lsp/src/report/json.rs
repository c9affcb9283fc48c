//! The report as JSON, schema `dazzle-lsp-report/1` (docs/report.schema.json).

use dazzle_analysis::access::Operation;
use serde::Serialize;
use serde_json::{Value, json};

use super::{Place, SecurityReport};
use dazzle_analysis::diagnostics::Severity;

/// The document. Typed where it is large (the matrix: entities × personas × operations), so
/// its cells are written straight out instead of built as a `Value` tree first; the fields
/// are in the schema's order.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Value,
    generated: Value,
    project: Value,
    matrix: Matrix<'a>,
    findings: Value,
    checklist: Vec<Value>,
    owasp: Vec<Value>,
}

#[derive(Serialize)]
struct Matrix<'a> {
    sha256: &'a str,
    personas: &'a [String],
    operations: Vec<&'static str>,
    entities: Vec<EntityRow<'a>>,
}

#[derive(Serialize)]
struct EntityRow<'a> {
    name: &'a str,
    framework: bool,
    sensitive: &'a [String],
    location: Option<Value>,
    cells: Vec<CellOut<'a>>,
}

#[derive(Serialize)]
struct CellOut<'a> {
    persona: &'a str,
    operation: &'static str,
    decision: &'static str,
    filter: Option<&'a str>,
}

fn place(p: &Place) -> Value {
    json!({"file": p.file, "line": p.line, "column": p.column})
}

/// The document, pretty-printed, with a final line break.
pub(crate) fn json(report: &SecurityReport) -> String {
    let p = &report.project;
    let entities: Vec<EntityRow<'_>> = report
        .entities
        .iter()
        .map(|e| EntityRow {
            name: &e.name,
            framework: e.framework,
            sensitive: &e.sensitive,
            location: e.place.as_ref().map(place),
            cells: report
                .roles
                .iter()
                .enumerate()
                .flat_map(|(r, role)| {
                    Operation::ALL.iter().map(move |&op| {
                        let c = e.cell(r, op);
                        CellOut {
                            persona: role,
                            operation: op.as_str(),
                            decision: c.decision.as_str(),
                            filter: c.filter.as_deref(),
                        }
                    })
                })
                .collect(),
        })
        .collect();
    let findings: Vec<Value> = report
        .items
        .iter()
        .map(|i| {
            let f = &i.finding;
            json!({
                "code": f.code,
                "title": i.title,
                "severity": f.severity.as_str(),
                "message": f.message,
                "file": f.file,
                "range": {"start": {"line": f.start.0, "column": f.start.1}, "end": {"line": f.end.0, "column": f.end.1}},
                "owasp": {"id": i.guards.owasp, "name": i.guards.owasp_name},
                "cwe": {"id": i.guards.cwe, "name": i.guards.cwe_name},
                "asvs": i.guards.asvs,
                "docs": crate::rules_catalog::docs_url(f.code),
                "related": f.related.iter().map(|r| json!({
                    "message": r.message,
                    "range": {"start": {"line": r.start.0, "column": r.start.1}, "end": {"line": r.end.0, "column": r.end.1}},
                })).collect::<Vec<_>>(),
                "fixes": f.fixes,
                "excerpt": i.excerpt.iter().map(|l| json!({"line": l.number, "text": l.text})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let checklist: Vec<Value> = report
        .checklist
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "title": c.title,
                "source": c.source,
                "status": c.status.as_str(),
                "detail": c.detail,
                "evidence": c.evidence.iter().map(|(at, message)| json!({"location": place(at), "message": message})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let owasp: Vec<Value> = report
        .owasp
        .iter()
        .map(|o| json!({"id": o.id, "name": o.name, "codes": o.codes, "findings": o.findings}))
        .collect();
    let doc = Document {
        schema: "dazzle-lsp-report/1",
        tool: json!({"name": "dazzle-lsp", "version": report.tool_version}),
        generated: json!(report.generated),
        project: json!({
            "name": p.name,
            "dialect": p.dialect,
            "security_profile": p.security_profile,
            "security_profile_written": p.security_profile_written,
            "multi_tenant": p.multi_tenant,
            "tenancy": p.tenancy.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
            "audit_trail": p.audit_trail,
            "files": p.files,
            "entities": p.entities,
            "framework_entities": p.framework_entities,
            "personas": p.personas,
        }),
        matrix: Matrix {
            sha256: &report.matrix_sha256,
            personas: &report.roles,
            operations: Operation::ALL.iter().map(|o| o.as_str()).collect(),
            entities,
        },
        findings: json!({
            "counts": {
                "error": report.count(Severity::Error),
                "warning": report.count(Severity::Warning),
                "info": report.count(Severity::Info),
                "hint": report.count(Severity::Hint),
            },
            "items": findings,
        }),
        checklist,
        owasp,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("the report serializes");
    out.push('\n');
    out
}
