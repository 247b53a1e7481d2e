//! What is wrong with an input file, as structured values: the place (file, line, column; in
//! a workbook file, sheet, row and column) and the problem with its data. The catalogue
//! (messages/import.rs) says them in words, `file:line:column: …` or `file:sheet!cell: …`;
//! errors and warnings are the same type.

use crate::domain::FrameworkError;
use crate::domain::criteria::{CodeError, ScoreRangeError};
use crate::domain::score::ScoreParseError;
use crate::domain::text::Excerpt;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A problem with an input file, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    /// In a workbook, the sheet: `line` is then its row and `column` its column, both
    /// 1-based as the sheet shows them (`Sheet1!F14` is row 14, column 6).
    pub sheet: Option<String>,
    /// 1-based physical line, where there is one.
    pub line: Option<u64>,
    /// 1-based column (field number within the record), where there is one.
    pub column: Option<u64>,
    pub problem: Problem,
}

impl InputError {
    /// The problem in English, without its place (for developers and tests).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl std::error::Error for InputError {}

/// A warning that does not stop an import (unknown columns, missing self-scores, …).
pub type InputWarning = InputError;

/// What is wrong, by where it is found: the folder, the file, its header and rows, a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // The folder.
    /// None of the session files; what the folder holds instead (the first few), and how many
    /// more entries it has.
    NothingToRead {
        found: Vec<FolderEntry>,
        more: usize,
    },
    RequiredFileMissing(RequiredFile),

    // The file as a whole.
    /// Over 2 GiB (its size; None: it grew while being read).
    TooLarge(Option<u64>),
    /// The operating system's reason.
    CannotRead(String),
    DanglingLink {
        target: String,
        error: String,
    },
    NotARegularFile(FileKind),
    NotUtf8(NotUtf8),
    UnclosedQuote,
    RecordTooLong,
    /// The CSV reader's own words.
    NotCsv(String),

    // A workbook as a whole.
    /// Over 200 MB (its size; None: it grew while being read).
    WorkbookTooLarge(Option<u64>),
    /// A zip workbook (xlsx, ods) whose entries unpack to more than 2 GiB: the size they say.
    WorkbookExpands(u64),
    /// Neither a zip (xlsx, ods) nor an OLE file (xls).
    NotAWorkbook,
    /// Protected with a password (encrypted).
    WorkbookEncrypted,
    /// The workbook reader's own words (a damaged file).
    WorkbookUnreadable(String),
    /// The workbook reader stopped inside the file (it panicked on damaged contents).
    WorkbookDamaged,
    WorkbookWithoutSheet,
    /// More cells than are read from one sheet.
    WorkbookTooManyCells(usize),
    /// A session file given in two forms (`units.csv` and `units.xlsx`): the other's name.
    TwoForms {
        other: String,
    },

