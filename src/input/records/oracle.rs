//! The oracle of the reader of claims and actions, for tests only.
//!
//! [`FieldReader::record`] walks the bytes of a record of the usual shape
//! itself and hands only unusual values to the spanned reader, which
//! makes it fast and easy to get subtly wrong. This reader is the plain
//! way: every key and value through the spanned reader and the value
//! readers of `fields.rs`, so that what it returns and reports is correct
//! by inspection. Property tests (in `tests.rs`) require the two to agree
//! on the record, every problem (code, span, message, hint, order), where
//! reading stopped and any syntax error, on records valid and invalid.

use super::fields::Res;
use super::*;

impl<'a> FieldReader<'a, '_> {
    /// What [`FieldReader::record`] must return and report: the record
    /// read field by field, every key and value through the spanned reader.
    pub(super) fn record_field_by_field(&mut self, kind: RecordKind) -> Res<RawRecord<'a>> {
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
        // Whether the other kind's score (`effect` in a claim, `stance` in
        // an action) was there: the record may be in the wrong folder.
        let mut stray_score = false;
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
                (Some(Field::About), _) => rec.about = self.about()?,
                (Some(Field::RespondsTo), _) => {
                    let (ids, _) = self.string_list("responds_to")?;
                    rec.responds_to = ids;
                }
                (Some(Field::Source), _) => self.source(&mut rec)?,
                (Some(Field::Draft), _) => self.draft(key_span)?,
                (None, Some(Field::Stance | Field::Effect)) => {
                    self.r.skip()?;
                    stray_score = true;
                }
                (None, Some(Field::About)) => self.about_in_action(key_span)?,
                (None, _) => self.unknown(&key, key_span, known)?,
            }
        }
        self.missing_fields(kind, seen, &rec, stray_score);
        Ok(rec)
    }
}
