//! The formatter on arbitrary text in both dialects and both indentations: never panics, is
//! idempotent, keeps every string byte for byte and every comment (its trailing blanks aside),
//! in order, keeps the syntax errors (code and message) and the sequence of significant tokens.
#![no_main]

use dazzle_ide::{FormatOptions, format};
use dazzle_syntax::{Dialect, SyntaxKind, parse};
use libfuzzer_sys::fuzz_target;

/// Significant tokens (comments without trailing blanks) and syntax errors (code, message).
type Meaning = (Vec<(SyntaxKind, String)>, Vec<(&'static str, String)>);

fn meaning(text: &str, dialect: Dialect) -> Meaning {
    let parsed = parse(text, dialect);
    let mut tokens = Vec::new();
    dazzle_syntax::for_each_token(parsed.green(), |kind, _, t| match kind {
        SyntaxKind::WHITESPACE | SyntaxKind::NEWLINE => {}
        SyntaxKind::COMMENT => tokens.push((kind, t.trim_end().to_owned())),
        _ => tokens.push((kind, t.to_owned())),
    });
    (tokens, parsed.errors().iter().map(|e| (e.code, e.message.clone())).collect())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        for indent in [2, 4] {
            let options = FormatOptions { indent };
            let once = format(&text, dialect, &options);
            let twice = format(&once.text, dialect, &options);
            assert_eq!(once.text, twice.text, "not idempotent");
            assert_eq!(meaning(&text, dialect), meaning(&once.text, dialect), "tokens or errors changed");
        }
    }
});
