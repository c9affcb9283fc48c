//! Publishing diagnostics: numbered snapshots, so that an older result never replaces a newer one.

use std::sync::Arc;

use dazzle_analysis::diagnostics::DiagnosticFile;
use dazzle_analysis::{FileId, PreviousParse, ProjectId};
use line_index::LineIndex;
use tower_lsp_server::ls_types::Uri;

use super::Backend;
use crate::lsp_convert::to_lsp_diagnostic;

impl Backend {
    /// Recomputes and publishes the diagnostics of every open document of `project`.
    pub(super) async fn publish(&self, project: ProjectId) {
        // A computation is cancelled when any input changes meanwhile, including inputs of
        // other projects or files whose change publishes nothing here: compute again rather
        // than leave this project's diagnostics stale. Bounded, as every change that cancels
        // keeps cancelling only while edits keep arriving, and each edit publishes itself.
        for _ in 0..MAX_ATTEMPTS {
            if self.try_publish(project).await {
                break;
            }
        }
        // The trees the edits replaced are freed now that their diagnostics are out.
        super::free_later(std::mem::take(&mut self.lock().replaced_trees));
    }

    /// One attempt of [`Self::publish`]; `false` when the analysis was cancelled.
    async fn try_publish(&self, project: ProjectId) -> bool {
        // One snapshot of the texts, the analysis and the settings, numbered: a result is
        // sent only if no later snapshot's result has been sent for that document already
        // (the version alone cannot tell: a settings change republishes the same version).
        let (analysis, docs, encoding, rules, snapshot) = {
            let mut state = self.lock();
            // The documents' line indexes are those of the texts the analysis holds now.
            let mut docs: Vec<(Uri, Option<FileId>, i32, Arc<LineIndex>)> = state
                .docs
                .iter()
                .filter(|(_, d)| d.project == project)
                .map(|(uri, d)| (uri.clone(), Some(d.file), d.doc.version, Arc::clone(d.doc.index())))
                .collect();
            docs.extend(
                state
                    .manifests
                    .iter()
                    .filter(|(_, m)| m.project == project)
                    .map(|(uri, m)| (uri.clone(), None, m.doc.version, Arc::clone(m.doc.index()))),
            );
            state.snapshots += 1;
            (state.host.analysis(), docs, state.encoding, state.rules.clone(), state.snapshots)
        };
        let computed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            for (uri, file, version, index) in docs {
                let findings = match file {
                    Some(file) => analysis.file_diagnostics(project, file),
                    None => analysis
                        .manifest_diagnostics(project)
                        .map(|all| all.into_iter().filter(|d| d.file == DiagnosticFile::Manifest).collect()),
                };
                let Ok(findings) = findings else { return None };
                // The tree the diagnostics were computed on (a memo, not a parse), and its text.
                let tree = match file {
                    Some(file) => analysis.parse(file).ok()?.zip(analysis.file_text(file).ok()?),
                    None => None,
                };
                let tree = tree.map(|(parse, text)| PreviousParse { parse, text });
                let findings = rules.apply(findings);
                let diagnostics = findings.iter().map(|f| to_lsp_diagnostic(f, &uri, &index, encoding)).collect();
                out.push((uri, version, diagnostics, tree));
            }
            Some(out)
        })
        .await;
        let results = match computed {
            Ok(Some(results)) => results,
            Ok(None) => return false,
            Err(_) => return true,
        };
        // Held across the send, so that check and send are one step among publishers.
        let mut published = self.published.lock().await;
        for (uri, version, diagnostics, tree) in results {
            let current = {
                let mut state = self.lock();
                let current = state
                    .docs
                    .get(&uri)
                    .map(|d| d.doc.version)
                    .or_else(|| state.manifests.get(&uri).map(|m| m.doc.version));
                // The document keeps the tree of a current publish (a republish of the same tree,
                // after a settings change or another file's edit, adds nothing); any other is freed.
                match (state.docs.get_mut(&uri), tree) {
                    (Some(open), Some(tree)) if open.doc.version == version => {
                        if !open.trees.last().is_some_and(|t| t.parse.is_same_tree(&tree.parse)) {
                            open.trees.push(tree);
                        }
                    }
                    (_, tree) => super::free_later(tree.into_iter().collect()),
                }
                current
            };
            let newer_sent = published.get(&uri).is_some_and(|&sent| sent > snapshot);
            if current == Some(version) && !newer_sent {
                published.insert(uri.clone(), snapshot);
                self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
            }
        }
        true
    }
}

/// How many times [`Backend::publish`] computes again after a cancellation.
const MAX_ATTEMPTS: usize = 8;
