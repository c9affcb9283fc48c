//! The single-writer host and its cheap read snapshots. Every read returns `Cancellable`:
//! a write in progress unwinds readers with `Cancelled`, which is caught here.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use dazzle_syntax::{Dialect, Parse, TextRange};
use salsa::{Durability, Setter};

use crate::access::Operation;
use crate::audit::{AuditCoverage, audit_coverage};
use crate::db::{PreviousParse, Project, RootDatabase, SourceFile, parse};
use crate::diagnostics::Diagnostic;
use crate::locate::cell_locator;
use crate::matrix::{Matrix, project_matrix};
use crate::model::{ProjectModel, project_model};

/// The result of a read that a concurrent write may cancel.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;

/// A file known to the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A project known to the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectId(pub u32);

/// Owns the database; the only place that writes to it.
#[derive(Default)]
pub struct AnalysisHost {
    db: RootDatabase,
    files: HashMap<FileId, SourceFile>,
    projects: HashMap<ProjectId, Project>,
    next_file: u32,
    next_project: u32,
}

impl AnalysisHost {
    /// A host over an existing database (e.g. one that logs salsa events).
    pub fn with_database(db: RootDatabase) -> AnalysisHost {
        AnalysisHost { db, ..AnalysisHost::default() }
    }

    /// Adds a file; `durability` is low for files an editor owns, medium for files from disk.
    /// A text already shared (`Arc<str>`) is not copied.
    pub fn add_file(
        &mut self,
        path: &str,
        text: impl Into<Arc<str>>,
        dialect: Dialect,
        durability: Durability,
    ) -> FileId {
        let file = SourceFile::builder(Arc::from(path), text.into(), dialect).durability(durability).new(&self.db);
        let id = FileId(self.next_file);
        self.next_file += 1;
        self.files.insert(id, file);
        id
    }

    /// Replaces a file's text (a shared text is not copied).
    pub fn set_file_text(&mut self, file: FileId, text: impl Into<Arc<str>>) {
        self.edit_file_text(file, text, None);
    }

    /// Replaces a file's text after an edit, with the last parse of the file the caller holds
    /// (and the text it was made from): the next parse then reparses only the construct the
    /// edit changed, when it can.
    pub fn edit_file_text(&mut self, file: FileId, text: impl Into<Arc<str>>, previous: Option<PreviousParse>) {
        if let Some(&f) = self.files.get(&file) {
            if f.previous(&self.db).is_some() || previous.is_some() {
                f.set_previous(&mut self.db).to(previous);
            }
            f.set_text(&mut self.db).to(text.into());
        }
    }

    /// Adds a project made of `files` (in discovery order) with its manifest text and the
    /// dialect the user chose, if any.
    pub fn add_project(&mut self, manifest: Option<&str>, files: &[FileId], dialect: Option<Dialect>) -> ProjectId {
        let files: Arc<[SourceFile]> = files.iter().filter_map(|f| self.files.get(f).copied()).collect();
        let project =
            Project::builder(manifest.map(Arc::from), files, dialect).durability(Durability::MEDIUM).new(&self.db);
        let id = ProjectId(self.next_project);
        self.next_project += 1;
        self.projects.insert(id, project);
        id
    }

    /// Replaces a project's file set (a file was created, or an editor opened a file the
    /// project did not list).
    pub fn set_project_files(&mut self, project: ProjectId, files: &[FileId]) {
        if let Some(&p) = self.projects.get(&project) {
            let files: Arc<[SourceFile]> = files.iter().filter_map(|f| self.files.get(f).copied()).collect();
            p.set_files(&mut self.db).to(files);
        }
    }

    /// Replaces a project's manifest text.
    pub fn set_manifest(&mut self, project: ProjectId, manifest: Option<&str>) {
        if let Some(&p) = self.projects.get(&project) {
            p.set_manifest_text(&mut self.db).to(manifest.map(Arc::from));
        }
    }

    /// A read snapshot. Drop it before the next write, or the write waits for it.
    pub fn analysis(&self) -> Analysis {
        Analysis { db: self.db.clone(), files: self.files.clone(), projects: self.projects.clone() }
    }

    /// The database (for tests that inspect queries directly).
    pub fn db(&self) -> &RootDatabase {
        &self.db
    }

    /// The salsa input of a file.
    pub fn source_file(&self, file: FileId) -> Option<SourceFile> {
        self.files.get(&file).copied()
    }

    /// The salsa input of a project.
    pub fn project(&self, project: ProjectId) -> Option<Project> {
        self.projects.get(&project).copied()
    }
}

