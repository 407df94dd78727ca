//! The HTML report: one mark per record drawn and one link per pair drawn,
//! no request of any kind, and data that tries to be markup stays text.

use saydo::Settings;
use saydo::model::{ActorIx, Dataset};
use saydo::render::html;
use saydo::report::{Filters, Report, check};
use std::fs;
use std::path::Path;

fn load(root: &Path) -> Dataset {
    match saydo::load(root) {
        Ok(d) => d,
        Err(e) => panic!("{} does not load: {:?}", root.display(), e.problems),
    }
}

fn bundled() -> Dataset {
    load(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    html::write(report, &mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

/// Text as the page must write it: `& < > " ' = \``, U+2028 and U+2029 as
/// references, other control characters but tab and line breaks as U+FFFD.
fn escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '=' => out.push_str("&#61;"),
            '`' => out.push_str("&#96;"),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("&#x{:x};", c as u32)),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Actors that get a timeline: those acting for no one, with records.
fn principals(report: &Report<'_>) -> Vec<ActorIx> {
    report
        .actors
        .iter()
        .filter(|s| report.data.actors[s.actor as usize].roles.is_empty())
        .filter(|s| s.claims + s.actions > 0)
        .map(|s| s.actor)
        .collect()
}

/// Marks and links each timeline should draw, summed over timelines: a
/// record once per principal actor it speaks or acts for, a pair once per
/// principal actor its two records share.
fn expected(report: &Report<'_>) -> (usize, usize) {
    let data = report.data;
    let owners = principals(report);
    let on = |set: &[ActorIx]| set.iter().filter(|x| owners.contains(x)).count();
    let marks = (0..data.claims.len())
        .map(|c| on(report.claim_principals(c)))
        .chain((0..data.actions.len()).map(|a| on(report.action_principals(a))))
        .sum();
    let links = report
        .pairs
        .iter()
        .map(|p| {
            let does = report.action_principals(p.action as usize);
            let shared: Vec<ActorIx> = report
                .claim_principals(p.claim as usize)
                .iter()
                .copied()
                .filter(|x| does.contains(x))
                .collect();
            on(&shared)
        })
        .sum();
    (marks, links)
}

/// Every `src=`/`href=` value: `#` anchors and data URLs only, except
/// `<a href>` links to the given record URLs; no tag that loads anything.
fn assert_fetches_nothing(page: &str, record_urls: &[&str]) {
    for tag in [
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "<audio",
        "<video",
        "<source",
        "<base",
        "<form",
        "<meta http-equiv=\"refresh",
        "@import",
        "url(",
    ] {
        assert!(
            !page.to_ascii_lowercase().contains(tag),
            "the page has {tag}"
        );
    }
    assert_eq!(
        count(
            page,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        ),
        1
    );
    for attr in ["src=", "href="] {
        let mut from = 0;
        while let Some(at) = page[from..].find(attr) {
            let at = from + at;
            from = at + attr.len();
            let rest = &page[from..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split([' ', '>']).next().unwrap_or(""),
            };
            // Only markup counts; the same words inside text are escaped.
            let tag_start = page[..at].rfind('<').expect("inside a tag");
            assert!(
                !page[tag_start..at].contains('>'),
                "{attr} outside a tag at {at}"
            );
            let tag = &page[tag_start..at];
            let ok = value.starts_with('#')
                || value.starts_with("data:")
                || (attr == "href="
                    && tag.starts_with("<a ")
                    && record_urls.iter().any(|u| escaped(u) == value));
            assert!(ok, "{tag}{attr}{value:?} may fetch or navigate");
        }
    }
}

#[test]
fn bundled_report_draws_one_mark_per_record_and_one_link_per_pair() {
    let data = bundled();
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    let (marks, links) = expected(&report);
    // Iran (12 records), Azerbaijan (9) and the embassy attacker (1);
    // every one of the 13 pairs is Iran's or Azerbaijan's.
    assert_eq!((marks, links), (22, 13));
    assert_eq!(count(&page, "class=\"mark "), marks);
    assert_eq!(count(&page, "class=\"link "), links);
    assert_eq!(count(&page, "<svg class=\"tl\""), principals(&report).len());
    for (noun, records) in [("claim", &data.claims), ("action", &data.actions)] {
        for r in records.iter() {
            let mark = format!("class=\"mark {noun}\" data-id=\"{}\"", r.id);
            assert!(page.contains(&mark), "no mark for {}", r.id);
        }
    }
    for p in &report.pairs {
        let kind = p.verdict.kind().map(|k| format!(" {}", k.as_str()));
        let link = format!(
            "class=\"link {}{}\" data-claim=\"{}\" data-action=\"{}\"",
            p.verdict.as_str(),
            kind.unwrap_or_default(),
            data.claims[p.claim as usize].id,
            data.actions[p.action as usize].id
        );
        assert!(page.contains(&link), "no {link}");
    }
    assert_eq!(count(&page, "class=\"link contradiction duplicity\""), 5);
}

#[test]
fn timelines_come_most_contradicted_first() {
    let data = bundled();
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    let at = |actor: &str| {
        page.find(&format!("data-actor=\"{actor}\""))
            .unwrap_or_else(|| panic!("no timeline for {actor}"))
    };
    assert!(at("iran") < at("azerbaijan"));
    assert!(at("azerbaijan") < at("embassy-attacker"));
    // Actors who act for a state get no timeline of their own.
    for actor in ["khamenei", "raisi", "aliyev", "heydari", "ardabil-cleric"] {
        assert!(
            !page.contains(&format!("data-actor=\"{actor}\"")),
            "{actor}"
        );
    }
}

#[test]
fn records_show_text_and_quoted_source_with_line() {
    let data = bundled();
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    for r in data.claims.iter().chain(data.actions.iter()) {
        assert!(page.contains(&escaped(&r.text)), "text of {}", r.id);
        let e = r.extra();
        let (doc, line) = (e.document.as_deref().unwrap(), e.quote_line.unwrap());
        assert!(page.contains(&escaped(e.quote.as_deref().unwrap())));
        assert!(
            page.contains(&format!("{doc}, line {line}")),
            "source of {}",
            r.id
        );
    }
    // Reasons under the flagged pairs.
    assert!(page.contains("khamenei → iran (Supreme Leader, 1989-06-04–)"));
    assert!(page.contains("244 days after the words"));
}

#[test]
fn claims_say_what_they_are_about_and_others_say_nothing() {
    // tests/fixtures/about: c1 and c3 about the future, c2 about the past.
    let data = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/about"));
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    // In each claim's tooltip and in its cells of the tables.
    assert_eq!(count(&page, " · about the future\n"), 2, "{page}");
    assert_eq!(count(&page, " · about the past\n"), 1, "{page}");
    assert!(page.contains(r#"<span class="attr">about the future</span>"#));
    assert!(page.contains(r#"<span class="attr">about the past</span>"#));
    let data = bundled();
    let page = render(&check(&data, Settings::default(), Filters::default()));
    assert!(!page.contains("about the future") && !page.contains("about the past"));
}

#[test]
fn bundled_report_fetches_nothing_and_is_deterministic() {
    let data = bundled();
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    assert_fetches_nothing(&page, &[]);
    assert_eq!(count(&page, "<script"), 1);
    assert_eq!(page, render(&report));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
}

const EVIL: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// A dataset whose every string tries to be markup.
fn hostile(dir: &Path) {
    let put = |path: &str, text: &str| {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let js = |s: &str| serde_json::to_string(s).unwrap();
    let seed = format!("seeds/{BREAKOUT}.txt");
    put(&seed, &format!("They said {EVIL} out loud.\n"));
    put(
        "actors/actors.json",
        &format!(
            r#"[
  {{"id": "evil", "name": {}, "kind": "state", "aliases": [{}]}},
  {{"id": "victim", "name": "</style><b>victim</b>", "kind": "state"}},
  {{"id": "agent", "name": "]]> agent \u2028 x", "kind": "person",
    "acts_for": [{{"actor": "evil", "role": {}}}]}}
]"#,
            js(EVIL),
            js(BREAKOUT),
            js(BREAKOUT)
        ),
    );
    put(
        &format!("claims/{BREAKOUT}.json"),
        &format!(
            r#"[{{"id": "c1", "actor": "agent", "date": "2020", "target": "victim",
  "topics": [{}], "stance": 6,
  "text": {},
  "source": {{"document": {}, "quote": {}}},
  "notes": {}}}]"#,
            js(EVIL),
            js(&format!("{EVIL} {BREAKOUT} </style> ]]> \u{2028} end")),
            js(&seed),
            js(EVIL),
            js(&format!("</script>{EVIL} \u{2029}"))
        ),
    );
    let action = |id: &str, date: &str, effect: i32, text: &str, url: &str| {
        format!(
            r#"{{"id": "{id}", "actor": "evil", "date": "{date}", "target": "victim",
  "topics": [{}], "effect": {effect}, "attribution": "alleged",
  "text": {}, "source": {{"url": {}}}, "notes": "<svg onload=alert(1)>"}}"#,
            js(EVIL),
            js(text),
            js(url)
        )
    };
    put(
        "actions/actions.json",
        &format!(
            "[{},\n{},\n{}]",
            action("a1", "2021-03-04", -7, BREAKOUT, "javascript:alert(1)"),
            action(
                "a2",
                "2021-05",
                -3,
                "</style>",
                "  HTTPS://example.org/?a=1&b=\"><img src=x>  "
            ),
            action(
                "a3",
                "2021",
                -5,
                "]]>",
                "data:text/html,<script>alert(1)</script>"
            )
        ),
    );
}

#[test]
fn hostile_data_stays_inert() {
    let dir = tempfile::tempdir().unwrap();
    hostile(dir.path());
    let data = load(dir.path());
    let report = check(&data, Settings::default(), Filters::default());
    assert_eq!(report.pairs.len(), 3, "the hostile records must pair");
    let page = render(&report);
    let lower = page.to_ascii_lowercase();
    for bad in [
        "<script>alert",
        "<img",
        "onerror=",
        "onload=",
        "href=\"javascript:",
        "href=\"data:",
        "<svg onload",
        "]]>",
        "<b>victim",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad}");
    }
    assert_eq!(count(&lower, "<script"), 1, "only the template's script");
    assert_eq!(count(&lower, "</script"), 1);
    assert_eq!(count(&lower, "<style"), 1);
    assert_eq!(count(&lower, "</style"), 1);
    assert!(!page.contains('\u{2028}') && !page.contains('\u{2029}'));
    // The texts are there, as text.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        page.contains("javascript:alert(1)"),
        "a bad URL is shown as text"
    );
    // A web address is a link, escaped; the others are not.
    let https = "HTTPS://example.org/?a=1&b=\"><img src=x>";
    assert!(page.contains(&format!("<a class=\"ext\" href=\"{}\"", escaped(https))));
    assert_eq!(count(&page, "<a class=\"ext\""), 1);
    assert_fetches_nothing(&page, &[https]);
    // Marks and links still add up.
    let (marks, links) = expected(&report);
    assert_eq!((marks, links), (4, 3));
    assert_eq!(count(&page, "class=\"mark "), marks);
    assert_eq!(count(&page, "class=\"link "), links);
}

