//! Partial dates as intervals of days.
//!
//! A dataset date is `"2021"`, `"2021-08"` or `"2021-08-15"`, and stands for
//! every day it names: `"2021-08"` is 1 to 31 August 2021. Everything that
//! compares dates (role intervals, pairing windows, gaps for severity) works
//! on these day intervals, so precision is never invented.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A day, counted from 0001-01-01 (day 1), as chrono's `num_days_from_ce`.
pub type Day = i32;

/// How much of a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// `YYYY`: the whole year.
    Year,
    /// `YYYY-MM`: the whole month.
    Month,
    /// `YYYY-MM-DD`: one day.
    Day,
}

/// A written date and the closed interval of days it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The first day it stands for.
    pub first: Day,
    /// The last day it stands for (`first` for a day).
    pub last: Day,
    /// How much was written.
    pub precision: Precision,
}

/// Why a string is not a date; the message names what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(pub String);

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible
    /// months and days (`2021-13`, `2021-02-30`).
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let shape_ok = match b.len() {
            4 => digits(0..4),
            7 => digits(0..4) && b[4] == b'-' && digits(5..7),
            10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
            _ => false,
        };
        if !shape_ok {
            return Err(DateError(format!(
                "\"{}\" is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD",
                text.escape_debug()
            )));
        }
        // The shape check above made every byte read here a digit.
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
        };
        let year = num(0..4) as i32;
        if year == 0 {
            return Err(DateError(
                "year 0000 does not exist; years start at 0001".into(),
            ));
        }
        let (first, last, precision) = match b.len() {
            4 => (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
                Precision::Year,
            ),
            7 => {
                let month = num(5..7);
                if !(1..=12).contains(&month) {
                    return Err(DateError(format!("month {month:02} does not exist")));
                }
                let first = NaiveDate::from_ymd_opt(year, month, 1);
                let last = first.map(|d| last_day_of_month(d.year(), d.month()));
                (first, last, Precision::Month)
            }
            _ => {
                let (month, day) = (num(5..7), num(8..10));
                if !(1..=12).contains(&month) {
                    return Err(DateError(format!("month {month:02} does not exist")));
                }
                let date = NaiveDate::from_ymd_opt(year, month, day);
                if date.is_none() {
                    return Err(DateError(format!(
                        "{year:04}-{month:02} has no day {day:02}"
                    )));
                }
                (date, date, Precision::Day)
            }
        };
        match (first, last) {
            (Some(f), Some(l)) => Ok(PartialDate {
                first: f.num_days_from_ce(),
                last: l.num_days_from_ce(),
                precision,
            }),
            _ => Err(DateError(format!(
                "\"{text}\" is outside the supported calendar"
            ))),
        }
    }

    /// Days from the end of one interval to the start of the other; 0 when
    /// they overlap.
    pub fn gap_days(&self, other: &PartialDate) -> i32 {
        (other.first - self.last)
            .max(self.first - other.last)
            .max(0)
    }
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Formats a day as `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    NaiveDate::from_num_days_from_ce_opt(day).map_or_else(
        || format!("day {day}"),
        |d| d.format("%Y-%m-%d").to_string(),
    )
}

impl PartialDate {
    /// The date as it was written (`2021`, `2021-08` or `2021-08-15`) in
    /// ASCII, without going through `fmt`: reports write millions of dates.
    /// `None` for a day outside the years 0 to 9999, which no parsed date
    /// reaches.
    pub fn ascii(&self) -> Option<([u8; 10], usize)> {
        let d = NaiveDate::from_num_days_from_ce_opt(self.first)?;
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let mut out = *b"0000-00-00";
        let mut put = |at: usize, value: u32, width: usize| {
            let mut v = value;
            for i in (at..at + width).rev() {
                out[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, year, 4);
        put(5, d.month(), 2);
        put(8, d.day(), 2);
        let len = match self.precision {
            Precision::Year => 4,
            Precision::Month => 7,
            Precision::Day => 10,
        };
        Some((out, len))
    }
}

impl fmt::Display for PartialDate {
    /// Writes the date as it was written: `2021`, `2021-08` or `2021-08-15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((bytes, len)) = self.ascii() {
            // ASCII digits and dashes.
            return f.write_str(std::str::from_utf8(&bytes[..len]).map_err(|_| fmt::Error)?);
        }
        match NaiveDate::from_num_days_from_ce_opt(self.first) {
            None => write!(f, "day {}", self.first),
            Some(d) => match self.precision {
                Precision::Year => write!(f, "{:04}", d.year()),
                Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
                Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            },
        }
    }
}

