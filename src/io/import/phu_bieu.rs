//! `phu-bieu/`: one workbook per unit, its self-assessment sheet (*phụ biểu*) as units fill
//! it in: title rows above the header, a code column (`Mã tiêu chí`, or `STT` holding the
//! dotted codes, field rows numbered I, II, …), the maxima, the self-scores, the evidence and
//! the notes, subtotal rows, a total row and a signature block.
//!
//! Its leaf rows are the unit's self-score rows (as self_scores.csv's would be); its evidence
//! and notes replace the unit's for those items. Maxima are checked against the framework (a
//! unit that used another version of the criteria is refused); subtotals and the total are
//! checked against the leaves (a warning).

use super::cells::{clean_code, clean_text, code_key, invisible_in_code};
use super::columns::{Column, column, column_or, quote};
use super::items::{Breach, NumberCodes, duplicate_row, read_points};
use super::report::Report;
use super::self_scores::Sheets;
use super::source::{CellKind, FileRows, Opened};
use super::table::Table;
use super::workbook::{is_workbook_name, open_workbook};
use super::{ItemContext, UnitIndex};
use crate::domain::criteria::NodeId;
use crate::domain::text::excerpt;
use crate::domain::{Code, Framework, parse_score};
use crate::io::{CodeCell, Problem};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The folder of a session folder that holds the units' phụ biểu.
pub const PHU_BIEU_DIR: &str = "phu-bieu";

mod col {
    pub const CODE: usize = 0;
    pub const MAX: usize = 1;
    pub const SCORE: usize = 2;
    pub const EVIDENCE: usize = 3;
    pub const NOTE: usize = 4;
    pub const EXPLANATION: usize = 5;
}
/// The columns of a phụ biểu, by their folded names (`Điểm tự chấm` is `diem_tu_cham`). The
/// last three are known and not read: the criterion's text and the appraisal's columns.
const COLUMNS: &[Column] = &[
    column_or(
        "ma_tieu_chi",
        &["ma", "ma_so", "ma_tc", "criterion_code", "code"],
        &["stt"],
        true,
    ),
    column(
        "diem_toi_da",
        &["toi_da", "diem_chuan", "max_points", "max"],
        true,
    ),
    column(
        "diem_tu_cham",
        &[
            "diem_tu_danh_gia",
            "tu_cham",
            "diem_don_vi_tu_cham",
            "diem_tu_danh_gia_cham_diem",
            "self_score",
        ],
        true,
    ),
    column(
        "tai_lieu_kiem_chung",
        &["tai_lieu", "tlkc", "evidence"],
        false,
    ),
    column(
        "ghi_chu",
        &["ghi_chu_cua_don_vi", "thuyet_minh", "note"],
        false,
    ),
    // Beside a `Ghi chú` column or instead of it: the note is both, one after the other.
    column("giai_trinh", &["giai_trinh_cua_don_vi"], false),
    column(
        "tieu_chi",
        &["noi_dung", "ten_tieu_chi", "noi_dung_tieu_chi", "title"],
        false,
    ),
    column(
        "diem_tham_dinh",
        &["tham_dinh", "diem_sau_tham_dinh"],
        false,
    ),
    column(
        "y_kien_tham_dinh",
        &[
            "ghi_chu_tham_dinh",
            "nhan_xet_tham_dinh",
            "y_kien_cua_to_tham_dinh",
        ],
        false,
    ),
];
/// The column name messages use for the self-score cells of a phụ biểu.
const SCORE_NAME: &str = "Điểm tự chấm";

/// The workbooks of `dir/phu-bieu/`, by name; anything else there but hidden files and
/// office lock files is warned about.
pub(super) fn phu_bieu_files(dir: &Path, report: &mut Report) -> Vec<PathBuf> {
    let folder = dir.join(PHU_BIEU_DIR);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = (entries.filter_map(Result::ok))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !name.starts_with("~$"))
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = folder.join(&name);
        if is_workbook_name(&name.to_lowercase()) {
            files.push(path);
        } else {
            report.warn(&path, None, None, Problem::NotAPhuBieu(excerpt(&name, 60)));
        }
    }
    files
}

