//! Actors: read every actor file, then check ids, names, roles and
//! cycles, and resolve who acts for whom.

use crate::date::Span;
use crate::diag::{Code, Diagnostic};
use crate::engine::principals::{self, Chains};
use crate::input::read::*;
use crate::input::records::RawActor;
use crate::input::source::{FileId, Files};
use crate::model::{Actor, ActorIx, ActorKind, Location, Role};
use crate::validate::names::{Lookup, Registry};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Reads every actor file, then checks ids, names, roles and cycles.
/// Returns the actors (in file order), their registry, and whether chains
/// could be built.
pub(crate) fn load_actors(
    list: &[DataFile],
    files: &Files,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Actor>, Registry, bool) {
    let mut raw: Vec<(FileId, RawActor)> = Vec::new();
    for f in list {
        let Some((text, start)) = read_text(f.id, files, diags, Vec::new()) else {
            continue;
        };
        let mut found = Vec::new();
        for_each_record(&text, start, text.len(), f.format, f.id, diags, |fr| {
            found.push(fr.actor()?);
            Ok(())
        });
        raw.extend(found.into_iter().map(|a| (f.id, a)));
    }

    // Duplicate ids: keep the first actor with an id.
    let mut first_with_id: FxHashMap<String, (FileId, Range<usize>)> = FxHashMap::default();
    let mut actors: Vec<Actor> = Vec::new();
    // Per actor, the span of each resolved role's `actor` value.
    let mut role_spans: Vec<Vec<Range<usize>>> = Vec::new();
    let mut defined_in: Vec<(FileId, usize)> = Vec::new();
    let mut names_at: Vec<Vec<(String, Range<usize>)>> = Vec::new();
    for (file, a) in &raw {
        let Some((id, id_span)) = a.id.clone().or_else(|| a.name.clone()) else {
            continue;
        };
        if a.id.is_some() {
            if let Some((first_file, first_span)) = first_with_id.get(&id) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        *file,
                        id_span.clone(),
                        format!("actor id \"{id}\" is defined twice"),
                    )
                    .hint("actor ids must be unique; rename one of them")
                    .note(
                        *first_file,
                        first_span.clone(),
                        "first defined here",
                    ),
                );
                continue;
            }
            first_with_id.insert(id.clone(), (*file, id_span.clone()));
        }
        let name = a.name.as_ref().map_or_else(|| id.clone(), |n| n.0.clone());
        let mut names = vec![(id.clone(), id_span.clone())];
        if let Some(n) = &a.name {
            names.push(n.clone());
        }
        names.extend(a.aliases.iter().cloned());
        names_at.push(names);
        defined_in.push((*file, a.start));
        actors.push(Actor {
            id,
            name,
            kind: a.kind.unwrap_or(ActorKind::Unlisted),
            aliases: a.aliases.iter().map(|(s, _)| s.clone()).collect(),
            roles: Vec::new(),
            at: Some(Location {
                file: *file,
                offset: a.start as u32,
                line: 0,
                column: 0,
            }),
        });
    }
    let registry = Registry::build(&actors);

    // Names shared by two actors: a warning where the later one is defined.
    let mut shared: Vec<(&str, &[ActorIx])> = registry.shared_names().collect();
    shared.sort();
    for (name, owners) in shared {
        let spelled = |ix: ActorIx| {
            names_at[ix as usize]
                .iter()
                .find(|(n, _)| crate::model::normalize_name(n) == name)
                .map(|(n, s)| (n.clone(), s.clone()))
        };
        let (Some((_, first_span)), Some((later_name, later_span))) =
            (spelled(owners[0]), spelled(owners[1]))
        else {
            continue;
        };
        let who: Vec<String> = owners
            .iter()
            .map(|&o| actors[o as usize].id.clone())
            .collect();
        let (later_file, _) = defined_in[owners[1] as usize];
        let (first_file, _) = defined_in[owners[0] as usize];
        diags.push(
            Diagnostic::new(
                Code::SharedName,
                later_file,
                later_span,
                format!(
                    "\"{later_name}\" names more than one actor: {}",
                    who.join(", ")
                ),
            )
            .hint("records cannot use a shared name; give each actor names of its own")
            .note(first_file, first_span, format!("also a name of {}", who[0])),
        );
    }

    // Ids that are also other actors' names: the id wins; a warning at
    // each such name or alias.
    for (id, owner, others) in registry.shadowed_names() {
        for &other in others {
            let spelled = names_at[other as usize]
                .iter()
                .skip(1)
                .filter(|(n, _)| crate::model::normalize_name(n) == *id);
            for (name, span) in spelled {
                let (file, _) = defined_in[other as usize];
                let (id_file, _) = defined_in[*owner as usize];
                diags.push(
                    Diagnostic::new(
                        Code::NameIsId,
                        file,
                        span.clone(),
                        format!(
                            "\"{}\" of actor {} is the id of actor \"{id}\": records that use it mean \"{id}\"",
                            name.trim(),
                            actors[other as usize].id
                        ),
                    )
                    .hint(format!("give {} a name or alias that is no other actor's id", actors[other as usize].id))
                    .note(id_file, names_at[*owner as usize][0].1.clone(), format!("the id of \"{id}\"")),
                );
            }
        }
    }

    // Roles: resolve principals and spans.
    let mut kept = 0usize;
    for (file, a) in &raw {
        let Some((id, _)) = a.id.clone().or_else(|| a.name.clone()) else {
            continue;
        };
        // Skip actors dropped as duplicates (their id maps to another definition).
        if kept >= actors.len()
            || actors[kept].id != id
            || defined_in[kept].1 != a.start
            || defined_in[kept].0 != *file
        {
            continue;
        }
        let mut roles = Vec::new();
        let mut spans = Vec::new();
        for r in &a.roles {
            let Some((name, span)) = &r.actor else {
                continue;
            };
            let Some(principal) = found_or_report(
                registry.lookup(name),
                &actors,
                name,
                span,
                *file,
                "acts_for.actor",
                diags,
            ) else {
                continue;
            };
            spans.push(span.clone());
            roles.push(Role {
                principal,
                role: r.role.clone().unwrap_or_default(),
                from: r.from.as_ref().map(|d| d.0),
                to: r.to.as_ref().map(|d| d.0),
                span: Span {
                    first: r.from.as_ref().map_or(Span::ALL.first, |d| d.0.first),
                    last: r.to.as_ref().map_or(Span::ALL.last, |d| d.0.last),
                },
            });
        }
        actors[kept].roles = roles;
        role_spans.push(spans);
        kept += 1;
    }

    // Fill in where each actor is defined (line and column).
    let mut by_file: FxHashMap<FileId, Vec<usize>> = FxHashMap::default();
    for (i, (file, _)) in defined_in.iter().enumerate() {
        by_file.entry(*file).or_default().push(i);
    }
    for (file, ixs) in by_file {
        let src = files.source(file);
        for i in ixs {
            let lc = src.line_col(defined_in[i].1);
            if let Some(at) = actors[i].at.as_mut() {
                at.line = lc.line as u32;
                at.column = lc.column as u32;
            }
        }
    }

    let cycles = principals::cycles(&actors);
    for cycle in &cycles {
        let first = cycle[0] as usize;
        let next = cycle.get(1).copied().unwrap_or(cycle[0]);
        let names: Vec<&str> = cycle
            .iter()
            .chain(std::iter::once(&cycle[0]))
            .map(|&i| actors[i as usize].id.as_str())
            .collect();
        // The acts_for entry naming the next actor round the cycle.
        let role_ix = actors[first].roles.iter().position(|r| r.principal == next);
        let span = role_ix.and_then(|r| role_spans[first].get(r).cloned());
        let (file, start) = defined_in[first];
        diags.push(
            Diagnostic::new(
                Code::ActsForCycle,
                file,
                span.unwrap_or(start..start + 1),
                format!("acts_for goes round in a cycle: {}", names.join(" → ")),
            )
            .hint("an actor cannot act, through others, for itself; remove one of these roles"),
        );
    }
    let chains_ok = if cycles.is_empty() {
        match Chains::build(&actors) {
            Ok(_) => true,
            Err(ix) => {
                let (file, start) = defined_in[ix as usize];
                diags.push(
                    Diagnostic::new(
                        Code::TooLarge,
                        file,
                        start..start + 1,
                        format!(
                            "actor \"{}\" acts for others through more than {} chains of roles",
                            actors[ix as usize].id,
                            principals::MAX_CHAINS_PER_ACTOR
                        ),
                    )
                    .hint("simplify acts_for: merge overlapping roles"),
                );
                false
            }
        }
    } else {
        false
    };
    (actors, registry, chains_ok)
}

