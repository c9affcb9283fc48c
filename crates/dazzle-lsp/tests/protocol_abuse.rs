//! The built server abused over stdio: broken framing and JSON, unknown methods, requests
//! before `initialize`, parameters of the wrong type, positions out of range, edits to
//! documents that are not open, versions going backwards, a 10 MB and a binary document, files
//! deleted or renamed on disk while open, a lone file, a broken `dazzle.toml`, a symbolic-link
//! loop in the module paths, and 50 requests racing rapid edits. After each case the server
//! still answers; its memory stays bounded; it writes no file; and a credential in
//! `dazzle.toml` never appears in anything it says, on stdout or stderr.
//!
//! Every wait is bounded: a hang fails the test instead of blocking it.

mod common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Server, WAIT, clinic_copy, position_of, scratch, uri};
use serde_json::{Value, json};

fn error_code(answer: &Value) -> Option<i64> {
    answer["error"]["code"].as_i64()
}

const SMALL: &str = "module lone\n\npersona admin \"Admin\":\n  description: \"a\"\n\nentity Note \"Note\":\n  id: uuid pk\n  body: text\n  permit:\n    read: role(admin)\n";

/// A lone `.dsl` file in a directory without `dazzle.toml`.
fn lone_file(name: &str, text: &str) -> (PathBuf, String) {
    let dir = scratch(name);
    let path = dir.join("lone.dsl");
    std::fs::write(&path, text).unwrap();
    (dir, uri(&path))
}

