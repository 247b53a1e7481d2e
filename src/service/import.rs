//! Importing a session folder into a session database: how `council import` and the screen's
//! first run both do it. The folder is read and checked whole before anything is written, and
//! a session is written in one transaction (a new one is built beside its place and linked in
//! only when complete), so a refused folder leaves the database as it was.

use crate::domain::Session;
use crate::domain::account::Host;
use crate::io::import::{ImportOptions, Refused, read_session_rows};
use crate::store::{ImportPlan, Store, StoreError};
use std::path::{Path, PathBuf};

/// Why a folder was not imported.
#[derive(Debug)]
pub enum ImportError {
    /// The path given is not a folder.
    NotAFolder(PathBuf),
    /// The folder's files hold errors; nothing was written.
    Refused(Refused),
    /// The session refused it, or could not be written.
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> ImportError {
        ImportError::Store(error)
    }
}

/// A folder read and checked against the session it goes into, not yet written: its rows and
/// the warnings met.
pub use crate::io::import::ImportedRows as CheckedFolder;

/// Reads and checks `dir` against `existing` (the session it goes into; None: a new one).
pub fn read_folder(
    dir: &Path,
    existing: Option<&Session>,
    options: ImportOptions,
) -> Result<CheckedFolder, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NotAFolder(dir.to_path_buf()));
    }
    read_session_rows(dir, existing, options).map_err(ImportError::Refused)
}

/// Imports `dir` as a new session at `db`, recorded under `by` at `at`. `read` sees the checked
/// folder (its warnings) before anything is written.
pub fn import_new(
    dir: &Path,
    db: &Path,
    (by, at): (&str, &str),
    options: ImportOptions,
    host: Host,
    read: impl FnOnce(&CheckedFolder),
) -> Result<(Store, ImportPlan, CheckedFolder), ImportError> {
    let folder = read_folder(dir, None, options)?;
    read(&folder);
    let (store, plan) = Store::create_from_rows(db, &folder.rows, (at, Some(by)), host)?;
    Ok((store, plan, folder))
}

/// Imports `dir` into the open session `store` at `at` (a resubmission keeps the earlier
/// versions), or with `dry_run` only says what it would change.
pub fn import_into(
    store: &mut Store,
    dir: &Path,
    (dry_run, at): (bool, &str),
    options: ImportOptions,
    read: impl FnOnce(&CheckedFolder),
) -> Result<(ImportPlan, CheckedFolder), ImportError> {
    let existing = store.load_session()?;
    let folder = read_folder(dir, existing.as_ref(), options)?;
    read(&folder);
    let plan = if dry_run {
        store.plan_rows(&folder.rows)?
    } else {
        store.apply_rows(&folder.rows, at)?
    };
    Ok((plan, folder))
}

/// What importing `dir` as a new session would do, creating no file.
pub fn plan_new(
    dir: &Path,
    options: ImportOptions,
    host: Host,
    read: impl FnOnce(&CheckedFolder),
) -> Result<(ImportPlan, CheckedFolder), ImportError> {
    let folder = read_folder(dir, None, options)?;
    read(&folder);
    let plan = Store::in_memory(host)?.plan_rows(&folder.rows)?;
    Ok((plan, folder))
}
