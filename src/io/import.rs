//! Reading a session folder of CSV files into an [`ImportBatch`], with every problem reported at
//! its file:line:column.
//!
//! Each file is read in one streaming pass over a reused record, with a hash lookup per row, so
//! that a folder of 10,000 units imports in about a second.

use super::{ImportBatch, InputError, InputWarning, ProposalRow, SelfScoreRow, SurveyRow};
use crate::domain::score::ScoreParseError;
use crate::domain::text::{fold_for_search, nfc, tr};
use crate::domain::{
    Code, CriterionDef, CriterionKind, Evidence, Framework, FrameworkError, Session, Unit,
    parse_score,
};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// A validated folder and the warnings met while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub batch: ImportBatch,
    pub warnings: Vec<InputWarning>,
}

/// More errors than this are counted, not listed: nobody reads the 201st.
const MAX_LISTED: usize = 200;
/// How many leaf codes a "leaves without a self-score" warning names.
const MAX_CODES_NAMED: usize = 5;
/// Past this many evidence rows on one item, duplicate refs are found with a set, not a scan.
const EVIDENCE_SCAN_LIMIT: usize = 32;

pub const CRITERIA_FILE: &str = "criteria.csv";
pub const UNITS_FILE: &str = "units.csv";
pub const SELF_SCORES_FILE: &str = "self_scores.csv";
pub const EVIDENCE_FILE: &str = "evidence.csv";
pub const PROPOSALS_FILE: &str = "proposals.csv";
pub const SURVEY_FILE: &str = "survey.csv";

/// Reads and validates a session folder. `existing` is the session already in the database (its
/// framework and units), if any: used when the folder has no criteria.csv / units.csv, and to
/// know unit codes.
pub fn read_session_dir(
    dir: &Path,
    existing: Option<&Session>,
) -> Result<Imported, Vec<InputError>> {
    let mut report = Report::default();

    let criteria_path = dir.join(CRITERIA_FILE);
    let (file_framework, criteria_ok) = match load(&criteria_path, &mut report) {
        Loaded::Bytes(bytes) => match read_criteria(&criteria_path, &bytes, &mut report) {
            Some(framework) => (Some(framework), true),
            None => (None, false),
        },
        Loaded::Missing if existing.is_none() => {
            report.error(
                &criteria_path,
                None,
                None,
                tr(
                    "file not found: a new session needs criteria.csv (code, title, max_points)",
                    "không tìm thấy tệp: phiên họp mới cần tệp criteria.csv (code, title, max_points)",
                ),
            );
            (None, false)
        }
        Loaded::Missing => (None, true),
        Loaded::Failed => (None, false),
    };
    let framework: Option<&Framework> = if criteria_ok {
        file_framework
            .as_ref()
            .or(existing.map(|session| &session.framework))
    } else {
        None
    };

    let mut units = UnitIndex::default();
    if let Some(session) = existing {
        for unit in &session.units {
            units.add(&unit.code);
        }
    }
    let units_path = dir.join(UNITS_FILE);
    let file_units = match load(&units_path, &mut report) {
        Loaded::Bytes(bytes) => read_units(&units_path, &bytes, &mut units, &mut report),
        Loaded::Missing if existing.is_none() => {
            report.error(
                &units_path,
                None,
                None,
                tr(
                    "file not found: a new session needs units.csv (unit_code, unit_name)",
                    "không tìm thấy tệp: phiên họp mới cần tệp units.csv (unit_code, unit_name)",
                ),
            );
            Vec::new()
        }
        Loaded::Missing | Loaded::Failed => Vec::new(),
    };

    // The item files only depend on the criteria and units: read evidence.csv (the largest)
    // on a second thread while this one reads the others.
    let evidence_path = dir.join(EVIDENCE_FILE);
    let (mut sheets, evidence_sheets, evidence_report, proposals, survey) =
        std::thread::scope(|scope| {
            let evidence = scope.spawn(|| {
                let mut evidence_report = Report::default();
                let mut evidence_sheets = Sheets::new(framework, &units);
                if let Loaded::Bytes(bytes) = load(&evidence_path, &mut evidence_report) {
                    read_evidence(
                        &evidence_path,
                        &bytes,
                        framework,
                        &units,
                        &mut evidence_sheets,
                        &mut evidence_report,
                    );
                }
                (evidence_sheets, evidence_report)
            });
            let mut sheets = Sheets::new(framework, &units);
            let self_path = dir.join(SELF_SCORES_FILE);
            match load(&self_path, &mut report) {
                Loaded::Bytes(bytes) => {
                    read_self_scores(
                        &self_path,
                        &bytes,
                        framework,
                        &units,
                        &mut sheets,
                        &mut report,
                    );
                    if existing.is_none()
                        && let Some(framework) = framework
                    {
                        warn_missing_leaves(&self_path, framework, &sheets, &mut report);
                    }
                }
                Loaded::Missing if existing.is_none() => report.error(
                    &self_path,
                    None,
                    None,
                    tr(
                        "file not found: a new session needs self_scores.csv \
                         (unit_code, criterion_code, self_score)",
                        "không tìm thấy tệp: phiên họp mới cần tệp self_scores.csv \
                         (unit_code, criterion_code, self_score)",
                    ),
                ),
                Loaded::Missing | Loaded::Failed => {}
            }
            let mut proposals_report = Report::default();
            let mut proposals = Vec::new();
            let proposals_path = dir.join(PROPOSALS_FILE);
            if let Loaded::Bytes(bytes) = load(&proposals_path, &mut proposals_report) {
                proposals = read_items(
                    &PROPOSALS_SHAPE,
                    &proposals_path,
                    &bytes,
                    framework,
                    &units,
                    &mut proposals_report,
                );
            }
            let mut survey = Vec::new();
            let survey_path = dir.join(SURVEY_FILE);
            if let Loaded::Bytes(bytes) = load(&survey_path, &mut proposals_report) {
                survey = read_items(
                    &SURVEY_SHAPE,
                    &survey_path,
                    &bytes,
                    framework,
                    &units,
                    &mut proposals_report,
                );
            }
            let (evidence_sheets, evidence_report) = match evidence.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (
                sheets,
                evidence_sheets,
                (evidence_report, proposals_report),
                proposals,
                survey,
            )
        });
    // Messages stay in file order: self-scores, evidence, proposals and survey.
    report.absorb(evidence_report.0);
    report.absorb(evidence_report.1);
    sheets.take_evidence(evidence_sheets);

    if report.error_count > 0 {
        return Err(report.into_errors(dir));
    }
    let submissions = match framework {
        Some(framework) => sheets.into_submissions(framework),
        None => Vec::new(),
    };
    let warnings = report.into_warnings(dir);
    Ok(Imported {
        batch: ImportBatch {
            framework: file_framework,
            units: file_units,
            submissions,
            proposals,
            survey,
        },
        warnings,
    })
}

// ---------------------------------------------------------------------------------------------
// Errors and warnings

#[derive(Default)]
struct Report {
    errors: Vec<InputError>,
    error_count: usize,
    warnings: Vec<InputWarning>,
    warning_count: usize,
}

fn entry(file: &Path, line: Option<u64>, column: Option<u64>, message: String) -> InputError {
    InputError {
        file: file.to_path_buf(),
        line,
        column,
        message,
    }
}

