//! `dazzle-analysis`: the incremental semantic model of Dazzle projects on salsa — item
//! indexes, module graph and name resolution, the linked project model with the entities the
//! framework injects, the static RBAC matrix exactly as the reference computes it, and the
//! security rules with located diagnostics.
//!
//! This crate must not know: LSP types, serde or any output format, threads or async, the
//! file system (the caller hands in file and manifest texts), or line/column positions
//! (ranges are byte offsets).

pub mod access;
pub mod access_diff;
pub mod anti_turing;
pub mod audit;
pub mod check;
mod construct_memo;
pub mod db;
pub mod diagnostics;
pub mod drift;
mod framework;
mod host;
pub mod item_index;
pub mod locate;
pub mod manifest;
pub mod matrix;
pub mod model;
pub mod rules;

pub use db::{Db, PreviousParse, Project, RootDatabase, SourceFile};
pub use host::{Analysis, AnalysisHost, Cancellable, FileId, ProjectId};
pub use salsa::{Cancelled, Durability};
