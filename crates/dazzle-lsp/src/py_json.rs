//! JSON written exactly as Python's `json.dumps(value, indent=2)`: two-space indentation,
//! one element per line, `[]` / `{}` when empty, and every non-ASCII character escaped as
//! `\uXXXX` (the reference's default `ensure_ascii`). Values borrow their strings, so a matrix
//! of tens of thousands of cells is written without copying them.

/// A JSON value with borrowed strings and ordered keys.
pub(crate) enum Json<'a> {
    /// A string.
    Str(&'a str),
    /// A list.
    List(Vec<Json<'a>>),
    /// An object with keys in order.
    Object(Vec<(&'a str, Json<'a>)>),
    /// A list of objects that all have `keys` (in order) and string values, stored flat:
    /// `values.len()` is a multiple of `keys.len()`. Written exactly like a `List` of
    /// `Object`s, without allocating one per element.
    Records {
        /// The keys of every object.
        keys: &'a [&'a str],
        /// The values, object after object.
        values: Vec<&'a str>,
    },
}

/// Serialises `value` as the reference prints it (without the trailing newline).
pub(crate) fn to_string(value: &Json<'_>) -> String {
    let mut out = String::new();
    write(&mut out, value, 0);
    out
}

/// A newline and the indentation of `depth`.
fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    indent(out, depth);
}

/// Two spaces per level of `depth`.
fn indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = 2 * depth;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        width -= step;
    }
}

fn write(out: &mut String, value: &Json<'_>, depth: usize) {
    match value {
        Json::Str(s) => escape_into(out, s),
        Json::List(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Json::Records { values, .. } if values.is_empty() => out.push_str("[]"),
        Json::Records { keys, values } => {
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
            let records = values.len().div_ceil(keys.len().max(1));
            let per_record = open.len() + close.len() + 1 + prefixes.iter().map(|p| p.len() + 2).sum::<usize>();
            out.reserve(records * per_record + values.iter().map(|v| v.len()).sum::<usize>());
            out.push('[');
            for (i, record) in values.chunks(keys.len().max(1)).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&open);
                for (prefix, value) in prefixes.iter().zip(record) {
                    out.push_str(prefix);
                    escape_into(out, value);
                }
                out.push_str(&close);
            }
            newline(out, depth);
            out.push(']');
        }
        Json::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Json::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                escape_into(out, key);
                out.push_str(": ");
                write(out, item, depth + 1);
            }
            newline(out, depth);
            out.push('}');
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
fn escape_into(out: &mut String, s: &str) {
    use std::fmt::Write;
    if s.bytes().all(|b| PLAIN[usize::from(b)]) {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
            ("e", Records { keys: &["k", "vé"], values: vec!["1", "2", "3", "4"] }),
            ("f", Object(vec![("g", Records { keys: &["k"], values: vec!["x"] })])),
        ]);
        assert_eq!(
            super::to_string(&value),
            "{\n  \"a\": [\n    \"1\",\n    \"x \\u2014 y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"\\ud83d\\ude00\\\"\\n\",\n  \"e\": [\n    {\n      \"k\": \"1\",\n      \"v\\u00e9\": \"2\"\n    },\n    {\n      \"k\": \"3\",\n      \"v\\u00e9\": \"4\"\n    }\n  ],\n  \"f\": {\n    \"g\": [\n      {\n        \"k\": \"x\"\n      }\n    ]\n  }\n}"
        );
    }
}
