//! The anti-Turing rule on the token stream of the whole file: procedural constructs in a
//! language that must stay enumerable. Every line of every block is scanned — known or not,
//! well-formed or not — but strings and comments never are (they are single tokens).
//!
//! What counts (docs/rules/anti-turing.md has the table):
//! - a control-flow word used as a keyword: heading a statement-like line (`if x:`, `return`,
//!   `else:`) or followed by an operand anywhere (`goals: if x then y`, `computed a if b`).
//!   Used as a name it is not a violation: a key (`then:`, `match:`), a lone value
//!   (`on_failure: continue`), an enum value, a comparison operand, a member, a state in a
//!   transition, the name slot of a positional line (`field return "Return"`), a typed
//!   field's name (`if: str(10)`), a bare line of a `nav_group`, story prose;
//! - `=>`, a ternary `? :`, `{|`, `do {`;
//! - in expression positions only (conditions, rules, `computed`, defaults, `filter:`, `when:`,
//!   aggregates, …, and what follows such a key inline on a positional line, up to the next
//!   `key:`), a call outside the allow-list — nested calls included. The allow-list is
//!   the reference's, its type keywords (`int(x)`), and `has_grant`, `start_of`, `param`.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use dazzle_syntax::{GreenNodeData, NodeOrToken, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize, green};

use crate::db::{Db, SourceFile, parse};

/// Words of procedural control flow (the reference's list, plus `foreach`). Matched exactly:
/// `IF` or an entity `Return` is a name.
const CONTROL_WORDS: [&str; 22] = [
    "if", "elif", "else", "then", "while", "for", "foreach", "each", "loop", "repeat", "def", "fn", "function",
    "lambda", "match", "switch", "case", "return", "yield", "await", "break", "continue",
];

/// For each lower-case first letter, the lengths (as bits) of the [`CONTROL_WORDS`] that start
/// with it: most words are ruled out by one table lookup, without a string comparison.
const CONTROL_SHAPES: [u16; 26] = {
    let mut shapes = [0; 26];
    let mut i = 0;
    while i < CONTROL_WORDS.len() {
        let word = CONTROL_WORDS[i].as_bytes();
        shapes[(word[0] - b'a') as usize] |= 1 << word.len();
        i += 1;
    }
    shapes
};

/// Whether `word` is one of [`CONTROL_WORDS`] (exactly).
fn is_control(word: &str) -> bool {
    let shape = match word.as_bytes().first() {
        Some(&first @ b'a'..=b'z') if word.len() < 16 => CONTROL_SHAPES[usize::from(first - b'a')],
        _ => return false,
    };
    shape & (1 << word.len()) != 0 && CONTROL_WORDS.contains(&word)
}

/// Control words that stay keywords even when a `:` follows them (`else:`, `if:`): they open a
/// branch or a loop, never a declarative block. (`for:` is not among them: it is the persona and
/// scope key that 0.112 renamed to `as:`.)
const STATEMENT_KEYS: &[&str] = &["if", "elif", "else", "while"];

/// Words that introduce a definition: the name after them is not a call.
const DEFINERS: &[&str] = &["def", "fn", "function", "lambda"];

/// Functions an expression may call: the reference's allow-list, then the declarative
/// primitives it forgot (`has_grant`, `start_of`, `param`).
pub const ALLOWED_CALLS: &[&str] = &[
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

/// Type keywords, which the reference also accepts as calls (`int(x)`, `decimal(total)`).
const TYPE_CALLS: &[&str] =
    &["str", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "email", "ref", "money", "json"];

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
    "audience",
    "invariant",
    "starts_when",
    "pauses_when",
    "completes_when",
    "granted_by",
    "approved_by",
    "scope",
    "threshold",
];

/// Blocks whose lines are bare names (`nav_group`, and `group` in a `nav:` or workspace, list
/// entities and surfaces one per line).
const NAME_LIST_BLOCKS: &[&str] = &["nav_group", "group"];

/// Keys whose blocks hold one expression per line (`aggregate:` metrics, `filter_map:`).
const EXPRESSION_BLOCKS: &[&str] = &["aggregate", "filter_map"];