/// What the phụ biểu gave beside their rows.
#[derive(Default)]
pub(super) struct PhuBieuRead {
    /// The documents per item: (unit, leaf, [ref, title] each).
    pub(super) evidence: Vec<(usize, usize, Vec<[String; 2]>)>,
    /// The file read for each unit.
    pub(super) files: HashMap<usize, PathBuf>,
}

/// Reads every phụ biểu into `sheets` (the units of `self_scores_file` already in them are
/// refused here), giving the evidence to put on their items once evidence.csv is read.
pub(super) fn read_phu_bieu(
    files: &[PathBuf],
    self_scores_file: &Path,
    context: &ItemContext<'_>,
    sheets: &mut Sheets,
    report: &mut Report,
) -> PhuBieuRead {
    let mut read = PhuBieuRead::default();
    let Some(framework) = context.framework else {
        return read;
    };
    let in_self_scores: Vec<bool> = (0..context.units.len())
        .map(|unit| sheets.has_rows(unit))
        .collect();
    for path in files {
        let Opened::Rows(rows) = open_workbook(path, report) else {
            continue;
        };
        let Some(table) = Table::open(path, FileRows::Sheet(rows), COLUMNS, report) else {
            continue;
        };
        let Some(unit) = unit_of(&table, context, report) else {
            continue;
        };
        let refused = match read.files.get(&unit) {
            Some(other) => Some(Problem::PhuBieuUnitTwice {
                unit: context.units.codes[unit].clone(),
                other: file_name(other),
            }),
            None if in_self_scores[unit] => Some(Problem::PhuBieuAndSelfScores {
                unit: context.units.codes[unit].clone(),
                file: file_name(self_scores_file),
            }),
            None => None,
        };
        if let Some(problem) = refused {
            report.error(path, None, None, problem);
            continue;
        }
        read.files.insert(unit, path.clone());
        let mut sheet = UnitSheet::new(unit, framework, context, sheets);
        sheet.read(table, report);
        let evidence = sheet.evidence.into_iter();
        read.evidence
            .extend(evidence.map(|(leaf, docs)| (unit, leaf, docs)));
    }
    read
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The unit a phụ biểu is for: its file name if that is a unit code, else the one unit whose
/// name a title cell holds. None when neither (reported).
fn unit_of(table: &Table<'_>, context: &ItemContext<'_>, report: &mut Report) -> Option<usize> {
    let stem = table
        .path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let by_name = clean_code(&stem);
    let named = named_units(table, context);
    if let Some(unit) = context.units.get(&by_name) {
        let other = named.iter().find(|(named, _)| *named != unit);
        if let Some(&(other, (line, column))) = other {
            let problem = Problem::PhuBieuTitleNamesOther {
                unit: context.units.codes[unit].clone(),
                named: context.units.codes[other].clone(),
            };
            report.warn(table.path, Some(line), Some(column), problem);
        }
        return Some(unit);
    }
    match named.as_slice() {
        [(unit, _)] => Some(*unit),
        [] => {
            let problem = Problem::PhuBieuNoUnit {
                like: context.units.look_alike(&by_name).map(quote),
                stem: quote(&by_name),
            };
            report.error(table.path, Some(1), Some(1), problem);
            None
        }
        [(first, _), (second, (line, column)), ..] => {
            let problem = Problem::PhuBieuTwoUnits {
                first: context.units.codes[*first].clone(),
                second: context.units.codes[*second].clone(),
            };
            report.error(table.path, Some(*line), Some(*column), problem);
            None
        }
    }
}

/// The units whose names the cells above the header hold (as words, whatever the case and
/// diacritics), each once, with the cell (line, column) that first names it. A name inside
/// a longer name that the same cell holds (`Xã A` in `Xã An`) does not count.
fn named_units(table: &Table<'_>, context: &ItemContext<'_>) -> Vec<(usize, (u64, u64))> {
    let names: Vec<(usize, String)> = (context.unit_names.iter())
        .filter_map(|(code, name)| Some((context.units.get(code)?, words(name))))
        .filter(|(_, name)| !name.is_empty())
        .collect();
    let mut found: Vec<(usize, (u64, u64))> = Vec::new();
    for (line, record) in &table.above_header {
        for (field, cell) in record.iter().enumerate() {
            let text = words(cell);
            let spans: Vec<(usize, std::ops::Range<usize>)> = (names.iter())
                .filter_map(|(unit, name)| Some((*unit, word_span(&text, name)?)))
                .collect();
            for (unit, span) in &spans {
                let inside = (spans.iter()).any(|(_, other)| {
                    other.len() > span.len() && other.start <= span.start && span.end <= other.end
                });
                if !inside && !found.iter().any(|(known, _)| known == unit) {
                    found.push((*unit, (*line, field as u64 + 1)));
                }
            }
        }
    }
    found
}

/// Text folded for finding names: lower case, no diacritics, words of letters and digits
/// separated by one space, with a space at each end.
fn words(text: &str) -> String {
    let folded = code_key(text);
    let mut out = String::from(" ");
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(word);
        out.push(' ');
    }
    if out.len() == 1 { String::new() } else { out }
}

