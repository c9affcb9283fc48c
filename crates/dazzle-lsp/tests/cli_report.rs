//! `dazzle-lsp report`: Markdown and JSON snapshots of two projects, the JSON checked against
//! docs/report.schema.json and against the outputs of `matrix` and `--check` (computed by
//! other code paths), the HTML checked to request nothing, and the checklist scored on the
//! projects of `test_data/report/*.case`.
//!
//! A case is a project written as `#- file: PATH` sections, with `#- expect: ITEM STATUS` lines
//! saying how the author expects items to score (`passes`, `fails`, `manual review`); the scored
//! checklist is compared with the `.out` file beside it (`UPDATE_EXPECT=1` rewrites them). Over
//! all cases, every item that static analysis decides must be expected to pass in one project
//! and to fail in another, and every manual item must be left to manual review in all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use expect_test::expect_file;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// 2026-12-03T00:00:00Z, so that the snapshots do not depend on the clock.
const EPOCH: &str = "1796256000";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn validate(doc: &Value, what: &str) {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo().join("docs/report.schema.json")).expect("the schema"))
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: the report breaks its schema:\n{}", errors.join("\n"));
}

/// The report's matrix and counts agree with `matrix --format json` and `--check --format json`.
fn cross_check(dir: &Path, project: &str, doc: &Value) {
    let matrix_text = stdout(&run(dir, &["matrix", project, "--format", "json"]));
    let digest: String = Sha256::digest(matrix_text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(doc["matrix"]["sha256"], digest.as_str(), "{project}: matrix digest");
    let matrix: Value = serde_json::from_str(&matrix_text).expect("matrix JSON");
    let mut expected = BTreeMap::new();
    for cell in matrix["cells"].as_array().expect("cells") {
        let field = |k: &str| cell[k].as_str().expect("a string").to_owned();
        expected.insert((field("entity"), field("role"), field("operation")), field("decision"));
    }
    let mut found = BTreeMap::new();
    for entity in doc["matrix"]["entities"].as_array().expect("entities") {
        for cell in entity["cells"].as_array().expect("cells") {
            let key = (
                entity["name"].as_str().expect("name").to_owned(),
                cell["persona"].as_str().expect("persona").to_owned(),
                cell["operation"].as_str().expect("operation").to_owned(),
            );
            found.insert(key, cell["decision"].as_str().expect("decision").to_owned());
        }
    }
    assert_eq!(found, expected, "{project}: report matrix differs from `matrix --format json`");
    let check = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
        .args(["--check", project, "--format", "json"])
        .current_dir(dir)
        .output()
        .expect("check runs");
    let check: Value = serde_json::from_slice(&check.stdout).expect("check JSON");
    let mut by_severity: BTreeMap<String, u64> = BTreeMap::new();
    for d in check["diagnostics"].as_array().expect("diagnostics") {
        *by_severity.entry(d["severity"].as_str().expect("severity").to_owned()).or_default() += 1;
    }
    for severity in ["error", "warning", "info", "hint"] {
        assert_eq!(
            doc["findings"]["counts"][severity].as_u64(),
            Some(by_severity.get(severity).copied().unwrap_or(0)),
            "{project}: {severity} count differs from --check"
        );
    }
}

#[test]
fn snapshots_schema_and_agreement() {
    let root = repo();
    for (project, name) in [("examples/clinic", "clinic"), ("tests/fixtures/findings", "findings")] {
        let markdown = stdout(&run(&root, &["report", project, "--format", "markdown"]));
        expect_file![root.join(format!("tests/golden/report-{name}.md"))].assert_eq(&markdown);
        let json = stdout(&run(&root, &["report", project, "--format", "json"]));
        expect_file![root.join(format!("tests/golden/report-{name}.json"))].assert_eq(&json);
        let doc: Value = serde_json::from_str(&json).expect("report JSON");
        validate(&doc, project);
        cross_check(&root, project, &doc);
    }
}

#[test]
fn html_is_self_contained() {
    let html = stdout(&run(&repo(), &["report", "examples/clinic"]));
    assert!(html.starts_with("<!DOCTYPE html>"), "an HTML page by default");
    let lower = html.to_ascii_lowercase();
    for request in
        ["<script src", "<link", "<img", "<iframe", "@import", "url(", "@font-face", "fetch(", "xmlhttprequest"]
    {
        assert!(!lower.contains(request), "the page would request something: `{request}`");
    }
    for entity in ["Practice", "Patient", "Visit", "Staff", "Invoice", "SystemHealth"] {
        let row = format!("<th scope=\"row\">{entity}");
        let found =
            html.match_indices(&row).any(|(at, _)| matches!(html.as_bytes().get(at + row.len()), Some(b' ' | b'<')));
        assert!(found, "{entity} is missing from the grid");
    }
    assert!(html.contains("@media print") && html.contains("prefers-color-scheme: dark"), "print and dark styles");
    assert!(html.contains("practice = current_user.practice"), "a scope predicate is shown");
}

#[test]
fn output_file_and_refusals() {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-report-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    let clinic = repo().join("examples/clinic");
    let clinic = clinic.to_str().expect("UTF-8 path");
    let target = dir.join("report.md");
    let out = run(&dir, &["report", clinic, "--format", "markdown", "-o", "report.md"]);
    assert!(out.status.success() && out.stdout.is_empty(), "written to the file, nothing on stdout");
    let piped = stdout(&run(&dir, &["report", clinic, "--format", "markdown"]));
    assert_eq!(fs::read_to_string(&target).expect("the report"), piped);
    for source in ["records.dsl", "dazzle.toml"] {
        fs::write(dir.join(source), "keep me\n").expect("a source file");
        let out = run(&dir, &["report", clinic, "-o", source]);
        assert_eq!(out.status.code(), Some(2), "refuses to write over {source}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"), "says why");
        assert_eq!(fs::read_to_string(dir.join(source)).expect("still there"), "keep me\n");
    }
    let missing = run(&dir, &["report", "no-such-project"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&missing.stderr).is_empty(), "a message for a missing project");
    fs::remove_dir_all(&dir).ok();
}

