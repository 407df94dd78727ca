//! Actors and their roles, read field by field.

use super::fields::Res;
use super::*;
use crate::diag::{Code, Diagnostic};
use crate::input::json::Kind;
use crate::model::ActorKind;
use crate::suggest;

impl<'a> FieldReader<'a, '_> {
    /// Reads an actor; the reader is before its `{`.
    pub fn actor(&mut self) -> Res<RawActor> {
        self.begin_record();
        let read = self.actor_fields();
        // An actor's problems stop the check whatever they are; only
        // records are kept or dropped by whether they are broken.
        self.end_record();
        read
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
                // An actor `saydo draft` proposed, not yet checked.
                "draft" => self.draft(key_span)?,
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
