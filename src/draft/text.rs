//! A text cut into what the rules read: paragraphs, sentences, words and
//! quoted passages, each with its byte range in the text.
//!
//! One pass over the text, no backtracking: each byte is looked at a
//! bounded number of times, so the cut is linear in the text's length.

use std::ops::Range;

/// A sentence: its bytes (trimmed), the 1-based line it starts on and the
/// paragraph it belongs to. A quoted passage is never cut: a quote of two
/// sentences stays in the sentence that introduces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub range: Range<usize>,
    pub line: u32,
    pub paragraph: u32,
}

/// A word: letters and digits, with apostrophes and hyphens inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub range: Range<usize>,
    /// Lower case, typographic apostrophes read as straight ones.
    pub lower: String,
    /// Whether it starts with a capital letter.
    pub capital: bool,
}

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "st", "jr", "sr", "prof", "gov",
    "sen", "rep", "no", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "adm", "maj", "brig", "pres",
];

fn opens(c: char) -> bool {
    matches!(c, '“' | '«')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Cuts `text` into sentences. A paragraph ends at a blank line, or at a
/// line break after a sentence's end (a text wrapped mid-sentence reads
/// on); a sentence ends at `.`, `!` or `?` outside a quotation (closing
/// quotes and brackets after it belong to it) when a capital letter, a
/// digit or an opening quote follows, or the paragraph ends; not after an
/// abbreviation or an initial.
pub(crate) fn sentences(text: &str) -> Vec<Sentence> {
    let line_starts = crate::input::source::line_starts(text.as_bytes());
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at) as u32;
    let mut out = Vec::new();
    let mut paragraph = 0u32;
    // How many sentences there were when the paragraph began.
    let mut paragraph_from = 0usize;
    let mut start = 0usize;
    let mut in_straight = false;
    let mut in_curly = 0u32;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let push = |from: usize, to: usize, paragraph: u32, out: &mut Vec<Sentence>| {
        let s = &text[from..to];
        let trimmed = s.trim_start();
        let from = from + (s.len() - trimmed.len());
        let to = from + trimmed.trim_end().len();
        if to > from {
            out.push(Sentence {
                range: from..to,
                line: line_of(from),
                paragraph,
            });
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '"' | '”' | '»' if quoted_end(&chars, i, in_straight, in_curly) => {
                // A quotation that ends a sentence: “… occupation.” However
                if c == '"' {
                    in_straight = false;
                } else {
                    in_curly -= 1;
                }
                if let Some(end) = sentence_end(&chars, i + 1, text.len()) {
                    push(start, end, paragraph, &mut out);
                    start = end;
                }
            }
            '"' => in_straight = !in_straight,
            c if opens(c) => in_curly += 1,
            c if closes(c) => in_curly = in_curly.saturating_sub(1),
            '\n' => {
                // The line's last mark, wherever the sentence began.
                let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                let line = text[line_start..at].trim_end();
                let blank = line.is_empty();
                let ended = line
                    .chars()
                    .next_back()
                    .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | '"' | '”' | ')'));
                if blank || ended {
                    push(start, at, paragraph, &mut out);
                    start = at + 1;
                    if out.len() > paragraph_from {
                        paragraph += 1;
                        paragraph_from = out.len();
                    }
                    in_straight = false;
                    in_curly = 0;
                }
            }
            '.' | '!' | '?' if !in_straight && in_curly == 0 => {
                // Closing quotes and brackets after the mark belong to it.
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '"' | '”' | ')' | '’' | '»') {
                    if chars[j].1 == '"' {
                        in_straight = !in_straight;
                    }
                    j += 1;
                }
                if c == '.' && is_abbreviation(&text[start..at]) {
                    i += 1;
                    continue;
                }
                if let Some(end) = sentence_end(&chars, j, text.len()) {
                    push(start, end, paragraph, &mut out);
                    start = end;
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    push(start, text.len(), paragraph, &mut out);
    out
}

/// Whether the quotation mark at `i` closes the last open quotation
/// right after a sentence's end mark.
fn quoted_end(chars: &[(usize, char)], i: usize, in_straight: bool, in_curly: u32) -> bool {
    let c = chars[i].1;
    let closing = if c == '"' {
        in_straight && in_curly == 0
    } else {
        in_curly == 1 && !in_straight
    };
    closing && i > 0 && matches!(chars[i - 1].1, '.' | '!' | '?')
}

/// Where a sentence ends when its last mark is just before `j`: at `j`,
/// when whitespace and then a capital, a digit or a quotation follow, or
/// nothing does.
fn sentence_end(chars: &[(usize, char)], j: usize, len: usize) -> Option<usize> {
    let end = chars.get(j).map_or(len, |&(at, _)| at);
    if !chars.get(j).is_none_or(|(_, c)| c.is_whitespace()) {
        return None;
    }
    let next = chars[j..].iter().find(|(_, c)| *c != ' ' && *c != '\t');
    let starts = next.is_none_or(|(_, c)| {
        c.is_uppercase() || c.is_ascii_digit() || opens(*c) || *c == '"' || *c == '\n'
    });
    starts.then_some(end)
}

/// Whether the text before a full stop ends with an abbreviation or an
/// initial ("Gen.", "J.").
fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lower = word.to_lowercase();
    let single = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single || ABBREVIATIONS.contains(&lower.as_str())
}

