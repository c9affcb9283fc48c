//! Completion, from the grammar tables of the project's dialect and the project model: the
//! constructs at the top level (and an entity skeleton with its access blocks), entity keys,
//! field types and modifiers, `ref` targets, personas in `role(…)`, `persona(…)` and `as:`,
//! operations in `permit:` / `scope:` / `forbid:`, the entity's fields in scope conditions, and
//! after `current_user.` the user's attributes (those the project already uses, and the fields
//! of its `User` entity).

use dazzle_syntax::{TextSize, construct_keywords, entity_keys, field_modifiers, field_types};

use crate::references::enclosing_entity;
use crate::{Analysis, Cancellable, FileId, ProjectId};

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A language keyword.
    Keyword,
    /// An entity name.
    Entity,
    /// A persona name.
    Persona,
    /// A field of the entity in scope.
    Field,
    /// A whole block, as an LSP snippet with `$1`-style placeholders.
    Snippet,
}

/// One proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    /// The text shown and, unless `snippet` is set, inserted.
    pub label: String,
    /// Kind.
    pub kind: CompletionKind,
    /// Extra text shown beside the label.
    pub detail: Option<String>,
    /// Snippet text to insert instead of the label.
    pub snippet: Option<String>,
}

const OPERATIONS: &[&str] = &["list", "read", "create", "update", "delete"];

/// The proposals at `offset` (the client filters them by the word being typed).
pub fn completions(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
) -> Cancellable<Vec<CompletionItem>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(Vec::new()) };
    let Some(model) = analysis.project_model(project)? else { return Ok(Vec::new()) };
    let Some(text) = analysis.file_text(file)? else { return Ok(Vec::new()) };
    let root = parse.syntax();
    let at = usize::from(offset).min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let typed = &text[line_start..at];
    // The line up to the word being typed.
    let before = typed.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    let indent = before.len() - before.trim_start().len();
    let head = before.trim_start();

    let personas = || model.personas.iter().map(|p| item(p, CompletionKind::Persona, Some("persona")));
    let entities =
        || model.entities.iter().filter(|e| !e.injected).map(|e| item(&e.name, CompletionKind::Entity, Some("entity")));

    if head.ends_with("current_user.") {
        return user_attributes(analysis, project, &model);
    }
    if inside_call(head, "role(") || inside_call(head, "persona(") || head.starts_with("as:") {
        return Ok(personas().collect());
    }
    let last_word = head.split_whitespace().last().unwrap_or("");
    if head.ends_with(' ')
        && (matches!(last_word, "ref" | "has_many" | "has_one" | "belongs_to" | "embeds" | "poly_ref")
            || head.starts_with("uses entity")
            || head.starts_with("source:"))
    {
        return Ok(entities().collect());
    }
    if indent == 0 && head.is_empty() {
        let mut out: Vec<CompletionItem> =
            construct_keywords(model.dialect).map(|k| item(k, CompletionKind::Keyword, Some("construct"))).collect();
        out.push(CompletionItem {
            label: "entity with access rules".to_owned(),
            kind: CompletionKind::Snippet,
            detail: Some("entity, permit:, scope:, audit:".to_owned()),
            snippet: Some(entity_snippet(&model.personas)),
        });
        return Ok(out);
    }

    let token = root.token_at_offset(offset).left_biased();
    let Some(entity) = token.as_ref().and_then(enclosing_entity) else { return Ok(Vec::new()) };
    let fields = model.entities.iter().find(|e| e.name == entity).map(|e| e.fields.clone()).unwrap_or_default();
    let block = enclosing_block(&text[..line_start], indent);
    match (block.as_deref(), head) {
        (Some("permit" | "scope" | "forbid"), "") => {
            Ok(OPERATIONS.iter().map(|o| item(&format!("{o}:"), CompletionKind::Keyword, Some("operation"))).collect())
        }
        (Some("permit" | "forbid"), _) if is_operation_key(head) => {
            let mut out: Vec<CompletionItem> =
                personas().map(|p| CompletionItem { label: format!("role({})", p.label), ..p }).collect();
            out.push(item("authenticated", CompletionKind::Keyword, Some("any signed-in user")));
            Ok(out)
        }
        (Some("scope"), _) if is_operation_key(head) || head.ends_with(' ') => {
            let mut out: Vec<CompletionItem> =
                fields.iter().map(|f| item(&f.name, CompletionKind::Field, Some(&f.ty))).collect();
            out.push(item("current_user", CompletionKind::Keyword, Some("the signed-in user")));
            out.push(item("all", CompletionKind::Keyword, Some("every row")));
            Ok(out)
        }
        (Some("audit"), _) | (None, _) if head.starts_with("audit:") => {
            let mut out = vec![item("all", CompletionKind::Keyword, None)];
            out.extend(OPERATIONS.iter().map(|o| item(o, CompletionKind::Keyword, Some("operation"))));
            Ok(out)
        }
        (None, "") => {
            Ok(entity_keys().map(|k| item(&format!("{k}:"), CompletionKind::Keyword, Some("entity key"))).collect())
        }
        (None, _) if head.split_once(':').is_some_and(|(key, _)| !entity_keys().any(|k| k == key.trim())) => {
            let after_colon = head.split_once(':').map_or("", |(_, rest)| rest).trim();
            if after_colon.is_empty() {
                Ok(field_types().iter().map(|t| item(t, CompletionKind::Keyword, Some("type"))).collect())
            } else {
                Ok(field_modifiers().iter().map(|m| item(m, CompletionKind::Keyword, Some("modifier"))).collect())
            }
        }
        _ => Ok(Vec::new()),
    }
}

