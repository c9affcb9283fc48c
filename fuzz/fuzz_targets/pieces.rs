//! The lexer and parser on a file large enough to be parsed in pieces, one per core: the input
//! (arbitrary bytes, lossily decoded), repeated up to 160 KiB, cut where `parse` cuts it. The
//! checks are the `parse` target's, on the whole text: no panic, the tree's text equals the
//! input, the tree's tokens are the plain lexer's (a word may be re-tagged as a keyword), every
//! diagnostic range lies inside the text on character boundaries, in text order; and the
//! depth-limit error, said once per file, at most once. That the pieces give the one-piece tree
//! is checked by the unit tests of `pieces.rs`, which can parse in one piece.
#![no_main]

use dazzle_syntax::{Dialect, SyntaxKind, TextSize, for_each_token, lex, parse};
use libfuzzer_sys::fuzz_target;

/// Past twice the smallest piece (64 KiB), so that two cores cut the text.
const SIZE: usize = 160 * 1024;

fuzz_target!(|data: &[u8]| {
    let unit = String::from_utf8_lossy(data);
    if unit.is_empty() {
        return;
    }
    let text = unit.repeat(SIZE.div_ceil(unit.len()));
    let plain = lex(&text).tokens;
    let parsed = parse(&text, Dialect::V0_112);
    assert_eq!(parsed.syntax().to_string(), text, "tree text differs from the input");
    let len = TextSize::of(&*text);
    let mut previous = None;
    for error in parsed.errors() {
        assert!(error.range.end() <= len, "diagnostic range past the end: {error:?}");
        assert!(text.is_char_boundary(error.range.start().into()));
        assert!(text.is_char_boundary(error.range.end().into()));
        let key = (error.range.start(), error.range.end());
        assert!(previous.is_none_or(|previous| previous <= key), "diagnostics out of text order");
        previous = Some(key);
    }
    let depth = parsed.errors().iter().filter(|e| e.message.starts_with("Blocks are nested more than")).count();
    assert!(depth <= 1, "the depth limit reported {depth} times");
    let mut tokens = plain.iter();
    for_each_token(parsed.green(), |kind, range, _| {
        let token = tokens.next().expect("the tree has more tokens than the lexer");
        assert_eq!(range.len(), token.len, "a token's length differs from the lexer's");
        let retagged = token.kind == SyntaxKind::IDENT && kind == SyntaxKind::KEYWORD;
        assert!(kind == token.kind || retagged, "{kind:?} where the lexer has {:?}", token.kind);
    });
    assert!(tokens.next().is_none(), "the lexer has more tokens than the tree");
});