#[test]
fn broken_framing_and_json() {
    let (dir, file) = lone_file("framing", SMALL);
    let mut server = Server::initialized();
    server.open(&file, SMALL, 1);
    server.diagnostics(&file);

    // Not JSON at all: a parse error (id null), and the server goes on.
    server.raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = server.next("a parse error", |m| m.get("error").is_some());
    assert_eq!(error_code(&parse_error), Some(-32700), "{parse_error}");
    assert_eq!(parse_error["id"], Value::Null);
    server.assert_alive(Some(&file));

    // JSON, but not JSON-RPC.
    server.send(&json!([1, 2, 3]));
    server.send(&json!({"hello": "world"}));
    server.assert_alive(Some(&file));

    // Content-Length too short: the body is cut, the rest is garbage before the next header.
    let body = json!({"jsonrpc": "2.0", "id": 9001, "method": "workspace/symbol", "params": {"query": ""}}).to_string();
    server.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() - 10).as_bytes());
    server.assert_alive(Some(&file));

    // Content-Length too long: the server waits for the missing bytes, which the next message
    // provides; the message after that is served.
    let body = json!({"jsonrpc": "2.0", "id": 9002, "method": "workspace/symbol", "params": {"query": ""}}).to_string();
    server.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).as_bytes());
    server.raw(&[b'x'; 40]);
    server.assert_alive(Some(&file));

    // Non-numeric and missing Content-Length, and a header without its blank line.
    server.raw(b"Content-Length: lots\r\n\r\n{}");
    server.assert_alive(Some(&file));
    server.raw(br#"{"jsonrpc": "2.0", "id": 9003, "method": "shutdown"}"#);
    server.assert_alive(Some(&file));
    server.raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
    server.assert_alive(Some(&file));
    // An absurd length: the server must not try to allocate it up front.
    server.raw(b"Content-Length: 99999999999999999999\r\n\r\n{}");
    server.assert_alive(Some(&file));
    server.raw(b"Content-Length: 1073741824\r\n\r\n{}");
    server.assert_alive(Some(&file));

    // None of the broken requests was answered as if it were whole; each problem was answered
    // with an error of id null.
    for id in [9001, 9002, 9003] {
        assert!(!server.transcript.iter().any(|m| m.contains(&format!("\"id\":{id}"))), "request {id} answered");
    }
    let (transcript, stderr) = server.finish();
    let errors: Vec<&String> =
        transcript.iter().filter(|m| m.contains("\"error\"") && m.contains("\"id\":null")).collect();
    for error in &errors {
        eprintln!("framing: {error}");
    }
    assert!(errors.len() >= 9, "{errors:#?}");
    assert!(stderr.contains("dropped a malformed message"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn requests_before_initialize_unknown_methods_and_wrong_params() {
    let mut server = Server::start();
    let early = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.dsl"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&early), Some(-32002), "ServerNotInitialized: {early}");
    let early = server.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(error_code(&early), Some(-32002), "{early}");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///x.dsl", "languageId": "dazzle", "version": 1, "text": "entity"}}),
    );
    let init = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    let again = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert!(again.get("error").is_some(), "a second initialize is refused: {again}");
    server.notify("initialized", json!({}));

    // Unknown methods: requests get MethodNotFound, notifications are ignored.
    let unknown = server.request("dazzle/noSuchThing", json!({}));
    assert_eq!(error_code(&unknown), Some(-32601), "{unknown}");
    let unknown = server.request("textDocument/noSuchThing", Value::Null);
    assert_eq!(error_code(&unknown), Some(-32601), "{unknown}");
    server.notify("dazzle/noSuchNotification", json!({"x": 1}));
    server.notify("$/noSuchNotification", json!({}));
    server.notify("$/cancelRequest", json!({"id": 123456}));
    server.assert_alive(None);

    // Parameters of the wrong type: InvalidParams.
    for (method, params) in [
        ("textDocument/hover", json!("a string")),
        ("textDocument/hover", json!({"textDocument": {"uri": 42}, "position": {"line": 0, "character": 0}})),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///x.dsl"}, "position": {"line": "zero", "character": 0}}),
        ),
        ("textDocument/completion", Value::Null),
        ("textDocument/definition", json!([])),
        ("workspace/symbol", json!({"query": 7})),
        ("dazzle/rbacMatrix", json!({"textDocument": 1})),
        (
            "textDocument/rename",
            json!({"textDocument": {"uri": "file:///x.dsl"}, "position": {"line": 0, "character": 0}}),
        ),
    ] {
        let answer = server.request(method, params.clone());
        assert_eq!(error_code(&answer), Some(-32602), "InvalidParams for {method} {params}: {answer}");
    }
    // Notifications with wrong params are dropped.
    server.notify("textDocument/didOpen", json!({"textDocument": "nope"}));
    server.notify("textDocument/didChange", json!(17));
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": "all"}));
    // A request id of every legal type, and a notification that carries an id.
    let answer = {
        server.send(&json!({"jsonrpc": "2.0", "id": "text-id", "method": "workspace/symbol", "params": {"query": ""}}));
        server.next("the answer to a string id", |m| m["id"] == "text-id")
    };
    assert!(answer.get("result").is_some(), "{answer}");
    server.assert_alive(None);
    let (_, stderr) = server.finish();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn positions_out_of_range() {
    let (dir, file) = lone_file("positions", SMALL);
    let mut server = Server::initialized();
    server.open(&file, SMALL, 1);
    server.diagnostics(&file);
    let far = [
        json!({"line": 1_000_000, "character": 0}),
        json!({"line": 0, "character": u32::MAX}),
        json!({"line": u32::MAX, "character": u32::MAX}),
        json!({"line": 3, "character": 1_000_000}),
    ];
    for position in &far {
        for method in
            ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/prepareRename"]
        {
            let answer = server.request(method, json!({"textDocument": {"uri": file}, "position": position}));
            assert!(answer.get("result").is_some(), "{method} at {position}: {answer}");
        }
        let answer = server.request(
            "textDocument/references",
            json!({"textDocument": {"uri": file}, "position": position, "context": {"includeDeclaration": true}}),
        );
        assert!(answer.get("result").is_some(), "{answer}");
        let answer = server.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": file}, "position": position, "newName": "Renamed"}),
        );
        assert!(answer.get("result").is_some() || error_code(&answer) == Some(-32602), "{answer}");
        let range = json!({"start": position, "end": far[2]});
        for (method, extra) in [
            ("textDocument/codeAction", json!({"range": range, "context": {"diagnostics": []}})),
            ("textDocument/semanticTokens/range", json!({"range": range})),
            ("textDocument/selectionRange", json!({"positions": [position, far[2]]})),
        ] {
            let mut params = extra;
            params["textDocument"] = json!({"uri": file});
            let answer = server.request(method, params);
            assert!(answer.get("result").is_some(), "{method} at {position}: {answer}");
        }
    }
    // A range whose end precedes its start.
    let backwards = json!({"start": {"line": 5, "character": 3}, "end": {"line": 1, "character": 0}});
    let answer =
        server.request("textDocument/semanticTokens/range", json!({"textDocument": {"uri": file}, "range": backwards}));
    assert!(answer.get("result").is_some(), "{answer}");
    // Negative and too-large numbers do not deserialize: InvalidParams.
    for position in [
        json!({"line": -1, "character": 0}),
        json!({"line": 0, "character": -5}),
        json!({"line": 1u64 << 40, "character": 0}),
        json!({"line": 0.5, "character": 0}),
    ] {
        let answer = server.request("textDocument/hover", json!({"textDocument": {"uri": file}, "position": position}));
        assert_eq!(error_code(&answer), Some(-32602), "{position}: {answer}");
    }
    // An edit far out of range appends at the end, like the editor's own clamping.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 2}, "contentChanges": [
            {"range": {"start": far[2], "end": far[2]}, "text": "\nentity Extra \"Extra\":\n  id: uuid pk\n"},
            {"range": {"start": {"line": 0, "character": u32::MAX}, "end": {"line": 0, "character": u32::MAX}}, "text": ".more"},
        ]}),
    );
    server.diagnostics_at(&file, 2);
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": file}}));
    let names: Vec<&str> = symbols["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "Note", "Extra"], "{symbols}");
    let symbols = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": 11}}),
    );
    assert!(symbols.get("result").is_some());
    server.assert_alive(Some(&file));
    server.finish();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn edits_to_unopened_documents_and_versions_going_backwards() {
    let (dir, file) = lone_file("versions", SMALL);
    let mut server = Server::initialized();
    // Changes, closes and requests for a document nobody opened.
    let ghost = uri(&dir.join("ghost.dsl"));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [{"text": "entity X"}]}),
    );
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": ghost}}));
    server.notify("textDocument/didSave", json!({"textDocument": {"uri": ghost}}));
    let answer = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ghost}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    let answer = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": ghost}}));
    assert!(answer.get("result").is_some(), "{answer}");
    // A URI that is not a file.
    server.open("untitled:Untitled-1", SMALL, 1);
    server.open("https://example.com/x.dsl", SMALL, 1);
    let answer = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(answer.get("result").is_some(), "{answer}");

    server.open(&file, SMALL, 5);
    assert_eq!(server.diagnostics(&file)["version"], 5);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 6}, "contentChanges": [{"text": "module lone\n\nentity Six \"Six\":\n  id: uuid pk\n"}]}),
    );
    server.diagnostics_at(&file, 6);
    // Version 3 after 6.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 3}, "contentChanges": [{"text": "module lone\n\nentity Three \"Three\":\n  id: uuid pk\n"}]}),
    );
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": file}}));
    let names: Vec<&str> = symbols["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Six"], "a change older than the document is dropped: {symbols}");
    // The same version again, then a newer one: applied.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 7}, "contentChanges": [{"text": "module lone\n\nentity Seven \"Seven\":\n  id: uuid pk\n"}]}),
    );
    assert_eq!(server.diagnostics_at(&file, 7)["version"], 7);
    // Opened twice: the second open replaces the first.
    server.open(&file, SMALL, 1);
    server.diagnostics_at(&file, 1);
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": file}}));
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": file}}));
    server.assert_alive(None);
    server.finish();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_ten_megabyte_document_and_a_binary_one() {
    let dir = scratch("big");
    let big_path = dir.join("big.dsl");
    let mut big = String::from("module big\n\npersona admin \"Admin\":\n  description: \"a\"\n\n");
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        // Long comment lines (few tokens: the debug build parses about 1 MB/s of dense DSL)
        // and a small entity now and then.
        big.push_str(&format!(
            "entity E{i} \"E\":\n  id: uuid pk\n  note: str(9)\n  permit:\n    read: role(admin)\n\n"
        ));
        big.push_str(&format!("# {i} {}\n", "lorem ipsum dolor sit amet ".repeat(2400)));
        i += 1;
    }
    std::fs::write(&big_path, &big).unwrap();
    let big_uri = uri(&big_path);
    let mut server = Server::initialized();
    let started = Instant::now();
    server.open(&big_uri, &big, 1);
    let diagnostics = server.diagnostics(&big_uri);
    let elapsed = started.elapsed();
    assert!(diagnostics["diagnostics"].is_array());
    let answer = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": big_uri}, "position": {"line": 5, "character": 8}}),
    );
    assert!(answer.get("result").is_some(), "{answer}");
    // An edit at the end of the 10 MB document.
    let last = big.lines().count();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": big_uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 0}}, "text": "# end\n"}]}),
    );
    server.diagnostics_at(&big_uri, 2);
    let rss = server.rss_kb();
    assert!(rss < 1_500_000, "VmRSS {rss} kB after a 10 MB document");
    eprintln!("10 MB document: first diagnostics after {elapsed:?}, VmRSS {rss} kB");

    // NUL bytes and every other control character (JSON cannot carry invalid UTF-8).
    let binary_path = dir.join("binary.dsl");
    let binary: String = (0..4096u32).map(|i| char::from_u32(i % 0x80).unwrap()).collect::<String>()
        + "\u{feff}\u{fffe}\u{ffff}\u{10ffff}entity\0X:\n";
    std::fs::write(&binary_path, &binary).unwrap();
    let binary_uri = uri(&binary_path);
    server.open(&binary_uri, &binary, 1);
    let diagnostics = server.diagnostics(&binary_uri);
    assert!(!diagnostics["diagnostics"].as_array().unwrap().is_empty(), "syntax errors expected");
    for method in ["textDocument/semanticTokens/full", "textDocument/foldingRange", "textDocument/documentSymbol"] {
        let answer = server.request(method, json!({"textDocument": {"uri": binary_uri}}));
        assert!(answer.get("result").is_some(), "{method}: {answer}");
    }
    // A lone surrogate escape is not a Unicode string: the notification is refused, not fatal.
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///s.dsl","languageId":"d","version":1,"text":"\ud800"}}}"#;
    server.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    server.assert_alive(Some(&binary_uri));
    server.assert_alive(Some(&big_uri));
    server.finish();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn files_deleted_and_renamed_on_disk_while_open() {
    let root = clinic_copy("disk");
    let (app, records, ui) = (root.join("dsl/app.dsl"), root.join("dsl/records.dsl"), root.join("dsl/ui.dsl"));
    let mut server = Server::initialized();
    for path in [&app, &records, &ui] {
        server.open(&uri(path), &std::fs::read_to_string(path).unwrap(), 1);
        server.diagnostics(&uri(path));
    }
    let entities = |server: &mut Server| -> Vec<String> {
        let matrix = server.request("dazzle/rbacMatrix", json!({"textDocument": {"uri": uri(&app)}}));
        matrix["result"]["entities"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(entities(&mut server).contains(&"Patient".to_owned()));

    // records.dsl deleted while open: the editor's text still counts.
    std::fs::remove_file(&records).unwrap();
    server.assert_alive(Some(&uri(&records)));
    assert!(entities(&mut server).contains(&"Patient".to_owned()));
    // Closed: its diagnostics are cleared.
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&records)}}));
    let cleared = server.cleared(&uri(&records));
    assert_eq!(cleared["diagnostics"], json!([]), "{cleared}");
    server.assert_alive(Some(&uri(&app)));
    // The watcher reports the deletion: its entities leave the project.
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&records), "type": 3}]}));
    assert!(!entities(&mut server).contains(&"Patient".to_owned()), "records.dsl is gone");
    // Deleting it again, or a file the server never knew, is harmless.
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&records), "type": 3}, {"uri": uri(&root.join("dsl/never.dsl")), "type": 3}, {"uri": uri(&root.join("dsl/never.dsl")), "type": 2}]}));
    server.assert_alive(Some(&uri(&app)));

    // ui.dsl renamed while open: close the old name, the watcher reports delete + create.
    let screens = root.join("dsl/screens.dsl");
    std::fs::rename(&ui, &screens).unwrap();
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&ui)}}));
    assert_eq!(server.cleared(&uri(&ui))["diagnostics"], json!([]));
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&ui), "type": 3}, {"uri": uri(&screens), "type": 1}]}),
    );
    let found = server.request("workspace/symbol", json!({"query": "patient_list"}));
    let found: Vec<&Value> =
        found["result"].as_array().unwrap().iter().filter(|s| s["name"] == "patient_list").collect();
    assert_eq!(found.len(), 1, "the surface once, under its new name: {found:?}");
    assert_eq!(found[0]["location"]["uri"], uri(&screens));
    server.open(&uri(&screens), &std::fs::read_to_string(&screens).unwrap(), 1);
    server.diagnostics(&uri(&screens));
    server.assert_alive(Some(&uri(&screens)));
    // The whole project directory disappears.
    std::fs::remove_dir_all(&root).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&app), "type": 3}, {"uri": uri(&screens), "type": 2}]}),
    );
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&app)}}));
    server.assert_alive(Some(&uri(&screens)));
    server.finish();
}