/// Keys of a story whose blocks are prose (`given:` / `when:` / `then:` / `unless:` steps).
const PROSE_KEYS: &[&str] = &["given", "when", "then", "unless"];

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
/// cursor is allocated per token), one logical line at a time; the red tree is consulted only
/// for the few tokens that could be violations. In a file an editor is changing (one with a
/// reparse base), a top-level node that holds whole lines is scanned on its own, so that its
/// violations can be kept for the next run over a reparse that shares it (see
/// `construct_memo`).
#[salsa::tracked(returns(ref))]
pub fn anti_turing(db: &dyn Db, file: SourceFile) -> Arc<Vec<Violation>> {
    let parsed = parse(db, file);
    let root = parsed.syntax();
    let mut out = Vec::new();
    let mut line = PendingLine::default();
    if file.previous(db).is_none() {
        scan_tree(&root, parsed.green(), &mut line, &mut out);
    } else {
        let mut memo = db.constructs().violations.run(file, true);
        let mut offset = TextSize::new(0);
        for child in parsed.green().children() {
            let len = child.text_len();
            match child {
                NodeOrToken::Node(node) if line.is_empty() && ends_with_newline(node) => {
                    let found = memo.get(node, || scan_node(&root, node, offset, &mut line));
                    out.extend(found.iter().map(|v| Violation { message: v.message.clone(), range: v.range + offset }));
                }
                NodeOrToken::Node(node) => {
                    dazzle_syntax::for_each_token(node, |kind, range, text| {
                        line.add(&root, &mut out, kind, range + offset, text);
                    });
                }
                NodeOrToken::Token(token) => {
                    line.add(&root, &mut out, green::token_kind(token), TextRange::at(offset, len), token.text());
                }
            }
            offset += len;
        }
    }
    line.finish(&root, &mut out);
    out.sort_by_key(|v| (v.range.start(), v.range.end()));
    out.dedup();
    Arc::new(out)
}

/// Reads every token of the tree into `line`, but once per content for the nodes that hold
/// whole lines none of which could hold a violation: the parser shares repeated small nodes
/// (a field line, a rule), and such a node seen before at a line's start is skipped. Whether
/// a line is scanned depends on its tokens alone, so skipping it changes nothing.
fn scan_tree<'a>(root: &SyntaxNode, green: &'a GreenNodeData, line: &mut PendingLine<'a>, out: &mut Vec<Violation>) {
    // Sized for a whole-line node per line of some thirty bytes, so that it never rehashes.
    let lines = u32::from(green.text_len()) as usize / 32;
    let mut clean = FxHashSet::with_capacity_and_hasher(lines, Default::default());
    // Each open node's children, and for a node of whole lines, its address and the count of
    // suspect lines before it.
    let mut stack = Vec::with_capacity(16);
    stack.push((green.children(), None));
    let mut offset = TextSize::new(0);
    while let Some((children, _)) = stack.last_mut() {
        match children.next() {
            Some(NodeOrToken::Node(node)) => {
                let whole_lines = line.is_empty() && ends_with_newline(node);
                let address = std::ptr::from_ref(node).addr();
                if whole_lines && clean.contains(&address) {
                    offset += node.text_len();
                } else {
                    stack.push((node.children(), whole_lines.then_some((address, line.suspects))));
                }
            }
            Some(NodeOrToken::Token(token)) => {
                let len = token.text_len();
                line.add(root, out, green::token_kind(token), TextRange::at(offset, len), token.text());
                offset += len;
            }
            None => {
                if let Some((_, Some((address, suspects)))) = stack.pop()
                    && line.suspects == suspects
                {
                    clean.insert(address);
                }
            }
        }
    }
}

/// Whether the node's last token is a line break.
fn ends_with_newline(node: &GreenNodeData) -> bool {
    match node.children().last() {
        Some(NodeOrToken::Node(child)) => ends_with_newline(child),
        Some(NodeOrToken::Token(token)) => green::token_kind(token) == SyntaxKind::NEWLINE,
        None => false,
    }
}

