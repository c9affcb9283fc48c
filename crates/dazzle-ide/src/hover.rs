//! Hover: on an entity, its RBAC matrix rows (operations × personas, with the row filter of
//! every scoped cell), its audit status and personal data, and the places where the runtime
//! disagrees with the matrix; on a persona, its row across every entity; on a field, its type,
//! modifiers and personal-data category; on a keyword, a short explanation.

use std::fmt::Write;

use dazzle_analysis::access::Operation;
use dazzle_analysis::audit::{AuditCoverage, AuditSource};
use dazzle_analysis::item_index::FieldItem;
use dazzle_analysis::matrix::{Decision, Matrix, row_filter};
use dazzle_analysis::model::{LinkedEntity, ProjectModel};
use dazzle_syntax::{SyntaxKind, TextRange, TextSize};

use crate::navigation::ident_at;
use crate::references::enclosing_entity;
use crate::{Analysis, Cancellable, FileId, ProjectId};

/// What a hover shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverResult {
    /// The range hovered (the word).
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

/// The hover at `offset` of `file`.
pub fn hover(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
) -> Cancellable<Option<HoverResult>> {
    let Some(token) = ident_at(analysis, file, offset)? else { return Ok(None) };
    let range = token.text_range();
    let word = token.text().to_owned();
    if token.kind() == SyntaxKind::KEYWORD && !in_name(&token) {
        return Ok(keyword_doc(&word).map(|doc| HoverResult { range, markdown: doc.to_owned() }));
    }
    let (Some(model), Some(matrix)) = (analysis.project_model(project)?, analysis.matrix(project)?) else {
        return Ok(None);
    };
    let field_owner = enclosing_entity(&token)
        .and_then(|owner| model.entities.iter().find(|e| e.name == owner))
        .and_then(|e| e.fields.iter().find(|f| f.name == word).map(|f| (e, f)));
    let declares_field = token.parent().and_then(|p| p.parent()).is_some_and(|g| g.kind() == SyntaxKind::FIELD);
    if let Some((owner, field)) = field_owner.filter(|_| declares_field) {
        return Ok(Some(HoverResult { range, markdown: field_markdown(owner, field) }));
    }
    if let Some(entity) = model.entities.iter().find(|e| e.name == word) {
        let findings = entity_notes(analysis, project, entity)?;
        let audit = analysis.audit_coverage(project, &entity.name)?;
        return Ok(Some(HoverResult { range, markdown: entity_markdown(entity, &matrix, audit.as_ref(), &findings) }));
    }
    if model.personas.contains(&word) {
        return Ok(Some(HoverResult { range, markdown: persona_markdown(&word, &model, &matrix) }));
    }
    Ok(field_owner.map(|(owner, field)| HoverResult { range, markdown: field_markdown(owner, field) }))
}

/// A field: its entity, type, target and modifiers, PII arguments spelled out.
fn field_markdown(owner: &LinkedEntity, field: &FieldItem) -> String {
    let mut ty = if field.ty.is_empty() { "?".to_owned() } else { field.ty.clone() };
    if let Some(target) = &field.target {
        write!(ty, " {target}").unwrap();
    }
    let mut out = format!("**field `{}.{}`**: `{ty}`", owner.name, field.name);
    if !field.modifiers.is_empty() {
        write!(out, "\n\nmodifiers: {}", field.modifiers.join(", ")).unwrap();
    }
    if !field.pii_args.is_empty() {
        let args: Vec<String> = field.pii_args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        write!(out, "\n\npersonal data: {}", args.join(", ")).unwrap();
    }
    out
}

fn in_name(token: &dazzle_syntax::SyntaxToken) -> bool {
    token.parent().is_some_and(|p| matches!(p.kind(), SyntaxKind::NAME | SyntaxKind::NAME_REF))
}

/// The messages of the rules that fired on the entity (caveats for the reader of the matrix).
fn entity_notes(analysis: &Analysis, project: ProjectId, entity: &LinkedEntity) -> Cancellable<Vec<String>> {
    let Some(source) = entity.file else { return Ok(Vec::new()) };
    let Some(file) = analysis.file_id(source) else { return Ok(Vec::new()) };
    let diagnostics = analysis.file_diagnostics(project, file)?;
    let name = format!("'{}'", entity.name);
    let dotted = format!("{}.", entity.name);
    Ok(diagnostics
        .into_iter()
        .filter(|d| d.message.contains(&name) || d.message.contains(&dotted))
        .map(|d| format!("`{}`: {}", d.code, d.message))
        .collect())
}

fn cell(entity: &LinkedEntity, decision: Decision, role: &str, op: Operation) -> String {
    let name = decision.as_str();
    match row_filter(entity, role, op, decision).filter(|_| decision == Decision::PermitScoped) {
        Some(filter) => format!("{name} `{}`", filter.replace('|', "\\|")),
        None => name.to_owned(),
    }
}

