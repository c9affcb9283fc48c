//! Lexer + parser on arbitrary text in both dialects: never panics, never loses a byte, every
//! diagnostic range lies inside the text, and the tree's tokens are the plain lexer's (the
//! parser lexes a repeated line once and copies it; it may only re-tag a word as a keyword).
#![no_main]

use dazzle_syntax::{Dialect, lex, parse};
use libfuzzer_sys::fuzz_target;

#[path = "parse_checks.rs"]
mod parse_checks;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let plain = lex(&text).tokens;
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        parse_checks::assert_parse_is_faithful(&text, &plain, &parse(&text, dialect));
    }
});