/// The logical line being read: its significant tokens so far, and whether any of them could
/// start a violation. Most lines hold none, and are never scanned.
#[derive(Default)]
struct PendingLine<'a> {
    tokens: Vec<Tok<'a>>,
    suspect: bool,
    /// How many lines were scanned so far.
    suspects: usize,
}

impl<'a> PendingLine<'a> {
    /// Adds a token to the line, and scans the line at its end.
    #[inline(always)]
    fn add(&mut self, root: &SyntaxNode, out: &mut Vec<Violation>, kind: SyntaxKind, range: TextRange, text: &'a str) {
        if kind == SyntaxKind::NEWLINE {
            self.finish(root, out);
        } else if !kind.is_trivia() {
            let token = Tok { kind, range, text };
            self.suspect |= may_trigger(self.tokens.last(), &token);
            self.tokens.push(token);
        }
    }

    /// Scans the line if it could hold a violation, and empties it.
    fn finish(&mut self, root: &SyntaxNode, out: &mut Vec<Violation>) {
        if self.suspect {
            self.suspects += 1;
            scan_line(root, &self.tokens, out);
        }
        self.tokens.clear();
        self.suspect = false;
    }

    fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// Whether `token`, after `prev` on its line, is one that [`scan_line`] could report from: a
/// control word, a word's `(`, `=>`, `{|`, `do {` or `?`. A superset of what it reports, cheap
/// enough to test on every token.
fn may_trigger(prev: Option<&Tok<'_>>, token: &Tok<'_>) -> bool {
    let prev_is = |kind: SyntaxKind| prev.is_some_and(|p| p.kind == kind);
    match token.kind {
        SyntaxKind::IDENT | SyntaxKind::KEYWORD => is_control(token.text),
        SyntaxKind::QUESTION => true,
        SyntaxKind::GT => prev_is(SyntaxKind::EQ),
        SyntaxKind::PIPE => prev_is(SyntaxKind::L_BRACE),
        SyntaxKind::L_BRACE => prev.is_some_and(|p| p.text == "do"),
        SyntaxKind::L_PAREN => prev.is_some_and(|p| is_word(p) && !is_allowed_call(p.text)),
        _ => false,
    }
}

/// The violations of a top-level node at `offset` that holds whole lines, relative to its
/// start; `line` is an empty buffer to read its lines into (and is left empty).
fn scan_node<'a>(
    root: &SyntaxNode,
    node: &'a GreenNodeData,
    offset: TextSize,
    line: &mut PendingLine<'a>,
) -> Arc<[Violation]> {
    let mut out = Vec::new();
    dazzle_syntax::for_each_token(node, |kind, range, text| {
        line.add(root, &mut out, kind, range + offset, text);
    });
    line.finish(root, &mut out);
    out.into_iter().map(|v| Violation { message: v.message, range: v.range - offset }).collect()
}

/// The violations on one logical line (its significant tokens, without the `NEWLINE`).
fn scan_line(root: &SyntaxNode, tokens: &[Tok<'_>], out: &mut Vec<Violation>) {
    let line = Line { tokens };
    for (i, token) in tokens.iter().enumerate() {
        let next = line.get(i + 1);
        let adjacent = next.is_some_and(|n| n.range.start() == token.range.end());
        match token.kind {
            SyntaxKind::EQ if adjacent && next.is_some_and(|n| n.kind == SyntaxKind::GT) => {
                push(out, "Banned pattern: arrow function syntax `=>` — the DSL must be declarative", token, next);
            }
            SyntaxKind::L_BRACE if next.is_some_and(|n| n.kind == SyntaxKind::PIPE) => {
                push(out, "Banned pattern: block/lambda syntax `{|` — the DSL must be declarative", token, next);
            }
            SyntaxKind::QUESTION => {
                let after_unique = i.checked_sub(1).and_then(|j| line.get(j)).is_some_and(|t| t.text == "unique");
                let colon_later = tokens[i + 1..].iter().any(|t| t.kind == SyntaxKind::COLON);
                if !after_unique && colon_later {
                    push(out, "Banned pattern: ternary operator `? :` — the DSL must be declarative", token, None);
                }
            }
            SyntaxKind::IDENT | SyntaxKind::KEYWORD => word(root, &line, i, out),
            _ => {}
        }
    }
}

/// The significant tokens of one logical line, without its `NEWLINE`.
struct Line<'t, 'a> {
    tokens: &'t [Tok<'a>],
}

