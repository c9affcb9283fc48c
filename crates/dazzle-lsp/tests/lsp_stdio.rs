//! The built binary as a language server over stdio, driven the way an editor drives it:
//! initialize, open a file of the example project, receive diagnostics, hover an entity to
//! see its matrix rows, jump to a definition, list symbols, edit incrementally and see the
//! diagnostics follow, ask for the matrix, shut down and exit with status 0; then, on a copy of
//! the project, the editing features (references, rename, completion, code actions, folding, selection,
//! semantic tokens, workspace symbols) and a file created on disk behind the editor's back;
//! and a chain of random edits checked against servers that open the edited text afresh.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Server, clinic_copy, position_of, uri};
use serde_json::{Value, json};

fn records() -> (PathBuf, String) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clinic/dsl/records.dsl").canonicalize().unwrap();
    let uri = uri(&path);
    (path, uri)
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn an_editor_session_over_stdio() {
    let (path, uri) = records();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Server::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["result"]["capabilities"]["textDocumentSync"], 2, "incremental sync");
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dazzle", "version": 1, "text": text}}),
    );

    let first = client.diagnostics(&uri);
    assert_eq!(first["version"], 1);
    assert!(codes(&first).contains(&"unscoped-entity".to_owned()), "{first}");

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "Staff \"Staff member\"")}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().expect("markdown hover");
    assert!(markdown.contains("**entity `Staff`**"), "{markdown}");
    assert!(markdown.contains("| operation | admin | clinician | receptionist | patient |"), "{markdown}");
    assert!(markdown.contains("| list | PERMIT | PERMIT | PERMIT | PERMIT |"), "{markdown}");
    assert!(markdown.contains("unscoped-entity"), "caveats listed: {markdown}");

    let scoped = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "Patient \"Patient\"")}),
    );
    let scoped = scoped["result"]["contents"]["value"].as_str().unwrap();
    assert!(scoped.contains("PERMIT_SCOPED `practice = current_user.practice`"), "{scoped}");

    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "Staff required")}),
    );
    let location = &definition["result"][0];
    assert_eq!(location["uri"], uri);
    assert_eq!(location["range"]["start"], position_of(&text, "Staff \"Staff member\""));

    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let names: Vec<&str> = symbols["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Practice", "Patient", "Visit", "Staff", "Invoice"]);

    // Scope Staff: an incremental edit right after its permit block.
    let anchor = position_of(&text, "\nentity Invoice");
    let scope = "\n  scope:\n    list: all\n      as: *\n    read: all\n      as: *\n    create: all\n      as: admin\n    update: all\n      as: admin\n    delete: all\n      as: admin\n";
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": anchor, "end": anchor}, "text": scope}],
        }),
    );
    let second = client.diagnostics(&uri);
    assert_eq!(second["version"], 2);
    assert!(!codes(&second).contains(&"unscoped-entity".to_owned()), "{second}");

    let matrix = client.request("dazzle/rbacMatrix", json!({"textDocument": {"uri": uri}}));
    assert_eq!(matrix["result"]["roles"], json!(["admin", "clinician", "receptionist", "patient"]));
    assert!(matrix["result"]["cells"].as_array().unwrap().len() > 100);

    // The security report is built from the editor's unsaved text: Staff is scoped now.
    let report = client.request("dazzle/securityReport", json!({"textDocument": {"uri": uri}, "format": "json"}));
    assert_eq!(report["result"]["format"], "json", "{report}");
    let doc: serde_json::Value = serde_json::from_str(report["result"]["content"].as_str().unwrap()).unwrap();
    assert_eq!(doc["schema"], "dazzle-lsp-report/1");
    let codes_in_report: Vec<&str> =
        doc["findings"]["items"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(!codes_in_report.contains(&"unscoped-entity"), "{codes_in_report:?}");
    assert!(codes_in_report.contains(&"missing-audit"), "{codes_in_report:?}");
    let html = client.request("dazzle/securityReport", json!({"textDocument": {"uri": uri}}));
    assert!(html["result"]["content"].as_str().unwrap().starts_with("<!DOCTYPE html>"), "HTML by default");
    let bad = client.request("dazzle/securityReport", json!({"textDocument": {"uri": uri}, "format": "pdf"}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    client.finish();
}

#[test]
fn editing_features_over_stdio() {
    let root = clinic_copy("editing");
    let path = root.join("dsl/records.dsl");
    let uri = uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Server::start();
    let init = client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    let legend: Vec<&str> = caps["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dazzle", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);

    let at_staff = position_of(&text, "Staff required");
    let refs = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": at_staff, "context": {"includeDeclaration": true}}),
    );
    let refs = refs["result"].as_array().unwrap();
    assert_eq!(refs.len(), 2, "the declaration and the ref: {refs:?}");
    let without = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": at_staff, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(without["result"].as_array().unwrap().len(), 1);
    let highlights =
        client.request("textDocument/documentHighlight", json!({"textDocument": {"uri": uri}, "position": at_staff}));
    let kinds: Vec<i64> =
        highlights["result"].as_array().unwrap().iter().map(|h| h["kind"].as_i64().unwrap()).collect();
    assert_eq!(kinds, vec![2, 3], "in text order, the ref (read) and the declaration (write): {highlights}");

    let prepare =
        client.request("textDocument/prepareRename", json!({"textDocument": {"uri": uri}, "position": at_staff}));
    assert_eq!(prepare["result"]["start"], at_staff);
    let rename = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": at_staff, "newName": "Clinician"}),
    );
    let edits = rename["result"]["changes"][&uri].as_array().expect("edits in records.dsl");
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "Clinician"));
    let bad = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": at_staff, "newName": "not valid"}),
    );
    assert!(bad["error"]["message"].as_str().unwrap().contains("not a Dazzle identifier"), "{bad}");

    let unscoped = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unscoped-entity")
        .expect("Staff is unscoped")
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": unscoped["range"], "context": {"diagnostics": [unscoped]}}),
    );
    let actions = actions["result"].as_array().unwrap();
    let fix = actions.iter().find(|a| a["isPreferred"] == true).expect("a preferred fix");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "unscoped-entity");
    assert!(fix["edit"]["changes"][&uri][0]["newText"].as_str().unwrap().contains("scope:"));
    assert!(actions.iter().any(|a| a["title"] == "Suppress `unscoped-entity` here"));

    let mut in_role = position_of(&text, "role(admin)");
    in_role["character"] = json!(in_role["character"].as_u64().unwrap() + 5);
    let completion =
        client.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": in_role}));
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["admin", "clinician", "receptionist", "patient"]);

    let folds = client.request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}));
    let folds = folds["result"].as_array().unwrap();
    let practice = position_of(&text, "entity Practice");
    assert!(folds.iter().any(|f| f["startLine"] == practice["line"] && f["endLine"] == 20), "{folds:?}");

    let selection =
        client.request("textDocument/selectionRange", json!({"textDocument": {"uri": uri}, "positions": [at_staff]}));
    let first = &selection["result"][0];
    assert_eq!(first["range"]["start"], at_staff);
    assert!(first["parent"]["parent"].is_object(), "nested ranges: {first}");

    let tokens = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": uri}}));
    let data: Vec<u64> = tokens["result"]["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(data.len() % 5, 0);
    // The first token is the comment on line 0, the second `module` on line 1.
    assert_eq!(
        &data[..5],
        &[
            0,
            0,
            text.lines().next().unwrap().len() as u64,
            legend.iter().position(|t| *t == "comment").unwrap() as u64,
            0
        ]
    );
    assert_eq!(&data[5..9], &[1, 0, 6, legend.iter().position(|t| *t == "keyword").unwrap() as u64]);

    // A file created on disk by another tool joins the project once the client reports it.
    let extra = root.join("dsl/extra.dsl");
    std::fs::write(&extra, "module clinic.extra\n\nentity Prescription \"Prescription\":\n  id: uuid pk\n").unwrap();
    let missing = client.request("workspace/symbol", json!({"query": "prescr"}));
    assert_eq!(missing["result"], json!([]));
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": common::uri(&extra), "type": 1}]}));
    let found = client.request("workspace/symbol", json!({"query": "prescr"}));
    assert_eq!(found["result"][0]["name"], "Prescription", "{found}");
    let all = client.request("workspace/symbol", json!({"query": "stf"}));
    assert!(all["result"].as_array().unwrap().iter().any(|s| s["name"] == "Staff"), "fuzzy match: {all}");

    // dazzle.toml changed on disk: the project's severities follow.
    let manifest = root.join("dazzle.toml");
    let raised =
        std::fs::read_to_string(&manifest).unwrap() + "\n[tool.dazzle-lsp.severity]\nmissing-audit = \"error\"\n";
    std::fs::write(&manifest, raised).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": common::uri(&manifest), "type": 2}]}));
    let records = common::uri(&root.join("dsl/records.dsl"));
    client.next("records.dsl with missing-audit raised by the manifest on disk", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == records
            && severity_of(&m["params"], "missing-audit") == Some(1)
    });

    client.finish();
    let _ = std::fs::remove_dir_all(&root);
}