    // The header and the rows.
    EmptyFile {
        required: Vec<&'static str>,
    },
    ColumnTwice {
        name: &'static str,
        first_as: Excerpt,
        first_column: usize,
        again_as: Excerpt,
    },
    MissingColumn {
        name: &'static str,
        aliases: &'static [&'static str],
        /// The header's first cells, and how many more it has.
        found: Vec<Excerpt>,
        more: usize,
        separator: Option<Separator>,
    },
    UnknownColumns {
        named: Vec<UnknownColumn>,
        more: usize,
        known: Vec<&'static str>,
    },
    TooFewFields {
        expected: usize,
        found: usize,
    },
    TooManyFields {
        expected: usize,
        found: usize,
    },
    /// No row among a sheet's top rows names the required columns.
    NoHeaderRow {
        required: Vec<&'static str>,
        rows: u64,
    },

    // A cell.
    EmptyCell(RequiredCell),
    /// An invisible character in a code cell: the code without it, the character (U+XXXX),
    /// and whether it starts the code.
    Invisible {
        cell: CodeCell,
        code: Excerpt,
        character: String,
        at_start: bool,
    },
    BadCode {
        cell: CodeCell,
        error: CodeError,
    },
    UnknownUnit {
        code: Excerpt,
        /// A code of the session it differs from only by case or diacritics.
        like: Option<Excerpt>,
    },
    UnknownCriterion(Excerpt),
    NotALeaf {
        code: String,
        /// The first few sub-criteria, and whether there are more.
        children: Vec<String>,
        more: bool,
    },
    /// A survey leaf scored by a file that does not score them.
    SurveyLeafScored {
        code: String,
        by: ScoredBy,
    },
    /// A leaf of another kind in survey.csv.
    NotASurveyLeaf {
        code: String,
        kind: &'static str,
    },
    SurveyEvidence(String),
    DuplicateRow {
        unit: String,
        code: String,
        first: u64,
    },
    DuplicateCriterion {
        code: String,
        first: u64,
    },
    DuplicateUnit {
        code: Excerpt,
        first: u64,
    },
    /// A unit code that differs from another only by case or diacritics (None: the other is
    /// in the session).
    LookAlike {
        code: Excerpt,
        other: Excerpt,
        other_line: Option<u64>,
    },
    BadKind(Excerpt),
    /// A criterion code stored as a number cell: the codes of the criteria it may be (none, or
    /// more than one: `1.1` may be 1.1 or 1.10).
    NumberCode {
        number: String,
        candidates: Vec<String>,
    },
    /// A code read from a number cell, as a hint to an error about it.
    CodeWasNumber(String),
    /// criteria's code stored as a number with a fraction (`1.1` or `1.10`?).
    NumberCodeInCriteria(String),
    /// A date cell where a code or points are expected (the column, as messages name it).
    DateCell(&'static str),
    /// A score cell that is not a number (`column` is its column's name).
    BadScore {
        column: &'static str,
        error: ScoreParseError,
    },
    OutOfRange {
        column: &'static str,
        error: ScoreRangeError,
    },
    /// A self-score that breaks its rule, kept as the unit's claim (a warning).
    ClaimKept {
        column: &'static str,
        error: ScoreRangeError,
    },
    Framework(FrameworkError),
    /// criteria.csv with a header and no rows.
    NoCriteria,

    // What the rows add up to (warnings).
    EmptySelfScore,
    LeavesWithoutSelfScore {
        unit: String,
        count: usize,
        /// The first few codes ("…" after them when there are more).
        named: String,
    },
    NoSelfScoreRows(String),
    CarriedForward {
        unit: String,
        codes: Vec<String>,
    },
    RepeatedEvidence {
        unit: String,
        code: String,
        reference: Excerpt,
        first: Option<u64>,
    },
    EmptyScoresSkipped {
        count: usize,
        file: ScoredBy,
    },

    // A phụ biểu (a unit's self-assessment workbook in phu-bieu/).
    /// Neither the file name is a unit code nor does a title cell name a unit: the file's
    /// stem, and a unit code it differs from only by case or diacritics.
    PhuBieuNoUnit {
        stem: Excerpt,
        like: Option<Excerpt>,
    },
    /// Title cells naming two units (their codes).
    PhuBieuTwoUnits {
        first: String,
        second: String,
    },
    /// The file is named for one unit and a title cell names another (a warning).
    PhuBieuTitleNamesOther {
        unit: String,
        named: String,
    },
    /// Two workbooks of phu-bieu/ for one unit: the unit, the other file's name.
    PhuBieuUnitTwice {
        unit: String,
        other: String,
    },
    /// A unit given both in phu-bieu/ and in self_scores.csv (or its workbook): the file's name.
    PhuBieuAndSelfScores {
        unit: String,
        file: String,
    },
    /// A maximum that is not the framework's: the unit used another version of the criteria.
    WrongMaximum {
        code: String,
        found: Decimal,
        expected: Decimal,
    },
    /// A parent row's points that are not the sum of its leaves' (a warning).
    SubtotalDiffers {
        code: String,
        found: Decimal,
        sum: Decimal,
    },
    /// The total row's points that are not the sum of every leaf's (a warning).
    TotalDiffers {
        found: Decimal,
        sum: Decimal,
    },
    /// Points on a survey leaf, which come from survey.csv (a warning).
    SurveyPointsIgnored(String),
    /// A file in phu-bieu/ that is not a workbook (a warning).
    NotAPhuBieu(Excerpt),

    /// As the system or a parser says it ("No such file or directory").
    System(String),

    // An agenda file (its messages are English in both languages, as they were written).
    AgendaNotUtf8,
    AgendaDisappeared,
    AgendaNotCsv(String),
    AgendaHeader {
        separator: bool,
    },
    AgendaEmptyUnit,
    AgendaTwice {
        unit: String,
        criterion: String,
        first: u64,
    },
    AgendaUnknownUnit(String),
    AgendaUnknownCriterion(String),
    AgendaEmptyFile,
    /// The `minutes` cell is not a time budget.
    AgendaBadMinutes(crate::domain::agenda::BudgetError),

    // session.toml.
    SessionFileTooLarge,
    SessionFileNotUtf8,
    /// A setting given something other than a text or a number.
    SettingNotTextOrNumber(String),
    Setting(crate::domain::settings::SettingError),

    // The report.
    MoreErrors(usize),
    MoreWarnings(usize),
    /// The first problem, then what the second adds.
    Also(Box<Problem>, Box<Problem>),
}

/// An entry of a folder that has none of the session files, and why it was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    pub name: Excerpt,
    pub why: NotRead,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    DanglingLink,
    /// A session file's name in other letter cases (the name it must have: `units.csv`,
    /// `units.xlsx`).
    NameCase(String),
    /// A workbook of a kind not read (`.xlsb`, `.numbers`): the session file's stem.
    Workbook(&'static str),
    NotCsv(&'static str),
    NotASessionFile,
}

/// The files a new session cannot do without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredFile {
    Criteria,
    Units,
    SelfScores,
}

/// What is found where a regular file was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    Fifo,
    Device,
    Socket,
    Other,
}

/// Why a file is not UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotUtf8 {
    /// A UTF-16 byte-order mark ("LE" or "BE").
    Utf16(&'static str),
    Nul,
    Byte(u8),
}

/// A separator other than the comma, seen in a one-cell header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Semicolon,
    Tab,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownColumn {
    Named(Excerpt),
    /// An empty header cell (its 1-based number).
    Unnamed(usize),
}

/// The cells that must not be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredCell {
    UnitCode,
    CriterionCode,
    Title,
    UnitName,
    Ref,
}

/// The code cells, as a message names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCell {
    /// units.csv's and the item files' unit_code.
    UnitCode,
    /// The item files' criterion_code.
    CriterionCode,
    /// criteria.csv's code.
    Code,
}

/// The files that score items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoredBy {
    SelfScores,
    Proposals,
    Survey,
}