impl<'a> Line<'_, 'a> {
    /// The token at `i` if it is on this line.
    fn get(&self, i: usize) -> Option<&Tok<'a>> {
        self.tokens.get(i)
    }

    /// The index of the line's head word: its first token, or the one after a leading `-`.
    fn head(&self) -> (usize, bool) {
        let dashed = self.get(0).is_some_and(|t| t.kind == SyntaxKind::MINUS);
        (usize::from(dashed), dashed)
    }
}

/// The red token at `range`.
fn red(root: &SyntaxNode, range: TextRange) -> Option<SyntaxToken> {
    root.covering_element(range).into_token()
}

/// Checks a word: `do {`, a control-flow word used as a keyword, and — inside expressions —
/// calls outside the allow-list.
fn word(root: &SyntaxNode, line: &Line<'_, '_>, i: usize, out: &mut Vec<Violation>) {
    let token = &line.tokens[i];
    let text = token.text;
    let next = line.get(i + 1);
    if text == "do" && next.is_some_and(|n| n.kind == SyntaxKind::L_BRACE) {
        push(out, "Banned pattern: do-block syntax `do {` — the DSL must be declarative", token, next);
        return;
    }
    let control = is_control(text);
    let call = next.is_some_and(|n| n.kind == SyntaxKind::L_PAREN && n.range.start() == token.range.end());
    if !control && !call {
        return;
    }
    if control {
        if used_as_name(line, i) {
            return;
        }
        let Some(red) = red(root, token.range) else { return };
        // A statement head is a keyword even where the parser, recovering, made it a name.
        let head = i == line.head().0;
        // A bare item line: the word alone, or followed by its clauses (`return when: …`,
        // `continue icon=y`).
        let item_line = head
            && next.is_none_or(|n| {
                is_word(n) && line.get(i + 2).is_some_and(|c| matches!(c.kind, SyntaxKind::COLON | SyntaxKind::EQ))
            });
        let expression = in_expression_at(line, i, &red);
        // `return(width: 20%)` outside an expression is `name(…)` syntax, like any call there.
        let call_like = next.is_some_and(|n| n.kind == SyntaxKind::L_PAREN && n.range.start() == token.range.end());
        if (call_like && !expression)
            || (!head && in_name(&red))
            || in_prose(&red)
            || (head && inside(&red, SyntaxKind::ENUM_DECL))
            || (item_line && in_name_list(&red))
            || is_typed_field_name(&red)
        {
            return;
        }
        let message = if expression {
            format!("Banned keyword '{text}' in an expression: conditions and computations must be declarative")
        } else {
            format!("Banned keyword '{text}': control flow has no place in a declarative DSL")
        };
        out.push(Violation { message, range: token.range });
        return;
    }
    // Calls are matched in lower case; a word without upper-case letters is its own.
    let lower_case = text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
    if is_allowed_call(text) || (!lower_case && is_allowed_call(&text.to_lowercase())) {
        return;
    }
    let after = i.checked_sub(1).and_then(|j| line.get(j)).map(|t| t.text);
    if after.is_some_and(|w| matches!(w, "via" | "not") || DEFINERS.contains(&w)) {
        return;
    }
    let Some(red) = red(root, token.range) else { return };
    if in_expression_at(line, i, &red) {
        let mut allowed: Vec<&str> = ALLOWED_CALLS.to_vec();
        allowed.sort_unstable();
        out.push(Violation {
            message: format!("Invalid function call '{text}()' — only allowed: {}", allowed.join(", ")),
            range: token.range,
        });
    }
}

