//! Lexer + parser on arbitrary text in both dialects: never panics, never loses a byte, and
//! every diagnostic range lies inside the text.
#![no_main]

use dazzle_syntax::{Dialect, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        let parsed = parse(&text, dialect);
        assert_eq!(parsed.syntax().to_string(), text, "tree text differs from the input");
        let len = dazzle_syntax::TextSize::of(&*text);
        for error in parsed.errors() {
            assert!(error.range.end() <= len, "diagnostic range past the end: {error:?}");
            assert!(text.is_char_boundary(error.range.start().into()));
            assert!(text.is_char_boundary(error.range.end().into()));
        }
    }
});
