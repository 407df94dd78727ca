//! One JSON object → one raw record, with every field's span.
//!
//! The reader here checks each field's JSON type and value (dates, scores,
//! ids, enumerations) and pushes a [`Diagnostic`] for each problem, skipping
//! a wrong value and carrying on, so a record with three problems yields
//! three messages. Names are not resolved yet: that needs every actor
//! (see [`crate::load`]).

use crate::date::PartialDate;
use crate::diag::{Code, Diagnostic};
use crate::input::json::{Kind, Reader};
use crate::input::source::FileId;
use crate::model::{ActorKind, Attribution, is_valid_id};
use crate::suggest;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

/// Longest string value accepted, in bytes. Record texts are sentences;
/// a megabyte is a mistake (or an attack), not a claim.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Most items accepted in one list (aliases, topics, acts_for, responds_to).
pub const MAX_LIST_ITEMS: usize = 10_000;

/// A string value and where it is.
pub type Spanned<T> = (T, Range<usize>);

/// What a claim or action file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Claim,
    Action,
}

impl RecordKind {
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Claim => "claim",
            RecordKind::Action => "action",
        }
    }
    fn score_field(self) -> &'static str {
        match self {
            RecordKind::Claim => "stance",
            RecordKind::Action => "effect",
        }
    }
}

/// A claim or action as written, before names are resolved. Strings are
/// borrowed from the file's text unless they held escapes.
#[derive(Debug, Default, PartialEq)]
pub struct RawRecord<'a> {
    /// Span of the opening `{`.
    pub start: usize,
    pub id: Option<Spanned<Cow<'a, str>>>,
    pub actor: Option<Spanned<Cow<'a, str>>>,
    pub target: Option<Spanned<Cow<'a, str>>>,
    pub date: Option<PartialDate>,
    pub text: Option<Cow<'a, str>>,
    pub score: Option<f64>,
    pub attribution: Option<Attribution>,
    /// As written (not normalised).
    pub topics: Vec<Cow<'a, str>>,
    pub responds_to: Vec<Spanned<Cow<'a, str>>>,
    pub document: Option<Spanned<Cow<'a, str>>>,
    pub quote: Option<Spanned<Cow<'a, str>>>,
    pub url: Option<Cow<'a, str>>,
    pub notes: Option<Cow<'a, str>>,
    /// Whether a problem was found in the record itself.
    pub broken: bool,
}

/// One pass over a claim or action of the usual shape: known fields of its
/// kind, each once; strings (escaped ones decoded by the spanned reader);
/// numbers; arrays of strings; `source`; `null` where the field allows it;
/// unknown fields skipped unless they look like a typo; every required
/// field present and valid. Reading such a record field by field took
/// some twenty calls of the spanned reader, each more bookkeeping than
/// work: 28% of the instructions of a JSON check. Anything else (a wrong
/// type, a value out of range, a duplicate, a field that looks like a typo,
/// a syntax error) gives `None`, and the record is read again field by
/// field, which reports what is wrong. What `record` returns is exactly
/// what reading field by field returns; property tests hold the two
/// together.
struct Quick<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    at: usize,
    /// The spanned reader's depth inside the record (nesting is limited).
    depth: u32,
}

impl<'a> Quick<'a> {
    /// Starts where `r` is, before a record's `{`.
    fn at(r: &Reader<'a>) -> Self {
        Quick {
            text: r.text(),
            bytes: r.text().as_bytes(),
            at: r.pos(),
            depth: r.depth() + 1,
        }
    }