/// Whether `word` names a function an expression may call, as written.
fn is_allowed_call(word: &str) -> bool {
    ALLOWED_CALLS.contains(&word) || TYPE_CALLS.contains(&word)
}

/// Whether the control word at `i` is used as a name rather than as a keyword, judged from
/// the tokens around it on its line.
fn used_as_name(line: &Line<'_, '_>, i: usize) -> bool {
    let token = &line.tokens[i];
    let text = token.text;
    let next = line.get(i + 1);
    let prev = i.checked_sub(1).and_then(|j| line.get(j));
    let (head, dashed) = line.head();
    if next.is_some_and(|n| n.kind == SyntaxKind::COLON) {
        return !STATEMENT_KEYS.contains(&text);
    }
    if next.is_some_and(|n| matches!(n.kind, SyntaxKind::ARROW | SyntaxKind::L_ARROW | SyntaxKind::BI_ARROW)) {
        return true;
    }
    if i == head && !dashed {
        // A statement: `if x:`, `return total`, a lone `continue`.
        return false;
    }
    let ends_operand = next.is_none_or(|n| {
        matches!(
            n.kind,
            SyntaxKind::EQ
                | SyntaxKind::EQ2
                | SyntaxKind::NEQ
                | SyntaxKind::GT
                | SyntaxKind::LT
                | SyntaxKind::GTEQ
                | SyntaxKind::LTEQ
                | SyntaxKind::DOT
                | SyntaxKind::COMMA
                | SyntaxKind::R_PAREN
                | SyntaxKind::R_BRACK
                | SyntaxKind::R_BRACE
                | SyntaxKind::PIPE
                | SyntaxKind::STAR
                | SyntaxKind::SLASH
                | SyntaxKind::PERCENT
        ) || matches!(n.text, "in" | "is" | "and" | "or" | "asc" | "desc")
            // The next `key:` pair starts: this one's value ended (`widget=switch help: "x"`).
            || (i != head && is_word(n) && line.get(i + 2).is_some_and(|c| c.kind == SyntaxKind::COLON))
    });
    let touching = |t: Option<&Tok<'_>>, before: bool| {
        t.is_some_and(
            |t| if before { t.range.end() == token.range.start() } else { t.range.start() == token.range.end() },
        )
    };
    // Part of a hyphen-joined name (`theme: loop-dark`, `icon=case-file`), a path segment
    // (`tickets/return/each`), or an attribute value written `key=value`.
    let joined = (touching(next, false) && next.is_some_and(|n| n.kind == SyntaxKind::MINUS))
        || (touching(prev, true) && prev.is_some_and(|p| matches!(p.kind, SyntaxKind::MINUS | SyntaxKind::SLASH)))
        || (touching(prev, true)
            && prev.is_some_and(|p| p.kind == SyntaxKind::EQ)
            && i.checked_sub(2).and_then(|j| line.get(j)).is_some_and(|k| is_word(k) && touching(prev, true)));
    // A list item named by the word, with attributes: `- case (order: 1)`.
    let item = i == head && dashed && next.is_some_and(|n| n.kind == SyntaxKind::L_PAREN);
    // A member (`item.return`). After a comparison the word is a name only where it ends the
    // operand (`status = return`, above): `x = if y …` is a conditional.
    let member = prev.is_some_and(|p| p.kind == SyntaxKind::DOT);
    // The name slot of a positional line: `field return "Return"`, `- step case:`.
    let name_slot = i == head + 1 && line.get(head).is_some_and(|h| is_word(h) && !is_control(h.text));
    ends_operand || member || name_slot || joined || item
}

/// Whether the token at `i` follows an inline expression key on its line (`visible: …`,
/// `when: …` after a positional head), up to the next `key:` pair, or a bare `when` clause
/// (`trigger: on_create when score(x) > 1`).
fn after_expression_key(line: &Line<'_, '_>, i: usize) -> bool {
    (0..i).rev().find_map(|j| {
        let word = line.get(j)?;
        let next = line.get(j + 1)?;
        if next.kind == SyntaxKind::COLON && is_word(word) {
            return Some(EXPRESSION_KEYS.contains(&word.text));
        }
        (word.text == "when" && is_word(word)).then_some(true)
    }) == Some(true)
}

