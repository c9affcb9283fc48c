//! The lexer and parser on a file large enough to be parsed in pieces, one per core: the input
//! (arbitrary bytes, lossily decoded), repeated up to 160 KiB, cut where `parse` cuts it. The
//! checks are the `parse` target's, on the whole text: no panic, the tree's text equals the
//! input, the tree's tokens are the plain lexer's (a word may be re-tagged as a keyword), every
//! diagnostic range lies inside the text on character boundaries; besides, the diagnostics are
//! in text order and the depth-limit error, said once per file, comes at most once. That the
//! pieces give the one-piece tree is checked by the unit tests of `pieces.rs`, which can parse
//! in one piece.
#![no_main]

use dazzle_syntax::{Dialect, lex, parse};
use libfuzzer_sys::fuzz_target;

#[path = "parse_checks.rs"]
mod parse_checks;

/// Past twice the smallest piece (64 KiB), so that two cores cut the text.
const SIZE: usize = 160 * 1024;

fuzz_target!(|data: &[u8]| {
    let unit = String::from_utf8_lossy(data);
    if unit.is_empty() {
        return;
    }
    let text = unit.repeat(SIZE.div_ceil(unit.len()));
    let parsed = parse(&text, Dialect::V0_112);
    parse_checks::assert_parse_is_faithful(&text, &lex(&text).tokens, &parsed);
    let ranges: Vec<_> = parsed.errors().iter().map(|e| (e.range.start(), e.range.end())).collect();
    assert!(ranges.is_sorted(), "diagnostics out of text order");
    let depth = parsed.errors().iter().filter(|e| e.message.starts_with("Blocks are nested more than")).count();
    assert!(depth <= 1, "the depth limit reported {depth} times");
});
