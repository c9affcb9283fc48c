//! The security report: one document for reviewers and auditors, built from the engine of
//! `--check` — the project in a few facts, the RBAC matrix with each cell's row filter and the
//! entities holding sensitive data, every finding with its source and what it guards (OWASP
//! Top 10 2021, CWE, ASVS 4.0.3), the app-developer checklist of Dazzle's security guide scored,
//! and the OWASP coverage. Rendered as self-contained HTML, Markdown or versioned JSON.

mod checklist;
mod html;
mod json;
mod markdown;
mod time;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dazzle_analysis::access::Operation;
use dazzle_analysis::diagnostics::Severity;
use dazzle_analysis::matrix::{Decision, row_filter};
use dazzle_analysis::{Analysis, FileId, ProjectId};
use dazzle_syntax::{SyntaxKind, TextSize};
use sha2::{Digest, Sha256};

pub(crate) use checklist::Status;
use html::html;
use json::json;
use markdown::markdown;

use crate::check_cmd::{CheckRun, Report as Finding};
use crate::cli::ReportFormat;
use crate::line_index::LineIndex;
use crate::project_loader::LoadedProject;
use crate::rules_catalog::{self, Guards};

/// A place in a project file (path relative to the root, 1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// The project in a few facts.
pub(crate) struct ProjectFacts {
    pub name: String,
    pub dialect: &'static str,
    /// The profile in effect, and the value as written.
    pub security_profile: &'static str,
    pub security_profile_written: Option<String>,
    pub multi_tenant: bool,
    /// `tenancy:` settings, as written.
    pub tenancy: Vec<(String, String)>,
    pub audit_trail: bool,
    pub files: usize,
    pub entities: usize,
    pub framework_entities: usize,
    pub personas: usize,
}

/// One cell of the matrix.
pub(crate) struct Cell {
    pub decision: Decision,
    /// The row filter of a scoped or filtered cell, as written.
    pub filter: Option<String>,
}

/// One entity's row of the matrix.
pub(crate) struct EntityRow {
    pub name: String,
    /// Injected by the framework.
    pub framework: bool,
    /// Why it holds sensitive data (empty: it does not).
    pub sensitive: Vec<String>,
    pub place: Option<Place>,
    /// Persona-major, then operation in matrix order.
    pub cells: Vec<Cell>,
}

impl EntityRow {
    pub(crate) fn cell(&self, persona: usize, op: Operation) -> &Cell {
        let i = Operation::ALL.iter().position(|&o| o == op).unwrap_or(0);
        &self.cells[persona * Operation::ALL.len() + i]
    }
}

/// A finding, with its source and what it guards.
pub(crate) struct Item {
    pub finding: Finding,
    pub title: &'static str,
    pub guards: Guards,
    /// Its lines, after the line before them.
    pub excerpt: Vec<SourceLine>,
}

/// A line of source, with the tokens to colour.
pub(crate) struct SourceLine {
    /// 1-based.
    pub number: usize,
    pub text: String,
    /// `(start, end, class)`, byte offsets in `text`.
    pub spans: Colours,
}

/// One item of the security checklist, scored.
pub(crate) struct CheckItem {
    pub id: &'static str,
    pub title: &'static str,
    /// Where the security guide asks for it.
    pub source: &'static str,
    pub status: Status,
    pub detail: String,
    pub evidence: Vec<(Place, String)>,
}

/// One OWASP Top 10 category: the codes guarding it and the findings among them.
pub(crate) struct OwaspRow {
    pub id: &'static str,
    pub name: &'static str,
    pub codes: Vec<&'static str>,
    pub findings: usize,
}

/// The whole report.
pub(crate) struct SecurityReport {
    pub project: ProjectFacts,
    pub generated: String,
    pub tool_version: &'static str,
    pub matrix_sha256: String,
    pub roles: Vec<String>,
    pub entities: Vec<EntityRow>,
    pub items: Vec<Item>,
    pub checklist: Vec<CheckItem>,
    pub owasp: Vec<OwaspRow>,
}

impl SecurityReport {
    /// `0 errors, 4 warnings, 1 note`.
    pub(crate) fn counts_text(&self) -> String {
        let n = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
        format!(
            "{}, {}, {}",
            n(self.count(Severity::Error), "error"),
            n(self.count(Severity::Warning), "warning"),
            n(self.count(Severity::Info) + self.count(Severity::Hint), "note")
        )
    }

    /// The findings grouped by severity (errors first), then by code in order of first
    /// appearance: `(severity, code, findings)`.
    pub(crate) fn groups(&self) -> Vec<(Severity, &'static str, Vec<&Item>)> {
        let mut out: Vec<(Severity, &'static str, Vec<&Item>)> = Vec::new();
        for severity in [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint] {
            for item in self.items.iter().filter(|i| i.finding.severity == severity) {
                match out.iter_mut().find(|(s, code, _)| *s == severity && *code == item.finding.code) {
                    Some((_, _, group)) => group.push(item),
                    None => out.push((severity, item.finding.code, vec![item])),
                }
            }
        }
        out
    }

    /// How many findings have `severity`.
    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|i| i.finding.severity == severity).count()
    }
}

