//! The table's tests: widths, wrapping, clipping and colour.

use super::*;

#[test]
fn wrap_breaks_at_spaces_and_cuts_only_words_longer_than_the_width() {
    assert_eq!(wrap("aaa bbbbbbbbbb cc", 4), "aaa\nbbbb\nbbbb\nbb\ncc");
    assert_eq!(wrap("one two  three", 7), "one two\nthree");
    assert_eq!(wrap("first\nsecond line", 6), "first\nsecond\nline");
    // Columns, not bytes or characters: wide characters take two.
    assert_eq!(wrap("漢字漢字漢 x", 4), "漢字\n漢字\n漢 x");
    assert_eq!(wrap("éééé", 2), "éé\néé");
    // A character wider than the line gets a line of its own.
    assert_eq!(wrap("漢字", 1), "漢\n字\n");
    assert_eq!(wrap("", 5), "");
}

#[test]
fn wrap_cuts_a_long_word_into_whole_lines_of_the_width() {
    let word: String = ('a'..='z').cycle().take(100_003).collect();
    let wrapped = wrap(&format!("x {word} y"), 30);
    let lines: Vec<&str> = wrapped.lines().collect();
    assert_eq!(lines[0], "x");
    assert_eq!(lines.len(), 1 + 100_003 / 30 + 1);
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.len() == 30));
    assert_eq!(
        lines[lines.len() - 1],
        format!("{} y", &word[100_003 / 30 * 30..])
    );
    assert_eq!(
        lines[1..lines.len() - 1].concat(),
        word[..100_003 / 30 * 30]
    );
}

#[test]
fn ids_and_topics_break_after_a_hyphen_not_inside_a_part() {
    assert_eq!(wrap("speaker-liberated", 12), "speaker-\nliberated");
    assert_eq!(
        wrap("neighbour-dialogue-2025", 22),
        "neighbour-dialogue-\n2025"
    );
    assert_eq!(wrap("a-b-c-d", 3), "a-\nb-\nc-d");
    // Without a hyphen, or a part longer than the line, cut at the width.
    assert_eq!(wrap("territorial", 5), "terri\ntoria\nl");
    assert_eq!(wrap("x-territorial", 5), "x-\nterri\ntoria\nl");
    // Text after the cut carries on the last line as before.
    assert_eq!(
        wrap("speaker-liberated now", 12),
        "speaker-\nliberated\nnow"
    );
}

#[test]
fn wrap_ends_on_a_word_measured_wider_than_its_characters() {
    // "☺" and VS16 measure 1 and 0 apart but 2 together: 13 of them
    // make a word 26 columns wide whose characters sum to 13, which
    // the wrap before this one cut forever without shortening.
    let word = "☺\u{FE0F}".repeat(13);
    assert_eq!(wrap(&word, 24), format!("{word}\n"));
    assert_eq!(wrap(&format!("a {word}"), 27), format!("a\n{word}"));
}

#[test]
fn only_cell_lines_over_the_limit_are_clipped() {
    let short = format!("said: {}\non: x", "é".repeat(MAX_CELL_LINE - 6));
    assert_eq!(clip_cell(short.clone()), short);
    let long = "é".repeat(600_000);
    let clipped = clip_cell(format!("said: a\non: {long}\nwhen: b"));
    let lines: Vec<&str> = clipped.split('\n').collect();
    assert_eq!(lines[0], "said: a");
    assert_eq!(lines[1].chars().count(), MAX_CELL_LINE);
    assert!(lines[1].starts_with("on: éé") && lines[1].ends_with("é…"));
    assert_eq!(lines[2], "when: b");
}
