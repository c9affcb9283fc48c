//! A guard between stdio and tower-lsp-server's transport, so that one malformed message
//! cannot end the session.
//!
//! tower-lsp-server reads stdin through a `FramedRead`, which ends its stream after the first
//! decoding error: a body that is not JSON, JSON that is not a JSON-RPC message, a bad
//! `Content-Length` or an unexpected header made the server answer `Parse error` and then
//! stop reading, as if the client had closed stdin. Here every frame is read and checked
//! first: well-formed messages are passed on, re-framed; anything else is answered with a
//! JSON-RPC error (`-32700` / `-32600`, id `null` unless the message had a usable one) and
//! dropped, and reading goes on at the next `Content-Length` header. The server's own output
//! is passed through frame by frame, so the error answers never interleave with it.
//! Nothing of a dropped message is echoed, on stdout or stderr: it may hold a secret.
//!
//! Stdin is read on a thread of its own with blocking reads: a read that tokio's `stdin()`
//! keeps pending on its blocking pool would hold up the runtime's shutdown after `exit` until
//! the client wrote again or closed the pipe.

use std::io::{BufRead, Read};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest message accepted (a 10 MB file is about 10 MB of JSON; this leaves room).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;
/// The largest header section accepted before a frame is considered garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// Wraps `input` (read on a thread of its own) and `output`: returns the reader and writer to
/// give the server, and the task that writes the server's output, which finishes once the
/// server has closed its writer.
pub(crate) fn guard(
    input: impl Read + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> (tokio::io::DuplexStream, tokio::io::DuplexStream, JoinHandle<()>) {
    let (server_in, feed) = tokio::io::duplex(1 << 16);
    let (server_out, drain) = tokio::io::duplex(1 << 16);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel();
    let (bodies_tx, bodies_rx) = mpsc::channel(16);
    // Detached: it ends with the input, or with the process.
    std::thread::spawn(move || read_input(std::io::BufReader::new(input), bodies_tx, errors_tx));
    tokio::spawn(feed_server(bodies_rx, feed));
    let writer = tokio::spawn(write_output(BufReader::new(drain), output, errors_rx));
    (server_in, server_out, writer)
}

/// One frame read from the client.
enum Frame {
    /// A body whose length the header gave.
    Body(Vec<u8>),
    /// A header section without a usable `Content-Length`.
    BadHeader(&'static str),
    /// End of input.
    End,
}

/// Whether a line looks like `Name: value` with a token for a name.
fn is_header(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|&b| b == b':') else { return false };
    colon > 0 && line[..colon].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

fn find_content_length(line: &[u8]) -> Option<usize> {
    let needle = b"content-length";
    line.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// Reads the next frame. Lines that are neither headers nor the blank line ending them are
/// skipped up to the next `Content-Length` header (which may start in the middle of a line,
/// after a body that had no header); the result then says that something was skipped.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<(bool, Frame)> {
    let mut length: Option<Result<usize, ()>> = None;
    let (mut in_header, mut skipped) = (false, false);
    loop {
        let mut line = Vec::new();
        let n = (&mut *input).take(MAX_HEADER_LINE as u64).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok((skipped, Frame::End));
        }
        let mut text = line.as_slice();
        while let [rest @ .., b'\r' | b'\n'] = text {
            text = rest;
        }
        if text.is_empty() {
            if in_header {
                break;
            }
            continue; // a stray line break between messages
        }
        if !is_header(text) {
            match find_content_length(text) {
                Some(i) => {
                    skipped |= i > 0;
                    text = &text[i..];
                }
                None => {
                    (skipped, in_header, length) = (true, false, None);
                    continue;
                }
            }
        }
        in_header = true;
        let colon = text.iter().position(|&b| b == b':').unwrap_or(text.len());
        if text[..colon].eq_ignore_ascii_case(b"content-length") {
            let value = std::str::from_utf8(&text[(colon + 1).min(text.len())..]).unwrap_or("");
            length = Some(value.trim().parse::<usize>().map_err(|_| ()));
        }
        // Content-Type and any other header: the body is UTF-8 JSON regardless.
    }
    let frame = match length {
        None => Frame::BadHeader("a message without a Content-Length header"),
        Some(Err(())) => Frame::BadHeader("a Content-Length that is not a number"),
        // Its body is skipped as garbage up to the next header.
        Some(Ok(n)) if n > MAX_MESSAGE => Frame::BadHeader("a message longer than 256 MiB"),
        Some(Ok(n)) => {
            let mut body = vec![0; n];
            match input.read_exact(&mut body) {
                Ok(()) => Frame::Body(body),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Frame::End,
                Err(e) => return Err(e),
            }
        }
    };
    Ok((skipped, frame))
}

/// Reads one frame of the server's own (well-formed) output; `None` at its end.
async fn read_server_frame(drain: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if drain.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    drain.read_exact(&mut body).await.ok()?;
    Some(body)
}

/// Why a body is not a message the server can take, as a JSON-RPC error.
fn check(body: &[u8]) -> Result<(), Value> {
    let error = |code: i64, message: &str, id: Value| json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id});
    // Nearly every message is a request or a notification: one pass decides.
    if serde_json::from_slice::<Request>(body).is_ok() || serde_json::from_slice::<Response>(body).is_ok() {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Err(error(-32700, "Parse error: the message is not JSON", Value::Null));
    };
    let id = match &value["id"] {
        id @ (Value::Number(_) | Value::String(_)) => id.clone(),
        _ => Value::Null,
    };
    Err(error(-32600, "Invalid Request: not a JSON-RPC 2.0 request, notification or response", id))
}

