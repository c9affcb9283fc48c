//! Parsing in pieces must give what parsing in one piece gives, wherever the file is cut: the
//! parser fixtures and generated files (with strings across lines), cut at every place that
//! may start a piece, at each one alone, and where `starts` cuts them.

use proptest::prelude::*;

use super::{may_start_piece, parse_from, starts};
use crate::Dialect;
use crate::test_fixtures::parser_fixtures;
use crate::test_line_files::file;

/// Parses `text` in both dialects in one piece and in pieces cut in several ways; the trees
/// and the diagnostics must be equal. Returns how many places may start a piece.
fn assert_same_in_pieces(text: &str) -> usize {
    let places: Vec<usize> = (0..text.len()).filter(|&offset| may_start_piece(text, offset)).collect();
    let mut cuts: Vec<Vec<usize>> = vec![places.clone(), starts(text, 2), starts(text, 3)];
    cuts.extend(places.iter().map(|&place| vec![place]));
    for dialect in [Dialect::V0_112, Dialect::V0_125] {
        let whole = parse_from(text, dialect, &[]);
        for cut in &cuts {
            let (tree, errors) = parse_from(text, dialect, cut);
            assert_eq!(errors, whole.1, "{dialect:?}, cut at {cut:?}: {text:?}");
            assert_eq!(tree, whole.0, "{dialect:?}, cut at {cut:?}: {text:?}");
        }
    }
    places.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pieces_parse_as_the_whole_file(text in file()) {
        assert_same_in_pieces(&text);
    }
}

/// Every fixture, alone, twice in a row, and after a byte-order mark.
#[test]
fn fixtures_parse_in_pieces_as_whole() {
    let mut places = 0;
    for text in parser_fixtures() {
        places += assert_same_in_pieces(&text);
        places += assert_same_in_pieces(&format!("{text}\n{text}"));
        assert_same_in_pieces(&format!("\u{feff}{text}"));
    }
    assert!(places > 100, "only {places} places to cut the fixtures at");
}

/// A first piece that leaves the header open (only `module` and `use` lines) makes the file be
/// parsed again in one piece: the next piece's header lines must not be misread.
#[test]
fn a_header_left_open_is_parsed_in_one_piece() {
    let text = "module a.b\nuse c.d\nuse e.f\nmodule g.h\nentity T \"T\":\n  id: uuid pk\n";
    assert_eq!(assert_same_in_pieces(text), 4);
}

/// A place inside a string that runs across lines is no place to cut: the piece before must
/// end there, or the file is parsed again in one piece.
#[test]
fn a_string_across_a_cut_is_parsed_in_one_piece() {
    let text = "entity T \"T\":\n  intent: \"two\nlines\"\n  id: uuid pk\n\"open\nentity U:\n  id: uuid\n";
    assert_eq!(assert_same_in_pieces(text), 2);
}

/// Blocks nested too deep are reported once per file, in whichever piece comes first.
#[test]
fn the_depth_limit_is_reported_once() {
    let deep: String = (0..120).map(|depth| format!("{}k{depth}:\n", " ".repeat(depth))).collect();
    let text = format!("entity A:\n{deep}entity B:\n{deep}entity C:\n  id: uuid pk\n");
    let (_, errors) = parse_from(&text, Dialect::V0_112, &starts(&text, 3));
    let depth = crate::parser::depth_limit_message();
    assert_eq!(errors.iter().filter(|error| error.message == depth).count(), 1);
    assert_same_in_pieces(&text);
}

/// The cuts split a file into pieces of about the same size, at places that may start a piece.
#[test]
fn starts_balance_the_pieces() {
    let text = "entity T \"T\":\n  id: uuid pk\n  name: str(200)\n\n".repeat(300);
    let cut = starts(&text, 4);
    assert_eq!(cut.len(), 3);
    for (k, &start) in cut.iter().enumerate() {
        assert!(may_start_piece(&text, start));
        let target = text.len() * (k + 1) / 4;
        assert!(start >= target && start < target + 50, "piece {k} starts at {start}, not near {target}");
    }
    assert!(starts("  a\n  b\n", 2).is_empty());
}
