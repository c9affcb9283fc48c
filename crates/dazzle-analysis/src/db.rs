//! The salsa database, its inputs (files and projects), the per-file queries and the
//! per-entity tracked handles.

// salsa's macros generate accessors and builders that carry no doc comments.
#![allow(missing_docs)]

use std::sync::Arc;

use dazzle_syntax::{Dialect, Parse};

use crate::construct_memo::ConstructMemo;
use crate::item_index::ItemIndex;
use crate::manifest::Manifest;
use crate::model::{LinkedEntity, project_model};

/// The database every query runs on.
#[salsa::db]
pub trait Db: salsa::Database {
    /// Per-construct results of the files an editor is changing.
    fn constructs(&self) -> &ConstructMemo;
}

/// The concrete database: storage, and the construct memo. A clone is a read snapshot.
#[salsa::db]
#[derive(Clone, Default)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
    constructs: ConstructMemo,
}

impl RootDatabase {
    /// A database that reports every salsa event to `callback` (used to test incrementality).
    pub fn with_event_callback(callback: Box<dyn Fn(salsa::Event) + Send + Sync + 'static>) -> RootDatabase {
        RootDatabase { storage: salsa::Storage::new(Some(callback)), constructs: ConstructMemo::default() }
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl Db for RootDatabase {
    fn constructs(&self) -> &ConstructMemo {
        &self.constructs
    }
}

/// One `.dsl` file: its path (for messages and the module-name fallback) and its text.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The path as the caller names it (relative to the project root where there is one).
    #[returns(ref)]
    pub path: Arc<str>,
    /// The whole text.
    #[returns(ref)]
    pub text: Arc<str>,
    /// The dialect whose removed constructs are reported.
    #[returns(copy)]
    pub dialect: Dialect,
    /// An earlier parse of this file and the text it was made from, given with an editor's
    /// change so that the next parse reparses only the construct that changed.
    #[default]
    #[returns(ref)]
    pub previous: Option<PreviousParse>,
}

/// A parse of a file and the text it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousParse {
    /// The tree and diagnostics.
    pub parse: Parse,
    /// The text parsed.
    pub text: Arc<str>,
}

/// A project: the text of its `dazzle.toml` (if any) and its files, in discovery order.
#[salsa::input(debug)]
pub struct Project {
    /// The text of `dazzle.toml`; `None` for a lone file or a directory without one.
    #[returns(ref)]
    pub manifest_text: Option<Arc<str>>,
    /// The project's files, sorted as the reference sorts them.
    #[returns(ref)]
    pub files: Arc<[SourceFile]>,
    /// The dialect the user chose (command line); `None` defers to `dazzle.toml`, then to
    /// what the files are written in.
    #[returns(copy)]
    pub dialect: Option<Dialect>,
}

/// The syntax tree of a file and its syntax diagnostics. Never compared with the previous
/// tree (`no_eq`): any change of text changes the lossless tree, and comparing two trees
/// walks them node by node up to the edit.
#[salsa::tracked(returns(ref), lru = 256, no_eq)]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parse {
    let (text, dialect) = (file.text(db), file.dialect(db));
    match file.previous(db) {
        Some(previous) => previous.parse.reparse(&previous.text, text, dialect),
        None => dazzle_syntax::parse(text, dialect),
    }
}

/// What the file declares, with no offsets and no spacing: the firewall of incrementality.
/// Every edit re-lowers it from the file's tree, but an edit that changes no declaration (a
/// comment, spacing, blank lines) gives an equal index, so salsa keeps the old one and nothing
/// that reads it recomputes.
#[salsa::tracked(returns(ref))]
pub fn item_index(db: &dyn Db, file: SourceFile) -> Arc<ItemIndex> {
    let parse = parse(db, file);
    let mut entities = db.constructs().entities.run(file, file.previous(db).is_some());
    let mut index = ItemIndex::lower_with(&parse.tree(), file.text(db), |node| {
        entities.get(node, || crate::item_index::lower_entity(node))
    });
    index.uses_0112_syntax = parse.errors().iter().any(|e| e.code == "removed-syntax");
    Arc::new(index)
}

/// The module a file defines: its `module` line, else its file stem (as the reference does).
#[salsa::tracked(returns(ref))]
pub fn module_name(db: &dyn Db, file: SourceFile) -> String {
    if let Some(name) = &item_index(db, file).module {
        return name.clone();
    }
    let path = file.path(db);
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.strip_suffix(".dsl").unwrap_or(base).to_owned()
}

/// The interpreted `dazzle.toml` (defaults without one).
#[salsa::tracked(returns(ref))]
pub fn manifest(db: &dyn Db, project: Project) -> Arc<Manifest> {
    Arc::new(project.manifest_text(db).as_deref().map(Manifest::parse).unwrap_or_default())
}

/// An entity of a project, with its linked data as a separately tracked field so that a
/// query reading one entity does not depend on the others.
#[salsa::tracked(debug)]
pub struct EntityDef<'db> {
    /// The project it belongs to.
    #[returns(copy)]
    pub project: Project,
    /// Its name.
    #[returns(ref)]
    pub name: String,
    /// What the linker made of it.
    #[tracked]
    #[returns(ref)]
    pub linked: Arc<LinkedEntity>,
}

/// One tracked handle per entity of the project, in row order.
#[salsa::tracked(returns(ref))]
pub fn entity_defs(db: &dyn Db, project: Project) -> Vec<EntityDef<'_>> {
    project_model(db, project).entities.iter().map(|e| EntityDef::new(db, project, e.name.clone(), e.clone())).collect()
}
