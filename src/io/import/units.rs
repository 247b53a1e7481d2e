//! units.csv.

use super::cells::{clean_code, clean_text};
use super::columns::{UNITS_COLUMNS, quote, units_col};
use super::report::Report;
use super::table::Table;
use crate::domain::Unit;
use crate::domain::text::tr;
use std::collections::HashMap;
use std::path::Path;

/// Every unit code the folder may refer to: the session's, then the file's new ones.
#[derive(Default)]
pub(super) struct UnitIndex {
    pub(super) codes: Vec<String>,
    pub(super) by_code: HashMap<String, usize>,
}

impl UnitIndex {
    pub(super) fn add(&mut self, code: &str) -> usize {
        if let Some(&index) = self.by_code.get(code) {
            return index;
        }
        let index = self.codes.len();
        self.codes.push(code.to_owned());
        self.by_code.insert(code.to_owned(), index);
        index
    }

    pub(super) fn get(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub(super) fn len(&self) -> usize {
        self.codes.len()
    }
}

pub(super) fn read_units(
    path: &Path,
    bytes: &[u8],
    units: &mut UnitIndex,
    report: &mut Report,
) -> Vec<Unit> {
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
