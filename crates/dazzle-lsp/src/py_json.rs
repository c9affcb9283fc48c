//! JSON written exactly as Python's `json.dumps(value, indent=2)`: two-space indentation,
//! one element per line, `[]` / `{}` when empty, and every non-ASCII character escaped as
//! `\uXXXX` (the reference's default `ensure_ascii`). Values borrow their strings, and a list
//! of records is read from a function of the index, so a matrix of tens of thousands of cells
//! is written, to a string or straight to a stream, without copying them or listing them first.

use std::io::{self, Write};

/// A JSON value with borrowed strings and ordered keys.
pub(crate) enum Json<'a> {
    /// A string.
    Str(&'a str),
    /// A list.
    List(Vec<Json<'a>>),
    /// An object with keys in order.
    Object(Vec<(&'a str, Json<'a>)>),
    /// A list of `records` objects that all have `keys` (in order) and string values, the
    /// value of key `k` in record `r` being `value(r * keys.len() + k)`. Written exactly like
    /// a `List` of `Object`s, without making one per record.
    Records {
        /// The keys of every object.
        keys: &'a [&'a str],
        /// How many objects.
        records: usize,
        /// The values, by their index in the objects one after another.
        value: Box<dyn Fn(usize) -> &'a str + 'a>,
    },
}

/// Where JSON text goes: a string, or a stream that keeps its first error.
trait Sink {
    fn put(&mut self, text: &str);

    /// Makes room for `additional` more bytes, if this sink holds its text.
    fn reserve(&mut self, _additional: impl FnOnce() -> usize) {}
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn reserve(&mut self, additional: impl FnOnce() -> usize) {
        String::reserve(self, additional());
    }
}

/// A writer that stops at its first error, kept for the caller.
struct Stream<'w, W: Write> {
    out: &'w mut W,
    error: Option<io::Error>,
}

impl<W: Write> Sink for Stream<'_, W> {
    fn put(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(err) = self.out.write_all(text.as_bytes())
        {
            self.error = Some(err);
        }
    }
}

/// Serialises `value` as the reference prints it (without the trailing newline).
pub(crate) fn to_string(value: &Json<'_>) -> String {
    let mut out = String::new();
    write(&mut out, value, 0);
    out
}

/// Writes `value` as [`to_string`] would return it to `out`, stopping at the first error.
pub(crate) fn write_to(value: &Json<'_>, out: &mut impl Write) -> io::Result<()> {
    let mut stream = Stream { out, error: None };
    write(&mut stream, value, 0);
    stream.error.map_or(Ok(()), Err)
}

/// A newline and the indentation of `depth`.
fn newline(out: &mut impl Sink, depth: usize) {
    out.put("\n");
    indent(out, depth);
}

/// Two spaces per level of `depth`.
fn indent(out: &mut impl Sink, depth: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = 2 * depth;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.put(&SPACES[..step]);
        width -= step;
    }
}

fn write(out: &mut impl Sink, value: &Json<'_>, depth: usize) {
    match value {
        Json::Str(s) => escape_into(out, s),
        Json::List(items) if items.is_empty() => out.put("[]"),
        Json::Object(fields) if fields.is_empty() => out.put("{}"),
        Json::Records { keys, records, .. } if *records == 0 || keys.is_empty() => out.put("[]"),
        Json::Records { keys, records, value } => {
            // What every record repeats (its punctuation, indentation and keys) is written once
            // here and copied per record: a matrix has tens of thousands of them.
            let mut open = String::from("\n");
            indent(&mut open, depth + 1);
            open.push('{');
            let mut close = open.clone();
            close.pop();
            close.push('}');
            let prefixes: Vec<String> = keys
                .iter()
                .enumerate()
                .map(|(j, key)| {
                    let mut prefix = String::from(if j > 0 { ",\n" } else { "\n" });
                    indent(&mut prefix, depth + 2);
                    escape_into(&mut prefix, key);
                    prefix.push_str(": ");
                    prefix
                })
                .collect();
            let per_record = open.len() + close.len() + 1 + prefixes.iter().map(|p| p.len() + 2).sum::<usize>();
            let values = records * keys.len();
            out.reserve(|| records * per_record + (0..values).map(|i| value(i).len()).sum::<usize>());
            out.put("[");
            for record in 0..*records {
                if record > 0 {
                    out.put(",");
                }
                out.put(&open);
                for (k, prefix) in prefixes.iter().enumerate() {
                    out.put(prefix);
                    escape_into(out, value(record * keys.len() + k));
                }
                out.put(&close);
            }
            newline(out, depth);
            out.put("]");
        }
        Json::List(items) => {
            out.put("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.put(",");
                }
                newline(out, depth + 1);
                write(out, item, depth + 1);
            }
            newline(out, depth);
            out.put("]");
        }
        Json::Object(fields) => {
            out.put("{");
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.put(",");
                }
                newline(out, depth + 1);
                escape_into(out, key);
                out.put(": ");
                write(out, item, depth + 1);
            }
            newline(out, depth);
            out.put("}");
        }
    }
}

