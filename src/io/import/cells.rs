//! Cells as stored: trimmed and NFC.

use crate::domain::text::nfc;
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// A fast check that covers precomposed Vietnamese: characters below U+0300 (ASCII, Latin-1,
/// Latin Extended-A/B: ă â đ ê ô ơ ư …) and U+1EA0–U+1EFF (ạ ả ấ … ỹ) are all NFC and none of
/// them composes with a neighbour, so text made only of them is NFC.
pub(super) fn surely_nfc(text: &str) -> bool {
    // Works on the UTF-8 bytes: below U+0300 (no combining marks yet) or one of Vietnamese's
    // precomposed letters U+1EA0–U+1EFF (E1 BA A0 … E1 BB BF) is NFC whatever follows.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0xC2..=0xCB => i += 2,
            0xE1 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBA), Some(0xA0..=0xBF)) | (Some(0xBB), Some(_))
            ) =>
            {
                i += 3
            }
            _ => return false,
        }
    }
    true
}

/// Text as stored: trimmed and NFC.
pub(super) fn clean_text(cell: &str) -> String {
    clean_code(cell).into_owned()
}

/// Trimmed and NFC, borrowed when it already is. Most text is, and checking is several times
/// faster than normalising.
pub(super) fn clean_code(cell: &str) -> Cow<'_, str> {
    let trimmed = cell.trim();
    if surely_nfc(trimmed) || is_nfc_quick(trimmed.chars()) == IsNormalized::Yes {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(nfc(trimmed))
    }
}