/// Where `name` (folded by [`words`]) stands in `text` as whole words.
fn word_span(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find(name)?;
    Some(start..start + name.len())
}

/// One unit's phụ biểu being read.
struct UnitSheet<'s, 'c> {
    unit: usize,
    framework: &'c Framework,
    breach: Breach,
    unit_codes: &'c UnitIndex,
    sheets: &'s mut Sheets,
    number_codes: NumberCodes,
    /// Each leaf's self-score read, for the subtotals and the total.
    scores: HashMap<usize, Decimal>,
    /// Parent rows' and the total row's points.
    sums: Vec<SumRow>,
    evidence: Vec<(usize, Vec<[String; 2]>)>,
}

/// A parent row's (its node) or the total row's (None) points, and their cell.
type SumRow = (Option<NodeId>, Decimal, (u64, Option<u64>));

/// What a row of a phụ biểu is.
enum Row {
    Node(NodeId),
    Total,
    /// No code: blank, a heading, the signature block.
    Other,
}

impl<'s, 'c> UnitSheet<'s, 'c> {
    fn new(
        unit: usize,
        framework: &'c Framework,
        context: &'c ItemContext<'_>,
        sheets: &'s mut Sheets,
    ) -> UnitSheet<'s, 'c> {
        UnitSheet {
            unit,
            framework,
            breach: match context.options.strict {
                true => Breach::Refused,
                false => Breach::Claim,
            },
            unit_codes: context.units,
            sheets,
            number_codes: NumberCodes::new(framework),
            scores: HashMap::new(),
            sums: Vec::new(),
            evidence: Vec::new(),
        }
    }

    fn read(&mut self, mut table: Table<'_>, report: &mut Report) {
        while let Some(line) = table.next(report) {
            match self.row(&table, line, report) {
                Some(Row::Node(id)) => {
                    if self.check_maximum(&table, line, id, report) {
                        self.node_row(&table, line, id, report);
                    }
                }
                Some(Row::Total) => self.sum_row(&table, line, None),
                Some(Row::Other) | None => {}
            }
        }
        self.check_sums(table.path, report);
    }

    /// The row's criterion from its code cell; None when the cell is wrong (reported).
    fn row(&self, table: &Table<'_>, line: u64, report: &mut Report) -> Option<Row> {
        let place = (table.path, Some(line), table.column(col::CODE));
        let cell = table.cell(col::CODE).trim();
        let code = match table.cell_kind(col::CODE) {
            CellKind::Number => match self.number_codes.code(cell) {
                Ok(code) => code,
                Err(problem) => {
                    report.error(place.0, place.1, place.2, problem);
                    return None;
                }
            },
            _ if cell.is_empty() => return Some(row_without_code(table.record())),
            _ => match invisible_in_code(table.cell(col::CODE), CodeCell::CriterionCode) {
                // A code with a character that cannot be seen would be skipped as no code.
                Some(problem) => {
                    report.error(place.0, place.1, place.2, problem);
                    return None;
                }
                None => clean_code(cell).trim_end_matches('.').to_string(),
            },
        };
        if let Some(field) = roman(&code) {
            return match self.framework.roots().get(field - 1) {
                Some(&id) => Some(Row::Node(id)),
                None => Some(Row::Other),
            };
        }
        let Ok(parsed) = Code::parse(&code) else {
            return Some(row_without_code(table.record()));
        };
        match self.framework.find(&parsed.to_string()) {
            Some(id) => Some(Row::Node(id)),
            None => {
                report.error(
                    place.0,
                    place.1,
                    place.2,
                    Problem::UnknownCriterion(quote(&code)),
                );
                None
            }
        }
    }