/// What the report is built from: a snapshot of a loaded project and its diagnostics.
struct Inputs<'a> {
    pub analysis: &'a Analysis,
    pub project: ProjectId,
    pub root: &'a Path,
    /// `(id, path relative to the root, text)` of every file.
    pub files: &'a [(FileId, PathBuf, std::sync::Arc<str>)],
    pub manifest_text: Option<&'a str>,
    /// The project's diagnostics, as `--check` reports them.
    pub run: &'a CheckRun,
    /// The line index of each file a place was asked of.
    lines: RefCell<HashMap<FileId, LineIndex<'a>>>,
}

impl Inputs<'_> {
    /// The place of `offset` in `file`.
    fn place(&self, file: FileId, offset: TextSize) -> Option<Place> {
        let (_, relative, text) = self.files.iter().find(|(id, _, _)| *id == file)?;
        let mut lines = self.lines.borrow_mut();
        let (line, column) = lines.entry(file).or_insert_with(|| LineIndex::new(text)).line_col(offset);
        Some(Place { file: relative.to_string_lossy().replace('\\', "/"), line, column })
    }
}

/// What a cancelled analysis reports as its error.
pub(crate) const CANCELLED: &str = "analysis cancelled";

/// The report of a loaded project, rendered in `format`; `Err` when the analysis was cancelled
/// ([`CANCELLED`]).
pub(crate) fn render(analysis: &Analysis, loaded: &LoadedProject, format: ReportFormat) -> Result<String, String> {
    let mut run = CheckRun { reports: Vec::new(), texts: Vec::new(), files_checked: 0 };
    crate::check_cmd::collect(analysis, loaded, None, &mut run)?;
    let inputs = Inputs {
        analysis,
        project: loaded.project,
        root: &loaded.root,
        files: &loaded.files,
        manifest_text: loaded.manifest_text.as_deref(),
        run: &run,
        lines: RefCell::new(HashMap::new()),
    };
    let built = build(&inputs)?;
    Ok(match format {
        ReportFormat::Html => html(&built),
        ReportFormat::Markdown => markdown(&built),
        ReportFormat::Json => json(&built),
    })
}

/// Builds the report; `Err` only when the analysis was cancelled.
fn build(inputs: &Inputs<'_>) -> Result<SecurityReport, String> {
    let cancelled = |_| CANCELLED.to_owned();
    let a = inputs.analysis;
    let model = a.project_model(inputs.project).map_err(cancelled)?.ok_or("no project")?;
    let matrix = a.matrix(inputs.project).map_err(cancelled)?.ok_or("no project")?;
    let ctx = a.rule_context(inputs.project).map_err(cancelled)?.ok_or("no project")?;
    let manifest = inputs.manifest_text.map(dazzle_analysis::manifest::Manifest::parse).unwrap_or_default();
    let mut entities = Vec::with_capacity(matrix.entities.len());
    for rows in &matrix.entities {
        let Some(linked) = model.entities.iter().find(|e| e.name == rows.entity) else { continue };
        let coverage = a.audit_coverage(inputs.project, &linked.name).map_err(cancelled)?;
        let mut sensitive: Vec<String> =
            coverage.iter().flat_map(|c| c.reasons.iter().map(ToString::to_string)).collect();
        if sensitive.is_empty() && a.is_sensitive(inputs.project, &linked.name).map_err(cancelled)? {
            sensitive.push("audited".to_owned());
        }
        let mut cells = Vec::with_capacity(matrix.roles.len() * 5);
        for (r, role) in matrix.roles.iter().enumerate() {
            for op in Operation::ALL {
                let decision = rows.get(r, op);
                cells.push(Cell { decision, filter: row_filter(linked, role, op, decision) });
            }
        }
        let located = linked.file.and_then(|f| a.file_id(f)).and_then(|id| {
            let parse = a.parse(id).ok()??;
            let tree = parse.tree();
            let range = dazzle_analysis::locate::locate(
                &tree,
                &dazzle_analysis::diagnostics::Locator::Definition(linked.name.clone()),
            );
            inputs.place(id, range.start())
        });
        entities.push(EntityRow {
            name: rows.entity.clone(),
            framework: linked.injected,
            sensitive,
            place: located,
            cells,
        });
    }
    let mut items = Vec::with_capacity(inputs.run.reports.len());
    let mut excerpts = ExcerptCache::default();
    for finding in &inputs.run.reports {
        items.push(Item {
            finding: finding.clone(),
            title: rules_catalog::title(finding.code),
            guards: rules_catalog::guards(finding.code),
            excerpt: excerpt(inputs, finding, &mut excerpts),
        });
    }
    items.sort_by(|x, y| {
        (x.finding.severity, x.finding.code, &x.finding.file, x.finding.start).cmp(&(
            y.finding.severity,
            y.finding.code,
            &y.finding.file,
            y.finding.start,
        ))
    });
    let owasp = rules_catalog::OWASP_TOP_10
        .iter()
        .map(|(id, name)| {
            let codes: Vec<&'static str> =
                rules_catalog::codes().map(|(c, _)| c).filter(|c| rules_catalog::guards(c).owasp == *id).collect();
            let findings = items.iter().filter(|i| codes.contains(&i.finding.code)).count();
            OwaspRow { id, name, codes, findings }
        })
        .collect();
    let matrix_json = format!("{}\n", crate::matrix_output::json_text(&matrix));
    let facts = ProjectFacts {
        name: manifest.name.clone().unwrap_or_else(|| {
            inputs.root.file_name().map_or_else(|| "project".to_owned(), |n| n.to_string_lossy().into_owned())
        }),
        dialect: model.dialect.as_str(),
        security_profile: model.security_profile.as_str(),
        security_profile_written: model.security_profile_value.clone(),
        multi_tenant: model.multi_tenant,
        tenancy: tenancy_settings(&ctx),
        audit_trail: model.audit_trail,
        files: inputs.files.len(),
        entities: entities.iter().filter(|e| !e.framework).count(),
        framework_entities: entities.iter().filter(|e| e.framework).count(),
        personas: matrix.roles.len(),
    };
    let mut report = SecurityReport {
        project: facts,
        generated: time::generated(),
        tool_version: env!("CARGO_PKG_VERSION"),
        matrix_sha256: hex(&Sha256::digest(matrix_json.as_bytes())),
        roles: matrix.roles.clone(),
        entities,
        items,
        checklist: Vec::new(),
        owasp,
    };
    report.checklist = checklist::score(&report, &manifest, &ctx, inputs)?;
    Ok(report)
}

