//! Data-driven parser tests: every `test_data/parser/{ok,err}/*.dsl` is parsed and its tree and
//! diagnostics compared with the `.rast` file beside it (`UPDATE_EXPECT=1` rewrites them).
//! `ok/` files must have no syntax error, `err/` files at least one; every tree must give
//! back its input byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use dazzle_syntax::{Dialect, Severity, parse};
use expect_test::expect_file;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/parser").join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "dsl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", root.display());
    files
}

/// The tree, then one `line:col: severity[code]: message` per diagnostic.
fn render(text: &str, dialect: Dialect) -> String {
    let parse = parse(text, dialect);
    assert_eq!(parse.syntax().to_string(), text, "the tree must give back the input");
    let mut out = parse.debug_tree();
    for error in parse.errors() {
        let start = usize::from(error.range.start());
        let line = text[..start].matches('\n').count() + 1;
        let col = text[..start].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let severity = match error.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{line}:{col}: {severity}[{}]: {}\n", error.code, error.message));
    }
    out
}

fn check_dir(dir: &str, expect_errors: bool) {
    for path in fixtures(dir) {
        let text = fs::read_to_string(&path).expect("fixture is UTF-8");
        let errors = parse(&text, Dialect::V0_125).errors().iter().filter(|e| e.severity == Severity::Error).count();
        assert_eq!(
            errors > 0,
            expect_errors,
            "{}: {errors} syntax errors, expected {}",
            path.display(),
            if expect_errors { "some" } else { "none" }
        );
        expect_file![path.with_extension("rast")].assert_eq(&render(&text, Dialect::V0_125));
    }
}

#[test]
fn ok_fixtures_parse_cleanly() {
    check_dir("ok", false);
}

#[test]
fn err_fixtures_report_every_error() {
    check_dir("err", true);
}

#[test]
fn the_0112_dialect_does_not_report_its_own_constructs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/parser/ok/constructs_0112.dsl");
    let text = fs::read_to_string(path).expect("fixture");
    assert!(parse(&text, Dialect::V0_112).errors().is_empty());
    let warnings = parse(&text, Dialect::V0_125).errors().iter().filter(|e| e.code == "removed-construct").count();
    assert_eq!(warnings, 9);
}