    /// The maximum cell, if given, against the framework's; false when it differs (reported).
    fn check_maximum(&self, table: &Table<'_>, line: u64, id: NodeId, report: &mut Report) -> bool {
        let node = self.framework.node(id);
        let Ok(found) = parse_score(table.cell(col::MAX)) else {
            return true;
        };
        if found == node.def.max_points {
            return true;
        }
        let problem = Problem::WrongMaximum {
            code: node.code().to_string(),
            found,
            expected: node.def.max_points,
        };
        report.error(table.path, Some(line), table.column(col::MAX), problem);
        false
    }

    fn node_row(&mut self, table: &Table<'_>, line: u64, id: NodeId, report: &mut Report) {
        let node = self.framework.node(id);
        let Some(leaf) = node.leaf_index else {
            self.sum_row(table, line, Some(id));
            return;
        };
        if super::items::is_survey_leaf(self.framework, leaf) {
            if !table.cell(col::SCORE).trim().is_empty() {
                let problem = Problem::SurveyPointsIgnored(node.code().to_string());
                report.warn(table.path, Some(line), table.column(col::SCORE), problem);
            }
            return;
        }
        let checked = Some((self.framework, leaf));
        let points = read_points(
            table,
            line,
            col::SCORE,
            SCORE_NAME,
            checked,
            self.breach,
            report,
        );
        let score = points.ok().flatten();
        let note = note(table);
        if let Err(first) = self.sheets.take_row((self.unit, leaf), line, &note, score) {
            let problem = duplicate_row(&self.unit_codes.codes[self.unit], node.code(), first);
            report.error(table.path, Some(line), table.column(col::CODE), problem);
            return;
        }
        if let Ok(None) = points {
            report.warn(
                table.path,
                Some(line),
                table.column(col::SCORE),
                Problem::EmptySelfScore,
            );
        }
        if let Some(score) = score {
            self.scores.insert(leaf, score);
        }
        let documents = documents(table.cell(col::EVIDENCE));
        if !documents.is_empty() {
            self.evidence.push((leaf, documents));
        }
    }

    /// Keeps a parent row's or the total row's points, if it has any, for [`Self::check_sums`].
    fn sum_row(&mut self, table: &Table<'_>, line: u64, id: Option<NodeId>) {
        if let Ok(points) = parse_score(table.cell(col::SCORE)) {
            self.sums
                .push((id, points, (line, table.column(col::SCORE))));
        }
    }

    /// Warns where a parent row or the total row is not the sum of the leaves read.
    fn check_sums(&self, path: &Path, report: &mut Report) {
        for &(id, found, (line, column)) in &self.sums {
            let leaves = match id {
                Some(id) => self.framework.leaf_range(id),
                None => 0..self.framework.leaves().len(),
            };
            let sum: Decimal = leaves.filter_map(|leaf| self.scores.get(&leaf)).sum();
            if sum == found {
                continue;
            }
            let problem = match id {
                Some(id) => Problem::SubtotalDiffers {
                    code: self.framework.node(id).code().to_string(),
                    found,
                    sum,
                },
                None => Problem::TotalDiffers { found, sum },
            };
            report.warn(path, Some(line), column, problem);
        }
    }
}

/// The unit's note: `Ghi chú`, `Giải trình`, or both on two lines.
fn note(table: &Table<'_>) -> String {
    let (note, explanation) = (
        clean_text(table.cell(col::NOTE)),
        clean_text(table.cell(col::EXPLANATION)),
    );
    match (note.is_empty(), explanation.is_empty()) {
        (_, true) => note,
        (true, false) => explanation,
        (false, false) => format!("{note}\n{explanation}"),
    }
}