/// The bytes written as they are: printable ASCII but the quote and the backslash. A table
/// lookup per byte, where the test takes three comparisons (a matrix writes 90,000 strings).
const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        plain[b] = b != b'"' as usize && b != b'\\' as usize;
        b += 1;
    }
    plain
};

/// A JSON string literal as Python writes it with `ensure_ascii`.
fn escape_into(out: &mut impl Sink, s: &str) {
    if s.bytes().all(|b| PLAIN[usize::from(b)]) {
        out.put("\"");
        out.put(s);
        out.put("\"");
        return;
    }
    out.put("\"");
    let mut buffer = [0u8; 4];
    for c in s.chars() {
        match c {
            '"' => out.put("\\\""),
            '\\' => out.put("\\\\"),
            '\n' => out.put("\\n"),
            '\r' => out.put("\\r"),
            '\t' => out.put("\\t"),
            '\u{8}' => out.put("\\b"),
            '\u{c}' => out.put("\\f"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.put(&format!("\\u{unit:04x}"));
                }
            }
            c => out.put(c.encode_utf8(&mut buffer)),
        }
    }
    out.put("\"");
}

#[cfg(test)]
mod tests {
    use super::Json::*;

    /// The expected text is Python's own: `json.dumps(value, indent=2)` of the same value.
    #[test]
    fn matches_python_indent_2_with_ascii_escapes() {
        let value = Object(vec![
            ("a", List(vec![Str("1"), Str("x — y")])),
            ("b", List(vec![])),
            ("c", Object(vec![])),
            ("d", Str("😀\"\n")),
            ("e", Records { keys: &["k", "vé"], records: 2, value: Box::new(|i| ["1", "2", "3", "4"][i]) }),
            ("f", Object(vec![("g", Records { keys: &["k"], records: 1, value: Box::new(|_| "x") })])),
            ("h", Records { keys: &["k"], records: 0, value: Box::new(|_| unreachable!()) }),
        ]);
        let mut streamed = Vec::new();
        super::write_to(&value, &mut streamed).expect("a vector takes every write");
        assert_eq!(String::from_utf8(streamed).expect("ASCII"), super::to_string(&value));
        assert_eq!(
            super::to_string(&value),
            "{\n  \"a\": [\n    \"1\",\n    \"x \\u2014 y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"\\ud83d\\ude00\\\"\\n\",\n  \"e\": [\n    {\n      \"k\": \"1\",\n      \"v\\u00e9\": \"2\"\n    },\n    {\n      \"k\": \"3\",\n      \"v\\u00e9\": \"4\"\n    }\n  ],\n  \"f\": {\n    \"g\": [\n      {\n        \"k\": \"x\"\n      }\n    ]\n  },\n  \"h\": []\n}"
        );
    }

    /// A stream that fails stops the writing and hands the error back.
    #[test]
    fn a_failing_stream_reports_its_error() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let value = List(vec![Str("a"), Str("b")]);
        let err = super::write_to(&value, &mut Closed).expect_err("the stream is closed");
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