    /// The record, with its topics in `topics` (empty).
    fn record(&mut self, kind: RecordKind, topics: Vec<Cow<'a, str>>) -> Option<RawRecord<'a>> {
        let mut rec = RawRecord {
            topics,
            ..RawRecord::default()
        };
        let mut seen = 0u32;
        self.byte(b'{')?;
        loop {
            let (key, _) = self.string()?;
            let Some(field) = Field::of(&key).filter(|f| f.belongs_to(kind)) else {
                // Another kind's field, or the dataset's own annotation,
                // unless it looks like a typo (which is reported).
                let known = match kind {
                    RecordKind::Claim => CLAIM_FIELDS,
                    RecordKind::Action => ACTION_FIELDS,
                };
                let score = matches!(Field::of(&key), Some(Field::Stance | Field::Effect));
                if !score && near_field(&key, known).is_some() {
                    return None;
                }
                self.byte(b':')?;
                self.skip_value()?;
                if self.next_member(b'}')? {
                    continue;
                }
                break;
            };
            if seen & field.bit() != 0 {
                return None;
            }
            seen |= field.bit();
            self.byte(b':')?;
            match field {
                Field::Id => {
                    let (id, span) = self.string()?;
                    is_valid_id(&id).then_some(())?;
                    rec.id = Some((id, span));
                }
                Field::Actor => rec.actor = Some(self.string()?),
                Field::Target => rec.target = self.or_null(Self::string)?,
                Field::Date => rec.date = Some(PartialDate::parse(&self.string()?.0).ok()?),
                Field::Text => rec.text = Some(self.string()?.0),
                Field::Notes => rec.notes = self.or_null(Self::string)?.map(|s| s.0),
                Field::Topics => {
                    self.strings(|s, _| rec.topics.push(s))?;
                }
                Field::RespondsTo => {
                    self.strings(|s, span| rec.responds_to.push((s, span)))?;
                }
                Field::Stance | Field::Effect => {
                    let score = self.number()?;
                    (-10.0..=10.0).contains(&score).then_some(())?;
                    rec.score = Some(score);
                }
                Field::Attribution => {
                    rec.attribution = match self.or_null(Self::string)? {
                        Some((s, _)) => Some(Attribution::parse(&s)?),
                        None => None,
                    };
                }
                Field::Source => {
                    if let Some(()) = self.or_null(|_| Some(()))? {
                        self.source(&mut rec)?;
                    }
                }
            }
            if !self.next_member(b'}')? {
                break;
            }
        }
        let score = match kind {
            RecordKind::Claim => Field::Stance,
            RecordKind::Action => Field::Effect,
        };
        let required = [Field::Id, Field::Actor, Field::Date, Field::Text, score];
        required.iter().all(|f| seen & f.bit() != 0).then_some(rec)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Consumes `byte` after any whitespace.
    fn byte(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.bytes.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// After a member: true after a comma, false after `close`.
    fn next_member(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        match b {
            b',' => Some(true),
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// A string of at most [`MAX_STRING_BYTES`] and its span (quotes
    /// included); one with escapes is decoded by the spanned reader.
    fn string(&mut self) -> Option<Spanned<Cow<'a, str>>> {
        self.skip_ws();
        let start = self.at;
        (self.bytes.get(start) == Some(&b'"')).then_some(())?;
        let len = crate::perf::first_special(self.bytes.get(start + 1..)?)?;
        let end = start + 1 + len;
        let (s, span) = if self.bytes[end] == b'"' {
            (
                Cow::Borrowed(self.text.get(start + 1..end)?),
                start..end + 1,
            )
        } else {
            self.reader().string().ok()?
        };
        (s.len() <= MAX_STRING_BYTES).then_some(())?;
        self.at = span.end;
        Some((s, span))
    }

    /// The spanned reader, at the next byte, as deep as reading field by
    /// field would be there.
    fn reader(&self) -> Reader<'a> {
        Reader::nested(self.text, self.at, self.depth)
    }

    /// Skips any value, by the spanned reader's rules.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        let mut r = self.reader();
        self.at = r.skip().ok()?.end;
        Some(())
    }

    /// A `source` object: `document`, `quote` and `url`, each at most once.
    fn source(&mut self, rec: &mut RawRecord<'a>) -> Option<()> {
        self.byte(b'{')?;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(());
        }
        let mut seen = [false; 3];
        loop {
            let (key, _) = self.string()?;
            let which = SOURCE_FIELDS.iter().position(|f| *f == key)?;
            if std::mem::replace(&mut seen[which], true) {
                return None;
            }
            self.byte(b':')?;
            let value = self.or_null(Self::string)?;
            match which {
                0 => rec.document = value,
                1 => rec.quote = value,
                _ => rec.url = value.map(|s| s.0),
            }
            if !self.next_member(b'}')? {
                return Some(());
            }
        }
    }

    /// `Some(None)` for `null`, else what `value` reads.
    fn or_null<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        self.skip_ws();
        if self.bytes[self.at..].starts_with(b"null") {
            self.at += 4;
            return Some(None);
        }
        value(self).map(Some)
    }

    /// A number, read by the spanned reader's own rules.
    fn number(&mut self) -> Option<f64> {
        self.skip_ws();
        let (value, span) = self.reader().number().ok()?;
        self.at = span.end;
        Some(value)
    }

    /// An array of strings (or `null`, for none), each handed to `each`.
    fn strings(&mut self, mut each: impl FnMut(Cow<'a, str>, Range<usize>)) -> Option<()> {
        if self.or_null(|_| Some(()))?.is_none() {
            return Some(());
        }
        self.byte(b'[')?;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(());
        }
        for _ in 0..MAX_LIST_ITEMS {
            let (s, span) = self.string()?;
            each(s, span);
            if !self.next_member(b']')? {
                return Some(());
            }
        }
        None
    }
}

/// A role as written in `acts_for`.
#[derive(Debug, Default)]
pub struct RawRole {
    pub actor: Option<Spanned<String>>,
    pub role: Option<String>,
    pub from: Option<Spanned<PartialDate>>,
    pub to: Option<Spanned<PartialDate>>,
}

/// An actor as written.
#[derive(Debug, Default)]
pub struct RawActor {
    pub start: usize,
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub kind: Option<ActorKind>,
    pub aliases: Vec<Spanned<String>>,
    pub roles: Vec<RawRole>,
    pub broken: bool,
}

/// A field of claims and actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Actor,
    Date,
    Text,
    Target,
    Topics,
    Stance,
    Effect,
    Attribution,
    RespondsTo,
    Source,
    Notes,
}

