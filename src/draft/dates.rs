//! Dates as precise as the text allows, carried from context.
//!
//! - A date written in a sentence is taken as written: "on July 15, 2024"
//!   is `2024-07-15`, "In August 2021" `2021-08`, "in 2020" `2020`. A
//!   month or day without a year takes the year last written ("In
//!   September" after "In August 2021" is `2021-09`).
//! - A sentence without a date of its own takes the last date of its
//!   paragraph, never to the day: a day belongs to the sentence that
//!   names it, so what follows "on January 27, 2023" is `2023-01`.
//! - "during the war" (or the conflict, the crisis …) takes the year the
//!   text gave that event, if it gave one.
//! - The text's own present: "two years have passed since the attack" is
//!   the attack's year plus two, to the year.
//!
//! Nothing is guessed beyond that; the caller says what it does with a
//! sentence left undated.

use super::text::Word;
use rustc_hash::FxHashMap;
use std::fmt;

/// A date to the year, month or day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Date {
    pub fn year(year: i32) -> Date {
        Date {
            year,
            month: None,
            day: None,
        }
    }

    /// The date without its day.
    pub fn to_month(self) -> Date {
        Date { day: None, ..self }
    }

    /// The day after, for a date to the day.
    pub fn next_day(self) -> Option<Date> {
        use chrono::Datelike;
        let day = chrono::NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)?.succ_opt()?;
        Some(Date {
            year: day.year(),
            month: Some(day.month()),
            day: Some(day.day()),
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Words before "May" that make it a month and not a verb.
const BEFORE_A_MONTH: &[&str] = &[
    "in", "on", "by", "since", "until", "of", "early", "late", "mid", "from", "during", "last",
    "next", "this", "through", "before", "after",
];

/// Nouns of events that "during the …" and "since the …" refer back to.
const EVENTS: &[&str] = &[
    "war",
    "conflict",
    "crisis",
    "attack",
    "invasion",
    "talks",
    "summit",
    "election",
    "strike",
    "dispute",
    "standoff",
    "clash",
    "clashes",
    "negotiations",
    "agreement",
    "ceasefire",
    "deal",
];

const NUMBERS: &[(&str, i32)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
];

/// Whether a word (lower case) names a month.
pub(crate) fn is_month(word: &str) -> bool {
    MONTHS.iter().any(|(name, _)| *name == word)
}

fn month_of(w: &Word, before: Option<&Word>, after: Option<&Word>) -> Option<u32> {
    let m = MONTHS.iter().find(|(name, _)| *name == w.lower)?.1;
    if !w.capital {
        return None;
    }
    if w.lower == "may" {
        let after_number =
            after.is_some_and(|a| a.lower.chars().next().is_some_and(|c| c.is_ascii_digit()));
        let before_ok = before.is_some_and(|b| BEFORE_A_MONTH.contains(&b.lower.as_str()));
        if !after_number && !before_ok {
            return None;
        }
    }
    Some(m)
}

fn day_of(w: &Word) -> Option<u32> {
    let digits: String = w.lower.chars().take_while(char::is_ascii_digit).collect();
    let rest = &w.lower[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(w: &Word) -> Option<i32> {
    let y: i32 = (w.lower.len() == 4 && w.lower.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.lower.parse().ok())??;
    (1800..=2199).contains(&y).then_some(y)
}

/// A date as written: the year may be missing ("In September").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// The dates written in a sentence's words, in order.
pub(crate) fn written(words: &[Word]) -> Vec<Written> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let before = k.checked_sub(1).map(|b| &words[b]);
        let at = |i: usize| words.get(i);
        // "July 15, 2024", "July 2024", "July 15", "July".
        if let Some(m) = month_of(&words[k], before, at(k + 1)) {
            let mut w = Written {
                year: None,
                month: Some(m),
                day: None,
            };
            let mut next = k + 1;
            if let Some(d) = at(next).and_then(day_of) {
                w.day = Some(d);
                next += 1;
            }
            if let Some(y) = at(next).and_then(year_of) {
                w.year = Some(y);
                next += 1;
            }
            out.push(w);
            k = next;
            continue;
        }
        // "15 July 2024", "15th of July".
        if let Some(d) = day_of(&words[k]) {
            let mut next = k + 1;
            if at(next).is_some_and(|w| w.lower == "of") {
                next += 1;
            }
            if let Some(m) = at(next).and_then(|w| month_of(w, Some(&words[k]), at(next + 1))) {
                let year = at(next + 1).and_then(year_of);
                out.push(Written {
                    year,
                    month: Some(m),
                    day: Some(d),
                });
                k = next + 1 + usize::from(year.is_some());
                continue;
            }
        }
        if let Some(y) = year_of(&words[k]) {
            out.push(Written {
                year: Some(y),
                month: None,
                day: None,
            });
        }
        k += 1;
    }
    out
}

/// How a sentence got its date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dating {
    /// Written in the sentence (its year perhaps carried, said in `why`).
    Written(Date, String),
    /// Carried from an earlier sentence of the paragraph, or from the
    /// event the sentence names.
    Carried(Date, String),
    /// Nothing in the text dates it.
    None,
}

impl Dating {
    pub fn date(&self) -> Option<Date> {
        match self {
            Dating::Written(d, _) | Dating::Carried(d, _) => Some(*d),
            Dating::None => None,
        }
    }
}

/// The date context as the text is read, sentence by sentence.
#[derive(Default)]
pub(crate) struct Carrier {
    /// The year last written, and the words it was written in.
    year: Option<i32>,
    paragraph: u32,
    /// The paragraph's last date, and how it was written.
    last: Option<(Date, String)>,
    /// Events named with a date: "the attack … on January 27, 2023".
    events: FxHashMap<String, Date>,
    /// The text's own present, once it says it.
    now: Option<(i32, String)>,
}

impl Carrier {
    /// The text's own present ("two years have passed since …"), if the
    /// text has said it so far.
    pub fn now(&self) -> Option<&(i32, String)> {
        self.now.as_ref()
    }

    /// The year last written, if any.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// Dates the next sentence, of `paragraph`, whose words are `words`
    /// and whose text is `sentence`.
    pub fn date(&mut self, paragraph: u32, words: &[Word], sentence: &str) -> Dating {
        if paragraph != self.paragraph {
            self.paragraph = paragraph;
            self.last = None;
        }
        self.present(words);
        let mut first: Option<Dating> = None;
        for w in written(words) {
            let (year, carried) = match (w.year, self.year) {
                (Some(y), _) => (y, false),
                (None, Some(y)) => (y, true),
                (None, None) => continue,
            };
            let date = Date {
                year,
                month: w.month,
                day: w.month.and(w.day),
            };
            let why = if carried {
                format!("date written without a year; {year} carried from earlier in the text")
            } else {
                "date written in the sentence".to_string()
            };
            self.year = Some(year);
            self.last = Some((date, excerpt(sentence)));
            first.get_or_insert(Dating::Written(date, why));
        }
        if let Some(Dating::Written(date, _)) = &first {
            for w in words.iter().filter(|w| EVENTS.contains(&w.lower.as_str())) {
                self.events.insert(w.lower.clone(), *date);
            }
            return first.unwrap_or(Dating::None);
        }
        if let Some((event, date)) = self.event_named(words) {
            return Dating::Carried(
                Date::year(date.year),
                format!("\"{event}\" dated to {} earlier in the text", date.year),
            );
        }
        match &self.last {
            Some((date, from)) => Dating::Carried(
                date.to_month(),
                format!("no date in the sentence; carried from \"{from}\""),
            ),
            None => Dating::None,
        }
    }

    /// "during the war": an event the text dated before.
    fn event_named(&self, words: &[Word]) -> Option<(String, Date)> {
        for (k, w) in words.iter().enumerate() {
            if !matches!(
                w.lower.as_str(),
                "during" | "amid" | "amidst" | "throughout"
            ) {
                continue;
            }
            for next in words.iter().skip(k + 1).take(4) {
                if let Some(date) = self.events.get(&next.lower) {
                    return Some((next.lower.clone(), *date));
                }
            }
        }
        None
    }

    /// "two years have passed since the attack", "three years after the
    /// war": the text's present, to the year.
    fn present(&mut self, words: &[Word]) {
        for k in 0..words.len().saturating_sub(2) {
            let unit = words[k + 1].lower.as_str();
            if !matches!(unit, "year" | "years") {
                continue;
            }
            let n = NUMBERS
                .iter()
                .find(|(w, _)| *w == words[k].lower)
                .map(|(_, n)| *n)
                .or_else(|| words[k].lower.parse().ok().filter(|n| (1..100).contains(n)));
            let Some(n) = n else { continue };
            let rest = &words[k + 2..words.len().min(k + 8)];
            let Some(since) = rest
                .iter()
                .position(|w| matches!(w.lower.as_str(), "since" | "after"))
            else {
                continue;
            };
            let anchor = rest[since + 1..]
                .iter()
                .find_map(|w| year_of(w).or_else(|| self.events.get(&w.lower).map(|d| d.year)));
            if let Some(year) = anchor {
                let phrase: Vec<&str> = words[k..(k + 2 + since + 3).min(words.len())]
                    .iter()
                    .map(|w| w.lower.as_str())
                    .collect();
                self.now = Some((year + n, phrase.join(" ")));
            }
        }
    }
}

/// The first words of a sentence, to say where a date came from.
fn excerpt(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().take(6).collect();
    let mut s = words.join(" ");
    if sentence.split_whitespace().nth(6).is_some() {
        s.push_str(" …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::words;

    fn dates(sentences: &[(u32, &str)]) -> Vec<Option<String>> {
        let mut c = Carrier::default();
        sentences
            .iter()
            .map(|(p, s)| {
                c.date(*p, &words(s, 0..s.len()), s)
                    .date()
                    .map(|d| d.to_string())
            })
            .collect()
    }

    #[test]
    fn written_dates_are_as_precise_as_written() {
        let got = dates(&[
            (0, "It opened on July 15, 2024, at last."),
            (1, "In August 2021, trucks came."),
            (2, "Talks began in 2019."),
            (3, "On 3 March 2020 it rained."),
        ]);
        assert_eq!(
            got,
            [
                Some("2024-07-15".into()),
                Some("2021-08".into()),
                Some("2019".into()),
                Some("2020-03-03".into())
            ]
        );
    }

    #[test]
    fn a_month_takes_the_year_last_written_and_may_is_a_verb_alone() {
        let got = dates(&[
            (0, "In August 2021, trucks came."),
            (1, "In September, drills began."),
            (2, "They may come back."),
        ]);
        assert_eq!(got, [Some("2021-08".into()), Some("2021-09".into()), None]);
    }

    #[test]
    fn the_paragraph_carries_its_date_never_to_the_day() {
        let got = dates(&[
            (0, "The attack on January 27, 2023, was grave."),
            (0, "It led to a suspension."),
            (1, "Nothing else is dated here."),
        ]);
        assert_eq!(
            got,
            [Some("2023-01-27".into()), Some("2023-01".into()), None]
        );
    }

    #[test]
    fn during_an_event_takes_its_year_and_the_present_is_read() {
        let mut c = Carrier::default();
        let mut date = |p: u32, s: &str| {
            c.date(p, &words(s, 0..s.len()), s)
                .date()
                .map(|d| d.to_string())
        };
        assert_eq!(date(0, "The war broke out in 2016."), Some("2016".into()));
        assert_eq!(
            date(1, "During the war, both sides talked."),
            Some("2016".into())
        );
        assert_eq!(
            date(2, "The attack on 4 May 2019 shocked many."),
            Some("2019-05-04".into())
        );
        assert_eq!(date(3, "Three years have passed since the attack."), None);
        assert_eq!(c.now().map(|n| n.0), Some(2022));
    }

    #[test]
    fn the_day_after_crosses_months_and_years_and_needs_a_day() {
        let day = |y, m, d| Date {
            year: y,
            month: Some(m),
            day: Some(d),
        };
        assert_eq!(day(2020, 12, 31).next_day(), Some(day(2021, 1, 1)));
        assert_eq!(day(2020, 2, 28).next_day(), Some(day(2020, 2, 29)));
        assert_eq!(Date::year(2020).next_day(), None);
    }

    #[test]
    fn an_event_the_text_never_dated_dates_nothing() {
        let got = dates(&[(0, "During the war, officials spoke.")]);
        assert_eq!(got, [None]);
    }
}
