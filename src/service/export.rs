//! Exporting a session: results, summary and ranking, and for a finalised session its manifest,
//! as `council export` and the screen's `x` both do.

use crate::io::export::{ExportOptions, ManifestInfo, export_session_with_notes, write_manifest};
use crate::store::{Finalisation, Store, StoreError};
use std::path::{Path, PathBuf};

/// Exports the session: results, summary and ranking; for a finalised session also
/// manifest.json, but only after the decision log verifies (a manifest must never vouch for a
/// tampered log). Returns the files written.
pub fn write_export(store: &Store, options: &ExportOptions) -> Result<Vec<PathBuf>, ExportFailure> {
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let texts = store.load_item_texts(&session)?;
    let finalisation = store.finalisation()?;
    if finalisation.is_some() {
        check_finalised_export(store, options)?;
    }
    let mut notes = unit_notes(store, &session);
    let mut written = export_session_with_notes(&session, &texts, &mut notes, options)?;
    if let Some(finalisation) = finalisation {
        let manifest = write_manifest(&written, &manifest_info(finalisation), options)?;
        written.push(manifest);
    }
    Ok(written)
}

/// Why an export wrote nothing, or not everything (the catalogue's messages/files.rs says it).
#[derive(Debug, thiserror::Error)]
pub enum ExportFailure {
    Store(#[from] StoreError),
    /// A finalised session whose log does not verify: its record is not exported.
    DoesNotVerify(Vec<crate::store::VerifyProblem>),
    /// A finalised session's manifest.json that exists already (and no --force).
    ManifestExists(PathBuf),
    Export(#[from] crate::io::export::ExportError),
}

/// The units' own notes one unit at a time, for the workbook's unit sheets; each cut where a
/// cell of the workbook ends. (A store that fails here is said in English: the workbook writer
/// carries the reason as text.)
pub fn unit_notes<'s>(
    store: &'s Store,
    session: &'s crate::domain::Session,
) -> impl FnMut(usize) -> Result<Vec<String>, String> + 's {
    move |unit| {
        store
            .unit_notes(session, unit, crate::io::xlsx::MAX_CELL_CHARS)
            .map_err(|e| e.to_string())
    }
}

/// A finalised session is exported only when it verifies, and its manifest is only
/// overwritten when asked.
fn check_finalised_export(store: &Store, options: &ExportOptions) -> Result<(), ExportFailure> {
    let report = store.verify()?;
    if !report.is_intact() {
        return Err(ExportFailure::DoesNotVerify(report.problems));
    }
    let manifest = options.out_dir.join("manifest.json");
    if !options.force && manifest.exists() {
        return Err(ExportFailure::ManifestExists(manifest));
    }
    Ok(())
}

/// What the manifest says of the finalisation.
fn manifest_info(f: Finalisation) -> ManifestInfo {
    ManifestInfo {
        finalised_at: f.at,
        finalised_by: f.by,
        finalised_login: f.login,
        finalised_reason: f.reason,
        decision_log_entries: f.entries,
        chain_head_sha256: f.head_hash,
        session_id: f.session_id,
    }
}

/// export/ beside the database.
pub fn default_export_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("export"))
        .unwrap_or_else(|| PathBuf::from("export"))
}