/// Whether the token at `i` is in an expression: by the tree, or inline after an expression key
/// — except on an entity's field line (`condition: text pii(…)` is a field named `condition`)
/// and in story prose.
fn in_expression_at(line: &Line<'_, '_>, i: usize, token: &SyntaxToken) -> bool {
    in_expression(token) || (!inside(token, SyntaxKind::FIELD) && !in_prose(token) && after_expression_key(line, i))
}

/// Whether a token is a line of a block that lists bare names (`nav_group`).
fn in_name_list(token: &SyntaxToken) -> bool {
    let owner = token.parent_ancestors().find(|n| n.kind() == SyntaxKind::BLOCK).and_then(|b| b.parent());
    owner.and_then(|o| line_key(&o)).is_some_and(|k| NAME_LIST_BLOCKS.contains(&k.as_str()))
}

/// Whether a token names a field that has a type (`if: str(10)` in an entity body).
fn is_typed_field_name(token: &SyntaxToken) -> bool {
    let field = token.parent().filter(|p| p.kind() == SyntaxKind::NAME).and_then(|n| n.parent());
    field.is_some_and(|f| f.kind() == SyntaxKind::FIELD && f.children().any(|c| c.kind() == SyntaxKind::FIELD_TYPE))
}

fn is_word(token: &Tok<'_>) -> bool {
    matches!(token.kind, SyntaxKind::IDENT | SyntaxKind::KEYWORD)
}

fn push(out: &mut Vec<Violation>, message: &str, token: &Tok<'_>, end: Option<&Tok<'_>>) {
    let range = end.map_or(token.range, |e| token.range.cover(e.range));
    out.push(Violation { message: message.to_owned(), range });
}

fn inside(token: &SyntaxToken, kind: SyntaxKind) -> bool {
    token.parent_ancestors().any(|a| a.kind() == kind)
}

/// Whether a token is a declared or referenced name (`entity case`, `uses entity return`).
fn in_name(token: &SyntaxToken) -> bool {
    token.parent().is_some_and(|p| matches!(p.kind(), SyntaxKind::NAME | SyntaxKind::NAME_REF))
}

/// The key word of a line node (`filter` of `filter: …`), if it has one.
fn line_key(line: &SyntaxNode) -> Option<String> {
    let first = line.first_token()?;
    let key = if first.kind().is_trivia() { first.next_token()? } else { first };
    Some(key.text().to_owned())
}

/// Whether a token is in the prose of a story step (`given:` / `when:` / `then:` / `unless:`).
fn in_prose(token: &SyntaxToken) -> bool {
    token.parent_ancestors().filter(|n| n.kind() == SyntaxKind::BLOCK).any(|block| {
        block.parent().is_some_and(|owner| {
            line_key(&owner).is_some_and(|k| PROSE_KEYS.contains(&k.as_str()))
                && owner.ancestors().any(|a| a.kind() == SyntaxKind::STORY)
        })
    })
}

