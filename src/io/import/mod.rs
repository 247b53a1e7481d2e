//! Reading a session folder of CSV files into compact rows ([`SessionRows`]; as an
//! [`ImportBatch`] for callers that want plain rows), with every problem reported at its
//! file:line:column.
//!
//! Each file is read in one streaming pass over a reused record, with a hash lookup per row and
//! the texts kept end to end in arenas (no allocation per row), so that a folder of 10,000 units
//! reads in about a second and holds about half its size in memory.

mod cells;
mod columns;
mod criteria;
mod encoding;
mod evidence;
mod folder;
mod items;
mod ods_extent;
mod phu_bieu;
pub(in crate::io) mod report;
mod scan;
mod scored;
mod self_scores;
mod session_file;
mod shared_strings;
pub(in crate::io) mod source;
mod table;
mod units;
mod workbook;
mod xls_extent;

use super::{ImportBatch, InputError, InputWarning, Problem, RequiredFile};
use crate::domain::import::{EvidenceArena, ScoredRow, SessionRows, TextArena};
use crate::domain::{Framework, Session, Unit};
use criteria::read_criteria;
use evidence::read_evidence;
use phu_bieu::{PhuBieuRead, phu_bieu_files, read_phu_bieu};
use report::Report;
use scored::{PROPOSALS_SHAPE, SURVEY_SHAPE, read_items};
use self_scores::{
    EvidenceSheets, Sheets, read_self_scores, warn_carried_forward, warn_missing_leaves,
};
use source::{FileRows, Opened, open_session_file};
use std::path::{Path, PathBuf};
use units::{UnitIndex, read_units};

/// A validated folder and the warnings met while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub batch: ImportBatch,
    /// The first 200 warnings, then a line counting the rest.
    pub warnings: Vec<InputWarning>,
    /// How many warnings there were in all.
    pub warning_count: usize,
}

/// More errors than this are counted, not listed: nobody reads the 201st.
const MAX_LISTED: usize = 200;
/// How many leaf codes a "leaves without a self-score" warning names.
const MAX_CODES_NAMED: usize = 5;
/// Past this many evidence rows on one item, duplicate refs are found with a set, not a scan.
const EVIDENCE_SCAN_LIMIT: usize = 32;

pub use folder::SESSION_FILES;
pub use phu_bieu::PHU_BIEU_DIR;
pub use session_file::SESSION_FILE;
pub use source::{MAX_FILE_BYTES, MAX_RECORD_BYTES};

pub const CRITERIA_FILE: &str = "criteria.csv";
pub const UNITS_FILE: &str = "units.csv";
pub const SELF_SCORES_FILE: &str = "self_scores.csv";
pub const EVIDENCE_FILE: &str = "evidence.csv";
pub const PROPOSALS_FILE: &str = "proposals.csv";
pub const SURVEY_FILE: &str = "survey.csv";

/// How strictly a folder is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// A self-score that breaks its leaf's rule is an error (as proposals and survey scores
    /// always are), instead of a claim imported as the unit made it and marked invalid.
    pub strict: bool,
}

/// A refused folder: the errors listed (up to 200, then a line counting the rest), how many
/// there were in all, and the warnings met on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub errors: Vec<InputError>,
    pub count: usize,
    pub warnings: Vec<InputWarning>,
}

/// Reads and validates a session folder. `existing` is the session already in the database (its
/// framework and units), if any: used when the folder has no criteria.csv / units.csv, and to
/// know unit codes.
pub fn read_session_dir(
    dir: &Path,
    existing: Option<&Session>,
) -> Result<Imported, Vec<InputError>> {
    read_session(dir, existing, ImportOptions::default()).map_err(|refused| refused.errors)
}