impl Report {
    fn error(
        &mut self,
        file: &Path,
        line: Option<u64>,
        column: Option<u64>,
        message: impl Into<String>,
    ) {
        let place = (file, line, column);
        push_capped(&mut self.errors, &mut self.error_count, place, message);
    }

    fn warn(
        &mut self,
        file: &Path,
        line: Option<u64>,
        column: Option<u64>,
        message: impl Into<String>,
    ) {
        let place = (file, line, column);
        push_capped(&mut self.warnings, &mut self.warning_count, place, message);
    }

    /// Appends another report's messages after this one's, within the same caps.
    fn absorb(&mut self, other: Report) {
        self.error_count += other.error_count;
        self.warning_count += other.warning_count;
        let room = MAX_LISTED.saturating_sub(self.errors.len());
        self.errors.extend(other.errors.into_iter().take(room));
        let room = MAX_LISTED.saturating_sub(self.warnings.len());
        self.warnings.extend(other.warnings.into_iter().take(room));
    }

    fn into_errors(self, dir: &Path) -> Vec<InputError> {
        with_unlisted(self.errors, self.error_count, dir, Noun::Errors)
    }

    fn into_warnings(self, dir: &Path) -> Vec<InputWarning> {
        with_unlisted(self.warnings, self.warning_count, dir, Noun::Warnings)
    }
}

/// Counts a message and lists it while fewer than [`MAX_LISTED`] are listed.
fn push_capped(
    listed: &mut Vec<InputError>,
    count: &mut usize,
    (file, line, column): (&Path, Option<u64>, Option<u64>),
    message: impl Into<String>,
) {
    *count += 1;
    if listed.len() < MAX_LISTED {
        listed.push(entry(file, line, column, message.into()));
    }
}

/// What a list of messages holds, to name it in its closing line.
enum Noun {
    Errors,
    Warnings,
}

/// The listed messages, ending with how many more there were.
fn with_unlisted(
    mut listed: Vec<InputError>,
    count: usize,
    dir: &Path,
    noun: Noun,
) -> Vec<InputError> {
    let unlisted = count - listed.len();
    if unlisted > 0 {
        let message = match noun {
            Noun::Errors => tr(
                format!("… {unlisted} more errors"),
                format!("… và {unlisted} lỗi khác"),
            ),
            Noun::Warnings => tr(
                format!("… {unlisted} more warnings"),
                format!("… và {unlisted} cảnh báo khác"),
            ),
        };
        listed.push(entry(dir, None, None, message));
    }
    listed
}

// ---------------------------------------------------------------------------------------------
// Files, encodings and headers

enum Loaded {
    Missing,
    /// Unreadable or not UTF-8; already reported.
    Failed,
    /// UTF-8 text without its byte-order mark.
    Bytes(Vec<u8>),
}

fn load(path: &Path, report: &mut Report) -> Loaded {
    let mut bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(error) => {
            report.error(
                path,
                None,
                None,
                tr(
                    format!("cannot read the file: {error}"),
                    format!("không đọc được tệp: {error}"),
                ),
            );
            return Loaded::Failed;
        }
    };
    // Only the cheap checks here: csv validates UTF-8 record by record, and a failure there
    // comes back to check_utf8 for the exact place (validating twice costs 5% of an import).
    if let Err(error) = check_encoding_marks(&bytes) {
        report.error(path, Some(error.line), Some(error.column), error.message);
        return Loaded::Failed;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Loaded::Bytes(bytes)
}

struct EncodingError {
    line: u64,
    column: u64,
    message: String,
}

fn save_as_utf8() -> String {
    tr(
        "not UTF-8 text; save the file as UTF-8",
        "tệp không phải văn bản UTF-8; hãy lưu tệp dưới dạng UTF-8",
    )
}

/// Finds the first byte that keeps the file from being UTF-8 text, by line and field.
fn check_utf8(bytes: &[u8]) -> Result<(), EncodingError> {
    check_encoding_marks(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(()),
        Err(error) => Err(bad_byte_at(bytes, error.valid_up_to())),
    }
}

/// UTF-16 byte-order marks and NUL bytes (binary files), which are fast to look for.
fn check_encoding_marks(bytes: &[u8]) -> Result<(), EncodingError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let order = if bytes[0] == 0xFF { "LE" } else { "BE" };
        return Err(EncodingError {
            line: 1,
            column: 1,
            message: tr(
                format!(
                    "{} (found a UTF-16 {order} byte-order mark: the file is UTF-16, \
                     as spreadsheet programs write \"Unicode text\")",
                    save_as_utf8()
                ),
                format!(
                    "{} (gặp dấu thứ tự byte UTF-16 {order}: tệp là UTF-16, \
                     như các chương trình bảng tính ghi khi chọn \"Unicode text\")",
                    save_as_utf8()
                ),
            ),
        });
    }
    if !bytes.contains(&0) {
        return Ok(());
    }
    // Report whichever comes first: an invalid byte or the NUL.
    let nul = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let offset = match std::str::from_utf8(&bytes[..nul]) {
        Ok(_) => nul,
        Err(error) => error.valid_up_to(),
    };
    Err(bad_byte_at(bytes, offset))
}

fn bad_byte_at(bytes: &[u8], offset: usize) -> EncodingError {
    let (line, column) = place_of(&bytes[..offset]);
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let hint = if byte == 0 {
        tr(
            "found a NUL byte: this looks like a binary file, not CSV text",
            "gặp byte NUL: tệp có vẻ là tệp nhị phân, không phải văn bản CSV",
        )
    } else {
        tr(
            format!(
                "found byte 0x{byte:02X}, which is not valid UTF-8 (a legacy encoding such as \
                 Windows-1258, TCVN3 or Latin-1?)"
            ),
            format!(
                "gặp byte 0x{byte:02X}, không hợp lệ trong UTF-8 (tệp dùng bảng mã cũ như \
                 Windows-1258, TCVN3 hay Latin-1?)"
            ),
        )
    };
    EncodingError {
        line,
        column,
        message: format!("{} ({hint})", save_as_utf8()),
    }
}

/// The 1-based line and field number reached after `prefix`, following CSV quoting.
fn place_of(prefix: &[u8]) -> (u64, u64) {
    let (mut line, mut field, mut quoted) = (1u64, 1u64, false);
    for &byte in prefix {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' => {
                line += 1;
                if !quoted {
                    field = 1;
                }
            }
            _ => {}
        }
    }
    (line, field)
}

/// A column a file may have, by its English name and its aliases (already folded: lower case,
/// no diacritics, '_' between words).
struct Column {
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

const fn column(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        name,
        aliases,
        required,
    }
}

const UNIT_CODE_ALIASES: &[&str] = &["unit", "ma_don_vi", "ma_dv", "don_vi_ma"];
const CRITERION_CODE_ALIASES: &[&str] = &[
    "criterion",
    "criterion_code",
    "ma_tieu_chi",
    "tieu_chi",
    "code",
    "ma",
];
const NOTE_ALIASES: &[&str] = &["notes", "ghi_chu", "giai_trinh", "thuyet_minh", "nhan_xet"];

