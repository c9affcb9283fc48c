//! Go to definition: from a name to where it is declared, across the project's files.

use dazzle_analysis::db::{Db, item_index};
use dazzle_analysis::diagnostics::Locator;
use dazzle_analysis::locate::locate;
use dazzle_syntax::{SyntaxKind, SyntaxToken, TextRange, TextSize};

use crate::references::enclosing_entity;

use crate::{Analysis, Cancellable, FileId, ProjectId};

/// Where a name is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationTarget {
    /// The file.
    pub file: FileId,
    /// The name's range in it.
    pub range: TextRange,
}

/// The identifier token at `offset` (or just before it).
pub(crate) fn ident_at(analysis: &Analysis, file: FileId, offset: TextSize) -> Cancellable<Option<SyntaxToken>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(None) };
    let root = parse.syntax();
    let token = root.token_at_offset(offset);
    Ok(token
        .clone()
        .find(|t| matches!(t.kind(), SyntaxKind::IDENT | SyntaxKind::KEYWORD))
        .or_else(|| token.left_biased()))
}

/// The declaration of the name under the cursor: entities, personas and every other named
/// top-level definition (names are global per kind, dsl-syntax §4); a field name inside an
/// entity resolves to the field.
pub fn goto_definition(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    offset: TextSize,
) -> Cancellable<Vec<NavigationTarget>> {
    let Some(token) = ident_at(analysis, file, offset)? else { return Ok(Vec::new()) };
    if token.kind() != SyntaxKind::IDENT {
        return Ok(Vec::new());
    }
    let name = token.text().to_owned();
    let files = analysis.project_files(project);
    analysis.with_db(|db| {
        let mut targets = Vec::new();
        for &id in &files {
            let Some(source) = analysis.source_file(id) else { continue };
            let index = item_index(db as &dyn Db, source);
            if index.definitions.iter().any(|(_, n)| *n == name) {
                let tree = dazzle_analysis::db::parse(db, source).tree();
                let range = locate(&tree, &Locator::Definition(name.clone()));
                if !range.is_empty() {
                    targets.push(NavigationTarget { file: id, range });
                }
            }
        }
        if targets.is_empty()
            && let Some(entity) = enclosing_entity(&token)
        {
            let tree = dazzle_analysis::db::parse(db, analysis.source_file(file).expect("file exists")).tree();
            let range = locate(&tree, &Locator::Field { entity, field: name.clone() });
            if !range.is_empty() && range != token.text_range() {
                targets.push(NavigationTarget { file, range });
            }
        }
        targets
    })
}
