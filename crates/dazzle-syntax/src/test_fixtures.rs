//! The parser fixtures (`test_data/parser/{ok,err}/*.dsl`), for the tests that check their
//! property on every one: unit tests, and `tests/robustness.rs`, which includes this file.

use std::fs;
use std::path::Path;

/// The text of every parser fixture.
pub(crate) fn parser_fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/parser");
    let mut texts = Vec::new();
    for dir in ["ok", "err"] {
        for entry in fs::read_dir(root.join(dir)).expect("fixture directory") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "dsl") {
                texts.push(fs::read_to_string(&path).expect("fixture"));
            }
        }
    }
    assert!(texts.len() > 10, "only {} fixtures", texts.len());
    texts
}