/// The entity's rows as a Markdown table, then audit, personal data and caveats.
pub(crate) fn entity_markdown(
    entity: &LinkedEntity,
    matrix: &Matrix,
    audit: Option<&AuditCoverage>,
    notes: &[String],
) -> String {
    let mut out = format!("**entity `{}`** — static RBAC matrix\n\n", entity.name);
    let Some(rows) = matrix.entities.iter().find(|e| e.entity == entity.name) else { return out };
    if matrix.roles.is_empty() {
        out.push_str("*No personas are declared, so the matrix has no columns.*\n");
    } else {
        let _ = writeln!(out, "| operation | {} |", matrix.roles.join(" | "));
        let _ = writeln!(out, "| --- |{}", " --- |".repeat(matrix.roles.len()));
        for op in Operation::ALL {
            let cells: Vec<String> =
                matrix.roles.iter().enumerate().map(|(r, role)| cell(entity, rows.get(r, op), role, op)).collect();
            let _ = writeln!(out, "| {op} | {} |", cells.join(" | "));
        }
    }
    out.push('\n');
    let audit = audit.map_or_else(|| "no `audit:`".to_owned(), audit_summary);
    let personal: Vec<&str> = entity
        .fields
        .iter()
        .filter(|f| f.modifiers.iter().any(|m| m == "pii" || m == "sensitive"))
        .map(|f| f.name.as_str())
        .collect();
    let _ = write!(out, "{} fields · {audit}", entity.fields.len());
    if !personal.is_empty() {
        let _ = write!(out, " · personal or sensitive: {}", personal.join(", "));
    }
    out.push('\n');
    if !notes.is_empty() {
        out.push_str("\n**Caveats**\n\n");
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

/// How an entity is audited, in a few words.
fn audit_summary(audit: &AuditCoverage) -> String {
    let what = match &audit.operations {
        None => "not audited".to_owned(),
        Some(ops) if ops.is_empty() => "audited: every operation".to_owned(),
        Some(ops) => format!("audited: {}", ops.join(", ")),
    };
    let why = match audit.source {
        AuditSource::Directive(0) if audit.operations.is_none() => " (`audit: false`)".to_owned(),
        AuditSource::Directive(0) => String::new(),
        AuditSource::Directive(nth) => format!(" (the last of {} `audit:` lines)", nth + 1),
        AuditSource::SignableDefault => " (signable)".to_owned(),
        AuditSource::AppAuditTrail => " (the app's `audit_trail`)".to_owned(),
        AuditSource::Nothing => " (no `audit:`)".to_owned(),
    };
    format!("{what}{why}")
}

/// The persona's row across every entity it can reach.
pub(crate) fn persona_markdown(persona: &str, model: &ProjectModel, matrix: &Matrix) -> String {
    let mut out = format!("**persona `{persona}`** — what it may do (static RBAC matrix)\n\n");
    let Some(r) = matrix.roles.iter().position(|p| p == persona) else { return out };
    let mut lines = Vec::new();
    for rows in &matrix.entities {
        let decisions: Vec<Decision> = Operation::ALL.iter().map(|&op| rows.get(r, op)).collect();
        if decisions.iter().all(|d| *d == Decision::Deny) {
            continue;
        }
        let entity = model.entities.iter().find(|e| e.name == rows.entity);
        let cells: Vec<String> = Operation::ALL
            .iter()
            .zip(&decisions)
            .map(|(&op, &d)| entity.map_or_else(|| d.as_str().to_owned(), |e| cell(e, d, persona, op)))
            .collect();
        lines.push(format!("| {} | {} |", rows.entity, cells.join(" | ")));
    }
    if lines.is_empty() {
        out.push_str("*Denied everything on every entity.*\n");
        return out;
    }
    out.push_str("| entity | list | read | create | update | delete |\n| --- | --- | --- | --- | --- | --- |\n");
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A short explanation of a block keyword.
fn keyword_doc(word: &str) -> Option<&'static str> {
    Some(match word {
        "permit" => {
            "**permit:** who may perform each operation (`list`, `read`, `create`, `update`, `delete`). Rows are filtered by `scope:`, not here."
        }
        "forbid" => "**forbid:** denies an operation even where a `permit:` rule allows it (forbid beats permit).",
        "scope" => {
            "**scope:** which rows each persona sees or changes, per operation; `as:` names the personas, `all` means no filter. Without scope rules, permitted personas see every row."
        }
        "audit" => "**audit:** logs operations on the entity: `all`, `true`, `false`, or a list of operations.",
        "access" => "**access:** legacy shorthand for permissions; every value is a condition (no short forms).",
        "visible" => "**visible:** legacy visibility rules; the RBAC matrix ignores them.",
        "persona" => {
            "**persona** — a kind of user; each persona is a column of the RBAC matrix (its id, never its `role:`)."
        }
        "entity" => "**entity** — a record type; each entity is a row block of the RBAC matrix.",
        "as" => "**as:** the personas a scope rule applies to (`*` for everyone).",
        "role" => "**role(x)** — true for users holding persona `x`.",
        _ => return None,
    })
}