/// Writes `n` claims and `n` actions for one actor, claim i paired only
/// with action i (their own topic); every `every`-th pair contradicts.
fn many(dir: &Path, n: usize, every: usize) {
    fs::create_dir_all(dir.join("claims")).unwrap();
    fs::create_dir_all(dir.join("actions")).unwrap();
    let date = |i: usize| format!("{}-{:02}-{:02}", 2000 + i % 20, 1 + i % 12, 1 + i % 28);
    let mut claims = String::new();
    let mut actions = String::new();
    for i in 0..n {
        claims.push_str(&format!(
            "{{\"id\": \"c{i}\", \"actor\": \"state\", \"date\": \"{}\", \"topics\": [\"t{i}\"], \"stance\": 5, \"text\": \"words {i}\"}}\n",
            date(i)
        ));
        let effect = if i % every == 0 { -5 } else { 5 };
        actions.push_str(&format!(
            "{{\"id\": \"a{i}\", \"actor\": \"state\", \"date\": \"{}\", \"topics\": [\"t{i}\"], \"effect\": {effect}, \"text\": \"deed {i}\"}}\n",
            date(i)
        ));
    }
    fs::write(dir.join("claims/c.jsonl"), claims).unwrap();
    fs::write(dir.join("actions/a.jsonl"), actions).unwrap();
}

