//! Incremental editing as the language server does it: a random sequence of LSP text edits
//! (ranges in UTF-8, UTF-16 or UTF-32, positions past line ends and past the end, whole-text
//! replacements) goes through `dazzle_lsp::document::Document` and, after each edit, through
//! `AnalysisHost::edit_file_text` with the previous step's parse as the reparse base (or none,
//! as after a reload from disk). After every step the document's text must equal a
//! string-splicing reference model that computes offsets on its own, and the analysis (tree,
//! syntax errors, file diagnostics, the matrix of a small project) must equal a from-scratch
//! analysis of the current text in a fresh host.
//!
//! Input: the initial text, a NUL byte, then the bytes the edits are drawn from.
#![no_main]

use dazzle_analysis::{AnalysisHost, Durability, FileId, PreviousParse, ProjectId};
use dazzle_lsp::Encoding;
use dazzle_lsp::document::Document;
use dazzle_syntax::Dialect;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const MANIFEST: &str = "[project]\nname = \"fuzz\"\nroot = \"fuzz.core\"\n";
const OTHER: &str = "module fuzz.core\napp fuzz \"Fuzz\"\n\npersona admin \"Admin\":\n  description: \"a\"\npersona clerk \"Clerk\":\n  description: \"c\"\n\nentity Shop \"Shop\":\n  id: uuid pk\n  name: str(50) required\n  permit:\n    read: role(admin)\n    list: role(clerk)\n";

/// Snippets edits insert besides arbitrary strings: DSL structure, line breaks of every kind
/// and characters of every UTF-8 and UTF-16 width.
const SNIPPETS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "  ",
    "    ",
    "\t",
    ":",
    "entity ",
    "persona ",
    "permit:\n",
    "scope:\n",
    "forbid:\n",
    "audit:\n",
    "  read: role(admin)\n",
    "    list: role(clerk)\n",
    "      as: *\n",
    "id: uuid pk\n",
    " ref Shop",
    "\"",
    "#",
    "é",
    "😀",
    "€",
    "\u{feff}",
    "\0",
    "role(",
    ")",
    "current_user.",
    " and ",
    " or ",
    "entity Order \"Order\":\n  id: uuid pk\n  shop: ref Shop\n",
    "module fuzz.more\n",
];

/// The byte offset of `position` computed independently of the code under test: lines end at
/// `\n` (a `\r` before it is part of the line break), a character past the line's content clamps to
/// its end, a line past the last to the end of the text, a position inside a character to the
/// character's start.
fn model_offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut content = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    if text.len() > start + content.len() {
        content = content.strip_suffix('\r').unwrap_or(content);
    }
    let mut units = 0u64;
    for (i, c) in content.char_indices() {
        let width = match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        } as u64;
        if units + width > u64::from(position.character) {
            return start + i;
        }
        units += width;
    }
    start + content.len()
}

fn line_count(text: &str) -> u32 {
    text.matches('\n').count() as u32 + 1
}

fn position(u: &mut Unstructured, text: &str) -> Result<Position> {
    let lines = line_count(text);
    let line = match u.int_in_range(0..=9u8)? {
        0 => u.arbitrary()?,
        1 => lines + u.int_in_range(0..=3)?,
        _ => u.int_in_range(0..=lines.saturating_sub(1))?,
    };
    let character = match u.int_in_range(0..=9u8)? {
        0 => u32::MAX,
        1 => u.arbitrary()?,
        2 => u.int_in_range(60..=200)?,
        _ => u.int_in_range(0..=40)?,
    };
    Ok(Position { line, character })
}

fn insertion(u: &mut Unstructured, text: &str) -> Result<String> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 | 1 => u.choose(SNIPPETS)?.to_string(),
        2 => {
            // A piece of the current text, as copy-paste does.
            let a = u.int_in_range(0..=text.len())?;
            let b = u.int_in_range(a..=(a + 200).min(text.len()))?;
            let (mut a, mut b) = (a, b);
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            text[a..b.max(a)].to_owned()
        }
        3 => String::new(),
        _ => {
            let len = u.int_in_range(0..=24)?;
            let bytes = u.bytes(len)?;
            String::from_utf8_lossy(bytes).into_owned()
        }
    })
}

