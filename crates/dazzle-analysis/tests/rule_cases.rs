//! Data-driven rule tests: every `test_data/rules/*.dsl` is analysed as a project and its
//! diagnostics (position, severity, code, message, related places, fixes) are compared with the
//! `.diagnostics` file beside it (`UPDATE_EXPECT=1` rewrites them). Each case file holds
//! positive cases and the negative ones that must stay silent, commented as such.
//!
//! A case is one file, or several split by `#- file: NAME` lines (the first is `app.dsl` unless
//! named; one named `dazzle.toml` is the manifest, whose own findings are shown too). A first line `#- dialect: 0.112` reads the
//! project in that dialect (otherwise it is inferred, as for a real project).

use std::fs;
use std::path::Path;

use dazzle_analysis::diagnostics::{Diagnostic, DiagnosticFile};
use dazzle_analysis::{Analysis, AnalysisHost, Durability, ProjectId};
use dazzle_syntax::Dialect;
use expect_test::expect_file;

const DEFAULT_MANIFEST: &str = "[project]\nroot = \"t.core\"\n";

/// The files of a case, and its dialect (`None`: inferred, as for a project without one).
fn split(text: &str) -> (Vec<(String, String)>, Option<Dialect>) {
    let mut dialect = None;
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("#- dialect: ") {
            dialect = match name.trim() {
                "0.112" => Some(Dialect::V0_112),
                "0.125" => Some(Dialect::V0_125),
                other => panic!("unknown dialect {other}"),
            };
        } else if let Some(name) = line.strip_prefix("#- file: ") {
            parts.push((name.trim().to_owned(), String::new()));
        } else {
            if parts.is_empty() {
                parts.push(("app.dsl".to_owned(), String::new()));
            }
            parts.last_mut().expect("a file").1.push_str(line);
        }
    }
    (parts, dialect)
}

fn render(text: &str) -> String {
    let (parts, dialect) = split(text);
    let manifest = parts.iter().find(|(n, _)| n == "dazzle.toml").map_or(DEFAULT_MANIFEST, |(_, t)| t.as_str());
    let sources: Vec<&(String, String)> = parts.iter().filter(|(n, _)| n != "dazzle.toml").collect();
    let mut host = AnalysisHost::default();
    let ids: Vec<_> = sources
        .iter()
        .map(|(n, t)| host.add_file(n, t.as_str(), dialect.unwrap_or(Dialect::V0_125), Durability::LOW))
        .collect();
    let project = host.add_project(Some(manifest), &ids, dialect);
    let analysis = host.analysis();
    assert_findings_in_their_entities_files(&analysis, project);
    let mut out = String::new();
    for ((name, text), &file) in sources.iter().zip(&ids) {
        let diagnostics = analysis.file_diagnostics(project, file).expect("not cancelled");
        let prefix = if sources.len() > 1 { format!("{name}:") } else { String::new() };
        render_diagnostics(&mut out, &prefix, text, &diagnostics);
    }
    // A case with its own manifest also shows the manifest's findings.
    if let Some((_, manifest)) = parts.iter().find(|(n, _)| n == "dazzle.toml") {
        let all = analysis.manifest_diagnostics(project).expect("not cancelled");
        let own: Vec<_> = all.into_iter().filter(|d| d.file == DiagnosticFile::Manifest).collect();
        render_diagnostics(&mut out, "dazzle.toml:", manifest, &own);
    }
    out
}

/// A file's diagnostics analyse only the entities it declares (`rules::file_findings`): that
/// is exact only while every finding of an entity lies in the entity's own file.
fn assert_findings_in_their_entities_files(analysis: &Analysis, project: ProjectId) {
    let p = analysis.project_input(project).expect("a project");
    analysis
        .with_db(|db| {
            for &def in dazzle_analysis::db::entity_defs(db, p).iter() {
                let entity = def.linked(db);
                for finding in dazzle_analysis::rules::entity_findings(db, def).iter() {
                    assert_eq!(
                        finding.file, entity.file,
                        "{} of entity {} lies in another file",
                        finding.code, entity.name
                    );
                }
            }
        })
        .expect("not cancelled");
}

/// One line per diagnostic of `text` (position, severity, code, covered text), its message,
/// related places and fixes.
fn render_diagnostics(out: &mut String, prefix: &str, text: &str, diagnostics: &[Diagnostic]) {
    let line_col = |offset: usize| {
        let line = text[..offset].matches('\n').count() + 1;
        let col = text[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    };
    for d in diagnostics {
        let (line, col) = line_col(usize::from(d.range.start()));
        let covered = &text[usize::from(d.range.start())..usize::from(d.range.end())];
        out.push_str(&format!(
            "{prefix}{line}:{col} {}[{}] {:?}\n  {}\n",
            d.severity.as_str(),
            d.code,
            covered,
            d.message
        ));
        for r in &d.related {
            let (line, col) = line_col(usize::from(r.range.start()));
            out.push_str(&format!("  related {line}:{col}: {}\n", r.message));
        }
        for fix in &d.fixes {
            out.push_str(&format!("  fix: {}\n", fix.label));
            for edit in &fix.edits {
                out.push_str(&format!("    at {:?} insert {:?}\n", edit.range, edit.insert));
            }
        }
    }
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
        let (parts, _) = split(&text);
        for (name, body) in &parts {
            let tree = dazzle_syntax::parse(body, Dialect::V0_125);
            assert_eq!(tree.syntax().to_string(), *body, "{}: {name} round-trips", case.display());
        }
        expect_file![case.with_extension("diagnostics")].assert_eq(&render(&text));
    }
}
