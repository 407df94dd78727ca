//! Every escape the printers apply to text from a dataset, in one place.
//!
//! A dataset is untrusted input: its ids, names, texts, topics, roles and
//! file names reach terminals, CI logs, workflow commands, spreadsheets,
//! Markdown and HTML pages, XML and SARIF viewers. Each function here makes
//! text safe for one of those destinations and says what it protects
//! against. Printers escape through these functions only, so that what
//! reaches where can be reviewed in this one file; the HTML report's
//! templates escape through [`HtmlEscaper`].
//! (JSON strings, in the JSON, JSON Lines and SARIF reports, are escaped as
//! `serde_json` escapes them: JSON needs nothing of its own.)

use std::borrow::Cow;
use std::fmt::{self, Write as _};

// ---------------------------------------------------------------------------
// Terminals and CI logs.

/// Whether a character acts on a terminal or a log rather than showing:
/// a control character (C0, DEL, C1) or a bidirectional override, embedding,
/// isolate or mark, which can make text read differently from what it is.
pub fn unsafe_in_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Text from data made safe for a terminal or CI log: control characters
/// (escape sequences, line breaks that could start a forged workflow
/// command, C1 controls) and bidirectional overrides are written as
/// visible escapes such as `\u{1b}`.
pub fn inert(text: &str) -> String {
    inert_cow(text).into_owned()
}

/// [`inert`], borrowing text that needs no escape (nearly all of it).
pub fn inert_cow(text: &str) -> Cow<'_, str> {
    // Every character escaped is ASCII or starts with 0xC2 (C1 controls)
    // or 0xE2 (the bidirectional marks): a byte scan rules most text out.
    let maybe = |b: &u8| *b < 0x20 || *b == 0x7F || *b == 0xC2 || *b == 0xE2;
    if !text.as_bytes().iter().any(maybe) || !text.chars().any(unsafe_in_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_in_terminal(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character of a source line shown above a caret: tabs, control
/// characters and bidirectional overrides become one visible character
/// each, so that nothing acts on the terminal and the caret stays under
/// the right column.
pub fn snippet_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if unsafe_in_terminal(c) => '\u{FFFD}',
        c => c,
    }
}

// ---------------------------------------------------------------------------
// GitHub Actions workflow commands.

/// Escapes a workflow command's message (`escapeData` of `@actions/core`):
/// `%`, CR and LF become `%25`, `%0D` and `%0A`, so that no text can end
/// the command and start a second one on a line of its own.
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (`escapeProperty` of
/// `@actions/core`): as [`github_data`], and `:` and `,` become `%3A` and
/// `%2C`, so that no value can end the properties or add one.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

// ---------------------------------------------------------------------------
// Markdown.

/// Makes data safe as inline Markdown and inside a table cell: Markdown's
/// punctuation (`\ | ` * _ [ ] # ~ $ @`) is backslash-escaped, `<`, `>` and
/// `&` become entities (so no raw HTML tag can appear), line breaks and
/// other control characters become spaces (a CR LF pair one space), and
/// bidirectional overrides, which would make the page (or the terminal it
/// is printed in) read differently from the data, are written as visible
/// escapes such as `\u{202e}`. So a text can neither break a table, nor
/// start a heading, emphasis or code span, nor inject HTML, a link or an
/// image.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c if unsafe_in_terminal(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// CSV for spreadsheets.

/// Characters that make a spreadsheet read a cell as a formula (OWASP).
pub const CSV_FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV text cell from the data, defused. Against escape sequences and
/// forged workflow commands when the file is printed, control characters
/// and bidirectional overrides are escaped ([`inert`]); against formula
/// injection, a leading apostrophe is added when the text starts with a
/// formula character, so that a spreadsheet shows the cell as text rather
/// than running it (or with an apostrophe, so that stripping one leading
/// apostrophe always gives the escaped text back).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let text = inert_cow(text);
    // Every such character is ASCII, so the first byte tells, without
    // decoding a character: every text cell of every row is checked.
    let first = text.as_bytes().first().copied().map(char::from);
    if first.is_some_and(|c| CSV_FORMULA_STARTS.contains(&c) || c == '\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

// ---------------------------------------------------------------------------
// XML (JUnit).

/// Whether a character may appear in an XML 1.0 document.
fn allowed_in_xml(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Appends `s` escaped for XML 1.0 character data or (with `attribute`) a
/// double- or single-quoted attribute value. Against markup, `&`, `<` and
/// `>` become references everywhere and quotes in attribute values;
/// against a document XML readers refuse, characters XML 1.0 forbids
/// become U+FFFD; against a document that acts when printed in a CI log
/// or terminal, C1 controls, bidirectional overrides and line breaks
/// become character references, which XML readers take for the
/// characters themselves. Line breaks are escaped in both: in text they
/// would come from the data, saydo's own being written between escaped
/// lines.
fn xml_into(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Quotes matter only inside attribute values; text keeps them
            // as written, to stay readable.
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // A literal CR would be read back as LF.
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            // Attribute values would have tabs normalised to spaces.
            '\t' if attribute => out.push_str("&#9;"),
            c if !allowed_in_xml(c) => out.push('\u{FFFD}'),
            c if c != '\t' && unsafe_in_terminal(c) => {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// `s` escaped for XML text (see `xml_into` for what it protects against).
#[cfg(test)]
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_into(&mut out, s, false);
    out
}

/// Lines escaped for XML text one by one ([`xml_text`]), joined with line
/// breaks: the only raw line breaks in the text are saydo's own.
pub fn xml_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        xml_into(&mut out, line, false);
    }
    out
}

/// `s` escaped for a quoted XML attribute value (see `xml_into`).
pub fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_into(&mut out, s, true);
    out
}

// ---------------------------------------------------------------------------
// HTML.

/// Writes text from the dataset escaped for HTML text and quoted attribute
/// values: `& < > " '` become references, so no text can open a tag or
/// leave an attribute value; so do `=`, `` ` ``, U+2028 and U+2029; and
/// control characters other than tab and line breaks become U+FFFD.
fn write_html<W: fmt::Write>(mut f: W, s: &str) -> fmt::Result {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let with = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            // Not needed for safety inside quoted values, but it keeps
            // `onerror=` and the like from appearing even as text.
            '=' => "&#61;",
            '`' => "&#96;",
            '\u{2028}' => "&#x2028;",
            '\u{2029}' => "&#x2029;",
            '\n' | '\t' | '\r' => continue,
            c if c.is_control() => "\u{FFFD}",
            _ => continue,
        };
        f.write_str(&s[last..i])?;
        f.write_str(with)?;
        last = i + c.len_utf8();
    }
    f.write_str(&s[last..])
}

