//! Property tests of the invariants the README promises: severity stays in
//! (0, 1] and moves the right way with each input, and arbitrary text
//! survives JSON and CSV round trips (in CSV with its control characters
//! escaped for terminals) and never breaks out of HTML text or
//! attributes, XML, or the terminal.

use proptest::prelude::*;
use saydo::date::PartialDate;
use saydo::model::Attribution;
use saydo::score::{factors, severity};

fn date() -> impl Strategy<Value = PartialDate> {
    prop_oneof![
        (1990i32..2030).prop_map(|y| format!("{y}")),
        (1990i32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
    .prop_map(|s| PartialDate::parse(&s).unwrap())
}

fn attribution() -> impl Strategy<Value = Attribution> {
    prop_oneof![
        Just(Attribution::Confirmed),
        Just(Attribution::Reported),
        Just(Attribution::Alleged),
        Just(Attribution::Disputed)
    ]
}

fn sev(s: f64, e: f64, a: Attribution, c: &PartialDate, x: &PartialDate) -> f64 {
    severity(&factors(s, e, a, c, x))
}

proptest! {
    #[test]
    fn severity_is_in_bounds(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), x in date()) {
        let v = sev(s, e, a, &c, &x);
        prop_assert!(v > 0.0 && v <= 1.0, "{v}");
    }

    #[test]
    fn severity_never_falls_with_stronger_words_or_deeds(
        s in -10.0f64..=10.0, e in -10.0f64..=10.0, more in 0.0f64..5.0, a in attribution(), c in date(), x in date(),
    ) {
        let base = sev(s, e, a, &c, &x);
        let louder_words = sev((s.abs() + more).min(10.0) * s.signum(), e, a, &c, &x);
        let harder_deed = sev(s, (e.abs() + more).min(10.0) * e.signum(), a, &c, &x);
        prop_assert!(louder_words >= base && harder_deed >= base);
    }

    #[test]
    fn severity_never_rises_with_weaker_attribution(s in -10.0f64..=10.0, e in -10.0f64..=10.0, c in date(), x in date()) {
        let by: Vec<f64> = [Attribution::Confirmed, Attribution::Reported, Attribution::Alleged, Attribution::Disputed]
            .into_iter()
            .map(|a| sev(s, e, a, &c, &x))
            .collect();
        prop_assert!(by.windows(2).all(|w| w[0] >= w[1]), "{by:?}");
    }

    #[test]
    fn severity_never_rises_with_distance(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), days in 0i32..2000, more in 1i32..400) {
        // The same deed (a day-precision date after the words), later.
        let day = |n: i32| PartialDate { first: c.last + n, last: c.last + n, precision: saydo::date::Precision::Day };
        prop_assert!(sev(s, e, a, &c, &day(days + more)) <= sev(s, e, a, &c, &day(days)));
    }

    #[test]
    fn text_round_trips_through_json(text in "\\PC*|[\"\\\\\u{0}-\u{1f}\u{2028}<>&]*") {
        let json = serde_json::to_string(&text).unwrap();
        prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn text_round_trips_through_csv_escaped_and_never_starts_a_formula(text in "\\PC*|[=+\\-@\t\r\n,\"'\u{1b}\u{9b}\u{202e}]*") {
        let cell = saydo::render::csv::text_cell(&text).into_owned();
        prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']));
        prop_assert!(!cell.chars().any(saydo::render::problems::unsafe_in_terminal), "{cell:?}");
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([cell.as_str(), "x"]).unwrap();
        let bytes = w.into_inner().unwrap();
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
        let row = r.records().next().unwrap().unwrap();
        let back = row.get(0).unwrap();
        let original = back.strip_prefix('\'').unwrap_or(back);
        prop_assert_eq!(original, saydo::render::problems::inert(&text));
    }

    #[test]
    fn text_never_breaks_out_of_html(text in "\\PC*|[<>&\"'`=/ a-z]*") {
        let escaped = saydo::render::html::escape(&text);
        prop_assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        // Inside an attribute value or as text, the escaped form reads back as the text.
        let back = escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#96;", "`")
            .replace("&#61;", "=")
            .replace("&#x2028;", "\u{2028}")
            .replace("&#x2029;", "\u{2029}")
            .replace("&amp;", "&");
        prop_assert_eq!(back, text);
    }

    #[test]
    fn only_web_addresses_become_links(url in "\\PC*") {
        if let Some(link) = saydo::render::html::web_url(&url) {
            let lower = link.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
        }
    }

    #[test]
    fn text_never_carries_control_characters_to_a_terminal(text in "\\PC*|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}a]*") {
        let shown = saydo::render::problems::inert(&text);
        prop_assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown:?}");
    }

    #[test]
    fn text_never_breaks_out_of_xml(text in "\\PC*|[<>&\"'\u{0}-\u{1f}\u{fffe}]*") {
        let escaped = saydo::render::junit::escape_attr(&text);
        let doc = format!("<a b=\"{escaped}\">{}</a>", saydo::render::junit::escape_text(&text));
        let mut reader = quick_xml::Reader::from_str(&doc);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => prop_assert!(false, "{e}: {doc:?}"),
            }
        }
    }
}
