//! units.csv.

use super::cells::{clean_code, clean_text, code_key, invisible_in_code};
use super::columns::{UNITS_COLUMNS, quote, units_col};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use crate::domain::Unit;
use crate::io::{CodeCell, Problem, RequiredCell};
use std::collections::HashMap;
use std::path::Path;

/// Every unit code the folder may refer to: the session's, then the file's new ones.
#[derive(Default)]
pub(super) struct UnitIndex {
    pub(super) codes: Vec<String>,
    pub(super) by_code: HashMap<String, usize>,
    /// Codes folded by [`code_key`], to refuse codes that differ only by case or diacritics.
    by_key: HashMap<String, usize>,
}

impl UnitIndex {
    pub(super) fn add(&mut self, code: &str) -> usize {
        if let Some(&index) = self.by_code.get(code) {
            return index;
        }
        let index = self.codes.len();
        self.codes.push(code.to_owned());
        self.by_code.insert(code.to_owned(), index);
        self.by_key.entry(code_key(code)).or_insert(index);
        index
    }

    pub(super) fn get(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Another code that differs from `code` only by case or diacritics.
    pub(super) fn look_alike(&self, code: &str) -> Option<&str> {
        let &index = self.by_key.get(&code_key(code))?;
        let other = self.codes[index].as_str();
        (other != code).then_some(other)
    }

    pub(super) fn len(&self) -> usize {
        self.codes.len()
    }
}

/// Reads units.csv; `units` holds the session's codes and takes the file's.
pub(super) fn read_units(
    path: &Path,
    rows: CsvRows,
    units: &mut UnitIndex,
    report: &mut Report,
) -> Vec<Unit> {
    use units_col::*;
    let Some(mut table) = Table::open(path, rows, UNITS_COLUMNS, report) else {
        return Vec::new();
    };
    let mut file_units = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    while let Some(line) = table.next(report) {
        let code = clean_code(table.cell(CODE));
        let name = clean_text(table.cell(NAME));
        let code_ok = check_unit_code(&table, line, &code, units, &lines, report);
        if name.is_empty() {
            report.error(
                path,
                Some(line),
                table.column(NAME),
                Problem::EmptyCell(RequiredCell::UnitName),
            );
        }
        if !code.is_empty() {
            lines.entry(code.to_string()).or_insert(line);
        }
        if code_ok && !name.is_empty() {
            units.add(&code);
            file_units.push(Unit {
                code: code.into_owned(),
                name,
                group: clean_text(table.cell(GROUP)),
            });
        }
    }
    file_units
}

/// A unit code of units.csv: not empty, not seen before in the file, nothing invisible in
/// it, and not another code (of the file or the session) but for case or diacritics.
fn check_unit_code(
    table: &Table<'_>,
    line: u64,
    code: &str,
    units: &UnitIndex,
    lines: &HashMap<String, u64>,
    report: &mut Report,
) -> bool {
    use units_col::CODE;
    let at = (table.path, Some(line), table.column(CODE));
    let problem = if code.is_empty() {
        Problem::EmptyCell(RequiredCell::UnitCode)
    } else if let Some(invisible) = invisible_in_code(table.cell(CODE), CodeCell::UnitCode) {
        invisible
    } else if let Some(&first) = lines.get(code) {
        Problem::DuplicateUnit {
            code: quote(code),
            first,
        }
    } else if let Some(other) = units.look_alike(code) {
        Problem::LookAlike {
            code: quote(code),
            other: quote(other),
            other_line: lines.get(other).copied(),
        }
    } else {
        return true;
    };
    report.error(at.0, at.1, at.2, problem);
    false
}
