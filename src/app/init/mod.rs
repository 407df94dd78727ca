//! `saydo init [DIR]`: a new curator's first dataset. Writes a minimal
//! valid skeleton (two invented actors, a claim quoting a seed text and
//! an action that belies it) that `saydo validate` passes without a
//! warning and in which `saydo check` finds one contradiction.
//!
//! The skeleton's files are the data files beside this module, included
//! as they are, so they read and edit as a dataset does. They are written
//! into a [`Temporary`] folder and moved into place only when all are
//! complete: a new `DIR` is renamed into place whole; in an existing one,
//! the four data folders and the README are moved in, and put back as
//! they were if a move fails. Files of `DIR` that are none of those are
//! never touched, and an existing `README.md` is kept.

use super::*;
use crate::output::Temporary;

/// The skeleton: each file's path inside the dataset and its text.
const FILES: [(&str, &str); 4] = [
    ("actors/actors.json", include_str!("actors.json")),
    ("claims/claims.json", include_str!("claims.json")),
    ("actions/actions.json", include_str!("actions.json")),
    ("seeds/example.txt", include_str!("example.txt")),
];

/// The folders a dataset is made of; if `DIR` holds any, it holds a
/// dataset, which only `--force` replaces.
const FOLDERS: [&str; 4] = ["actors", "claims", "actions", "seeds"];

const README: &str = include_str!("README.md");

/// What was written.
struct Written {
    /// Whether `DIR` already had a README.md, which was kept.
    kept_readme: bool,
}

/// Why nothing was written.
enum Refused {
    /// `DIR` exists and is not a folder.
    NotAFolder,
    /// `DIR` holds these dataset folders, and `--force` was not given.
    Exists(Vec<&'static str>),
    /// Reading `DIR` or writing the skeleton failed.
    Io(io::Error),
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Self {
        Refused::Io(e)
    }
}

pub(super) fn init(dir: &Path, force: bool, io: &mut Io<'_>) -> io::Result<Status> {
    match write(dir, force) {
        Ok(written) => {
            writeln!(
                io.stderr,
                "initialised a dataset in {}: 2 actors, 1 claim, 1 action, 1 seed text{}; try saydo check {}",
                dir.display(),
                if written.kept_readme {
                    " (README.md kept as it was)"
                } else {
                    ""
                },
                dir.display()
            )?;
            Ok(Status::Success)
        }
        Err(Refused::NotAFolder) => usage(
            io,
            &format!("{} exists and is not a folder", dir.display()),
            Some("give saydo init a folder, new or existing".into()),
        ),
        Err(Refused::Exists(found)) => usage(
            io,
            &format!(
                "{} already holds a dataset ({})",
                dir.display(),
                found
                    .iter()
                    .map(|f| format!("{f}/"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(
                "choose another folder, or add --force to replace its actors/, claims/, actions/ and seeds/ (other files are kept)"
                    .into(),
            ),
        ),
        Err(Refused::Io(e)) => {
            writeln!(
                io.stderr,
                "error: cannot write a dataset in {}: {e}",
                dir.display()
            )?;
            Ok(Status::Error)
        }
    }
}

/// Writes the skeleton into `dir`, or nothing.
fn write(dir: &Path, force: bool) -> Result<Written, Refused> {
    match dir.metadata() {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(Refused::NotAFolder),
        // A new folder: written whole beside it, then renamed into place.
        Err(e) if e.kind() == io::ErrorKind::NotFound && dir.symlink_metadata().is_err() => {
            let temp = Temporary::beside(dir, ".saydo-init-")?;
            fill(temp.path(), true)?;
            temp.rename_to(dir, false)?;
            return Ok(Written { kept_readme: false });
        }
        Err(e) => return Err(Refused::Io(e)),
    }
    let found: Vec<&'static str> = FOLDERS
        .into_iter()
        .filter(|f| dir.join(f).symlink_metadata().is_ok())
        .collect();
    if !found.is_empty() && !force {
        return Err(Refused::Exists(found));
    }
    let kept_readme = dir.join("README.md").symlink_metadata().is_ok();
    let temp = Temporary::inside(dir, ".saydo-init-")?;
    fill(temp.path(), !kept_readme)?;
    let mut names: Vec<&str> = FOLDERS.to_vec();
    if !kept_readme {
        names.push("README.md");
    }
    temp.move_into(dir, &names)?;
    Ok(Written { kept_readme })
}

/// Writes the skeleton's files (and the README, if `readme`) into `root`.
fn fill(root: &Path, readme: bool) -> io::Result<()> {
    for (path, text) in FILES {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    if readme {
        std::fs::write(root.join("README.md"), README)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_folder_is_written() {
        for folder in FOLDERS {
            assert!(
                FILES
                    .iter()
                    .any(|(path, _)| path.starts_with(&format!("{folder}/"))),
                "{folder}"
            );
        }
    }

    #[test]
    fn a_failed_move_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("actors")).unwrap();
        std::fs::write(dir.path().join("actors/mine.json"), "[]").unwrap();
        let temp = Temporary::inside(dir.path(), ".saydo-init-").unwrap();
        fill(temp.path(), false).unwrap();
        // "missing" is not in the temporary folder: its move fails after
        // actors/ and claims/ were moved in.
        let err = temp.move_into(dir.path(), &["actors", "claims", "missing"]);
        assert!(err.is_err());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["actors"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("actors/mine.json")).unwrap(),
            "[]"
        );
    }
}