#[test]
fn a_long_timeline_scrolls_and_a_huge_one_draws_contradictions_only() {
    // 400 records: all drawn, wider than the page.
    let dir = tempfile::tempdir().unwrap();
    many(dir.path(), 200, 10);
    let data = load(dir.path());
    let report = check(&data, Settings::default(), Filters::default());
    assert_eq!(report.pairs.len(), 200);
    let page = render(&report);
    assert_eq!(count(&page, "class=\"mark "), 400);
    assert_eq!(count(&page, "class=\"link "), 200);
    assert!(page.contains("scroll sideways"));
    assert!(!page.contains("not drawn"));

    // 2200 records: only the 220 in the 110 contradictions are drawn.
    let dir = tempfile::tempdir().unwrap();
    many(dir.path(), 1100, 10);
    let data = load(dir.path());
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    assert_eq!(count(&page, "class=\"mark "), 220);
    assert_eq!(count(&page, "class=\"link "), 110);
    assert_eq!(count(&page, "class=\"link contradiction duplicity\""), 110);
    assert!(
        page.contains("1980 are not drawn"),
        "says how many are left out"
    );
}

#[test]
fn an_empty_dataset_gives_a_page_without_timelines() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("claims")).unwrap();
    fs::create_dir_all(dir.path().join("actions")).unwrap();
    fs::write(dir.path().join("claims/c.json"), "[]").unwrap();
    fs::write(dir.path().join("actions/a.json"), "[]").unwrap();
    let data = load(dir.path());
    let report = check(&data, Settings::default(), Filters::default());
    let page = render(&report);
    assert_eq!(count(&page, "class=\"mark "), 0);
    assert_eq!(count(&page, "<svg class=\"tl\""), 0);
    assert!(page.contains("0 pairs"));
}

