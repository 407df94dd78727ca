//! Values of records read with the spanned reader, each value's type and
//! form checked and every problem reported with its span; and the count of
//! a record's problems. The reader of claims and actions (`record.rs`)
//! comes here for unusual values only; actors are read with these alone.

use super::*;
use crate::date::PartialDate;
use crate::diag::{Code, Diagnostic};
use crate::input::json::{Kind, Reader};
use crate::input::source::FileId;
use crate::model::{About, Attribution, is_valid_id};
use crate::suggest;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

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
    /// Whether a record is being read (its problems are counted).
    in_record: bool,
    /// How many problems of each kind the record being read listed and
    /// did not; made at its first problem, so that a record without
    /// problems (almost every record) allocates nothing for them.
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

pub(super) type Res<T> = crate::input::json::Result<T>;

/// The known field an unknown one looks like a typo of, if any. A dataset
/// that annotates its records repeats the same few extra fields in record
/// after record, so each thread remembers the answers (up to a bound, for
/// input that makes up a new field in every record).
pub(super) fn near_field(key: &str, known: &'static [&'static str]) -> Option<&'static str> {
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
            in_record: false,
            unlisted: None,
        }
    }
}

impl<'a> FieldReader<'a, '_> {
    pub(super) fn at(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    pub(super) fn push(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) {
        let span = self.at(span);
        self.report(Diagnostic::new(code, self.file, span, message).maybe_hint(hint));
    }

    /// Lists a problem, or only counts it once its record has listed
    /// [`MAX_PROBLEMS_PER_RECORD`] of its kind.
    pub(super) fn report(&mut self, problem: Diagnostic) {
        if !self.in_record {
            return self.diags.push(problem);
        }
        let kind = problem.code as usize;
        let u = self
            .unlisted
            .get_or_insert_with(|| Box::new(Unlisted::NONE));
        if u.listed[kind] as usize >= MAX_PROBLEMS_PER_RECORD {
            u.count[kind] += 1;
        } else {
            u.listed[kind] += 1;
            self.diags.push(problem);
        }
    }

    /// Starts counting a record's problems.
    pub(super) fn begin_record(&mut self) {
        self.in_record = true;
        self.unlisted = None;
    }

    /// Ends a record's problems, each kind not listed whole with one
    /// problem that counts the rest (as serious as they are); returns
    /// whether the record has an error, listed or not.
    #[inline]
    pub(super) fn end_record(&mut self) -> bool {
        self.in_record = false;
        match self.unlisted.take() {
            None => false,
            Some(problems) => self.end_problems(*problems),
        }
    }

    /// [`FieldReader::end_record`] for a record with problems.
    #[cold]
    fn end_problems(&mut self, Unlisted { listed, count }: Unlisted) -> bool {
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
    pub(super) fn wrong_type(&mut self, field: &str, expected: &str, found: Kind) -> Res<()> {
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
    pub(super) fn string(
        &mut self,
        field: &str,
        nullable: bool,
    ) -> Res<Option<Spanned<Cow<'a, str>>>> {
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

    pub(super) fn number(&mut self, field: &str) -> Res<Option<Spanned<f64>>> {
        match self.r.peek()? {
            Kind::Number => Ok(Some(self.r.number()?)),
            other => {
                self.wrong_type(field, "a number", other)?;
                Ok(None)
            }
        }
    }

    /// An array whose items are read by `item`; `None` after a wrong type.
    pub(super) fn array(
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

    pub(super) fn string_list(&mut self, field: &str) -> Res<(Vec<Spanned<Cow<'a, str>>>, bool)> {
        let mut out = Vec::new();
        let ok = self.strings(field, |s, span| out.push((s, span)))?;
        Ok((out, ok))
    }

    /// Reads an array of strings, handing each to `each`; false when an
    /// item or the whole was of the wrong type (and reported).
    pub(super) fn strings(
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

    pub(super) fn date(
        &mut self,
        field: &str,
        nullable: bool,
    ) -> Res<Option<Spanned<PartialDate>>> {
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

    pub(super) fn id(&mut self) -> Res<Option<Spanned<Cow<'a, str>>>> {
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
    pub(super) fn unknown(
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

    /// Reports `about` in an action and skips its value: it says which
    /// deeds words are held against, and a deed is held against words,
    /// not the other way round. A warning, as for any field saydo does
    /// not read: the action is kept, the field ignored.
    pub(super) fn about_in_action(&mut self, key_span: Range<usize>) -> Res<()> {
        self.r.skip()?;
        self.push(
            Code::UnknownField,
            key_span,
            "`about` is a field of claims; in an action it is ignored".into(),
            Some("an action's `date` says when the deed was done: remove `about`, or move the record to claims/ if it is words".into()),
        );
        Ok(())
    }

    /// Reports a record still marked `draft` and skips the mark. `saydo
    /// draft` proposes records from a text with a `draft` object saying
    /// how sure it is and why; the record loads as it is, and the warning
    /// stays until a curator has checked it and removed the mark. A
    /// `null` mark is no mark.
    pub(super) fn draft(&mut self, key_span: Range<usize>) -> Res<()> {
        if self.r.peek()? == Kind::Null {
            self.r.skip()?;
            return Ok(());
        }
        self.r.skip()?;
        self.push(
            Code::DraftRecord,
            key_span,
            "record still marked draft: proposed by saydo draft, not yet checked".into(),
            Some("check it against the text (a record's actor, target, date, topics and score; an actor's name, kind and roles), then remove `draft`".into()),
        );
        Ok(())
    }

    pub(super) fn duplicate(&mut self, key: &str, span: Range<usize>) -> Res<()> {
        self.r.skip()?;
        self.push(
            Code::DuplicateField,
            span,
            format!("field `{key}` appears twice in this record"),
            Some("keep one of them".into()),
        );
        Ok(())
    }

    /// Reports each field every record of `kind` needs and `seen` (a bit
    /// per [`Field`]) lacks, at the record's start; `stray_score` tells
    /// that the other kind's score was there, which hints at the folder.
    pub(super) fn missing_fields(
        &mut self,
        kind: RecordKind,
        seen: u32,
        rec: &RawRecord<'_>,
        stray_score: bool,
    ) {
        for field in required_fields(kind) {
            if seen & field.bit() != 0 {
                continue;
            }
            let hint = match (field, stray_score) {
                (Field::Stance, true) => "claims carry `stance` (how warm the words are); `effect` belongs to actions: is this record in the right folder?".to_string(),
                (Field::Effect, true) => "actions carry `effect` (how much the deed helps or harms); `stance` belongs to claims: is this record in the right folder?".to_string(),
                _ => format!("every {} needs {}", kind.noun(), required_list(kind)),
            };
            let start = rec.start;
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    self.file,
                    start..start + 1,
                    format!("{} has no `{}`", record_name(kind, &rec.id), field.name()),
                )
                .hint(hint),
            );
        }
    }

    pub(super) fn score(&mut self, field: &str) -> Res<Option<f64>> {
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

    pub(super) fn r_text(&self, v: f64) -> String {
        if v.is_infinite() {
            "too large to represent".into()
        } else {
            format!("{v}")
        }
    }

    pub(super) fn attribution(&mut self) -> Res<Option<Attribution>> {
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

    /// A claim's `about`: [`About::Any`] when null, or after a warning
    /// for a value that is not one of [`About::NAMES`]. Not an error:
    /// before saydo read `about`, a dataset could carry a field of that
    /// name as its own note (unknown fields are kept and ignored), and
    /// such a dataset must keep working; its field is ignored as before.
    pub(super) fn about(&mut self) -> Res<About> {
        let allowed = "`about` is \"future\" (deeds from the words' first day on) or \"past\" (deeds up to their last day), or left out (both)";
        match self.r.peek()? {
            Kind::String | Kind::Null => {}
            other => {
                let span = self.r.skip()?;
                self.push(
                    Code::UnknownField,
                    span,
                    format!(
                        "`about` is {}, not \"future\" or \"past\": the field is ignored, and the claim meets deeds before and after it",
                        other.noun()
                    ),
                    Some(allowed.to_string()),
                );
                return Ok(About::Any);
            }
        }
        let Some((s, span)) = self.string("about", true)? else {
            return Ok(About::Any);
        };
        if let Some(about) = About::parse(&s) {
            return Ok(about);
        }
        let hint = match suggest::closest(&s, About::NAMES) {
            Some(near) => format!("did you mean \"{near}\"? {allowed}"),
            None => allowed.to_string(),
        };
        self.push(
            Code::UnknownField,
            span,
            format!(
                "about \"{}\" is not one of {}: the field is ignored, and the claim meets deeds before and after it",
                s.escape_debug(),
                About::NAMES.join(", ")
            ),
            Some(hint),
        );
        Ok(About::Any)
    }

    pub(super) fn source(&mut self, rec: &mut RawRecord<'a>) -> Res<()> {
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
}
