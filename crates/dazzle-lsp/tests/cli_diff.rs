//! `dazzle-lsp diff`, data-driven: each `test_data/diff/*.case` describes a git history — commits
//! of files, optionally uncommitted work-tree changes and a golden matrix written after the
//! first commit — and the arguments to run with. The test builds the repository in a temporary
//! directory, runs the built binary in every output format, and compares stdout, stderr and exit
//! status with the `.out` file beside the case (`UPDATE_EXPECT=1` rewrites them). Commit ids are
//! replaced by `<commit N>` so that the snapshots do not depend on git's version.
//!
//! Case syntax: `#- args: …` (the command line after `diff`), then `#- commit` sections of
//! `#- file: PATH` bodies and `#- delete: PATH` lines, an optional `#- worktree` section (written,
//! not committed), and `#- golden: PATH` (after the first commit, `matrix --format json` of the
//! project is written there, untracked).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use expect_test::expect_file;

const FORMATS: [&str; 5] = ["human", "markdown", "json", "sarif", "github"];

#[derive(Default)]
struct Section {
    files: Vec<(String, String)>,
    deletes: Vec<String>,
}

#[derive(Default)]
struct Case {
    args: Vec<String>,
    commits: Vec<Section>,
    worktree: Option<Section>,
    golden: Option<String>,
}

fn parse(text: &str) -> Case {
    let mut case = Case::default();
    let mut sections: Vec<(bool, Section)> = Vec::new();
    let mut file: Option<(String, String)> = None;
    let close = |file: &mut Option<(String, String)>, sections: &mut Vec<(bool, Section)>| {
        if let Some(f) = file.take() {
            sections.last_mut().expect("a #- commit or #- worktree section").1.files.push(f);
        }
    };
    for line in text.split_inclusive('\n') {
        let directive = line.strip_prefix("#- ").map(str::trim_end);
        match directive {
            Some(d) if d.starts_with("args:") => case.args = d[5..].split_whitespace().map(str::to_owned).collect(),
            Some(d) if d.starts_with("golden:") => case.golden = Some(d[7..].trim().to_owned()),
            Some(d @ ("commit" | "worktree")) => {
                close(&mut file, &mut sections);
                sections.push((d == "worktree", Section::default()));
            }
            Some(d) if d.starts_with("file:") => {
                close(&mut file, &mut sections);
                file = Some((d[5..].trim().to_owned(), String::new()));
            }
            Some(d) if d.starts_with("delete:") => {
                close(&mut file, &mut sections);
                sections.last_mut().expect("a section").1.deletes.push(d[7..].trim().to_owned());
            }
            _ => {
                if let Some((_, body)) = file.as_mut() {
                    body.push_str(line);
                }
            }
        }
    }
    close(&mut file, &mut sections);
    for (worktree, section) in sections {
        if worktree {
            case.worktree = Some(section);
        } else {
            case.commits.push(section);
        }
    }
    case
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn apply(dir: &Path, section: &Section) {
    for (path, body) in &section.files {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().expect("a parent")).unwrap();
        fs::write(target, body).unwrap();
    }
    for path in &section.deletes {
        fs::remove_file(dir.join(path)).unwrap();
    }
}

