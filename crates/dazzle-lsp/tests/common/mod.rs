//! The built server driven over stdio by the integration tests: framing, waiting with a
//! bound for the message a test wants (keeping the others for later), a transcript of
//! everything the server said and its stderr, and copies of the example project.
//!
//! Each test binary uses part of it.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single answer may take (debug build, two cores, tests in parallel).
pub const WAIT: Duration = Duration::from_secs(20);

/// A running server, the messages it sent that no test has taken yet, and its stderr.
pub struct Server {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub messages: mpsc::Receiver<Value>,
    /// Received and not yet consumed, in arrival order.
    pub pending: VecDeque<Value>,
    /// Everything the server sent, as text.
    pub transcript: Vec<String>,
    pub stderr: Arc<Mutex<Vec<u8>>>,
    pub next_id: i64,
}

/// Reads framed messages; a body that is not JSON arrives as a string (and fails the test
/// that looks at it).
fn reader(stdout: ChildStdout, tx: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("the server frames every message with a Content-Length")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let message = serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
        if tx.send(message).is_err() {
            return;
        }
    }
}

impl Server {
    pub fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || reader(stdout, tx));
        Server {
            child,
            stdin: Some(stdin),
            messages,
            pending: VecDeque::new(),
            transcript: Vec::new(),
            stderr,
            next_id: 1,
        }
    }

    /// A started and initialized server (UTF-16 positions, no file watching, no progress).
    pub fn initialized() -> Server {
        let mut server = Server::start();
        let init = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        server.notify("initialized", json!({}));
        server
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads its stdin");
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.next(&format!("response to request {id}"), |m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The first message (pending or arriving within `WAIT`) that satisfies `pred`.
    pub fn next(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_next(WAIT, &pred).unwrap_or_else(|| panic!("no {what} within {WAIT:?}"))
    }

    pub fn try_next(&mut self, wait: Duration, pred: &impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(pred) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => return None,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let stderr = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
                    panic!("the server closed its stdout; stderr:\n{stderr}")
                }
            };
            self.transcript.push(message.to_string());
            if pred(&message) {
                return Some(message);
            }
            self.pending.push_back(message);
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        self.next(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    /// Diagnostics for `uri` at `version`, skipping older publishes.
    pub fn diagnostics_at(&mut self, uri: &str, version: i64) -> Value {
        self.next(&format!("diagnostics for {uri} at version {version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        })["params"]
            .clone()
    }

    /// The empty, unversioned diagnostics published when `uri` is closed.
    pub fn cleared(&mut self, uri: &str) -> Value {
        self.next(&format!("cleared diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"].get("version").is_none_or(Value::is_null)
        })["params"]
            .clone()
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dazzle", "version": version, "text": text}}),
        );
    }

    /// The server still answers: a hover on `uri` (or a workspace symbol query) gets a result.
    pub fn assert_alive(&mut self, uri: Option<&str>) {
        let answer = match uri {
            Some(uri) => self.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
            ),
            None => self.request("workspace/symbol", json!({"query": ""})),
        };
        assert!(answer.get("result").is_some(), "not answered properly: {answer}");
    }

    /// VmRSS of the server process, in kB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// `shutdown`, `exit`, and a zero exit status in time; returns the transcript and stderr.
    pub fn finish(mut self) -> (Vec<String>, String) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(status.success(), "exit status {status}");
        while let Ok(message) = self.messages.try_recv() {
            self.transcript.push(message.to_string());
        }
        // stderr is complete once the process is gone and its pipe drained.
        std::thread::sleep(Duration::from_millis(50));
        let stderr = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
        (std::mem::take(&mut self.transcript), stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh, empty temporary directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dazzle-lsp-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

/// A copy of the example project.
pub fn clinic_copy(name: &str) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clinic");
    let target = scratch(name);
    for entry in ["dazzle.toml", "dsl/app.dsl", "dsl/records.dsl", "dsl/ui.dsl"] {
        let to = target.join(entry);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(source.join(entry), to).unwrap();
    }
    target
}

/// The offset-free position of `needle` in `text` (ASCII text: UTF-16 = bytes).
pub fn position_of(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).expect("needle in text");
    let line = text[..offset].matches('\n').count();
    let character = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}
