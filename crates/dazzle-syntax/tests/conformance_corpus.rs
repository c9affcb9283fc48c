//! Round trip over the real projects and parser corpora of the conformance kit. The kit is not
//! part of the repository, so this test is ignored by default; `.ci/run` runs it with
//! `DAZZLE_CONFORMANCE` pointing at the kit (accept/reject agreement is scored by its
//! `compare.py`).

use std::path::{Path, PathBuf};

use dazzle_syntax::{Dialect, parse};

fn dsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            dsl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "dsl") {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs the conformance kit: set DAZZLE_CONFORMANCE=path/to/shared/conformance"]
fn every_corpus_file_round_trips() {
    let kit = std::env::var("DAZZLE_CONFORMANCE").expect("DAZZLE_CONFORMANCE must name the kit");
    let mut files = Vec::new();
    dsl_files(&Path::new(&kit).join("corpus"), &mut files);
    assert!(files.len() >= 100, "only {} corpus files found under {kit}", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
        for dialect in [Dialect::V0_112, Dialect::V0_125] {
            assert_eq!(parse(&text, dialect).syntax().to_string(), text, "{}", path.display());
        }
    }
    println!("{} corpus files round-trip in both dialects", files.len());
}