/// What the comparison looks at: the tree (compared structurally, printed only on failure),
/// the syntax errors, the file's diagnostics and the project's matrix.
struct Analysed {
    parse: dazzle_syntax::Parse,
    errors: Vec<dazzle_syntax::SyntaxError>,
    diagnostics: Vec<dazzle_analysis::diagnostics::Diagnostic>,
    matrix: Option<std::sync::Arc<dazzle_analysis::matrix::Matrix>>,
}

impl std::fmt::Debug for Analysed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#?}\n{:?}\n{:?}\n{:?}", self.parse.syntax(), self.errors, self.diagnostics, self.matrix)
    }
}

fn analyse(host: &AnalysisHost, project: ProjectId, file: FileId) -> Analysed {
    let analysis = host.analysis();
    let parse = analysis.parse(file).expect("not cancelled").expect("known file");
    Analysed {
        parse: parse.clone(),
        errors: parse.errors().to_vec(),
        diagnostics: analysis.file_diagnostics(project, file).expect("not cancelled"),
        matrix: analysis.matrix(project).expect("not cancelled"),
    }
}

fn fresh(text: &str) -> Analysed {
    let mut host = AnalysisHost::default();
    let other = host.add_file("other.dsl", OTHER, Dialect::default(), Durability::MEDIUM);
    let file = host.add_file("edited.dsl", text, Dialect::default(), Durability::LOW);
    let project = host.add_project(Some(MANIFEST), &[other, file], None);
    analyse(&host, project, file)
}

fn run(u: &mut Unstructured, initial: &str) -> Result<()> {
    let mut host = AnalysisHost::default();
    let other = host.add_file("other.dsl", OTHER, Dialect::default(), Durability::MEDIUM);
    let file = host.add_file("edited.dsl", initial, Dialect::default(), Durability::LOW);
    let project = host.add_project(Some(MANIFEST), &[other, file], None);
    let mut document = Document::new(initial.to_owned(), 0);
    let mut model = initial.to_owned();
    let mut previous = PreviousParse { parse: analyse(&host, project, file).parse, text: initial.into() };
    let steps = u.int_in_range(1..=6u8)?;
    for _ in 0..steps {
        let encoding = *u.choose(&[Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])?;
        // One didChange may carry several changes, applied in order.
        let changes = u.int_in_range(1..=3u8)?;
        for _ in 0..changes {
            let change = if u.ratio(1, 12)? {
                let text = insertion(u, &model)?;
                model = text.clone();
                TextDocumentContentChangeEvent { range: None, range_length: None, text }
            } else {
                let start = position(u, &model)?;
                let end = if u.ratio(1, 3)? { start } else { position(u, &model)? };
                let text = insertion(u, &model)?;
                let a = model_offset(&model, start, encoding);
                let b = model_offset(&model, end, encoding).max(a);
                model.replace_range(a..b, &text);
                TextDocumentContentChangeEvent { range: Some(Range { start, end }), range_length: None, text }
            };
            document.apply(change, encoding);
            assert_eq!(document.text(), model, "document text differs from the model");
        }
        let base = if u.ratio(1, 8)? { None } else { Some(previous) };
        host.edit_file_text(file, document.text(), base);
        let got = analyse(&host, project, file);
        previous = PreviousParse { parse: got.parse.clone(), text: document.text().into() };
        let want = fresh(document.text());
        assert!(got.parse.green() == want.parse.green(), "incremental tree differs:\n{got:?}\n---\n{want:?}");
        assert_eq!(got.errors, want.errors, "incremental syntax errors differ");
        assert_eq!(got.diagnostics, want.diagnostics, "incremental diagnostics differ");
        assert_eq!(got.matrix, want.matrix, "incremental matrix differs");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let initial = String::from_utf8_lossy(&data[..split]);
    let mut u = Unstructured::new(data.get(split + 1..).unwrap_or_default());
    let _ = run(&mut u, &initial);
});
