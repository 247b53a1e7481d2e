//! One file as a table: its header row mapped onto the declared columns, then rows of text
//! cells of the header's width, each at its line, a cell's column being its field number.

use super::columns::{Column, column_names, header_key, quote};
use super::report::Report;
use super::source::{CsvRows, RowSource};
use crate::domain::text::tr;
use std::path::Path;

/// How many unknown column names a warning lists before it only counts the rest.
const UNKNOWN_NAMED: usize = 10;

/// One file being read: its rows, where each declared column sits, and the current row.
pub(super) struct Table<'a, S = CsvRows> {
    pub(super) path: &'a Path,
    rows: S,
    record: csv::StringRecord,
    /// For each declared column, its 0-based field index in the file.
    fields: Vec<Option<usize>>,
    width: usize,
}

/// The header row matched against the declared columns.
struct HeaderMatch {
    fields: Vec<Option<usize>>,
    unknown: Vec<String>,
    ok: bool,
}

impl<'a, S: RowSource> Table<'a, S> {
    /// Reads the header row and maps it onto `columns`. None (with errors reported) when a
    /// required column is missing or the file is empty.
    pub(super) fn open(
        path: &'a Path,
        mut rows: S,
        columns: &[Column],
        report: &mut Report,
    ) -> Option<Table<'a, S>> {
        let mut header = csv::StringRecord::new();
        let before = report.error_count;
        let Some(header_line) = rows.next_record(&mut header, report) else {
            if report.error_count == before {
                report.error(path, Some(1), None, empty_file(columns));
            }
            return None;
        };
        let matched = match_header(path, &header, header_line, columns, report);
        let mut ok = matched.ok;
        for (declared, column) in columns.iter().enumerate() {
            if column.required && matched.fields[declared].is_none() {
                let message = missing_column(column, &header);
                report.error(path, Some(header_line), None, message);
                ok = false;
            }
        }
        if !matched.unknown.is_empty() {
            let message = unknown_columns(&matched.unknown, columns);
            report.warn(path, Some(header_line), None, message);
        }
        if !ok {
            // The rows will not be read: say now if the file is not UTF-8 either.
            rows.check_rest(report);
            return None;
        }
        Some(Table {
            path,
            rows,
            record: csv::StringRecord::new(),
            fields: matched.fields,
            width: header.len(),
        })
    }

    /// Reads the next record with the header's number of fields, reporting the others; returns
    /// the line it starts on. Rows of nothing but empty cells are skipped.
    pub(super) fn next(&mut self, report: &mut Report) -> Option<u64> {
        loop {
            let line = self.rows.next_record(&mut self.record, report)?;
            if self.record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if self.record.len() == self.width {
                return Some(line);
            }
            let (expected, found) = (self.width, self.record.len());
            let (column, message) = if found < expected {
                (found + 1, too_few_fields(expected, found))
            } else {
                (expected + 1, too_many_fields(expected, found))
            };
            report.error(self.path, Some(line), Some(column as u64), message);
        }
    }

    /// The raw cell of a declared column in the current row; "" when the file has no such
    /// column.
    pub(super) fn cell(&self, declared: usize) -> &str {
        self.fields[declared]
            .and_then(|index| self.record.get(index))
            .unwrap_or("")
    }

    /// The 1-based column number of a declared column, for error positions.
    pub(super) fn column(&self, declared: usize) -> Option<u64> {
        self.fields[declared].map(|index| index as u64 + 1)
    }
}

/// Finds each declared column in the header; a column given twice is an error.
fn match_header(
    path: &Path,
    header: &csv::StringRecord,
    header_line: u64,
    columns: &[Column],
    report: &mut Report,
) -> HeaderMatch {
    let mut matched = HeaderMatch {
        fields: vec![None; columns.len()],
        unknown: Vec::new(),
        ok: true,
    };
    for (index, cell) in header.iter().enumerate() {
        let key = header_key(cell);
        let found = columns
            .iter()
            .position(|c| c.name == key || c.aliases.contains(&key.as_str()));
        match found {
            Some(declared) => match matched.fields[declared] {
                Some(first) => {
                    let message = column_twice(&columns[declared], header, first, cell);
                    report.error(path, Some(header_line), Some(index as u64 + 1), message);
                    matched.ok = false;
                }
                None => matched.fields[declared] = Some(index),
            },
            // Only the first few are named; the rest are counted.
            None if matched.unknown.len() >= UNKNOWN_NAMED => matched.unknown.push(String::new()),
            None if cell.trim().is_empty() => {
                let number = index + 1;
                matched.unknown.push(tr(
                    format!("(unnamed column {number})"),
                    format!("(cột {number} không có tên)"),
                ))
            }
            None => matched.unknown.push(format!("'{}'", quote(cell))),
        }
    }
    matched
}