mod criteria_col {
    pub const CODE: usize = 0;
    pub const TITLE: usize = 1;
    pub const MAX: usize = 2;
    pub const MIN: usize = 3;
    pub const STEP: usize = 4;
    pub const KIND: usize = 5;
    pub const RULE: usize = 6;
}
const CRITERIA_COLUMNS: &[Column] = &[
    column(
        "code",
        &["ma", "ma_so", "ma_tieu_chi", "criterion_code"],
        true,
    ),
    column(
        "title",
        &["ten", "ten_tieu_chi", "tieu_chi", "noi_dung", "name"],
        true,
    ),
    column(
        "max_points",
        &["max", "diem_toi_da", "toi_da", "diem_chuan"],
        true,
    ),
    column("min_points", &["min", "diem_toi_thieu", "toi_thieu"], false),
    column("step", &["buoc", "buoc_diem", "buoc_cham"], false),
    column("kind", &["loai", "type", "loai_diem"], false),
    column(
        "rule",
        &[
            "cach_tinh_diem",
            "cach_tinh",
            "cach_cham_diem",
            "cach_cham",
            "quy_tac",
            "huong_dan",
        ],
        false,
    ),
];

mod units_col {
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const GROUP: usize = 2;
}
const UNITS_COLUMNS: &[Column] = &[
    column(
        "unit_code",
        &["ma_don_vi", "ma_dv", "code", "ma", "unit"],
        true,
    ),
    column(
        "unit_name",
        &["ten_don_vi", "ten_dv", "name", "ten", "don_vi"],
        true,
    ),
    column("group", &["nhom", "nhom_don_vi", "khoi", "loai"], false),
];

/// The first two columns of self_scores, evidence, proposals and survey.
const UNIT: usize = 0;
const CRITERION: usize = 1;

mod self_col {
    pub const SCORE: usize = 2;
    pub const NOTE: usize = 3;
}
const SELF_SCORES_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "self_score",
        &[
            "score",
            "diem_tu_cham",
            "tu_cham",
            "diem_tu_danh_gia",
            "diem_tu_danh_gia_cham_diem",
            "diem",
        ],
        true,
    ),
    column("note", NOTE_ALIASES, false),
];

mod evidence_col {
    pub const REF: usize = 2;
    pub const TITLE: usize = 3;
    pub const LOCATION: usize = 4;
}
const EVIDENCE_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "ref",
        &[
            "reference",
            "so_hieu",
            "so_ky_hieu",
            "so_hieu_van_ban",
            "so_van_ban",
        ],
        true,
    ),
    column(
        "title",
        &["trich_yeu", "ten", "ten_tai_lieu", "tieu_de", "ten_van_ban"],
        false,
    ),
    column(
        "location",
        &[
            "file",
            "link",
            "url",
            "duong_dan",
            "vi_tri",
            "tep",
            "tep_tin",
        ],
        false,
    ),
];

mod proposal_col {
    pub const SCORE: usize = 2;
    pub const NOTE: usize = 3;
}
const PROPOSALS_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "proposed_score",
        &[
            "proposal",
            "score",
            "diem_de_xuat",
            "de_xuat",
            "diem_tham_dinh",
            "diem_tham_dinh_de_xuat",
            "diem",
        ],
        true,
    ),
    column("note", NOTE_ALIASES, false),
];

mod survey_col {
    pub const SCORE: usize = 2;
}
const SURVEY_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "score",
        &["survey_score", "diem", "diem_dieu_tra", "diem_khao_sat"],
        true,
    ),
];

