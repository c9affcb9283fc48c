//! Lexer + parser on arbitrary text in both dialects: never panics, never loses a byte, every
//! diagnostic range lies inside the text, and the tree's tokens are the plain lexer's (the
//! parser lexes a repeated line once and copies it; it may only re-tag a word as a keyword).
#![no_main]

use dazzle_syntax::{Dialect, SyntaxKind, for_each_token, lex, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let plain = lex(&text).tokens;
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        let parsed = parse(&text, dialect);
        assert_eq!(parsed.syntax().to_string(), text, "tree text differs from the input");
        let len = dazzle_syntax::TextSize::of(&*text);
        for error in parsed.errors() {
            assert!(error.range.end() <= len, "diagnostic range past the end: {error:?}");
            assert!(text.is_char_boundary(error.range.start().into()));
            assert!(text.is_char_boundary(error.range.end().into()));
        }
        let mut tokens = plain.iter();
        for_each_token(parsed.green(), |kind, range, _| {
            let token = tokens.next().expect("the tree has more tokens than the lexer");
            assert_eq!(range.len(), token.len, "a token's length differs from the lexer's");
            let retagged = token.kind == SyntaxKind::IDENT && kind == SyntaxKind::KEYWORD;
            assert!(kind == token.kind || retagged, "{kind:?} where the lexer has {:?}", token.kind);
        });
        assert!(tokens.next().is_none(), "the lexer has more tokens than the tree");
    }
});
