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
        let title = clean_text(table.cell(TITLE));
        let location = clean_text(table.cell(LOCATION));
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