impl Field {
    /// The field `key` names. Every key of every record comes here: each
    /// name is a literal pattern, which compiles to a length test and a
    /// few integer comparisons (comparing with `name()` called `memcmp`).
    #[inline(always)]
    fn of(key: &str) -> Option<Field> {
        use Field::*;
        Some(match key.as_bytes() {
            b"id" => Id,
            b"actor" => Actor,
            b"date" => Date,
            b"text" => Text,
            b"target" => Target,
            b"topics" => Topics,
            b"stance" => Stance,
            b"effect" => Effect,
            b"attribution" => Attribution,
            b"responds_to" => RespondsTo,
            b"source" => Source,
            b"notes" => Notes,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Actor => "actor",
            Field::Date => "date",
            Field::Text => "text",
            Field::Target => "target",
            Field::Topics => "topics",
            Field::Stance => "stance",
            Field::Effect => "effect",
            Field::Attribution => "attribution",
            Field::RespondsTo => "responds_to",
            Field::Source => "source",
            Field::Notes => "notes",
        }
    }

    /// Whether records of `kind` have this field: `stance` is for claims,
    /// `effect`, `attribution` and `responds_to` for actions.
    fn belongs_to(self, kind: RecordKind) -> bool {
        match self {
            Field::Stance => kind == RecordKind::Claim,
            Field::Effect | Field::Attribution | Field::RespondsTo => kind == RecordKind::Action,
            _ => true,
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

const CLAIM_FIELDS: &[&str] = &[
    "id", "actor", "date", "text", "target", "topics", "stance", "source", "notes",
];
const ACTION_FIELDS: &[&str] = &[
    "id",
    "actor",
    "date",
    "text",
    "target",
    "topics",
    "effect",
    "attribution",
    "responds_to",
    "source",
    "notes",
];
const ACTOR_FIELDS: &[&str] = &["id", "name", "kind", "aliases", "acts_for"];
const ROLE_FIELDS: &[&str] = &["actor", "role", "from", "to"];
const SOURCE_FIELDS: &[&str] = &["document", "quote", "url"];

/// Problems of one kind (one code) listed for one record before the rest
/// are only counted: a record of a million misspelt fields must not make a
/// million messages, nor hide its other kinds of problem behind them.
pub const MAX_PROBLEMS_PER_RECORD: usize = 20;

/// Reads fields of records from one JSON text, reporting problems.
pub struct FieldReader<'a, 'd> {
    pub r: Reader<'a>,
    /// Added to every span: the offset of the text in its file.
    pub base: usize,
    pub file: FileId,
    pub diags: &'d mut Vec<Diagnostic>,
    /// How many problems of each kind the record being read (field by
    /// field: records read in one pass have none) listed and did not.
    unlisted: Option<Box<Unlisted>>,
}

/// How many problems of each code the record being read has listed, and
/// how many more it has only counted.
#[derive(Clone, Copy, Debug)]
struct Unlisted {
    listed: [u32; Code::ALL.len()],
    count: [u32; Code::ALL.len()],
}

impl Unlisted {
    const NONE: Unlisted = Unlisted {
        listed: [0; Code::ALL.len()],
        count: [0; Code::ALL.len()],
    };
}

type Res<T> = crate::input::json::Result<T>;

/// The known field an unknown one looks like a typo of, if any. A dataset
/// that annotates its records repeats the same few extra fields in record
/// after record, so each thread remembers the answers (up to a bound, for
/// input that makes up a new field in every record).
fn near_field(key: &str, known: &'static [&'static str]) -> Option<&'static str> {
    use std::cell::RefCell;
    type Memo = FxHashMap<(usize, String), Option<&'static str>>;
    const MAX_REMEMBERED: usize = 256;
    thread_local!(static MEMO: RefCell<Memo> = RefCell::new(Memo::default()));
    MEMO.with_borrow_mut(|memo| {
        let k = (known.as_ptr() as usize, key.to_string());
        if let Some(&near) = memo.get(&k) {
            return near;
        }
        let near = suggest::closest(key, known.iter().copied());
        if memo.len() < MAX_REMEMBERED {
            memo.insert(k, near);
        }
        near
    })
}

impl<'a, 'd> FieldReader<'a, 'd> {
    /// A reader of `r`'s text, whose spans are `base` bytes into `file`,
    /// reporting problems into `diags`.
    pub fn new(r: Reader<'a>, base: usize, file: FileId, diags: &'d mut Vec<Diagnostic>) -> Self {
        FieldReader {
            r,
            base,
            file,
            diags,
            unlisted: None,
        }
    }
}

impl<'a> FieldReader<'a, '_> {
    fn at(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    fn push(&mut self, code: Code, span: Range<usize>, message: String, hint: Option<String>) {
        let span = self.at(span);
        self.report(Diagnostic::new(code, self.file, span, message).maybe_hint(hint));
    }

    /// Lists a problem, or only counts it once its record has listed
    /// [`MAX_PROBLEMS_PER_RECORD`] of its kind.
    fn report(&mut self, problem: Diagnostic) {
        let kind = problem.code as usize;
        match self.unlisted.as_deref_mut() {
            Some(u) if u.listed[kind] as usize >= MAX_PROBLEMS_PER_RECORD => u.count[kind] += 1,
            Some(u) => {
                u.listed[kind] += 1;
                self.diags.push(problem);
            }
            None => self.diags.push(problem),
        }
    }

    /// Starts counting a record's problems.
    fn begin_record(&mut self) {
        self.unlisted = Some(Box::new(Unlisted::NONE));
    }

    /// Ends a record's problems, each kind not listed whole with one
    /// problem that counts the rest (as serious as they are); returns
    /// whether the record has an error, listed or not.
    fn end_record(&mut self) -> bool {
        let Unlisted { listed, count } = self.unlisted.take().map_or(Unlisted::NONE, |u| *u);
        let end = self.r.pos() + self.base;
        let mut broken = false;
        for (&code, (&listed, &count)) in Code::ALL.iter().zip(listed.iter().zip(&count)) {
            broken |= (listed > 0 || count > 0) && code.severity() == crate::diag::Severity::Error;
            if count > 0 {
                let mut rest = Diagnostic::new(
                    Code::TooManyProblems,
                    self.file,
                    end.saturating_sub(1)..end,
                    format!("{count} more {} problems in this record are not listed", code.as_str()),
                )
                .hint("fix the problems listed above (they are often one mistake repeated) and run saydo again");
                rest.severity = code.severity();
                self.diags.push(rest);
            }
        }
        broken
    }

    /// Reports a value of the wrong type and skips it.
    fn wrong_type(&mut self, field: &str, expected: &str, found: Kind) -> Res<()> {
        let span = self.r.skip()?;
        let hint = match (expected, found) {
            ("a string", Kind::Number) => Some("write the value in double quotes".to_string()),
            ("a number", Kind::String) => Some("write the number without quotes".to_string()),
            ("an array of strings", Kind::String) => Some("wrap the value in [ ]".to_string()),
            _ => None,
        };
        self.push(
            Code::WrongType,
            span,
            format!("`{field}` must be {expected}, found {}", found.noun()),
            hint,
        );
        Ok(())
    }

    /// A string, or `None` after reporting a wrong type. `null` counts as
    /// absent when `nullable`.
    fn string(&mut self, field: &str, nullable: bool) -> Res<Option<Spanned<Cow<'a, str>>>> {
        match self.r.peek()? {
            Kind::String => {
                let (s, span) = self.r.string()?;
                if s.len() > MAX_STRING_BYTES {
                    self.push(
                        Code::TooLarge,
                        span,
                        format!("`{field}` is {} bytes long", s.len()),
                        Some(format!(
                            "saydo accepts strings of at most {MAX_STRING_BYTES} bytes"
                        )),
                    );
                    return Ok(None);
                }
                Ok(Some((s, span)))
            }
            Kind::Null if nullable => {
                self.r.skip()?;
                Ok(None)
            }
            other => {
                self.wrong_type(field, "a string", other)?;
                Ok(None)
            }
        }
    }

    fn number(&mut self, field: &str) -> Res<Option<Spanned<f64>>> {
        match self.r.peek()? {
            Kind::Number => Ok(Some(self.r.number()?)),
            other => {
                self.wrong_type(field, "a number", other)?;
                Ok(None)
            }
        }
    }

    /// An array whose items are read by `item`; `None` after a wrong type.
    fn array(
        &mut self,
        field: &str,
        expected: &str,
        mut item: impl FnMut(&mut Self) -> Res<()>,
    ) -> Res<bool> {
        match self.r.peek()? {
            Kind::Array => {}
            Kind::Null => {
                self.r.skip()?;
                return Ok(true);
            }
            other => {
                self.wrong_type(field, expected, other)?;
                return Ok(false);
            }
        }
        let start = self.r.pos();
        let mut seq = self.r.array()?;
        let mut n = 0usize;
        while self.r.next_element(&mut seq)? {
            n += 1;
            if n > MAX_LIST_ITEMS {
                let span = self.r.skip()?;
                // Skip the rest quietly after one report.
                while self.r.next_element(&mut seq)? {
                    self.r.skip()?;
                }
                self.push(
                    Code::TooLarge,
                    start..span.end,
                    format!("`{field}` has more than {MAX_LIST_ITEMS} items"),
                    Some("split the data or remove repeated items".into()),
                );
                return Ok(false);
            }
            item(self)?;
        }
        Ok(true)
    }

    fn string_list(&mut self, field: &str) -> Res<(Vec<Spanned<Cow<'a, str>>>, bool)> {
        let mut out = Vec::new();
        let ok = self.strings(field, |s, span| out.push((s, span)))?;
        Ok((out, ok))
    }

    /// Reads an array of strings, handing each to `each`; false when an
    /// item or the whole was of the wrong type (and reported).
    fn strings(
        &mut self,
        field: &str,
        mut each: impl FnMut(Cow<'a, str>, Range<usize>),
    ) -> Res<bool> {
        let mut ok = true;
        let whole = self.array(field, "an array of strings", |fr| {
            match fr.r.peek()? {
                Kind::String => {
                    if let Some((s, span)) = fr.string(field, false)? {
                        each(s, span);
                    } else {
                        ok = false;
                    }
                }
                other => {
                    ok = false;
                    fr.wrong_type(&format!("each item of `{field}`"), "a string", other)?;
                }
            }
            Ok(())
        })?;
        Ok(ok && whole)
    }

    fn date(&mut self, field: &str, nullable: bool) -> Res<Option<Spanned<PartialDate>>> {
        let Some((s, span)) = self.string(field, nullable)? else {
            return Ok(None);
        };
        match PartialDate::parse(&s) {
            Ok(d) => Ok(Some((d, span))),
            Err(e) => {
                self.push(
                    Code::BadDate,
                    span,
                    format!("`{field}`: {}", e.0),
                    Some("write dates as YYYY, YYYY-MM or YYYY-MM-DD, e.g. \"2021\", \"2021-08\", \"2021-08-15\"".into()),
                );
                Ok(None)
            }
        }
    }

    fn id(&mut self) -> Res<Option<Spanned<Cow<'a, str>>>> {
        let Some((s, span)) = self.string("id", false)? else {
            return Ok(None);
        };
        if !is_valid_id(&s) {
            let suggestion = suggest_id(&s);
            self.push(
                Code::BadId,
                span.clone(),
                format!(
                    "id \"{}\" does not match ^[a-z0-9][a-z0-9-]*$",
                    s.escape_debug()
                ),
                Some(match suggestion {
                    Some(fix) => {
                        format!("ids use lower-case letters, digits and '-', e.g. \"{fix}\"")
                    }
                    None => "ids use lower-case letters, digits and '-'".into(),
                }),
            );
        }
        Ok(Some((s, span)))
    }

    /// Reports a field that is not known, when it looks like a typo of one
    /// that is; other unknown fields are the dataset's own annotations.
    fn unknown(
        &mut self,
        key: &str,
        key_span: Range<usize>,
        known: &'static [&'static str],
    ) -> Res<()> {
        self.r.skip()?;
        if let Some(near) = near_field(key, known) {
            self.push(
                Code::UnknownField,
                key_span,
                format!("unknown field `{key}` is ignored"),
                Some(format!("did you mean `{near}`?")),
            );
        }
        Ok(())
    }