/// A header cell folded for matching: lower case, no diacritics, words joined by '_'.
fn header_key(cell: &str) -> String {
    // No column name or alias is long; a huge cell (a 100 MB line) need not be folded.
    if cell.len() > 200 {
        return "\u{0}".to_string();
    }
    let folded = fold_for_search(cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'));
    let mut key = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        } else {
            key.push(c);
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

/// A cell as quoted in a message: trimmed and cut short.
fn quote(cell: &str) -> String {
    crate::domain::text::excerpt(cell.trim(), crate::domain::text::EXCERPT_CHARS)
}

fn column_names<'c>(columns: impl Iterator<Item = &'c Column>) -> String {
    columns.map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// One CSV file being read: its reader, and where each declared column sits.
struct Table<'a> {
    path: &'a Path,
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    /// A byte offset already converted to a line, to count lines incrementally.
    counted: (usize, u64),
    /// For each declared column, its 0-based field index in the file.
    fields: Vec<Option<usize>>,
    width: usize,
}

impl<'a> Table<'a> {
    /// Reads the header row and maps it onto `columns`. None (with errors reported) when a
    /// required column is missing or the file is empty.
    fn open(
        path: &'a Path,
        bytes: &'a [u8],
        columns: &[Column],
        report: &mut Report,
    ) -> Option<Table<'a>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut header = csv::StringRecord::new();
        let header_line = match reader.read_record(&mut header) {
            Ok(true) => line_of(bytes, header.position().map_or(0, |p| p.byte())),
            Ok(false) => {
                report.error(path, Some(1), None, {
                    let names = column_names(columns.iter().filter(|c| c.required));
                    tr(
                        format!(
                            "the file is empty: expected a header row with the columns {names}"
                        ),
                        format!("tệp trống: cần một dòng tiêu đề với các cột {names}"),
                    )
                });
                return None;
            }
            Err(error) => {
                report_csv_error(path, bytes, &error, report);
                return None;
            }
        };
        let mut fields: Vec<Option<usize>> = vec![None; columns.len()];
        let mut unknown = Vec::new();
        let mut ok = true;
        for (index, cell) in header.iter().enumerate() {
            let key = header_key(cell);
            let found = columns
                .iter()
                .position(|c| c.name == key || c.aliases.contains(&key.as_str()));
            match found {
                Some(declared) => match fields[declared] {
                    Some(first) => {
                        report.error(
                            path,
                            Some(header_line),
                            Some(index as u64 + 1),
                            {
                                let name = columns[declared].name;
                                let first_as = quote(header.get(first).unwrap_or(""));
                                let first_column = first + 1;
                                let again_as = quote(cell);
                                tr(
                                    format!(
                                        "column '{name}' appears twice: as '{first_as}' (column {first_column}) and as '{again_as}'"
                                    ),
                                    format!(
                                        "cột '{name}' xuất hiện hai lần: là '{first_as}' (cột {first_column}) và là '{again_as}'"
                                    ),
                                )
                            },
                        );
                        ok = false;
                    }
                    None => fields[declared] = Some(index),
                },
                None if cell.trim().is_empty() => {
                    let number = index + 1;
                    unknown.push(tr(
                        format!("(unnamed column {number})"),
                        format!("(cột {number} không có tên)"),
                    ))
                }
                None => unknown.push(format!("'{}'", quote(cell))),
            }
        }
        let found_names = || {
            header
                .iter()
                .map(|c| format!("'{}'", quote(c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Spreadsheets set to some locales write ';' or tabs between columns.
        let separator_hint = match header.get(0) {
            Some(only) if header.len() == 1 && (only.contains(';') || only.contains('\t')) => {
                let found = if only.contains(';') {
                    "';'".to_string()
                } else {
                    tr("tabs", "dấu tab")
                };
                tr(
                    format!(
                        " (the file seems to use {found} between columns: save it as CSV with commas)"
                    ),
                    format!(
                        " (tệp có vẻ dùng {found} để ngăn cách các cột: hãy lưu dưới dạng CSV ngăn cách bằng dấu phẩy)"
                    ),
                )
            }
            _ => String::new(),
        };
        for (declared, column) in columns.iter().enumerate() {
            if column.required && fields[declared].is_none() {
                let aliases = if column.aliases.is_empty() {
                    String::new()
                } else {
                    let aliases = column.aliases.join(", ");
                    tr(format!(" (or {aliases})"), format!(" (hoặc {aliases})"))
                };
                report.error(
                    path,
                    Some(header_line),
                    None,
                    {
                        let (name, found) = (column.name, found_names());
                        tr(
                            format!(
                                "missing required column '{name}'{aliases}; the header has: {found}{separator_hint}"
                            ),
                            format!(
                                "thiếu cột bắt buộc '{name}'{aliases}; dòng tiêu đề có: {found}{separator_hint}"
                            ),
                        )
                    },
                );
                ok = false;
            }
        }
        if !unknown.is_empty() {
            report.warn(path, Some(header_line), None, {
                let (unknown, known) = (unknown.join(", "), column_names(columns.iter()));
                tr(
                    format!("unknown columns ignored: {unknown} (known columns: {known})"),
                    format!(
                        "bỏ qua các cột không xác định: {unknown} (các cột được biết: {known})"
                    ),
                )
            });
        }
        if !ok && let Err(encoding) = check_utf8(bytes) {
            // The rows will not be read: say now that the file is not UTF-8 either.
            report.error(
                path,
                Some(encoding.line),
                Some(encoding.column),
                encoding.message,
            );
        }
        ok.then(|| Table {
            path,
            bytes,
            reader,
            counted: (0, 1),
            fields,
            width: header.len(),
        })
    }

    /// Reads the next record with the header's number of fields, reporting the others; returns
    /// the line it starts on. Rows of nothing but empty cells are skipped.
    fn next(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64> {
        loop {
            match self.reader.read_record(record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => {
                    report_csv_error(self.path, self.bytes, &error, report);
                    return None;
                }
            }
            let line = self.line_at(record.position().map_or(0, |p| p.byte()));
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if record.len() != self.width {
                let (few, column) = if record.len() < self.width {
                    (true, record.len() + 1)
                } else {
                    (false, self.width + 1)
                };
                let (expected, found) = (self.width, record.len());
                let message = match few {
                    true => tr(
                        format!(
                            "too few fields: expected {expected} (as in the header), found {found}"
                        ),
                        format!("thiếu ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
                    ),
                    false => tr(
                        format!(
                            "too many fields: expected {expected} (as in the header), found {found}"
                        ),
                        format!("thừa ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
                    ),
                };
                report.error(self.path, Some(line), Some(column as u64), message);
                continue;
            }
            return Some(line);
        }
    }

    /// The physical line of a record that csv says starts at `byte`. csv's own line count
    /// misses line breaks inside quoted fields with CRLF, so lines are counted here, forward.
    fn line_at(&mut self, byte: u64) -> u64 {
        let (from, line) = self.counted;
        let to = record_start(self.bytes, byte);
        if to < from {
            return line_of(self.bytes, byte);
        }
        let line = line + count_newlines(&self.bytes[from..to]);
        self.counted = (to, line);
        line
    }

    /// The raw cell of a declared column; "" when the file has no such column.
    fn cell<'r>(&self, record: &'r csv::StringRecord, declared: usize) -> &'r str {
        self.fields[declared]
            .and_then(|index| record.get(index))
            .unwrap_or("")
    }

    /// The 1-based column number of a declared column, for error positions.
    fn column(&self, declared: usize) -> Option<u64> {
        self.fields[declared].map(|index| index as u64 + 1)
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Where a record's first field begins. csv puts a record's start just after the previous
/// record's '\r', so the '\n' of a CRLF (and any blank lines) come first: skip them.
fn record_start(bytes: &[u8], byte: u64) -> usize {
    let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// The 1-based line of the record csv says starts at `byte`.
fn line_of(bytes: &[u8], byte: u64) -> u64 {
    1 + count_newlines(&bytes[..record_start(bytes, byte)])
}

fn report_csv_error(path: &Path, bytes: &[u8], error: &csv::Error, report: &mut Report) {
    if let csv::ErrorKind::Utf8 { .. } = error.kind()
        && let Err(encoding) = check_utf8(bytes)
    {
        report.error(
            path,
            Some(encoding.line),
            Some(encoding.column),
            encoding.message,
        );
        return;
    }
    let line = error.position().map(|p| line_of(bytes, p.byte()));
    report.error(
        path,
        line,
        None,
        tr(
            format!("cannot read the CSV: {error}"),
            format!("không đọc được tệp CSV: {error}"),
        ),
    );
}

/// A fast check that covers precomposed Vietnamese: characters below U+0300 (ASCII, Latin-1,
/// Latin Extended-A/B: ă â đ ê ô ơ ư …) and U+1EA0–U+1EFF (ạ ả ấ … ỹ) are all NFC and none of
/// them composes with a neighbour, so text made only of them is NFC.
fn surely_nfc(text: &str) -> bool {
    // Works on the UTF-8 bytes: below U+0300 (no combining marks yet) or one of Vietnamese's
    // precomposed letters U+1EA0–U+1EFF (E1 BA A0 … E1 BB BF) is NFC whatever follows.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0xC2..=0xCB => i += 2,
            0xE1 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBA), Some(0xA0..=0xBF)) | (Some(0xBB), Some(_))
            ) =>
            {
                i += 3
            }
            _ => return false,
        }
    }
    true
}

/// Text as stored: trimmed and NFC.
fn clean_text(cell: &str) -> String {
    clean_code(cell).into_owned()
}

/// Trimmed and NFC, borrowed when it already is. Most text is, and checking is several times
/// faster than normalising.
fn clean_code(cell: &str) -> Cow<'_, str> {
    let trimmed = cell.trim();
    if surely_nfc(trimmed) || is_nfc_quick(trimmed.chars()) == IsNormalized::Yes {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(nfc(trimmed))
    }
}

// ---------------------------------------------------------------------------------------------
// criteria.csv

/// Where a criterion row came from, to point framework errors at it.
struct CriterionPlace {
    line: u64,
}

/// Parses a points cell of criteria.csv; None (with the error reported) when it is not a number.
fn points_cell(
    table: &Table<'_>,
    record: &csv::StringRecord,
    line: u64,
    declared: usize,
    name: &str,
    report: &mut Report,
) -> Option<Decimal> {
    match parse_score(table.cell(record, declared)) {
        Ok(points) => Some(points),
        Err(error) => {
            report.error(
                table.path,
                Some(line),
                table.column(declared),
                format!("{name}: {error}"),
            );
            None
        }
    }
}

fn read_criteria(path: &Path, bytes: &[u8], report: &mut Report) -> Option<Framework> {
    use criteria_col::*;
    // Errors are gathered here first so that framework errors can be put in line order.
    let mut local = Report::default();
    let Some(mut table) = Table::open(path, bytes, CRITERIA_COLUMNS, &mut local) else {
        // A missing column or an empty file: say so, rather than import no criteria.
        report.absorb(local);
        return None;
    };
    let mut record = csv::StringRecord::new();
    let mut defs = Vec::new();
    let mut places: HashMap<Code, CriterionPlace> = HashMap::new();
    let mut row_errors = false;
    while let Some(line) = table.next(&mut record, &mut local) {
        let before = local.error_count;
        let code_cell = table.cell(&record, CODE);
        let code = match Code::parse(code_cell) {
            Ok(code) => Some(code),
            Err(error) => {
                local.error(
                    path,
                    Some(line),
                    table.column(CODE),
                    tr(format!("code: {error}"), format!("mã (code): {error}")),
                );
                None
            }
        };
        let title = clean_text(table.cell(&record, TITLE));
        if title.is_empty() {
            local.error(
                path,
                Some(line),
                table.column(TITLE),
                tr(
                    "title: expected the criterion's title, found an empty cell",
                    "title: cần tên tiêu chí, nhưng ô để trống",
                ),
            );
        }
        let max_points = points_cell(&table, &record, line, MAX, "max_points", &mut local);
        let min_points = if table.cell(&record, MIN).trim().is_empty() {
            Some(Decimal::ZERO)
        } else {
            points_cell(&table, &record, line, MIN, "min_points", &mut local)
        };
        let step = if table.cell(&record, STEP).trim().is_empty() {
            Some(None)
        } else {
            points_cell(&table, &record, line, STEP, "step", &mut local).map(Some)
        };
        let kind_cell = table.cell(&record, KIND);
        let kind = CriterionKind::parse(kind_cell)
            .or_else(|| CriterionKind::parse(&header_key(kind_cell).replace('_', " ")))
            .or_else(|| CriterionKind::parse(&header_key(kind_cell)));
        if kind.is_none() {
            local.error(path, Some(line), table.column(KIND), {
                let found = quote(kind_cell);
                tr(
                    format!(
                        "kind: expected score, survey, bonus or penalty (or điểm, điều tra, \
                             thưởng, trừ), found '{found}'"
                    ),
                    format!(
                        "kind: cần một trong các loại điểm, điều tra, thưởng, trừ (hoặc score, \
                             survey, bonus, penalty), nhưng gặp '{found}'"
                    ),
                )
            });
        }
        let rule = clean_text(table.cell(&record, RULE));
        if let Some(code) = &code
            && let Some(first) = places.get(code)
        {
            local.error(path, Some(line), table.column(CODE), {
                let first_line = first.line;
                tr(
                    format!("duplicate criterion code {code}: it is already on line {first_line}"),
                    format!("trùng mã tiêu chí {code}: mã này đã có ở dòng {first_line}"),
                )
            });
        }
        if local.error_count > before {
            row_errors = true;
            continue;
        }
        if let (Some(code), Some(max_points), Some(min_points), Some(step), Some(kind)) =
            (code, max_points, min_points, step, kind)
        {
            places.insert(code.clone(), CriterionPlace { line });
            defs.push(CriterionDef {
                code,
                title,
                max_points,
                min_points,
                step,
                kind,
                rule,
            });
        }
    }
    // A partial set of rows would only add follow-on errors (missing parents, wrong sums).
    let framework = if row_errors || local.error_count > 0 {
        None
    } else {
        match Framework::build(defs) {
            Ok(framework) => Some(framework),
            Err(errors) => {
                for error in errors {
                    let (line, column) = match error.code().and_then(|code| places.get(code)) {
                        Some(place) => {
                            let declared = match &error {
                                FrameworkError::MaxBelowMin { .. }
                                | FrameworkError::ParentMaxMismatch { .. } => MAX,
                                FrameworkError::StepNotPositive { .. }
                                | FrameworkError::StepDoesNotDivide { .. } => STEP,
                                _ => CODE,
                            };
                            (Some(place.line), table.column(declared))
                        }
                        None => (Some(1), None),
                    };
                    let message = match error {
                        FrameworkError::Empty => tr(
                            "no criteria: the file has a header but no rows",
                            "không có tiêu chí nào: tệp có dòng tiêu đề nhưng không có dòng dữ liệu",
                        ),
                        other => other.to_string(),
                    };
                    local.error(path, line, column, message);
                }
                None
            }
        }
    };
    local
        .errors
        .sort_by_key(|e| (e.line.unwrap_or(0), e.column.unwrap_or(0)));
    for error in local.errors {
        report.error(&error.file, error.line, error.column, error.message);
    }
    for warning in local.warnings {
        report.warn(&warning.file, warning.line, warning.column, warning.message);
    }
    framework
}

// ---------------------------------------------------------------------------------------------
// units.csv

/// Every unit code the folder may refer to: the session's, then the file's new ones.
#[derive(Default)]
struct UnitIndex {
    codes: Vec<String>,
    by_code: HashMap<String, usize>,
}

impl UnitIndex {
    fn add(&mut self, code: &str) -> usize {
        if let Some(&index) = self.by_code.get(code) {
            return index;
        }
        let index = self.codes.len();
        self.codes.push(code.to_owned());
        self.by_code.insert(code.to_owned(), index);
        index
    }

    fn get(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    fn len(&self) -> usize {
        self.codes.len()
    }
}

fn read_units(path: &Path, bytes: &[u8], units: &mut UnitIndex, report: &mut Report) -> Vec<Unit> {
    use units_col::*;
    let Some(mut table) = Table::open(path, bytes, UNITS_COLUMNS, report) else {
        return Vec::new();
    };
    let mut record = csv::StringRecord::new();
    let mut file_units = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    while let Some(line) = table.next(&mut record, report) {
        let code = clean_code(table.cell(&record, CODE));
        let name = clean_text(table.cell(&record, NAME));
        let mut ok = true;
        if code.is_empty() {
            report.error(
                path,
                Some(line),
                table.column(CODE),
                tr(
                    "unit_code: expected a unit code, found an empty cell",
                    "unit_code: cần mã đơn vị, nhưng ô để trống",
                ),
            );
            ok = false;
        } else if let Some(first) = lines.get(code.as_ref()) {
            report.error(path, Some(line), table.column(CODE), {
                let code = quote(&code);
                tr(
                    format!("duplicate unit_code '{code}': it is already on line {first}"),
                    format!("trùng mã đơn vị '{code}': mã này đã có ở dòng {first}"),
                )
            });
            ok = false;
        }
        if name.is_empty() {
            report.error(
                path,
                Some(line),
                table.column(NAME),
                tr(
                    "unit_name: expected the unit's name, found an empty cell",
                    "unit_name: cần tên đơn vị, nhưng ô để trống",
                ),
            );
            ok = false;
        }
        if !code.is_empty() {
            lines.entry(code.to_string()).or_insert(line);
        }
        if ok {
            units.add(&code);
            file_units.push(Unit {
                code: code.into_owned(),
                name,
                group: clean_text(table.cell(&record, GROUP)),
            });
        }
    }
    file_units
}

// ---------------------------------------------------------------------------------------------
// Rows about one item (unit × leaf)

/// Resolves the unit and criterion cells of a row, reporting what does not resolve. The leaf
/// is None when there is no valid framework to check against (its errors are reported).
fn resolve_item(
    table: &Table<'_>,
    record: &csv::StringRecord,
    line: u64,
    framework: Option<&Framework>,
    units: &UnitIndex,
    report: &mut Report,
) -> Option<(usize, Option<usize>)> {
    let unit_cell = clean_code(table.cell(record, UNIT));
    let unit = if unit_cell.is_empty() {
        report.error(
            table.path,
            Some(line),
            table.column(UNIT),
            tr(
                "unit_code: expected a unit code, found an empty cell",
                "unit_code: cần mã đơn vị, nhưng ô để trống",
            ),
        );
        None
    } else {
        let unit = units.get(&unit_cell);
        if unit.is_none() {
            report.error(
                table.path,
                Some(line),
                table.column(UNIT),
                {
                    let code = quote(&unit_cell);
                    tr(
                        format!("unknown unit code '{code}': it is not in units.csv or the session"),
                        format!(
                            "không có mã đơn vị '{code}': mã này không có trong units.csv hay trong phiên họp"
                        ),
                    )
                },
            );
        }
        unit
    };
    let leaf = match framework {
        None => Some(None),
        Some(framework) => match resolve_leaf(framework, table.cell(record, CRITERION)) {
            Ok(leaf) => Some(Some(leaf)),
            Err(message) => {
                report.error(table.path, Some(line), table.column(CRITERION), message);
                None
            }
        },
    };
    Some((unit?, leaf?))
}

fn resolve_leaf(framework: &Framework, cell: &str) -> Result<usize, String> {
    let code = clean_code(cell);
    if code.is_empty() {
        return Err(tr(
            "criterion_code: expected a criterion code, found an empty cell",
            "criterion_code: cần mã tiêu chí, nhưng ô để trống",
        ));
    }
    let id = match framework.find(&code) {
        Some(id) => id,
        None => match Code::parse(&code) {
            // "1.01" and "1.1" are the same code.
            Ok(parsed) => framework.find(&parsed.to_string()).ok_or_else(|| {
                let code = quote(&code);
                tr(
                    format!("unknown criterion code '{code}': it is not in the criteria"),
                    format!("không có mã tiêu chí '{code}': mã này không có trong bộ tiêu chí"),
                )
            })?,
            Err(error) => return Err(format!("criterion_code: {error}")),
        },
    };
    let node = framework.node(id);
    match node.leaf_index {
        Some(leaf) => Ok(leaf),
        None => {
            let children: Vec<String> = node
                .children
                .iter()
                .take(3)
                .map(|&c| framework.node(c).code().to_string())
                .collect();
            let more = if node.children.len() > 3 { ", …" } else { "" };
            let (code, children) = (node.code(), children.join(", "));
            Err(tr(
                format!(
                    "criterion {code} is not a leaf: it has sub-criteria ({children}{more}) and its \
                     points are their sum; score the sub-criteria instead"
                ),
                format!(
                    "tiêu chí {code} không phải tiêu chí thành phần cuối cùng: tiêu chí này có các \
                     tiêu chí thành phần ({children}{more}) và điểm của nó là tổng điểm của chúng; \
                     hãy chấm điểm các tiêu chí thành phần"
                ),
            ))
        }
    }
}

fn is_survey_leaf(framework: &Framework, leaf: usize) -> bool {
    framework.leaf(leaf).def.kind == CriterionKind::Survey
}

/// The resolved leaf of a row with the framework to check it against, when there are both.
fn checkable_leaf(
    item: Option<(usize, Option<usize>)>,
    framework: Option<&Framework>,
) -> Option<(&Framework, usize)> {
    match (item, framework) {
        (Some((_, Some(leaf))), Some(framework)) => Some((framework, leaf)),
        _ => None,
    }
}

/// The error for a survey leaf in a file that does not score survey leaves (`source` names
/// the file's contents in the message); None for any other leaf.
fn survey_leaf_refused(
    framework: &Framework,
    leaf: usize,
    (source_en, source_vi): (&str, &str),
) -> Option<String> {
    is_survey_leaf(framework, leaf).then(|| {
        let code = framework.leaf(leaf).code();
        tr(
            format!(
                "criterion {code} is a survey criterion: its points come from survey.csv, not from \
                 {source_en}"
            ),
            format!(
                "tiêu chí {code} là tiêu chí điều tra xã hội học: điểm lấy từ survey.csv, không lấy \
                 từ {source_vi}"
            ),
        )
    })
}

fn duplicate_row(unit_code: &str, leaf_code: impl std::fmt::Display, first_line: u64) -> String {
    tr(
        format!(
            "duplicate row for unit '{unit_code}', criterion {leaf_code}: it is already on line {first_line}"
        ),
        format!(
            "trùng dòng của đơn vị '{unit_code}', tiêu chí {leaf_code}: đã có ở dòng {first_line}"
        ),
    )
}

/// Parses and checks a score cell against its leaf. Ok(None): empty cell.
fn read_points(
    table: &Table<'_>,
    record: &csv::StringRecord,
    line: u64,
    declared: usize,
    name: &str,
    leaf: Option<(&Framework, usize)>,
    report: &mut Report,
) -> Result<Option<Decimal>, ()> {
    let error = match parse_score(table.cell(record, declared)) {
        Ok(points) => {
            match leaf.map(|(framework, leaf)| framework.leaf(leaf).def.check_score(points)) {
                Some(Err(error)) => error.to_string(),
                _ => return Ok(Some(points)),
            }
        }
        Err(ScoreParseError::Empty) => return Ok(None),
        Err(error) => error.to_string(),
    };
    report.error(
        table.path,
        Some(line),
        table.column(declared),
        format!("{name}: {error}"),
    );
    Err(())
}

// ---------------------------------------------------------------------------------------------
// self_scores.csv and evidence.csv

/// One unit × leaf as gathered from self_scores.csv and evidence.csv.
#[derive(Default)]
struct Slot {
    /// Line of the self_scores.csv row (0: none).
    self_line: u64,
    score: Option<Decimal>,
    note: String,
    evidence: Option<Vec<Evidence>>,
}

/// Per submitting unit, its slots in leaf order.
struct Sheets {
    leaf_count: usize,
    /// Unit index → sheet index.
    sheet_of_unit: Vec<Option<usize>>,
    sheets: Vec<(usize, Vec<Slot>)>,
    unit_codes: Vec<String>,
    /// Evidence refs of items with many evidence rows, for duplicate checks.
    many_refs: HashMap<(usize, usize), HashSet<String>>,
}

impl Sheets {
    fn new(framework: Option<&Framework>, units: &UnitIndex) -> Sheets {
        Sheets {
            leaf_count: framework.map_or(0, |f| f.leaves().len()),
            sheet_of_unit: vec![None; units.len()],
            sheets: Vec::new(),
            unit_codes: units.codes.clone(),
            many_refs: HashMap::new(),
        }
    }

    fn slot(&mut self, unit: usize, leaf: usize) -> Option<&mut Slot> {
        sheets_slot(
            &mut self.sheets,
            &mut self.sheet_of_unit,
            self.leaf_count,
            unit,
            leaf,
        )
    }

    /// Moves evidence read into another set of sheets into these; units seen only in the
    /// evidence come after those that submitted self-scores, in evidence order.
    fn take_evidence(&mut self, other: Sheets) {
        for (unit, slots) in other.sheets {
            for (leaf, slot) in slots.into_iter().enumerate() {
                if slot.evidence.is_some()
                    && let Some(target) = self.slot(unit, leaf)
                {
                    target.evidence = slot.evidence;
                }
            }
        }
    }

    fn into_submissions(self, framework: &Framework) -> Vec<(String, Vec<SelfScoreRow>)> {
        let leaf_codes: Vec<String> = framework
            .leaves()
            .iter()
            .map(|&id| framework.node(id).code().to_string())
            .collect();
        let unit_codes = self.unit_codes;
        self.sheets
            .into_iter()
            .map(|(unit, slots)| {
                let rows = slots
                    .into_iter()
                    .enumerate()
                    .filter(|(_, slot)| slot.self_line > 0 || slot.evidence.is_some())
                    .map(|(leaf, slot)| SelfScoreRow {
                        criterion_code: leaf_codes[leaf].clone(),
                        in_self_scores: slot.self_line > 0,
                        score: slot.score,
                        note: slot.note,
                        evidence: slot.evidence,
                    })
                    .collect();
                (unit_codes[unit].clone(), rows)
            })
            .collect()
    }
}

fn read_self_scores(
    path: &Path,
    bytes: &[u8],
    framework: Option<&Framework>,
    units: &UnitIndex,
    sheets: &mut Sheets,
    report: &mut Report,
) {
    use self_col::*;
    let Some(mut table) = Table::open(path, bytes, SELF_SCORES_COLUMNS, report) else {
        return;
    };
    let mut record = csv::StringRecord::new();
    while let Some(line) = table.next(&mut record, report) {
        let item = resolve_item(&table, &record, line, framework, units, report);
        let leaf = checkable_leaf(item, framework);
        if let Some(message) =
            leaf.and_then(|(f, leaf)| survey_leaf_refused(f, leaf, ("self-scores", "điểm tự chấm")))
        {
            report.error(path, Some(line), table.column(CRITERION), message);
            continue;
        }
        let points = read_points(&table, &record, line, SCORE, "self_score", leaf, report);
        let Some((unit, Some(leaf))) = item else {
            continue;
        };
        let Some(slot) = sheets.slot(unit, leaf) else {
            continue;
        };
        if slot.self_line > 0 {
            let leaf_code = framework
                .map(|f| f.leaf(leaf).code().to_string())
                .unwrap_or_default();
            report.error(
                path,
                Some(line),
                table.column(CRITERION),
                duplicate_row(&units.codes[unit], leaf_code, slot.self_line),
            );
            continue;
        }
        slot.self_line = line;
        slot.note = clean_text(table.cell(&record, NOTE));
        match points {
            Ok(Some(points)) => slot.score = Some(points),
            Ok(None) => report.warn(
                path,
                Some(line),
                table.column(SCORE),
                tr(
                    "self_score is empty: the item counts 0 and is marked missing",
                    "self_score để trống: nội dung này tính 0 điểm và được đánh dấu là thiếu",
                ),
            ),
            Err(()) => {}
        }
    }
}

/// One warning per unit listing the leaves it did not self-score (survey leaves excepted), and
/// one per unit of units.csv that has no self-score row at all.
fn warn_missing_leaves(path: &Path, framework: &Framework, sheets: &Sheets, report: &mut Report) {
    for (unit, slots) in &sheets.sheets {
        let missing: Vec<usize> = slots
            .iter()
            .enumerate()
            .filter(|(leaf, slot)| slot.self_line == 0 && !is_survey_leaf(framework, *leaf))
            .map(|(leaf, _)| leaf)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut named: Vec<String> = missing
            .iter()
            .take(MAX_CODES_NAMED)
            .map(|&leaf| framework.leaf(leaf).code().to_string())
            .collect();
        if missing.len() > MAX_CODES_NAMED {
            named.push("…".to_string());
        }
        report.warn(
            path,
            None,
            None,
            {
                let (unit, count) = (&sheets.unit_codes[*unit], missing.len());
                let named = named.join(", ");
                tr(
                    format!(
                        "unit {unit}: {count} leaves without a self-score ({named}): counted 0, marked missing"
                    ),
                    format!(
                        "đơn vị {unit}: {count} tiêu chí thành phần chưa có điểm tự chấm ({named}): tính 0 điểm, đánh dấu là thiếu"
                    ),
                )
            },
        );
    }
    let unscored = sheets
        .sheet_of_unit
        .iter()
        .enumerate()
        .filter(|(_, sheet)| sheet.is_none());
    for (unit, _) in unscored {
        report.warn(
            path,
            None,
            None,
            {
                let unit = &sheets.unit_codes[unit];
                tr(
                    format!(
                        "unit {unit}: no rows in self_scores.csv: all its leaves count 0, marked missing"
                    ),
                    format!(
                        "đơn vị {unit}: không có dòng nào trong self_scores.csv: mọi tiêu chí thành phần tính 0 điểm, đánh dấu là thiếu"
                    ),
                )
            },
        );
    }
}

fn read_evidence(
    path: &Path,
    bytes: &[u8],
    framework: Option<&Framework>,
    units: &UnitIndex,
    sheets: &mut Sheets,
    report: &mut Report,
) {
    use evidence_col::*;
    let Some(mut table) = Table::open(path, bytes, EVIDENCE_COLUMNS, report) else {
        return;
    };
    let mut record = csv::StringRecord::new();
    while let Some(line) = table.next(&mut record, report) {
        let item = resolve_item(&table, &record, line, framework, units, report);
        let reference = clean_text(table.cell(&record, REF));
        if reference.is_empty() {
            report.error(
                path,
                Some(line),
                table.column(REF),
                tr(
                    "ref: expected the document's number (số hiệu, e.g. 376/KH-UBND), found an \
                     empty cell",
                    "ref: cần số hiệu tài liệu kiểm chứng (ví dụ 376/KH-UBND), nhưng ô để trống",
                ),
            );
            continue;
        }
        let (Some((unit, Some(leaf))), Some(framework)) = (item, framework) else {
            continue;
        };
        if is_survey_leaf(framework, leaf) {
            report.error(
                path,
                Some(line),
                table.column(CRITERION),
                {
                    let code = framework.leaf(leaf).code();
                    tr(
                        format!("criterion {code} is a survey criterion: units give no evidence for it"),
                        format!(
                            "tiêu chí {code} là tiêu chí điều tra xã hội học: đơn vị không nộp tài liệu kiểm chứng cho tiêu chí này"
                        ),
                    )
                },
            );
            continue;
        }
        let title = clean_text(table.cell(&record, TITLE));
        let location = clean_text(table.cell(&record, LOCATION));
        let many_refs = &mut sheets.many_refs;
        let Some(slot) = sheets_slot(
            &mut sheets.sheets,
            &mut sheets.sheet_of_unit,
            sheets.leaf_count,
            unit,
            leaf,
        ) else {
            continue;
        };
        let list = slot.evidence.get_or_insert_with(Vec::new);
        let duplicate = if list.len() < EVIDENCE_SCAN_LIMIT {
            list.iter().any(|e| e.reference == reference)
        } else {
            let refs = many_refs
                .entry((unit, leaf))
                .or_insert_with(|| list.iter().map(|e| e.reference.clone()).collect());
            !refs.insert(reference.clone())
        };
        if duplicate {
            report.error(
                path,
                Some(line),
                table.column(REF),
                {
                    let (unit, code) = (&units.codes[unit], framework.leaf(leaf).code());
                    let reference = quote(&reference);
                    tr(
                        format!(
                            "duplicate evidence row: unit '{unit}', criterion {code} already lists ref '{reference}'"
                        ),
                        format!(
                            "trùng tài liệu kiểm chứng: đơn vị '{unit}', tiêu chí {code} đã có tài liệu số hiệu '{reference}'"
                        ),
                    )
                },
            );
            continue;
        }
        list.push(Evidence {
            reference,
            title,
            location,
        });
    }
}

/// The slot of a unit × leaf, opening the unit's sheet on first use. A free function over the
/// parts of [`Sheets`] so that the evidence reader can hold `many_refs` at the same time.
fn sheets_slot<'s>(
    sheets: &'s mut Vec<(usize, Vec<Slot>)>,
    sheet_of_unit: &mut [Option<usize>],
    leaf_count: usize,
    unit: usize,
    leaf: usize,
) -> Option<&'s mut Slot> {
    let sheet = match *sheet_of_unit.get(unit)? {
        Some(sheet) => sheet,
        None => {
            let sheet = sheets.len();
            let mut slots = Vec::with_capacity(leaf_count);
            slots.resize_with(leaf_count, Slot::default);
            sheets.push((unit, slots));
            sheet_of_unit[unit] = Some(sheet);
            sheet
        }
    };
    sheets[sheet].1.get_mut(leaf)
}

// ---------------------------------------------------------------------------------------------
// proposals.csv and survey.csv

/// Lines of the rows seen per unit × leaf, for duplicate checks.
struct SeenItems {
    leaf_count: usize,
    lines: HashMap<usize, u64>,
}

impl SeenItems {
    fn new(framework: &Framework) -> SeenItems {
        SeenItems {
            leaf_count: framework.leaves().len(),
            lines: HashMap::new(),
        }
    }

    /// Records the row; returns the line of an earlier row for the same item.
    fn first_line(&mut self, unit: usize, leaf: usize, line: u64) -> Option<u64> {
        let key = unit * self.leaf_count + leaf;
        match self.lines.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.lines.insert(key, line);
                None
            }
        }
    }
}

