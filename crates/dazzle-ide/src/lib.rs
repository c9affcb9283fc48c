//! `dazzle-ide`: editor features as pure functions over an [`Analysis`] snapshot — hover (an
//! entity's RBAC matrix rows, a persona's row across entities), go to definition, document
//! symbols. Results are plain values with byte ranges.
//!
//! This crate must not know: LSP types, serde or output formats, threads or async, IO,
//! line/column positions, or how to write to the database.

mod hover;
mod navigation;
mod symbols;

pub use dazzle_analysis::{Analysis, Cancellable, FileId, ProjectId};
pub use hover::{HoverResult, hover};
pub use navigation::{NavigationTarget, goto_definition};
pub use symbols::{Symbol, SymbolKind, document_symbols};
