//! Telling UTF-8 text from UTF-16, legacy encodings and binary files, with the place of the
//! first bad byte.

use super::scan::line_breaks;
use crate::io::{NotUtf8, Problem};

pub(super) struct EncodingError {
    pub(super) line: u64,
    pub(super) column: u64,
    pub(super) why: NotUtf8,
}

impl EncodingError {
    pub(super) fn problem(&self) -> Problem {
        Problem::NotUtf8(self.why)
    }
}

/// Finds the first byte that keeps the file from being UTF-8 text, by line and field (the whole
/// file read as [`check_record`] reads it record by record).
#[cfg(test)]
pub(super) fn check_utf8(bytes: &[u8]) -> Result<(), EncodingError> {
    if let Some(error) = utf16_mark(bytes) {
        return Err(error);
    }
    let scanned = super::scan::Scanned::new(bytes, u64::MAX, u64::MAX);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(scanned);
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let line = reader.get_mut().take_record_line();
        check_record(&record, line)?;
    }
    Ok(())
}

/// A UTF-16 byte-order mark at the start of a file.
pub(super) fn utf16_mark(start: &[u8]) -> Option<EncodingError> {
    let order = match start {
        [0xFF, 0xFE, ..] => "LE",
        [0xFE, 0xFF, ..] => "BE",
        _ => return None,
    };
    Some(EncodingError {
        line: 1,
        column: 1,
        why: NotUtf8::Utf16(order),
    })
}

/// The first NUL byte (binary files) or byte that is not UTF-8 in a record starting on `line`,
/// whichever comes first, at its physical line and field.
pub(super) fn check_record(record: &csv::ByteRecord, line: u64) -> Result<(), EncodingError> {
    let bytes = record.as_slice();
    if bytes.is_ascii() && !bytes.contains(&0) {
        return Ok(());
    }
    let mut line = line;
    for (index, field) in record.iter().enumerate() {
        let nul = field.iter().position(|&b| b == 0);
        let invalid = std::str::from_utf8(field).err().map(|e| e.valid_up_to());
        let first = match (nul, invalid) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(offset) = first {
            let line = line + line_breaks(&field[..offset]);
            return Err(bad_byte(field[offset], line, index as u64 + 1));
        }
        line += line_breaks(field);
    }
    Ok(())
}

fn bad_byte(byte: u8, line: u64, column: u64) -> EncodingError {
    let why = if byte == 0 {
        NotUtf8::Nul
    } else {
        NotUtf8::Byte(byte)
    };
    EncodingError { line, column, why }
}
