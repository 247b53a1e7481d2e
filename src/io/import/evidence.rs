//! evidence.csv.

use super::EVIDENCE_SCAN_LIMIT;
use super::cells::clean_text;
use super::columns::{CRITERION, EVIDENCE_COLUMNS, evidence_col, quote};
use super::items::{is_survey_leaf, resolve_item};
use super::report::Report;
use super::self_scores::{Sheets, sheets_slot};
use super::source::CsvRows;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::text::tr;
use crate::domain::{Evidence, Framework};
use std::path::Path;

/// Reads evidence.csv into the slots of `sheets`. One item may cite several documents with
/// the same number (numbers repeat across issuers and years) when their title or location
/// differs; a row repeating another exactly is dropped with a warning naming both lines.
pub(super) fn read_evidence(
    path: &Path,
    rows: CsvRows,
    framework: Option<&Framework>,
    units: &UnitIndex,
    sheets: &mut Sheets,
    report: &mut Report,
) {
    use evidence_col::*;
    let Some(mut table) = Table::open(path, rows, EVIDENCE_COLUMNS, report) else {
        return;
    };
    while let Some(line) = table.next(report) {
        let item = resolve_item(&table, line, framework, units, report);
        let reference = clean_text(table.cell(REF));
        if reference.is_empty() {
            report.error(path, Some(line), table.column(REF), empty_ref());
            continue;
        }
        let (Some((unit, Some(leaf))), Some(framework)) = (item, framework) else {
            continue;
        };
        if is_survey_leaf(framework, leaf) {
            let message = survey_evidence(framework.leaf(leaf).code());
            report.error(path, Some(line), table.column(CRITERION), message);
            continue;
        }
        let evidence = Evidence {
            reference,
            title: clean_text(table.cell(TITLE)),
            location: clean_text(table.cell(LOCATION)),
        };
        if let Err((first, evidence)) = add_evidence(sheets, (unit, leaf), evidence, line) {
            let (unit, code) = (&units.codes[unit], framework.leaf(leaf).code());
            let message = repeated_row(unit, &code.to_string(), &evidence, first);
            report.warn(path, Some(line), table.column(REF), message);
        }
    }
}

/// Adds an evidence row to its item; gives it back with the line of an identical earlier row
/// instead.
fn add_evidence(
    sheets: &mut Sheets,
    (unit, leaf): (usize, usize),
    evidence: Evidence,
    line: u64,
) -> Result<(), (u64, Evidence)> {
    let many = &mut sheets.many_evidence;
    let Some(slot) = sheets_slot(
        &mut sheets.sheets,
        &mut sheets.sheet_of_unit,
        sheets.leaf_count,
        unit,
        leaf,
    ) else {
        return Ok(());
    };
    let list = slot.evidence.get_or_insert_with(Vec::new);
    let earlier = if list.len() < EVIDENCE_SCAN_LIMIT {
        list.iter().position(|e| *e == evidence)
    } else {
        let seen = many.entry((unit, leaf)).or_insert_with(|| {
            list.iter()
                .enumerate()
                .map(|(i, e)| (e.clone(), i))
                .collect()
        });
        match seen.get(&evidence) {
            Some(&index) => Some(index),
            None => {
                seen.insert(evidence.clone(), list.len());
                None
            }
        }
    };
    if let Some(index) = earlier {
        let first = slot.evidence_lines.get(index).copied().unwrap_or(0);
        return Err((first, evidence));
    }
    list.push(evidence);
    slot.evidence_lines.push(line);
    Ok(())
}

fn empty_ref() -> String {
    tr(
        "ref: expected the document's number (số hiệu, e.g. 376/KH-UBND), found an empty cell",
        "ref: cần số hiệu tài liệu kiểm chứng (ví dụ 376/KH-UBND), nhưng ô để trống",
    )
}

fn survey_evidence(code: impl std::fmt::Display) -> String {
    tr(
        format!("criterion {code} is a survey criterion: units give no evidence for it"),
        format!(
            "tiêu chí {code} là tiêu chí điều tra xã hội học: đơn vị không nộp tài liệu kiểm chứng cho tiêu chí này"
        ),
    )
}

fn repeated_row(unit: &str, code: &str, evidence: &Evidence, first: u64) -> String {
    let reference = quote(&evidence.reference);
    tr(
        format!(
            "repeated evidence row dropped: unit '{unit}', criterion {code}, ref '{reference}' with \
             the same title and location is already on line {first}"
        ),
        format!(
            "bỏ dòng tài liệu kiểm chứng lặp lại: đơn vị '{unit}', tiêu chí {code}, số hiệu \
             '{reference}' cùng trích yếu và đường dẫn đã có ở dòng {first}"
        ),
    )
}