/// What sets proposals.csv and survey.csv apart; the rest of their reading is the same.
struct ItemFileShape<Row> {
    columns: &'static [Column],
    /// Declared index of the score column.
    score: usize,
    /// The score column's name in messages.
    score_name: &'static str,
    /// The error for a leaf this file may not score, None when it may.
    misplaced_leaf: fn(&Framework, usize) -> Option<String>,
    /// The warning's wording after the count of rows with an empty score (English, Vietnamese).
    empty_rows_skipped: (&'static str, &'static str),
    /// Builds a row from the unit code, the leaf code, the score and the row's other cells.
    row: fn(String, String, Decimal, &Table<'_>, &csv::StringRecord) -> Row,
}

const PROPOSALS_SHAPE: ItemFileShape<ProposalRow> = ItemFileShape {
    columns: PROPOSALS_COLUMNS,
    score: proposal_col::SCORE,
    score_name: "proposed_score",
    misplaced_leaf: |framework, leaf| {
        survey_leaf_refused(framework, leaf, ("proposals", "điểm đề xuất"))
    },
    empty_rows_skipped: (
        "rows with an empty proposed_score were skipped (no proposal)",
        "dòng có proposed_score để trống đã được bỏ qua (không có điểm đề xuất)",
    ),
    row: |unit_code, criterion_code, score, table, record| ProposalRow {
        unit_code,
        criterion_code,
        score,
        note: clean_text(table.cell(record, proposal_col::NOTE)),
    },
};

const SURVEY_SHAPE: ItemFileShape<SurveyRow> = ItemFileShape {
    columns: SURVEY_COLUMNS,
    score: survey_col::SCORE,
    score_name: "score",
    misplaced_leaf: |framework, leaf| {
        (!is_survey_leaf(framework, leaf)).then(|| {
            let kind = framework.leaf(leaf).def.kind.as_str();
            let code = framework.leaf(leaf).code();
            tr(
                format!(
                    "criterion {code} is not a survey criterion (its kind is {kind}): its points \
                     come from self_scores.csv, not survey.csv"
                ),
                format!(
                    "tiêu chí {code} không phải tiêu chí điều tra xã hội học (loại {kind}): điểm \
                     lấy từ self_scores.csv, không lấy từ survey.csv"
                ),
            )
        })
    },
    empty_rows_skipped: (
        "rows with an empty score were skipped (not surveyed yet)",
        "dòng có score để trống đã được bỏ qua (chưa có kết quả điều tra)",
    ),
    row: |unit_code, criterion_code, score, _, _| SurveyRow {
        unit_code,
        criterion_code,
        score,
    },
};

/// Reads proposals.csv or survey.csv (as `file` describes): one scored row per unit × leaf.
fn read_items<Row>(
    file: &ItemFileShape<Row>,
    path: &Path,
    bytes: &[u8],
    framework: Option<&Framework>,
    units: &UnitIndex,
    report: &mut Report,
) -> Vec<Row> {
    let Some(mut table) = Table::open(path, bytes, file.columns, report) else {
        return Vec::new();
    };
    let mut seen = framework.map(SeenItems::new);
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    let mut empty_rows = 0usize;
    while let Some(line) = table.next(&mut record, report) {
        let item = resolve_item(&table, &record, line, framework, units, report);
        let leaf = checkable_leaf(item, framework);
        if let Some(message) = leaf.and_then(|(f, leaf)| (file.misplaced_leaf)(f, leaf)) {
            report.error(path, Some(line), table.column(CRITERION), message);
            continue;
        }
        let points = read_points(
            &table,
            &record,
            line,
            file.score,
            file.score_name,
            leaf,
            report,
        );
        let (Some((unit, Some(leaf_index))), Some((framework, _)), Some(seen)) =
            (item, leaf, seen.as_mut())
        else {
            continue;
        };
        if let Some(first) = seen.first_line(unit, leaf_index, line) {
            report.error(
                path,
                Some(line),
                table.column(CRITERION),
                duplicate_row(&units.codes[unit], framework.leaf(leaf_index).code(), first),
            );
            continue;
        }
        match points {
            Ok(Some(score)) => rows.push((file.row)(
                units.codes[unit].clone(),
                framework.leaf(leaf_index).code().to_string(),
                score,
                &table,
                &record,
            )),
            Ok(None) => empty_rows += 1,
            Err(()) => {}
        }
    }
    if empty_rows > 0 {
        report.warn(path, None, table.column(file.score), {
            let (en, vi) = file.empty_rows_skipped;
            tr(format!("{empty_rows} {en}"), format!("{empty_rows} {vi}"))
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_fast_path_agrees_with_the_standard() {
        for text in [
            "Sở Nội vụ",
            "Thủ tục hành chính",
            "Đạt",
            "abc",
            "ỹ",
            "€",
            "Thu\u{309}",
            "e\u{301}",
            "日本",
        ] {
            if surely_nfc(text) {
                assert_eq!(nfc(text), text, "{text:?}");
            }
        }
        assert!(surely_nfc("Cải cách thủ tục hành chính đúng hạn"));
        assert!(!surely_nfc("Thu\u{309}"));
        assert_eq!(clean_code(" Thu\u{309} ").as_ref(), "Thủ");
    }

    #[test]
    fn header_keys_fold_vietnamese_and_spacing() {
        assert_eq!(header_key(" Mã đơn vị "), "ma_don_vi");
        assert_eq!(header_key("ĐIỂM TỰ CHẤM"), "diem_tu_cham");
        assert_eq!(header_key("diem_toi_da"), "diem_toi_da");
        assert_eq!(header_key("Ghi  chú"), "ghi_chu");
        assert_eq!(header_key("\u{feff}code"), "code");
    }

    #[test]
    fn utf8_errors_point_at_line_and_field() {
        let error = check_utf8(b"a,b\n\"x\ny\",\xE9").err().unwrap();
        assert_eq!((error.line, error.column), (3, 2));
        assert!(error.message.contains("0xE9"));
        let error = check_utf8(b"\xFF\xFEa\x00").err().unwrap();
        assert_eq!((error.line, error.column), (1, 1));
        assert!(error.message.contains("UTF-16"));
        assert!(check_utf8("mã,tên\r\n".as_bytes()).is_ok());
        let error = check_utf8(b"a,b\nc,\x00").err().unwrap();
        assert_eq!((error.line, error.column), (2, 2));
    }
}
