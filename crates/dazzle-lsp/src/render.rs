//! Output formats of `--check`: human (codespan-reporting snippets), JSON (documented in
//! docs/cli.md), SARIF 2.1.0 and GitHub workflow commands.

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer};
use dazzle_analysis::diagnostics::Severity;
use serde::Serialize;
use serde_json::{Value, json};

use crate::check_cmd::CheckRun;
use crate::cli::ColorWhen;
use crate::rules_catalog;

fn counts(run: &CheckRun) -> (usize, usize, usize) {
    let count = |s: Severity| run.reports.iter().filter(|r| r.severity == s).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        run.reports.len() - count(Severity::Error) - count(Severity::Warning),
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Whether to colour: never with `NO_COLOR` or `--color never`; with `auto`, only on a terminal.
fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    }
}

/// Snippets with file:line:col, code, and a help line; then a summary line.
pub(crate) fn human(run: &CheckRun, color: ColorWhen) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = run.texts.iter().map(|(name, text)| files.add(name.clone(), text.clone())).collect();
    let mut buffer = if use_color(color) { Buffer::ansi() } else { Buffer::no_color() };
    let config = term::Config::default();
    for report in &run.reports {
        let severity = match report.severity {
            Severity::Error => SnippetSeverity::Error,
            Severity::Warning => SnippetSeverity::Warning,
            Severity::Info => SnippetSeverity::Note,
            Severity::Hint => SnippetSeverity::Help,
        };
        let mut notes = Vec::new();
        for fix in &report.fixes {
            notes.push(format!("fix: {fix}"));
        }
        notes.push(format!("help: {}", rules_catalog::help_url(report.code)));
        let snippet = Snippet::new(severity)
            .with_code(report.code)
            .with_message(&report.message)
            .with_labels(
                std::iter::once(Label::primary(ids[report.text], report.range.clone()))
                    .chain(
                        report
                            .related
                            .iter()
                            .map(|r| Label::secondary(ids[report.text], r.range.clone()).with_message(&r.message)),
                    )
                    .collect(),
            )
            .with_notes(notes);
        let _ = term::emit_to_write_style(&mut buffer, &config, &files, &snippet);
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let (errors, warnings, others) = counts(run);
    let files_word = plural(run.files_checked, "file");
    if run.reports.is_empty() {
        out.push_str(&format!("No problems found in {files_word}\n"));
    } else {
        let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
        if others > 0 {
            parts.push(plural(others, "note"));
        }
        out.push_str(&format!("{} in {files_word}\n", parts.join(", ")));
    }
    out
}

/// The `--format json` document, fields in the order docs/cli.md shows them.
#[derive(Serialize)]
struct JsonRun<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    range: JsonRange,
    related: Vec<JsonRelated<'a>>,
    fixes: &'a [String],
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    range: JsonRange,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    notes: usize,
    files: usize,
}

fn range(start: (usize, usize), end: (usize, usize)) -> JsonRange {
    JsonRange {
        start: JsonPosition { line: start.0, column: start.1 },
        end: JsonPosition { line: end.0, column: end.1 },
    }
}

/// `{"version": 1, "diagnostics": [...], "summary": {...}}`, written to `out` as it is
/// serialized (a large project's report is never a string in memory).
pub(crate) fn json(run: &CheckRun, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let diagnostics = run
        .reports
        .iter()
        .map(|r| JsonDiagnostic {
            code: r.code,
            severity: r.severity.as_str(),
            message: &r.message,
            file: &r.file,
            range: range(r.start, r.end),
            related: r
                .related
                .iter()
                .map(|x| JsonRelated { message: &x.message, range: range(x.start, x.end) })
                .collect(),
            fixes: &r.fixes,
        })
        .collect();
    let (errors, warnings, notes) = counts(run);
    let doc =
        JsonRun { version: 1, diagnostics, summary: JsonSummary { errors, warnings, notes, files: run.files_checked } };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`.
pub(crate) fn github(run: &CheckRun) -> String {
    let mut out = String::new();
    for r in &run.reports {
        let level = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&r.display_path),
            r.start.0,
            r.start.1,
            r.end.0,
            r.end.1,
            escape_property(r.code),
            escape_data(&r.message)
        ));
    }
    out
}

/// Workflow-command escaping of a message.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow-command escaping of a property value.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// SARIF 2.1.0 with one rule per code seen (help from docs/rules, CWE and OWASP tags).
pub(crate) fn sarif(run: &CheckRun) -> String {
    let mut codes: Vec<&str> = run.reports.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes.iter().map(|code| rules_catalog::sarif_rule(code)).collect();
    let results: Vec<Value> = run
        .reports
        .iter()
        .map(|r| {
            let mut result = json!({
                "ruleId": r.code,
                "ruleIndex": codes.iter().position(|c| *c == r.code).unwrap_or(0),
                "level": match r.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info | Severity::Hint => "note",
                },
                "message": {"text": r.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": r.display_path.replace('\\', "/")},
                        "region": {
                            "startLine": r.start.0,
                            "startColumn": r.start.1,
                            "endLine": r.end.0,
                            "endColumn": r.end.1,
                        },
                    },
                }],
            });
            if !r.related.is_empty() {
                let related: Vec<Value> = r
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        json!({
                            "id": i,
                            "message": {"text": x.message},
                            "physicalLocation": {
                                "artifactLocation": {"uri": r.display_path.replace('\\', "/")},
                                "region": {
                                    "startLine": x.start.0,
                                    "startColumn": x.start.1,
                                    "endLine": x.end.0,
                                    "endColumn": x.end.1,
                                },
                            },
                        })
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dazzle-lsp",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dazzle-lsp/dazzle-lsp",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}