#[test]
fn lone_file_broken_manifest_and_link_loop() {
    // A file outside any project.
    let (lone_dir, lone) = lone_file("lone", SMALL);
    let mut server = Server::initialized();
    server.open(&lone, SMALL, 1);
    let diagnostics = server.diagnostics(&lone);
    assert!(diagnostics["diagnostics"].is_array());
    let hover = server
        .request("textDocument/hover", json!({"textDocument": {"uri": lone}, "position": {"line": 5, "character": 8}}));
    assert!(hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("Note"), "{hover}");

    // A dazzle.toml that is not TOML: the project's files are still served.
    let broken = scratch("broken-manifest");
    std::fs::write(broken.join("dazzle.toml"), "[project\nname = \"x\nroot = = \"a\"\n").unwrap();
    std::fs::create_dir_all(broken.join("dsl")).unwrap();
    std::fs::write(broken.join("dsl/a.dsl"), SMALL).unwrap();
    let a = uri(&broken.join("dsl/a.dsl"));
    server.open(&a, SMALL, 1);
    let diagnostics = server.diagnostics(&a);
    assert!(diagnostics["diagnostics"].is_array());
    let manifest = uri(&broken.join("dazzle.toml"));
    let located = server.try_next(Duration::from_millis(300), &|m: &Value| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == manifest
    });
    assert_eq!(located, None, "nothing is published for a dazzle.toml the editor has not opened");
    let broken_text = std::fs::read_to_string(broken.join("dazzle.toml")).unwrap();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": manifest, "languageId": "toml", "version": 1, "text": broken_text}}),
    );
    let opened = server.diagnostics(&manifest);
    let first = &opened["diagnostics"][0];
    assert_eq!(first["code"], "invalid-manifest", "{opened}");
    assert_eq!(first["range"]["start"]["line"], 0, "located on the broken line: {opened}");
    let hover = server
        .request("textDocument/hover", json!({"textDocument": {"uri": a}, "position": {"line": 5, "character": 8}}));
    assert!(hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("Note"), "{hover}");

    // Module paths through symbolic-link loops.
    let looped = scratch("link-loop");
    std::fs::write(
        looped.join("dazzle.toml"),
        "[project]\nname = \"l\"\n\n[modules]\npaths = [\"./dsl\", \"./loop\", \"./dsl/again\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(looped.join("dsl/sub")).unwrap();
    std::fs::write(looped.join("dsl/a.dsl"), SMALL).unwrap();
    std::os::unix::fs::symlink(looped.join("dsl"), looped.join("dsl/sub/up")).unwrap();
    std::os::unix::fs::symlink(looped.join("dsl"), looped.join("dsl/again")).unwrap();
    std::os::unix::fs::symlink(looped.join("loop"), looped.join("loop")).unwrap();
    std::os::unix::fs::symlink(looped.join("dsl/sub/up/x.dsl"), looped.join("dsl/x.dsl")).unwrap();
    let a = uri(&looped.join("dsl/a.dsl"));
    server.open(&a, SMALL, 1);
    server.diagnostics(&a);
    let symbols = server.request("workspace/symbol", json!({"query": "Note"}));
    let notes = symbols["result"].as_array().unwrap().iter().filter(|s| s["location"]["uri"] == a).count();
    assert_eq!(notes, 1, "the file once, though reachable through links: {symbols}");
    server.assert_alive(Some(&a));
    server.finish();
    for dir in [lone_dir, broken, looped] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn fifty_requests_racing_rapid_edits() {
    let root = clinic_copy("race");
    let path = root.join("dsl/records.dsl");
    let file = uri(&path);
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut server = Server::initialized();
    server.open(&file, &text, 1);
    server.diagnostics(&file);
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/documentSymbol",
        "textDocument/semanticTokens/full",
        "textDocument/foldingRange",
        "textDocument/definition",
        "dazzle/rbacMatrix",
    ];
    let mut ids = Vec::new();
    for step in 0..50 {
        // Alternately insert a comment line and break or repair a permit line.
        let line = 3 + (step * 7) % 100;
        let insert =
            if step % 3 == 0 { "  permit:\n    read: role(nobody)\n".to_owned() } else { format!("# edit {step}\n") };
        let offset: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        text.insert_str(offset, &insert);
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file, "version": step + 2}, "contentChanges": [
                {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": insert}
            ]}),
        );
        let method = methods[step % methods.len()];
        let position = json!({"line": (step * 13) % 120, "character": step % 9});
        let params = match method {
            "textDocument/hover" | "textDocument/completion" | "textDocument/definition" => {
                json!({"textDocument": {"uri": file}, "position": position})
            }
            _ => json!({"textDocument": {"uri": file}}),
        };
        let id = server.send_request(method, params);
        if step % 10 == 9 {
            server.notify("$/cancelRequest", json!({"id": id}));
        }
        ids.push(id);
    }
    let mut content_modified = 0;
    for id in ids {
        let answer = server.response(id);
        match error_code(&answer) {
            None => assert!(answer.get("result").is_some(), "{answer}"),
            Some(-32801 | -32800) => content_modified += 1,
            Some(code) => panic!("request {id} failed with {code}: {answer}"),
        }
    }
    let last = server.diagnostics_at(&file, 51);
    let rss = server.rss_kb();
    assert!(rss < 500_000, "VmRSS {rss} kB after 50 edits");
    eprintln!("50 racing requests: {content_modified} answered ContentModified or RequestCancelled; VmRSS {rss} kB");
    // The final diagnostics are those of the final text, opened afresh.
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert_ne!(on_disk, text);
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": file}}));
    server.cleared(&file);
    server.open(&file, &text, 100);
    let fresh = server.diagnostics_at(&file, 100);
    assert_eq!(last["diagnostics"], fresh["diagnostics"]);
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": file}}));
    assert_eq!(symbols["result"].as_array().unwrap().len(), 5, "{symbols}");
    server.finish();
    let _ = std::fs::remove_dir_all(root);
}

