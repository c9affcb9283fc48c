//! Data-driven rule tests: every `test_data/rules/*.dsl` is analysed as a one-file project and
//! its diagnostics (position, severity, code, message, fixes) are compared with the
//! `.diagnostics` file beside it (`UPDATE_EXPECT=1` rewrites them). Each case file holds
//! positive cases and the negative ones that must stay silent, commented as such.

use std::fs;
use std::path::Path;

use dazzle_analysis::{AnalysisHost, Durability};
use dazzle_syntax::Dialect;
use expect_test::expect_file;

fn render(text: &str) -> String {
    let mut host = AnalysisHost::default();
    let file = host.add_file("app.dsl", text, Dialect::V0_125, Durability::LOW);
    let project = host.add_project(Some("[project]\nroot = \"t.core\"\n"), &[file], None);
    let diagnostics = host.analysis().file_diagnostics(project, file).expect("not cancelled");
    let line_col = |offset: usize| {
        let line = text[..offset].matches('\n').count() + 1;
        let col = text[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    };
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = line_col(usize::from(d.range.start()));
        let covered = &text[usize::from(d.range.start())..usize::from(d.range.end())];
        out.push_str(&format!("{line}:{col} {}[{}] {:?}\n  {}\n", d.severity.as_str(), d.code, covered, d.message));
        for fix in &d.fixes {
            out.push_str(&format!("  fix: {}\n", fix.label));
            for edit in &fix.edits {
                out.push_str(&format!("    at {:?} insert {:?}\n", edit.range, edit.insert));
            }
        }
    }
    out
}

#[test]
fn rule_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rules");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("test_data/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dsl"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for case in cases {
        let text = fs::read_to_string(&case).expect("case text");
        expect_file![case.with_extension("diagnostics")].assert_eq(&render(&text));
    }
}
