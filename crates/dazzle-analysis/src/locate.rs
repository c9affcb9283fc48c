//! Turning offset-free locators and fix specs into ranges and edits in a file's current tree.

use std::cell::OnceCell;

use rustc_hash::FxHashMap;

use dazzle_syntax::{
    AstNode, Construct, GreenNodeData, NodeOrToken, SourceFile as Tree, SyntaxKind, SyntaxNode, TextRange, TextSize,
    green,
};

use crate::access::Operation;
use crate::diagnostics::{Fix, FixSpec, Locator, TextEdit};
use crate::matrix::{Decider, decider};
use crate::model::LinkedEntity;

/// Where the decision of (`role`, `op`) on `entity` is made: the forbid that denies it, the
/// scope rule that filters it, the permit that grants it — or the entity's name.
pub fn cell_locator(entity: &LinkedEntity, role: &str, op: Operation) -> Locator {
    match decider(entity.access.as_deref(), role, op) {
        Decider::Entity => Locator::Definition(entity.name.clone()),
        Decider::Rule(block, nth) => Locator::AccessRule { entity: entity.name.clone(), block, nth },
        Decider::Scope(nth) => Locator::ScopeRule { entity: entity.name.clone(), nth },
    }
}

/// The range a locator names in `tree`; the start of the file when it names nothing there.
pub fn locate(tree: &Tree, locator: &Locator) -> TextRange {
    Locations::new(tree).range(locator)
}

/// Builds the edits of a fix for a diagnostic at `range`.
pub fn fix(tree: &Tree, spec: &FixSpec, range: TextRange) -> Option<Fix> {
    Locations::new(tree).fix(spec, range)
}

/// Resolves many locators and fixes in one tree, finding its constructs by name once.
pub struct Locations<'t> {
    tree: &'t Tree,
    /// The first construct of each name, built on the first lookup.
    constructs: OnceCell<FxHashMap<String, Construct>>,
}

