//! A folder with none of the session files: say what it holds and why none of it was read.

use super::{
    CRITERIA_FILE, EVIDENCE_FILE, PROPOSALS_FILE, SELF_SCORES_FILE, SURVEY_FILE, UNITS_FILE,
};
use crate::domain::text::tr;
use std::path::Path;

const SESSION_FILES: [&str; 6] = [
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
pub(super) fn nothing_to_read(dir: &Path) -> String {
    let names = SESSION_FILES.join(", ");
    let found = found_entries(dir);
    let found = if found.is_empty() {
        tr("the folder is empty", "thư mục trống")
    } else {
        tr(
            format!("found instead: {}", found.join("; ")),
            format!("thay vào đó có: {}", found.join("; ")),
        )
    };
    tr(
        format!("nothing to import: the folder has none of the session files ({names}); {found}"),
        format!("không có gì để nhập: thư mục không có tệp nào của phiên họp ({names}); {found}"),
    )
}

/// The folder's entries, sorted, each with the reason it was not read.
fn found_entries(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
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
    let mut found: Vec<String> = names
        .iter()
        .take(ENTRIES_NAMED)
        .map(|(name, dangling)| {
            format!(
                "{} ({})",
                crate::domain::text::excerpt(name, 60),
                why_not_read(name, *dangling)
            )
        })
        .collect();
    if total > ENTRIES_NAMED {
        let more = total - ENTRIES_NAMED;
        found.push(tr(
            format!("… and {more} more"),
            format!("… và {more} mục khác"),
        ));
    }
    found
}

fn why_not_read(name: &str, dangling: bool) -> String {
    if dangling {
        return tr(
            "a link to something that does not exist",
            "liên kết tới một thứ không tồn tại",
        );
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
        (Some(file), "csv") => tr(
            format!("names are case-sensitive: rename it {file}"),
            format!("tên tệp phân biệt chữ hoa, chữ thường: hãy đổi tên thành {file}"),
        ),
        (Some(file), "xlsx" | "xls" | "xlsm" | "ods") => tr(
            format!("a workbook: save it as CSV UTF-8 named {file}"),
            format!("là sổ tính: hãy lưu dưới dạng CSV UTF-8 với tên {file}"),
        ),
        (Some(file), _) => tr(
            format!("not a .csv file: save it as CSV UTF-8 named {file}"),
            format!("không phải tệp .csv: hãy lưu dưới dạng CSV UTF-8 với tên {file}"),
        ),
        (None, _) => tr("not a session file", "không phải tệp của phiên họp"),
    }
}
