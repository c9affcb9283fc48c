//! Output formats of `diff`: human (a line per change), Markdown (a pull-request comment),
//! JSON (documented in docs/cli.md), SARIF 2.1.0 and GitHub workflow commands.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;

use dazzle_analysis::access_diff::{ChangeKind, MatrixDiff};
use dazzle_analysis::matrix::Decision;
use serde_json::{Value, json};

use crate::cli::ColorWhen;
use crate::diff_cmd::{Change, DiffReport, Location, Problem};
use crate::rules_catalog;

/// The diagnostic code of a change kind.
fn code(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Widened => "access-widened",
        ChangeKind::Narrowed => "access-narrowed",
        ChangeKind::Changed => "access-changed",
    }
}

fn decision(d: Option<Decision>) -> &'static str {
    d.map_or("—", Decision::as_str)
}

/// `base (abc1234)` / `work tree`.
fn side(label: &str, commit: Option<&str>) -> String {
    match commit {
        Some(c) if !c.starts_with(label) => format!("{label} ({})", &c[..c.len().min(7)]),
        _ => label.to_owned(),
    }
}

/// The changes grouped as a reviewer reads them: one sentence per persona, entity and kind.
struct Sentence<'r> {
    kind: ChangeKind,
    persona: &'r str,
    entity: &'r str,
    operations: Vec<&'static str>,
    sensitive: bool,
    sign_off: bool,
    /// For `changed`: `before → after` of the first cell.
    transition: String,
}

fn sentences(report: &DiffReport) -> Vec<Sentence<'_>> {
    let mut out: Vec<Sentence<'_>> = Vec::new();
    for change in &report.changes {
        let c = &change.cell;
        match out.iter_mut().find(|s| s.kind == c.kind && s.persona == c.persona && s.entity == c.entity) {
            Some(s) => {
                s.operations.push(c.operation.as_str());
                s.sign_off |= change.requires_sign_off();
            }
            None => out.push(Sentence {
                kind: c.kind,
                persona: &c.persona,
                entity: &c.entity,
                operations: vec![c.operation.as_str()],
                sensitive: change.sensitive,
                sign_off: change.requires_sign_off(),
                transition: format!("{} → {}", decision(c.before), decision(c.after)),
            }),
        }
    }
    out.sort_by_key(|s| (s.kind, !s.sign_off));
    out
}

impl Sentence<'_> {
    fn text(&self) -> String {
        let ops = self.operations.join(", ");
        let verb = match self.kind {
            ChangeKind::Widened => format!("gained {ops} on {}", self.entity),
            ChangeKind::Narrowed => format!("lost {ops} on {}", self.entity),
            ChangeKind::Changed => format!("{ops} on {} decided another way ({})", self.entity, self.transition),
        };
        let note = match (self.sign_off, self.sensitive) {
            (true, _) => " (sensitive — requires sign-off)",
            (false, true) => " (sensitive)",
            _ => "",
        };
        format!("{} {verb}{note}", self.persona)
    }
}

/// `2 widened (1 requires sign-off), 1 narrowed, 0 changed`.
fn counts(report: &DiffReport) -> String {
    let d = &report.diff;
    let sign_off = report.changes.iter().filter(|c| c.requires_sign_off()).count();
    let widened = match sign_off {
        0 => format!("{} widened", d.count(ChangeKind::Widened)),
        n => format!("{} widened ({n} requires sign-off)", d.count(ChangeKind::Widened)),
    };
    format!("{widened}, {} narrowed, {} changed", d.count(ChangeKind::Narrowed), d.count(ChangeKind::Changed))
}

/// Entities and personas that appeared or went away, as phrases.
fn structure(diff: &MatrixDiff) -> Vec<String> {
    let list = |what: &str, names: &[String], how: &str| {
        (!names.is_empty()).then(|| {
            let plural = if names.len() == 1 { "" } else { "s" };
            format!("{what}{plural} {how}: {}", names.join(", "))
        })
    };
    [
        list("entity", &diff.entities_added, "added"),
        list("entity", &diff.entities_removed, "removed"),
        list("persona", &diff.personas_added, "added"),
        list("persona", &diff.personas_removed, "removed"),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.replace("entitys", "entities"))
    .collect()
}

fn at(location: Option<&Location>) -> String {
    location.map_or_else(|| "(framework entity)".to_owned(), |l| format!("{}:{}:{}", l.file, l.line, l.column))
}

/// A project file's path as the user can open it from the current directory.
fn shown(report: &DiffReport, file: &str) -> String {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).unwrap_or_default();
    match report.root.strip_prefix(&cwd) {
        Ok(prefix) => prefix.join(file).to_string_lossy().replace('\\', "/"),
        Err(_) => report.root.join(file).to_string_lossy().into_owned(),
    }
}