/// The words of `range` of `text`.
pub(crate) fn words(text: &str, range: Range<usize>) -> Vec<Word> {
    let mut out = Vec::new();
    let s = &text[range.clone()];
    let mut word_start: Option<usize> = None;
    let inside = |c: char| c == '\'' || c == '’' || c == '-';
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joins = inside(c)
            && word_start.is_some()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            word_start.get_or_insert(i);
        } else if let Some(from) = word_start.take() {
            out.push(word(text, range.start + from..range.start + i));
        }
    }
    if let Some(from) = word_start {
        out.push(word(text, range.start + from..range.end));
    }
    out
}

fn word(text: &str, range: Range<usize>) -> Word {
    let s = &text[range.clone()];
    Word {
        lower: s.to_lowercase().replace('’', "'"),
        capital: s.chars().next().is_some_and(char::is_uppercase),
        range,
    }
}

/// The words outside the quotations `quotes` (both in text order), in
/// one sweep.
pub(crate) fn unquoted(words: Vec<Word>, quotes: &[Range<usize>]) -> Vec<Word> {
    let mut q = quotes.iter().peekable();
    words
        .into_iter()
        .filter(|w| {
            while q.peek().is_some_and(|r| r.end < w.range.end) {
                q.next();
            }
            !q.peek()
                .is_some_and(|r| r.start <= w.range.start && w.range.end <= r.end)
        })
        .collect()
}

/// The quoted passages of a sentence, inside their marks: `“…”` and
/// `"…"` (single quotes are left alone: they are apostrophes too often).
pub(crate) fn quotes(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        match (open, c) {
            (None, '"') => open = Some((at + 1, '"')),
            (None, c) if opens(c) => open = Some((at + c.len_utf8(), c)),
            (Some((from, '"')), '"') => {
                out.push(from..at);
                open = None;
            }
            (Some((from, o)), c) if o != '"' && closes(c) => {
                out.push(from..at);
                open = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect()
    }

    #[test]
    fn sentences_end_at_marks_before_capitals_not_inside_quotes() {
        let text = "Gen. Ruiz spoke. He said, “We came. We stay.” Then he left.\nA new line? Yes.";
        assert_eq!(
            cut(text),
            [
                "Gen. Ruiz spoke.",
                "He said, “We came. We stay.”",
                "Then he left.",
                "A new line?",
                "Yes."
            ]
        );
        let s = sentences(text);
        assert_eq!((s[2].line, s[2].paragraph), (1, 0));
        assert_eq!((s[3].line, s[3].paragraph), (2, 1));
    }

    #[test]
    fn straight_quotes_span_sentences_and_wrapped_lines_read_on() {
        let text = "She said: \"It is over. We won.\" The crowd\ncheered. Then J. Smith left.";
        assert_eq!(
            cut(text),
            [
                "She said: \"It is over. We won.\"",
                "The crowd\ncheered.",
                "Then J. Smith left."
            ]
        );
    }

    #[test]
    fn quotes_are_found_in_both_kinds_of_marks() {
        let text = "A said “one two” and \"three\" but not 'four'.";
        let q: Vec<&str> = quotes(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(q, ["one two", "three"]);
    }

    #[test]
    fn words_outside_quotations() {
        let text = "In June “we came in 1998” he said “twice”.";
        let outside: Vec<String> =
            unquoted(words(text, 0..text.len()), &quotes(text, 0..text.len()))
                .into_iter()
                .map(|w| w.lower)
                .collect();
        assert_eq!(outside, ["in", "june", "he", "said"]);
    }

    #[test]
    fn words_keep_apostrophes_and_hyphens_inside() {
        let text = "Lunevia’s large-scale drills, 'quoted'.";
        let w: Vec<String> = words(text, 0..text.len())
            .into_iter()
            .map(|w| w.lower)
            .collect();
        assert_eq!(w, ["lunevia's", "large-scale", "drills", "quoted"]);
    }
}