/// The escaper of the HTML report's templates (`askama.toml` names it for
/// `.html` templates): every value a template prints is escaped as
/// [`write_html`] says unless the template marks it `|safe`.
#[derive(Clone, Copy, Debug)]
pub struct HtmlEscaper;

impl askama::filters::Escaper for HtmlEscaper {
    fn write_escaped_str<W: fmt::Write>(&self, dest: W, s: &str) -> fmt::Result {
        write_html(dest, s)
    }
}

/// `s` escaped as [`write_html`] says.
#[cfg(test)]
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = write_html(&mut out, s);
    out
}

/// The URL to link to, when `url` is a web address (`http://` or
/// `https://`, any case, after trimming); anything else is shown as text,
/// so that no `javascript:` or `data:` URL from the data becomes a link.
pub fn web_url(url: &str) -> Option<&str> {
    let t = url.trim();
    let starts =
        |p: &str| t.len() >= p.len() && t.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    (starts("http://") || starts("https://")).then_some(t)
}

// ---------------------------------------------------------------------------
// SARIF.

/// A SARIF message string. SARIF reads `{0}`, `{1}` … in a message as
/// placeholders for arguments (§3.11.5), so literal braces, which record
/// texts and names may hold, are doubled: `{0}` is written `{{0}}` and a
/// viewer shows `{0}` rather than an argument.
pub fn sarif_message(s: String) -> String {
    if !s.contains(['{', '}']) {
        return s;
    }
    s.replace('{', "{{").replace('}', "}}")
}