/// [`read_session_dir`] with options, and the total count of errors when the folder is refused.
pub fn read_session(
    dir: &Path,
    existing: Option<&Session>,
    options: ImportOptions,
) -> Result<Imported, Refused> {
    let read = read_session_rows(dir, existing, options)?;
    let framework = existing.map(|session| &session.framework);
    Ok(Imported {
        batch: read.rows.into_batch(framework),
        warnings: read.warnings,
        warning_count: read.warning_count,
    })
}

/// A validated folder as compact rows, and the warnings met while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRows {
    pub rows: SessionRows,
    /// The first 200 warnings, then a line counting the rest.
    pub warnings: Vec<InputWarning>,
    /// How many warnings there were in all.
    pub warning_count: usize,
}

/// [`read_session`] into compact rows: what an import writes from.
pub fn read_session_rows(
    dir: &Path,
    existing: Option<&Session>,
    options: ImportOptions,
) -> Result<ImportedRows, Refused> {
    let mut report = Report::default();
    let files = SessionFiles::open(dir, &mut report);
    if files.none_found() && existing.is_some() {
        // A new session's missing files are named below; a re-import has nothing else to say.
        report.error(dir, None, None, folder::nothing_to_read(dir));
        return Err(report.into_refused(dir));
    }
    let nothing_found = files.none_found();
    let (file_framework, criteria_ok) = read_framework(files.criteria, existing, &mut report);
    if nothing_found {
        // Say on the first "file not found" what the folder holds instead.
        report.extend_first_error(folder::nothing_to_read(dir));
    }
    let framework = match criteria_ok {
        true => (file_framework.as_ref()).or(existing.map(|session| &session.framework)),
        false => None,
    };
    let mut units = UnitIndex::default();
    for unit in existing.iter().flat_map(|session| &session.units) {
        units.add(&unit.code);
    }
    let file_units = read_unit_file(files.units, existing, &mut units, &mut report);
    let unit_names: Vec<(String, String)> = (existing.iter().flat_map(|s| &s.units))
        .chain(&file_units)
        .map(|unit| (unit.code.clone(), unit.name.clone()))
        .collect();
    let context = ItemContext {
        framework,
        units: &units,
        unit_names: &unit_names,
        existing,
        options,
    };
    let items = read_item_files(files.items, &context, &mut report);
    let settings = session_file::read_session_file(dir, &mut report);
    if report.error_count > 0 {
        return Err(report.into_refused(dir));
    }
    let warning_count = report.warning_count;
    let warnings = report.into_warnings(dir);
    let checked = framework.is_some();
    let mut rows = items.into_rows(file_framework, file_units, checked);
    rows.settings = settings;
    Ok(ImportedRows {
        rows,
        warnings,
        warning_count,
    })
}

/// The six files of a session folder, opened (or found missing) before anything is read.
struct SessionFiles {
    criteria: (PathBuf, Opened<FileRows>),
    units: (PathBuf, Opened<FileRows>),
    items: ItemFiles,
}

/// The files about items (unit × leaf).
struct ItemFiles {
    self_scores: (PathBuf, Opened<FileRows>),
    /// The workbooks of phu-bieu/, one unit's self-assessment each.
    phu_bieu: Vec<PathBuf>,
    evidence: (PathBuf, Opened<FileRows>),
    proposals: (PathBuf, Opened<FileRows>),
    survey: (PathBuf, Opened<FileRows>),
}

impl SessionFiles {
    fn open(dir: &Path, report: &mut Report) -> SessionFiles {
        let mut open = |name: &str| open_session_file(dir, name, report);
        let (criteria, units, self_scores) = (
            open(CRITERIA_FILE),
            open(UNITS_FILE),
            open(SELF_SCORES_FILE),
        );
        let (evidence, proposals, survey) =
            (open(EVIDENCE_FILE), open(PROPOSALS_FILE), open(SURVEY_FILE));
        SessionFiles {
            criteria,
            units,
            items: ItemFiles {
                self_scores,
                phu_bieu: phu_bieu_files(dir, report),
                evidence,
                proposals,
                survey,
            },
        }
    }

