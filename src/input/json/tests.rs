//! The JSON reader's tests: spans, limits, syntax errors, and any text
//! read or refused without a panic.

use super::*;

fn skip_all(text: &str) -> Result<Range<usize>> {
    let mut r = Reader::new(text);
    let span = r.skip()?;
    r.finish()?;
    Ok(span)
}

#[test]
fn accepts_valid_documents() {
    for text in [
        "{}",
        "[]",
        r#"{"a": [1, -2.5e3, true, false, null, "x\"\u00e9\ud83d\ude00"]}"#,
        " [ {\"k\" : {} } ] ",
        "0",
        "-0.0E+1",
    ] {
        assert!(skip_all(text).is_ok(), "{text}");
    }
}

#[test]
fn rejects_invalid_documents_at_the_right_byte() {
    for (text, at) in [
        ("[1,]", 2),
        ("{\"a\" 1}", 5),
        ("[01]", 2),
        ("[1.]", 3),
        ("\"abc", 0),
        ("[\"a\nb\"]", 3),
        ("{\"a\":1,}", 6),
        ("[1 2]", 3),
        ("tru", 0),
        ("\"\\x\"", 1),
        ("\"\\ud800\"", 1),
        ("[", 1),
        ("{} x", 3),
    ] {
        let err = skip_all(text).expect_err(text);
        assert_eq!(err.at.start, at, "{text}: {}", err.message);
    }
}

#[test]
fn strings_borrow_unless_escaped() {
    let mut r = Reader::new(r#""plain""#);
    assert!(matches!(r.string().unwrap().0, Cow::Borrowed("plain")));
    let mut r = Reader::new(r#""a\tb\u0041""#);
    let (s, span) = r.string().unwrap();
    assert_eq!(s, "a\tbA");
    assert_eq!(span, 0..12);
}

#[test]
fn nesting_is_limited_without_recursion() {
    let deep = "[".repeat(100_000);
    let err = skip_all(&deep).unwrap_err();
    assert!(err.too_deep);
    assert_eq!(err.at.start, MAX_DEPTH as usize);
}

#[test]
fn numbers_parse_to_f64() {
    let mut r = Reader::new("-12.5e1");
    assert_eq!(r.number().unwrap(), (-125.0, 0..7));
    let mut r = Reader::new("1e999");
    assert!(r.number().unwrap().0.is_infinite());
}

#[test]
fn iterates_objects_and_arrays() {
    let mut r = Reader::new(r#"{"a": [1, 2], "b": "x"}"#);
    let mut obj = r.object().unwrap();
    let mut keys = Vec::new();
    while let Some((k, _)) = r.next_key(&mut obj).unwrap() {
        keys.push(k.into_owned());
        r.skip().unwrap();
    }
    assert_eq!(keys, ["a", "b"]);
    r.finish().unwrap();
}

/// Any JSON-like text is read or refused, never a panic.
mod properties {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_json_like_text_never_panics_the_reader(text in "[\\[\\]{}\",:0-9a-z\\\\ \\-.eE\\n]{0,200}") {
            let mut r = Reader::new(&text);
            if r.skip().is_ok() {
                let _ = r.finish();
            }
        }
    }
}