fn severity_of(diagnostics: &Value, code: &str) -> Option<i64> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .map(|d| d["severity"].as_i64().unwrap())
}

#[test]
fn settings_progress_and_rule_explanations_over_stdio() {
    let (path, uri) = records();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Server::start();
    client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {"window": {"workDoneProgress": true}},
            "initializationOptions": {"rules": {"unscoped-entity": "off", "missing-audit": "error", "anti-turing": "loud"}},
        }),
    );
    client.notify("initialized", json!({}));
    let warning = client.next("a settings warning", |m| m["method"] == "window/showMessage");
    let warning = warning["params"]["message"].as_str().unwrap();
    assert!(warning.contains("dazzle.rules.anti-turing") && warning.contains("\"loud\""), "{warning}");

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dazzle", "version": 1, "text": text}}),
    );
    // Loading the project: the server asks for a progress token, then begins and ends it.
    let create = client.next("a progress token request", |m| m["method"] == "window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    client.send(&json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let begin = client.next("progress begin", |m| m["method"] == "$/progress");
    assert_eq!((&begin["params"]["token"], &begin["params"]["value"]["kind"]), (&token, &json!("begin")));
    assert!(begin["params"]["value"]["message"].as_str().unwrap().contains("3 files"), "{begin}");
    let end = client.next("progress end", |m| m["method"] == "$/progress" && m["params"]["value"]["kind"] != "report");
    assert_eq!((&end["params"]["token"], &end["params"]["value"]["kind"]), (&token, &json!("end")));

    let first = client.diagnostics(&uri);
    assert_eq!(severity_of(&first, "unscoped-entity"), None, "turned off: {first}");
    assert_eq!(severity_of(&first, "missing-audit"), Some(1), "raised to error: {first}");

    // Settings that do not mention rules (Eglot sends `{}`) keep the rules from initialize.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let end = position_of(&text, "\nentity Invoice");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": end, "end": end}, "text": "\n"}]}),
    );
    let edited = client.diagnostics(&uri);
    assert_eq!(edited["version"], 2, "no publish for settings that change nothing: {edited}");
    assert_eq!(severity_of(&edited, "unscoped-entity"), None, "still off: {edited}");

    // Settings changed in the editor: unscoped-entity is back, as a hint.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dazzle": {"rules": {"unscoped-entity": "hint"}}}}),
    );
    let second = client.diagnostics(&uri);
    assert_eq!(severity_of(&second, "unscoped-entity"), Some(4), "{second}");
    assert_eq!(severity_of(&second, "missing-audit"), Some(2), "back to its default: {second}");

    // Settings flipping fast: whatever order the publishes finish in, the last diagnostics
    // the client receives follow the last settings.
    for round in 0..20 {
        let severity = if round % 2 == 0 { "error" } else { "off" };
        client.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"dazzle": {"rules": {"unscoped-entity": severity}}}}),
        );
    }
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dazzle": {"rules": {"unscoped-entity": "warning"}}}}),
    );
    let mut last = client.diagnostics(&uri);
    let published = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
    while let Some(message) = client.try_next(Duration::from_millis(500), &published) {
        last = message["params"].clone();
    }
    assert_eq!(severity_of(&last, "unscoped-entity"), Some(2), "{last}");

    // Hovering a finding's range explains its rule, below the symbol's own hover.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "Staff \"Staff member\"")}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("**entity `Staff`**"), "{markdown}");
    assert!(markdown.contains("---\n\n**`unscoped-entity`** — "), "{markdown}");
    let delete_false = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "delete: false")}),
    );
    let markdown = delete_false["result"]["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("**`permit-false-not-enforced`**"), "{markdown}");
    assert!(markdown.contains("CWE-"), "{markdown}");

    client.finish();
}