    fn duplicate(&mut self, key: &str, span: Range<usize>) -> Res<()> {
        self.r.skip()?;
        self.push(
            Code::DuplicateField,
            span,
            format!("field `{key}` appears twice in this record"),
            Some("keep one of them".into()),
        );
        Ok(())
    }

    /// Reads a claim or action; the reader is before its `{`. A record of
    /// the usual shape is read in one pass (`Quick`); any other is read
    /// field by field, with every problem reported.
    pub fn record(&mut self, kind: RecordKind) -> Res<RawRecord<'a>> {
        self.record_reusing(kind, Vec::new())
    }

    /// [`FieldReader::record`], with the record's topics put in `topics`
    /// (emptied first): a loader that hands each record's vector on to
    /// the next allocates none for a million records.
    pub fn record_reusing(
        &mut self,
        kind: RecordKind,
        mut topics: Vec<Cow<'a, str>>,
    ) -> Res<RawRecord<'a>> {
        topics.clear();
        let mut quick = Quick::at(&self.r);
        if let Some(mut rec) = quick.record(kind, topics) {
            rec.start = self.r.pos() + self.base;
            self.r.skip_to(quick.at);
            return Ok(rec);
        }
        self.record_field_by_field(kind)
    }

    /// [`FieldReader::record`] without the one-pass reading.
    fn record_field_by_field(&mut self, kind: RecordKind) -> Res<RawRecord<'a>> {
        self.begin_record();
        let read = self.record_fields(kind);
        let broken = self.end_record();
        read.map(|rec| RawRecord { broken, ..rec })
    }

    fn record_fields(&mut self, kind: RecordKind) -> Res<RawRecord<'a>> {
        let mut rec = RawRecord {
            start: self.r.pos() + self.base,
            ..RawRecord::default()
        };
        // The fields of this kind seen so far, one bit per `Field`.
        let mut seen = 0u32;
        let mut stance_in_action: Option<Range<usize>> = None;
        let mut effect_in_claim: Option<Range<usize>> = None;
        let known = match kind {
            RecordKind::Claim => CLAIM_FIELDS,
            RecordKind::Action => ACTION_FIELDS,
        };
        let mut obj = self.r.object()?;
        while let Some((key, key_span)) = self.r.next_key(&mut obj)? {
            let field = Field::of(&key);
            let own = field.filter(|f| f.belongs_to(kind));
            if let Some(f) = own {
                if seen & f.bit() != 0 {
                    self.duplicate(&key, key_span)?;
                    continue;
                }
                seen |= f.bit();
            }
            match (own, field) {
                (Some(Field::Id), _) => rec.id = self.id()?,
                (Some(Field::Actor), _) => rec.actor = self.string("actor", false)?,
                (Some(Field::Target), _) => rec.target = self.string("target", true)?,
                (Some(Field::Date), _) => rec.date = self.date("date", false)?.map(|d| d.0),
                (Some(Field::Text), _) => rec.text = self.string("text", false)?.map(|s| s.0),
                (Some(Field::Notes), _) => rec.notes = self.string("notes", true)?.map(|s| s.0),
                (Some(Field::Topics), _) => {
                    self.strings("topics", |t, _| rec.topics.push(t))?;
                }
                (Some(Field::Stance | Field::Effect), _) => {
                    rec.score = self.score(kind.score_field())?;
                }
                (Some(Field::Attribution), _) => rec.attribution = self.attribution()?,
                (Some(Field::RespondsTo), _) => {
                    let (ids, _) = self.string_list("responds_to")?;
                    rec.responds_to = ids;
                }
                (Some(Field::Source), _) => self.source(&mut rec)?,
                (None, Some(Field::Stance)) => {
                    stance_in_action = Some(self.r.skip().map(|_| key_span)?)
                }
                (None, Some(Field::Effect)) => {
                    effect_in_claim = Some(self.r.skip().map(|_| key_span)?)
                }
                (None, _) => self.unknown(&key, key_span, known)?,
            }
        }
        let score = match kind {
            RecordKind::Claim => Field::Stance,
            RecordKind::Action => Field::Effect,
        };
        let missing = |f: Field| (seen & f.bit() == 0).then(|| f.name().to_string());
        let required: Vec<String> = [
            missing(Field::Id),
            missing(Field::Actor),
            missing(Field::Date),
            missing(Field::Text),
            missing(score),
        ]
        .into_iter()
        .flatten()
        .collect();
        for field in &required {
            let hint = if field == "stance" && effect_in_claim.is_some() {
                "claims carry `stance` (how warm the words are); `effect` belongs to actions: is this record in the right folder?".to_string()
            } else if field == "effect" && stance_in_action.is_some() {
                "actions carry `effect` (how much the deed helps or harms); `stance` belongs to claims: is this record in the right folder?".to_string()
            } else {
                format!("every {} needs {}", kind.noun(), required_list(kind))
            };
            let start = rec.start;
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    self.file,
                    start..start + 1,
                    format!("{} has no `{field}`", record_name(kind, &rec.id)),
                )
                .hint(hint),
            );
        }
        Ok(rec)
    }

    fn score(&mut self, field: &str) -> Res<Option<f64>> {
        let Some((v, span)) = self.number(field)? else {
            return Ok(None);
        };
        if !(-10.0..=10.0).contains(&v) {
            self.push(
                Code::ScoreOutOfRange,
                span,
                format!("`{field}` is {}, outside [-10, 10]", self.r_text(v)),
                Some("scores run from -10 (most hostile) to +10 (warmest); 0 is neutral".into()),
            );
            return Ok(None);
        }
        Ok(Some(v))
    }

    fn r_text(&self, v: f64) -> String {
        if v.is_infinite() {
            "too large to represent".into()
        } else {
            format!("{v}")
        }
    }

    fn attribution(&mut self) -> Res<Option<Attribution>> {
        let Some((s, span)) = self.string("attribution", true)? else {
            return Ok(None);
        };
        match Attribution::parse(&s) {
            Some(a) => Ok(Some(a)),
            None => {
                let near = suggest::closest(&s, Attribution::NAMES);
                self.push(
                    Code::BadValue,
                    span,
                    format!(
                        "attribution \"{}\" is not one of {}",
                        s.escape_debug(),
                        Attribution::NAMES.join(", ")
                    ),
                    Some(match near {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => format!("use one of {}", Attribution::NAMES.join(", ")),
                    }),
                );
                Ok(None)
            }
        }
    }

    fn source(&mut self, rec: &mut RawRecord<'a>) -> Res<()> {
        match self.r.peek()? {
            Kind::Object => {}
            Kind::Null => {
                self.r.skip()?;
                return Ok(());
            }
            other => return self.wrong_type("source", "an object", other),
        }
        let mut seen = Seen::default();
        let mut obj = self.r.object()?;
        while let Some((key, key_span)) = self.r.next_key(&mut obj)? {
            if seen.repeated(SOURCE_FIELDS, &key) {
                self.duplicate(&key, key_span)?;
                continue;
            }
            match key.as_ref() {
                "document" => rec.document = self.string("source.document", true)?,
                "quote" => rec.quote = self.string("source.quote", true)?,
                "url" => rec.url = self.string("source.url", true)?.map(|s| s.0),
                other => self.unknown(other, key_span, SOURCE_FIELDS)?,
            }
        }
        Ok(())
    }

    /// Reads an actor; the reader is before its `{`.
    pub fn actor(&mut self) -> Res<RawActor> {
        self.begin_record();
        let read = self.actor_fields();
        let broken = self.end_record();
        read.map(|actor| RawActor { broken, ..actor })
    }

    fn actor_fields(&mut self) -> Res<RawActor> {
        let mut actor = RawActor {
            start: self.r.pos() + self.base,
            ..RawActor::default()
        };
        let mut seen = Seen::default();
        let mut obj = self.r.object()?;
        while let Some((key, key_span)) = self.r.next_key(&mut obj)? {
            if seen.repeated(ACTOR_FIELDS, &key) {
                self.duplicate(&key, key_span)?;
                continue;
            }
            match key.as_ref() {
                "id" => actor.id = self.id()?.map(own),
                "name" => actor.name = self.string("name", false)?.map(own),
                "kind" => actor.kind = self.kind()?,
                "aliases" => {
                    actor.aliases = self
                        .string_list("aliases")?
                        .0
                        .into_iter()
                        .map(own)
                        .collect()
                }
                "acts_for" => {
                    let mut roles = Vec::new();
                    self.array("acts_for", "an array of roles", |fr| {
                        match fr.r.peek()? {
                            Kind::Object => roles.push(fr.role()?),
                            other => {
                                fr.wrong_type("each item of `acts_for`", "an object", other)?
                            }
                        }
                        Ok(())
                    })?;
                    actor.roles = roles;
                }
                other => self.unknown(other, key_span, ACTOR_FIELDS)?,
            }
        }
        for field in ["id", "name", "kind"] {
            if !seen.has(ACTOR_FIELDS, field) {
                let start = actor.start;
                let who = match &actor.id {
                    Some((id, _)) => format!("actor \"{id}\""),
                    None => "this actor".into(),
                };
                self.report(
                    Diagnostic::new(Code::MissingField, self.file, start..start + 1, format!("{who} has no `{field}`"))
                        .hint("every actor needs `id`, `name` and `kind` (state, person, organization or group)"),
                );
            }
        }
        Ok(actor)
    }

    fn kind(&mut self) -> Res<Option<ActorKind>> {
        let Some((s, span)) = self.string("kind", false)? else {
            return Ok(None);
        };
        match ActorKind::parse(&s) {
            Some(k) => Ok(Some(k)),
            None => {
                let near = suggest::closest(&s, ActorKind::NAMES);
                self.push(
                    Code::BadValue,
                    span,
                    format!(
                        "kind \"{}\" is not one of {}",
                        s.escape_debug(),
                        ActorKind::NAMES.join(", ")
                    ),
                    Some(match near {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => format!("use one of {}", ActorKind::NAMES.join(", ")),
                    }),
                );
                Ok(None)
            }
        }
    }

    fn role(&mut self) -> Res<RawRole> {
        let start = self.r.pos();
        let mut role = RawRole::default();
        let mut seen = Seen::default();
        let mut obj = self.r.object()?;
        while let Some((key, key_span)) = self.r.next_key(&mut obj)? {
            if seen.repeated(ROLE_FIELDS, &key) {
                self.duplicate(&key, key_span)?;
                continue;
            }
            match key.as_ref() {
                "actor" => role.actor = self.string("acts_for.actor", false)?.map(own),
                "role" => {
                    role.role = self
                        .string("acts_for.role", true)?
                        .map(|s| s.0.into_owned())
                }
                "from" => role.from = self.date("acts_for.from", true)?,
                "to" => role.to = self.date("acts_for.to", true)?,
                other => self.unknown(other, key_span, ROLE_FIELDS)?,
            }
        }
        if !seen.has(ROLE_FIELDS, "actor") {
            self.push(
                Code::MissingField,
                start..start + 1,
                "a role in `acts_for` has no `actor`".into(),
                Some(
                    "each role names the actor acted for: { \"actor\": \"…\", \"role\": \"…\" }"
                        .into(),
                ),
            );
        }
        if let (Some((from, _)), Some((to, to_span))) = (&role.from, &role.to)
            && to.last < from.first
        {
            let message = format!("role ends ({to}) before it starts ({from})");
            self.push(
                Code::BadInterval,
                to_span.clone(),
                message,
                Some("check the order of `from` and `to`".into()),
            );
        }
        Ok(role)
    }
}

