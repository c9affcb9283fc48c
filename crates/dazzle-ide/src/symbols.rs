//! Document symbols: a clean outline — constructs, then their fields and blocks (never the
//! rule lines of access blocks as if they were fields).

use dazzle_syntax::{AstNode, Construct, Field, SyntaxKind, SyntaxNode, TextRange};

use crate::{Analysis, Cancellable, FileId};

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A top-level construct (entity, surface, persona, …).
    Construct,
    /// An entity field.
    Field,
    /// A block of a construct (`permit:`, `scope:`, `transitions:`, …).
    Block,
}

/// One outline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Shown name.
    pub name: String,
    /// Extra text (the construct keyword, the field type).
    pub detail: Option<String>,
    /// Kind.
    pub kind: SymbolKind,
    /// The whole item.
    pub range: TextRange,
    /// The name.
    pub selection: TextRange,
    /// Nested symbols.
    pub children: Vec<Symbol>,
}

/// The outline of a file.
pub fn document_symbols(analysis: &Analysis, file: FileId) -> Cancellable<Vec<Symbol>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(Vec::new()) };
    Ok(parse.tree().constructs().map(|c| construct_symbol(&c)).collect())
}

fn construct_symbol(c: &Construct) -> Symbol {
    let keyword = c.keyword().map(|k| k.text().to_owned());
    let name_node = c.syntax().children().find(|n| n.kind() == SyntaxKind::NAME);
    let name = c.name_text().or_else(|| keyword.clone()).unwrap_or_default();
    let mut children = Vec::new();
    for line in c.lines() {
        if let Some(field) = Field::cast(line.clone()) {
            let Some(name) = field.name() else { continue };
            children.push(Symbol {
                name: name.text().to_owned(),
                detail: field.ty().and_then(|t| t.keyword()).map(|k| k.text().to_owned()),
                kind: SymbolKind::Field,
                range: trimmed(&line),
                selection: name.text_range(),
                children: Vec::new(),
            });
        } else if matches!(
            line.kind(),
            SyntaxKind::ACCESS_BLOCK | SyntaxKind::SCOPE_BLOCK | SyntaxKind::TRANSITIONS | SyntaxKind::SUB_BLOCK
        ) || (line.kind() == SyntaxKind::PROPERTY && line.children().any(|n| n.kind() == SyntaxKind::BLOCK))
        {
            let Some(first) = line.first_token() else { continue };
            let label = match line.children().find(|n| n.kind() == SyntaxKind::NAME) {
                Some(name) => name.text().to_string(),
                None => format!("{}:", first.text()),
            };
            children.push(Symbol {
                name: label,
                detail: None,
                kind: SymbolKind::Block,
                range: trimmed(&line),
                selection: first.text_range(),
                children: Vec::new(),
            });
        }
    }
    Symbol {
        name,
        detail: keyword,
        kind: SymbolKind::Construct,
        range: trimmed(c.syntax()),
        selection: name_node.map_or_else(|| c.syntax().text_range(), |n| n.text_range()),
        children,
    }
}

/// A node's range without trailing trivia and newlines.
fn trimmed(node: &SyntaxNode) -> TextRange {
    let start = node.text_range().start();
    let mut end = start;
    for token in node.descendants_with_tokens().filter_map(|e| e.into_token()) {
        if !token.kind().is_trivia() && token.kind() != SyntaxKind::NEWLINE {
            end = token.text_range().end();
        }
    }
    TextRange::new(start, end.max(start))
}
