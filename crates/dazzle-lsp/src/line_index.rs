//! Byte offsets to 1-based lines and columns counted in Unicode characters.

use dazzle_syntax::TextSize;

/// The start offset of every line of a text.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Counts the lines first, so that their starts take one allocation of their size: a check
    /// indexes every file with findings at its end, when its memory is at its peak.
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        let feeds = || memchr::memchr_iter(b'\n', text.as_bytes());
        let mut line_starts = Vec::with_capacity(feeds().count() + 1);
        line_starts.push(0);
        line_starts.extend(feeds().map(|i| i + 1));
        LineIndex { text, line_starts }
    }

    /// `(line, column)`, both 1-based; the column counts characters, not bytes.
    pub(crate) fn line_col(&self, offset: TextSize) -> (usize, usize) {
        let offset = usize::from(offset).min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Lines and columns agree with counting characters from the start of the text.
        #[test]
        fn positions_match_a_count_from_the_start(text in "([a-z é😀]{0,70}\n){0,8}[a-z é]{0,70}") {
            let index = LineIndex::new(&text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let before = &text[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                prop_assert_eq!(index.line_col(TextSize::try_from(offset).unwrap()), (line, column));
            }
        }
    }

    #[test]
    fn columns_count_characters() {
        let index = LineIndex::new("ab\nçé x\n");
        assert_eq!(index.line_col(0.into()), (1, 1));
        assert_eq!(index.line_col(3.into()), (2, 1));
        assert_eq!(index.line_col(8.into()), (2, 4));
        assert_eq!(index.line_col(10.into()), (3, 1));
    }
}
