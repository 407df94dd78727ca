//! Loading a dataset folder into a validated [`Dataset`], or every problem.
//!
//! The stages: list the folders (`actors/`, `claims/`, `actions/`) and read
//! their `*.json` / `*.jsonl` files in name order; read actors and resolve
//! who acts for whom; read claims and actions in parallel chunks, resolving
//! names as they go; then check what needs the whole dataset (duplicate ids,
//! `responds_to`, quotes). Problems are collected, never thrown, and sorted
//! by place so the report does not depend on thread timing.

use crate::actors::{self, Chains, Lookup, Prepared, Registry};
use crate::date::Span;
use crate::diag::{self, Code, Diagnostic};
use crate::json::{Kind, Reader, SyntaxError};
use crate::model::normalize_topic;
use crate::model::{
    Actor, ActorIx, ActorKind, Attribution, Dataset, Extra, Location, Record, Role, TopicIx,
};
use crate::quote::Document;
use crate::records::{FieldReader, RawActor, RawRecord, RecordKind, Spanned};
use crate::source::{FileId, Files, ReadError, column};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::source::MAX_FILE_BYTES;
/// Largest source document read for quote checks.
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;
/// Problems collected from one chunk of a file (a whole `.json` file, or
/// 4 MiB of a `.jsonl` file) before saydo stops reading it: a file of
/// nothing but broken lines must not fill memory with messages.
pub const MAX_PROBLEMS_PER_CHUNK: usize = 1000;
/// JSON Lines files are parsed in chunks of about this many bytes, in parallel.
const CHUNK_BYTES: usize = 4 << 20;

/// A dataset that did not validate: every problem, errors and warnings.
#[derive(Debug)]
pub struct Invalid {
    pub files: Files,
    pub problems: Vec<Diagnostic>,
}

/// Which kind of data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    JsonLines,
}

struct DataFile {
    id: FileId,
    format: Format,
}

/// Loads and validates the dataset in `root`.
pub fn load(root: &Path) -> Result<Dataset, Invalid> {
    load_with(root, &crate::progress::Silent)
}

/// Loads and validates, reporting bytes read to `progress`.
pub fn load_with(
    root: &Path,
    progress: &dyn crate::progress::Progress,
) -> Result<Dataset, Invalid> {
    let mut files = Files::new(root);
    let mut diags = Vec::new();
    if !root.is_dir() {
        diags.push(
            Diagnostic::global(
                Code::Io,
                format!("dataset folder {} does not exist", root.display()),
            )
            .hint("give the folder that holds actors/, claims/ and actions/"),
        );
        return Err(Invalid {
            files,
            problems: diags,
        });
    }
    let actor_files = list_folder(root, "actors", false, &mut files, &mut diags);
    let claim_files = list_folder(root, "claims", true, &mut files, &mut diags);
    let action_files = list_folder(root, "actions", true, &mut files, &mut diags);

    let (actors, registry, chains_ok) = match &actor_files {
        Some(list) => {
            let (actors, registry, ok) = load_actors(list, &files, &mut diags);
            (actors, Some(registry), ok)
        }
        None => (Vec::new(), None, true),
    };

    let no_actors_defined = actor_files.is_some() && actors.is_empty();
    let data_files = claim_files.iter().chain(&action_files).flatten();
    let total: u64 = data_files
        .filter_map(|f| std::fs::metadata(files.path(f.id)).ok())
        .map(|m| m.len())
        .sum();
    progress.stage("reading", total);
    let claim_chunks = read_records(
        claim_files.as_deref().unwrap_or(&[]),
        RecordKind::Claim,
        &files,
        registry.as_ref(),
        &actors,
        progress,
    );
    let action_chunks = read_records(
        action_files.as_deref().unwrap_or(&[]),
        RecordKind::Action,
        &files,
        registry.as_ref(),
        &actors,
        progress,
    );
    progress.stage("validating", 0);

    let mut merged = Merged::default();
    let mut actors = actors;
    merged.absorb(claim_chunks, action_chunks, &mut diags);
    if registry.is_none() {
        actors = merged.make_unlisted_actors();
    }
    if no_actors_defined {
        for d in diags.iter_mut().filter(|d| d.code == Code::UnknownActor) {
            d.hint = Some("actors/ defines no actor; add the actor there, or remove the empty actors/ folder to let records name actors freely".into());
        }
    }
    let id_places = merged.check_ids(&mut diags);
    merged.resolve_responses(&id_places, &mut diags);
    check_quotes(root, &mut merged, &mut diags);

    diag::sort(&mut diags);
    diag::dedup(&mut diags);
    if diags.iter().any(Diagnostic::is_error) || !chains_ok {
        return Err(Invalid {
            files,
            problems: diags,
        });
    }
    Ok(Dataset {
        files,
        actors,
        claims: merged.claims,
        actions: merged.actions,
        topics: merged.topics,
        warnings: diags,
    })
}

