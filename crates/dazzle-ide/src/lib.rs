//! `dazzle-ide`: editor features as pure functions over an [`Analysis`] snapshot — hover (an
//! entity's RBAC matrix rows, a persona's row across entities), go to definition, references
//! and rename, completion, code actions, document symbols, folding and selection ranges, semantic
//! tokens, code lenses (an entity's matrix row, and what changed in it since a baseline), and the
//! formatter.
//! Results are plain values with byte ranges.
//!
//! This crate must not know: LSP types, serde or output formats, threads or async, IO,
//! line/column positions, or how to write to the database.

mod actions;
mod completion;
mod format;
mod hover;
mod lenses;
mod navigation;
mod references;
mod structure;
mod symbols;

pub use actions::{CodeAction, code_actions};
pub use completion::{CompletionItem, CompletionKind, completions};
pub use dazzle_analysis::{Analysis, Cancellable, FileId, ProjectId};
pub use format::{FormatOptions, Formatted, format};
pub use hover::{HoverResult, hover};
pub use lenses::{EntityLens, changes_since, entity_lenses, row_summary};
pub use navigation::{NavigationTarget, goto_definition};
pub use references::{Reference, prepare_rename, references, rename};
pub use structure::{SEMANTIC_TOKEN_TYPES, SemanticToken, folding_ranges, selection_ranges, semantic_tokens};
pub use symbols::{Symbol, SymbolKind, document_symbols};
