//! Reading one CSV file as rows of text cells, each at its line and column.

use super::columns::{Column, column_names, header_key, quote};
use super::encoding::{check_encoding_marks, check_utf8};
use super::report::Report;
use crate::domain::text::tr;
use std::path::Path;

// Files, encodings and headers

pub(super) enum Loaded {
    Missing,
    /// Unreadable or not UTF-8; already reported.
    Failed,
    /// UTF-8 text without its byte-order mark.
    Bytes(Vec<u8>),
}

pub(super) fn load(path: &Path, report: &mut Report) -> Loaded {
    let mut bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(error) => {
            report.error(
                path,
                None,
                None,
                tr(
                    format!("cannot read the file: {error}"),
                    format!("không đọc được tệp: {error}"),
                ),
            );
            return Loaded::Failed;
        }
    };
    // Only the cheap checks here: csv validates UTF-8 record by record, and a failure there
    // comes back to check_utf8 for the exact place (validating twice costs 5% of an import).
    if let Err(error) = check_encoding_marks(&bytes) {
        report.error(path, Some(error.line), Some(error.column), error.message);
        return Loaded::Failed;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Loaded::Bytes(bytes)
}

/// One CSV file being read: its reader, and where each declared column sits.
pub(super) struct Table<'a> {
    pub(super) path: &'a Path,
    pub(super) bytes: &'a [u8],
    pub(super) reader: csv::Reader<&'a [u8]>,
    /// A byte offset already converted to a line, to count lines incrementally.
    pub(super) counted: (usize, u64),
    /// For each declared column, its 0-based field index in the file.
    pub(super) fields: Vec<Option<usize>>,
    pub(super) width: usize,
}

