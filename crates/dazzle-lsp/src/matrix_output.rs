//! The matrix as the reference prints it — JSON (Python's `json.dumps(indent=2)`), the
//! Markdown table, CSV — for the `matrix` command, the server's `dazzle/rbacMatrix` and the
//! golden files `--matrix-golden` and `diff` read.

use dazzle_analysis::access::Operation;
use dazzle_analysis::matrix::Matrix;

use crate::py_json::Json;

fn entity_names(matrix: &Matrix) -> Vec<&str> {
    matrix.entities.iter().map(|e| e.entity.as_str()).collect()
}

/// The reference's JSON document.
fn to_json(matrix: &Matrix) -> Json<'_> {
    // One record per entity, role and operation, in that order; its values are the role, the
    // entity, the operation and the decision.
    let (roles, ops) = (matrix.roles.len(), Operation::ALL.len());
    let value = move |i: usize| {
        let record = i / 4;
        let (entity, role, op) = (record / (roles * ops), record / ops % roles, Operation::ALL[record % ops]);
        let rows = &matrix.entities[entity];
        match i % 4 {
            0 => matrix.roles[role].as_str(),
            1 => rows.entity.as_str(),
            2 => op.as_str(),
            _ => rows.get(role, op).as_str(),
        }
    };
    let cells = Json::Records {
        keys: &["role", "entity", "operation", "decision"],
        records: matrix.entities.len() * roles * ops,
        value: Box::new(value),
    };
    let warnings = matrix
        .warnings
        .iter()
        .map(|w| {
            Json::Object(vec![
                ("kind", Json::Str(w.kind)),
                ("entity", Json::Str(&w.entity)),
                ("role", Json::Str(&w.role)),
                ("operation", Json::Str(&w.operation)),
                ("message", Json::Str(&w.message)),
            ])
        })
        .collect();
    let mut doc = vec![
        ("roles", strings(matrix.roles.iter().map(String::as_str))),
        ("entities", strings(entity_names(matrix))),
        ("operations", strings(Operation::ALL.iter().map(|o| o.as_str()))),
        ("cells", cells),
        ("warnings", Json::List(warnings)),
    ];
    if let Some(flows) = &matrix.atomic_flows {
        let flows = flows
            .iter()
            .map(|f| {
                let steps = f
                    .steps
                    .iter()
                    .map(|(e, op)| Json::Object(vec![("entity", Json::Str(e)), ("operation", Json::Str(op))]))
                    .collect();
                Json::Object(vec![
                    ("name", Json::Str(&f.name)),
                    ("label", Json::Str(&f.label)),
                    ("roles", strings(f.roles.iter().map(String::as_str))),
                    ("steps", Json::List(steps)),
                    ("invariants", strings(f.invariants.iter().map(String::as_str))),
                ])
            })
            .collect();
        doc.push(("atomic_flows", Json::List(flows)));
    }
    Json::Object(doc)
}

/// The matrix document as `dazzle rbac matrix --format json` prints it (no trailing newline).
pub(crate) fn json_text(matrix: &Matrix) -> String {
    crate::py_json::to_string(&to_json(matrix))
}

/// Writes [`json_text`] to `out`, without holding it whole.
pub(crate) fn write_json(matrix: &Matrix, out: &mut impl std::io::Write) -> std::io::Result<()> {
    crate::py_json::write_to(&to_json(matrix), out)
}

/// A list of strings.
fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Json<'a> {
    Json::List(items.into_iter().map(Json::Str).collect())
}

/// The reference's Markdown table (no trailing newline).
pub(crate) fn table(matrix: &Matrix) -> String {
    if matrix.roles.is_empty() || matrix.entities.is_empty() {
        return "*(empty matrix)*".to_owned();
    }
    let mut header = vec!["entity", "operation"];
    header.extend(matrix.roles.iter().map(String::as_str));
    let mut lines =
        vec![format!("| {} |", header.join(" | ")), format!("| {} |", vec!["---"; header.len()].join(" | "))];
    for rows in &matrix.entities {
        for op in Operation::ALL {
            let mut parts = vec![rows.entity.as_str(), op.as_str()];
            parts.extend((0..matrix.roles.len()).map(|r| rows.get(r, op).as_str()));
            lines.push(format!("| {} |", parts.join(" | ")));
        }
    }
    if let Some(flows) = matrix.atomic_flows.as_ref().filter(|f| !f.is_empty()) {
        lines.extend(
            [
                "",
                "#### Atomic flows",
                "",
                "| flow | execute roles | steps (entity:op) | invariants |",
                "| --- | --- | --- | --- |",
            ]
            .map(str::to_owned),
        );
        for f in flows {
            let steps: Vec<String> = f.steps.iter().map(|(e, op)| format!("{e}:{op}")).collect();
            let invariants = if f.invariants.is_empty() { "—".to_owned() } else { f.invariants.join("; ") };
            lines.push(format!("| {} | {} | {} | {invariants} |", f.name, f.roles.join(", "), steps.join(", ")));
        }
    }
    lines.join("\n")
}

/// The reference's CSV: Python's `csv.writer` (CRLF line ends, minimal quoting).
pub(crate) fn csv(matrix: &Matrix) -> String {
    let mut out = String::new();
    let mut row = |fields: Vec<&str>| {
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    let mut header = vec!["entity", "operation"];
    header.extend(matrix.roles.iter().map(String::as_str));
    row(header);
    for rows in &matrix.entities {
        for op in Operation::ALL {
            let mut fields = vec![rows.entity.as_str(), op.as_str()];
            fields.extend((0..matrix.roles.len()).map(|r| rows.get(r, op).as_str()));
            row(fields);
        }
    }
    out
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