fn tenancy_settings(ctx: &dazzle_analysis::rules::RuleContext) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(key) = &ctx.partition_key {
        out.push(("partition_key".to_owned(), key.clone()));
    }
    if let Some(mode) = &ctx.tenancy_mode {
        out.push(("mode".to_owned(), mode.clone()));
    }
    if !ctx.tenant_admins.is_empty() {
        out.push(("admin_personas".to_owned(), ctx.tenant_admins.join(", ")));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The tokens of a file to colour: `(start, end, class)` in byte offsets, in order.
pub(crate) type Colours = Vec<(usize, usize, &'static str)>;

fn colours(analysis: &Analysis, file: FileId) -> Colours {
    let mut out = Vec::new();
    if let Ok(Some(parse)) = analysis.parse(file) {
        dazzle_syntax::for_each_token(parse.green(), |kind, range, _| {
            let class = match kind {
                SyntaxKind::KEYWORD => "kw",
                SyntaxKind::STRING => "str",
                SyntaxKind::COMMENT => "com",
                SyntaxKind::NUMBER | SyntaxKind::DURATION => "num",
                _ => return,
            };
            out.push((usize::from(range.start()), usize::from(range.end()), class));
        });
    }
    out
}

/// What excerpts read once per file: its tokens to colour, and its line starts (by the index
/// of the text in [`CheckRun::texts`]).
#[derive(Default)]
struct ExcerptCache {
    colours: HashMap<FileId, Colours>,
    line_starts: HashMap<usize, Vec<usize>>,
}

/// The lines of a finding (at most two) after the line before them, with the tokens to colour (a file's
/// tokens and line starts are read once, into `cache`).
fn excerpt(inputs: &Inputs<'_>, finding: &Finding, cache: &mut ExcerptCache) -> Vec<SourceLine> {
    let ExcerptCache { colours: cache, line_starts } = cache;
    // The text as `--check` shows it (a manifest's secrets masked).
    let Some((_, text)) = inputs.run.texts.get(finding.text) else { return Vec::new() };
    let id =
        inputs.files.iter().find(|(_, rel, _)| rel.to_string_lossy().replace('\\', "/") == finding.file).map(|f| f.0);
    let all = match id {
        Some(id) => cache.entry(id).or_insert_with(|| colours(inputs.analysis, id)).as_slice(),
        None => &[],
    };
    let starts = line_starts.entry(finding.text).or_insert_with(|| {
        let mut starts = vec![0usize];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        starts
    });
    let first = finding.start.0.saturating_sub(2);
    let last = finding.end.0.min(finding.start.0 + 2).min(starts.len());
    (first..last)
        .map(|i| {
            let end = starts.get(i + 1).map_or(text.len(), |&next| next - 1);
            let line = text[starts[i]..end].trim_end_matches('\r');
            let (line_start, line_end) = (starts[i], starts[i] + line.len());
            let from = all.partition_point(|t| t.0 < line_start);
            let spans = all[from..]
                .iter()
                .take_while(|t| t.0 < line_end)
                .map(|&(s, e, class)| (s - line_start, e.min(line_end) - line_start, class))
                .collect();
            SourceLine { number: i + 1, text: line.to_owned(), spans }
        })
        .collect()
}
