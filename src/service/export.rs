//! Exporting a session: results, summary and ranking, and for a finalised session its manifest,
//! as `council export` and the screen's `x` both do.

use crate::io::export::{ExportOptions, ManifestInfo, export_session_with_notes, write_manifest};
use crate::store::{Finalisation, Store, StoreError};
use std::path::{Path, PathBuf};

/// Exports the session: results, summary and ranking; for a finalised session also
/// manifest.json, but only after the decision log verifies (a manifest must never vouch for a
/// tampered log). Returns the files written.
pub fn write_export(store: &Store, options: &ExportOptions) -> Result<Vec<PathBuf>, String> {
    let session = store
        .load_session()
        .map_err(|e| e.to_string())?
        .ok_or_else(|| StoreError::Empty.to_string())?;
    let texts = store.load_item_texts(&session).map_err(|e| e.to_string())?;
    let finalisation = store.finalisation().map_err(|e| e.to_string())?;
    if finalisation.is_some() {
        check_finalised_export(store, options)?;
    }
    let mut notes = unit_notes(store, &session);
    let mut written = export_session_with_notes(&session, &texts, &mut notes, options)
        .map_err(|e| e.to_string())?;
    if let Some(finalisation) = finalisation {
        let manifest = write_manifest(&written, &manifest_info(finalisation), options)
            .map_err(|e| e.to_string())?;
        written.push(manifest);
    }
    Ok(written)
}

/// The units' own notes one unit at a time, for the workbook's unit sheets; each cut where a
/// cell of the workbook ends.
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
fn check_finalised_export(store: &Store, options: &ExportOptions) -> Result<(), String> {
    let report = store.verify().map_err(|e| e.to_string())?;
    if !report.is_intact() {
        let problems = report.problems.join("; ");
        return Err(crate::domain::text::tr(
            format!("the session does not verify; not exporting a finalised record: {problems}"),
            format!("phiên họp không qua được kiểm tra; không xuất kết quả đã chốt: {problems}"),
        ));
    }
    let manifest = options.out_dir.join("manifest.json");
    if !options.force && manifest.exists() {
        let manifest = manifest.display();
        return Err(crate::domain::text::tr(
            format!("{manifest}: exists; use --force to overwrite"),
            format!("{manifest}: đã có; dùng --force để ghi đè"),
        ));
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
