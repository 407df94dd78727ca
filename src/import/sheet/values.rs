//! The values of a spreadsheet's cells as saydo's: dates, scores, topics,
//! kinds. Each reads what spreadsheets write, and no more, so that a cell
//! it cannot read is a problem rather than a guess.

use super::options::DateFormat;
use crate::date::PartialDate;
use crate::import::sink::Kind;
use chrono::{NaiveDate, NaiveTime};

/// A date cell as a dataset date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` as
/// written; a day with the time of day spreadsheets add to date cells
/// (`2021-08-15 00:00:00`, `2021-08-15T00:00`), the time dropped; or a day
/// in `format` (`15/08/2021` with `%d/%m/%Y`).
pub(super) fn date_of(cell: &str, format: Option<&DateFormat>) -> Option<String> {
    let cell = cell.trim();
    let day = match (cell.get(..10), cell.get(11..)) {
        (Some(day), Some(time)) if matches!(cell.as_bytes()[10], b' ' | b'T') && is_time(time) => {
            day
        }
        _ => cell,
    };
    if PartialDate::parse(day).is_ok() {
        return Some(day.to_string());
    }
    let format = format?;
    let day = NaiveDate::parse_from_str(cell, format.as_str())
        .ok()?
        .format("%Y-%m-%d")
        .to_string();
    // chrono reads years a dataset cannot hold (0, 12345).
    PartialDate::parse(&day).ok().map(|_| day)
}

/// Whether `text` is a time of day as spreadsheets write one after a date.
fn is_time(text: &str) -> bool {
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .any(|f| NaiveTime::parse_from_str(text, f).is_ok())
}

/// Why a score cell is not a score.
#[derive(Debug, PartialEq)]
pub(super) enum BadScore {
    /// Not a number.
    NotANumber,
    /// A number outside [-10, 10].
    OutOfRange(f64),
}

/// A score cell as a number in [-10, 10]. A decimal comma (`-2,5`, as
/// spreadsheets in many languages write it) reads as a point.
pub(super) fn score_of(cell: &str) -> Result<f64, BadScore> {
    let cell = cell.trim();
    let point;
    let cell = if cell.contains(',') && !cell.contains('.') {
        point = cell.replacen(',', ".", 1);
        point.as_str()
    } else {
        cell
    };
    // Rust reads "NaN" and "inf" as numbers; a score is neither.
    let score: f64 = cell
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite())
        .ok_or(BadScore::NotANumber)?;
    if (-10.0..=10.0).contains(&score) {
        Ok(score)
    } else {
        Err(BadScore::OutOfRange(score))
    }
}

/// A topics cell as topics: split on `;` or `,`, each trimmed, blanks and
/// repeats left out, in the order written.
pub(super) fn topics_of(cell: &str) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for topic in cell.split([';', ',']).map(str::trim) {
        if !topic.is_empty() && !topics.iter().any(|t| t == topic) {
            topics.push(topic.to_string());
        }
    }
    topics
}

/// A kind cell: `claim` or `action` (or their plurals), in any case.
pub(super) fn kind_of(cell: &str) -> Option<Kind> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "claim" | "claims" => Some(Kind::Claim),
        "action" | "actions" => Some(Kind::Action),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_spreadsheets_write_them() {
        let dmy = DateFormat::new("%d/%m/%Y").unwrap();
        let cases = [
            ("2021-08-15", None, Some("2021-08-15")),
            (" 2021-08 ", None, Some("2021-08")),
            ("2021", None, Some("2021")),
            ("2021-08-15 00:00:00", None, Some("2021-08-15")),
            ("2021-08-15T13:45", None, Some("2021-08-15")),
            ("2021-08-15 13:45:10.5", None, Some("2021-08-15")),
            ("2021-08-15 noon", None, None),
            ("15/08/2021", None, None),
            ("15/08/2021", Some(&dmy), Some("2021-08-15")),
            // ISO dates are read whatever the format.
            ("2021-08-15", Some(&dmy), Some("2021-08-15")),
            ("31/02/2021", Some(&dmy), None),
            ("15/08/0000", Some(&dmy), None),
            ("08/2021", Some(&dmy), None),
            ("2021-02-30", None, None),
            ("2021-13", None, None),
            ("Aug 2021", None, None),
            ("", None, None),
            ("2021-08-1é", None, None),
        ];
        for (cell, format, expected) in cases {
            assert_eq!(date_of(cell, format).as_deref(), expected, "{cell:?}");
        }
    }

    #[test]
    fn scores_are_numbers_in_range() {
        assert_eq!(score_of(" -2.5 "), Ok(-2.5));
        assert_eq!(score_of("+10"), Ok(10.0));
        assert_eq!(score_of("-2,5"), Ok(-2.5));
        assert_eq!(score_of("0"), Ok(0.0));
        assert_eq!(score_of("10.5"), Err(BadScore::OutOfRange(10.5)));
        assert_eq!(score_of("-11"), Err(BadScore::OutOfRange(-11.0)));
        for bad in ["", "high", "NaN", "inf", "1,000.5", "1,2,3", "5%"] {
            assert_eq!(score_of(bad), Err(BadScore::NotANumber), "{bad}");
        }
    }

    #[test]
    fn topics_split_on_semicolons_and_commas() {
        assert_eq!(
            topics_of("nuclear; sanctions,trade ,, nuclear"),
            ["nuclear", "sanctions", "trade"]
        );
        assert!(topics_of(" ; ").is_empty());
    }

    #[test]
    fn kinds_are_claims_or_actions() {
        assert_eq!(kind_of("Claim"), Some(Kind::Claim));
        assert_eq!(kind_of(" actions "), Some(Kind::Action));
        assert_eq!(kind_of("deed"), None);
    }
}