impl<'a> Table<'a> {
    /// Reads the header row and maps it onto `columns`. None (with errors reported) when a
    /// required column is missing or the file is empty.
    pub(super) fn open(
        path: &'a Path,
        bytes: &'a [u8],
        columns: &[Column],
        report: &mut Report,
    ) -> Option<Table<'a>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut header = csv::StringRecord::new();
        let header_line = match reader.read_record(&mut header) {
            Ok(true) => line_of(bytes, header.position().map_or(0, |p| p.byte())),
            Ok(false) => {
                report.error(path, Some(1), None, {
                    let names = column_names(columns.iter().filter(|c| c.required));
                    tr(
                        format!(
                            "the file is empty: expected a header row with the columns {names}"
                        ),
                        format!("tệp trống: cần một dòng tiêu đề với các cột {names}"),
                    )
                });
                return None;
            }
            Err(error) => {
                report_csv_error(path, bytes, &error, report);
                return None;
            }
        };
        let mut fields: Vec<Option<usize>> = vec![None; columns.len()];
        let mut unknown = Vec::new();
        let mut ok = true;
        for (index, cell) in header.iter().enumerate() {
            let key = header_key(cell);
            let found = columns
                .iter()
                .position(|c| c.name == key || c.aliases.contains(&key.as_str()));
            match found {
                Some(declared) => match fields[declared] {
                    Some(first) => {
                        report.error(
                            path,
                            Some(header_line),
                            Some(index as u64 + 1),
                            {
                                let name = columns[declared].name;
                                let first_as = quote(header.get(first).unwrap_or(""));
                                let first_column = first + 1;
                                let again_as = quote(cell);
                                tr(
                                    format!(
                                        "column '{name}' appears twice: as '{first_as}' (column {first_column}) and as '{again_as}'"
                                    ),
                                    format!(
                                        "cột '{name}' xuất hiện hai lần: là '{first_as}' (cột {first_column}) và là '{again_as}'"
                                    ),
                                )
                            },
                        );
                        ok = false;
                    }
                    None => fields[declared] = Some(index),
                },
                None if cell.trim().is_empty() => {
                    let number = index + 1;
                    unknown.push(tr(
                        format!("(unnamed column {number})"),
                        format!("(cột {number} không có tên)"),
                    ))
                }
                None => unknown.push(format!("'{}'", quote(cell))),
            }
        }
        let found_names = || {
            header
                .iter()
                .map(|c| format!("'{}'", quote(c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Spreadsheets set to some locales write ';' or tabs between columns.
        let separator_hint = match header.get(0) {
            Some(only) if header.len() == 1 && (only.contains(';') || only.contains('\t')) => {
                let found = if only.contains(';') {
                    "';'".to_string()
                } else {
                    tr("tabs", "dấu tab")
                };
                tr(
                    format!(
                        " (the file seems to use {found} between columns: save it as CSV with commas)"
                    ),
                    format!(
                        " (tệp có vẻ dùng {found} để ngăn cách các cột: hãy lưu dưới dạng CSV ngăn cách bằng dấu phẩy)"
                    ),
                )
            }
            _ => String::new(),
        };
        for (declared, column) in columns.iter().enumerate() {
            if column.required && fields[declared].is_none() {
                let aliases = if column.aliases.is_empty() {
                    String::new()
                } else {
                    let aliases = column.aliases.join(", ");
                    tr(format!(" (or {aliases})"), format!(" (hoặc {aliases})"))
                };
                report.error(
                    path,
                    Some(header_line),
                    None,
                    {
                        let (name, found) = (column.name, found_names());
                        tr(
                            format!(
                                "missing required column '{name}'{aliases}; the header has: {found}{separator_hint}"
                            ),
                            format!(
                                "thiếu cột bắt buộc '{name}'{aliases}; dòng tiêu đề có: {found}{separator_hint}"
                            ),
                        )
                    },
                );
                ok = false;
            }
        }
        if !unknown.is_empty() {
            report.warn(path, Some(header_line), None, {
                let (unknown, known) = (unknown.join(", "), column_names(columns.iter()));
                tr(
                    format!("unknown columns ignored: {unknown} (known columns: {known})"),
                    format!(
                        "bỏ qua các cột không xác định: {unknown} (các cột được biết: {known})"
                    ),
                )
            });
        }
        if !ok && let Err(encoding) = check_utf8(bytes) {
            // The rows will not be read: say now that the file is not UTF-8 either.
            report.error(
                path,
                Some(encoding.line),
                Some(encoding.column),
                encoding.message,
            );
        }
        ok.then(|| Table {
            path,
            bytes,
            reader,
            counted: (0, 1),
            fields,
            width: header.len(),
        })
    }

    /// Reads the next record with the header's number of fields, reporting the others; returns
    /// the line it starts on. Rows of nothing but empty cells are skipped.
    pub(super) fn next(
        &mut self,
        record: &mut csv::StringRecord,
        report: &mut Report,
    ) -> Option<u64> {
        loop {
            match self.reader.read_record(record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => {
                    report_csv_error(self.path, self.bytes, &error, report);
                    return None;
                }
            }
            let line = self.line_at(record.position().map_or(0, |p| p.byte()));
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if record.len() != self.width {
                let (few, column) = if record.len() < self.width {
                    (true, record.len() + 1)
                } else {
                    (false, self.width + 1)
                };
                let (expected, found) = (self.width, record.len());
                let message = match few {
                    true => tr(
                        format!(
                            "too few fields: expected {expected} (as in the header), found {found}"
                        ),
                        format!("thiếu ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
                    ),
                    false => tr(
                        format!(
                            "too many fields: expected {expected} (as in the header), found {found}"
                        ),
                        format!("thừa ô: cần {expected} ô (như dòng tiêu đề), có {found}"),
                    ),
                };
                report.error(self.path, Some(line), Some(column as u64), message);
                continue;
            }
            return Some(line);
        }
    }

    /// The physical line of a record that csv says starts at `byte`. csv's own line count
    /// misses line breaks inside quoted fields with CRLF, so lines are counted here, forward.
    pub(super) fn line_at(&mut self, byte: u64) -> u64 {
        let (from, line) = self.counted;
        let to = record_start(self.bytes, byte);
        if to < from {
            return line_of(self.bytes, byte);
        }
        let line = line + count_newlines(&self.bytes[from..to]);
        self.counted = (to, line);
        line
    }

    /// The raw cell of a declared column; "" when the file has no such column.
    pub(super) fn cell<'r>(&self, record: &'r csv::StringRecord, declared: usize) -> &'r str {
        self.fields[declared]
            .and_then(|index| record.get(index))
            .unwrap_or("")
    }

    /// The 1-based column number of a declared column, for error positions.
    pub(super) fn column(&self, declared: usize) -> Option<u64> {
        self.fields[declared].map(|index| index as u64 + 1)
    }
}

pub(super) fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Where a record's first field begins. csv puts a record's start just after the previous
/// record's '\r', so the '\n' of a CRLF (and any blank lines) come first: skip them.
pub(super) fn record_start(bytes: &[u8], byte: u64) -> usize {
    let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// The 1-based line of the record csv says starts at `byte`.
pub(super) fn line_of(bytes: &[u8], byte: u64) -> u64 {
    1 + count_newlines(&bytes[..record_start(bytes, byte)])
}

pub(super) fn report_csv_error(path: &Path, bytes: &[u8], error: &csv::Error, report: &mut Report) {
    if let csv::ErrorKind::Utf8 { .. } = error.kind()
        && let Err(encoding) = check_utf8(bytes)
    {
        report.error(
            path,
            Some(encoding.line),
            Some(encoding.column),
            encoding.message,
        );
        return;
    }
    let line = error.position().map(|p| line_of(bytes, p.byte()));
    report.error(
        path,
        line,
        None,
        tr(
            format!("cannot read the CSV: {error}"),
            format!("không đọc được tệp CSV: {error}"),
        ),
    );
}