impl<'t> Locations<'t> {
    /// Locations in `tree`.
    pub fn new(tree: &'t Tree) -> Locations<'t> {
        Locations { tree, constructs: OnceCell::new() }
    }

    /// The range `locator` names; the start of the file when it names nothing here.
    pub fn range(&self, locator: &Locator) -> TextRange {
        self.find(locator).unwrap_or_else(|| TextRange::empty(TextSize::new(0)))
    }

    fn definition(&self, name: &str) -> Option<Construct> {
        let constructs = self.constructs.get_or_init(|| {
            let mut by_name = FxHashMap::default();
            for construct in self.tree.constructs() {
                if let Some(name) = construct.name_text() {
                    by_name.entry(name).or_insert(construct);
                }
            }
            by_name
        });
        constructs.get(name).cloned()
    }

    fn find(&self, locator: &Locator) -> Option<TextRange> {
        let tree = self.tree;
        match locator {
            Locator::File => None,
            Locator::Definition(name) => self
                .definition(name)
                .and_then(|c| c.syntax().children().find(|n| n.kind() == SyntaxKind::NAME))
                .map(|n| n.text_range()),
            Locator::DefinitionKey { name, key, nth } => {
                let construct = self.definition(name)?;
                construct.lines().filter(|l| first_word(l).as_deref() == Some(key)).nth(*nth).map(|l| line_range(&l))
            }
            Locator::AccessRule { entity, block, nth } => {
                access_rule(self.definition(entity)?, block, *nth).map(|l| line_range(&l))
            }
            Locator::RuleRole { entity, block, nth, role } => {
                let rule = access_rule(self.definition(entity)?, block, *nth)?;
                rule.descendants()
                    .filter(|n| n.kind() == SyntaxKind::ROLE_CHECK)
                    .flat_map(|n| n.descendants_with_tokens().filter_map(NodeOrToken::into_token).collect::<Vec<_>>())
                    .find(|t| t.kind() == SyntaxKind::IDENT && t.text() == role)
                    .map(|t| t.text_range())
                    .or_else(|| Some(line_range(&rule)))
            }
            Locator::ScopeRule { entity, nth } => scope_rule(self.definition(entity)?, *nth).map(|l| line_range(&l)),
            Locator::ScopeAs { entity, nth, persona } => {
                let rule = scope_rule(self.definition(entity)?, *nth)?;
                rule.descendants()
                    .filter(|n| n.kind() == SyntaxKind::AS_CLAUSE)
                    .flat_map(|n| n.descendants_with_tokens().filter_map(NodeOrToken::into_token).collect::<Vec<_>>())
                    .find(|t| t.text() == persona)
                    .map(|t| t.text_range())
                    .or_else(|| Some(line_range(&rule)))
            }
            Locator::Field { entity, field } => self
                .definition(entity)?
                .fields()
                .find(|f| f.name().is_some_and(|n| n.text() == field))
                .and_then(|f| f.name())
                .map(|t| t.text_range()),
            Locator::AppKey(key) => {
                let app = tree.app_decl()?;
                // The last line wins, as in the reference: that is the value in effect.
                let property = app.properties().filter(|p| p.key().is_some_and(|k| k.text() == key)).last();
                match property {
                    Some(p) => p.value().map(|v| trimmed(&v)).or_else(|| p.key().map(|k| k.text_range())),
                    None => app.name().map(|t| t.text_range()),
                }
            }
            Locator::BlockKey { block, key } => {
                let construct = tree.constructs().find(|c| first_word(c.syntax()).as_deref() == Some(block))?;
                let line = construct.lines().filter(|l| first_word(l).as_deref() == Some(key)).last();
                Some(line_range(&line.unwrap_or_else(|| construct.syntax().clone())))
            }
            Locator::NthLine { word, nth } => tree
                .syntax()
                .descendants()
                .filter(|n| is_line(n) && first_word(n).as_deref() == Some(word))
                .nth(*nth)
                .map(|l| line_range(&l)),
            Locator::Use(module) => tree
                .use_decls()
                .find(|u| u.module().is_some_and(|m| &m.text() == module))
                .and_then(|u| u.module())
                .map(|m| m.syntax().text_range()),
            Locator::Module => tree.module_decl().map(|m| line_range(m.syntax())),
            Locator::Reference { definition: name, target } => {
                let construct = self.definition(name)?;
                construct
                    .lines()
                    .flat_map(|l| l.descendants_with_tokens().filter_map(NodeOrToken::into_token).collect::<Vec<_>>())
                    .find(|t| t.kind() == SyntaxKind::IDENT && t.text() == target)
                    .map(|t| t.text_range())
            }
        }
    }

    /// Builds the edits of a fix for a diagnostic at `range`.
    pub fn fix(&self, spec: &FixSpec, range: TextRange) -> Option<Fix> {
        let tree = self.tree;
        match spec {
            FixSpec::Replace { label, text } => {
                Some(Fix { label: label.clone(), edits: vec![TextEdit { range, insert: text.clone() }] })
            }
            FixSpec::AppendToFile { label, text } => {
                let end = tree.syntax().text_range().end();
                let text_str = tree.syntax().to_string();
                let sep = if text_str.ends_with('\n') || text_str.is_empty() { "" } else { "\n" };
                Some(Fix {
                    label: label.clone(),
                    edits: vec![TextEdit { range: TextRange::empty(end), insert: format!("{sep}{text}") }],
                })
            }
            FixSpec::AppendToEntity { entity, label, lines } => {
                let construct = self.definition(entity)?;
                let body = construct.body()?;
                let indent = body_indent(body.syntax());
                let last = construct.lines().last()?;
                let end = last.text_range().end();
                let ends_with_newline = last.text().to_string().ends_with('\n');
                let mut insert = String::new();
                if !ends_with_newline {
                    insert.push('\n');
                }
                insert.push('\n');
                for line in lines {
                    insert.push_str(&indent);
                    insert.push_str(line);
                    insert.push('\n');
                }
                Some(Fix { label: label.clone(), edits: vec![TextEdit { range: TextRange::empty(end), insert }] })
            }
        }
    }
}

fn is_line(node: &SyntaxNode) -> bool {
    node.parent().is_some_and(|p| matches!(p.kind(), SyntaxKind::BLOCK | SyntaxKind::SOURCE_FILE))
}

fn first_word(node: &SyntaxNode) -> Option<String> {
    node.descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .find(|t| !t.kind().is_trivia())
        .map(|t| t.text().to_owned())
}

/// A line's range without its trailing newline and block: from its first significant token
/// to its last (read from the green tree).
fn line_range(line: &SyntaxNode) -> TextRange {
    let significant = |kind: SyntaxKind| !kind.is_trivia() && kind != SyntaxKind::NEWLINE;
    let mut covered: Option<TextRange> = None;
    let mut cover = |range: TextRange| covered = Some(covered.map_or(range, |c| c.cover(range)));
    let mut offset = line.text_range().start();
    for child in line.green().children() {
        match child {
            NodeOrToken::Token(t) if significant(green::token_kind(t)) => cover(TextRange::at(offset, t.text_len())),
            NodeOrToken::Token(_) => {}
            NodeOrToken::Node(n) if green::kind(n) != SyntaxKind::BLOCK => {
                dazzle_syntax::for_each_token(n, |kind, range, _| {
                    if significant(kind) {
                        cover(range + offset);
                    }
                });
            }
            NodeOrToken::Node(_) => {}
        }
        offset += child.text_len();
    }
    covered.unwrap_or_else(|| line.text_range())
}

fn trimmed(node: &SyntaxNode) -> TextRange {
    line_range(node)
}

/// The `n`-th rule line of the entity's blocks keyed `block`.
/// The `n`-th rule line of the entity's `permit:`/`forbid:`/… blocks keyed `block`.
fn access_rule(construct: Construct, block: &str, nth: usize) -> Option<SyntaxNode> {
    let keyed = |line: &GreenNodeData| {
        green::kind(line) == SyntaxKind::ACCESS_BLOCK && green::child_token(line, SyntaxKind::KEYWORD) == Some(block)
    };
    nth_rule(construct.syntax(), keyed, SyntaxKind::ACCESS_RULE, nth)
}

/// The `n`-th rule line of the entity's `scope:` blocks.
fn scope_rule(construct: Construct, nth: usize) -> Option<SyntaxNode> {
    let scope = |line: &GreenNodeData| green::kind(line) == SyntaxKind::SCOPE_BLOCK;
    nth_rule(construct.syntax(), scope, SyntaxKind::SCOPE_RULE, nth)
}

/// The `n`-th line of kind `rule` in the blocks of the construct's lines that `block`
/// accepts. It is found on the green tree, and only the path to it gets cursors.
fn nth_rule(
    construct: &SyntaxNode,
    block: impl Fn(&GreenNodeData) -> bool,
    rule: SyntaxKind,
    nth: usize,
) -> Option<SyntaxNode> {
    let mut seen = 0;
    let tree = construct.green();
    let (lines, lines_start) = first_block(&tree, construct.text_range().start())?;
    let mut line_start = lines_start;
    for line in lines.children() {
        if let NodeOrToken::Node(line) = line
            && block(line)
            && let Some((rules, rules_start)) = first_block(line, line_start)
        {
            let mut rule_start = rules_start;
            for element in rules.children() {
                if let NodeOrToken::Node(node) = element
                    && green::kind(node) == rule
                {
                    if seen == nth {
                        return node_at(construct, TextRange::at(rule_start, node.text_len()), rule);
                    }
                    seen += 1;
                }
                rule_start += element.text_len();
            }
        }
        line_start += line.text_len();
    }
    None
}

/// A node's first `BLOCK` child and where it starts, given where the node starts.
fn first_block(node: &GreenNodeData, start: TextSize) -> Option<(&GreenNodeData, TextSize)> {
    let mut offset = start;
    for child in node.children() {
        match child {
            NodeOrToken::Node(block) if green::kind(block) == SyntaxKind::BLOCK => return Some((block, offset)),
            _ => offset += child.text_len(),
        }
    }
    None
}

/// The node of `kind` spanning exactly `range` below `node`, reached through the child that
/// holds the range at each level.
fn node_at(node: &SyntaxNode, range: TextRange, kind: SyntaxKind) -> Option<SyntaxNode> {
    let mut current = node.clone();
    loop {
        let child = current.child_or_token_at_range(range)?.into_node()?;
        if child.text_range() == range && child.kind() == kind {
            return Some(child);
        }
        current = child;
    }
}

/// The indentation of a block's first line, as written.
fn body_indent(block: &SyntaxNode) -> String {
    let mut indent = String::new();
    for element in block.children_with_tokens() {
        match element {
            NodeOrToken::Token(t) if t.kind() == SyntaxKind::WHITESPACE => indent = t.text().to_owned(),
            NodeOrToken::Token(t) if t.kind() == SyntaxKind::NEWLINE || t.kind() == SyntaxKind::COMMENT => {
                indent.clear()
            }
            NodeOrToken::Node(_) => break,
            _ => {}
        }
    }
    if indent.is_empty() { "  ".to_owned() } else { indent }
}
