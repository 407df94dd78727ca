//! The spreadsheet importer on sheets written here: which column holds
//! which field, what becomes of odd rows, and where problems are placed.

use super::*;
use crate::diag::Diagnostic;
use crate::import::sink::Counts;

/// What importing one sheet gave.
struct Read {
    counts: Counts,
    problems: Vec<Diagnostic>,
    refused: bool,
    claims: String,
    actions: String,
    text: Vec<u8>,
}

impl Read {
    /// The problems as `code line:column`, lines and columns counted
    /// here from the sheet's text.
    fn places(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| {
                let before = &self.text[..p.span.start];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
                format!("{} {line}:{column}", p.code.as_str())
            })
            .collect()
    }
}

fn read_sheet(name: &str, text: &[u8], options: &SheetOptions) -> Read {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    let mut sink = Sink::create(&out, "csv").unwrap();
    read(&path, FileId(0), options, &mut sink).unwrap();
    let refused = sink.refused;
    let (counts, problems) = sink.finish(&out, "csv").unwrap();
    let file =
        |sub: &str| std::fs::read_to_string(out.join(sub).join("csv.jsonl")).unwrap_or_default();
    Read {
        counts,
        problems,
        refused,
        claims: file("claims"),
        actions: file("actions"),
        text: text.to_vec(),
    }
}

fn options(maps: &[&str], kind: Option<SheetKind>) -> SheetOptions {
    SheetOptions {
        map: maps.iter().map(|m| m.parse().unwrap()).collect(),
        kind,
        date_format: None,
    }
}

#[test]
fn columns_named_as_fields_need_no_map_and_a_map_overrides_them() {
    let text = "\u{feff}Actor,DATE,text,Stance,Said\nLand,2021-08,old words,3,new words\n";
    let read = read_sheet(
        "s.csv",
        text.as_bytes(),
        &options(&["text=said"], Some(SheetKind::Claims)),
    );
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(
        read.claims,
        "{\"id\":\"s-2\",\"actor\":\"land\",\"date\":\"2021-08\",\"text\":\"new words\",\"stance\":3.0}\n"
    );
    assert_eq!((read.counts.rows, read.counts.not_events), (2, 1));
}

#[test]
fn a_mapped_column_is_not_also_taken_by_its_name() {
    // "text" is mapped to notes, so the text comes from "words" only
    // because it is mapped too; without that map, nothing holds it.
    let text = "actor,date,score,text,words\nLand,2021,1,a note,the words\n";
    let both = read_sheet(
        "s.csv",
        text.as_bytes(),
        &options(&["notes=text", "text=words"], Some(SheetKind::Claims)),
    );
    assert!(
        both.claims.contains("\"text\":\"the words\""),
        "{}",
        both.claims
    );
    assert!(
        both.claims.contains("\"notes\":\"a note\""),
        "{}",
        both.claims
    );
    let one = read_sheet(
        "s.csv",
        text.as_bytes(),
        &options(&["notes=text"], Some(SheetKind::Claims)),
    );
    assert!(one.refused);
    assert_eq!(one.places(), ["missing-field 1:1"]);
    assert!(one.problems[0].message.contains("no column holds the text"));
}

#[test]
fn two_columns_that_could_be_the_score_are_a_problem_at_the_second() {
    let text = "kind,actor,date,text,stance,effect\nclaim,Land,2021,words,3,\n";
    let read = read_sheet("s.csv", text.as_bytes(), &options(&[], None));
    assert!(read.refused);
    let effect = text.find("effect").unwrap() + 1;
    assert_eq!(read.places(), [format!("duplicate-field 1:{effect}")]);
    assert_eq!(read.counts.bad, 2);
    // Saying which settles it.
    let read = read_sheet("s.csv", text.as_bytes(), &options(&["score=stance"], None));
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.counts.claims, 1);
}

#[test]
fn a_kind_column_says_per_row_and_kind_overrides_it() {
    let text = "kind,actor,date,text,score,attribution\nclaim,Land,2021,words,3,reported\nAction,Land,2022,deed,-3,reported\ndeed,Land,2022,deed,-3,\n";
    let read = read_sheet("s.csv", text.as_bytes(), &options(&[], None));
    assert_eq!(
        (read.counts.claims, read.counts.actions, read.counts.bad),
        (1, 1, 1)
    );
    assert_eq!(read.places(), ["bad-value 4:1"]);
    // Claims have no attribution: it is not written for them.
    assert!(!read.claims.contains("attribution"), "{}", read.claims);
    assert!(
        read.actions.contains("\"attribution\":\"reported\""),
        "{}",
        read.actions
    );
    let read = read_sheet(
        "s.csv",
        text.as_bytes(),
        &options(&[], Some(SheetKind::Actions)),
    );
    assert_eq!(
        (read.counts.claims, read.counts.actions, read.counts.bad),
        (0, 3, 0)
    );
}

#[test]
fn ids_are_made_valid_or_made_from_the_file_and_row() {
    let text = "id,actor,target,date,text,score,topics\nC 12,Foreign Ministry,Land,2021,words,3,a; b\n,Land,,2021,words,3,\n--,Land,,2021,words,3,\n";
    let read = read_sheet(
        "My Sheet.csv",
        text.as_bytes(),
        &options(&[], Some(SheetKind::Claims)),
    );
    let lines: Vec<&str> = read.claims.lines().collect();
    assert_eq!(
        lines,
        [
            "{\"id\":\"c-12\",\"actor\":\"foreign-ministry\",\"target\":\"land\",\"date\":\"2021\",\"text\":\"words\",\"topics\":[\"a\",\"b\"],\"stance\":3.0}",
            "{\"id\":\"my-sheet-3\",\"actor\":\"land\",\"date\":\"2021\",\"text\":\"words\",\"stance\":3.0}",
        ]
    );
    assert_eq!(read.places(), ["bad-id 4:1"]);
    assert_eq!(read.counts.actors, 2);
}

#[test]
fn blank_rows_are_skipped_and_short_rows_lack_their_cells() {
    let text = "actor,date,text,score\n,,,\nLand,2021\n";
    let read = read_sheet(
        "s.csv",
        text.as_bytes(),
        &options(&[], Some(SheetKind::Claims)),
    );
    assert_eq!(
        (read.counts.rows, read.counts.not_events, read.counts.bad),
        (3, 2, 1)
    );
    // Both missing cells are placed at the end of the short row.
    let end = "Land,2021".len() + 1;
    assert_eq!(
        read.places(),
        [
            format!("missing-field 3:{end}"),
            format!("missing-field 3:{end}")
        ]
    );
}

#[test]
fn tab_separated_sheets_quote_as_comma_separated_ones_do() {
    let text = "actor\tdate\ttext\tscore\nLand\t2021\t\"two\tcells\"\t1\n";
    let read = read_sheet(
        "s.tsv",
        text.as_bytes(),
        &options(&[], Some(SheetKind::Claims)),
    );
    assert!(
        read.claims.contains("\"text\":\"two\\tcells\""),
        "{}",
        read.claims
    );
}
