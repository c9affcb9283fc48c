//! `dazzle-lsp fmt [PATH…] [--check] [--diff] [--stdin-filepath P]`: formats `.dsl` files —
//! single files, whole projects (their module paths), or every project or file below a
//! directory; `-` formats standard input to standard output. Files are rewritten atomically
//! (a temporary file beside them, then a rename; permissions kept) and only when they change.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::check_cmd::{Target, targets_of};
use crate::formatting::{FormatSettings, unified_diff};
use crate::line_index::LineIndex;
use crate::project_loader;

/// The options of a fmt run.
pub(crate) struct FmtOptions {
    pub paths: Vec<PathBuf>,
    pub check: bool,
    pub diff: bool,
    pub stdin_filepath: Option<PathBuf>,
}

/// Runs the command: 0 when done (or, with `--check`/`--diff`, when nothing would change), 1
/// when `--check` or `--diff` finds a file to reformat, 2 on usage or IO errors.
pub(crate) fn run(options: FmtOptions) -> ExitCode {
    match fmt(&options) {
        Ok(true) if options.check || options.diff => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Formats everything asked for; whether some file changes (or would).
fn fmt(options: &FmtOptions) -> Result<bool, String> {
    let stdin = options.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && options.paths.len() > 1 {
        return Err("`-` (standard input) cannot be combined with other paths".to_owned());
    }
    if options.stdin_filepath.is_some() && !stdin {
        return Err("--stdin-filepath names the file standard input stands for: use it with `-`".to_owned());
    }
    if stdin {
        return format_stdin(options);
    }
    let paths = if options.paths.is_empty() { vec![PathBuf::from(".")] } else { options.paths.clone() };
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &paths {
        for target in targets_of(path)? {
            match target {
                Target::File(f) => files.push(f),
                Target::Project(p) => files.extend(project_loader::project_files(&p).map_err(|e| e.0)?),
            }
        }
    }
    // Shown relative to the current directory, as the user named them.
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).unwrap_or_default();
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .map(|f| {
            let absolute = std::fs::canonicalize(&f).unwrap_or(f.clone());
            absolute.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(f)
        })
        .collect();
    files.sort();
    files.dedup();
    let mut changed = 0usize;
    for file in &files {
        if format_path(file, options)? {
            changed += 1;
        }
    }
    let verb = match (options.check || options.diff, changed) {
        (true, 0) => format!("{} file{} already formatted", files.len(), plural(files.len())),
        (true, n) => format!("{n} file{} would be reformatted", plural(n)),
        (false, n) => format!("{n} file{} reformatted, {} unchanged", plural(n), files.len() - n),
    };
    eprintln!("{verb}");
    Ok(changed > 0)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn format_stdin(options: &FmtOptions) -> Result<bool, String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| format!("standard input: {e}"))?;
    let name = options.stdin_filepath.as_deref().unwrap_or(Path::new("<stdin>"));
    let settings = options.stdin_filepath.as_deref().map(FormatSettings::for_path).unwrap_or_default();
    let formatted = settings.format(&text);
    report_kept(name, &text, &formatted);
    let changed = formatted.text != text;
    let mut stdout = std::io::stdout().lock();
    let out = if options.diff {
        unified_diff(&text, &formatted.text, &name.display().to_string())
    } else if options.check {
        if changed { format!("would reformat {}\n", name.display()) } else { String::new() }
    } else {
        formatted.text
    };
    stdout.write_all(out.as_bytes()).map_err(|e| format!("standard output: {e}"))?;
    Ok(changed)
}

/// Formats one file; whether it changes (or would).
fn format_path(path: &Path, options: &FmtOptions) -> Result<bool, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!("{}: not UTF-8 text (invalid byte at offset {})", path.display(), e.utf8_error().valid_up_to())
    })?;
    let formatted = FormatSettings::for_path(path).format(&text);
    report_kept(path, &text, &formatted);
    if formatted.text == text {
        return Ok(false);
    }
    if options.diff {
        crate::stdout::write(&unified_diff(&text, &formatted.text, &path.display().to_string()));
    } else if options.check {
        crate::stdout::write(&format!("would reformat {}\n", path.display()));
    } else {
        write_atomically(path, &formatted.text)?;
    }
    Ok(true)
}

/// Says which parts of a file were left as written, and why.
fn report_kept(path: &Path, text: &str, formatted: &dazzle_ide::Formatted) {
    let index = LineIndex::new(text);
    for range in &formatted.skipped {
        let (line, column) = index.line_col(range.start());
        eprintln!("{}:{line}:{column}: kept as written: this item has syntax errors", path.display());
    }
    if let Some(reason) = &formatted.refused {
        eprintln!("{}: not formatted: {reason}", path.display());
    }
}

/// Writes `text` to a temporary file beside `path` with `path`'s permissions, then renames it
/// over `path`: a reader sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{name}.dazzle-fmt.{}.tmp", std::process::id()));
    let permissions = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.permissions();
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, permissions)?;
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("{}: cannot write: {e}", path.display())
    })
}