/// The input thread: checks every frame, passes the good ones on, answers the rest.
fn read_input(mut input: impl BufRead, bodies: mpsc::Sender<Vec<u8>>, errors: mpsc::UnboundedSender<Value>) {
    let parse_error = |why: &str| json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": format!("Parse error: {why}")}, "id": null});
    loop {
        let Ok((skipped, frame)) = read_frame(&mut input) else { return };
        let mut problems = Vec::new();
        if skipped {
            problems.push(parse_error("bytes outside any message were skipped"));
        }
        let end = matches!(frame, Frame::End);
        match frame {
            Frame::End => {}
            Frame::Body(body) if body.iter().all(u8::is_ascii_whitespace) => {}
            Frame::Body(body) => match check(&body) {
                Ok(()) => {
                    if bodies.blocking_send(body).is_err() {
                        return; // the server stopped reading (after `exit`)
                    }
                }
                Err(answer) => problems.push(answer),
            },
            Frame::BadHeader(why) => problems.push(parse_error(why)),
        }
        for problem in problems {
            let why = problem["error"]["message"].as_str().unwrap_or_default().to_owned();
            eprintln!("dazzle-lsp: dropped a malformed message: {why}");
            if errors.send(problem).is_err() {
                return;
            }
        }
        if end {
            return;
        }
    }
}

/// Writes the checked messages, re-framed, to the server's input; closing it at the end.
async fn feed_server(mut bodies: mpsc::Receiver<Vec<u8>>, mut feed: impl AsyncWrite + Unpin) {
    while let Some(body) = bodies.recv().await {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if feed.write_all(header.as_bytes()).await.is_err() || feed.write_all(&body).await.is_err() {
            return;
        }
        let _ = feed.flush().await;
    }
    let _ = feed.shutdown().await;
}

async fn write_output(
    mut drain: impl AsyncBufReadExt + Unpin,
    mut output: impl AsyncWrite + Unpin,
    mut errors: mpsc::UnboundedReceiver<Value>,
) {
    let mut errors_open = true;
    loop {
        tokio::select! {
            // The server's frames are well-formed: pass each on whole.
            frame = read_server_frame(&mut drain) => {
                let Some(body) = frame else { break };
                if write_frame(&mut output, &body).await.is_err() {
                    return;
                }
            }
            answer = errors.recv(), if errors_open => match answer {
                Some(answer) => {
                    if write_frame(&mut output, answer.to_string().as_bytes()).await.is_err() {
                        return;
                    }
                }
                None => errors_open = false,
            },
        }
    }
    let _ = output.flush().await;
}

async fn write_frame(output: &mut (impl AsyncWrite + Unpin), body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_rpc_messages_pass() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","method":"exit"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        assert_eq!(check(b"{not json").unwrap_err()["error"]["code"], -32700);
        assert_eq!(check(b"[1, 2]").unwrap_err()["error"]["code"], -32600);
        let no_version = check(br#"{"id":7,"method":"shutdown"}"#).unwrap_err();
        assert_eq!((no_version["error"]["code"].as_i64(), &no_version["id"]), (Some(-32600), &json!(7)));
        assert_eq!(check(br#"{"jsonrpc":"2.0","method":3}"#).unwrap_err()["id"], Value::Null);
        let lone_surrogate = br#"{"jsonrpc":"2.0","method":"x","params":"\ud800"}"#;
        assert_eq!(check(lone_surrogate).unwrap_err()["error"]["code"], -32700);
    }

    #[test]
    fn frames_resynchronise_after_garbage() {
        let input: &[u8] = b"garbage\r\nContent-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\n{\"id\": 1}Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nabc\r\n\r\n{\"no\": \"header\"}\r\nContent-Length: 1\r\n\r\nz";
        let mut input = std::io::BufReader::new(input);
        let mut seen = Vec::new();
        loop {
            let (skipped, frame) = read_frame(&mut input).unwrap();
            if skipped {
                seen.push("skipped".to_owned());
            }
            match frame {
                Frame::Body(body) => seen.push(String::from_utf8(body).unwrap()),
                Frame::BadHeader(why) => seen.push(format!("bad: {why}")),
                Frame::End => break,
            }
        }
        assert_eq!(
            seen,
            ["skipped", "{}", "bad: a Content-Length that is not a number", "skipped", "abc", "skipped", "z"]
        );
    }
}