#[test]
fn several_workspace_folders_over_stdio() {
    let (a, b) = (clinic_copy("dazzle-lsp-root-a"), clinic_copy("dazzle-lsp-root-b"));
    // Project b calls its staff entity `Worker`.
    for file in ["dsl/records.dsl", "dsl/ui.dsl", "dsl/app.dsl"] {
        let text = std::fs::read_to_string(b.join(file)).unwrap();
        std::fs::write(b.join(file), text.replace("Staff", "Worker")).unwrap();
    }
    let folder = |path: &Path| json!({"uri": uri(path), "name": path.file_name().unwrap().to_str().unwrap()});
    let mut client = Server::start();
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "workspaceFolders": [folder(&a), folder(&b)],
            "capabilities": {"window": {"workDoneProgress": true}, "workspace": {"workspaceFolders": true}},
        }),
    );
    assert_eq!(init["result"]["capabilities"]["workspace"]["workspaceFolders"]["supported"], true);
    client.notify("initialized", json!({}));
    let create = client.next("a progress token request", |m| m["method"] == "window/workDoneProgress/create");
    client.send(&json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let begin = client.next("progress begin", |m| m["params"]["value"]["kind"] == "begin");
    assert_eq!(begin["params"]["value"]["message"], "2 projects: 6 files", "{begin}");
    client.next("progress end", |m| m["params"]["value"]["kind"] == "end");

    // Both projects are loaded before any file is opened.
    let symbol_files = |client: &mut Server, query: &str| -> Vec<String> {
        let found = client.request("workspace/symbol", json!({"query": query}));
        found["result"].as_array().unwrap().iter().map(|s| s["location"]["uri"].as_str().unwrap().to_owned()).collect()
    };
    let records = |root: &Path| uri(&root.join("dsl/records.dsl"));
    assert!(symbol_files(&mut client, "Worker").contains(&records(&b)));
    assert!(!symbol_files(&mut client, "Worker").contains(&records(&a)));
    assert!(symbol_files(&mut client, "Staff").contains(&records(&a)));

    // Removing folder b forgets its project.
    client.notify("workspace/didChangeWorkspaceFolders", json!({"event": {"added": [], "removed": [folder(&b)]}}));
    assert_eq!(symbol_files(&mut client, "Worker"), Vec::<String>::new());
    assert!(symbol_files(&mut client, "Staff").contains(&records(&a)));

    client.finish();
    for root in [a, b] {
        std::fs::remove_dir_all(root).unwrap();
    }
}

