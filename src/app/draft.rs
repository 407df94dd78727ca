//! `saydo draft`: proposed claims and actions from a text, for a curator
//! to finish.

use super::*;
use crate::draft::{self, Kind};
use crate::render::common::plural;

/// Everything `saydo draft` needs.
#[derive(Clone, Debug)]
pub struct DraftConfig {
    /// The text to read.
    pub text: PathBuf,
    /// The actors folder whose names, aliases and role titles name the
    /// speakers and doers.
    pub actors: Option<PathBuf>,
    /// Write the draft here (atomically) instead of standard output.
    pub out: Option<PathBuf>,
    /// A dataset curated from the same text, to measure the draft against.
    pub against: Option<PathBuf>,
}

/// Where the text will sit in a dataset: as given when it is under
/// `seeds/` (`seeds/a.txt`), else `seeds/` and its file name.
pub(crate) fn document_name(text: &Path) -> String {
    let parts: Vec<String> = text
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match parts.iter().rposition(|p| p == "seeds") {
        Some(i) if i + 1 < parts.len() => parts[i..].join("/"),
        _ => format!("seeds/{}", parts.last().map_or("text.txt", String::as_str)),
    }
}

pub(super) fn draft(c: &DraftConfig, io: &mut Io<'_>) -> io::Result<Status> {
    let limit = crate::limits::MAX_DOCUMENT_BYTES;
    let bytes = match std::fs::metadata(&c.text) {
        Ok(m) if m.len() > limit => {
            return usage(
                io,
                &format!("{} is larger than {limit} bytes", c.text.display()),
                None,
            );
        }
        _ => match std::fs::read(&c.text) {
            Ok(b) => b,
            Err(e) => return usage(io, &format!("cannot read {}: {e}", c.text.display()), None),
        },
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return usage(
            io,
            &format!("{} is not UTF-8 text", c.text.display()),
            Some("save the text as UTF-8".into()),
        );
    };
    let actors = match &c.actors {
        None => Vec::new(),
        Some(dir) => match draft::read_actors(dir) {
            Ok(actors) => actors,
            Err(Invalid { files, problems }) => {
                let shown = problems::human(&problems, &files, io.colors.stderr);
                io.stderr.write_all(shown.as_bytes())?;
                writeln!(
                    io.stderr,
                    "error: the actors in {} are invalid; nothing drafted",
                    dir.display()
                )?;
                return Ok(Status::Error);
            }
        },
    };
    // The dataset to measure against is read first: an invalid one stops
    // the run before any draft is written.
    let against = match &c.against {
        None => None,
        Some(dataset) => match load_or_report(dataset, io)? {
            Some(data) => Some((dataset, data)),
            None => return Ok(Status::Error),
        },
    };
    let document = document_name(&c.text);
    let drafted = draft::draft(&text, &document, &actors);
    if !emit(c.out.as_ref(), io, |w| draft::write_jsonl(&drafted, w))? {
        return Ok(Status::Error);
    }
    let count = |k: Kind| drafted.records.iter().filter(|r| r.kind == k).count() as u64;
    writeln!(
        io.stderr,
        "drafted {}, {} and {} from {}, each marked draft: check them, set the scores, remove the marks",
        plural(count(Kind::Claim), "claim", "claims"),
        plural(count(Kind::Action), "action", "actions"),
        plural(drafted.actors.len() as u64, "new actor", "new actors"),
        c.text.display()
    )?;
    if let Some((dataset, data)) = against {
        let m = draft::measure(&drafted, &data, &document);
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        writeln!(
            io.stderr,
            "against {}: claims found {}/{} (missed: {}); actions found {}/{} (missed: {}); drafts thrown away {}/{} ({}); of the other kind {} ({})",
            dataset.display(),
            m.claims_found,
            m.claims,
            list(&m.claims_missed),
            m.actions_found,
            m.actions,
            list(&m.actions_missed),
            m.thrown_away.len(),
            m.drafts,
            list(&m.thrown_away),
            m.other_kind.len(),
            list(&m.other_kind),
        )?;
    }
    Ok(Status::Success)
}