fn own((s, span): Spanned<Cow<'_, str>>) -> Spanned<String> {
    (s.into_owned(), span)
}

fn required_list(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Claim => "`id`, `actor`, `date`, `text` and `stance`",
        RecordKind::Action => "`id`, `actor`, `date`, `text` and `effect`",
    }
}

fn record_name(kind: RecordKind, id: &Option<Spanned<Cow<'_, str>>>) -> String {
    match id {
        Some((id, _)) => format!("{} \"{id}\"", kind.noun()),
        None => format!("this {}", kind.noun()),
    }
}

/// A lower-case, dashed version of a bad id, when one exists.
fn suggest_id(id: &str) -> Option<String> {
    let mut out = String::new();
    for c in id.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty() && out != id).then_some(out)
}

/// Known field names seen so far in one object: a bit per name, in the
/// order of the field list given (every list has fewer than 32 names).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    /// Notes `key`; true when it is a member of `known` seen before (one
    /// pass over `known`: this runs for every key of every record).
    fn repeated(&mut self, known: &[&str], key: &str) -> bool {
        let Some(i) = known.iter().position(|k| *k == key) else {
            return false;
        };
        let bit = 1u32 << i;
        let again = self.0 & bit != 0;
        self.0 |= bit;
        again
    }

    fn has(&self, known: &[&str], key: &str) -> bool {
        known
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| self.0 & (1u32 << i) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A reader of `text` from its start, reporting into `diags`.
    fn reader<'a, 'd>(text: &'a str, diags: &'d mut Vec<Diagnostic>) -> FieldReader<'a, 'd> {
        FieldReader::new(Reader::new(text), 0, FileId(0), diags)
    }

    fn read_claim(text: &str) -> (RawRecord<'_>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let rec = reader(text, &mut diags).record(RecordKind::Claim).unwrap();
        (rec, diags)
    }

    #[test]
    fn field_names_are_told_apart_exactly() {
        // Every field of either list, each once.
        let mut names: Vec<&str> = CLAIM_FIELDS.iter().chain(ACTION_FIELDS).copied().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 12);
        for name in names {
            let f = Field::of(name).unwrap_or_else(|| panic!("{name} is a field"));
            assert_eq!(f.name(), name);
            for (kind, list) in [
                (RecordKind::Claim, CLAIM_FIELDS),
                (RecordKind::Action, ACTION_FIELDS),
            ] {
                assert_eq!(f.belongs_to(kind), list.contains(&name), "{name}");
            }
            // Any one byte changed, one more or one fewer: no field.
            for i in 0..name.len() {
                let mut wrong = name.as_bytes().to_vec();
                wrong[i] = b'X';
                assert_eq!(Field::of(std::str::from_utf8(&wrong).unwrap()), None);
            }
            assert_eq!(Field::of(&format!("{name}s")), None);
            assert_eq!(Field::of(&name[1..]), None);
        }
        assert_eq!(Field::of(""), None);
        assert_eq!(Field::of("ID"), None);
    }

    fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
        diags.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn reads_a_complete_claim() {
        let (rec, diags) = read_claim(
            r#"{"id":"c-1","actor":"Land","date":"2021-08","text":"t","stance":5,
                "topics":["Trade Deals"],"target":null,"extra":{"kept":[1]},
                "source":{"document":"seeds/a.txt","quote":"q","url":"https://x"}}"#,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!rec.broken);
        assert_eq!(rec.id.unwrap().0, "c-1");
        assert_eq!(rec.topics, ["Trade Deals"]);
        assert_eq!(rec.score, Some(5.0));
        assert_eq!(rec.quote.unwrap().0, "q");
        assert!(rec.target.is_none());
    }

    #[test]
    fn reports_every_problem_of_a_record_at_its_value() {
        let text = r#"{"id":"C 1","actor":7,"date":"2021-13","text":"t","stance":11}"#;
        let (rec, diags) = read_claim(text);
        assert!(rec.broken);
        assert_eq!(
            codes(&diags),
            ["bad-id", "wrong-type", "bad-date", "score-out-of-range"]
        );
        assert_eq!(&text[diags[1].span.clone()], "7");
        assert_eq!(&text[diags[2].span.clone()], "\"2021-13\"");
        assert_eq!(&text[diags[3].span.clone()], "11");
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("ids use lower-case letters, digits and '-', e.g. \"c-1\"")
        );
    }

    #[test]
    fn missing_fields_point_at_the_record_and_hint_at_the_folder() {
        let (_, diags) =
            read_claim(r#"{"id":"c","actor":"a","date":"2021","text":"t","effect":3}"#);
        assert_eq!(codes(&diags), ["missing-field"]);
        assert_eq!(diags[0].span, 0..1);
        assert!(diags[0].hint.as_ref().unwrap().contains("right folder"));
    }

    #[test]
    fn typos_of_fields_are_warned_and_duplicates_are_errors() {
        let (_, diags) = read_claim(
            r#"{"id":"c","actor":"a","date":"2021","text":"t","stance":1,"stance":2,"tpics":[]}"#,
        );
        assert_eq!(codes(&diags), ["duplicate-field", "unknown-field"]);
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `topics`?"));
    }

    /// Reads `text` as a record of `kind` in one pass and field by field.
    fn both_ways(text: &str, kind: RecordKind) -> (Option<(RawRecord<'_>, usize)>, Outcome<'_>) {
        let mut diags = Vec::new();
        let mut fr = reader(text, &mut diags);
        let mut quick = Quick::at(&fr.r);
        let fast = quick.record(kind, Vec::new()).map(|rec| (rec, quick.at));
        let slow = fr.record_field_by_field(kind).ok();
        let at = fr.r.pos();
        (fast, (slow, at, diags))
    }

    type Outcome<'a> = (Option<RawRecord<'a>>, usize, Vec<Diagnostic>);

    fn member() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("id"),
            Just("actor"),
            Just("date"),
            Just("text"),
            Just("target"),
            Just("topics"),
            Just("stance"),
            Just("effect"),
            Just("attribution"),
            Just("responds_to"),
            Just("source"),
            Just("notes"),
            Just("x_coder"),
            Just("iid"),
            Just("\\u0069d"),
            Just("Text"),
        ];
        let value = prop_oneof![
            Just("\"a-1\""),
            Just("\"Bad Id\""),
            Just("\"Ruler of X\""),
            Just("\"2021\""),
            Just("\"2021-08-15\""),
            Just("\"2021-02-30\""),
            Just("\"say \\\"hi\\\"\""),
            Just("\"caf\\u00e9\""),
            Just("\"tab\there\""),
            Just("\"confirmed\""),
            Just("\"confirmd\""),
            Just("null"),
            Just("true"),
            Just("0"),
            Just("-3.5"),
            Just("10"),
            Just("11"),
            Just("1e2"),
            Just("1e400"),
            Just("-0"),
            Just("01"),
            Just("1."),
            Just("-"),
            Just("[]"),
            Just("[\"Trade\", \"x y\"]"),
            Just("[\"a\",1]"),
            Just("[\"a\",]"),
            Just("[\"a\" \"b\"]"),
            Just("{}"),
            Just("{\"url\":\"u\"}"),
            Just("{\"document\":\"d\",\"quote\":null}"),
            Just("{\"url\":1}"),
            Just("{\"x\":[1,{\"y\":2}]}"),
            Just("{\"url\":\"u\",\"url\":\"v\"}"),
        ];
        let space = prop_oneof![Just(""), Just(" "), Just("\n\t ")];
        (key, value, space).prop_map(|(k, v, w)| format!("{w}\"{k}\"{w}:{w}{v}{w}"))
    }

    /// A required field, usually with a valid value, sometimes not, or
    /// left out.
    fn required(
        key: &'static str,
        values: &'static [&'static str],
    ) -> impl Strategy<Value = Option<String>> {
        let value = prop::sample::select(values);
        prop::option::weighted(0.9, value.prop_map(move |v| format!("\"{key}\":{v}")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the one-pass reader accepts, reading field by field
        /// gives the same record, ends at the same byte and finds nothing
        /// to report.
        #[test]
        fn one_pass_reading_agrees_with_reading_field_by_field(
            members in (
                prop::collection::vec(member(), 0..6),
                required("id", &["\"c-1\"", "\"c-1\"", "\"Bad Id\"", "\"c\\u002d1\"", "null"]),
                required("actor", &["\"a\"", "\"a\"", "\"\"", "null", "[]"]),
                required("date", &["\"2021\"", "\"2021-08\"", "\"2021-02-30\"", "\"0000\""]),
                required("text", &["\"t\"", "\"a\\\"b\"", "null", "\"a\\qb\""]),
                required("stance", &["1", "-10", "10.5", "1e400", "\"1\"", "-0"]),
                required("effect", &["-1", "10", "-11", "NaN", "1e-400"]),
            )
                .prop_map(|(mut extra, id, actor, date, text, stance, effect)| {
                    extra.extend([id, actor, date, text, stance, effect].into_iter().flatten());
                    extra
                })
                .prop_shuffle(),
            end in prop_oneof![4 => Just("}"), 1 => Just(",}"), 1 => Just(""), 1 => Just("} x")],
        ) {
            let text = format!("{{{}{end}", members.join(","));
            for kind in [RecordKind::Claim, RecordKind::Action] {
                let (fast, (slow, at, diags)) = both_ways(&text, kind);
                if let Some((rec, fast_at)) = fast {
                    prop_assert!(diags.is_empty(), "{text}: {diags:?}");
                    prop_assert_eq!(Some(rec), slow, "{}", text);
                    prop_assert_eq!(fast_at, at, "{}", text);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text at all: no panic, and agreement whenever the one pass
        /// accepts.
        #[test]
        fn one_pass_reading_survives_any_text(
            text in r#"\{("(id|actor|date|text|stance|topics|source|url|x)"|[ -~]){0,24}"#,
        ) {
            for kind in [RecordKind::Claim, RecordKind::Action] {
                let (fast, (slow, at, diags)) = both_ways(&text, kind);
                if let Some((rec, fast_at)) = fast {
                    prop_assert!(diags.is_empty());
                    prop_assert_eq!(Some(rec), slow);
                    prop_assert_eq!(fast_at, at);
                }
            }
        }
    }

    #[test]
    fn one_pass_reading_nests_no_deeper_than_reading_field_by_field() {
        for depth in [62, 63, 64, 65] {
            let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let text = format!(
                r#"{{"id":"c-1","actor":"a","date":"2021","text":"t","stance":1,"x":{value}}}"#
            );
            let (fast, (slow, at, _)) = both_ways(&text, RecordKind::Claim);
            assert_eq!(fast.is_some(), slow.is_some(), "{depth} levels");
            if let Some((rec, fast_at)) = fast {
                assert_eq!(Some(rec), slow);
                assert_eq!(fast_at, at);
            }
        }
    }

    #[test]
    fn usual_records_are_read_in_one_pass() {
        let action = r#"{"id":"a-1","actor":"Ruler of X","date":"2010-01","target":"y","topics":["arms-sales","Trade"],"effect":4,"attribution":"alleged","text":"A \"quoted\" deed","x_coder":{"by":"auto"},"source":{"url":"https://e.org/1"},"notes":null}"#;
        let claim = r#"{ "id": "c-1", "actor": "x", "date": "2011", "target": null, "topics": [], "stance": -2.5, "text": "words", "notes": "n" }"#;
        for (text, kind) in [(action, RecordKind::Action), (claim, RecordKind::Claim)] {
            let (fast, (slow, at, diags)) = both_ways(text, kind);
            let (rec, fast_at) = fast.unwrap_or_else(|| panic!("read in one pass: {text}"));
            assert!(diags.is_empty());
            assert_eq!(Some(rec), slow);
            assert_eq!(fast_at, at);
            assert_eq!(at, text.len());
        }
    }
}
