//! Loading a dataset folder into a validated [`Dataset`], or every problem.
//!
//! The stages: list the folders (`actors/`, `claims/`, `actions/`,
//! `reviews/`) and read their `*.json` / `*.jsonl` files in name order;
//! read actors and resolve who acts for whom; read claims and actions in
//! parallel chunks, resolving names as they go; then check what needs the
//! whole dataset (duplicate ids, `responds_to`, quotes, the records that
//! reviewers' decisions name). Problems are collected, never thrown, and sorted
//! by place so the report does not depend on thread timing.

pub(crate) mod actors;
mod document;
mod merge;
pub mod names;
mod quotes;
mod records;
mod reviews;
mod topics;

use crate::diag::{self, Code, Diagnostic};
use crate::input::read::{DataFile, Format, list_folder};
use crate::input::records::RecordKind;
use crate::input::source::Files;
use crate::model::Dataset;
use actors::load_actors;
use merge::Merged;
use quotes::check_quotes;
use records::read_records;
use reviews::load_reviews;
use std::path::{Path, PathBuf};

pub use quotes::MAX_DOCUMENT_BYTES;

/// A dataset that did not validate: every problem, errors and warnings.
#[derive(Debug)]
pub struct Invalid {
    /// The files read, to place the problems in.
    pub files: Files,
    /// Every problem, sorted by place; at least one is an error.
    pub problems: Vec<Diagnostic>,
}

/// A one-line summary; [`crate::render::problems::human`] shows every
/// problem with its place.
impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.problems.iter().filter(|d| d.is_error()).count();
        let noun = if errors == 1 { "error" } else { "errors" };
        write!(f, "the dataset is invalid: {errors} {noun}")?;
        match self.problems.iter().find(|d| d.is_error()) {
            Some(first) => write!(f, ", the first {}: {}", first.code.as_str(), first.message),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Invalid {}

/// Loads and validates the dataset in `root`.
pub fn load(root: &Path) -> Result<Dataset, Invalid> {
    load_with(root, &crate::progress::Silent)
}

/// Loads and validates, reporting bytes read to `progress`.
pub fn load_with(
    root: &Path,
    progress: &dyn crate::progress::Progress,
) -> Result<Dataset, Invalid> {
    load_keeping(root, Words::ALL, progress)
}

/// Which records a loaded dataset keeps what they say in words: their
/// `text` and their source's url and notes. Reports that only count
/// (`saydo trend`), or that never show an action's words (`check
/// --format jsonl`), load without them: on dense data those words are
/// most of what the records hold, and memory that never holds them is
/// neither filled nor freed. They are read and checked all the same, with
/// the same problems; a record that keeps none has an empty `text` and
/// no `extra` unless it quotes a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// Whether claims keep theirs.
    pub claims: bool,
    /// Whether actions keep theirs.
    pub actions: bool,
}

impl Words {
    /// Every record keeps its words.
    pub const ALL: Words = Words {
        claims: true,
        actions: true,
    };
    /// No record keeps its words.
    pub const NONE: Words = Words {
        claims: false,
        actions: false,
    };
}

/// [`load_with`], keeping only the words `words` says.
pub fn load_keeping(
    root: &Path,
    words: Words,
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
    let folders = Folders {
        actors: list_folder(root, "actors", false, &mut files, &mut diags),
        claims: list_folder(root, "claims", true, &mut files, &mut diags),
        actions: list_folder(root, "actions", true, &mut files, &mut diags),
        reviews: list_folder(root, "reviews", false, &mut files, &mut diags),
    };
    validated(files, folders, diags, words, progress)
}

/// A dataset's data files held in memory rather than in a folder: the
/// records `saydo export --from` imports, validated and resolved by the
/// same loader as a folder's without being written as JSON first.
#[derive(Debug, Default)]
pub struct Held {
    /// The folder the files would lie in: problems name them relative to
    /// it (`claims/gdelt.jsonl:3:9`).
    pub root: PathBuf,
    /// The files of `actors/`, in the order a folder's are read (by name).
    pub actors: Vec<HeldFile>,
    /// The files of `claims/`.
    pub claims: Vec<HeldFile>,
    /// The files of `actions/`.
    pub actions: Vec<HeldFile>,
}

/// One data file held in memory.
#[derive(Debug)]
pub struct HeldFile {
    /// Its name in its folder: `*.jsonl` (a record a line) or `*.json`
    /// (an array of records), as on disk.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Loads and validates a dataset held in memory, as [`load_with`] loads a
/// folder that holds the same files in `actors/`, `claims/` and
/// `actions/` (and no `reviews/`, no documents): the same records, the
/// same problems at the same places.
pub fn load_held(held: Held, progress: &dyn crate::progress::Progress) -> Result<Dataset, Invalid> {
    let mut files = Files::new(&held.root);
    let mut list = |folder: &str, held_files: Vec<HeldFile>| {
        let mut list = Vec::with_capacity(held_files.len());
        for f in held_files {
            let format = if f.name.ends_with(".jsonl") {
                Format::JsonLines
            } else {
                Format::Json
            };
            let path = held.root.join(folder).join(&f.name);
            list.push(DataFile {
                id: files.add_held(path, f.bytes),
                format,
            });
        }
        Some(list)
    };
    let folders = Folders {
        actors: list("actors", held.actors),
        claims: list("claims", held.claims),
        actions: list("actions", held.actions),
        reviews: None,
    };
    validated(files, folders, Vec::new(), Words::ALL, progress)
}

/// The data files of each folder of a dataset; `None` for a folder that
/// is not there.
struct Folders {
    actors: Option<Vec<DataFile>>,
    claims: Option<Vec<DataFile>>,
    actions: Option<Vec<DataFile>>,
    reviews: Option<Vec<DataFile>>,
}

/// Reads and validates the files listed, whether on disk or held.
fn validated(
    files: Files,
    folders: Folders,
    mut diags: Vec<Diagnostic>,
    words: Words,
    progress: &dyn crate::progress::Progress,
) -> Result<Dataset, Invalid> {
    let Folders {
        actors: actor_files,
        claims: claim_files,
        actions: action_files,
        reviews: review_files,
    } = folders;
    let root = files.root().to_path_buf();
    let root = root.as_path();
    let (actors, registry, chains_ok) = match &actor_files {
        Some(list) => {
            let (actors, registry, ok) = load_actors(list, &files, &mut diags);
            (actors, Some(registry), ok)
        }
        None => (Vec::new(), None, true),
    };

    let no_actors_defined = actor_files.is_some() && actors.is_empty();
    let data_files = claim_files.iter().chain(&action_files).flatten();
    let total: u64 = data_files.filter_map(|f| files.size(f.id)).sum();
    progress.stage("reading", total);
    let claim_chunks = read_records(
        claim_files.as_deref().unwrap_or(&[]),
        (RecordKind::Claim, words.claims),
        &files,
        registry.as_ref(),
        &actors,
        progress,
    );
    let action_chunks = read_records(
        action_files.as_deref().unwrap_or(&[]),
        (RecordKind::Action, words.actions),
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
    let reviews = load_reviews(
        review_files.as_deref().unwrap_or(&[]),
        &files,
        &merged.claims,
        &merged.actions,
        &mut diags,
    );
    // Only a dataset without errors: a record with one is not counted, and
    // the topic it holds would seem used less than it is.
    if chains_ok && !diags.iter().any(Diagnostic::is_error) {
        topics::check_lone_topics(&files, &merged, &mut diags);
    }

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
        reviews,
    })
}
