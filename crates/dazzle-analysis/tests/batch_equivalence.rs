//! A one-shot batch run lowers the item index from the file's own tree; an editor session
//! lowers it from the canonical text (the incrementality firewall). Both must agree on every
//! file, or `--check` and the language server would disagree.

use std::path::Path;

use dazzle_analysis::{AnalysisHost, Durability};
use dazzle_syntax::Dialect;

fn index_of(host: &mut AnalysisHost, text: &str) -> dazzle_analysis::item_index::ItemIndex {
    let file = host.add_file("case.dsl", text, Dialect::V0_125, Durability::LOW);
    let source = host.source_file(file).expect("file was added");
    (**dazzle_analysis::db::item_index(host.db(), source)).clone()
}

#[test]
fn batch_and_editor_item_indexes_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("test_data/matrix"),
        root.join("test_data/rules"),
        root.join("../dazzle-syntax/test_data/parser/ok"),
        root.join("../dazzle-syntax/test_data/parser/err"),
        root.join("../../examples/clinic/dsl"),
    ];
    let mut checked = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "dsl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
            let editor = index_of(&mut AnalysisHost::default(), &text);
            let batch = index_of(&mut AnalysisHost::batch(), &text);
            assert_eq!(editor, batch, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} files checked");
}

#[test]
#[ignore = "needs the conformance kit: set DAZZLE_CONFORMANCE=path/to/shared/conformance"]
fn batch_and_editor_agree_on_the_conformance_corpus() {
    let kit = std::env::var("DAZZLE_CONFORMANCE").expect("DAZZLE_CONFORMANCE must name the kit");
    let mut stack = vec![Path::new(&kit).join("corpus")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "dsl") {
                let text = std::fs::read_to_string(&path).expect("UTF-8");
                let editor = index_of(&mut AnalysisHost::default(), &text);
                let batch = index_of(&mut AnalysisHost::batch(), &text);
                assert_eq!(editor, batch, "{}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} corpus files");
}
