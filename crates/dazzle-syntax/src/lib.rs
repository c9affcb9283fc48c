//! `dazzle-syntax`: the lossless, error-tolerant syntax tree of the Dazzle DSL.
//!
//! Text goes in, a rowan green tree and a list of [`SyntaxError`]s come out; parsing never
//! fails and the tree's text is always exactly the input. Both dialects are understood:
//! 0.112 (the upstream head, in which nearly all real files are written) and 0.125 (the
//! released package, which removed 25 constructs).
//!
//! This crate must not know: salsa or any incremental engine, LSP, serde or any output
//! format, the file system or IO, other files, modules or the project. It sees one text.

mod ast;
mod dialect;
mod error;
mod grammar;
pub mod green;
mod green_builder;
pub mod keywords;
mod lexer;
mod line_lexer;
mod line_memo;
mod parser;
mod pieces;
mod reparse;
mod syntax_kind;
#[cfg(test)]
mod test_fixtures;
#[cfg(test)]
mod test_line_files;

pub use ast::*;
pub use dialect::Dialect;
pub use error::{Severity, SyntaxError};
pub use grammar::{construct_keywords, entity_keys, field_modifiers, field_types};
pub use lexer::{Lexed, Token, lex};
pub use parser::indent_width;
pub use rowan::{GreenNode, GreenNodeData, NodeOrToken, TextRange, TextSize, WalkEvent};
pub use syntax_kind::SyntaxKind;

/// The rowan language tag of Dazzle trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DazzleLanguage {}

impl rowan::Language for DazzleLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        SyntaxKind::from_raw(raw.0).unwrap_or(SyntaxKind::ERROR)
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

/// A node of a Dazzle syntax tree (a red-tree cursor; `!Send`, rebuild it from the green node).
pub type SyntaxNode = rowan::SyntaxNode<DazzleLanguage>;
/// A token of a Dazzle syntax tree.
pub type SyntaxToken = rowan::SyntaxToken<DazzleLanguage>;
/// A node or a token.
pub type SyntaxElement = rowan::SyntaxElement<DazzleLanguage>;

/// The result of parsing one file: the green tree and every diagnostic found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The immutable, thread-safe green tree.
    pub fn green(&self) -> &GreenNode {
        &self.green
    }

    /// A fresh red tree over the green one.
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed root.
    pub fn tree(&self) -> SourceFile {
        SourceFile::cast(self.syntax()).expect("the root is always a SOURCE_FILE")
    }

    /// Lexical and syntax diagnostics, in text order.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Whether `other` is this very tree in memory (a clone of it), not only an equal one:
    /// a constant-time test, where `==` compares node by node.
    pub fn is_same_tree(&self, other: &Parse) -> bool {
        std::ptr::eq::<rowan::GreenNodeData>(&*self.green, &*other.green)
    }

    /// Splits the parse into its tree and its diagnostics.
    pub fn into_parts(self) -> (GreenNode, Vec<SyntaxError>) {
        (self.green, self.errors)
    }

    /// The tree in the `KIND@start..end` debug form, tokens with their text as Rust string
    /// literals, one element per line, indented by depth.
    pub fn debug_tree(&self) -> String {
        debug_dump(&self.syntax())
    }
}

/// Parses one Dazzle file. Never fails; `parse(t).syntax().to_string() == t` always holds.
pub fn parse(text: &str, dialect: Dialect) -> Parse {
    let (green, mut errors) = pieces::parse(text, dialect);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse { green, errors }
}

/// Calls `f` with the kind, range and text of every token of a green tree, in order, without
/// building red-tree cursors (no allocation per token): the fast path for whole-file scans.
pub fn for_each_token<'a>(green: &'a rowan::GreenNodeData, mut f: impl FnMut(SyntaxKind, TextRange, &'a str)) {
    // Deep enough for any real file: growing the stack would cost more than the walk of a line.
    let mut stack = Vec::with_capacity(16);
    stack.push(green.children());
    let mut offset = TextSize::new(0);
    while let Some(children) = stack.last_mut() {
        match children.next() {
            Some(rowan::NodeOrToken::Node(node)) => stack.push(node.children()),
            Some(rowan::NodeOrToken::Token(token)) => {
                let len = TextSize::of(token.text());
                let kind = SyntaxKind::from_raw(token.kind().0).unwrap_or(SyntaxKind::ERROR_TOKEN);
                f(kind, TextRange::at(offset, len), token.text());
                offset += len;
            }
            None => {
                stack.pop();
            }
        }
    }
}

/// `KIND@start..end` per node and token, one per line, indented two spaces per level.
pub fn debug_dump(node: &SyntaxNode) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut depth = 0usize;
    for event in node.preorder_with_tokens() {
        match event {
            rowan::WalkEvent::Enter(element) => {
                let range = element.text_range();
                let indent = "  ".repeat(depth);
                let _ = match &element {
                    rowan::NodeOrToken::Node(n) => {
                        writeln!(out, "{indent}{:?}@{:?}", n.kind(), range)
                    }
                    rowan::NodeOrToken::Token(t) => {
                        writeln!(out, "{indent}{:?}@{:?} {:?}", t.kind(), range, t.text())
                    }
                };
                if element.as_node().is_some() {
                    depth += 1;
                }
            }
            rowan::WalkEvent::Leave(element) => {
                if element.as_node().is_some() {
                    depth -= 1;
                }
            }
        }
    }
    out
}
