//! Arbitrary UTF-8 text to `saydo::internals::json::Reader`: `skip` then `finish` never
//! panic, every span (a value's or an error's) lies within the input on
//! character boundaries, and the reader agrees with serde_json on which
//! texts are one JSON value (except for nesting deeper than
//! `saydo::internals::json::MAX_DEPTH`, which saydo refuses, and numbers too large for
//! f64, which serde_json refuses). Objects are also read as a claim, an
//! action and an actor with `FieldReader`, whose problems must lie within
//! the input too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saydo::internals::json::Reader;
use saydo::internals::records::{FieldReader, RecordKind};
use saydo::internals::source::FileId;
use std::ops::Range;

fn within(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut r = Reader::new(text);
    let outcome = r.skip().and_then(|span| {
        within(text, &span, "skip");
        r.finish().map(|()| span)
    });
    let too_deep = match &outcome {
        Ok(span) => {
            // The value's span covers the text less surrounding whitespace.
            let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
            let inner = text.trim_matches(ws);
            assert_eq!(&text[span.clone()], inner, "span of the whole value");
            false
        }
        Err(e) => {
            within(text, &e.at, &e.message);
            assert!(!e.message.is_empty());
            e.too_deep
        }
    };
    if !too_deep {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => assert!(
                outcome.is_ok(),
                "serde_json accepts what saydo rejects: {:?}",
                outcome.err()
            ),
            Err(e) => {
                let msg = e.to_string();
                let limit = msg.contains("number out of range") || msg.contains("recursion limit");
                assert!(
                    outcome.is_err() || limit,
                    "saydo accepts what serde_json rejects: {msg}"
                );
            }
        }
    }

    // Objects as records: every problem within the input.
    if text.trim_start().starts_with('{') {
        for kind in [Some(RecordKind::Claim), Some(RecordKind::Action), None] {
            let mut diags = Vec::new();
            let mut fr = FieldReader::new(Reader::new(text), 0, FileId(0), &mut diags);
            let _ = fr.r.peek();
            let res = match kind {
                Some(k) => fr.record(k).map(|_| ()),
                None => fr.actor().map(|_| ()),
            };
            if let Err(e) = res {
                within(text, &e.at, &e.message);
            }
            for d in &diags {
                within(text, &d.span, &d.message);
            }
        }
    }
});