#[test]
fn too_many_pairs_link_only_the_contradictions() {
    // 80 general claims × 80 actions in one year: 6400 pairs, of which the
    // 80 with the one hostile action contradict.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("claims")).unwrap();
    fs::create_dir_all(dir.path().join("actions")).unwrap();
    let (mut claims, mut actions) = (String::new(), String::new());
    for i in 0..80 {
        claims.push_str(&format!(
            "{{\"id\": \"c{i}\", \"actor\": \"state\", \"date\": \"2020-{:02}\", \"stance\": 5, \"text\": \"words\"}}\n",
            1 + i % 12
        ));
        let effect = if i == 0 { -5 } else { 5 };
        actions.push_str(&format!(
            "{{\"id\": \"a{i}\", \"actor\": \"state\", \"date\": \"2020-{:02}\", \"effect\": {effect}, \"text\": \"deed\"}}\n",
            1 + i % 12
        ));
    }
    fs::write(dir.path().join("claims/c.jsonl"), claims).unwrap();
    fs::write(dir.path().join("actions/a.jsonl"), actions).unwrap();
    let data = load(dir.path());
    let report = check(&data, Settings::default(), Filters::default());
    assert_eq!(report.pairs.len(), 6400);
    let page = render(&report);
    assert_eq!(count(&page, "class=\"mark "), 160);
    assert_eq!(count(&page, "class=\"link "), 80);
    assert!(page.contains("6320 consistent, reciprocal or neutral pairs are not drawn"));
}
