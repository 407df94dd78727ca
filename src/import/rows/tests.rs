//! Rows and blocks: every field placed exactly, whatever the dialect.

use super::*;

fn rows_of(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.txt");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn fields_of_tab_separated_rows_are_placed_exactly() {
    let text = "a\tbb\t\"q\"\r\nccc\t\td\n";
    let (_dir, path) = rows_of(text);
    let mut rows = Rows::open(&path, FileId(0), Dialect::TSV).unwrap();
    let row = rows.next_row().unwrap().unwrap();
    assert_eq!(row.len(), 3);
    for i in 0..3 {
        assert_eq!(&text[row.span(i)], row.get(i).unwrap());
    }
    assert_eq!(row.get(2).unwrap(), "\"q\"");
    let row = rows.next_row().unwrap().unwrap();
    assert_eq!(&text[row.span(0)], "ccc");
    assert_eq!(&text[row.span(2)], "d");
    assert_eq!(row.span(1), 14..14);
    assert_eq!(row.span(3), 16..16);
    assert!(rows.next_row().unwrap().is_none());
}

#[test]
fn quoted_fields_are_placed_by_reading_the_row_again() {
    let text = "id,text,score\r\n7,\"a, \"\"b\"\"\nc\",x\r\n8,plain,y\r\n";
    let (_dir, path) = rows_of(text);
    let mut rows = Rows::open(&path, FileId(0), Dialect::CSV).unwrap();
    rows.next_row().unwrap();
    let row = rows.next_row().unwrap().unwrap();
    assert_eq!(row.get(1).unwrap(), "a, \"b\"\nc");
    assert_eq!(&text[row.span(1)], "\"a, \"\"b\"\"\nc\"");
    assert_eq!(&text[row.span(2)], "x");
    let row = rows.next_row().unwrap().unwrap();
    assert_eq!(&text[row.span(2)], "y");
    assert_eq!(&text[row.span(0)], "8");
    assert_eq!(row.span(3), 42..42);
}

#[test]
fn a_field_that_is_not_utf8_is_a_problem_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.tsv");
    std::fs::write(&path, b"ok\tab\xffc\n").unwrap();
    let mut rows = Rows::open(&path, FileId(3), Dialect::TSV).unwrap();
    let row = rows.next_row().unwrap().unwrap();
    let problem = row.get(1).unwrap_err();
    assert_eq!(problem.code, Code::NotUtf8);
    assert_eq!((problem.file, problem.span), (Some(FileId(3)), 5..6));
}

#[test]
fn blocks_hold_whole_lines_and_their_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.tsv");
    let line = "x".repeat(999) + "\r\n";
    let text = line.repeat(3000) + "last";
    std::fs::write(&path, &text).unwrap();
    let mut blocks = Blocks::open(&path).unwrap();
    let mut seen = Vec::new();
    while let Some((start, block)) = blocks.next_block(Vec::new()).unwrap() {
        assert_eq!(&text.as_bytes()[start..start + block.len()], &block[..]);
        for (at, l) in lines(&block) {
            seen.push((start + at, l.len()));
        }
    }
    assert_eq!(seen.len(), 3001);
    assert!(
        seen[..3000]
            .iter()
            .enumerate()
            .all(|(i, &s)| s == (i * 1001, 999))
    );
    assert_eq!(seen[3000], (3_003_000, 4));
}

#[test]
fn a_quoted_field_that_is_not_utf8_is_a_problem_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    let text = b"\xEF\xBB\xBF\"a, b\",x\n1,\"q \"\"\xe9\"\"\",ok\n";
    std::fs::write(&path, text).unwrap();
    let mut rows = Rows::open(&path, FileId(0), Dialect::CSV).unwrap();
    let row = rows.next_row().unwrap().unwrap();
    // A byte-order mark is not part of the first field.
    assert_eq!(row.get(0).unwrap(), "a, b");
    assert_eq!(row.span(0), 3..9);
    assert_eq!(row.span(1), 10..11);
    let row = rows.next_row().unwrap().unwrap();
    let problem = row.get(1).unwrap_err();
    let bad = text.iter().position(|&b| b == 0xe9).unwrap();
    assert_eq!(problem.span, bad..bad + 1);
    assert_eq!(row.get(2).unwrap(), "ok");
}

#[test]
fn a_header_places_the_needed_columns_or_names_those_it_lacks() {
    assert_eq!(
        header_columns(&["\u{feff}b", " a ", "c"], &["a", "b"]),
        Ok([1, 0])
    );
    assert_eq!(
        header_columns(&["a"], &["a", "b", "c"]),
        Err(vec!["b", "c"])
    );
    assert_eq!(quoted(&["b", "c"]), "`b`, `c`");
}

#[test]
fn the_dialect_is_sniffed_from_the_first_line() {
    assert_eq!(Dialect::sniff(b"a\tb,c"), Dialect::TSV);
    assert_eq!(Dialect::sniff(b"a,b"), Dialect::CSV);
}
