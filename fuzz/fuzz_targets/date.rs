//! Arbitrary strings to `PartialDate::parse`, against an independent oracle:
//! a string is a date exactly when it is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
//! naming a real year (0001-9999), month and day of the Gregorian calendar.
//! A parsed date has `first <= last`, the interval the oracle computes, the
//! precision its length says, and `Display` gives back the input.
#![no_main]

use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use saydo::date::{PartialDate, Precision, Span};

fn leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap(y) => 29,
        _ => 28,
    }
}

fn ce(y: u32, m: u32, d: u32) -> i32 {
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .expect("oracle date exists")
        .num_days_from_ce()
}

/// The interval of days and the precision, or `None` when not a date.
fn oracle(s: &str) -> Option<(i32, i32, Precision)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let dash = |i: usize| b.get(i) == Some(&b'-');
    let y = num(0..4)?;
    if y == 0 {
        return None;
    }
    match b.len() {
        4 => Some((ce(y, 1, 1), ce(y, 12, 31), Precision::Year)),
        7 if dash(4) => {
            let m = num(5..7)?;
            (1..=12)
                .contains(&m)
                .then(|| (ce(y, m, 1), ce(y, m, days_in(y, m)), Precision::Month))
        }
        10 if dash(4) && dash(7) => {
            let (m, d) = (num(5..7)?, num(8..10)?);
            ((1..=12).contains(&m) && (1..=days_in(y, m)).contains(&d))
                .then(|| (ce(y, m, d), ce(y, m, d), Precision::Day))
        }
        _ => None,
    }
}

fuzz_target!(|s: &str| {
    let parsed = PartialDate::parse(s);
    let expected = oracle(s);
    match (&parsed, expected) {
        (Ok(d), Some((first, last, precision))) => {
            assert!(d.first <= d.last, "{s:?}: first > last");
            assert_eq!(
                (d.first, d.last, d.precision),
                (first, last, precision),
                "{s:?}"
            );
            assert_eq!(d.to_string(), s, "Display does not round-trip");
            let day = NaiveDate::from_num_days_from_ce_opt(d.first).unwrap();
            assert_eq!(
                saydo::date::format_day(d.first),
                day.format("%Y-%m-%d").to_string()
            );
            if precision != Precision::Day {
                assert_eq!(day.day(), 1, "{s:?}: an interval starts on day 1");
            }
            // Interval arithmetic on the parsed date.
            let span = Span::of(d);
            assert_eq!(span.intersect(span), Some(span));
            assert!(span.overlaps(Span::ALL));
            assert_eq!(d.gap_days(d), 0);
            let ref_day = PartialDate::parse("2000-02-29").unwrap();
            assert_eq!(d.gap_days(&ref_day), ref_day.gap_days(d));
            assert!(d.gap_days(&ref_day) >= 0);
        }
        (Err(e), None) => {
            assert!(!e.0.is_empty(), "{s:?}: empty error message");
        }
        (Ok(d), None) => panic!("{s:?} is not a date but parsed as {d:?}"),
        (Err(e), Some(_)) => panic!("{s:?} is a date but was rejected: {}", e.0),
    }
});