#[test]
fn documents_outside_readable_projects_over_stdio() {
    let mut client = Server::start();
    client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    client.notify("initialized", json!({}));

    // An unsaved buffer is analysed on its own.
    let untitled = "untitled:Untitled-1";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": untitled, "languageId": "dazzle", "version": 1, "text": "entity Note \"Note\"\n  id: uuid pk\n"}}),
    );
    let diagnostics = client.diagnostics(untitled);
    assert!(codes(&diagnostics).contains(&"syntax-error".to_owned()), "the missing colon: {diagnostics}");

    // A new, unsaved file inside a project belongs to it: its references resolve.
    let root = clinic_copy("dazzle-lsp-unsaved");
    let new_file = uri(&root.join("dsl/extra.dsl"));
    let text = "module clinic.extra\n\nentity Note \"Note\":\n  id: uuid pk\n  about: ref Patient required\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": new_file, "languageId": "dazzle", "version": 1, "text": text}}),
    );
    client.diagnostics(&new_file);
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": new_file}, "position": position_of(text, "Patient required")}),
    );
    let target = definition["result"][0]["uri"].as_str().expect("a definition in the project");
    assert!(target.ends_with("dsl/records.dsl"), "{definition}");

    // A project with a file that is not UTF-8 cannot be read: the user is told which file.
    let broken = clinic_copy("dazzle-lsp-unreadable");
    std::fs::write(broken.join("dsl/latin1.dsl"), b"module m\n# caf\xe9\n").unwrap();
    let opened = uri(&broken.join("dsl/app.dsl"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": opened, "languageId": "dazzle", "version": 1, "text": "module clinic.core\n"}}),
    );
    let message = client.next("an error message", |m| m["method"] == "window/showMessage");
    assert_eq!(message["params"]["type"], 1, "{message}");
    let text = message["params"]["message"].as_str().unwrap();
    assert!(text.contains("latin1.dsl") && text.contains("not UTF-8"), "{text}");

    client.finish();
    for dir in [root, broken] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn the_open_manifest_drives_the_project_over_stdio() {
    let root = clinic_copy("dazzle-lsp-manifest");
    let (manifest_path, records_path) = (root.join("dazzle.toml"), root.join("dsl/records.dsl"));
    let (manifest, records) = (uri(&manifest_path), uri(&records_path));
    let manifest_text = std::fs::read_to_string(&manifest_path).unwrap();
    let mut client = Server::start();
    client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    client.notify("initialized", json!({}));
    let open = |client: &mut Server, uri: &str, language: &str, text: &str| {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    };
    open(&mut client, &records, "dazzle", &std::fs::read_to_string(&records_path).unwrap());
    assert_eq!(severity_of(&client.diagnostics(&records), "missing-audit"), Some(2));
    open(&mut client, &manifest, "toml", &manifest_text);
    assert_eq!(codes(&client.diagnostics(&manifest)), Vec::<String>::new());

    // Typing in dazzle.toml: a bad value is located there; a good one reaches the rules at once.
    let end = json!({"line": manifest_text.lines().count(), "character": 0});
    let append = |client: &mut Server, version: i32, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": manifest, "version": version}, "contentChanges": [{"range": {"start": end, "end": end}, "text": text}]}),
        );
    };
    append(&mut client, 2, "[tool.dazzle-lsp.severity]\nmissing-audit = \"loud\"\n");
    let bad = client.diagnostics(&manifest);
    assert_eq!(codes(&bad), vec!["invalid-manifest"], "{bad}");
    assert_eq!(bad["diagnostics"][0]["range"]["start"]["line"], json!(manifest_text.lines().count() + 1), "{bad}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": manifest, "version": 3}, "contentChanges": [{"text": format!("{manifest_text}[tool.dazzle-lsp.severity]\nmissing-audit = \"error\"\n")}]}),
    );
    assert_eq!(codes(&client.diagnostics(&manifest)), Vec::<String>::new());
    // records.dsl is republished after each manifest change; the last one follows the new severity.
    let raised = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == records
            && severity_of(&m["params"], "missing-audit") == Some(1)
    };
    client.next("records.dsl with missing-audit as an error (the editor's manifest counts)", raised);

    // Closed unsaved: back to the file on disk (earlier publishes set aside must not count).
    client.pending.clear();
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": manifest}}));
    assert_eq!(client.diagnostics(&manifest)["diagnostics"], json!([]));
    let restored = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == records
            && severity_of(&m["params"], "missing-audit") == Some(2)
    };
    client.next("records.dsl back to the manifest on disk", restored);

    client.finish();
    std::fs::remove_dir_all(root).unwrap();
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}");
}