/// The attributes offered after `current_user.`: `id`, every `current_user.<name>` written in
/// the project, and the fields of an entity named `User`.
fn user_attributes(
    analysis: &Analysis,
    project: ProjectId,
    model: &dazzle_analysis::model::ProjectModel,
) -> Cancellable<Vec<CompletionItem>> {
    let mut names: Vec<String> = vec!["id".to_owned()];
    for file in analysis.project_files(project) {
        let Some(text) = analysis.file_text(file)? else { continue };
        for (at, _) in text.match_indices("current_user.") {
            let rest = &text[at + "current_user.".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let user_fields = model.entities.iter().filter(|e| e.name == "User").flat_map(|e| e.fields.iter());
    for field in user_fields {
        if !names.contains(&field.name) {
            names.push(field.name.clone());
        }
    }
    Ok(names.iter().map(|n| item(n, CompletionKind::Field, Some("user attribute"))).collect())
}

fn item(label: &str, kind: CompletionKind, detail: Option<&str>) -> CompletionItem {
    CompletionItem { label: label.to_owned(), kind, detail: detail.map(str::to_owned), snippet: None }
}

/// Whether the text ends inside an unclosed `call(`.
fn inside_call(head: &str, call: &str) -> bool {
    head.rfind(call).is_some_and(|i| !head[i..].contains(')'))
}

fn is_operation_key(head: &str) -> bool {
    OPERATIONS.iter().any(|o| head.strip_prefix(o).is_some_and(|rest| rest.starts_with(':')))
}

/// The key of the nearest line above with less indentation than `indent`, inside the entity
/// (`None` when that line is the entity header itself).
fn enclosing_block(above: &str, indent: usize) -> Option<String> {
    for line in above.lines().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own = line.len() - trimmed.len();
        if own < indent {
            if own == 0 {
                return None;
            }
            let key = trimmed.split(|c: char| c == ':' || c.is_whitespace()).next().unwrap_or("");
            return Some(key.to_owned());
        }
    }
    None
}

/// An entity with a primary key and permit/scope/audit skeletons for the first persona.
fn entity_snippet(personas: &[String]) -> String {
    let persona = personas.first().map_or("admin", String::as_str);
    format!(
        "entity ${{1:Name}} \"${{2:Title}}\":\n  id: uuid pk\n  $0\n\n  permit:\n    list: role(${{3:{persona}}})\n    read: role(${{3:{persona}}})\n\n  scope:\n    list: all\n      as: ${{3:{persona}}}\n    read: all\n      as: ${{3:{persona}}}\n\n  audit: all\n"
    )
}
