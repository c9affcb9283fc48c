//! The anti-Turing rule on the token stream: procedural constructs in a language that must
//! stay enumerable. Strings and comments are never inspected (they are single tokens), and
//! only real control flow counts: a banned word at the head of a statement-like line, or used
//! as a keyword inside an expression; arrows, ternaries and blocks; and calls outside the
//! allow-list in expression positions — nested calls included.

use std::sync::Arc;

use dazzle_syntax::{NodeOrToken, SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::db::{Db, SourceFile, parse};

/// Words of procedural control flow.
const CONTROL: &[&str] = &[
    "if", "elif", "else", "while", "for", "foreach", "loop", "repeat", "def", "fn", "function",
    "lambda", "match", "switch", "case", "return", "yield", "await", "break", "continue",
];

/// Functions an expression may call (the reference's allow-list, plus the declarative
/// primitives it forgot: `has_grant`, `start_of`, `param`).
const CALLS: &[&str] = &[
    "avg",
    "bucket",
    "config",
    "count",
    "cron",
    "days_since",
    "days_until",
    "env",
    "in",
    "length",
    "lower",
    "max",
    "min",
    "now",
    "persona",
    "regex",
    "role",
    "sum",
    "today",
    "upper",
    "has_grant",
    "start_of",
    "param",
];

/// Keys whose values are expressions or conditions.
const EXPRESSION_KEYS: &[&str] = &[
    "filter",
    "when",
    "guard",
    "condition",
    "where",
    "visible",
    "visible_when",
    "audience_when",
    "invariant",
];

/// A located anti-Turing violation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    /// What was found.
    pub message: String,
    /// Where.
    pub range: TextRange,
}

/// The violations in one file.
#[salsa::tracked(returns(ref))]
pub fn anti_turing(db: &dyn Db, file: SourceFile) -> Arc<Vec<Violation>> {
    let root = parse(db, file).syntax();
    let mut out = Vec::new();
    let tokens: Vec<SyntaxToken> = root
        .descendants_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|t| !t.kind().is_trivia())
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        let adjacent = next.is_some_and(|n| n.text_range().start() == token.text_range().end());
        match token.kind() {
            SyntaxKind::EQ if adjacent && next.is_some_and(|n| n.kind() == SyntaxKind::GT) => {
                push(
                    &mut out,
                    "Banned pattern: arrow function syntax `=>` — the DSL must be declarative",
                    token,
                    next,
                );
            }
            SyntaxKind::L_BRACE if next.is_some_and(|n| n.kind() == SyntaxKind::PIPE) => {
                push(
                    &mut out,
                    "Banned pattern: block/lambda syntax `{|` — the DSL must be declarative",
                    token,
                    next,
                );
            }
            SyntaxKind::IDENT
                if token.text() == "do"
                    && next.is_some_and(|n| n.kind() == SyntaxKind::L_BRACE) =>
            {
                push(
                    &mut out,
                    "Banned pattern: do-block syntax `do {` — the DSL must be declarative",
                    token,
                    next,
                );
            }
            SyntaxKind::QUESTION => {
                let after_unique = i > 0 && tokens[i - 1].text() == "unique";
                let colon_later = tokens[i + 1..]
                    .iter()
                    .take_while(|t| t.kind() != SyntaxKind::NEWLINE)
                    .any(|t| t.kind() == SyntaxKind::COLON);
                if !after_unique && colon_later {
                    push(
                        &mut out,
                        "Banned pattern: ternary operator `? :` — the DSL must be declarative",
                        token,
                        None,
                    );
                }
            }
            _ => {}
        }
    }
    for node in root.descendants() {
        if is_line(&node)
            && node.kind() != SyntaxKind::TRANSITION
            && !inside(&node, SyntaxKind::ENUM_DECL)
        {
            line_head(&node, &mut out);
        }
        if is_expression(&node) {
            expression(&node, &mut out);
        }
    }
    out.sort_by_key(|v| (v.range.start(), v.range.end()));
    out.dedup();
    Arc::new(out)
}

fn push(out: &mut Vec<Violation>, message: &str, token: &SyntaxToken, end: Option<&SyntaxToken>) {
    let range = end.map_or(token.text_range(), |e| {
        token.text_range().cover(e.text_range())
    });
    out.push(Violation {
        message: message.to_owned(),
        range,
    });
}