fn errors_note(label: &str, errors: &[Problem]) -> Option<String> {
    let first = errors.first()?;
    let l = &first.location;
    Some(format!(
        "{label} has {} syntax error{} (first: {}:{}:{} {}); it was compared as parsed",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        l.file,
        l.line,
        l.column,
        first.message
    ))
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    }
}

/// A header line, then one line per change: mark, sentence, `before → after`, location.
pub(crate) fn human(report: &DiffReport, color: ColorWhen) -> String {
    let paint =
        |code: &str, text: &str| if use_color(color) { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let mut out = format!(
        "access changes from {} to {}: {}\n",
        side(&report.base, report.base_commit.as_deref()),
        side(&report.head, report.head_commit.as_deref()),
        counts(report)
    );
    for line in structure(&report.diff) {
        let _ = writeln!(out, "  {line}");
    }
    for change in &report.changes {
        let c = &change.cell;
        let (mark, colour) = match c.kind {
            ChangeKind::Widened => ("+", "32"),
            ChangeKind::Narrowed => ("-", "31"),
            ChangeKind::Changed => ("~", "33"),
        };
        let verb = match c.kind {
            ChangeKind::Widened => "gained",
            ChangeKind::Narrowed => "lost",
            ChangeKind::Changed => "changed",
        };
        let note = if change.requires_sign_off() { "  requires sign-off (sensitive)" } else { "" };
        let location = change
            .location
            .as_ref()
            .or(change.base_location.as_ref())
            .map(|l| Location { file: shown(report, &l.file), ..l.clone() });
        let _ = writeln!(
            out,
            "  {} {} {verb} {} on {}: {} → {}  {}{note}",
            paint(colour, mark),
            c.persona,
            c.operation,
            c.entity,
            decision(c.before),
            decision(c.after),
            at(location.as_ref())
        );
    }
    for note in
        [errors_note("base", &report.base_errors), errors_note("head", &report.head_errors)].into_iter().flatten()
    {
        let _ = writeln!(out, "note: {note}");
    }
    if report.diff.is_empty() {
        out = format!(
            "No access changes from {} to {}\n",
            side(&report.base, report.base_commit.as_deref()),
            side(&report.head, report.head_commit.as_deref())
        );
    }
    out
}

/// A pull-request comment: the counts and one sentence per persona × entity, then a table per
/// entity; "No access changes." when nothing changed.
pub(crate) fn markdown(report: &DiffReport) -> String {
    if report.diff.is_empty() {
        let mut out = "No access changes.\n".to_owned();
        for note in
            [errors_note("base", &report.base_errors), errors_note("head", &report.head_errors)].into_iter().flatten()
        {
            let _ = writeln!(out, "\n> {note}");
        }
        return out;
    }
    let mut out = format!(
        "### Access changes: `{}` → `{}`\n\n**{}**\n\n",
        side(&report.base, report.base_commit.as_deref()),
        side(&report.head, report.head_commit.as_deref()),
        counts(report)
    );
    for s in sentences(report) {
        let mark = match s.kind {
            ChangeKind::Widened if s.sign_off => "⚠️ ",
            _ => "",
        };
        let _ = writeln!(out, "- {mark}{}", s.text());
    }
    for line in structure(&report.diff) {
        let mut chars = line.chars();
        let line = chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default();
        let _ = writeln!(out, "- {line}");
    }
    let mut by_entity: BTreeMap<usize, (&str, Vec<&Change>)> = BTreeMap::new();
    for (i, change) in report.changes.iter().enumerate() {
        let first = report.changes.iter().position(|c| c.cell.entity == change.cell.entity).unwrap_or(i);
        by_entity.entry(first).or_insert((&change.cell.entity, Vec::new())).1.push(change);
    }
    for (entity, changes) in by_entity.values() {
        let sensitive = if changes.iter().any(|c| c.sensitive) { " (sensitive)" } else { "" };
        let _ = write!(
            out,
            "\n#### {entity}{sensitive}\n\n| persona | operation | before | after | change | decided at |\n| --- | --- | --- | --- | --- | --- |\n"
        );
        for change in changes {
            let c = &change.cell;
            let kind = if change.requires_sign_off() {
                "**widened** · requires sign-off".to_owned()
            } else {
                c.kind.as_str().to_owned()
            };
            let location = change.location.as_ref().or(change.base_location.as_ref());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {kind} | `{}` |",
                c.persona,
                c.operation,
                decision(c.before),
                decision(c.after),
                at(location)
            );
        }
    }
    for note in
        [errors_note("base", &report.base_errors), errors_note("head", &report.head_errors)].into_iter().flatten()
    {
        let _ = writeln!(out, "\n> {note}");
    }
    out
}