/// The data files of one folder in name order, or `None` when the folder
/// is not there. Only a folder that does not exist at all is absent: one
/// that is there but cannot be listed (a link to nowhere or to itself, a
/// file, a folder saydo may not read) is an error naming it, and also
/// `None`, so that its records' references are not reported once more each.
/// A `required` folder that is absent is an error too. Other files get a
/// warning.
fn list_folder(
    root: &Path,
    name: &str,
    required: bool,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<DataFile>> {
    let dir = root.join(name);
    let listed = match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                diags.push(
                    Diagnostic::global(Code::MissingFolder, format!("the dataset has no {name}/ folder"))
                        .hint(format!("create {name}/ with *.json or *.jsonl files, or run saydo in the dataset folder")),
                );
            }
            return None;
        }
        there => there.and_then(|_| std::fs::read_dir(&dir)),
    };
    let entries = match listed {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(
                Diagnostic::global(Code::Io, format!("cannot read folder {name}/: {e}")).hint(
                    format!(
                        "make {name}/ a folder saydo can read, or remove it if the dataset has no {name}"
                    ),
                ),
            );
            return None;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    let mut out = Vec::new();
    for path in paths {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = if path.is_dir() {
            None
        } else if file_name.ends_with(".jsonl") {
            Some(Format::JsonLines)
        } else if file_name.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        };
        let id = files.add(path.clone());
        match format {
            Some(format) => out.push(DataFile { id, format }),
            None => {
                let what = if path.is_dir() { "folder" } else { "file" };
                diags.push(
                    Diagnostic::new(
                        Code::UnexpectedFile,
                        id,
                        0..0,
                        format!("{what} {file_name} in {name}/ is not read"),
                    )
                    .hint(format!(
                        "only *.json and *.jsonl files in {name}/ are data; rename or move it"
                    )),
                );
            }
        }
    }
    Some(out)
}

/// A file's text and the offset where its JSON starts (after a byte-order mark).
fn read_text(
    file: FileId,
    files: &Files,
    diags: &mut Vec<Diagnostic>,
    buffer: Vec<u8>,
) -> Option<(String, usize)> {
    let path = files.path(file);
    // A data file must be a regular file inside the dataset: not a link
    // out of it, not a device or FIFO that would never end.
    let root = files
        .root()
        .canonicalize()
        .unwrap_or_else(|_| files.root().to_path_buf());
    if let Ok(real) = path.canonicalize()
        && !real.starts_with(&root)
    {
        diags.push(
            Diagnostic::new(
                Code::Io,
                file,
                0..0,
                "file is a link to a place outside the dataset",
            )
            .hint("copy the data into the dataset folder instead of linking to it"),
        );
        return None;
    }
    let bytes = match crate::source::read_regular_into(path, MAX_FILE_BYTES, buffer) {
        Ok(b) => b,
        Err(ReadError::TooLarge) => {
            diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    file,
                    0..0,
                    "file is larger than 4 GiB, the most saydo reads",
                )
                .hint("split it into several files (JSON Lines files can be cut at any line)"),
            );
            return None;
        }
        Err(ReadError::NotAFile) => {
            diags.push(
                Diagnostic::new(
                    Code::Io,
                    file,
                    0..0,
                    "not a regular file (a folder, device or pipe)",
                )
                .hint("data folders hold ordinary *.json and *.jsonl files"),
            );
            return None;
        }
        Err(ReadError::Io(e)) => {
            diags.push(Diagnostic::new(
                Code::Io,
                file,
                0..0,
                format!("cannot read file: {e}"),
            ));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let len = e.utf8_error().error_len().unwrap_or(1);
            diags.push(
                Diagnostic::new(Code::NotUtf8, file, at..at + len, "file is not valid UTF-8")
                    .hint("save the file as UTF-8 (most editors and spreadsheet exports offer it)"),
            );
            return None;
        }
    };
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    if text[start..].trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::EmptyFile, file, 0..0, "file holds no JSON")
                .hint("write [] for a file without records, or remove the file"),
        );
        return None;
    }
    Some((text, start))
}

fn syntax_problem(file: FileId, base: usize, e: SyntaxError, jsonl: bool) -> Diagnostic {
    let span = e.at.start + base..e.at.end + base;
    if e.too_deep {
        return Diagnostic::new(Code::TooDeep, file, span, e.message)
            .hint("records nest at most a few levels; this is not a saydo dataset file");
    }
    let hint = if jsonl {
        "each line of a .jsonl file is one complete JSON record"
    } else {
        "a .json data file is one JSON array of records: [ {…}, {…} ]"
    };
    Diagnostic::new(Code::JsonSyntax, file, span, e.message).hint(hint)
}

/// Calls `each` on every top-level record of one file's text, reporting
/// syntax errors (a `.json` file stops at its first; a `.jsonl` line does).
fn for_each_record<'t>(
    text: &'t str,
    start: usize,
    end: usize,
    format: Format,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
    mut each: impl FnMut(&mut FieldReader<'t, '_>) -> crate::json::Result<()>,
) {
    match format {
        Format::Json => {
            let mut fr = FieldReader::new(Reader::new(&text[..end]), 0, file, diags);
            fr.r.skip_to(start);
            if let Err(e) = json_array(&mut fr, &mut each) {
                diags.push(syntax_problem(file, 0, *e, false));
            }
        }
        Format::JsonLines => {
            let mut line_start = start;
            let before = diags.len();
            while line_start < end {
                if diags.len() - before >= MAX_PROBLEMS_PER_CHUNK {
                    diags.push(too_many(file, line_start));
                    break;
                }
                let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..end])
                    .map_or(end, |i| line_start + i);
                let line = &text[line_start..line_end];
                if !line.trim().is_empty() {
                    // The reader sees the file up to the end of the line and
                    // starts at the line, so every span is a file offset.
                    let mut fr = FieldReader::new(Reader::new(&text[..line_end]), 0, file, diags);
                    fr.r.skip_to(line_start);
                    if let Err(e) = json_line(&mut fr, &mut each) {
                        diags.push(syntax_problem(file, 0, *e, true));
                    }
                }
                line_start = line_end + 1;
            }
        }
    }
}

