//! The Word report of a session (`council report`): what the store knows, gathered for
//! `io::report`.

use crate::domain::{Bands, RankMode};
use crate::io::report::{Finalised, ReportData};
use crate::store::{Store, StoreError};
use std::path::Path;

/// Why the report was not written (the catalogue's messages/files.rs says it).
#[derive(Debug, thiserror::Error)]
pub enum ReportFailure {
    Store(#[from] StoreError),
    /// The report's folder could not be made (the system's words).
    Folder {
        folder: std::path::PathBuf,
        error: String,
    },
    Export(#[from] crate::io::export::ExportError),
}

/// Writes the report of the session in `store` to `path` (its folder made if missing); an
/// existing file is replaced only with `force`.
pub fn write_report(
    store: &Store,
    path: &Path,
    (rank_mode, bands): (RankMode, Bands),
    force: bool,
) -> Result<(), ReportFailure> {
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let texts = store.load_item_texts(&session)?;
    let settings = store.settings()?;
    let finalised = store.finalisation()?.map(|f| Finalised {
        at: f.at,
        by: f.by,
        reason: f.reason,
    });
    let data = ReportData {
        session: &session,
        texts: &texts,
        settings: &settings,
        participants: participants(store)?,
        finalised,
        head: store.chain_head()?,
        rank_mode,
        bands,
        zone: crate::domain::time::Zone::Local,
    };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| ReportFailure::Folder {
            folder: folder.to_path_buf(),
            error: e.to_string(),
        })?;
    }
    Ok(crate::io::report::write_report(path, &data, force)?)
}

/// Everyone who recorded a decision, with their role where the members list has them.
fn participants(store: &Store) -> Result<Vec<String>, StoreError> {
    let members = store.members()?;
    Ok(store
        .deciders()?
        .into_iter()
        .map(|name| match members.iter().find(|m| m.name == name) {
            Some(member) => format!("{name} ({})", crate::io::report::role_name(member.role)),
            None => name,
        })
        .collect())
}