fn binary(dir: &Path, args: &[String]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// Builds the case's repository and renders every format's run.
fn run(name: &str, case: &Case) -> String {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-diff-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    let mut commits = Vec::new();
    for (i, section) in case.commits.iter().enumerate() {
        apply(&dir, section);
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-q", "--allow-empty", "-m", &format!("commit {}", i + 1)]);
        commits.push(git(&dir, &["rev-parse", "HEAD"]));
        if let (0, Some(golden)) = (i, &case.golden) {
            let (json, _, status) = binary(&dir, &["matrix".into(), ".".into(), "--format".into(), "json".into()]);
            assert_eq!(status, Some(0));
            fs::write(dir.join(golden), json).unwrap();
        }
    }
    if let Some(worktree) = &case.worktree {
        apply(&dir, worktree);
    }
    let mut out = String::new();
    for format in FORMATS {
        let mut args = vec!["diff".to_owned()];
        args.extend(case.args.iter().cloned());
        args.extend(["--format".to_owned(), format.to_owned()]);
        let (stdout, stderr, status) = binary(&dir, &args);
        if format == "sarif" && status != Some(2) {
            assert_valid_sarif(&stdout);
        }
        out.push_str(&format!(
            "== {format} (exit {})\n{stdout}",
            status.map_or("signal".to_owned(), |s| s.to_string())
        ));
        if !stderr.is_empty() {
            out.push_str(&format!("-- stderr\n{stderr}"));
        }
        if stderr.contains("error:") {
            break; // a usage error reads the same in every format
        }
    }
    fs::remove_dir_all(&dir).ok();
    for (i, commit) in commits.iter().enumerate() {
        out = out.replace(commit, &format!("<commit {}>", i + 1)).replace(&commit[..7], &format!("<commit {}>", i + 1));
    }
    out.replace(&dir.display().to_string(), "<repo>")
}

/// Checks a document against the SARIF 2.1.0 schema (with the one fix `cli_check.rs` explains).
fn assert_valid_sarif(text: &str) {
    let schema_text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sarif-schema-2.1.0.json"))
            .unwrap()
            .replace(
                r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
                r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
            );
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let doc: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
}

#[test]
fn diff_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/diff");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("test_data/diff")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    for path in cases {
        let case = parse(&fs::read_to_string(&path).unwrap());
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        expect_file![path.with_extension("out")].assert_eq(&run(&name, &case));
    }
}

/// A fresh directory under the system's temporary one.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-diff-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_clinic(to: &Path) {
    let clinic = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clinic");
    for rel in ["dazzle.toml", "dsl/app.dsl", "dsl/records.dsl", "dsl/ui.dsl"] {
        let target = to.join(rel);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(clinic.join(rel), target).unwrap();
    }
}

#[test]
fn outside_a_git_repository_is_a_usage_error() {
    let dir = scratch("no-git");
    copy_clinic(&dir);
    let (stdout, stderr, status) = binary(&dir, &["diff".into(), ".".into(), "--base".into(), "HEAD".into()]);
    fs::remove_dir_all(&dir).ok();
    assert_eq!(status, Some(2), "{stdout}");
    assert!(stderr.contains("not in a git repository"), "{stderr}");
}

#[test]
fn a_project_that_does_not_exist_is_a_usage_error() {
    let (_, stderr, status) = binary(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["diff".into(), "no/such/project".into(), "--base".into(), "HEAD".into()],
    );
    assert_eq!(status, Some(2));
    assert!(stderr.contains("no/such/project") && stderr.contains("no such file"), "{stderr}");
}

#[test]
fn the_work_tree_and_the_index_are_not_touched() {
    let dir = scratch("untouched");
    copy_clinic(&dir);
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "one"]);
    let records = dir.join("dsl/records.dsl");
    let edited = fs::read_to_string(&records)
        .unwrap()
        .replace("update: role(clinician)", "update: role(clinician) or role(receptionist)");
    fs::write(&records, &edited).unwrap();
    git(&dir, &["add", "dsl/records.dsl"]);
    fs::write(dir.join("dsl/app.dsl"), fs::read_to_string(dir.join("dsl/app.dsl")).unwrap() + "\n# unstaged\n")
        .unwrap();
    let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        let mut out = Vec::new();
        for rel in ["dsl/app.dsl", "dsl/records.dsl", "dsl/ui.dsl", "dazzle.toml", ".git/index", ".git/HEAD"] {
            let path = dir.join(rel);
            out.push((path.clone(), fs::read(&path).unwrap(), fs::metadata(&path).unwrap().modified().unwrap()));
        }
        out
    };
    let before = (snapshot(&dir), git(&dir, &["status", "--porcelain=v2"]));
    for args in [vec!["--base", "HEAD"], vec!["--base", "HEAD", "--head", "HEAD"]] {
        let mut full: Vec<String> = vec!["diff".into(), ".".into()];
        full.extend(args.iter().map(|a| a.to_string()));
        let (_, stderr, status) = binary(&dir, &full);
        assert!(matches!(status, Some(0 | 1)), "{stderr}");
    }
    let after = (snapshot(&dir), git(&dir, &["status", "--porcelain=v2"]));
    fs::remove_dir_all(&dir).ok();
    assert!(before == after, "diff changed the work tree or the index");
}
