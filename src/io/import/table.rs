//! One file as a table: its header row mapped onto the declared columns, then rows of text
//! cells of the header's width, each at its line, a cell's column being its field number. A
//! CSV file's header is its first row; a sheet's is the first of its top rows that names the
//! required columns (a title and the national header may stand above it).

use super::columns::{Column, column_names, header_key, quote};
use super::report::Report;
use super::source::{CellKind, FileRows, RowSource};
use crate::io::{Problem, Separator, UnknownColumn};
use std::path::Path;

/// How many unknown column names a warning lists before it only counts the rest.
const UNKNOWN_NAMED: usize = 10;

/// One file being read: its rows, where each declared column sits, and the current row.
pub(super) struct Table<'a, S = FileRows> {
    pub(super) path: &'a Path,
    rows: S,
    record: csv::StringRecord,
    /// For each declared column, its 0-based field index in the file.
    fields: Vec<Option<usize>>,
    width: usize,
    /// The rows above the header, each at its line (a sheet's title rows).
    pub(super) above_header: Vec<(u64, csv::StringRecord)>,
}

/// The header found: its row, its line, how it matched, and the rows above it.
struct FoundHeader {
    header: csv::StringRecord,
    line: u64,
    matched: HeaderMatch,
    above: Vec<(u64, csv::StringRecord)>,
}

/// The header row matched against the declared columns.
struct HeaderMatch {
    fields: Vec<Option<usize>>,
    /// The first [`UNKNOWN_NAMED`] unknown columns, then None for each one more.
    unknown: Vec<Option<UnknownColumn>>,
    /// Columns named twice: the field and the problem.
    twice: Vec<(usize, Problem)>,
}

impl HeaderMatch {
    fn required_found(&self, columns: &[Column]) -> usize {
        (columns.iter().zip(&self.fields))
            .filter(|(column, field)| column.required && field.is_some())
            .count()
    }
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
        let before = report.error_count;
        let Some(found) = find_header(path, &mut rows, columns, report) else {
            if report.error_count == before {
                report.error(path, Some(1), None, empty_file(columns));
            }
            return None;
        };
        let FoundHeader {
            header,
            line: header_line,
            matched,
            above,
        } = found;
        let mut ok = matched.twice.is_empty();
        for (field, problem) in matched.twice {
            report.error(path, Some(header_line), Some(field as u64 + 1), problem);
        }
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
            above_header: above,
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
            if self.record.len() == self.width || !self.rows.fixed_width() {
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

    /// What the cell of a declared column held in the current row (a workbook's number).
    pub(super) fn cell_kind(&self, declared: usize) -> CellKind {
        self.fields[declared].map_or(CellKind::Text, |index| self.rows.cell_kind(index))
    }

    /// The 1-based column number of a declared column, for error positions.
    pub(super) fn column(&self, declared: usize) -> Option<u64> {
        self.fields[declared].map(|index| index as u64 + 1)
    }

    /// The current row's cells, all of them.
    pub(super) fn record(&self) -> &csv::StringRecord {
        &self.record
    }
}

/// The header: a CSV file's first record; in a sheet, the first row among the top
/// [`RowSource::header_rows`] that names every required column, else the one naming the most
/// of them (its missing columns are then reported), else an error at the sheet's first cell.
/// None for a file without rows.
fn find_header<S: RowSource>(
    path: &Path,
    rows: &mut S,
    columns: &[Column],
    report: &mut Report,
) -> Option<FoundHeader> {
    let search = rows.header_rows();
    let required = columns.iter().filter(|c| c.required).count();
    let mut record = csv::StringRecord::new();
    let mut best: Option<FoundHeader> = None;
    let mut above = Vec::new();
    while let Some(line) = rows.next_record(&mut record, report) {
        let matched = match_header(&record, columns);
        let found = matched.required_found(columns);
        if search <= 1 || found == required {
            let header = std::mem::take(&mut record);
            return Some(FoundHeader {
                header,
                line,
                matched,
                above,
            });
        }
        if let Some(header) = two_row_header(above.last(), &record, columns, required) {
            let matched = match_header(&header, columns);
            return Some(FoundHeader {
                header,
                line,
                matched,
                above,
            });
        }
        let better = (best.as_ref()).is_none_or(|b| found > b.matched.required_found(columns));
        if found > 0 && better {
            let header = record.clone();
            let above = above.clone();
            best = Some(FoundHeader {
                header,
                line,
                matched,
                above,
            });
        }
        above.push((line, record.clone()));
        if line >= search {
            break;
        }
    }
    if best.is_none() && !above.is_empty() {
        let problem = Problem::NoHeaderRow {
            required: column_names(columns.iter().filter(|c| c.required)),
            rows: search,
        };
        report.error(path, Some(1), Some(1), problem);
    }
    best
}

/// A header of two rows, as a merged cell over sub-columns makes it (`Điểm` over `Tối đa` and
/// `Tự chấm`): each column named by its lower cell, else its upper one; when that names every
/// required column.
fn two_row_header(
    upper: Option<&(u64, csv::StringRecord)>,
    lower: &csv::StringRecord,
    columns: &[Column],
    required: usize,
) -> Option<csv::StringRecord> {
    let (_, upper) = upper?;
    let width = upper.len().max(lower.len());
    let header: csv::StringRecord = (0..width)
        .map(|index| match cell_at(lower, index) {
            "" => cell_at(upper, index),
            named => named,
        })
        .collect();
    let found = match_header(&header, columns).required_found(columns);
    (found == required).then_some(header)
}

fn cell_at(record: &csv::StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or("").trim()
}

/// Finds each declared column in the header (by its names, else by its fallback names).
fn match_header(header: &csv::StringRecord, columns: &[Column]) -> HeaderMatch {
    let mut matched = HeaderMatch {
        fields: vec![None; columns.len()],
        unknown: Vec::new(),
        twice: Vec::new(),
    };
    let mut fallbacks = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        let key = header_key(cell);
        let found = columns
            .iter()
            .position(|c| c.name == key || c.aliases.contains(&key.as_str()));
        let fallback = || {
            columns
                .iter()
                .position(|c| c.fallback.contains(&key.as_str()))
        };
        match found {
            Some(declared) => match matched.fields[declared] {
                Some(first) => {
                    let problem = column_twice(&columns[declared], header, first, cell);
                    matched.twice.push((index, problem));
                }
                None => matched.fields[declared] = Some(index),
            },
            None if fallback().is_some() => fallbacks.extend(fallback().map(|d| (d, index))),
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
    for (declared, index) in fallbacks {
        matched.fields[declared].get_or_insert(index);
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
