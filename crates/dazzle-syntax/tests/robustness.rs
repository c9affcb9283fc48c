//! Hostile input: the parser never panics, never loses a byte and keeps its diagnostics inside
//! the text; random and mutated inputs are checked by property tests.

use dazzle_syntax::{Dialect, TextSize, parse};
use proptest::prelude::*;

#[path = "../src/test_fixtures.rs"]
mod test_fixtures;

/// Parses `text` in both dialects and checks the invariants every parse must keep.
fn check(text: &str) {
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        let parsed = parse(text, dialect);
        assert_eq!(parsed.syntax().to_string(), text, "tree text differs from the input");
        let len = TextSize::of(text);
        for error in parsed.errors() {
            assert!(error.range.end() <= len, "range past the end: {error:?}");
            assert!(text.is_char_boundary(error.range.start().into()), "{error:?}");
            assert!(text.is_char_boundary(error.range.end().into()), "{error:?}");
            assert!(!error.message.is_empty());
        }
    }
}

#[test]
fn empty_and_blank_files() {
    for text in ["", "\n", "   ", "\t\t\n\n", "# only a comment", "\r", "\r\r\r", "\r\n\r\n"] {
        check(text);
        assert!(parse(text, Dialect::V0_125).errors().is_empty(), "{text:?}");
    }
}

#[test]
fn binary_garbage() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    check(&text);
    assert!(!parse(&text, Dialect::V0_125).errors().is_empty());
}

#[test]
fn ten_megabytes_on_one_line() {
    let line = "entity E: ".to_owned() + &"x = \"a\" or role(b) ".repeat(10 * 1024 * 1024 / 20);
    check(&line);
}

#[test]
fn deep_indentation_is_bounded() {
    let text: String = (0..5_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    check(&text);
    let errors = parse(&text, Dialect::V0_125).errors().to_vec();
    assert!(errors.iter().any(|e| e.message.contains("nested more than")), "{errors:?}");
}

#[test]
fn deep_parentheses_are_bounded() {
    let cond = format!("{}a = b{}", "(".repeat(20_000), ")".repeat(20_000));
    let text = format!("entity E:\n  permit:\n    read: {cond}\n");
    check(&text);
    assert!(parse(&text, Dialect::V0_125).errors().iter().any(|e| e.message.contains("nested more than")));
}

#[test]
fn lone_carriage_returns_and_crlf() {
    check("entity E:\r  id: uuid pk\r");
    check("entity E:\r\n  id: uuid pk\r\n\r\n  name: str(10)\r\n");
    let crlf = parse("entity E:\r\n  id: uuid pk\r\n\r\n  name: str(10)\r\n", Dialect::V0_125);
    assert!(crlf.errors().is_empty(), "{:?}", crlf.errors());
}

#[test]
fn unterminated_strings_everywhere() {
    check(&"'\"".repeat(5_000));
    check("entity E \"open:\n  id: uuid pk\n");
}

/// Lines built from the words and punctuation of the language, at random indentation.
fn dsl_like() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "entity",
        "E",
        "permit",
        "scope",
        "read",
        "list",
        ":",
        " ",
        "  ",
        "\t",
        "\n",
        "\n  ",
        "\n    ",
        "role(",
        ")",
        "(",
        "or",
        "and",
        "not",
        "=",
        "!=",
        "via",
        "as",
        "*",
        ",",
        "[",
        "]",
        "\"s\"",
        "'",
        "\"",
        "1.2.3",
        "30d",
        "str(10)",
        "enum[a,b]",
        "ref",
        "pii(",
        "# c",
        "\r",
        "\r\n",
        "->",
        "-",
        "module",
        "use",
        "app",
        "persona",
        "surface",
        "stream",
        "✓",
        "é",
        "\u{feff}",
        "!",
        "@",
    ]);
    prop::collection::vec(token, 0..200).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_round_trips(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn random_dsl_like_text_round_trips(text in dsl_like()) {
        check(&text);
    }

    #[test]
    fn mutated_fixtures_round_trip(
        file in 0usize..64,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, "\\PC{0,3}"), 1..8),
    ) {
        let fixtures = fixture_texts();
        let mut text = fixtures[file % fixtures.len()].clone();
        for (at, op, insert) in edits {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let i = boundaries[at.index(boundaries.len())];
            let j = boundaries[(at.index(boundaries.len()) + 3).min(boundaries.len() - 1)];
            match op {
                0 => text.insert_str(i, &insert),
                1 => text.replace_range(i..j, ""),
                _ => text.replace_range(i..j, &insert),
            }
        }
        check(&text);
    }
}

/// The parser fixtures, in a fixed order.
fn fixture_texts() -> Vec<String> {
    let mut texts = test_fixtures::parser_fixtures();
    texts.sort();
    texts
}
