//! Incremental reparsing against its oracle, the full parse: on every `.dsl` file of the
//! repository, in both dialects, random edits (single ones, and chains of them as typing
//! makes) must give the very tree and diagnostics that parsing the edited text does.

mod common;

use dazzle_syntax::{Dialect, NodeOrToken, Parse, parse};

/// What an edit inserts: text, layout, quotes, comments and whole lines and constructs.
const SNIPPETS: &[&str] = &[
    "x",
    "_a1",
    " ",
    "  ",
    "\t",
    "\n",
    "\n  ",
    "\n    ",
    "\r\n",
    "\"",
    "'",
    "\"t\"",
    "#",
    "# note\n",
    ":",
    ",",
    "(",
    ")",
    "[",
    "]",
    "=",
    "->",
    "é",
    "role(admin)",
    " or ",
    " and not ",
    "all",
    "permit:",
    "scope:",
    "\n  permit:\n    read: all\n",
    "\n    list: all\n      as: *\n",
    "\nentity Z \"Z\":\n  id: uuid pk\n",
    "entity ",
    "module m\n",
    "use x\n",
    "app a\n",
    "\n  audit: all\n",
    "if ",
    "\n\n",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A random edit of `text`: a deletion of up to 12 characters and an insertion at one place.
fn edit(text: &str, rng: &mut Rng) -> String {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let at = rng.below(boundaries.len());
    let end = boundaries[(at + rng.below(13)).min(boundaries.len() - 1)];
    let start = boundaries[at];
    let insert = if rng.below(3) == 0 { "" } else { SNIPPETS[rng.below(SNIPPETS.len())] };
    format!("{}{insert}{}", &text[..start], &text[end..])
}

/// Whether `new` shares a top-level node with `old` (the incremental path was taken).
fn shares_nodes(old: &Parse, new: &Parse) -> bool {
    let nodes = |p: &Parse| -> Vec<*const dazzle_syntax::GreenNodeData> {
        p.green().children().filter_map(NodeOrToken::into_node).map(|n| n as *const _).collect()
    };
    let old_nodes = nodes(old);
    nodes(new).iter().any(|n| old_nodes.contains(n))
}

fn check(old: &Parse, old_text: &str, new_text: &str, dialect: Dialect) -> (Parse, bool) {
    let reparsed = old.reparse(old_text, new_text, dialect);
    let full = parse(new_text, dialect);
    assert_eq!(reparsed.syntax().to_string(), new_text, "the tree's text is the input");
    if reparsed != full {
        panic!(
            "reparse differs from the full parse\n--- old\n{old_text}\n--- new\n{new_text}\n--- errors: reparse {:?}\n full {:?}",
            reparsed.errors(),
            full.errors()
        );
    }
    let shared = shares_nodes(old, &reparsed);
    (reparsed, shared)
}

#[test]
fn single_edits_reparse_as_the_full_parse() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for text in common::repository_dsl_texts() {
        for dialect in [Dialect::V0_112, Dialect::V0_125] {
            let old = parse(&text, dialect);
            for _ in 0..30 {
                let new_text = edit(&text, &mut rng);
                check(&old, &text, &new_text, dialect);
            }
        }
    }
}

/// Typing a letter in an indented line of a file with several constructs reparses one
/// construct: the fast path carries the common keystroke (a guard on speed, not on results).
#[test]
fn typing_in_a_construct_body_is_incremental() {
    let (mut edits, mut incremental) = (0, 0);
    for text in common::repository_dsl_texts() {
        let old = parse(&text, Dialect::V0_112);
        let constructs = old.green().children().filter(|c| c.as_node().is_some()).count();
        if constructs < 2 || old.errors().iter().any(|e| e.message.starts_with("Unterminated")) {
            continue;
        }
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if indent > 0 && line.trim().len() > 1 && !line.trim_start().starts_with('#') {
                let at = offset + indent + line[indent..].chars().next().map_or(0, char::len_utf8);
                let new_text = format!("{}x{}", &text[..at], &text[at..]);
                edits += 1;
                incremental += usize::from(check(&old, &text, &new_text, Dialect::V0_112).1);
            }
            offset += line.len();
        }
    }
    assert!(edits > 1000, "{edits} edits");
    assert!(incremental * 10 >= edits * 9, "only {incremental} of {edits} keystrokes were incremental");
}

#[test]
fn chains_of_edits_reparse_as_the_full_parse() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for text in common::repository_dsl_texts() {
        for dialect in [Dialect::V0_112, Dialect::V0_125] {
            let (mut current, mut tree) = (text.clone(), parse(&text, dialect));
            for _ in 0..15 {
                let next = edit(&current, &mut rng);
                tree = check(&tree, &current, &next, dialect).0;
                current = next;
            }
        }
    }
}

#[test]
fn an_unchanged_text_keeps_its_tree() {
    let text = "entity A \"A\":\n  id: uuid pk\n";
    let old = parse(text, Dialect::V0_125);
    assert!(old.reparse(text, text, Dialect::V0_125).is_same_tree(&old));
}
