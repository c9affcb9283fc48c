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

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write(out: &mut String, value: &Json<'_>, depth: usize) {
    match value {
        Json::Str(s) => escape_into(out, s),
        Json::List(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Json::Records { values, .. } if values.is_empty() => out.push_str("[]"),
        Json::Records { keys, values } => {
            out.push('[');
            for (i, record) in values.chunks(keys.len().max(1)).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push('{');
                for (j, (key, value)) in keys.iter().zip(record).enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 2);
                    escape_into(out, key);
                    out.push_str(": ");
                    escape_into(out, value);
                }
                newline(out, depth + 1);
                out.push('}');
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

/// A JSON string literal as Python writes it with `ensure_ascii`.
fn escape_into(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
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

    #[test]
    fn matches_python_indent_2_with_ascii_escapes() {
        let value = Object(vec![
            ("a", List(vec![Str("1"), Str("x — y")])),
            ("b", List(vec![])),
            ("c", Object(vec![])),
            ("d", Str("😀\"\n")),
        ]);
        assert_eq!(
            super::to_string(&value),
            "{\n  \"a\": [\n    \"1\",\n    \"x \\u2014 y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"\\ud83d\\ude00\\\"\\n\"\n}"
        );
    }
}