/// Every file below `dir`: its path, modification time and a hash of its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (std::time::SystemTime, u64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
                out.insert(entry.path(), (meta.modified().unwrap(), 0));
            } else {
                let mut hasher = DefaultHasher::new();
                std::fs::read(entry.path()).unwrap().hash(&mut hasher);
                out.insert(entry.path(), (meta.modified().unwrap(), hasher.finish()));
            }
        }
    }
    out
}

const PASSWORD: &str = "Hunter2-S3cret-Pw";
const TOKEN: &str = "sk-TOPSECRET-token-4711";

#[test]
fn writes_no_files_and_never_echoes_a_secret() {
    let root = clinic_copy("secrets");
    let manifest = std::fs::read_to_string(root.join("dazzle.toml")).unwrap()
        + &format!(
            "\n[database]\nurl = \"postgres://clinic:{PASSWORD}@db.internal/clinic\"\n\n[llm]\napi_key = \"{TOKEN}\"\n\n[tool.dazzle-lsp.severity]\nmissing-audit = \"{TOKEN}\"\n"
        );
    std::fs::write(root.join("dazzle.toml"), &manifest).unwrap();
    let before = snapshot(&root);

    let mut server = Server::initialized();
    let records = root.join("dsl/records.dsl");
    let text = std::fs::read_to_string(&records).unwrap();
    let file = uri(&records);
    for name in ["app.dsl", "records.dsl", "ui.dsl"] {
        let path = root.join("dsl").join(name);
        server.open(&uri(&path), &std::fs::read_to_string(&path).unwrap(), 1);
        server.diagnostics(&uri(&path));
    }
    // An editor that opens dazzle.toml itself.
    let manifest_uri = uri(&root.join("dazzle.toml"));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": manifest_uri, "languageId": "toml", "version": 1, "text": manifest}}),
    );
    let published = server.diagnostics(&manifest_uri);
    let codes: Vec<&str> =
        published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"secret-in-manifest"), "the manifest's own findings: {published}");
    assert!(codes.contains(&"invalid-manifest"), "the bad severity, located: {published}");
    // Every feature on every line of records.dsl.
    for (line, content) in text.lines().enumerate() {
        let character = content.len() - content.trim_start().len();
        let position = json!({"line": line, "character": character});
        server.request("textDocument/hover", json!({"textDocument": {"uri": file}, "position": position}));
        let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": content.len()}});
        server.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": file}, "range": range, "context": {"diagnostics": []}}),
        );
    }
    for line in 0..manifest.lines().count() {
        server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": manifest_uri}, "position": {"line": line, "character": 8}}),
        );
    }
    let at_staff = position_of(&text, "Staff required");
    server.request("textDocument/prepareRename", json!({"textDocument": {"uri": file}, "position": at_staff}));
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": file}, "position": at_staff, "newName": "Clinician"}),
    );
    assert!(rename["result"]["changes"].is_object(), "{rename}");
    server.request("textDocument/completion", json!({"textDocument": {"uri": file}, "position": at_staff}));
    server.request("dazzle/rbacMatrix", json!({"textDocument": {"uri": file}}));
    server.request("workspace/symbol", json!({"query": ""}));
    server.notify("textDocument/didSave", json!({"textDocument": {"uri": file}}));
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": file}}));
    server.cleared(&file);
    let (transcript, stderr) = server.finish();

    assert_eq!(snapshot(&root), before, "the server wrote to the project");
    for secret in [PASSWORD, TOKEN] {
        for message in &transcript {
            assert!(!message.contains(secret), "the secret {secret} was sent: {message}");
        }
        assert!(!stderr.contains(secret), "the secret {secret} was logged: {stderr}");
    }
    let _ = std::fs::remove_dir_all(root);
}