/// The actor a look-up found, or `None` after reporting why there is none.
pub(crate) fn found_or_report(
    lookup: Lookup,
    actors: &[Actor],
    name: &str,
    span: &Range<usize>,
    file: FileId,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ActorIx> {
    if let Lookup::Found(ix) = lookup {
        return Some(ix);
    }
    diags.extend(name_problem(
        &lookup,
        actors,
        name,
        span.clone(),
        file,
        field,
    ));
    None
}

/// The problem with a name whose look-up failed (none for a found one).
pub(crate) fn name_problem(
    lookup: &Lookup,
    actors: &[Actor],
    name: &str,
    span: Range<usize>,
    file: FileId,
    field: &str,
) -> Option<Diagnostic> {
    match lookup {
        Lookup::Ambiguous(owners) => {
            let mut d = Diagnostic::new(
                Code::AmbiguousName,
                file,
                span,
                format!(
                    "`{field}` \"{}\" names more than one actor: {}",
                    name.escape_debug(),
                    owners
                        .iter()
                        .map(|&o| format!(
                            "{} ({})",
                            actors[o as usize].id, actors[o as usize].name
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .hint("use the id of the actor meant");
            for &o in owners {
                if let Some(at) = actors[o as usize].at {
                    d = d.note(
                        at.file,
                        at.offset as usize..at.offset as usize + 1,
                        format!("{} is defined here", actors[o as usize].id),
                    );
                }
            }
            Some(d)
        }
        Lookup::Unknown { suggestion } => {
            let hint = match suggestion {
                Some((spelling, ix)) => {
                    let a = &actors[*ix as usize];
                    if spelling == &a.id {
                        format!("did you mean \"{spelling}\"?")
                    } else {
                        format!("did you mean \"{spelling}\" ({})?", a.id)
                    }
                }
                None => "use an actor's id, name or alias from actors/, or add the actor there"
                    .to_string(),
            };
            Some(
                Diagnostic::new(
                    Code::UnknownActor,
                    file,
                    span,
                    format!("`{field}`: no actor is named \"{}\"", name.escape_debug()),
                )
                .hint(hint),
            )
        }
        Lookup::Found(_) => None,
    }
}