/// Percent-encodes every byte a URI path may not hold literally: anything
/// but unreserved characters, sub-delimiters, `@` and `/`. So a space, `%`,
/// `#`, `?`, `:` (which would read as a scheme), and non-ASCII all become
/// `%XX` of their bytes: UTF-8, or the raw bytes of a file name that is
/// not UTF-8. A file name cannot end the path, add a query or fragment, or
/// make the reference absolute.
pub fn uri_path(path: impl AsRef<[u8]>) -> String {
    const KEEP: &[u8] = b"-._~!$&'()*+,;=@/";
    let path = path.as_ref();
    let mut out = String::with_capacity(path.len());
    for &b in path {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_follows_actions_core() {
        assert_eq!(github_data("100% a\r\nb::c,d"), "100%25 a%0D%0Ab::c,d");
        assert_eq!(
            github_property("a, b: c.json%0A\n"),
            "a%2C b%3A c.json%250A%0A"
        );
    }

    #[test]
    fn markdown_escaping_neutralises_markdown_and_html() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("[x](http://y)"), "\\[x\\](http://y)");
        assert_eq!(
            markdown("*b* _i_ `c` # ~s~"),
            "\\*b\\* \\_i\\_ \\`c\\` \\# \\~s\\~"
        );
        assert_eq!(markdown("a\\b"), "a\\\\b");
        assert_eq!(markdown("one\ntwo\r\nthree\rfour"), "one two three four");
        assert_eq!(markdown("AT&T"), "AT&amp;T");
        assert_eq!(markdown("سلام 🚀"), "سلام 🚀");
        assert_eq!(markdown("a\u{202e}b\u{9b}c"), "a\\u{202e}b c");
    }

    #[test]
    fn csv_formula_starts_get_an_apostrophe_and_nothing_else_does() {
        for (raw, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            // Escaped, a tab or CR no longer starts the cell.
            ("\tx", "\\u{9}x"),
            ("\rx", "\\u{d}x"),
            ("=a\u{1b}[2J\n::error::x", "'=a\\u{1b}[2J\\u{a}::error::x"),
            ("a\u{202e}b", "a\\u{202e}b"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("'quoted", "''quoted"),
            ("", ""),
            ("سلام", "سلام"),
        ] {
            assert_eq!(csv_cell(raw), cell, "{raw:?}");
        }
    }

    #[test]
    fn xml_escaping_covers_markup_quotes_and_forbidden_characters() {
        assert_eq!(
            xml_text("<a href=\"x\">&'</a> ]]>"),
            "&lt;a href=\"x\"&gt;&amp;'&lt;/a&gt; ]]&gt;"
        );
        assert_eq!(
            xml_attr("\"it's\" <&>"),
            "&quot;it&apos;s&quot; &lt;&amp;&gt;"
        );
        assert_eq!(
            xml_text("a\u{1}b\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}"),
            "a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(xml_text("line\nnext\r\tend"), "line&#10;next&#13;\tend");
        assert_eq!(xml_lines(&["a\nb".into(), "c".into()]), "a&#10;b\nc");
        assert_eq!(
            xml_text("\u{1b}[2J\u{9b}31m\u{202e}x\u{85}"),
            "\u{FFFD}[2J&#x9B;31m&#x202E;x&#x85;"
        );
        assert_eq!(xml_attr("line\nnext\tend"), "line&#10;next&#9;end");
        assert_eq!(xml_text("Azərbaycan 🙂"), "Azərbaycan 🙂");
    }

    #[test]
    fn html_escaping_covers_markup_quotes_and_line_separators() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>\u{2028}\u{2029}"),
            "&lt;a href&#61;&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;&#x2028;&#x2029;"
        );
        assert_eq!(html("a\u{0}b\nc"), "a\u{FFFD}b\nc");
        assert_eq!(html("plain café"), "plain café");
    }

    #[test]
    fn only_web_addresses_are_links() {
        for (url, link) in [
            ("https://example.org/a", Some("https://example.org/a")),
            ("  HTTP://example.org ", Some("HTTP://example.org")),
            ("javascript:alert(1)", None),
            (" JavaScript:alert(1)", None),
            ("data:text/html,<b>", None),
            ("//example.org", None),
            ("http:", None),
            ("example.org", None),
        ] {
            assert_eq!(web_url(url), link, "{url}");
        }
    }

    #[test]
    fn sarif_messages_double_their_braces() {
        assert_eq!(sarif_message("a {0} }{".into()), "a {{0}} }}{{");
        assert_eq!(sarif_message("plain".into()), "plain");
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("claims/land.json"), "claims/land.json");
        assert_eq!(
            uri_path("claims/say #1 100%?.json"),
            "claims/say%20%231%20100%25%3F.json"
        );
        assert_eq!(uri_path("a:b/é"), "a%3Ab/%C3%A9");
        assert_eq!(uri_path(b"claims/\xFF\xFE.json"), "claims/%FF%FE.json");
    }
}

/// No escaped text breaks out of where it is written.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Undoes [`github_data`] and [`github_property`]: every `%` they
    /// write starts one of these codes, so `%25` is undone last.
    fn github_unescape(s: &str) -> String {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }

    /// Whether some `|` in `s` is not escaped by an odd run of `\`.
    fn has_bare_bar(s: &str) -> bool {
        let mut backslashes = 0;
        for c in s.chars() {
            match c {
                '\\' => backslashes += 1,
                '|' if backslashes % 2 == 0 => return true,
                _ => backslashes = 0,
            }
            if c != '\\' {
                backslashes = 0;
            }
        }
        false
    }

    proptest! {
        #[test]
        fn github_escaping_round_trips_and_leaves_no_separator(s in "\\PC*|[%:,\r\n a]*") {
            let escaped = github_property(&s);
            prop_assert!(!escaped.contains([':', ',', '\r', '\n']));
            prop_assert_eq!(github_unescape(&escaped), s.clone());
            let data = github_data(&s);
            prop_assert!(!data.contains(['\r', '\n']));
            prop_assert_eq!(github_unescape(&data), s);
        }

        #[test]
        fn markdown_escaping_leaves_no_bar_break_or_tag(s in "\\PC*|[|\\\\<>\r\n`a]*") {
            let escaped = markdown(&s);
            prop_assert!(!has_bare_bar(&escaped), "{escaped:?}");
            prop_assert!(!escaped.contains(['\r', '\n', '<', '>']));
        }

        #[test]
        fn text_never_breaks_out_of_html(text in "\\PC*|[<>&\"'`=/ a-z]*") {
            let escaped = html(&text);
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
            if let Some(link) = web_url(&url) {
                let lower = link.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
            }
        }

        #[test]
        fn text_never_carries_control_characters_to_a_terminal(text in "\\PC*|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}a]*") {
            let shown = inert(&text);
            prop_assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown:?}");
        }

        #[test]
        fn text_never_breaks_out_of_xml(text in "\\PC*|[<>&\"'\u{0}-\u{1f}\u{fffe}]*") {
            let escaped = xml_attr(&text);
            let doc = format!("<a b=\"{escaped}\">{}</a>", xml_text(&text));
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
}
