//! `dazzle-lsp fmt` as a user runs it: on a scratch project — `--check` lists what would change
//! and exits 1 (0 once formatted), `--diff` prints a unified diff, a plain run rewrites the
//! files in place keeping their permissions, standard input goes to standard output with the
//! settings of `--stdin-filepath`, an item with syntax errors is reported and kept, and usage
//! errors exit 2.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], cwd: &Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.unwrap_or_default().as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-fmt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dsl")).unwrap();
    std::fs::write(dir.join("dazzle.toml"), "[project]\nroot = \"t.core\"\n[modules]\npaths = [\"./dsl\"]\n").unwrap();
    std::fs::write(dir.join("dsl/app.dsl"), "module t.core\n\n\n\nentity A \"A\":\n    id:uuid pk   \n").unwrap();
    std::fs::write(dir.join("dsl/ok.dsl"), "module t.other\n\nentity B \"B\":\n  id: uuid pk\n").unwrap();
    std::fs::write(
        dir.join("dsl/broken.dsl"),
        "module t.broken\n\nentity C \"C\":\n    total: decimal(10,\n\nentity D \"D\":\n    id:uuid pk\n",
    )
    .unwrap();
    dir
}

#[test]
fn check_diff_write_stdin_and_errors() {
    let dir = project("all");
    let check = run(&["fmt", "--check", "."], &dir, None);
    assert_eq!(check.status.code(), Some(1));
    let listed = text(&check.stdout);
    assert!(
        listed.contains("would reformat dsl/app.dsl") && listed.contains("would reformat dsl/broken.dsl"),
        "{listed}"
    );
    assert!(!listed.contains("ok.dsl"), "{listed}");
    assert!(
        text(&check.stderr).contains("dsl/broken.dsl:3:1: kept as written: this item has syntax errors"),
        "{}",
        text(&check.stderr)
    );

    let diff = run(&["fmt", "--diff", "dsl/app.dsl"], &dir, None);
    assert_eq!(diff.status.code(), Some(1));
    let diff = text(&diff.stdout);
    assert!(
        diff.contains("--- dsl/app.dsl\n+++ dsl/app.dsl\n") && diff.contains("-    id:uuid pk   \n+  id: uuid pk\n"),
        "{diff}"
    );

    let file = dir.join("dsl/app.dsl");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let write = run(&["fmt", "."], &dir, None);
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    assert!(text(&write.stderr).contains("2 files reformatted, 1 unchanged"), "{}", text(&write.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "module t.core\n\nentity A \"A\":\n  id: uuid pk\n");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640);
    let broken = std::fs::read_to_string(dir.join("dsl/broken.dsl")).unwrap();
    assert!(
        broken.contains("entity C \"C\":\n    total: decimal(10,\n")
            && broken.contains("entity D \"D\":\n  id: uuid pk\n"),
        "{broken}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("dsl"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(run(&["fmt", "--check", "."], &dir, None).status.code(), Some(0));

    std::fs::write(dir.join("dazzle.toml"), "[project]\nroot = \"t.core\"\n[tool.dazzle-lsp.format]\nindent = 4\n")
        .unwrap();
    let stdin = run(&["fmt", "-", "--stdin-filepath", "dsl/new.dsl"], &dir, Some("entity E \"E\":\n  id: uuid pk"));
    assert_eq!(text(&stdin.stdout), "entity E \"E\":\n    id: uuid pk\n");

    for (args, message) in [
        (vec!["fmt", "no/such/path"], "no such file or directory"),
        (vec!["fmt", "-", "dsl"], "cannot be combined"),
        (vec!["fmt", ".", "--stdin-filepath", "x.dsl"], "use it with `-`"),
    ] {
        let out = run(&args, &dir, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
    }
    std::fs::remove_dir_all(&dir).ok();
}
