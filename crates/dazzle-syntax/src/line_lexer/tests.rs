//! The line lexer against the plain one: on files of repeated lines (strings across line
//! feeds, lexical errors, byte-order marks, carriage returns, no final line feed) and on the
//! parser fixtures, it must give the same tokens and errors, the lines the parser's layout
//! rules give, and ids that are equal exactly when the lines' texts are.

use std::collections::HashMap;

use proptest::prelude::*;

use super::{Line, NO_ID, lex};
use crate::SyntaxKind;
use crate::parser::indent_width;
use crate::test_fixtures::parser_fixtures;

/// The lines as the parser's layout rules read them from the plain tokens: per run of tokens
/// up to a NEWLINE, its indentation and its first non-trivia token (a byte-order mark at the
/// very start is not part of the first line).
fn oracle_lines(text: &str, kinds: &[SyntaxKind], texts: &[&str]) -> Vec<(usize, usize, u32)> {
    let mut lines = Vec::new();
    let mut i = usize::from(text.starts_with('\u{feff}'));
    while i < kinds.len() {
        let indent = if kinds[i] == SyntaxKind::WHITESPACE { indent_width(texts[i]) } else { 0 };
        let mut first = None;
        let mut j = i;
        while j < kinds.len() && kinds[j] != SyntaxKind::NEWLINE {
            if first.is_none() && !kinds[j].is_trivia() {
                first = Some(j);
            }
            j += 1;
        }
        if let Some(first) = first {
            lines.push((first, j, indent));
        }
        i = j + 1;
    }
    lines
}

/// Checks the line lexer's output for `text` against the plain lexer and the layout rules.
fn assert_as_plain_lexer(text: &str) {
    let plain = crate::lex(text);
    let mut errors = Vec::new();
    let lexed = lex(text, 0..text.len(), &mut errors);
    let columns = &lexed.columns;

    let kinds: Vec<SyntaxKind> = plain.tokens.iter().map(|t| t.kind).collect();
    assert_eq!(columns.kinds, kinds, "{text:?}");
    let mut start = 0u32;
    let mut starts = Vec::new();
    let mut texts = Vec::new();
    for token in &plain.tokens {
        starts.push(start);
        texts.push(&text[start as usize..(start + u32::from(token.len)) as usize]);
        start += u32::from(token.len);
    }
    starts.push(start);
    assert_eq!(columns.starts, starts, "{text:?}");
    let sorted = |mut errors: Vec<crate::SyntaxError>| {
        errors.sort_by_key(|e| (e.range.start(), e.range.end()));
        errors
    };
    assert_eq!(sorted(errors), sorted(plain.errors), "{text:?}");

    let lines: Vec<(usize, usize, u32)> =
        lexed.lines.iter().map(|l| (l.first as usize, l.end as usize, l.indent)).collect();
    assert_eq!(lines, oracle_lines(text, &kinds, &texts), "{text:?}");

    // Equal ids, and only they, name equal texts (from the first token through the line feed),
    // and an id names at least two lines.
    let line_text = |line: &Line| {
        &text[starts[line.first as usize] as usize..starts[(line.end as usize + 1).min(kinds.len())] as usize]
    };
    let mut by_text: HashMap<&str, u32> = HashMap::new();
    let mut by_id: HashMap<u32, &str> = HashMap::new();
    let mut uses: HashMap<u32, usize> = HashMap::new();
    for line in lexed.lines.iter().filter(|l| l.id != NO_ID) {
        assert_eq!(kinds.get(line.end as usize), Some(&SyntaxKind::NEWLINE), "an id for a line without its line feed");
        assert_eq!(*by_text.entry(line_text(line)).or_insert(line.id), line.id, "{text:?}");
        assert_eq!(*by_id.entry(line.id).or_insert(line_text(line)), line_text(line), "{text:?}");
        *uses.entry(line.id).or_default() += 1;
    }
    assert!(uses.values().all(|&n| n >= 2), "an id for a line that comes once: {text:?}");
}

/// Lines that lex alike or not: plain ones, trailing comments, strings that close on the line
/// and ones that run past it, durations, rejected characters, Unicode words.
const LINES: &[&str] = &[
    "entity Task \"Task\":",
    "id: uuid pk",
    "  id: uuid pk",
    "list: role(admin) or role(agent)",
    "as: admin",
    "# a comment",
    "id: uuid pk # trailing comment",
    "intent: \"A record\"",
    "intent: 'single \\' quoted'",
    "text: \"runs on",
    "to the next line\"",
    "\"unterminated",
    "due: date = today + 30d",
    "retention: 1min 7days 1.5d",
    "bad ! character",
    "nbsp\u{a0}here",
    "Café: x² _a1",
    "<-> <- -> <= == != ::",
    "",
    "\r",
    "\t",
    "   ",
];

/// Lines of `LINES`, each with an indentation, repeated in chunks, with LF or CRLF line ends,
/// sometimes a byte-order mark first and sometimes no final line feed.
fn file() -> impl Strategy<Value = String> {
    let line = (0usize..6, 0..LINES.len());
    let chunk = prop::collection::vec(line, 1..8);
    let chunks = prop::collection::vec((chunk, 1usize..4), 1..6);
    (chunks, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(chunks, crlf, bom, open_end)| {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        for (lines, times) in chunks {
            for _ in 0..times {
                for &(depth, line) in &lines {
                    let indent = match depth {
                        4 => "\t".to_owned(),
                        5 => " \r ".to_owned(),
                        _ => "  ".repeat(depth),
                    };
                    text.push_str(&indent);
                    text.push_str(LINES[line]);
                    text.push_str(newline);
                }
            }
        }
        if open_end {
            text.truncate(text.trim_end_matches(['\r', '\n']).len());
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn copied_lines_lex_as_the_plain_lexer_does(text in file()) {
        assert_as_plain_lexer(&text);
    }

    #[test]
    fn any_text_lexes_as_the_plain_lexer_does(text in "[a-z \t\r\n\"'#:()!0-9\u{feff}é]{0,80}") {
        assert_as_plain_lexer(&text);
        assert_as_plain_lexer(&format!("{text}\n{text}\n"));
    }
}

/// Every parser fixture, alone and twice in a row.
#[test]
fn fixtures_lex_as_the_plain_lexer_does() {
    for text in parser_fixtures() {
        assert_as_plain_lexer(&text);
        assert_as_plain_lexer(&format!("{text}\n{text}"));
    }
}

/// A repeated line is copied, not lexed again: it gets its first appearance's id.
#[test]
fn repeated_lines_share_an_id() {
    let mut errors = Vec::new();
    let text = "a: b\n  a: b\nc: d\n\"x\ny\"\n\"x\ny\"\nq !\nq !\n  a: b";
    let lexed = lex(text, 0..text.len(), &mut errors);
    let ids: Vec<u32> = lexed.lines.iter().map(|l| l.id).collect();
    assert_eq!(ids, [0, 0, NO_ID, NO_ID, NO_ID, NO_ID, NO_ID, NO_ID]);
}