fn lens_titles(lenses: &Value) -> Vec<String> {
    lenses["result"].as_array().unwrap().iter().map(|l| l["command"]["title"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn matrix_lenses_and_changes_since_head_over_stdio() {
    let root = clinic_copy("lenses");
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "one"]);
    let path = root.join("dsl/records.dsl");
    let (uri, text) = (uri(&path), std::fs::read_to_string(&path).unwrap());
    let mut client = Server::start();
    client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    client.notify("initialized", json!({}));
    client.open(&uri, &text, 1);
    client.diagnostics(&uri);

    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    let titles = lens_titles(&lenses);
    let visit = titles.iter().find(|t| t.starts_with("admin") && t.contains("receptionist")).cloned();
    assert_eq!(titles.len(), 5, "one lens per entity, no changes yet: {titles:?}");
    assert!(titles.iter().all(|t| !t.contains("since HEAD")), "{titles:?}");
    assert_eq!(lenses["result"][0]["range"]["start"], position_of(&text, "Practice \"Practice\""));
    assert!(visit.is_some(), "{titles:?}");

    // An unsaved edit: receptionist may now update Visit.
    let edited = text.replace("    update: role(clinician)\n", "    update: role(clinician) or role(receptionist)\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    client.diagnostics_at(&uri, 2);
    let titles = lens_titles(&client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}})));
    assert!(titles.contains(&"+receptionist update since HEAD".to_owned()), "{titles:?}");

    let diff = client.request("dazzle/matrixDiff", json!({"textDocument": {"uri": uri}}));
    let changes = diff["result"]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{diff}");
    assert_eq!(changes[0]["entity"], "Visit");
    assert_eq!(changes[0]["kind"], "widened");
    assert_eq!(changes[0]["requires_sign_off"], true);
    assert_eq!(changes[0]["location"]["file"], "dsl/records.dsl");

    // Switched off in the settings: no change lenses, then no lenses at all.
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": {"dazzle": {"codeLens": {"changes": false}}}}));
    let titles = lens_titles(&client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}})));
    assert_eq!(titles.len(), 5, "{titles:?}");
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"dazzle": {"codeLens": {"matrix": false}}}}));
    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    assert!(lenses["result"].is_null(), "{lenses}");
    let (transcript, stderr) = client.finish();
    assert!(stderr.is_empty(), "{stderr}");
    assert!(!transcript.is_empty());
    std::fs::remove_dir_all(&root).ok();
}

