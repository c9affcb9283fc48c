//! `dazzle-lsp matrix` as a user runs it: the built binary on the bundled example project,
//! compared byte for byte with what `dazzle rbac matrix` of dazzle-dsl 0.125.0 printed for the
//! same project (tests/golden/clinic-matrix.*).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dazzle-lsp")).args(args).current_dir(repo()).output().expect("binary runs")
}

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/golden").join(name)).expect("golden file")
}

#[test]
fn every_format_matches_the_reference_byte_for_byte() {
    for (format, file) in [("json", "clinic-matrix.json"), ("table", "clinic-matrix.md"), ("csv", "clinic-matrix.csv")]
    {
        let out = run(&["matrix", "examples/clinic", "--format", format]);
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout == golden(file), "{format} differs:\n{}", String::from_utf8_lossy(&out.stdout));
        assert!(
            out.stderr == golden("clinic-matrix.stderr"),
            "warnings differ:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_directory_or_file_inside_the_project_finds_its_root() {
    let from_file = run(&["matrix", "examples/clinic/dsl/records.dsl", "--format", "json"]);
    assert!(from_file.status.success());
    assert!(from_file.stdout == golden("clinic-matrix.json"));
}

#[test]
fn a_missing_path_is_a_usage_error_with_a_message() {
    let out = run(&["matrix", "no/such/project"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no/such/project") && stderr.contains("no such file"), "{stderr}");
}

#[test]
fn a_lone_file_outside_any_project_is_its_own_project() {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-lone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("solo.dsl");
    std::fs::write(&file, "module solo\napp solo \"Solo\"\npersona admin \"A\":\n  description: \"a\"\nentity Note:\n  id: uuid pk\n  permit:\n    read: role(admin)\n").unwrap();
    let out = run(&["matrix", file.to_str().unwrap(), "--format", "table"]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("| entity | operation | admin |\n"), "{table}");
    assert!(table.contains("| Note | read | PERMIT |"), "{table}");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `dazzle-lsp matrix … | head -0`: the pipe is closed before anything is written.
    for args in [
        &["matrix", "examples/clinic"][..],
        &["--check", "examples/clinic"],
        &["parse", "examples/clinic/dsl/records.dsl"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
            .args(args)
            .current_dir(repo())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("binary runs");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("binary ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {:?}", out.status);
    }
}
