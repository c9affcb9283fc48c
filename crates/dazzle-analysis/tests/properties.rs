//! Property tests of the analysis: an edited file analyses exactly like the same text analysed
//! from scratch, and the RBAC matrix does not depend on the order of the project's files or of
//! its top-level declarations (only its row and column order does). Scope and permit rules
//! inside an entity are never reordered: the first matching one decides.

use std::collections::BTreeMap;
use std::path::Path;

use dazzle_analysis::access::Operation;
use dazzle_analysis::matrix::Matrix;
use dazzle_analysis::{AnalysisHost, Durability, FileId, ProjectId};
use dazzle_syntax::Dialect;
use proptest::prelude::*;

const MANIFEST: &str = "[project]\nname = \"p\"\nroot = \"p.core\"\n";
const OTHER: &str = "module p.core\napp p \"P\"\n\npersona admin \"Admin\":\n  description: \"a\"\npersona clerk \"Clerk\":\n  description: \"c\"\n";
const EDITED: &str = "module p.data\n\nentity Order \"Order\":\n  id: uuid pk\n  total: money(GBP) required\n  email: email pii(category=contact)\n  permit:\n    read: role(admin)\n    list: role(clerk) or role(admin)\n  scope:\n    list: all\n      as: admin\n    read: email = current_user.email\n      as: *\n\nentity Product \"Product\":\n  id: uuid pk\n  order: ref Order\n  permit:\n    read: authenticated\n";

/// Pieces edits insert: structure, line breaks of every kind, multi-byte characters.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "  ",
    "    ",
    ":",
    "entity ",
    "persona x \"X\":\n",
    "permit:\n",
    "scope:\n",
    "  delete: role(admin)\n",
    "      as: clerk\n",
    "forbid:\n    read: role(clerk)\n",
    "id: uuid pk\n",
    " ref Order",
    "\"",
    "#",
    "é",
    "😀",
    "role(",
    ")",
    " or ",
    "audit: all\n",
    "entity Extra \"Extra\":\n  id: uuid pk\n",
    "",
];

/// Everything an editor shows about a file and its project, as comparable text.
fn observe(host: &AnalysisHost, project: ProjectId, file: FileId) -> [String; 4] {
    let analysis = host.analysis();
    let parse = analysis.parse(file).unwrap().unwrap();
    [
        format!("{:#?}", parse.syntax()),
        format!("{:?}", parse.errors()),
        format!("{:?}", analysis.file_diagnostics(project, file).unwrap()),
        format!("{:?}", analysis.matrix(project).unwrap()),
    ]
}

fn host_with(text: &str) -> (AnalysisHost, ProjectId, FileId) {
    let mut host = AnalysisHost::default();
    let other = host.add_file("dsl/core.dsl", OTHER, Dialect::default(), Durability::MEDIUM);
    let file = host.add_file("dsl/data.dsl", text, Dialect::default(), Durability::LOW);
    let project = host.add_project(Some(MANIFEST), &[other, file], None);
    (host, project, file)
}

