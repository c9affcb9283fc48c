//! `dazzle-lsp --check` as CI runs it: every output format (snapshots in tests/golden), every
//! exit status, colour rules, secrets, and the matrix golden-master gate.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use expect_test::expect_file;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(&repo(), args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn golden(name: &str) -> PathBuf {
    repo().join("tests/golden").join(name)
}

#[test]
fn human_format() {
    let out = run(&["--check", "tests/fixtures/findings", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    expect_file![golden("check-findings.txt")].assert_eq(&stdout(&out));
}

#[test]
fn json_format() {
    let out = run(&["--check", "tests/fixtures/findings", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    expect_file![golden("check-findings.json")].assert_eq(&stdout(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["version"], 1);
}

#[test]
fn github_format() {
    let out = run(&["--check", "tests/fixtures/findings", "--format", "github"]);
    expect_file![golden("check-findings.github")].assert_eq(&stdout(&out));
}

#[test]
fn sarif_format_is_valid_sarif_2_1_0() {
    let out = run(&["--check", "tests/fixtures/findings", "--format", "sarif"]);
    expect_file![golden("check-findings.sarif")].assert_eq(&stdout(&out));
    // The published schema's `run.language` pattern has a stray `]` that strict regex engines
    // reject; it is escaped here (the only change) so the schema compiles.
    let schema_text = std::fs::read_to_string(repo().join("tests/sarif-schema-2.1.0.json"))
        .unwrap()
        .replace(r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().all(|r| {
        r["properties"]["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x.as_str().is_some_and(|s| s.starts_with("CWE-"))))
    }));
}

#[test]
fn secrets_are_never_echoed() {
    let out = run(&["--check", "tests/fixtures/findings", "--format", "json"]);
    let text = stdout(&out);
    assert!(text.contains("secret-in-manifest"), "{text}");
    assert!(!text.contains("not-a-real-password"), "the secret leaked:\n{text}");
    let human = stdout(&run(&["--check", "tests/fixtures/findings", "--color", "never"]));
    assert!(!human.contains("not-a-real-password"), "the secret leaked in the snippet:\n{human}");
}

#[test]
fn exit_statuses() {
    assert_eq!(run(&["--check", "tests/fixtures/clean"]).status.code(), Some(0));
    assert_eq!(run(&["--check", "tests/fixtures/findings"]).status.code(), Some(1));
    // Warnings only: 0, or 1 with --deny-warnings.
    let warnings_only = ["--check", "tests/fixtures/findings", "--select", "unscoped-entity"];
    assert_eq!(run(&warnings_only).status.code(), Some(0));
    let mut deny = warnings_only.to_vec();
    deny.push("--deny-warnings");
    assert_eq!(run(&deny).status.code(), Some(1));
    // Usage and IO errors: 2 with one line on stderr.
    let missing = run(&["--check", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&missing.stderr).lines().count(), 1);
    assert_eq!(run(&["--check", "--format", "yaml", "tests/fixtures/clean"]).status.code(), Some(2));
    assert_eq!(run(&["--check", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn ignore_and_select_filter_codes() {
    let out =
        run(&["--check", "tests/fixtures/findings", "--format", "json", "--ignore", "anti-turing,secret-in-manifest"]);
    let text = stdout(&out);
    assert!(!text.contains("\"anti-turing\"") && !text.contains("secret-in-manifest"));
    assert_eq!(out.status.code(), Some(0), "only warnings remain");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let always = stdout(&run(&["--check", "tests/fixtures/findings", "--color", "always"]));
    assert!(always.contains("\u{1b}["), "--color always colours");
    let piped = stdout(&run(&["--check", "tests/fixtures/findings"]));
    assert!(!piped.contains("\u{1b}["), "not a terminal: no colour");
    let no_color = stdout(&run_in(&repo(), &["--check", "tests/fixtures/findings"], &[("NO_COLOR", "1")]));
    assert!(!no_color.contains("\u{1b}["));
}

/// A scratch copy of the clean fixture with `edit` applied to its app.dsl.
fn scratch(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dsl")).unwrap();
    let src = repo().join("tests/fixtures/clean");
    std::fs::copy(src.join("dazzle.toml"), dir.join("dazzle.toml")).unwrap();
    let text = std::fs::read_to_string(src.join("dsl/app.dsl")).unwrap();
    std::fs::write(dir.join("dsl/app.dsl"), edit(&text)).unwrap();
    dir
}

#[test]
fn matrix_golden_gate() {
    let golden_file = std::env::temp_dir().join(format!("dazzle-lsp-golden-{}.json", std::process::id()));
    let written =
        run(&["matrix", "tests/fixtures/clean", "--format", "json", "--write", golden_file.to_str().unwrap()]);
    assert!(written.status.success());
    assert_eq!(std::fs::read(&golden_file).unwrap(), written.stdout, "--write writes what it prints");
    let check = |dir: &Path| {
        run(&["--check", dir.to_str().unwrap(), "--format", "json", "--matrix-golden", golden_file.to_str().unwrap()])
    };

    let unchanged = check(&repo().join("tests/fixtures/clean"));
    assert_eq!(unchanged.status.code(), Some(0), "{}", stdout(&unchanged));
    assert!(!stdout(&unchanged).contains("matrix-drift"));

    let widened =
        scratch("widened", |t| t.replace("    update: role(admin)\n", "    update: role(admin) or role(clerk)\n"));
    let out = check(&widened);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("Matrix drift (widened): clerk update on Order: DENY → PERMIT_NO_SCOPE"), "{text}");
    assert!(text.contains("\"line\": 21"), "located on the permit rule that grants it:\n{text}");

    let narrowed = scratch("narrowed", |t| t.replace("    create: role(clerk)\n", ""));
    let text = stdout(&check(&narrowed));
    assert!(text.contains("Matrix drift (narrowed): clerk create on Order: PERMIT → DENY"), "{text}");

    let new_entity = scratch("new-entity", |t| {
        format!(
            "{t}\nentity Coupon \"Coupon\":\n  id: uuid pk\n  permit:\n    read: role(admin)\n  scope:\n    read: all\n      as: admin\n"
        )
    });
    let text = stdout(&check(&new_entity));
    assert!(text.contains("entity 'Coupon' is new"), "{text}");

    for dir in [widened, narrowed, new_entity] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let _ = std::fs::remove_file(golden_file);
}
