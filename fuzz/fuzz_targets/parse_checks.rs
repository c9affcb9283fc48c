//! What the `parse` and `pieces` targets check of every parse.

use dazzle_syntax::{Parse, SyntaxKind, TextSize, Token, for_each_token};

/// The tree's text is `text`, every diagnostic lies inside it on character boundaries, and the
/// tree's tokens are `plain` (the plain lexer's), a word possibly re-tagged as a keyword.
pub fn assert_parse_is_faithful(text: &str, plain: &[Token], parsed: &Parse) {
    assert_eq!(parsed.syntax().to_string(), text, "tree text differs from the input");
    let len = TextSize::of(text);
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
