//! Proving quotes against their documents.
//!
//! A record whose source has a `document` and a `quote` must quote the
//! document word for word. Documents come from many editors, so the
//! comparison folds runs of whitespace into one space and reads typographic
//! quotes and apostrophes as straight ones; nothing else is forgiven. When a
//! quote is not found, [`Document::closest`] finds the passage that shares
//! the most words in place, so a one-word change is easy to see.

/// Words of a misquote compared when looking for the closest passage.
const MAX_COMPARED_WORDS: usize = 32;

/// A document folded for comparison, with a map back to the original.
pub struct Document {
    folded: String,
    /// For each byte of `folded`, the byte offset in the original text.
    origin: Vec<u32>,
    line_starts: Vec<usize>,
    original: String,
}

/// Where a passage is in the original document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// 1-based line of the passage's first character.
    pub line: u32,
    /// The passage as written in the document.
    pub text: String,
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        c => c,
    }
}

/// Folds text: whitespace runs to one space (none at the ends), typographic
/// quotes to straight ones. Calls `keep(folded_char, original_offset)`.
fn fold(text: &str, mut keep: impl FnMut(char, usize)) {
    let mut pending_space: Option<usize> = None;
    let mut started = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if started && pending_space.is_none() {
                pending_space = Some(i);
            }
            continue;
        }
        if let Some(at) = pending_space.take() {
            keep(' ', at);
        }
        started = true;
        keep(fold_char(c), i);
    }
}

/// Folds a quote the way documents are folded.
pub fn fold_quote(quote: &str) -> String {
    let mut out = String::with_capacity(quote.len());
    fold(quote, |c, _| out.push(c));
    out
}

impl Document {
    pub fn new(original: String) -> Document {
        let mut folded = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        fold(&original, |c, at| {
            folded.push(c);
            origin.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
        });
        let line_starts = crate::input::source::line_starts(original.as_bytes());
        Document {
            folded,
            origin,
            line_starts,
            original,
        }
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset) as u32
    }

    /// The 1-based line where the quote occurs first, if it does.
    pub fn find(&self, quote: &str) -> Option<u32> {
        let folded = fold_quote(quote);
        if folded.is_empty() {
            return None;
        }
        let at = self.folded.find(&folded)?;
        Some(self.line_of(self.origin[at] as usize))
    }

    /// The passage of as many words as the quote that agrees with it in the
    /// most places (the earliest among equals).
    pub fn closest(&self, quote: &str) -> Option<Passage> {
        let folded_quote = fold_quote(quote);
        // The first words are enough to find the passage, and keep the
        // search linear in the document's length.
        let wanted: Vec<&str> = word_spans(&folded_quote)
            .into_iter()
            .map(|(_, w)| bare(w))
            .take(MAX_COMPARED_WORDS)
            .collect();
        let words: Vec<(usize, &str)> = word_spans(&self.folded);
        if wanted.is_empty() || words.is_empty() {
            return None;
        }
        let k = wanted.len().min(words.len());
        let mut best = (0usize, 0usize);
        for start in 0..=words.len() - k {
            let score = (0..k)
                .filter(|&i| bare(words[start + i].1) == wanted[i])
                .count();
            if score > best.0 {
                best = (score, start);
            }
        }
        let (first, last) = (words[best.1], words[best.1 + k - 1]);
        let from = self.origin[first.0] as usize;
        let to_folded = last.0 + last.1.len() - 1;
        let to = self.origin[to_folded] as usize;
        let end = self.original[to..]
            .chars()
            .next()
            .map_or(to, |c| to + c.len_utf8());
        Some(Passage {
            line: self.line_of(from),
            text: self.original[from..end].to_string(),
        })
    }
}

/// A word without the punctuation around it, for lining passages up.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Words of folded text (split at single spaces) with their byte offsets.
fn word_spans(folded: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in folded.split(' ') {
        if !part.is_empty() {
            out.push((start, part));
        }
        start += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "First line.\nThe leader stated, \u{201C}All of the country\u{2019}s territories\n   have been restored from occupation.\u{201D} However, later.";

    #[test]
    fn finds_quotes_across_line_breaks_and_typographic_marks() {
        let doc = Document::new(DOC.to_string());
        assert_eq!(
            doc.find("All of the country's territories have been restored"),
            Some(2)
        );
        assert_eq!(
            doc.find("\"All of the country\u{2019}s  territories"),
            Some(2)
        );
        assert_eq!(doc.find("First line."), Some(1));
        assert_eq!(doc.find("from occupation"), Some(3));
    }

    #[test]
    fn a_changed_word_is_not_found_and_the_passage_is_shown() {
        let doc = Document::new(DOC.to_string());
        let quote = "All of the country's lands have been restored from occupation.";
        assert_eq!(doc.find(quote), None);
        let passage = doc.closest(quote).unwrap();
        assert_eq!(passage.line, 2);
        assert_eq!(
            passage.text,
            "\u{201C}All of the country\u{2019}s territories\n   have been restored from occupation.\u{201D}"
        );
    }

    #[test]
    fn an_empty_quote_is_never_found() {
        assert_eq!(Document::new(DOC.into()).find("  "), None);
    }
}