/// Whether a token lies in an expression or condition.
fn in_expression(token: &SyntaxToken) -> bool {
    for node in token.parent_ancestors() {
        match node.kind() {
            SyntaxKind::COMPUTED | SyntaxKind::DEFAULT_VALUE | SyntaxKind::ACCESS_RULE | SyntaxKind::SCOPE_RULE => {
                return true;
            }
            SyntaxKind::VALUE => {
                let Some(line) = node.parent() else { return false };
                if line_key(&line).is_some_and(|k| EXPRESSION_KEYS.contains(&k.as_str())) {
                    return true;
                }
                let owner = line.parent().filter(|b| b.kind() == SyntaxKind::BLOCK).and_then(|b| b.parent());
                return owner.and_then(|o| line_key(&o)).is_some_and(|k| EXPRESSION_BLOCKS.contains(&k.as_str()));
            }
            SyntaxKind::BLOCK | SyntaxKind::SOURCE_FILE => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use dazzle_syntax::Dialect;
    use proptest::prelude::*;

    use super::{PendingLine, Tok, Violation, may_trigger, scan_line, scan_tree};

    /// What lines are made of: every token the scan reports from, its near misses, and words.
    const PIECES: &[&str] = &[
        "if", "Return", "else", "for", "do", "{", "|", "}", "=", ">", "=>", "?", ":", "(", ")", "x", "role", "unique",
        "count", "fetch", "IF", "via", "not", ",", "\"s\"", "-", ".", "when", "filter", "then", "{|", "do {", "fetch(",
        "Count(", "? x :",
    ];

    /// Where a generated line goes: an entity's field, a rule, a filter, story prose, a list, a
    /// computed field, the top level.
    const PLACES: &[&str] = &[
        "entity E \"E\":\n  f: ",
        "entity E \"E\":\n  permit:\n    list: ",
        "surface s \"S\":\n  filter: ",
        "story s \"S\":\n  given:\n    - ",
        "workspace w \"W\":\n  nav_group g:\n    ",
        "entity E \"E\":\n  c: computed ",
        "",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The prefilter never hides a violation: on every line it lets pass unscanned, the full
        /// scan finds nothing either.
        #[test]
        fn lines_left_unscanned_hold_no_violation(
            place in 0..PLACES.len(),
            pieces in prop::collection::vec((0..PIECES.len(), any::<bool>()), 1..8),
        ) {
            let mut text = PLACES[place].to_owned();
            for (piece, spaced) in pieces {
                text.push_str(PIECES[piece]);
                if spaced {
                    text.push(' ');
                }
            }
            text.push('\n');
            let parsed = dazzle_syntax::parse(&text, Dialect::V0_125);
            let root = parsed.syntax();
            let mut lines: Vec<(Vec<Tok<'_>>, bool)> = vec![(Vec::new(), false)];
            dazzle_syntax::for_each_token(parsed.green(), |kind, range, text| {
                let (tokens, suspect) = lines.last_mut().expect("a line");
                if kind == dazzle_syntax::SyntaxKind::NEWLINE {
                    lines.push((Vec::new(), false));
                } else if !kind.is_trivia() {
                    let token = Tok { kind, range, text };
                    *suspect |= may_trigger(tokens.last(), &token);
                    tokens.push(token);
                }
            });
            for (tokens, suspect) in lines.iter().filter(|(_, suspect)| !suspect) {
                let mut found = Vec::new();
                scan_line(&root, tokens, &mut found);
                prop_assert!(found.is_empty(), "{suspect} {found:?} in {text:?}");
            }
        }

        /// Skipping the nodes seen before changes nothing: a file of repeated lines, each in
        /// one of the places, gives the violations of a walk over every token.
        #[test]
        fn skipping_repeated_lines_finds_what_every_token_finds(
            pool in prop::collection::vec(prop::collection::vec(0..PIECES.len(), 1..6), 1..4),
            lines in prop::collection::vec((0..PLACES.len(), 0..4usize), 1..12),
        ) {
            let mut text = String::new();
            for (place, line) in lines {
                text.push_str(PLACES[place]);
                let pieces = &pool[line % pool.len()];
                text.push_str(&pieces.iter().map(|&p| PIECES[p]).collect::<Vec<_>>().join(" "));
                text.push('\n');
            }
            let parsed = dazzle_syntax::parse(&text, Dialect::V0_125);
            let root = parsed.syntax();
            let every_token = {
                let (mut line, mut out) = (PendingLine::default(), Vec::new());
                dazzle_syntax::for_each_token(parsed.green(), |kind, range, text| {
                    line.add(&root, &mut out, kind, range, text);
                });
                line.finish(&root, &mut out);
                out
            };
            let skipping = {
                let (mut line, mut out) = (PendingLine::default(), Vec::<Violation>::new());
                scan_tree(&root, parsed.green(), &mut line, &mut out);
                line.finish(&root, &mut out);
                out
            };
            prop_assert_eq!(skipping, every_token, "in {:?}", text);
        }
    }
}
