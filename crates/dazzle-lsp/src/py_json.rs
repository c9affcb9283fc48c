//! JSON written exactly as Python's `json.dumps(value, indent=2)`: two-space indentation,
//! `", "`-free separators with newlines, and every non-ASCII character escaped as `\uXXXX`
//! (the reference's default `ensure_ascii`).

use std::io;

use serde_json::ser::{Formatter, PrettyFormatter};

/// Serialises `value` as the reference prints it (without the trailing newline).
pub(crate) fn to_string(value: &serde_json::Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        AsciiFormatter(PrettyFormatter::with_indent(b"  ")),
    );
    serde::Serialize::serialize(value, &mut ser).expect("writing JSON to memory cannot fail");
    String::from_utf8(out).expect("ASCII-only output")
}

struct AsciiFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for AsciiFormatter<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn matches_python_indent_2_with_ascii_escapes() {
        let value = json!({"a": [1, "x — y"], "b": [], "c": {}, "d": "😀"});
        assert_eq!(
            super::to_string(&value),
            "{\n  \"a\": [\n    1,\n    \"x \\u2014 y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"\\ud83d\\ude00\"\n}"
        );
    }
}