/// Nodes that stand for one line of the file.
fn is_line(node: &SyntaxNode) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.kind(), SyntaxKind::BLOCK | SyntaxKind::SOURCE_FILE))
}

fn inside(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    node.ancestors().any(|a| a.kind() == kind)
}

/// The line's own significant tokens (not those of its block).
fn line_tokens(line: &SyntaxNode) -> Vec<SyntaxToken> {
    let mut out = Vec::new();
    for element in line.children_with_tokens() {
        match element {
            NodeOrToken::Token(t) => out.push(t),
            NodeOrToken::Node(n) if n.kind() != SyntaxKind::BLOCK => {
                out.extend(
                    n.descendants_with_tokens()
                        .filter_map(NodeOrToken::into_token),
                );
            }
            NodeOrToken::Node(_) => {}
        }
    }
    out.retain(|t| !t.kind().is_trivia() && t.kind() != SyntaxKind::NEWLINE);
    out
}

/// A control-flow word starting a statement-like line (`if x:`, `return y`, `for each …`).
fn line_head(line: &SyntaxNode, out: &mut Vec<Violation>) {
    let tokens = line_tokens(line);
    let Some(first) = tokens.first() else { return };
    if !matches!(first.kind(), SyntaxKind::IDENT | SyntaxKind::KEYWORD)
        || !CONTROL.contains(&first.text())
    {
        return;
    }
    let second = tokens.get(1).map(SyntaxToken::kind);
    if second == Some(SyntaxKind::ARROW)
        || (second == Some(SyntaxKind::COLON) && !matches!(first.text(), "else" | "elif"))
    {
        return;
    }
    out.push(Violation {
        message: format!(
            "Banned keyword '{}': control flow has no place in a declarative DSL",
            first.text()
        ),
        range: first.text_range(),
    });
}

/// Nodes whose tokens form an expression or condition.
fn is_expression(node: &SyntaxNode) -> bool {
    match node.kind() {
        SyntaxKind::COMPUTED | SyntaxKind::DEFAULT_VALUE => true,
        SyntaxKind::ACCESS_RULE | SyntaxKind::SCOPE_RULE => true,
        SyntaxKind::VALUE => node
            .parent()
            .and_then(|p| line_tokens(&p).into_iter().next())
            .is_some_and(|key| EXPRESSION_KEYS.contains(&key.text())),
        _ => false,
    }
}

/// Control-flow words used as keywords and calls outside the allow-list.
fn expression(node: &SyntaxNode, out: &mut Vec<Violation>) {
    let tokens = line_tokens(node);
    for (i, token) in tokens.iter().enumerate() {
        if !matches!(token.kind(), SyntaxKind::IDENT | SyntaxKind::KEYWORD) {
            continue;
        }
        let next = tokens.get(i + 1);
        let word = token.text();
        let used_as_name = next.is_none_or(|n| {
            matches!(
                n.kind(),
                SyntaxKind::EQ
                    | SyntaxKind::NEQ
                    | SyntaxKind::GT
                    | SyntaxKind::LT
                    | SyntaxKind::GTEQ
                    | SyntaxKind::LTEQ
                    | SyntaxKind::DOT
                    | SyntaxKind::COMMA
                    | SyntaxKind::R_PAREN
                    | SyntaxKind::R_BRACK
                    | SyntaxKind::COLON
            ) || matches!(n.text(), "in" | "is" | "and" | "or")
        });
        if CONTROL.contains(&word) {
            if !used_as_name {
                out.push(Violation {
                    message: format!(
                        "Banned keyword '{word}' in an expression: conditions and computations must be declarative"
                    ),
                    range: token.text_range(),
                });
            }
            continue;
        }
        let call = next.is_some_and(|n| {
            n.kind() == SyntaxKind::L_PAREN && n.text_range().start() == token.text_range().end()
        });
        let after_via = i > 0 && matches!(tokens[i - 1].text(), "via" | "not");
        if call && !after_via && !CALLS.contains(&word.to_lowercase().as_str()) {
            let mut allowed: Vec<&str> = CALLS.to_vec();
            allowed.sort_unstable();
            out.push(Violation {
                message: format!(
                    "Invalid function call '{word}()' — only allowed: {}",
                    allowed.join(", ")
                ),
                range: token.text_range(),
            });
        }
    }
}