/// An immutable snapshot of the database.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
    files: HashMap<FileId, SourceFile>,
    projects: HashMap<ProjectId, Project>,
}

impl Analysis {
    /// Runs `f` on the snapshot's database, turning a pending write into `Err(Cancelled)`.
    /// Feature crates use it to run queries; results must not hold on to the database.
    pub fn with_db<T>(&self, f: impl FnOnce(&RootDatabase) -> T) -> Cancellable<T> {
        salsa::Cancelled::catch(AssertUnwindSafe(|| f(&self.db)))
    }

    /// The text of a file (`None` for an unknown file).
    pub fn file_text(&self, file: FileId) -> Cancellable<Option<Arc<str>>> {
        let Some(&f) = self.files.get(&file) else {
            return Ok(None);
        };
        self.with_db(|db| Some(f.text(db).clone()))
    }

    /// The `dazzle.toml` text of a project (`None` for an unknown project or one without).
    pub fn manifest_text(&self, project: ProjectId) -> Cancellable<Option<Arc<str>>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        self.with_db(|db| p.manifest_text(db).clone())
    }

    /// The parse of a file (`None` for an unknown file).
    pub fn parse(&self, file: FileId) -> Cancellable<Option<Parse>> {
        let Some(&f) = self.files.get(&file) else {
            return Ok(None);
        };
        self.with_db(|db| Some(parse(db, f).clone()))
    }

    /// Computes the item index of each of `files` (a warm-up that callers run on several
    /// threads, each with its own snapshot, before project-wide queries).
    pub fn prefetch(&self, files: &[FileId]) -> Cancellable<()> {
        self.with_db(|db| {
            for file in files {
                if let Some(&f) = self.files.get(file) {
                    crate::db::item_index(db, f);
                }
            }
        })
    }

    /// Computes the per-file syntax work — the tree and the anti-Turing scan — of each of
    /// `files` (a warm-up that needs nothing project-wide, so it overlaps with linking).
    pub fn prefetch_syntax(&self, files: &[FileId]) -> Cancellable<()> {
        self.with_db(|db| {
            for file in files {
                if let Some(&f) = self.files.get(file) {
                    crate::anti_turing::anti_turing(db, f);
                }
            }
        })
    }

    /// Computes the matrix rows and rule findings of every `parts`-th entity of a project,
    /// starting at `part` (a warm-up split over threads before project-wide collection).
    pub fn prefetch_entities(&self, project: ProjectId, part: usize, parts: usize) -> Cancellable<()> {
        self.for_entities(project, part, parts, |db, def| {
            crate::rules::entity_findings(db, def);
        })
    }

    /// Computes the matrix rows alone (no rule findings) of every `parts`-th entity of a
    /// project, starting at `part`: the warm-up of commands that print only the matrix.
    pub fn prefetch_matrix_rows(&self, project: ProjectId, part: usize, parts: usize) -> Cancellable<()> {
        self.for_entities(project, part, parts, |db, def| {
            crate::matrix::entity_matrix(db, def);
        })
    }

    /// Runs `f` on every `parts`-th entity of a project, starting at `part`.
    fn for_entities(
        &self,
        project: ProjectId,
        part: usize,
        parts: usize,
        f: impl for<'db> Fn(&'db dyn crate::db::Db, crate::db::EntityDef<'db>),
    ) -> Cancellable<()> {
        let Some(&p) = self.projects.get(&project) else { return Ok(()) };
        self.with_db(|db| {
            for &def in crate::db::entity_defs(db, p).iter().skip(part).step_by(parts.max(1)) {
                f(db, def);
            }
        })
    }

    /// Computes the diagnostics of each of `files` (a warm-up run on several threads).
    pub fn prefetch_diagnostics(&self, project: ProjectId, files: &[FileId]) -> Cancellable<()> {
        let Some(&p) = self.projects.get(&project) else { return Ok(()) };
        self.with_db(|db| {
            for file in files {
                if let Some(&f) = self.files.get(file) {
                    crate::check::file_diagnostics(db, p, f);
                }
            }
        })
    }

    /// The files of a project.
    pub fn project_files(&self, project: ProjectId) -> Vec<FileId> {
        let Some(&p) = self.projects.get(&project) else {
            return Vec::new();
        };
        let wanted: Vec<SourceFile> = self.with_db(|db| p.files(db).to_vec()).unwrap_or_default();
        let mut ids: Vec<FileId> = self.files.iter().filter(|(_, f)| wanted.contains(f)).map(|(id, _)| *id).collect();
        ids.sort();
        ids
    }

    /// The linked model of a project.
    pub fn project_model(&self, project: ProjectId) -> Cancellable<Option<Arc<ProjectModel>>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        self.with_db(|db| Some(project_model(db, p).clone()))
    }

    /// The diagnostics of one file of a project.
    pub fn file_diagnostics(&self, project: ProjectId, file: FileId) -> Cancellable<Vec<Diagnostic>> {
        let (Some(&p), Some(&f)) = (self.projects.get(&project), self.files.get(&file)) else {
            return Ok(Vec::new());
        };
        self.with_db(|db| crate::check::file_diagnostics(db, p, f).to_vec())
    }

    /// The diagnostics of a project's `dazzle.toml` (and of the project as a whole).
    pub fn manifest_diagnostics(&self, project: ProjectId) -> Cancellable<Vec<Diagnostic>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(Vec::new());
        };
        self.with_db(|db| crate::check::manifest_diagnostics(db, p).to_vec())
    }

    /// Differences between the project's matrix and a signed-off one.
    pub fn matrix_drift(
        &self,
        project: ProjectId,
        golden: &crate::drift::SignedOffMatrix,
    ) -> Cancellable<Vec<Diagnostic>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(Vec::new());
        };
        self.with_db(|db| crate::drift::matrix_drift(db, p, golden))
    }

    /// The salsa input of a file.
    pub fn source_file(&self, file: FileId) -> Option<SourceFile> {
        self.files.get(&file).copied()
    }

    /// The salsa input of a project.
    pub fn project_input(&self, project: ProjectId) -> Option<Project> {
        self.projects.get(&project).copied()
    }

    /// The file id of a salsa file input.
    pub fn file_id(&self, file: SourceFile) -> Option<FileId> {
        self.files.iter().find(|(_, f)| **f == file).map(|(id, _)| *id)
    }

    /// The audit status of an entity of a project (see [`crate::audit`]).
    pub fn audit_coverage(&self, project: ProjectId, entity: &str) -> Cancellable<Option<AuditCoverage>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        self.with_db(|db| {
            let model = project_model(db, p);
            let ctx = crate::rules::rule_context(db, p);
            let classified = ctx.classified.get(entity).map_or(&[][..], Vec::as_slice);
            model.entities.iter().find(|e| e.name == entity).map(|e| audit_coverage(e, classified, ctx.audit_trail))
        })
    }

    /// Where the decision of a matrix cell is made: the file and range of the rule that decides
    /// it (see [`crate::locate::cell_locator`]); `None` for entities the framework injects.
    pub fn cell_location(
        &self,
        project: ProjectId,
        entity: &str,
        role: &str,
        op: Operation,
    ) -> Cancellable<Option<(FileId, TextRange)>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        let found = self.with_db(|db| {
            let model = project_model(db, p);
            let linked = model.entities.iter().find(|e| e.name == entity)?;
            let file = linked.file?;
            let range = crate::locate::locate(&parse(db, file).tree(), &cell_locator(linked, role, op));
            Some((file, range))
        })?;
        Ok(found.and_then(|(file, range)| self.file_id(file).map(|id| (id, range))))
    }

    /// Whether an entity holds data whose access changes need sign-off: personal or sensitive
    /// fields, a `classify` line, `signable: true`, or an `audit:` line of its own.
    pub fn is_sensitive(&self, project: ProjectId, entity: &str) -> Cancellable<bool> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(false);
        };
        self.with_db(|db| {
            let model = project_model(db, p);
            let ctx = crate::rules::rule_context(db, p);
            let classified = ctx.classified.get(entity).map_or(&[][..], Vec::as_slice);
            model.entities.iter().find(|e| e.name == entity).is_some_and(|e| {
                !classified.is_empty()
                    || !e.audit_lines.is_empty()
                    || audit_coverage(e, classified, ctx.audit_trail).required()
            })
        })
    }

    /// The project settings the per-entity rules read (personas, profile, tenancy, classes).
    pub fn rule_context(&self, project: ProjectId) -> Cancellable<Option<Arc<crate::rules::RuleContext>>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        self.with_db(|db| Some(crate::rules::rule_context(db, p).clone()))
    }

    /// The RBAC matrix of a project.
    pub fn matrix(&self, project: ProjectId) -> Cancellable<Option<Arc<Matrix>>> {
        let Some(&p) = self.projects.get(&project) else {
            return Ok(None);
        };
        self.with_db(|db| Some(project_matrix(db, p).clone()))
    }
}
