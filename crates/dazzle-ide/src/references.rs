//! Find references and rename: entities and every other named definition (names are global
//! per kind), personas (in `role(…)`, `as:`, `persona(…)` and persona definitions), and fields
//! (within their entity).

use dazzle_analysis::db::{Db, item_index, parse};
use dazzle_syntax::{NodeOrToken, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};

use crate::navigation::ident_at;
use crate::{Analysis, Cancellable, FileId, ProjectId};

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The file.
    pub file: FileId,
    /// The name's range.
    pub range: TextRange,
    /// Whether this occurrence declares the name.
    pub is_definition: bool,
}

/// What a name under the cursor stands for.
enum Target {
    /// A persona.
    Persona(String),
    /// Any other top-level definition (entity, surface, …).
    Definition(String),
    /// A field of an entity.
    Field { entity: String, field: String },
}

/// Every occurrence of the symbol under the cursor, definitions included, across the project.
pub fn references(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
) -> Cancellable<Vec<Reference>> {
    let Some(token) = ident_at(analysis, file, offset)? else { return Ok(Vec::new()) };
    if token.kind() != SyntaxKind::IDENT {
        return Ok(Vec::new());
    }
    let name = token.text().to_owned();
    let files = analysis.project_files(project);
    let Some(model) = analysis.project_model(project)? else { return Ok(Vec::new()) };
    let target = if model.personas.contains(&name) && persona_context(&token) {
        Target::Persona(name)
    } else if let Some(entity) = enclosing_entity(&token)
        && model.entities.iter().any(|e| e.name == entity && e.fields.iter().any(|f| f.name == name))
    {
        Target::Field { entity, field: name }
    } else {
        let defined = analysis.with_db(|db| {
            files
                .iter()
                .filter_map(|&f| analysis.source_file(f))
                .any(|s| item_index(db as &dyn Db, s).definitions.iter().any(|(_, n)| *n == name))
        })?;
        if !defined {
            return Ok(Vec::new());
        }
        Target::Definition(name)
    };
    analysis.with_db(|db| {
        let mut out = Vec::new();
        for &id in &files {
            let Some(source) = analysis.source_file(id) else { continue };
            let root = parse(db, source).syntax();
            collect(&root, &target, id, &mut out);
        }
        out
    })
}

fn collect(root: &SyntaxNode, target: &Target, file: FileId, out: &mut Vec<Reference>) {
    let name = match target {
        Target::Persona(n) | Target::Definition(n) => n.as_str(),
        Target::Field { field, .. } => field.as_str(),
    };
    let green = root.green().into_owned();
    let mut candidates = Vec::new();
    dazzle_syntax::for_each_token(&green, |kind, range, text| {
        if kind == SyntaxKind::IDENT && text == name {
            candidates.push(range);
        }
    });
    for range in candidates {
        let Some(token) = root.covering_element(range).into_token() else { continue };
        let parent = token.parent().map(|p| p.kind());
        let definition = parent == Some(SyntaxKind::NAME);
        let keep = match target {
            Target::Persona(_) => persona_context(&token),
            Target::Definition(_) => true,
            Target::Field { entity, .. } => enclosing_entity(&token).as_deref() == Some(entity.as_str()),
        };
        if keep {
            out.push(Reference { file, range, is_definition: definition });
        }
    }
}

/// Whether an identifier stands for a persona where it is.
fn persona_context(token: &SyntaxToken) -> bool {
    token.parent_ancestors().take(4).any(|n| {
        matches!(
            n.kind(),
            SyntaxKind::ROLE_CHECK | SyntaxKind::AS_CLAUSE | SyntaxKind::ACCESS_SPEC | SyntaxKind::PERSONA
        )
    })
}

/// The name of the entity whose body holds `token`.
pub(crate) fn enclosing_entity(token: &SyntaxToken) -> Option<String> {
    let entity = token.parent_ancestors().find(|n| n.kind() == SyntaxKind::ENTITY)?;
    let name = entity.children().find(|n| n.kind() == SyntaxKind::NAME)?;
    name.children_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .find(|t| t.kind() == SyntaxKind::IDENT)
        .map(|t| t.text().to_owned())
}

/// The range a rename would start from, if the cursor is on a renameable name.
pub fn prepare_rename(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
) -> Cancellable<Option<TextRange>> {
    let Some(token) = ident_at(analysis, file, offset)? else { return Ok(None) };
    let found = references(analysis, project, file, offset)?;
    Ok(found.iter().any(|r| r.file == file && r.range == token.text_range()).then(|| token.text_range()))
}

/// The occurrences to replace with `new_name` to rename the symbol under the cursor: `Err`
/// with a reason when the new name is not a valid Dazzle identifier.
pub fn rename(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
    new_name: &str,
) -> Cancellable<Result<Vec<Reference>, String>> {
    let mut chars = new_name.chars();
    let valid =
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_');
    if !valid {
        return Ok(Err(format!("`{new_name}` is not a Dazzle identifier")));
    }
    if dazzle_syntax::keywords::is_keyword_in_both(new_name) {
        return Ok(Err(format!("`{new_name}` is a Dazzle keyword")));
    }
    Ok(Ok(references(analysis, project, file, offset)?))
}
