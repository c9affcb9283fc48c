//! Incrementality, tested through salsa's event log: which queries re-execute after an edit.

use std::sync::{Arc, Mutex};

use dazzle_analysis::{AnalysisHost, Durability, FileId, ProjectId, RootDatabase};
use dazzle_syntax::Dialect;

const APP: &str = "module shop.core\nuse shop.data\napp shop \"Shop\"\n\npersona admin \"Admin\":\n  description: \"a\"\npersona clerk \"Clerk\":\n  description: \"c\"\n";

const DATA: &str = "module shop.data\n\nentity Order \"Order\":\n  id: uuid pk\n  permit:\n    read: role(admin)\n    list: role(admin)\n\nentity Product \"Product\":\n  id: uuid pk\n  permit:\n    read: role(clerk)\n";

/// A host whose database records the name of every query it executes.
fn logged_host() -> (AnalysisHost, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let db = RootDatabase::with_event_callback(Box::new(move |event| {
        if let salsa::EventKind::WillExecute { database_key } = event.kind {
            sink.lock().unwrap().push(format!("{database_key:?}"));
        }
    }));
    (AnalysisHost::with_database(db), log)
}

fn setup() -> (AnalysisHost, Arc<Mutex<Vec<String>>>, FileId, ProjectId) {
    let (mut host, log) = logged_host();
    let app = host.add_file("dsl/app.dsl", APP, Dialect::V0_125, Durability::LOW);
    let data = host.add_file("dsl/data.dsl", DATA, Dialect::V0_125, Durability::LOW);
    let project = host.add_project(Some("[project]\nroot = \"shop.core\"\n"), &[app, data], None);
    host.analysis().matrix(project).unwrap().unwrap();
    log.lock().unwrap().clear();
    (host, log, data, project)
}

fn executed(log: &Mutex<Vec<String>>, query: &str) -> usize {
    log.lock().unwrap().iter().filter(|k| k.starts_with(&format!("{query}("))).count()
}

#[test]
fn comment_and_whitespace_edits_recompute_nothing_beyond_the_item_index() {
    let (mut host, log, data, project) = setup();
    let edited = DATA
        .replace("entity Order \"Order\":", "# orders\nentity   Order \"Order\":   # comment")
        .replace("\n\nentity Product", "\n\n\n   \nentity Product");
    host.set_file_text(data, edited.as_str());
    host.analysis().matrix(project).unwrap().unwrap();
    let log_text = log.lock().unwrap().join("\n");
    assert_eq!(executed(&log, "item_index"), 1, "the edited file is lowered again:\n{log_text}");
    for query in ["project_model", "role_context", "entity_defs", "entity_matrix", "project_matrix"] {
        assert_eq!(executed(&log, query), 0, "{query} re-executed:\n{log_text}");
    }
}

#[test]
fn editing_one_permit_line_recomputes_only_that_entity() {
    let (mut host, log, data, project) = setup();
    host.set_file_text(data, DATA.replace("    read: role(clerk)", "    read: role(clerk) or role(admin)"));
    let matrix = host.analysis().matrix(project).unwrap().unwrap();
    let log_text = log.lock().unwrap().join("\n");
    assert_eq!(executed(&log, "item_index"), 1, "{log_text}");
    assert_eq!(executed(&log, "entity_matrix"), 1, "only Product's matrix re-executes:\n{log_text}");
    assert_eq!(matrix.get("admin", "Product", dazzle_analysis::access::Operation::Read).as_str(), "PERMIT");
}

#[test]
fn editing_one_entity_reruns_only_its_rules() {
    let (mut host, log, data, project) = setup();
    let files: Vec<_> = host.analysis().project_files(project);
    for &file in &files {
        host.analysis().file_diagnostics(project, file).unwrap();
    }
    log.lock().unwrap().clear();
    host.set_file_text(data, DATA.replace("    read: role(clerk)", "    read: role(clerk) or role(admin)"));
    for &file in &files {
        host.analysis().file_diagnostics(project, file).unwrap();
    }
    let log_text = log.lock().unwrap().join("\n");
    assert_eq!(executed(&log, "entity_findings"), 1, "only Product's rules re-run:\n{log_text}");
    assert_eq!(executed(&log, "rule_context"), 1, "{log_text}");
}