/// The problem that ends reading a file with too many problems.
fn too_many(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooManyProblems,
        file,
        at..at,
        format!("more than {MAX_PROBLEMS_PER_CHUNK} problems here; saydo stopped reading this part of the file"),
    )
    .hint("fix the problems above (they are often one mistake repeated) and run saydo again")
}

fn not_a_record(fr: &mut FieldReader<'_, '_>, found: Kind, hint: &str) -> crate::json::Result<()> {
    let span = fr.r.skip()?;
    let span = span.start + fr.base..span.end + fr.base;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            format!("expected a record (a JSON object), found {}", found.noun()),
        )
        .hint(hint),
    );
    Ok(())
}

fn json_array<'t>(
    fr: &mut FieldReader<'t, '_>,
    each: &mut impl FnMut(&mut FieldReader<'t, '_>) -> crate::json::Result<()>,
) -> crate::json::Result<()> {
    match fr.r.peek()? {
        Kind::Array => {}
        Kind::Object => {
            not_a_record_file(
                fr,
                "wrap the record in [ ], or name the file .jsonl for one record per line",
            )?;
            return fr.r.finish();
        }
        other => {
            not_a_record_file_kind(fr, other)?;
            return fr.r.finish();
        }
    }
    let mut seq = fr.r.array()?;
    let before = fr.diags.len();
    while fr.r.next_element(&mut seq)? {
        if fr.diags.len() - before >= MAX_PROBLEMS_PER_CHUNK {
            let at = fr.r.pos();
            fr.diags.push(too_many(fr.file, at));
            return Ok(());
        }
        match fr.r.peek()? {
            Kind::Object => each(fr)?,
            other => not_a_record(
                fr,
                other,
                "a .json data file is an array of records: [ {…}, {…} ]",
            )?,
        }
    }
    fr.r.finish()
}

fn not_a_record_file(fr: &mut FieldReader<'_, '_>, hint: &str) -> crate::json::Result<()> {
    let span = fr.r.skip()?;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            "a .json data file must hold an array of records, found an object",
        )
        .hint(hint),
    );
    Ok(())
}

fn not_a_record_file_kind(fr: &mut FieldReader<'_, '_>, found: Kind) -> crate::json::Result<()> {
    let span = fr.r.skip()?;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            format!(
                "a .json data file must hold an array of records, found {}",
                found.noun()
            ),
        )
        .hint("a .json data file is one JSON array of records: [ {…}, {…} ]"),
    );
    Ok(())
}

fn json_line<'t>(
    fr: &mut FieldReader<'t, '_>,
    each: &mut impl FnMut(&mut FieldReader<'t, '_>) -> crate::json::Result<()>,
) -> crate::json::Result<()> {
    match fr.r.peek()? {
        Kind::Object => each(fr)?,
        other => not_a_record(fr, other, "each line of a .jsonl file is one record: {…}")?,
    }
    fr.r.finish()
}

// ---------------------------------------------------------------- actors