/// A row without a criterion code: the total row if a cell says so (`Tổng cộng`, `Tổng
/// điểm`), else a row that is skipped.
fn row_without_code(record: &csv::StringRecord) -> Row {
    let total = record.iter().any(|cell| {
        let folded = words(cell);
        folded.starts_with(" tong cong") || folded.starts_with(" tong diem") || folded == " tong "
    });
    if total { Row::Total } else { Row::Other }
}

/// A field's Roman numeral (I to XXX) as its position, 1-based.
fn roman(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 6 || !text.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        _ => 10,
    };
    let digits: Vec<usize> = text.chars().map(value).collect();
    let mut total = 0;
    for (index, &digit) in digits.iter().enumerate() {
        match digits.get(index + 1) {
            Some(&next) if next > digit => total -= digit as isize,
            _ => total += digit as isize,
        }
    }
    usize::try_from(total).ok().filter(|n| (1..=30).contains(n))
}

/// The documents of an evidence cell: one per line or per `;`, each its leading document
/// number (`376/KH-UBND`) as the ref and the rest as the title; a line without a number is
/// the ref whole. Bullets and a leading `Số` are left out.
fn documents(cell: &str) -> Vec<[String; 2]> {
    let mut documents: Vec<[String; 2]> = Vec::new();
    for piece in cell.split(['\n', '\r', ';']) {
        let piece = clean_text(piece);
        let piece = piece.trim_start_matches(['-', '+', '*', '•', '–', ' ']);
        let piece = strip_word(piece, "số").unwrap_or(piece).trim();
        if piece.is_empty() {
            continue;
        }
        let (first, rest) = piece.split_once(char::is_whitespace).unwrap_or((piece, ""));
        let document = match first.chars().any(|c| c.is_ascii_digit()) {
            true => {
                let reference = first.trim_end_matches([',', ':', ';']);
                let title = rest.trim().trim_start_matches([':', '-', ',', '–', ' ']);
                [reference.to_string(), title.to_string()]
            }
            false => [piece.to_string(), String::new()],
        };
        if !documents.contains(&document) {
            documents.push(document);
        }
    }
    documents
}

/// `text` after a leading word (any case) and the spaces after it.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let (first, rest) = text.split_once(char::is_whitespace)?;
    (first.to_lowercase() == word).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_number_the_fields() {
        assert_eq!(roman("I"), Some(1));
        assert_eq!(roman("IV"), Some(4));
        assert_eq!(roman("VIII"), Some(8));
        assert_eq!(roman("IX"), Some(9));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("A"), None);
        assert_eq!(roman(""), None);
        assert_eq!(roman("i"), None);
    }

    #[test]
    fn an_evidence_cell_holds_documents_one_per_line_or_semicolon() {
        let cell = "- Số 376/KH-UBND ngày 10/01/2025: Kế hoạch CCHC\n12/BC-SNV Báo cáo quý; Biên bản kiểm tra\n\n";
        assert_eq!(
            documents(cell),
            [
                [
                    "376/KH-UBND".to_string(),
                    "ngày 10/01/2025: Kế hoạch CCHC".to_string()
                ],
                ["12/BC-SNV".to_string(), "Báo cáo quý".to_string()],
                ["Biên bản kiểm tra".to_string(), String::new()],
            ]
        );
        assert!(documents("  \n ; ").is_empty());
    }

    #[test]
    fn unit_names_are_found_as_words_whatever_the_accents() {
        let title = words("BẢNG CHẤM ĐIỂM – Đơn vị: SỞ NỘI VỤ – Năm 2025");
        assert!(word_span(&title, &words("Sở Nội vụ")).is_some());
        assert!(word_span(&title, &words("Sở Nội")).is_some());
        assert!(word_span(&words("Xã Bảo Hà"), &words("Xã Bảo")).is_some());
        assert!(word_span(&words("Xã Bảo Hàm"), &words("Xã Bảo Hà")).is_none());
    }
}