fn location_json(location: Option<&Location>) -> Value {
    match location {
        None => Value::Null,
        Some(l) => json!({
            "file": l.file,
            "line": l.line,
            "column": l.column,
            "end_line": l.end_line,
            "end_column": l.end_column,
        }),
    }
}

fn problems_json(problems: &[Problem]) -> Value {
    Value::Array(
        problems
            .iter()
            .map(|p| {
                json!({"file": p.location.file, "line": p.location.line, "column": p.location.column, "message": p.message})
            })
            .collect(),
    )
}

/// `{"version": 1, "base": …, "head": …, "changes": […], "summary": {…}, …}`.
pub(crate) fn json(report: &DiffReport) -> String {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            let c = &change.cell;
            json!({
                "entity": c.entity,
                "persona": c.persona,
                "operation": c.operation.as_str(),
                "before": c.before.map(Decision::as_str),
                "after": c.after.map(Decision::as_str),
                "kind": c.kind.as_str(),
                "sensitive": change.sensitive,
                "requires_sign_off": change.requires_sign_off(),
                "location": location_json(change.location.as_ref()),
                "base_location": location_json(change.base_location.as_ref()),
            })
        })
        .collect();
    let d = &report.diff;
    let doc = json!({
        "version": 1,
        "base": report.base,
        "base_commit": report.base_commit,
        "head": report.head,
        "head_commit": report.head_commit,
        "changes": changes,
        "entities": {"added": d.entities_added, "removed": d.entities_removed},
        "personas": {"added": d.personas_added, "removed": d.personas_removed},
        "syntax_errors": {"base": problems_json(&report.base_errors), "head": problems_json(&report.head_errors)},
        "summary": {
            "widened": d.count(ChangeKind::Widened),
            "narrowed": d.count(ChangeKind::Narrowed),
            "changed": d.count(ChangeKind::Changed),
            "requires_sign_off": report.changes.iter().filter(|c| c.requires_sign_off()).count(),
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}

/// The sentence of one change, for one-line formats.
fn message(change: &Change) -> String {
    let c = &change.cell;
    let verb = match c.kind {
        ChangeKind::Widened => "gained",
        ChangeKind::Narrowed => "lost",
        ChangeKind::Changed => "changed",
    };
    let note = if change.requires_sign_off() { " (sensitive: requires sign-off)" } else { "" };
    format!(
        "{} {verb} {} on {}: {} → {}{note}",
        c.persona,
        c.operation,
        c.entity,
        decision(c.before),
        decision(c.after)
    )
}

fn level(change: &Change) -> &'static str {
    match change.cell.kind {
        ChangeKind::Widened if change.sensitive => "error",
        ChangeKind::Widened => "warning",
        ChangeKind::Narrowed | ChangeKind::Changed => "note",
    }
}

/// A change's location, or the manifest's first line for framework entities.
fn anchor(change: &Change) -> Location {
    change.location.clone().or_else(|| change.base_location.clone()).unwrap_or(Location {
        file: "dazzle.toml".to_owned(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    })
}

/// SARIF 2.1.0: one result per change, on the rule that decides it in head.
pub(crate) fn sarif(report: &DiffReport) -> String {
    let mut codes: Vec<&str> = report.changes.iter().map(|c| code(c.cell.kind)).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes.iter().map(|c| rules_catalog::sarif_rule(c)).collect();
    let results: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            let l = anchor(change);
            let uri = shown(report, &l.file);
            let c = code(change.cell.kind);
            json!({
                "ruleId": c,
                "ruleIndex": codes.iter().position(|x| *x == c).unwrap_or(0),
                "level": level(change),
                "message": {"text": message(change)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": l.line, "startColumn": l.column, "endLine": l.end_line, "endColumn": l.end_column},
                }}],
                "properties": {
                    "entity": change.cell.entity,
                    "persona": change.cell.persona,
                    "operation": change.cell.operation.as_str(),
                    "sensitive": change.sensitive,
                },
            })
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

/// GitHub Actions workflow commands: widened changes as warnings (errors when sensitive), the
/// rest as notices.
pub(crate) fn github(report: &DiffReport) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let l = anchor(change);
        let file = shown(report, &l.file);
        let level = match level(change) {
            "note" => "notice",
            other => other,
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            crate::render::escape_property(&file),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            code(change.cell.kind),
            crate::render::escape_data(&message(change))
        );
    }
    out
}