/// Waits for the server to exit on its own; its exit status.
fn exit_status(server: &mut Server) -> std::process::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn exit_without_shutdown_and_closed_stdin() {
    // `exit` before `shutdown`: the protocol asks for exit code 1.
    let mut server = Server::initialized();
    server.notify("exit", Value::Null);
    let status = exit_status(&mut server);
    assert_eq!(status.code(), Some(1), "exit without shutdown: {status}");

    // The client goes away without a word: stdin closes, the server exits.
    let mut server = Server::initialized();
    server.stdin = None;
    exit_status(&mut server);
}

#[test]
fn a_file_rewritten_on_disk_behind_the_servers_back() {
    // ui.dsl is open; records.dsl is only on disk, and changes there without the watcher
    // telling: ranges the analysis computed on its old text must not bring the server down when
    // converted on the new one (here, offsets that fall inside a four-byte character).
    let root = clinic_copy("rewritten");
    let (ui, records) = (root.join("dsl/ui.dsl"), root.join("dsl/records.dsl"));
    let ui_text = std::fs::read_to_string(&ui).unwrap();
    let old = std::fs::read_to_string(&records).unwrap();
    let mut server = Server::initialized();
    server.open(&uri(&ui), &ui_text, 1);
    server.diagnostics(&uri(&ui));
    let at = position_of(&ui_text, "Patient\n");
    let before = server.request("textDocument/definition", json!({"textDocument": {"uri": uri(&ui)}, "position": at}));
    assert_eq!(before["result"][0]["uri"], uri(&records), "{before}");

    let target = old.find("Patient \"Patient\"").unwrap();
    let filler = if target % 4 == 0 { "x" } else { "" }.to_owned() + &"😀".repeat(old.len() / 4 + 1);
    std::fs::write(&records, filler).unwrap();
    for method in ["textDocument/definition", "textDocument/references", "textDocument/rename"] {
        let params = json!({
            "textDocument": {"uri": uri(&ui)}, "position": at,
            "context": {"includeDeclaration": true}, "newName": "Client",
        });
        let answer = server.request(method, params);
        assert!(answer.get("result").is_some(), "{method}: {answer}");
    }
    server.request("workspace/symbol", json!({"query": "Patient"}));
    server.assert_alive(Some(&uri(&ui)));
    server.finish();
    let _ = std::fs::remove_dir_all(root);
}