struct Case {
    files: Vec<(String, String)>,
    expect: Vec<(String, String)>,
}

fn parse_case(text: &str) -> Case {
    let mut case = Case { files: Vec::new(), expect: Vec::new() };
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("#- file:") {
            case.files.push((path.trim().to_owned(), String::new()));
        } else if let Some(rest) = line.strip_prefix("#- expect:") {
            let (id, status) = rest.trim().split_once(' ').expect("#- expect: ITEM STATUS");
            case.expect.push((id.to_owned(), status.trim().to_owned()));
        } else if let Some((_, body)) = case.files.last_mut() {
            body.push_str(line);
        }
    }
    case
}

/// The scored checklist as text: `id: status — detail`, then each piece of evidence.
fn checklist_text(doc: &Value) -> String {
    let mut out = String::new();
    for item in doc["checklist"].as_array().expect("checklist") {
        out.push_str(&format!(
            "{}: {} — {}\n",
            item["id"].as_str().unwrap_or_default(),
            item["status"].as_str().unwrap_or_default(),
            item["detail"].as_str().unwrap_or_default()
        ));
        for e in item["evidence"].as_array().into_iter().flatten() {
            let at = &e["location"];
            out.push_str(&format!(
                "    {}:{}:{} {}\n",
                at["file"].as_str().unwrap_or_default(),
                at["line"],
                at["column"],
                e["message"].as_str().unwrap_or_default()
            ));
        }
    }
    out
}

#[test]
fn checklist_cases() {
    let cases_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/report");
    let mut cases: Vec<PathBuf> = fs::read_dir(&cases_dir)
        .expect("test_data/report")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    // item → statuses expected by some case; item → statuses seen in any case.
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &cases {
        let name = path.file_stem().expect("a name").to_string_lossy().into_owned();
        let case = parse_case(&fs::read_to_string(path).expect("case text"));
        let dir = std::env::temp_dir().join(format!("dazzle-lsp-report-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (file, body) in &case.files {
            let at = dir.join(file);
            fs::create_dir_all(at.parent().expect("a parent")).expect("dirs");
            fs::write(at, body).expect("case file");
        }
        let doc: Value = serde_json::from_str(&stdout(&run(&dir, &["report", ".", "--format", "json"]))).expect("JSON");
        validate(&doc, &name);
        cross_check(&dir, ".", &doc);
        let scored: BTreeMap<String, String> = doc["checklist"]
            .as_array()
            .expect("checklist")
            .iter()
            .map(|i| (i["id"].as_str().expect("id").to_owned(), i["status"].as_str().expect("status").to_owned()))
            .collect();
        for (id, status) in &scored {
            seen.entry(id.clone()).or_default().insert(status.clone());
        }
        for (id, status) in &case.expect {
            assert_eq!(scored.get(id), Some(status), "{name}: `{id}` should score `{status}`");
            expected.entry(id.clone()).or_default().insert(status.clone());
        }
        expect_file![path.with_extension("out")].assert_eq(&checklist_text(&doc));
        fs::remove_dir_all(&dir).ok();
    }
    assert!(seen.len() >= 21, "{} checklist items", seen.len());
    for (id, statuses) in &seen {
        if statuses.contains("manual review") {
            assert_eq!(statuses.len(), 1, "`{id}` is manual in one project and decided in another");
            continue;
        }
        let wanted = expected.get(id).cloned().unwrap_or_default();
        assert!(
            wanted.contains("passes") && wanted.contains("fails"),
            "`{id}` needs a case expected to pass and one expected to fail (has {wanted:?})"
        );
    }
}

#[test]
#[ignore = "needs the conformance kit: set DAZZLE_CONFORMANCE=path/to/shared/conformance"]
fn every_conformance_project_reports_its_matrix_and_findings() {
    let kit = PathBuf::from(std::env::var("DAZZLE_CONFORMANCE").expect("DAZZLE_CONFORMANCE"));
    let mut roots: Vec<PathBuf> = Vec::new();
    for base in [kit.join("corpus/projects/examples"), kit.join("corpus/projects/fixtures")] {
        let mut found: Vec<PathBuf> = fs::read_dir(&base).expect("kit projects").flatten().map(|e| e.path()).collect();
        found.sort();
        roots.extend(found.into_iter().filter(|p| p.join("dazzle.toml").is_file()));
    }
    let (mut cells, mut findings, mut largest) = (0, 0, 0);
    for root in &roots {
        let doc: Value = serde_json::from_str(&stdout(&run(root, &["report", ".", "--format", "json"]))).expect("JSON");
        validate(&doc, &root.display().to_string());
        cross_check(root, ".", &doc);
        let html = stdout(&run(root, &["report", "."]));
        assert!(html.ends_with("</html>\n"), "{}: the page is cut short", root.display());
        largest = largest.max(html.len());
        cells += doc["matrix"]["entities"]
            .as_array()
            .map_or(0, |e| e.iter().map(|e| e["cells"].as_array().map_or(0, Vec::len)).sum());
        findings += doc["findings"]["items"].as_array().map_or(0, Vec::len);
    }
    println!(
        "report conformance: {} projects, {cells} matrix cells equal to `matrix --format json`, {findings} findings \
         counted as by --check, largest page {largest} bytes",
        roots.len()
    );
}