/// Reads every actor file, then checks ids, names, roles and cycles.
/// Returns the actors (in file order), their registry, and whether chains
/// could be built.
fn load_actors(
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

    let cycles = actors::cycles(&actors);
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
                            actors::MAX_CHAINS_PER_ACTOR
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
fn found_or_report(
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
fn name_problem(
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

// ---------------------------------------------------------------- records

/// How a chunk turns names into actors.
enum Names<'r> {
    Registry {
        registry: &'r Registry,
        actors: &'r [Actor],
        cache: FxHashMap<String, Lookup>,
    },
    /// No actors/ folder: every distinct (normalised) name is an actor;
    /// indices are local to the chunk until merged.
    Unlisted {
        keys: FxHashMap<String, u32>,
        spellings: Vec<(String, String)>,
    },
}

impl Names<'_> {
    /// The record's actor and target names, prepared for look-up a
    /// record before they are looked up ([`Registry::prepare`]).
    fn prepare(&self, raw: &RawRecord<'_>) -> Keys {
        match self {
            Names::Registry { registry, .. } => [&raw.actor, &raw.target]
                .map(|name| name.as_ref().and_then(|(name, _)| registry.prepare(name))),
            Names::Unlisted { .. } => [None, None],
        }
    }

    fn resolve(
        &mut self,
        name: &str,
        key: Option<&Prepared>,
        span: &Range<usize>,
        file: FileId,
        field: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ActorIx> {
        match self {
            Names::Registry {
                registry,
                actors,
                cache,
            } => {
                // Most names resolve at once; the cache spares the failures
                // (and their suggestions) from being worked out again.
                let found = match key {
                    Some(key) => registry.find_prepared(key),
                    None => registry.find(name),
                };
                if let Some(&[one]) = found {
                    return Some(one);
                }
                let lookup = match cache.get(name) {
                    Some(l) => l.clone(),
                    None => {
                        let l = registry.lookup(name);
                        cache.insert(name.to_string(), l.clone());
                        l
                    }
                };
                found_or_report(lookup, actors, name, span, file, field, diags)
            }
            Names::Unlisted { keys, spellings } => {
                let key = crate::model::normalize_name(name);
                let next = keys.len() as u32;
                let ix = *keys.entry(key.clone()).or_insert_with(|| {
                    spellings.push((key, name.trim().to_string()));
                    next
                });
                let spelled = &mut spellings[ix as usize].1;
                let trimmed = name.trim();
                if trimmed < spelled.as_str() {
                    *spelled = trimmed.to_string();
                }
                Some(ix)
            }
        }
    }
}

/// A record's actor and target names as [`Names::prepare`] leaves them.
type Keys = [Option<Prepared>; 2];

/// What one chunk of a claims or actions file yields.
#[derive(Default)]
struct Chunk {
    kind: Option<RecordKind>,
    records: Vec<Record>,
    /// (record index in chunk, ids as written) for `responds_to`.
    responses: Vec<(u32, Vec<Spanned<String>>)>,
    /// (record index in chunk, document, quote) for quote checks.
    quotes: Vec<(u32, Spanned<String>, Option<Spanned<String>>)>,
    /// Ids of records that had problems (still checked for duplicates).
    broken_ids: Vec<(String, FileId, Range<usize>)>,
    diags: Vec<Diagnostic>,
    /// Topic names; records hold indices into this until merged.
    topics: Vec<String>,
    /// For unlisted actors: (key, spelling) of the local indices.
    unlisted: Vec<(String, String)>,
    /// Line breaks in the chunk, to number the lines of the chunks after it.
    newlines: u32,
}

fn read_records(
    list: &[DataFile],
    kind: RecordKind,
    files: &Files,
    registry: Option<&Registry>,
    actors: &[Actor],
    progress: &dyn crate::progress::Progress,
) -> Vec<Chunk> {
    // Files are read into buffers handed on from file to file: a few, as
    // many as files read at once, instead of fresh memory for every file.
    let buffers = std::sync::Mutex::new(Vec::new());
    let buffer = || buffers.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let per_file: Vec<Vec<Chunk>> = list
        .par_iter()
        .map(|f| {
            let mut diags = Vec::new();
            let read = read_text(f.id, files, &mut diags, buffer().unwrap_or_default());
            let Some((text, start)) = read else {
                return vec![Chunk {
                    kind: Some(kind),
                    diags,
                    ..Chunk::default()
                }];
            };
            let bounds = chunk_bounds(&text, start, f.format);
            let mut chunks: Vec<Chunk> = bounds
                .par_iter()
                .enumerate()
                .map(|(n, r)| {
                    let chunk = parse_chunk(&text, r.clone(), n, f, kind, registry, actors);
                    progress.advance(r.len() as u64);
                    chunk
                })
                .collect();
            chunks[0].diags.append(&mut diags);
            // Turn chunk-relative lines into file lines.
            let mut line = 0u32;
            for c in &mut chunks {
                for rec in &mut c.records {
                    rec.at.line += line;
                }
                line += c.newlines;
            }
            let mut free = buffers.lock().unwrap_or_else(|e| e.into_inner());
            free.push(text.into_bytes());
            chunks
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

/// Chunks of a file to parse in parallel: one for a `.json` file, pieces
/// cut at line breaks for `.jsonl`.
fn chunk_bounds(text: &str, start: usize, format: Format) -> Vec<Range<usize>> {
    if format == Format::Json {
        return std::iter::once(start..text.len()).collect();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = start;
    while from < bytes.len() {
        let mut to = (from + CHUNK_BYTES).min(bytes.len());
        if to < bytes.len() {
            to = memchr::memchr(b'\n', &bytes[to..]).map_or(bytes.len(), |i| to + i + 1);
        }
        out.push(from..to);
        from = to;
    }
    if out.is_empty() {
        out.push(start..start);
    }
    out
}

fn parse_chunk<'t>(
    text: &'t str,
    range: Range<usize>,
    n: usize,
    f: &DataFile,
    kind: RecordKind,
    registry: Option<&Registry>,
    actors: &[Actor],
) -> Chunk {
    // Lines before the chunk's start, if any, hold no line break (the
    // first chunk starts after a byte order mark at most).
    let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[range.clone()]).count();
    // A JSON Lines chunk holds at most one record per line: sized up front,
    // the vector never grows (each growth copies it into fresh memory).
    let capacity = match f.format {
        Format::JsonLines => newlines + 1,
        Format::Json => 0,
    };
    let mut chunk = Chunk {
        kind: Some(kind),
        records: Vec::with_capacity(capacity),
        newlines: newlines as u32,
        ..Chunk::default()
    };
    let mut names = match registry {
        Some(registry) => Names::Registry {
            registry,
            actors,
            cache: FxHashMap::default(),
        },
        None => Names::Unlisted {
            keys: FxHashMap::default(),
            spellings: Vec::new(),
        },
    };
    let mut topic_ix: FxHashMap<String, TopicIx> = FxHashMap::default();
    let mut diags = Vec::new();
    let chunk_start = if n == 0 { 0 } else { range.start };
    let bytes = text.as_bytes();
    // Lines and columns: walk the chunk once, in step with record offsets
    // (ascending). A record on the same line as the one before counts its
    // column on from that one's: a minified file is one line.
    let mut line = 0u32;
    let mut line_start = chunk_start;
    let mut scanned = chunk_start;
    let mut last_column = 0;
    // Names are looked up one record late, so that where they lie has
    // come from memory meanwhile: a record waits in `pending` while the
    // next is read.
    let mut pending: Option<(RawRecord<'t>, Keys, Location)> = None;
    // Finishes the pending record, and gives back its topics' vector for
    // the next record to reuse.
    let mut finish = |pending: Option<(RawRecord<'t>, Keys, Location)>,
                      names: &mut Names<'_>,
                      diags: &mut Vec<Diagnostic>| {
        pending.map_or_else(Vec::new, |(raw, keys, location)| {
            finish_record(
                raw,
                &keys,
                kind,
                location,
                names,
                &mut topic_ix,
                &mut chunk,
                diags,
            )
        })
    };
    let mut spare_topics = Vec::new();
    for_each_record(
        text,
        range.start,
        range.end,
        f.format,
        f.id,
        &mut diags,
        |fr| {
            let raw = fr.record_reusing(kind, std::mem::take(&mut spare_topics))?;
            let at = raw.start;
            let before = line;
            for nl in memchr::memchr_iter(b'\n', &bytes[scanned..at]) {
                line += 1;
                line_start = scanned + nl + 1;
            }
            last_column = if line == before && last_column > 0 {
                last_column + column(bytes, scanned, at) - 1
            } else {
                column(bytes, line_start, at)
            };
            scanned = at;
            let location = Location {
                file: f.id,
                offset: at as u32,
                line: line + 1,
                column: last_column as u32,
            };
            let keys = names.prepare(&raw);
            spare_topics = finish(pending.replace((raw, keys, location)), &mut names, fr.diags);
            Ok(())
        },
    );
    finish(pending, &mut names, &mut diags);
    let mut topics: Vec<(String, TopicIx)> = topic_ix.into_iter().collect();
    topics.sort_by_key(|(_, ix)| *ix);
    chunk.topics = topics.into_iter().map(|(t, _)| t).collect();
    if let Names::Unlisted { spellings, .. } = names {
        chunk.unlisted = spellings;
    }
    chunk.diags.append(&mut diags);
    chunk
}

/// The chunk-local index of a topic, normalising it (without allocating
/// when it is already normal and known, the common case).
fn topic_index(topic_ix: &mut FxHashMap<String, TopicIx>, raw: &str) -> TopicIx {
    // Every key is normal, so a topic written as a key is that key (the
    // common case, looked up before it is checked).
    if let Some(&ix) = topic_ix.get(raw) {
        return ix;
    }
    let normal = raw
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b' ' && b != b'_');
    // A normal topic was just looked up as written; only another spelling
    // of a known topic needs looking up again.
    let key = if normal {
        raw.to_string()
    } else {
        let key = normalize_topic(raw);
        if let Some(&ix) = topic_ix.get(&key) {
            return ix;
        }
        key
    };
    let next = topic_ix.len() as TopicIx;
    topic_ix.insert(key, next);
    next
}

#[allow(clippy::too_many_arguments)]
fn finish_record<'t>(
    raw: RawRecord<'t>,
    keys: &Keys,
    kind: RecordKind,
    at: Location,
    names: &mut Names<'_>,
    topic_ix: &mut FxHashMap<String, TopicIx>,
    chunk: &mut Chunk,
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::borrow::Cow<'t, str>> {
    let file = at.file;
    let actor = raw
        .actor
        .as_ref()
        .and_then(|(n, s)| names.resolve(n, keys[0].as_ref(), s, file, "actor", diags));
    let target = match &raw.target {
        Some((n, s)) => names
            .resolve(n, keys[1].as_ref(), s, file, "target", diags)
            .map(Some),
        None => Some(None),
    };
    let (
        Some(actor),
        Some(target),
        Some(date),
        Some(score),
        Some(text),
        Some((id, id_span)),
        false,
    ) = (
        actor,
        target,
        raw.date,
        raw.score,
        raw.text,
        raw.id.clone(),
        raw.broken,
    )
    else {
        if let Some((id, span)) = raw.id {
            chunk.broken_ids.push((id.into_owned(), file, span));
        }
        return raw.topics;
    };
    let mut topics: Vec<TopicIx> = raw
        .topics
        .iter()
        .map(|t| topic_index(topic_ix, t))
        .collect();
    topics.sort_unstable();
    topics.dedup();
    let index = chunk.records.len() as u32;
    if !raw.responds_to.is_empty() {
        chunk.responses.push((
            index,
            raw.responds_to
                .into_iter()
                .map(|(s, r)| (s.into_owned(), r))
                .collect(),
        ));
    }
    match (raw.document, raw.quote) {
        (Some((doc, span)), quote) => {
            chunk.quotes.push((
                index,
                (doc.into_owned(), span),
                quote.map(|(q, s)| (q.into_owned(), s)),
            ));
        }
        (None, Some((_, span))) => diags.push(
            Diagnostic::new(
                Code::BadDocument,
                file,
                span,
                "a quote needs the document it is from",
            )
            .hint("add \"document\": \"seeds/<file>\" to the source"),
        ),
        (None, None) => {}
    }
    let extra = (raw.url.is_some() || raw.notes.is_some()).then(|| {
        Box::new(Extra {
            url: raw.url.map(Into::into),
            notes: raw.notes.map(Into::into),
            ..Extra::default()
        })
    });
    chunk.records.push(Record {
        id_offset: id_span.start as u32,
        id: id.into(),
        actor,
        target,
        date,
        score,
        attribution: match kind {
            RecordKind::Claim => Attribution::Confirmed,
            RecordKind::Action => raw.attribution.unwrap_or(Attribution::Confirmed),
        },
        topics: topics.into_boxed_slice(),
        responds_to: Box::new([]),
        text: text.into(),
        extra,
        at,
    });
    raw.topics
}

/// A record's quote to prove: (kind, record index, document, quote).
type QuoteCheck = (RecordKind, usize, Spanned<String>, Option<Spanned<String>>);

/// Claims and actions from all chunks, with topics and (unlisted) actors
/// numbered globally.
#[derive(Default)]
struct Merged {
    claims: Vec<Record>,
    actions: Vec<Record>,
    topics: Vec<String>,
    /// (is action, record index, ids) for responds_to.
    responses: Vec<(usize, Vec<Spanned<String>>)>,
    quotes: Vec<QuoteCheck>,
    broken_ids: Vec<(String, FileId, Range<usize>)>,
    unlisted: Vec<(String, String)>,
}

impl Merged {
    fn absorb(&mut self, claims: Vec<Chunk>, actions: Vec<Chunk>, diags: &mut Vec<Diagnostic>) {
        // Global topic numbering: sorted names.
        let mut all_topics: Vec<String> = claims
            .iter()
            .chain(&actions)
            .flat_map(|c| c.topics.iter().cloned())
            .collect();
        all_topics.sort_unstable();
        all_topics.dedup();
        let topic_ix: FxHashMap<String, TopicIx> = all_topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as TopicIx))
            .collect();
        self.topics = all_topics;
        // Unlisted actors: sorted keys, smallest spelling.
        let mut unlisted: FxHashMap<String, String> = FxHashMap::default();
        for c in claims.iter().chain(&actions) {
            for (key, spelling) in &c.unlisted {
                let e = unlisted
                    .entry(key.clone())
                    .or_insert_with(|| spelling.clone());
                if spelling < e {
                    *e = spelling.clone();
                }
            }
        }
        let mut unlisted_owned: Vec<(String, String)> = unlisted.into_iter().collect();
        unlisted_owned.sort_unstable();
        let actor_ix: FxHashMap<String, ActorIx> = unlisted_owned
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i as ActorIx))
            .collect();

        // Renumber topics (and unlisted actors) in place, chunks in parallel.
        let mut chunks: Vec<Chunk> = claims.into_iter().chain(actions).collect();
        chunks.par_iter_mut().for_each(|chunk| {
            let topic_map: Vec<TopicIx> =
                chunk.topics.iter().map(|t| topic_ix[t.as_str()]).collect();
            let actor_map: Vec<ActorIx> = chunk
                .unlisted
                .iter()
                .map(|(k, _)| actor_ix[k.as_str()])
                .collect();
            for rec in &mut chunk.records {
                for t in rec.topics.iter_mut() {
                    *t = topic_map[*t as usize];
                }
                rec.topics.sort_unstable();
                if !actor_map.is_empty() {
                    rec.actor = actor_map[rec.actor as usize];
                    rec.target = rec.target.map(|t| actor_map[t as usize]);
                }
            }
        });
        // Concatenate into vectors of exactly the right size, freeing each
        // chunk as it is moved, so the records never exist twice.
        let (mut claims, mut actions) = (Vec::new(), Vec::new());
        let (mut n_claims, mut n_actions) = (self.claims.len(), self.actions.len());
        let mut rest = Vec::with_capacity(chunks.len());
        for mut chunk in chunks {
            let kind = chunk.kind.unwrap_or(RecordKind::Claim);
            let (parts, n) = match kind {
                RecordKind::Claim => (&mut claims, &mut n_claims),
                RecordKind::Action => (&mut actions, &mut n_actions),
            };
            let offset = *n;
            *n += chunk.records.len();
            parts.push(std::mem::take(&mut chunk.records));
            rest.push((kind, offset, chunk));
        }
        crate::perf::parallel::append_parts(&mut self.claims, claims);
        crate::perf::parallel::append_parts(&mut self.actions, actions);
        // Sized first: pushed one by one, these grew by copying into fresh
        // memory, one thread working and the other idle.
        self.responses
            .reserve_exact(rest.iter().map(|(_, _, c)| c.responses.len()).sum());
        self.quotes
            .reserve_exact(rest.iter().map(|(_, _, c)| c.quotes.len()).sum());
        for (kind, offset, chunk) in rest {
            for (i, ids) in chunk.responses {
                self.responses.push((offset + i as usize, ids));
            }
            for (i, doc, quote) in chunk.quotes {
                self.quotes.push((kind, offset + i as usize, doc, quote));
            }
            self.broken_ids.extend(chunk.broken_ids);
            diags.extend(chunk.diags);
        }
        self.unlisted = unlisted_owned;
    }

    fn make_unlisted_actors(&self) -> Vec<Actor> {
        self.unlisted
            .iter()
            .map(|(key, spelling)| Actor {
                id: key.clone(),
                name: spelling.clone(),
                kind: ActorKind::Unlisted,
                aliases: Vec::new(),
                roles: Vec::new(),
                at: None,
            })
            .collect()
    }

    /// Ids are unique among all claims and actions. Ids are hashed and
    /// sorted in parallel; only ids with equal hashes are compared.
    /// Returns the sorted id hashes of [`Merged::id_places`], which
    /// `resolve_responses` searches.
    fn check_ids(&self, diags: &mut Vec<Diagnostic>) -> Vec<(u64, u32)> {
        let places = self.id_places();
        let mut i = 0;
        while i < places.len() {
            let mut j = i + 1;
            while j < places.len() && places[j].0 == places[i].0 {
                j += 1;
            }
            if j - i > 1 {
                // Same hash: group by id, in file order.
                let mut group: Vec<(&str, FileId, usize)> =
                    places[i..j].iter().map(|&(_, k)| self.id_at(k)).collect();
                group.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
                for w in 1..group.len() {
                    let (id, file, offset) = group[w];
                    let first = group[..w].iter().find(|g| g.0 == id);
                    if let Some(&(_, first_file, first_offset)) = first {
                        let span = id_span((file, offset), id, &self.broken_ids);
                        let first_span = id_span((first_file, first_offset), id, &self.broken_ids);
                        diags.push(
                            Diagnostic::new(Code::DuplicateId, file, span, format!("id \"{id}\" is used twice"))
                                .hint("ids must be unique among all claims and actions; rename one of them")
                                .note(first_file, first_span, "first used here"),
                        );
                    }
                }
            }
            i = j;
        }
        places
    }

    /// (hash of id, which record) for every claim, action and broken record,
    /// sorted. `which` numbers claims, then actions, then broken records.
    fn id_places(&self) -> Vec<(u64, u32)> {
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let (nc, na) = (self.claims.len(), self.actions.len());
        let mut places: Vec<(u64, u32)> = (0..nc + na + self.broken_ids.len())
            .into_par_iter()
            .map(|k| (hash(self.id_at(k as u32).0), k as u32))
            .collect();
        places.par_sort_unstable();
        places
    }

    /// The id, file and id offset of record `k` (numbered as in `id_places`).
    fn id_at(&self, k: u32) -> (&str, FileId, usize) {
        let k = k as usize;
        let (nc, na) = (self.claims.len(), self.actions.len());
        if k < nc + na {
            let r = if k < nc {
                &self.claims[k]
            } else {
                &self.actions[k - nc]
            };
            (&r.id, r.at.file, r.id_offset as usize)
        } else {
            let (id, file, span) = &self.broken_ids[k - nc - na];
            (id, *file, span.start)
        }
    }

    /// `responds_to` names actions. Ids are found by binary search among
    /// the sorted id hashes of `id_places` (a map of a million ids would
    /// cost more memory than the records it indexes).
    fn resolve_responses(&mut self, id_places: &[(u64, u32)], diags: &mut Vec<Diagnostic>) {
        if self.responses.is_empty() {
            return;
        }
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let (nc, na) = (self.claims.len() as u32, self.actions.len() as u32);
        let action_ix = |id: &str| {
            let h = hash(id);
            let from = id_places.partition_point(|e| e.0 < h);
            id_places[from..]
                .iter()
                .take_while(|e| e.0 == h)
                .filter(|e| (nc..nc + na).contains(&e.1))
                .map(|e| e.1 - nc)
                .find(|&a| &*self.actions[a as usize].id == id)
        };
        // In parallel: each look-up is a binary search over a million
        // hashes, a few cache misses each. Problems keep the records' order.
        let resolved: Vec<(usize, Box<[u32]>, Vec<Diagnostic>)> = self
            .responses
            .par_iter()
            .map(|(ix, ids)| {
                let file = self.actions[*ix].at.file;
                let mut targets = Vec::new();
                let mut problems = Vec::new();
                let response = &self.actions[*ix];
                for (id, span) in ids {
                    match action_ix(id) {
                        Some(a) if a as usize == *ix => problems.push(
                            Diagnostic::new(
                                Code::SelfResponse,
                                file,
                                span.clone(),
                                format!("action \"{}\" responds to itself", response.id),
                            )
                            .hint("responds_to names the other actions this one answers"),
                        ),
                        // Over before the deed it answers began: not a
                        // response, so it makes no pair reciprocal.
                        Some(a) if response.date.last < self.actions[a as usize].date.first => problems.push(
                            Diagnostic::new(
                                Code::EarlyResponse,
                                file,
                                span.clone(),
                                format!(
                                    "action \"{}\" ({}) responds to \"{}\", which starts later ({}); the response is not counted",
                                    response.id,
                                    response.date,
                                    id.escape_debug(),
                                    self.actions[a as usize].date
                                ),
                            )
                            .hint("a response cannot come before what it answers: check both dates, or the direction of responds_to"),
                        ),
                        Some(a) => targets.push(a),
                        None => problems.push(
                            Diagnostic::new(
                                Code::UnknownReference,
                                file,
                                span.clone(),
                                format!("responds_to: no action has id \"{}\"", id.escape_debug()),
                            )
                            .hint(self.unknown_response_hint(id)),
                        ),
                    }
                }
                targets.sort_unstable();
                targets.dedup();
                (*ix, targets.into_boxed_slice(), problems)
            })
            .collect();
        for (ix, targets, mut problems) in resolved {
            self.actions[ix].responds_to = targets;
            diags.append(&mut problems);
        }
    }

    /// The hint for a `responds_to` id that no action has.
    fn unknown_response_hint(&self, id: &str) -> String {
        if self.claims.iter().any(|r| &*r.id == id) {
            format!("\"{id}\" is a claim; responds_to names actions (deeds) being answered")
        } else if self.actions.len() <= 100_000 {
            let mut ids: Vec<&str> = self.actions.iter().map(|r| &*r.id).collect();
            ids.sort_unstable();
            match crate::suggest::closest(id, ids) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => "responds_to lists ids of actions in actions/".into(),
            }
        } else {
            "responds_to lists ids of actions in actions/".into()
        }
    }
}