    fn none_found(&self) -> bool {
        let items = &self.items;
        [
            &self.criteria.1,
            &self.units.1,
            &items.self_scores.1,
            &items.evidence.1,
            &items.proposals.1,
            &items.survey.1,
        ]
        .iter()
        .all(|opened| matches!(opened, Opened::Missing))
            && items.phu_bieu.is_empty()
    }
}

/// The error for a file a new session cannot do without.
fn required_file_missing(path: &Path, file: RequiredFile, report: &mut Report) {
    report.error(path, None, None, Problem::RequiredFileMissing(file));
}

/// criteria.csv, or the session's framework: (the file's framework, whether there is a valid
/// framework to check the other files against).
fn read_framework(
    (path, opened): (PathBuf, Opened<FileRows>),
    existing: Option<&Session>,
    report: &mut Report,
) -> (Option<Framework>, bool) {
    match opened {
        Opened::Rows(rows) => match read_criteria(&path, rows, report) {
            Some(framework) => (Some(framework), true),
            None => (None, false),
        },
        Opened::Missing if existing.is_none() => {
            required_file_missing(&path, RequiredFile::Criteria, report);
            (None, false)
        }
        Opened::Missing => (None, true),
        Opened::Failed => (None, false),
    }
}

fn read_unit_file(
    (path, opened): (PathBuf, Opened<FileRows>),
    existing: Option<&Session>,
    units: &mut UnitIndex,
    report: &mut Report,
) -> Vec<Unit> {
    match opened {
        Opened::Rows(rows) => read_units(&path, rows, units, report),
        Opened::Missing if existing.is_none() => {
            required_file_missing(&path, RequiredFile::Units, report);
            Vec::new()
        }
        Opened::Missing | Opened::Failed => Vec::new(),
    }
}

/// What the item files are checked against.
struct ItemContext<'a> {
    framework: Option<&'a Framework>,
    units: &'a UnitIndex,
    /// Each unit's code and name, to find a phụ biểu's unit by the name in its title.
    unit_names: &'a [(String, String)],
    existing: Option<&'a Session>,
    options: ImportOptions,
}

/// What the item files hold.
struct ItemRows {
    sheets: Sheets,
    evidence: EvidenceArena,
    proposals: Vec<ScoredRow>,
    survey: Vec<ScoredRow>,
}

impl ItemRows {
    /// The session's rows; without a framework to check against there are no submissions.
    fn into_rows(
        self,
        framework: Option<Framework>,
        units: Vec<Unit>,
        checked: bool,
    ) -> SessionRows {
        let Sheets {
            sheets,
            unit_codes,
            texts,
            ..
        } = self.sheets;
        SessionRows {
            framework,
            units,
            unit_codes,
            submissions: if checked { sheets } else { Vec::new() },
            proposals: self.proposals,
            survey: self.survey,
            texts,
            evidence: self.evidence,
            settings: Vec::new(),
        }
    }
}

/// The item files only depend on the criteria and units: evidence.csv (the largest) is read
/// on a second thread while this one reads the others. Messages stay in file order:
/// self-scores, evidence, proposals and survey.
fn read_item_files(files: ItemFiles, context: &ItemContext<'_>, report: &mut Report) -> ItemRows {
    let ItemFiles {
        self_scores,
        phu_bieu,
        evidence,
        proposals,
        survey,
    } = files;
    let (mut sheets, phu_bieu, (evidence_sheets, evidence_report), (scored, scored_report)) =
        std::thread::scope(|scope| {
            let evidence = scope.spawn(|| read_evidence_file(evidence, context));
            let (mut sheets, phu_bieu) =
                read_self_score_file(self_scores, &phu_bieu, context, report);
            let scored = read_scored_files(proposals, survey, context, &mut sheets.texts);
            let evidence = match evidence.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (sheets, phu_bieu, evidence, scored)
        });
    report.absorb(evidence_report);
    report.absorb(scored_report);
    let mut evidence = sheets.take_evidence(evidence_sheets);
    for (unit, leaf, documents) in &phu_bieu.evidence {
        sheets.replace_evidence(&mut evidence, (*unit, *leaf), documents);
    }
    let (proposals, survey) = scored;
    ItemRows {
        sheets,
        evidence,
        proposals,
        survey,
    }
}

