//! Folding ranges, selection ranges and semantic tokens: views of the tree itself.

use dazzle_syntax::{NodeOrToken, SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::{Analysis, Cancellable, FileId};

/// Every line that owns an indented block folds to the block's last significant token.
pub fn folding_ranges(analysis: &Analysis, file: FileId) -> Cancellable<Vec<TextRange>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(Vec::new()) };
    let root = parse.syntax();
    let mut out = Vec::new();
    for node in root.descendants() {
        if node.children().any(|c| c.kind() == SyntaxKind::BLOCK) {
            let end = last_significant(&node).unwrap_or_else(|| node.text_range().end());
            out.push(TextRange::new(node.text_range().start(), end.max(node.text_range().start())));
        }
    }
    Ok(out)
}

fn last_significant(node: &SyntaxNode) -> Option<TextSize> {
    let mut end = None;
    for token in node.descendants_with_tokens().filter_map(NodeOrToken::into_token) {
        if !token.kind().is_trivia() && token.kind() != SyntaxKind::NEWLINE {
            end = Some(token.text_range().end());
        }
    }
    end
}

/// For each offset, the nested ranges around it, innermost first: word, then each
/// enclosing node (the line, its block, the construct, …).
pub fn selection_ranges(analysis: &Analysis, file: FileId, offsets: &[TextSize]) -> Cancellable<Vec<Vec<TextRange>>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(Vec::new()) };
    let root = parse.syntax();
    Ok(offsets
        .iter()
        .map(|&offset| {
            let mut ranges = Vec::new();
            if let Some(token) = root.token_at_offset(offset.min(root.text_range().end())).right_biased() {
                ranges.push(token.text_range());
                for node in token.parent_ancestors() {
                    let range = node.text_range();
                    if ranges.last() != Some(&range) {
                        ranges.push(range);
                    }
                }
            }
            ranges
        })
        .collect())
}

/// Semantic token types, in legend order.
pub const SEMANTIC_TOKEN_TYPES: &[&str] =
    &["keyword", "comment", "string", "number", "operator", "type", "property", "variable", "function"];

/// A highlighted range and its index in [`SEMANTIC_TOKEN_TYPES`].
pub type SemanticToken = (TextRange, u32);

/// The semantic tokens of `range` of a file (the whole file when `None`).
pub fn semantic_tokens(analysis: &Analysis, file: FileId, range: Option<TextRange>) -> Cancellable<Vec<SemanticToken>> {
    let Some(parse) = analysis.parse(file)? else { return Ok(Vec::new()) };
    let root = parse.syntax();
    let green = root.green().into_owned();
    let mut out = Vec::new();
    let mut idents = Vec::new();
    dazzle_syntax::for_each_token(&green, |kind, r, _| {
        if range.is_some_and(|wanted| r.end() <= wanted.start() || r.start() >= wanted.end()) {
            return;
        }
        let class = match kind {
            SyntaxKind::KEYWORD => Some(0),
            SyntaxKind::COMMENT => Some(1),
            SyntaxKind::STRING => Some(2),
            SyntaxKind::NUMBER | SyntaxKind::DURATION => Some(3),
            SyntaxKind::ARROW
            | SyntaxKind::L_ARROW
            | SyntaxKind::BI_ARROW
            | SyntaxKind::EQ
            | SyntaxKind::NEQ
            | SyntaxKind::GT
            | SyntaxKind::LT
            | SyntaxKind::GTEQ
            | SyntaxKind::LTEQ => Some(4),
            SyntaxKind::IDENT => {
                idents.push(r);
                None
            }
            _ => None,
        };
        if let Some(class) = class {
            out.push((r, class));
        }
    });
    for r in idents {
        let Some(token) = root.covering_element(r).into_token() else { continue };
        let Some(parent) = token.parent() else { continue };
        let grand = parent.parent().map(|g| g.kind());
        let class = match (parent.kind(), grand) {
            (SyntaxKind::NAME, Some(SyntaxKind::ENTITY | SyntaxKind::ARCHETYPE)) => Some(5),
            (SyntaxKind::NAME_REF, Some(SyntaxKind::FIELD_TYPE)) => Some(5),
            (SyntaxKind::NAME, Some(SyntaxKind::FIELD)) | (SyntaxKind::KEY, _) => Some(6),
            (SyntaxKind::NAME, Some(SyntaxKind::PERSONA)) => Some(7),
            (SyntaxKind::NAME_REF, Some(SyntaxKind::ROLE_CHECK)) => Some(7),
            (SyntaxKind::NAME_REF, Some(SyntaxKind::NAME_LIST)) if in_kind(&parent, SyntaxKind::AS_CLAUSE) => Some(7),
            (SyntaxKind::CALL_EXPR, _) => Some(8),
            _ => None,
        };
        if let Some(class) = class {
            out.push((r, class));
        }
    }
    out.sort_by_key(|(r, _)| r.start());
    Ok(out)
}

fn in_kind(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    node.ancestors().take(3).any(|n| n.kind() == kind)
}
