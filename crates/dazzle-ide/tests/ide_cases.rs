//! Data-driven IDE tests: each `test_data/*.dsl` is a project (files split by `#- file: name`
//! lines, the first one `app.dsl` unless named) with one cursor `$0`. Every feature is run at
//! the cursor or over its file and rendered beside the case as `.ide` (`UPDATE_EXPECT=1`
//! rewrites them).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use dazzle_analysis::{Analysis, AnalysisHost, Durability, FileId, ProjectId};
use dazzle_syntax::{Dialect, TextRange, TextSize};
use expect_test::expect_file;

struct Case {
    files: Vec<(String, String, FileId)>,
    analysis: Analysis,
    project: ProjectId,
    cursor_file: usize,
    cursor: TextSize,
}

fn load(text: &str) -> Case {
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("#- file: ") {
            parts.push((name.trim().to_owned(), String::new()));
        } else {
            if parts.is_empty() {
                parts.push(("app.dsl".to_owned(), String::new()));
            }
            parts.last_mut().expect("a file").1.push_str(line);
        }
    }
    let mut host = AnalysisHost::default();
    let (mut cursor_file, mut cursor) = (0, TextSize::default());
    let mut files = Vec::new();
    for (i, (name, mut body)) in parts.into_iter().enumerate() {
        if let Some(at) = body.find("$0") {
            body.replace_range(at..at + 2, "");
            (cursor_file, cursor) = (i, TextSize::try_from(at).expect("small"));
        }
        let id = host.add_file(&name, body.as_str(), Dialect::V0_125, Durability::LOW);
        files.push((name, body, id));
    }
    let ids: Vec<FileId> = files.iter().map(|f| f.2).collect();
    let project = host.add_project(Some("[project]\nroot = \"t.core\"\n"), &ids, None);
    Case { files, analysis: host.analysis(), project, cursor_file, cursor }
}

impl Case {
    /// `file:line:col-line:col `text`` of a range.
    fn at(&self, file: FileId, range: TextRange) -> String {
        let (name, text, _) = self.files.iter().find(|f| f.2 == file).expect("known file");
        let pos = |offset: TextSize| {
            let offset = usize::from(offset);
            let line = text[..offset].matches('\n').count() + 1;
            let col = text[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{line}:{col}")
        };
        let covered = &text[usize::from(range.start())..usize::from(range.end())];
        let shown = if covered.len() > 40 || covered.contains('\n') {
            format!("{:?}…", covered.lines().next().unwrap_or_default())
        } else {
            format!("{covered:?}")
        };
        format!("{name}:{}-{} {shown}", pos(range.start()), pos(range.end()))
    }
}

fn render(case: &Case) -> String {
    let a = &case.analysis;
    let (p, file, offset) = (case.project, case.files[case.cursor_file].2, case.cursor);
    let mut out = String::new();

    out.push_str("== hover\n");
    if let Some(h) = dazzle_ide::hover(a, p, file, offset).unwrap() {
        writeln!(out, "{}", case.at(file, h.range)).unwrap();
        out.push_str(&h.markdown);
        out.push('\n');
    }
    out.push_str("== completion\n");
    let labels: Vec<String> =
        dazzle_ide::completions(a, p, file, offset).unwrap().into_iter().map(|c| c.label).collect();
    writeln!(out, "{}", labels.join(" | ")).unwrap();
    out.push_str("== definition\n");
    for t in dazzle_ide::goto_definition(a, p, file, offset).unwrap() {
        writeln!(out, "{}", case.at(t.file, t.range)).unwrap();
    }
    out.push_str("== references\n");
    for r in dazzle_ide::references(a, p, file, offset).unwrap() {
        writeln!(out, "{}{}", case.at(r.file, r.range), if r.is_definition { " (definition)" } else { "" }).unwrap();
    }
    out.push_str("== prepare rename\n");
    if let Some(range) = dazzle_ide::prepare_rename(a, p, file, offset).unwrap() {
        writeln!(out, "{}", case.at(file, range)).unwrap();
    }
    for new_name in ["Renamed", "entity", "9lives"] {
        writeln!(out, "== rename to {new_name}").unwrap();
        match dazzle_ide::rename(a, p, file, offset, new_name).unwrap() {
            Ok(edits) => {
                for r in edits {
                    writeln!(out, "{} -> {new_name:?}", case.at(r.file, r.range)).unwrap();
                }
            }
            Err(reason) => writeln!(out, "refused: {reason}").unwrap(),
        }
    }
    out.push_str("== code actions at the cursor's line\n");
    let text = &case.files[case.cursor_file].1;
    let line_start = text[..usize::from(offset)].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[usize::from(offset)..].find('\n').map_or(text.len(), |i| usize::from(offset) + i);
    let line = TextRange::new(TextSize::try_from(line_start).unwrap(), TextSize::try_from(line_end).unwrap());
    for action in dazzle_ide::code_actions(a, p, file, line).unwrap() {
        let preferred = if action.preferred { " (preferred)" } else { "" };
        writeln!(out, "{}{preferred} [{}] on {}", action.title, action.code, case.at(file, action.diagnostic)).unwrap();
        for edit in action.edits {
            writeln!(out, "  {} <- {:?}", case.at(file, edit.range), edit.insert).unwrap();
        }
    }
    out.push_str("== selection ranges at the cursor\n");
    for ranges in dazzle_ide::selection_ranges(a, file, &[offset]).unwrap() {
        for range in ranges {
            writeln!(out, "{}", case.at(file, range)).unwrap();
        }
    }
    out.push_str("== folding ranges\n");
    for range in dazzle_ide::folding_ranges(a, file).unwrap() {
        writeln!(out, "{}", case.at(file, range)).unwrap();
    }
    out.push_str("== document symbols\n");
    fn symbols(case: &Case, file: FileId, list: &[dazzle_ide::Symbol], depth: usize, out: &mut String) {
        for s in list {
            let detail = s.detail.as_deref().unwrap_or("");
            writeln!(out, "{:depth$}{} {:?} {detail} @ {}", "", s.name, s.kind, case.at(file, s.selection)).unwrap();
            symbols(case, file, &s.children, depth + 2, out);
        }
    }
    symbols(case, file, &dazzle_ide::document_symbols(a, file).unwrap(), 0, &mut out);
    out.push_str("== code lenses\n");
    for lens in dazzle_ide::entity_lenses(a, p, file).unwrap() {
        writeln!(out, "{} {}", case.at(file, lens.range), lens.row).unwrap();
    }
    out.push_str("== semantic tokens\n");
    for (range, class) in dazzle_ide::semantic_tokens(a, file, None).unwrap() {
        writeln!(out, "{} {}", case.at(file, range), dazzle_ide::SEMANTIC_TOKEN_TYPES[class as usize]).unwrap();
    }
    out
}

#[test]
fn ide_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .expect("test_data")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "dsl"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 4, "the IDE cases are present");
    for path in cases {
        let text = fs::read_to_string(&path).expect("case text");
        assert!(text.contains("$0"), "{} has a cursor", path.display());
        let case = load(&text);
        for (_, body, id) in &case.files {
            let parse = case.analysis.parse(*id).unwrap().expect("parsed");
            assert_eq!(&parse.syntax().to_string(), body, "lossless tree");
        }
        expect_file![path.with_extension("ide")].assert_eq(&render(&case));
    }
}