fn read_evidence_file(
    (path, opened): (PathBuf, Opened<FileRows>),
    context: &ItemContext<'_>,
) -> (EvidenceSheets, Report) {
    let mut report = Report::default();
    let mut sheets = EvidenceSheets::new(context.framework, context.units);
    if let Opened::Rows(rows) = opened {
        read_evidence(
            &path,
            rows,
            context.framework,
            context.units,
            &mut sheets,
            &mut report,
        );
    }
    (sheets, report)
}

/// self_scores.csv (or its workbook) and the phụ biểu of phu-bieu/, into one set of sheets;
/// then the warnings about leaves left out, each on the file its unit came from.
fn read_self_score_file(
    (path, opened): (PathBuf, Opened<FileRows>),
    phu_bieu: &[PathBuf],
    context: &ItemContext<'_>,
    report: &mut Report,
) -> (Sheets, PhuBieuRead) {
    let mut sheets = Sheets::new(context.framework, context.units);
    let mut read_any = !phu_bieu.is_empty();
    match opened {
        Opened::Rows(rows) => {
            read_self_scores(&path, rows, context, &mut sheets, report);
            read_any = true;
        }
        Opened::Missing if context.existing.is_none() && phu_bieu.is_empty() => {
            required_file_missing(&path, RequiredFile::SelfScores, report)
        }
        Opened::Missing | Opened::Failed => {}
    }
    let read = read_phu_bieu(phu_bieu, &path, context, &mut sheets, report);
    let path_of = |unit| {
        read.files
            .get(&unit)
            .map_or(path.as_path(), PathBuf::as_path)
    };
    if let (Some(framework), true) = (context.framework, read_any) {
        match context.existing {
            None => warn_missing_leaves(path_of, framework, &sheets, report),
            Some(session) => warn_carried_forward(path_of, session, &sheets, report),
        }
    }
    (sheets, read)
}

/// proposals.csv and survey.csv, with their messages in a report of their own and their notes
/// in `texts`.
fn read_scored_files(
    (proposals_path, proposals): (PathBuf, Opened<FileRows>),
    (survey_path, survey): (PathBuf, Opened<FileRows>),
    context: &ItemContext<'_>,
    texts: &mut TextArena,
) -> ((Vec<ScoredRow>, Vec<ScoredRow>), Report) {
    let mut report = Report::default();
    let checked = (context.framework, context.units);
    let mut read = |shape, path: &Path, opened| match opened {
        Opened::Rows(rows) => read_items(shape, path, rows, checked, texts, &mut report),
        _ => Vec::new(),
    };
    let proposals = read(&PROPOSALS_SHAPE, &proposals_path, proposals);
    let survey = read(&SURVEY_SHAPE, &survey_path, survey);
    ((proposals, survey), report)
}

#[cfg(test)]
mod tests {
    use super::cells::{clean_code, surely_nfc};
    use super::columns::header_key;
    use super::encoding::check_utf8;
    use crate::domain::text::nfc;

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
        assert!(error.problem().to_string().contains("0xE9"));
        let error = check_utf8(b"\xFF\xFEa\x00").err().unwrap();
        assert_eq!((error.line, error.column), (1, 1));
        assert!(error.problem().to_string().contains("UTF-16"));
        assert!(check_utf8("mã,tên\r\n".as_bytes()).is_ok());
        let error = check_utf8(b"a,b\nc,\x00").err().unwrap();
        assert_eq!((error.line, error.column), (2, 2));
    }
}