/// The span of an id value: ids that pass validation are written without
/// escapes, so the span is the id and its quotes.
fn id_span(
    file_offset: (FileId, usize),
    id: &str,
    broken: &[(String, FileId, Range<usize>)],
) -> Range<usize> {
    let (file, offset) = file_offset;
    if let Some((_, _, span)) = broken
        .iter()
        .find(|(b, f, s)| b == id && *f == file && s.start == offset)
    {
        return span.clone();
    }
    offset..offset + id.len() + 2
}

/// Every quote occurs in its document, and every document is a file in the
/// dataset. Records the line where each quote was found.
fn check_quotes(root: &Path, merged: &mut Merged, diags: &mut Vec<Diagnostic>) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut docs: FxHashMap<String, Result<Document, String>> = FxHashMap::default();
    let quotes = std::mem::take(&mut merged.quotes);
    for (kind, ix, (doc, doc_span), quote) in quotes {
        let rec = match kind {
            RecordKind::Claim => &mut merged.claims[ix],
            RecordKind::Action => &mut merged.actions[ix],
        };
        let file = rec.at.file;
        let loaded = docs
            .entry(doc.clone())
            .or_insert_with(|| open_document(&canonical_root, &doc));
        let document = match loaded {
            Ok(d) => d,
            Err(why) => {
                diags.push(
                    Diagnostic::new(
                        Code::BadDocument,
                        file,
                        doc_span,
                        format!("source document \"{}\" {why}", doc.escape_debug()),
                    )
                    .hint("documents are paths inside the dataset, such as \"seeds/report.txt\""),
                );
                continue;
            }
        };
        let extra = rec.extra.get_or_insert_with(Default::default);
        extra.document = Some(doc.as_str().into());
        let Some((quote, quote_span)) = quote else {
            continue;
        };
        match document.find(&quote) {
            Some(line) => {
                extra.quote = Some(quote.into());
                extra.quote_line = Some(line);
            }
            None => {
                let passage = document.closest(&quote);
                let hint = match passage {
                    Some(p) => format!(
                        "the closest passage, at {doc}:{}, reads: \"{}\"",
                        p.line,
                        crate::quote::fold_quote(&p.text)
                    ),
                    None => format!("quote the words exactly as {doc} has them"),
                };
                diags.push(
                    Diagnostic::new(
                        Code::Misquote,
                        file,
                        quote_span,
                        format!("{} \"{}\": the quote is not in {doc}", kind.noun(), rec.id),
                    )
                    .hint(hint),
                );
            }
        }
    }
}

