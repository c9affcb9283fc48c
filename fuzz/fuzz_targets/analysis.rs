//! Whole-project analysis on multi-file inputs: the input is split at NUL bytes into a
//! `dazzle.toml` and up to eight `.dsl` files; linking, the RBAC matrix, every rule, every
//! file's diagnostics and a drift check must never panic, and every diagnostic range must lie
//! inside its file on character boundaries.
#![no_main]

use dazzle_analysis::diagnostics::DiagnosticFile;
use dazzle_analysis::drift::SignedOffMatrix;
use dazzle_analysis::{AnalysisHost, Durability};
use dazzle_syntax::{Dialect, TextSize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let manifest = parts.next().unwrap_or_default().to_owned();
    let files: Vec<String> = parts.take(8).map(str::to_owned).collect();
    let mut host = AnalysisHost::default();
    let ids: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, f)| host.add_file(&format!("dsl/f{i}.dsl"), f.as_str(), Dialect::V0_125, Durability::LOW))
        .collect();
    let project = host.add_project(Some(&manifest), &ids, None);
    let analysis = host.analysis();
    analysis.matrix(project).expect("not cancelled");
    for (i, &id) in ids.iter().enumerate() {
        for d in analysis.file_diagnostics(project, id).expect("not cancelled") {
            assert!(matches!(d.file, DiagnosticFile::Source(_)));
            assert!(d.range.end() <= TextSize::of(files[i].as_str()), "{d:?}");
            assert!(files[i].is_char_boundary(d.range.start().into()), "{d:?}");
            assert!(files[i].is_char_boundary(d.range.end().into()), "{d:?}");
            for fix in &d.fixes {
                for edit in &fix.edits {
                    assert!(edit.range.end() <= TextSize::of(files[i].as_str()), "{fix:?}");
                }
            }
        }
    }
    for d in analysis.manifest_diagnostics(project).expect("not cancelled") {
        if d.file == DiagnosticFile::Manifest {
            assert!(d.range.end() <= TextSize::of(manifest.as_str()), "{d:?}");
        }
    }
    analysis.matrix_drift(project, &SignedOffMatrix::default()).expect("not cancelled");
});
