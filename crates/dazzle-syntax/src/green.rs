//! Reading the green tree directly, for passes over whole files that need kinds and texts but
//! no positions: no red-tree cursor is allocated, counted or freed per node visited. Each
//! function answers as the typed view of the same name in [`crate::ast`] does.

use rowan::{GreenNodeData, GreenTokenData, NodeOrToken};

use crate::SyntaxKind;

/// The kind of a green node.
pub fn kind(node: &GreenNodeData) -> SyntaxKind {
    SyntaxKind::from_raw(node.kind().0).unwrap_or(SyntaxKind::ERROR)
}

/// The kind of a green token.
pub fn token_kind(token: &GreenTokenData) -> SyntaxKind {
    SyntaxKind::from_raw(token.kind().0).unwrap_or(SyntaxKind::ERROR_TOKEN)
}

/// The child nodes, in order.
pub fn child_nodes(node: &GreenNodeData) -> impl Iterator<Item = &GreenNodeData> {
    node.children().filter_map(NodeOrToken::into_node)
}

/// The first child node of `kind`.
pub fn child_node(node: &GreenNodeData, kind: SyntaxKind) -> Option<&GreenNodeData> {
    child_nodes(node).find(|n| self::kind(n) == kind)
}

/// The texts of the child tokens of `kind`, in order.
pub fn child_tokens(node: &GreenNodeData, kind: SyntaxKind) -> impl Iterator<Item = &str> {
    node.children().filter_map(NodeOrToken::into_token).filter(move |t| token_kind(t) == kind).map(|t| t.text())
}

/// The text of the first child token of `kind` (`ast`'s `token`; `KEYWORD` for `keyword()`).
pub fn child_token(node: &GreenNodeData, kind: SyntaxKind) -> Option<&str> {
    child_tokens(node, kind).next()
}

/// The lines of the node's block: the child nodes of its first `BLOCK` child.
pub fn block_lines(node: &GreenNodeData) -> impl Iterator<Item = &GreenNodeData> {
    child_node(node, SyntaxKind::BLOCK).into_iter().flat_map(child_nodes)
}

/// The text of the first identifier token below the node, in text order. Recursive, with no
/// stack to allocate: the parser bounds how deep trees nest.
pub fn first_ident(node: &GreenNodeData) -> Option<&str> {
    node.children().find_map(|child| match child {
        NodeOrToken::Node(child) => first_ident(child),
        NodeOrToken::Token(token) => (token_kind(token) == SyntaxKind::IDENT).then(|| token.text()),
    })
}

/// The identifier inside the first child node of `kind` (`NAME`, `NAME_REF`, `KEY`).
pub fn ident_in(node: &GreenNodeData, kind: SyntaxKind) -> Option<&str> {
    child_node(node, kind).and_then(first_ident)
}

/// The text of the node's first token, reached through first children (rowan's
/// `first_token`: `None` when the first child is an empty node).
pub fn first_token(node: &GreenNodeData) -> Option<&str> {
    match node.children().next()? {
        NodeOrToken::Node(child) => first_token(child),
        NodeOrToken::Token(token) => Some(token.text()),
    }
}

/// The text of the node's last token, reached through last children (`None` when the last
/// child is an empty node).
pub fn last_token(node: &GreenNodeData) -> Option<&str> {
    match node.children().last()? {
        NodeOrToken::Node(child) => last_token(child),
        NodeOrToken::Token(token) => Some(token.text()),
    }
}

/// The node's whole text, trivia included.
pub fn text(node: &GreenNodeData) -> String {
    let mut out = String::with_capacity(u32::from(node.text_len()) as usize);
    crate::for_each_token(node, |_, _, text| out.push_str(text));
    out
}

/// Every node below `node` (itself included), in preorder.
pub fn descendants(node: &GreenNodeData) -> impl Iterator<Item = &GreenNodeData> {
    let mut stack = vec![node];
    std::iter::from_fn(move || {
        let next = stack.pop()?;
        let len = stack.len();
        stack.extend(child_nodes(next));
        stack[len..].reverse();
        Some(next)
    })
}