/// A closed interval of days, possibly unbounded on either side (roles
/// without `from` or `to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The first day, [`Day::MIN`] for no beginning.
    pub first: Day,
    /// The last day, [`Day::MAX`] for no end.
    pub last: Day,
}

impl Span {
    /// Every day.
    pub const ALL: Span = Span {
        first: Day::MIN,
        last: Day::MAX,
    };

    /// The days `date` stands for.
    pub fn of(date: &PartialDate) -> Span {
        Span {
            first: date.first,
            last: date.last,
        }
    }

    /// The days in both, if any.
    pub fn intersect(self, other: Span) -> Option<Span> {
        let s = Span {
            first: self.first.max(other.first),
            last: self.last.min(other.last),
        };
        (s.first <= s.last).then_some(s)
    }

    /// Whether the two share a day.
    pub fn overlaps(self, other: Span) -> bool {
        self.intersect(other).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .unwrap()
            .num_days_from_ce()
    }

    #[test]
    fn each_precision_is_the_interval_it_names() {
        for (text, first, last) in [
            ("2021", "2021-01-01", "2021-12-31"),
            ("2021-08", "2021-08-01", "2021-08-31"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2023-02", "2023-02-01", "2023-02-28"),
            ("2021-12", "2021-12-01", "2021-12-31"),
            ("2021-08-15", "2021-08-15", "2021-08-15"),
        ] {
            let d = PartialDate::parse(text).unwrap();
            assert_eq!((d.first, d.last), (day(first), day(last)), "{text}");
            assert_eq!(d.to_string(), text);
        }
    }

    #[test]
    fn dates_are_written_and_read_back_as_chrono_writes_them() {
        // Every 37th day from year 1 to 9999, at each precision.
        let (start, end) = (day("0001-01-01"), day("9999-12-31"));
        for first in (start..=end).step_by(37).chain([end]) {
            let d = NaiveDate::from_num_days_from_ce_opt(first).unwrap();
            for (precision, shape) in [
                (Precision::Year, "%Y"),
                (Precision::Month, "%Y-%m"),
                (Precision::Day, "%Y-%m-%d"),
            ] {
                let date = PartialDate {
                    first,
                    last: first,
                    precision,
                };
                assert_eq!(date.to_string(), d.format(shape).to_string());
                let back = PartialDate::parse(&date.to_string()).unwrap();
                assert_eq!(back.precision, precision);
                if precision == Precision::Day {
                    assert_eq!(back.first, first, "{date}");
                }
            }
        }
        let beyond = PartialDate {
            first: end + 1,
            last: end + 1,
            precision: Precision::Year,
        };
        assert_eq!(beyond.ascii(), None);
        assert_eq!(beyond.to_string(), "10000");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "Aug 2021",
            "2021-13",
            "2021-00",
            "2021-02-30",
            "2021-8",
            "2021-08-1",
            "21",
            "",
            "2021-08-15T00:00",
            "0000",
            "２０２１",
            "2021/08",
            " 2021",
        ] {
            assert!(PartialDate::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn gap_is_zero_when_intervals_overlap() {
        let y = PartialDate::parse("2021").unwrap();
        let m = PartialDate::parse("2021-08").unwrap();
        let later = PartialDate::parse("2022-01-10").unwrap();
        assert_eq!(y.gap_days(&m), 0);
        assert_eq!(y.gap_days(&later), 10);
        assert_eq!(later.gap_days(&y), 10);
    }
}
