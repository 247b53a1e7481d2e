//! Telling UTF-8 text from UTF-16, legacy encodings and binary files, with the place of the
//! first bad byte.

use crate::domain::text::tr;

pub(super) struct EncodingError {
    pub(super) line: u64,
    pub(super) column: u64,
    pub(super) message: String,
}

pub(super) fn save_as_utf8() -> String {
    tr(
        "not UTF-8 text; save the file as UTF-8",
        "tệp không phải văn bản UTF-8; hãy lưu tệp dưới dạng UTF-8",
    )
}

/// Finds the first byte that keeps the file from being UTF-8 text, by line and field.
pub(super) fn check_utf8(bytes: &[u8]) -> Result<(), EncodingError> {
    check_encoding_marks(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(()),
        Err(error) => Err(bad_byte_at(bytes, error.valid_up_to())),
    }
}

/// UTF-16 byte-order marks and NUL bytes (binary files), which are fast to look for.
pub(super) fn check_encoding_marks(bytes: &[u8]) -> Result<(), EncodingError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let order = if bytes[0] == 0xFF { "LE" } else { "BE" };
        return Err(EncodingError {
            line: 1,
            column: 1,
            message: tr(
                format!(
                    "{} (found a UTF-16 {order} byte-order mark: the file is UTF-16, \
                     as spreadsheet programs write \"Unicode text\")",
                    save_as_utf8()
                ),
                format!(
                    "{} (gặp dấu thứ tự byte UTF-16 {order}: tệp là UTF-16, \
                     như các chương trình bảng tính ghi khi chọn \"Unicode text\")",
                    save_as_utf8()
                ),
            ),
        });
    }
    if !bytes.contains(&0) {
        return Ok(());
    }
    // Report whichever comes first: an invalid byte or the NUL.
    let nul = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let offset = match std::str::from_utf8(&bytes[..nul]) {
        Ok(_) => nul,
        Err(error) => error.valid_up_to(),
    };
    Err(bad_byte_at(bytes, offset))
}

pub(super) fn bad_byte_at(bytes: &[u8], offset: usize) -> EncodingError {
    let (line, column) = place_of(&bytes[..offset]);
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let hint = if byte == 0 {
        tr(
            "found a NUL byte: this looks like a binary file, not CSV text",
            "gặp byte NUL: tệp có vẻ là tệp nhị phân, không phải văn bản CSV",
        )
    } else {
        tr(
            format!(
                "found byte 0x{byte:02X}, which is not valid UTF-8 (a legacy encoding such as \
                 Windows-1258, TCVN3 or Latin-1?)"
            ),
            format!(
                "gặp byte 0x{byte:02X}, không hợp lệ trong UTF-8 (tệp dùng bảng mã cũ như \
                 Windows-1258, TCVN3 hay Latin-1?)"
            ),
        )
    };
    EncodingError {
        line,
        column,
        message: format!("{} ({hint})", save_as_utf8()),
    }
}

/// The 1-based line and field number reached after `prefix`, following CSV quoting.
pub(super) fn place_of(prefix: &[u8]) -> (u64, u64) {
    let (mut line, mut field, mut quoted) = (1u64, 1u64, false);
    for &byte in prefix {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' => {
                line += 1;
                if !quoted {
                    field = 1;
                }
            }
            _ => {}
        }
    }
    (line, field)
}