/// An edit as (start, end, insertion) with the offsets as fractions of the current length,
/// moved back to character boundaries.
fn apply(text: &mut String, (a, b, piece): (f64, f64, usize)) {
    let floor = |x: f64, text: &str| {
        let mut i = ((text.len() as f64) * x) as usize;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(a.min(b), text);
    let end = floor(a.max(b), text).min(start + 40).max(start);
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.replace_range(start..end, PIECES[piece % PIECES.len()]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Incremental reparse and re-analysis after every edit == a fresh host on the same text.
    #[test]
    fn incremental_analysis_equals_from_scratch(edits in prop::collection::vec((0.0..1.0f64, 0.0..1.0f64, 0..64usize), 1..6)) {
        let (mut host, project, file) = host_with(EDITED);
        observe(&host, project, file);
        let mut text = EDITED.to_owned();
        for edit in edits {
            apply(&mut text, edit);
            host.set_file_text(file, text.as_str());
            let (fresh, fresh_project, fresh_file) = host_with(&text);
            let got = observe(&host, project, file);
            let want = observe(&fresh, fresh_project, fresh_file);
            prop_assert_eq!(&got[0], &want[0], "tree of {:?}", text);
            prop_assert_eq!(&got[1], &want[1], "syntax errors of {:?}", text);
            prop_assert_eq!(&got[2], &want[2], "diagnostics of {:?}", text);
            prop_assert_eq!(&got[3], &want[3], "matrix of {:?}", text);
        }
    }
}

/// Every cell's decision by (role, entity, operation).
type Cells = BTreeMap<(String, String, &'static str), &'static str>;

/// The matrix as an order-free value: every cell by (role, entity, operation), the warnings as
/// a sorted list.
fn cells(matrix: &Matrix) -> (Cells, Vec<String>) {
    let mut out = BTreeMap::new();
    for entity in &matrix.entities {
        for role in &matrix.roles {
            for op in Operation::ALL {
                out.insert(
                    (role.clone(), entity.entity.clone(), op.as_str()),
                    matrix.get(role, &entity.entity, op).as_str(),
                );
            }
        }
    }
    let mut warnings: Vec<String> = matrix.warnings.iter().map(|w| format!("{w:?}")).collect();
    warnings.sort();
    (out, warnings)
}

/// The matrix of a project made of `files` (path, text) in the given order.
fn matrix_of(manifest: &str, files: &[(String, String)]) -> Matrix {
    let mut host = AnalysisHost::default();
    let ids: Vec<FileId> = files
        .iter()
        .map(|(path, text)| host.add_file(path, text.as_str(), Dialect::default(), Durability::MEDIUM))
        .collect();
    let project = host.add_project(Some(manifest), &ids, None);
    (*host.analysis().matrix(project).unwrap().expect("a matrix")).clone()
}

/// Splits a file into its header (comments, `module`, `use` and `app`, which are only read at
/// the top of a file, in that order) and its top-level declarations, each with the indented
/// lines that follow it.
fn declarations(text: &str) -> (String, Vec<String>) {
    let (mut header, mut decls) = (String::new(), Vec::<String>::new());
    for line in text.split_inclusive('\n') {
        let top = !line.starts_with([' ', '\t', '\n', '#']);
        if top && !["module ", "use ", "app "].iter().any(|h| line.starts_with(h)) {
            decls.push(line.to_owned());
        } else if let Some(last) = decls.last_mut() {
            last.push_str(line);
        } else {
            header.push_str(line);
        }
    }
    // A declaration must end with a line break to be moved.
    for d in &mut decls {
        if !d.ends_with('\n') {
            d.push('\n');
        }
    }
    (header, decls)
}

/// `items` in the order of the keys (a permutation drawn by proptest).
fn permute<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (keys.get(i).copied().unwrap_or(0), i));
    order.into_iter().map(|i| items[i].clone()).collect()
}

fn clinic() -> (String, Vec<(String, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clinic");
    let manifest = std::fs::read_to_string(root.join("dazzle.toml")).unwrap();
    let files = ["app.dsl", "records.dsl", "ui.dsl"]
        .iter()
        .map(|f| (format!("dsl/{f}"), std::fs::read_to_string(root.join("dsl").join(f)).unwrap()))
        .collect();
    (manifest, files)
}

/// A small generated project: personas and entities with permit, scope and forbid rules
/// spread over files, without duplicate names (whose first occurrence wins by design).
fn generated() -> impl Strategy<Value = (String, Vec<(String, String)>)> {
    let rule = (0..4usize, 0..5usize, 0..4usize, prop::option::of(0..4usize));
    let entity = (
        prop::collection::vec(rule.clone(), 0..5),
        prop::collection::vec((0..5usize, 0..4usize, prop::bool::ANY), 0..4),
        prop::collection::vec((0..5usize, 0..4usize), 0..2),
    );
    (2..5usize, prop::collection::vec(entity, 1..5), 1..4usize).prop_map(|(personas, entities, nfiles)| {
        let ops = ["list", "read", "create", "update", "delete"];
        let condition = |kind: usize, role: usize, alt: Option<usize>| match kind {
            0 => "authenticated".to_owned(),
            1 => format!("role(p{})", role % personas),
            2 => format!("role(p{}) or role(p{})", role % personas, alt.unwrap_or(0) % personas),
            _ => format!("owner = current_user and role(p{})", role % personas),
        };
        let mut files = vec![String::from("module g.core\napp g \"G\"\n\n")];
        for i in 1..nfiles {
            files.push(format!("module g.m{i}\nuse g.core\n\n"));
        }
        for p in 0..personas {
            let f = p % nfiles;
            files[f].push_str(&format!("persona p{p} \"P{p}\":\n  description: \"d\"\n\n"));
        }
        for (e, (permits, scopes, forbids)) in entities.iter().enumerate() {
            let mut text = format!("entity E{e} \"E{e}\":\n  id: uuid pk\n  owner: ref E0\n");
            if !permits.is_empty() {
                text.push_str("  permit:\n");
                for &(kind, op, role, alt) in permits {
                    text.push_str(&format!("    {}: {}\n", ops[op], condition(kind, role, alt)));
                }
            }
            if !scopes.is_empty() {
                text.push_str("  scope:\n");
                for &(op, role, all) in scopes {
                    let filter = if all { "all" } else { "owner = current_user" };
                    text.push_str(&format!("    {}: {filter}\n      as: p{}\n", ops[op], role % personas));
                }
            }
            if !forbids.is_empty() {
                text.push_str("  forbid:\n");
                for &(op, role) in forbids {
                    text.push_str(&format!("    {}: role(p{})\n", ops[op], role % personas));
                }
            }
            text.push('\n');
            files[(e + 1) % nfiles].push_str(&text);
        }
        let files = files.into_iter().enumerate().map(|(i, t)| (format!("dsl/f{i}.dsl"), t)).collect();
        ("[project]\nname = \"g\"\nroot = \"g.core\"\n".to_owned(), files)
    })
}

/// Checks that reordering files and top-level declarations leaves every cell unchanged.
fn check_order_invariance(
    manifest: &str,
    files: &[(String, String)],
    file_keys: &[u32],
    decl_keys: &[u32],
) -> Result<(), TestCaseError> {
    let base = matrix_of(manifest, files);
    let (want, want_warnings) = cells(&base);
    prop_assert!(!want.is_empty() || base.roles.is_empty() || base.entities.is_empty());

    let reordered = permute(files, file_keys);
    let got = matrix_of(manifest, &reordered);
    let (cells_got, warnings_got) = cells(&got);
    prop_assert_eq!(&cells_got, &want, "cells after reordering files");
    prop_assert_eq!(&warnings_got, &want_warnings, "warnings after reordering files");

    let shuffled: Vec<(String, String)> = files
        .iter()
        .map(|(path, text)| {
            let (header, decls) = declarations(text);
            (path.clone(), header + &permute(&decls, decl_keys).concat())
        })
        .collect();
    let got = matrix_of(manifest, &shuffled);
    let (cells_got, warnings_got) = cells(&got);
    prop_assert_eq!(&cells_got, &want, "cells after reordering declarations");
    prop_assert_eq!(&warnings_got, &want_warnings, "warnings after reordering declarations");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn clinic_matrix_is_invariant_under_reordering(
        file_keys in prop::collection::vec(0..100u32, 3),
        decl_keys in prop::collection::vec(0..100u32, 16),
    ) {
        let (manifest, files) = clinic();
        check_order_invariance(&manifest, &files, &file_keys, &decl_keys)?;
    }

    #[test]
    fn generated_matrix_is_invariant_under_reordering(
        (manifest, files) in generated(),
        file_keys in prop::collection::vec(0..100u32, 4),
        decl_keys in prop::collection::vec(0..100u32, 16),
    ) {
        check_order_invariance(&manifest, &files, &file_keys, &decl_keys)?;
    }
}

#[test]
fn the_clinic_matrix_has_cells() {
    let (manifest, files) = clinic();
    let matrix = matrix_of(&manifest, &files);
    assert_eq!(matrix.roles, ["admin", "clinician", "receptionist", "patient"]);
    assert!(cells(&matrix).0.len() > 100);
}
