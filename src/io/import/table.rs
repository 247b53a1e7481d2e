//! One file as a table: its header row mapped onto the declared columns, then rows of text
//! cells of the header's width, each at its line, a cell's column being its field number.

use super::columns::{Column, column_names, header_key, quote};
use super::report::Report;
use super::source::{CsvRows, RowSource};
use crate::io::{Problem, Separator, UnknownColumn};
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
    /// The first [`UNKNOWN_NAMED`] unknown columns, then None for each one more.
    unknown: Vec<Option<UnknownColumn>>,
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
                let problem = missing_column(column, &header);
                report.error(path, Some(header_line), None, problem);
                ok = false;
            }
        }
        if !matched.unknown.is_empty() {
            let problem = unknown_columns(matched.unknown, columns);
            report.warn(path, Some(header_line), None, problem);
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
            let (column, problem) = if found < expected {
                (found + 1, Problem::TooFewFields { expected, found })
            } else {
                (expected + 1, Problem::TooManyFields { expected, found })
            };
            report.error(self.path, Some(line), Some(column as u64), problem);
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
                    let problem = column_twice(&columns[declared], header, first, cell);
                    report.error(path, Some(header_line), Some(index as u64 + 1), problem);
                    matched.ok = false;
                }
                None => matched.fields[declared] = Some(index),
            },
            // Only the first few are named; the rest are counted.
            None if matched.unknown.len() >= UNKNOWN_NAMED => matched.unknown.push(None),
            None if cell.trim().is_empty() => matched
                .unknown
                .push(Some(UnknownColumn::Unnamed(index + 1))),
            None => matched
                .unknown
                .push(Some(UnknownColumn::Named(quote(cell)))),
        }
    }
    matched
}

fn empty_file(columns: &[Column]) -> Problem {
    Problem::EmptyFile {
        required: column_names(columns.iter().filter(|c| c.required)),
    }
}

fn column_twice(column: &Column, header: &csv::StringRecord, first: usize, again: &str) -> Problem {
    Problem::ColumnTwice {
        name: column.name,
        first_as: quote(header.get(first).unwrap_or("")),
        first_column: first + 1,
        again_as: quote(again),
    }
}

fn missing_column(column: &Column, header: &csv::StringRecord) -> Problem {
    Problem::MissingColumn {
        name: column.name,
        aliases: column.aliases,
        found: header.iter().take(UNKNOWN_NAMED).map(quote).collect(),
        more: header.len().saturating_sub(UNKNOWN_NAMED),
        separator: separator(header),
    }
}

/// Spreadsheets set to some locales write ';' or tabs between columns.
fn separator(header: &csv::StringRecord) -> Option<Separator> {
    match header.get(0) {
        Some(only) if header.len() == 1 && only.contains(';') => Some(Separator::Semicolon),
        Some(only) if header.len() == 1 && only.contains('\t') => Some(Separator::Tab),
        _ => None,
    }
}

/// One short warning however many columns are unknown: the first names, then a count.
fn unknown_columns(unknown: Vec<Option<UnknownColumn>>, columns: &[Column]) -> Problem {
    let more = unknown.len().saturating_sub(UNKNOWN_NAMED);
    Problem::UnknownColumns {
        named: unknown.into_iter().take(UNKNOWN_NAMED).flatten().collect(),
        more,
        known: column_names(columns.iter()),
    }
}
