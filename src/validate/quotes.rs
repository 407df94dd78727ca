//! Proving quotes against their source documents, which must be files
//! inside the dataset and not its data files.

use super::document::Document;
use crate::diag::{Code, Diagnostic};
use crate::input::records::{RecordKind, Spanned};
use crate::input::source::ReadError;
use crate::validate::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Largest source document read for quote checks.
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

/// Every quote occurs in its document, and every document is a file in the
/// dataset. Records the line where each quote was found.
pub(crate) fn check_quotes(root: &Path, merged: &mut Merged, diags: &mut Vec<Diagnostic>) {
    let mut prover = Prover {
        root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        docs: FxHashMap::default(),
        seeds: None,
    };
    for (kind, ix, doc, quote) in std::mem::take(&mut merged.quotes) {
        let rec = match kind {
            RecordKind::Claim => &mut merged.claims[ix],
            RecordKind::Action => &mut merged.actions[ix],
        };
        let what = format!("{} \"{}\"", kind.noun(), rec.id);
        let proof = prover.prove(rec.at.file, &what, &doc, quote.as_ref(), diags);
        if proof == Proof::NoDocument {
            continue;
        }
        let extra = rec.extra.get_or_insert_with(Default::default);
        extra.document = Some(doc.0.as_str().into());
        if let (Proof::Quoted(line), Some((quote, _))) = (proof, quote) {
            extra.quote = Some(quote.into());
            extra.quote_line = Some(line);
        }
    }
    // Records with other problems: their sources are proved too, so that
    // a misquote shows beside the problem that broke the record rather
    // than after it is mended.
    for broken in std::mem::take(&mut merged.broken_quotes) {
        let what = match &broken.id {
            Some(id) => format!("{} \"{}\"", broken.kind.noun(), id),
            None => format!("this {}", broken.kind.noun()),
        };
        prover.prove(
            broken.file,
            &what,
            &broken.document,
            broken.quote.as_ref(),
            diags,
        );
    }
}

/// What proving a source found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proof {
    /// The document cannot be read (a problem was reported).
    NoDocument,
    /// The document was read; the quote, if any, is not in it (reported).
    Document,
    /// The quote is in the document, at this line.
    Quoted(u32),
}

/// Documents read once for every quote that cites them.
struct Prover {
    root: std::path::PathBuf,
    docs: FxHashMap<String, Result<Document, String>>,
    /// The files in `seeds/`, listed for the hint of the first bad document.
    seeds: Option<Vec<String>>,
}

impl Prover {
    /// Proves the source of the record `what` (`claim "c1"`) in `file`: its
    /// document can be read and its quote is in it; reports what fails.
    fn prove(
        &mut self,
        file: crate::diag::FileId,
        what: &str,
        (doc, doc_span): &Spanned<String>,
        quote: Option<&Spanned<String>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Proof {
        let root = &self.root;
        let loaded = self
            .docs
            .entry(doc.clone())
            .or_insert_with(|| open_document(root, doc));
        let document = match loaded {
            Ok(d) => d,
            Err(why) => {
                let seeds = self.seeds.get_or_insert_with(|| seed_files(root));
                diags.push(
                    Diagnostic::new(
                        Code::BadDocument,
                        file,
                        doc_span.clone(),
                        format!("source document \"{}\" {why}", doc.escape_debug()),
                    )
                    .hint(document_hint(doc, seeds)),
                );
                return Proof::NoDocument;
            }
        };
        let Some((quote, quote_span)) = quote else {
            return Proof::Document;
        };
        if let Some(line) = document.find(quote) {
            return Proof::Quoted(line);
        }
        let hint = match document.closest(quote) {
            Some(p) => format!(
                "the closest passage, at {doc}:{}, reads: \"{}\"",
                p.line,
                super::document::fold_quote(&p.text)
            ),
            None => format!("quote the words exactly as {doc} has them"),
        };
        diags.push(
            Diagnostic::new(
                Code::Misquote,
                file,
                quote_span.clone(),
                format!("{what}: the quote is not in {doc}"),
            )
            .hint(hint),
        );
        Proof::Document
    }
}

/// Whether `path` (canonical, inside the canonical `root`) is one of the
/// dataset's data files: a `*.json` or `*.jsonl` file in `actors/`,
/// `claims/` or `actions/`.
pub(crate) fn is_data_file(root: &Path, path: &Path) -> bool {
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

/// The files directly in the dataset's `seeds/`, as documents name them
/// (`seeds/report.txt`), sorted.
fn seed_files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root.join("seeds"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(|n| format!("seeds/{n}")))
        .collect();
    files.sort();
    files
}

/// What to write instead of a document that cannot be read: the seed
/// file closest to it, or the seed files there are.
fn document_hint(doc: &str, seeds: &[String]) -> String {
    if let Some(near) = crate::suggest::closest(doc, seeds.iter().map(String::as_str)) {
        return format!("did you mean \"{near}\"?");
    }
    match seeds {
        [] => "documents are paths inside the dataset, such as \"seeds/report.txt\"".to_string(),
        [one] => format!("documents are paths inside the dataset; seeds/ holds \"{one}\""),
        many => {
            let shown: Vec<String> = many.iter().take(5).map(|s| format!("\"{s}\"")).collect();
            let more = if many.len() > 5 { ", …" } else { "" };
            format!(
                "documents are paths inside the dataset; seeds/ holds {}{more}",
                shown.join(", ")
            )
        }
    }
}

pub(crate) fn open_document(root: &Path, doc: &str) -> Result<Document, String> {
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
    let bytes = crate::input::source::read_regular(&canonical, MAX_DOCUMENT_BYTES).map_err(
        |e| match e {
            ReadError::TooLarge => format!(
                "is larger than {} MiB, the most saydo reads",
                MAX_DOCUMENT_BYTES >> 20
            ),
            ReadError::NotAFile => "is not a regular file".to_string(),
            ReadError::Io(e) => format!("cannot be read ({e})"),
        },
    )?;
    let text = String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())?;
    Ok(Document::new(text))
}