/// Whether `path` (canonical, inside the canonical `root`) is one of the
/// dataset's data files: a `*.json` or `*.jsonl` file in `actors/`,
/// `claims/` or `actions/`.
fn is_data_file(root: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = inside.components();
    let in_data_folder = parts.next().is_some_and(|folder| {
        ["actors", "claims", "actions"].contains(&folder.as_os_str().to_str().unwrap_or(""))
    });
    in_data_folder
        && parts.count() == 1
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "jsonl")
        )
}

fn open_document(root: &Path, doc: &str) -> Result<Document, String> {
    let rel = Path::new(doc);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err("is not a path inside the dataset".into());
    }
    let path = root.join(rel);
    let canonical = path
        .canonicalize()
        .map_err(|_| "does not exist".to_string())?;
    if !canonical.starts_with(root) {
        return Err("lies outside the dataset".into());
    }
    if is_data_file(root, &canonical) {
        // A record could otherwise cite its own file and "prove" its
        // quote from its own text.
        return Err("is a data file of the dataset, which cannot prove a quote".into());
    }
    if !canonical.is_file() {
        return Err("is not a file".into());
    }
    let bytes =
        crate::source::read_regular(&canonical, MAX_DOCUMENT_BYTES).map_err(|e| match e {
            ReadError::TooLarge => format!(
                "is larger than {} MiB, the most saydo reads",
                MAX_DOCUMENT_BYTES >> 20
            ),
            ReadError::NotAFile => "is not a regular file".to_string(),
            ReadError::Io(e) => format!("cannot be read ({e})"),
        })?;
    let text = String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())?;
    Ok(Document::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_spelled_differently_share_an_index() {
        let mut topic_ix = FxHashMap::default();
        let raws = [
            "Trade_Deals",
            "trade-deals",
            "TRADE DEALS",
            "water",
            "trade-deals",
            "Water",
            "wa ter",
        ];
        let got: Vec<TopicIx> = raws
            .iter()
            .map(|raw| topic_index(&mut topic_ix, raw))
            .collect();
        assert_eq!(got, [0, 0, 0, 1, 0, 1, 2]);
        let mut keys: Vec<&str> = topic_ix.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["trade-deals", "wa-ter", "water"]);
    }
}
