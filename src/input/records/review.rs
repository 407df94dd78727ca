//! Decisions of `reviews/`, read field by field.

use super::fields::Res;
use super::*;
use crate::diag::{Code, Diagnostic};
use crate::model::{Decision, Reviewed};
use crate::suggest;

/// A decision as written.
#[derive(Debug, Default)]
pub struct RawReview {
    /// Offset of the record's `{`.
    pub start: usize,
    pub claim: Option<Spanned<String>>,
    pub action: Option<Spanned<String>>,
    pub verdict: Option<Reviewed>,
    pub decision: Option<Decision>,
    pub reason: Option<Spanned<String>>,
    pub by: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    /// Whether every field it needs is there and well formed.
    pub whole: bool,
}

const REVIEW_FIELDS: &[&str] = &[
    "claim", "action", "verdict", "decision", "reason", "by", "date",
];

impl<'a> FieldReader<'a, '_> {
    /// Reads a decision; the reader is before its `{`.
    pub fn review(&mut self) -> Res<RawReview> {
        self.begin_record();
        let read = self.review_fields();
        self.end_record();
        read
    }

    fn review_fields(&mut self) -> Res<RawReview> {
        let mut review = RawReview {
            start: self.r.pos() + self.base,
            ..RawReview::default()
        };
        let before = self.diags.len();
        let mut seen = Seen::default();
        let mut obj = self.r.object()?;
        while let Some((key, key_span)) = self.r.next_key(&mut obj)? {
            if seen.repeated(REVIEW_FIELDS, &key) {
                self.duplicate(&key, key_span)?;
                continue;
            }
            match key.as_ref() {
                "claim" => review.claim = self.string("claim", false)?.map(own),
                "action" => review.action = self.string("action", false)?.map(own),
                "verdict" => {
                    review.verdict = self.one_of("verdict", &Reviewed::NAMES, Reviewed::parse)?
                }
                "decision" => {
                    review.decision = self.one_of("decision", &Decision::NAMES, Decision::parse)?
                }
                "reason" => review.reason = self.string("reason", false)?.map(own),
                "by" => review.by = self.string("by", false)?.map(own),
                "date" => {
                    review.date = self
                        .date("date", false)?
                        .map(|(d, span)| (d.to_string(), span))
                }
                other => self.unknown(other, key_span, REVIEW_FIELDS)?,
            }
        }
        let start = review.start;
        for field in ["claim", "action", "verdict", "decision", "by", "date"] {
            if !seen.has(REVIEW_FIELDS, field) {
                self.report(
                    Diagnostic::new(
                        Code::MissingField,
                        self.file,
                        start..start + 1,
                        format!("this decision has no `{field}`"),
                    )
                    .hint("a decision names `claim`, `action`, the `verdict` decided on, the `decision`, `by` whom and the `date`, and a `reason` unless it confirms"),
                );
            }
        }
        let blank =
            |s: &Option<Spanned<String>>| s.as_ref().is_none_or(|(t, _)| t.trim().is_empty());
        if matches!(
            review.decision,
            Some(Decision::Dismissed | Decision::NeedsSource)
        ) && blank(&review.reason)
        {
            let span = review
                .reason
                .as_ref()
                .map_or(start..start + 1, |(_, s)| self.at(s.clone()));
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    self.file,
                    span,
                    format!(
                        "a decision \"{}\" needs a `reason`",
                        review.decision.map_or("", Decision::as_str)
                    ),
                )
                .hint("say why, e.g. \"reason\": \"the drills were announced before the words\"; the next reviewer reads it"),
            );
        }
        review.whole = self.diags[before..].iter().all(|d| !d.is_error());
        Ok(review)
    }

    /// A string that must be one of `names`, parsed by `parse`; `None`
    /// after reporting what it should be.
    fn one_of<T>(
        &mut self,
        field: &str,
        names: &[&'static str],
        parse: fn(&str) -> Option<T>,
    ) -> Res<Option<T>> {
        let Some((s, span)) = self.string(field, false)? else {
            return Ok(None);
        };
        if let Some(v) = parse(&s) {
            return Ok(Some(v));
        }
        let near = suggest::closest(&s, names.iter().copied());
        self.push(
            Code::BadValue,
            span,
            format!(
                "{field} \"{}\" is not one of {}",
                s.escape_debug(),
                names.join(", ")
            ),
            Some(match near {
                Some(n) => format!("did you mean \"{n}\"?"),
                None => format!("use one of {}", names.join(", ")),
            }),
        );
        Ok(None)
    }
}