fn empty_file(columns: &[Column]) -> String {
    let names = column_names(columns.iter().filter(|c| c.required));
    tr(
        format!("the file is empty: expected a header row with the columns {names}"),
        format!("tệp trống: cần một dòng tiêu đề với các cột {names}"),
    )
}

fn column_twice(column: &Column, header: &csv::StringRecord, first: usize, again: &str) -> String {
    let name = column.name;
    let first_as = quote(header.get(first).unwrap_or(""));
    let first_column = first + 1;
    let again_as = quote(again);
    tr(
        format!(
            "column '{name}' appears twice: as '{first_as}' (column {first_column}) and as '{again_as}'"
        ),
        format!(
            "cột '{name}' xuất hiện hai lần: là '{first_as}' (cột {first_column}) và là '{again_as}'"
        ),
    )
}

fn missing_column(column: &Column, header: &csv::StringRecord) -> String {
    let aliases = if column.aliases.is_empty() {
        String::new()
    } else {
        let aliases = column.aliases.join(", ");
        tr(format!(" (or {aliases})"), format!(" (hoặc {aliases})"))
    };
    let name = column.name;
    let found = header_names(header);
    let hint = separator_hint(header);
    tr(
        format!("missing required column '{name}'{aliases}; the header has: {found}{hint}"),
        format!("thiếu cột bắt buộc '{name}'{aliases}; dòng tiêu đề có: {found}{hint}"),
    )
}

/// The header's cells as a message lists them: the first few, then how many more.
fn header_names(header: &csv::StringRecord) -> String {
    let mut names: Vec<String> = header
        .iter()
        .take(UNKNOWN_NAMED)
        .map(|c| format!("'{}'", quote(c)))
        .collect();
    if header.len() > UNKNOWN_NAMED {
        names.push(and_more(header.len() - UNKNOWN_NAMED));
    }
    names.join(", ")
}

fn and_more(count: usize) -> String {
    tr(
        format!("… and {count} more"),
        format!("… và {count} cột khác"),
    )
}

/// Spreadsheets set to some locales write ';' or tabs between columns.
fn separator_hint(header: &csv::StringRecord) -> String {
    let only = match header.get(0) {
        Some(only) if header.len() == 1 && (only.contains(';') || only.contains('\t')) => only,
        _ => return String::new(),
    };
    let found = if only.contains(';') {
        "';'".to_string()
    } else {
        tr("tabs", "dấu tab")
    };
    tr(
        format!(" (the file seems to use {found} between columns: save it as CSV with commas)"),
        format!(
            " (tệp có vẻ dùng {found} để ngăn cách các cột: hãy lưu dưới dạng CSV ngăn cách bằng dấu phẩy)"
        ),
    )
}

/// One short warning however many columns are unknown: the first names, then a count.
fn unknown_columns(unknown: &[String], columns: &[Column]) -> String {
    let mut named: Vec<&str> = unknown
        .iter()
        .take(UNKNOWN_NAMED)
        .map(String::as_str)
        .collect();
    let more = unknown.len().saturating_sub(UNKNOWN_NAMED);
    let more_text = and_more(more);
    if more > 0 {
        named.push(&more_text);
    }
    let (unknown, known) = (named.join(", "), column_names(columns.iter()));
    tr(
        format!("unknown columns ignored: {unknown} (known columns: {known})"),
        format!("bỏ qua các cột không xác định: {unknown} (các cột được biết: {known})"),
    )
}

fn too_few_fields(expected: usize, found: usize) -> String {
    tr(
        format!("too few fields: expected {expected} (as in the header), found {found}"),
        format!("thiếu ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
    )
}

fn too_many_fields(expected: usize, found: usize) -> String {
    tr(
        format!("too many fields: expected {expected} (as in the header), found {found}"),
        format!("thừa ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
    )
}
