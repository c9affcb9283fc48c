//! The anti-Turing rule on the token stream: procedural constructs in a language that must
//! stay enumerable. Strings and comments are never inspected (they are single tokens), and
//! only real control flow counts: a banned word at the head of a statement-like line, or used
//! as a keyword inside an expression; arrows, ternaries and blocks; and calls outside the
//! allow-list in expression positions — nested calls included.

use std::sync::Arc;

use dazzle_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::db::{Db, SourceFile, parse};

/// Words of procedural control flow.
const CONTROL: &[&str] = &[
    "if", "elif", "else", "while", "for", "foreach", "loop", "repeat", "def", "fn", "function", "lambda", "match",
    "switch", "case", "return", "yield", "await", "break", "continue",
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
const EXPRESSION_KEYS: &[&str] =
    &["filter", "when", "guard", "condition", "where", "visible", "visible_when", "audience_when", "invariant"];

/// A located anti-Turing violation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    /// What was found.
    pub message: String,
    /// Where.
    pub range: TextRange,
}

/// A significant token of the flat token list.
#[derive(Clone, Copy)]
struct Tok<'a> {
    kind: SyntaxKind,
    range: TextRange,
    text: &'a str,
}

/// The violations in one file: one pass over its tokens (read from the green tree, so no
/// cursor is allocated per token); the red tree is consulted only for the few tokens that
/// could be violations.
#[salsa::tracked(returns(ref))]
pub fn anti_turing(db: &dyn Db, file: SourceFile) -> Arc<Vec<Violation>> {
    let parsed = parse(db, file);
    let root = parsed.syntax();
    let mut tokens: Vec<Tok<'_>> = Vec::new();
    dazzle_syntax::for_each_token(parsed.green(), |kind, range, text| {
        if !kind.is_trivia() {
            tokens.push(Tok { kind, range, text });
        }
    });
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        let adjacent = next.is_some_and(|n| n.range.start() == token.range.end());
        match token.kind {
            SyntaxKind::EQ if adjacent && next.is_some_and(|n| n.kind == SyntaxKind::GT) => {
                push(&mut out, "Banned pattern: arrow function syntax `=>` — the DSL must be declarative", token, next);
            }
            SyntaxKind::L_BRACE if next.is_some_and(|n| n.kind == SyntaxKind::PIPE) => {
                push(&mut out, "Banned pattern: block/lambda syntax `{|` — the DSL must be declarative", token, next);
            }
            SyntaxKind::QUESTION => {
                let after_unique = i > 0 && tokens[i - 1].text == "unique";
                let colon_later = tokens[i + 1..]
                    .iter()
                    .take_while(|t| t.kind != SyntaxKind::NEWLINE)
                    .any(|t| t.kind == SyntaxKind::COLON);
                if !after_unique && colon_later {
                    push(&mut out, "Banned pattern: ternary operator `? :` — the DSL must be declarative", token, None);
                }
            }
            SyntaxKind::IDENT | SyntaxKind::KEYWORD => word(&root, &tokens, i, &mut out),
            _ => {}
        }
    }
    out.sort_by_key(|v| (v.range.start(), v.range.end()));
    out.dedup();
    Arc::new(out)
}

/// The red token at `range`.
fn red(root: &SyntaxNode, range: TextRange) -> Option<SyntaxToken> {
    root.covering_element(range).into_token()
}

/// Checks a word: `do {`, a control-flow word heading a line, and — inside expressions —
/// control-flow words used as keywords and calls outside the allow-list.
fn word(root: &SyntaxNode, tokens: &[Tok<'_>], i: usize, out: &mut Vec<Violation>) {
    let token = &tokens[i];
    let text = token.text;
    let next = tokens.get(i + 1);
    if text == "do" && next.is_some_and(|n| n.kind == SyntaxKind::L_BRACE) {
        push(out, "Banned pattern: do-block syntax `do {` — the DSL must be declarative", token, next);
        return;
    }
    let control = CONTROL.contains(&text);
    let call = next.is_some_and(|n| n.kind == SyntaxKind::L_PAREN && n.range.start() == token.range.end());
    let forbidden_call = call && !CALLS.contains(&text.to_lowercase().as_str());
    if !control && !forbidden_call {
        return;
    }
    let Some(red) = red(root, token.range) else { return };
    let line_start = i == 0 || tokens[i - 1].kind == SyntaxKind::NEWLINE;
    if control && line_start {
        let second = next.map(|n| n.kind);
        let keyed = second == Some(SyntaxKind::COLON) && !matches!(text, "else" | "elif");
        let line = red.parent_ancestors().find(is_line);
        let exempt = line.is_some_and(|l| l.kind() == SyntaxKind::TRANSITION || inside(&l, SyntaxKind::ENUM_DECL));
        if !keyed && second != Some(SyntaxKind::ARROW) && !exempt {
            out.push(Violation {
                message: format!("Banned keyword '{text}': control flow has no place in a declarative DSL"),
                range: token.range,
            });
        }
        return;
    }
    if !in_expression(&red) {
        return;
    }
    if control {
        let used_as_name = next.is_none_or(|n| {
            matches!(
                n.kind,
                SyntaxKind::NEWLINE
                    | SyntaxKind::EQ
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
            ) || matches!(n.text, "in" | "is" | "and" | "or")
        });
        if !used_as_name {
            out.push(Violation {
                message: format!(
                    "Banned keyword '{text}' in an expression: conditions and computations must be declarative"
                ),
                range: token.range,
            });
        }
        return;
    }
    let after_via = i > 0 && matches!(tokens[i - 1].text, "via" | "not");
    if !after_via {
        let mut allowed: Vec<&str> = CALLS.to_vec();
        allowed.sort_unstable();
        out.push(Violation {
            message: format!("Invalid function call '{text}()' — only allowed: {}", allowed.join(", ")),
            range: token.range,
        });
    }
}

fn push(out: &mut Vec<Violation>, message: &str, token: &Tok<'_>, end: Option<&Tok<'_>>) {
    let range = end.map_or(token.range, |e| token.range.cover(e.range));
    out.push(Violation { message: message.to_owned(), range });
}

/// Nodes that stand for one line of the file.
fn is_line(node: &SyntaxNode) -> bool {
    node.parent().is_some_and(|p| matches!(p.kind(), SyntaxKind::BLOCK | SyntaxKind::SOURCE_FILE))
}

fn inside(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    node.ancestors().any(|a| a.kind() == kind)
}

/// Whether a token lies in an expression or condition of its own line.
fn in_expression(token: &SyntaxToken) -> bool {
    for node in token.parent_ancestors() {
        match node.kind() {
            SyntaxKind::COMPUTED | SyntaxKind::DEFAULT_VALUE | SyntaxKind::ACCESS_RULE | SyntaxKind::SCOPE_RULE => {
                return true;
            }
            SyntaxKind::VALUE => {
                return node
                    .parent()
                    .and_then(|line| line.first_token())
                    .is_some_and(|key| EXPRESSION_KEYS.contains(&key.text()));
            }
            SyntaxKind::BLOCK | SyntaxKind::SOURCE_FILE => return false,
            _ => {}
        }
    }
    false
}
