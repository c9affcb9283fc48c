//! Data-driven matrix tests: every `test_data/matrix/*.dsl` is analysed as a one-file project
//! and its matrix (the reference's Markdown table) and warnings are compared with the
//! `.matrix` file beside it (`UPDATE_EXPECT=1` rewrites them). The cases are the decision
//! paths and edge cases of security-semantics §1.4–§1.7; each was checked against
//! `dazzle rbac matrix` of dazzle-dsl 0.125.0 when it was written.

use std::fs;
use std::path::Path;

use dazzle_analysis::access::Operation;
use dazzle_analysis::{AnalysisHost, Durability};
use dazzle_syntax::Dialect;
use expect_test::expect_file;

fn render(text: &str) -> String {
    let mut host = AnalysisHost::default();
    let file = host.add_file("app.dsl", text, Dialect::V0_125, Durability::LOW);
    let project = host.add_project(Some("[project]\nroot = \"t.core\"\n"), &[file], None);
    let matrix = host.analysis().matrix(project).expect("not cancelled").expect("project exists");
    let mut out = String::new();
    out.push_str(&format!("| entity | operation | {} |\n", matrix.roles.join(" | ")));
    for rows in &matrix.entities {
        for op in Operation::ALL {
            let cells: Vec<&str> = (0..matrix.roles.len()).map(|r| rows.get(r, op).as_str()).collect();
            out.push_str(&format!("| {} | {op} | {} |\n", rows.entity, cells.join(" | ")));
        }
    }
    out.push('\n');
    for w in &matrix.warnings {
        out.push_str(&format!("{} [{} / {} / {}]: {}\n", w.kind, w.entity, w.role, w.operation, w.message));
    }
    out
}

#[test]
fn matrix_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/matrix");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("test_data/matrix")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dsl"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for case in cases {
        let text = fs::read_to_string(&case).expect("case text");
        expect_file![case.with_extension("matrix")].assert_eq(&render(&text));
    }
}
