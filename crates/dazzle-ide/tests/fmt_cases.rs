//! Data-driven formatter tests: every `test_data/fmt/*.dsl` is formatted and compared with the
//! `.formatted` file beside it (`UPDATE_EXPECT=1` rewrites them); the items kept as written
//! and a refusal, if any, are listed after a `---` line. Leading `#- indent: 4` and
//! `#- dialect: 0.112` lines set the options (and are not part of the input). Each case is
//! also checked to be idempotent and to keep every comment, string and syntax error. A
//! carriage return is shown as `␍` in the `.formatted` files (snapshots compare lines).

use std::fs;
use std::path::Path;

use dazzle_ide::{FormatOptions, format};
use dazzle_syntax::{Dialect, SyntaxKind};
use expect_test::expect_file;

fn preserved(text: &str, dialect: Dialect) -> (Vec<String>, Vec<(&'static str, String)>) {
    let parse = dazzle_syntax::parse(text, dialect);
    let mut tokens = Vec::new();
    dazzle_syntax::for_each_token(parse.green(), |kind, _, t| {
        if matches!(kind, SyntaxKind::COMMENT | SyntaxKind::STRING) {
            tokens.push(t.trim_end().to_owned());
        }
    });
    (tokens, parse.errors().iter().map(|e| (e.code, e.message.clone())).collect())
}

#[test]
fn fmt_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/fmt");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("test_data/fmt")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dsl"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    for case in cases {
        let raw = fs::read_to_string(&case).expect("case text");
        let (mut options, mut dialect) = (FormatOptions::default(), Dialect::V0_125);
        let mut input = String::new();
        for line in raw.split_inclusive('\n') {
            if let Some(n) = line.strip_prefix("#- indent: ") {
                options.indent = n.trim().parse().expect("an indent");
            } else if line.starts_with("#- dialect: 0.112") {
                dialect = Dialect::V0_112;
            } else {
                input.push_str(line);
            }
        }
        let once = format(&input, dialect, &options);
        let twice = format(&once.text, dialect, &options);
        assert_eq!(once.text, twice.text, "{}: not idempotent", case.display());
        assert_eq!(preserved(&input, dialect), preserved(&once.text, dialect), "{}: lost a token", case.display());
        let mut out = once.text.clone();
        if !once.skipped.is_empty() || once.refused.is_some() {
            out.push_str("---\n");
            for range in &once.skipped {
                let line = input[..usize::from(range.start())].matches('\n').count() + 1;
                out.push_str(&format!("kept as written: the item starting on line {line}\n"));
            }
            if let Some(reason) = &once.refused {
                out.push_str(&format!("refused: {reason}\n"));
            }
        }
        expect_file![case.with_extension("formatted")].assert_eq(&out.replace('\r', "␍"));
    }
}
