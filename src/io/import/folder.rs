//! A folder with none of the session files: say what it holds and why none of it was read.

use super::{
    CRITERIA_FILE, EVIDENCE_FILE, PROPOSALS_FILE, SELF_SCORES_FILE, SURVEY_FILE, UNITS_FILE,
};
use crate::io::{FolderEntry, NotRead, Problem};
use std::path::Path;

/// The six files a session folder may hold.
pub const SESSION_FILES: [&str; 6] = [
    CRITERIA_FILE,
    UNITS_FILE,
    SELF_SCORES_FILE,
    EVIDENCE_FILE,
    PROPOSALS_FILE,
    SURVEY_FILE,
];
/// How many of the folder's entries the message names.
const ENTRIES_NAMED: usize = 12;

/// The error for a folder that has none of the six session files.
pub(super) fn nothing_to_read(dir: &Path) -> Problem {
    let (found, more) = found_entries(dir);
    Problem::NothingToRead { found, more }
}

/// The folder's first entries, sorted, each with the reason it was not read; how many more.
fn found_entries(dir: &Path) -> (Vec<FolderEntry>, usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (Vec::new(), 0);
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .map(|entry| {
            let dangling = entry.file_type().is_ok_and(|t| t.is_symlink())
                && std::fs::metadata(entry.path()).is_err();
            (entry.file_name().to_string_lossy().into_owned(), dangling)
        })
        .collect();
    names.sort();
    let total = names.len();
    let found = names
        .iter()
        .take(ENTRIES_NAMED)
        .map(|(name, dangling)| FolderEntry {
            name: crate::domain::text::excerpt(name, 60),
            why: why_not_read(name, *dangling),
        })
        .collect();
    (found, total.saturating_sub(ENTRIES_NAMED))
}

fn why_not_read(name: &str, dangling: bool) -> NotRead {
    if dangling {
        return NotRead::DanglingLink;
    }
    let lower = name.to_lowercase();
    let (stem, extension) = match lower.rsplit_once('.') {
        Some((stem, extension)) => (stem.to_string(), extension.to_string()),
        None => (lower.clone(), String::new()),
    };
    let session_stem = SESSION_FILES
        .iter()
        .find(|file| file.trim_end_matches(".csv") == stem.replace([' ', '-'], "_"));
    match (session_stem, extension.as_str()) {
        (Some(file), "csv") => NotRead::NameCase(file),
        (Some(file), "xlsx" | "xls" | "xlsm" | "ods") => NotRead::Workbook(file),
        (Some(file), _) => NotRead::NotCsv(file),
        (None, _) => NotRead::NotASessionFile,
    }
}