/// Applies LSP edits (UTF-16 positions, ASCII text) to `text`, last first.
fn apply_edits(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let (line, character) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + character
    };
    let mut list: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_owned()))
        .collect();
    list.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in list {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn formatting_over_stdio() {
    let root = clinic_copy("formatting");
    std::fs::write(
        root.join("dazzle.toml"),
        std::fs::read_to_string(root.join("dazzle.toml")).unwrap() + "\n[tool.dazzle-lsp.format]\nindent = 4\n",
    )
    .unwrap();
    let path = root.join("dsl/records.dsl");
    let original = std::fs::read_to_string(&path).unwrap();
    let messy = original.replacen("  id: uuid pk\n", "  id:uuid pk   \n", 1).replacen(
        "\n\nentity Visit",
        "\n\n\n\nentity Visit",
        1,
    );
    let uri = uri(&path);
    let mut client = Server::start();
    client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    client.notify("initialized", json!({}));
    client.open(&uri, &messy, 1);
    client.diagnostics(&uri);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let list = edits["result"].as_array().expect("edits");
    assert!(list.len() > 1, "minimal edits, not one replacement: {edits}");
    let formatted = apply_edits(&messy, &edits["result"]);
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
        .args(["fmt", "-", "--stdin-filepath", path.to_str().unwrap()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(messy.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(formatted, String::from_utf8(cli.stdout).unwrap(), "the server's edits give what `fmt` gives");
    assert!(formatted.contains("\n    id: uuid pk\n"), "indent = 4 from dazzle.toml");
    // A range: only the edits that touch the first entity's lines.
    let ranged = client.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let ranged = ranged["result"].as_array().unwrap();
    assert!(!ranged.is_empty() && ranged.len() < list.len(), "{ranged:?}");
    assert!(ranged.iter().all(|e| e["range"]["start"]["line"].as_u64().unwrap() <= 6));
    client.finish();
    std::fs::remove_dir_all(&root).ok();
}

/// The diagnostics a server that has just opened `text` as `uri` publishes.
fn fresh_diagnostics(uri: &str, text: &str) -> Value {
    let mut client = Server::initialized();
    client.open(uri, text, 1);
    let published = client.diagnostics(uri)["diagnostics"].clone();
    client.finish();
    published
}

/// A chain of edits at random places (inside constructs, which reparse incrementally, and
/// across them, which do not) publishes, at every checkpoint, exactly what a server that opens
/// the edited text from scratch publishes.
#[test]
fn edited_documents_publish_what_a_fresh_server_publishes() {
    const SNIPPETS: &[&str] = &[
        "x",
        " ",
        "\n",
        "\"",
        "#",
        "if ",
        " or role(admin)",
        "\n  audit: false\n",
        "\n  permit:\n    read: role(admin)\n",
        "\nentity Extra \"Extra\":\n  id: uuid pk\n",
    ];
    let (path, uri) = records();
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut client = Server::initialized();
    client.open(&uri, &text, 1);
    client.diagnostics(&uri);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for version in 2..=121 {
        // A place on a line (UTF-16 columns, as the server negotiates by default), a deletion
        // of up to three characters on it, and an insertion.
        let lines: Vec<&str> = text.split('\n').collect();
        let line = random(lines.len());
        let chars: Vec<char> = lines[line].chars().collect();
        let (start, end) = {
            let at = random(chars.len() + 1);
            (at, (at + random(4)).min(chars.len()))
        };
        let column = |n: usize| chars[..n].iter().map(|c| c.len_utf16()).sum::<usize>();
        let insert = if random(3) == 0 { "" } else { SNIPPETS[random(SNIPPETS.len())] };
        let line_start: usize = lines[..line].iter().map(|l| l.len() + 1).sum();
        let byte = |n: usize| line_start + chars[..n].iter().map(|c| c.len_utf8()).sum::<usize>();
        text.replace_range(byte(start)..byte(end), insert);
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {
                        "start": {"line": line, "character": column(start)},
                        "end": {"line": line, "character": column(end)},
                    },
                    "text": insert,
                }],
            }),
        );
        let published = client.diagnostics_at(&uri, version)["diagnostics"].clone();
        if version % 8 == 1 {
            assert_eq!(published, fresh_diagnostics(&uri, &text), "after edit {version}, the text:\n{text}");
        }
    }
    client.finish();
}