#[test]
fn a_write_cancels_a_reader_on_another_thread() {
    let (mut host, _log, data, project) = setup();
    let analysis = host.analysis();
    let started = Arc::new(std::sync::Barrier::new(2));
    let go = started.clone();
    let reader = std::thread::spawn(move || {
        go.wait();
        // Keep reading until the pending write cancels us.
        loop {
            if analysis.matrix(project).is_err() {
                return true;
            }
        }
    });
    started.wait();
    host.set_file_text(data, DATA.replace("Order", "Purchase"));
    assert!(reader.join().unwrap(), "the reader saw the cancellation");
    let matrix = host.analysis().matrix(project).unwrap().unwrap();
    assert!(matrix.entities.iter().any(|e| e.entity == "Purchase"));
}

#[test]
fn an_edit_with_the_previous_parse_reparses_only_its_entity() {
    let (mut host, _log, data, _project) = setup();
    let before = host.analysis().parse(data).unwrap().unwrap();
    let edited = DATA.replace("    read: role(clerk)", "    read: role(clerk) or role(admin)");
    let previous = dazzle_analysis::PreviousParse { parse: before.clone(), text: DATA.into() };
    host.edit_file_text(data, edited.as_str(), Some(previous));
    let after = host.analysis().parse(data).unwrap().unwrap();
    assert_eq!(after, dazzle_syntax::parse(&edited, Dialect::V0_125), "the reparse is the full parse");
    // `entity Order` comes before the edit and is shared, not rebuilt.
    let order = |p: &dazzle_syntax::Parse| {
        p.green().children().filter_map(dazzle_syntax::NodeOrToken::into_node).nth(1).map(|n| n as *const _)
    };
    assert!(order(&before).is_some() && order(&before) == order(&after), "Order's node is shared");
}

/// What an edit inserts in `edits_with_a_reparse_base_analyse_as_a_fresh_host`: structure,
/// control flow and calls (anti-Turing), access rules and audit lines (the item index).
const SNIPPETS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\n  ",
    "\"",
    ":",
    "if ",
    " => ",
    " ? a : b",
    "loop(",
    "foo(x)",
    "(",
    ")",
    " or role(admin)",
    "\n  permit:\n    read: role(admin)\n",
    "\n  audit: false\n",
    "\n  audit: [create]\n",
    "\nentity Q \"Q\":\n  id: uuid pk\n",
    "# c",
    "return ",
    "scope:\n    list: all\n      as: *\n",
];

/// A host whose one file is the edited text, as a fresh analysis sees it.
fn fresh(text: &str) -> (Vec<dazzle_analysis::diagnostics::Diagnostic>, String) {
    let mut host = AnalysisHost::default();
    let file = host.add_file("dsl/app.dsl", text, Dialect::V0_125, Durability::LOW);
    let project = host.add_project(None, &[file], None);
    let analysis = host.analysis();
    (analysis.file_diagnostics(project, file).unwrap(), format!("{:?}", analysis.matrix(project).unwrap()))
}

#[test]
fn edits_with_a_reparse_base_analyse_as_a_fresh_host() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rules");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "dsl"));
    paths.sort();
    assert!(paths.len() > 30);
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for path in paths {
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut host = AnalysisHost::default();
        let file = host.add_file("dsl/app.dsl", text.as_str(), Dialect::V0_125, Durability::LOW);
        let project = host.add_project(None, &[file], None);
        for _ in 0..12 {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = random(bounds.len());
            let end = bounds[(at + random(6)).min(bounds.len() - 1)];
            let edited = format!("{}{}{}", &text[..bounds[at]], SNIPPETS[random(SNIPPETS.len())], &text[end..]);
            let parse = host.analysis().parse(file).unwrap().unwrap();
            host.edit_file_text(
                file,
                edited.as_str(),
                Some(dazzle_analysis::PreviousParse { parse, text: text.into() }),
            );
            let analysis = host.analysis();
            let got =
                (analysis.file_diagnostics(project, file).unwrap(), format!("{:?}", analysis.matrix(project).unwrap()));
            assert!(got == fresh(&edited), "{} edited differs from a fresh analysis:\n{edited}", path.display());
            text = edited;
        }
    }
}
