//! The Word report of a session (`council report`): what the store knows, gathered for
//! `io::report`.

use crate::domain::{Bands, RankMode};
use crate::io::report::{Finalised, ReportData};
use crate::store::{Store, StoreError};
use std::path::Path;

/// Writes the report of the session in `store` to `path` (its folder made if missing); an
/// existing file is replaced only with `force`.
pub fn write_report(
    store: &Store,
    path: &Path,
    (rank_mode, bands): (RankMode, Bands),
    force: bool,
) -> Result<(), String> {
    let text = |e: StoreError| e.to_string();
    let session = store
        .load_session()
        .map_err(text)?
        .ok_or_else(|| text(StoreError::Empty))?;
    let texts = store.load_item_texts(&session).map_err(text)?;
    let settings = store.settings().map_err(text)?;
    let finalised = store.finalisation().map_err(text)?.map(|f| Finalised {
        at: f.at,
        by: f.by,
        reason: f.reason,
    });
    let data = ReportData {
        session: &session,
        texts: &texts,
        settings: &settings,
        participants: participants(store).map_err(text)?,
        finalised,
        head: store.chain_head().map_err(text)?,
        rank_mode,
        bands,
        zone: crate::domain::time::Zone::Local,
    };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    crate::io::report::write_report(path, &data, force).map_err(|e| e.to_string())
}

/// Everyone who recorded a decision, with their role where the members list has them.
fn participants(store: &Store) -> Result<Vec<String>, StoreError> {
    let members = store.members()?;
    Ok(store
        .deciders()?
        .into_iter()
        .map(|name| match members.iter().find(|m| m.name == name) {
            Some(member) => format!("{name} ({})", member.role.label()),
            None => name,
        })
        .collect())
}
