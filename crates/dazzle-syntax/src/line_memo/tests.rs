//! Replaying a line must give what parsing it afresh gives: files of repeated lines in every
//! context, and the parser fixtures, against the same parser with the memo disabled.

use proptest::prelude::*;

use crate::parser::Parser;
use crate::test_fixtures::parser_fixtures;
use crate::test_line_files::file;
use crate::{Dialect, line_lexer};

/// Parses `text` in both dialects with and without the memo; the trees and the diagnostics
/// must be equal.
fn assert_same_without_memo(text: &str) {
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        let parse = |replay: bool| {
            let parser = Parser::new(text, line_lexer::lex(text, 0..text.len(), &mut Vec::new()), dialect, true);
            let parsed = if replay { parser.parse_file() } else { parser.without_line_memo().parse_file() };
            (parsed.green, parsed.errors)
        };
        let (tree, errors) = parse(true);
        let (fresh_tree, fresh_errors) = parse(false);
        assert_eq!(errors, fresh_errors, "{dialect:?}: {text:?}");
        assert_eq!(tree, fresh_tree, "{dialect:?}: {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn replayed_lines_parse_as_fresh_ones(text in file()) {
        assert_same_without_memo(&text);
    }
}

/// Every fixture, alone and twice in a row (a second header meets the flags the first left).
#[test]
fn fixtures_parse_as_without_the_memo() {
    for text in parser_fixtures() {
        assert_same_without_memo(&text);
        assert_same_without_memo(&format!("{text}\n{text}"));
    }
}
