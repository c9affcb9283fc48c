//! "Did you mean" hints against a plain oracle: the Levenshtein distance by its recursive
//! definition, measured against every candidate.

use proptest::prelude::*;

use super::did_you_mean;

/// The distance by its definition (memoized): delete, insert or replace a character.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut memo = vec![vec![usize::MAX; b.len() + 1]; a.len() + 1];
    fn go(a: &[char], b: &[char], memo: &mut [Vec<usize>]) -> usize {
        let (i, j) = (a.len(), b.len());
        if memo[i][j] == usize::MAX {
            memo[i][j] = match (a.split_last(), b.split_last()) {
                (None, _) => j,
                (_, None) => i,
                (Some((x, a0)), Some((y, b0))) => {
                    (go(a0, b0, memo) + usize::from(x != y)).min(go(a0, b, memo) + 1).min(go(a, b0, memo) + 1)
                }
            };
        }
        memo[i][j]
    }
    go(a, b, &mut memo)
}

/// The hint as specified: the first of the nearest candidates within two edits (and fewer
/// edits than the candidate's length, at least two).
fn oracle<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word: Vec<char> = word.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for &c in candidates {
        let d = distance(&word, &c.chars().collect::<Vec<_>>());
        if d <= 2 && d < c.len().max(2) && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hints_match_the_definition(word in "[a-dé_]{0,9}", candidates in prop::collection::vec("[a-dé_]{0,9}", 0..12)) {
        let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
        prop_assert_eq!(did_you_mean(&word, candidates.iter().copied()), oracle(&word, &candidates));
    }
}

#[test]
fn keyword_typos_are_hinted() {
    let keywords = ["entity", "persona", "surface", "workspace", "archetype"];
    assert_eq!(did_you_mean("entiy", keywords), Some("entity"));
    assert_eq!(did_you_mean("surfce", keywords), Some("surface"));
    assert_eq!(did_you_mean("workspaces", keywords), Some("workspace"));
    assert_eq!(did_you_mean("zzz", keywords), None);
}
