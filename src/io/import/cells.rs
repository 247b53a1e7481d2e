//! Cells as stored: trimmed and NFC.

use crate::domain::text::nfc;
use crate::io::{CodeCell, Problem};
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

/// The first character of a code cell that cannot be seen, with where it sits: control and
/// format characters (zero-width spaces, byte-order marks, direction marks) and spaces other
/// than the ASCII ones (NBSP), which make two codes that look the same differ.
pub(super) fn invisible_in_code(cell: &str, which: CodeCell) -> Option<Problem> {
    if cell
        .bytes()
        .all(|b| (0x20..0x7F).contains(&b) || b == b'\t')
    {
        return None;
    }
    let edges = cell.trim_matches([' ', '\t']);
    let (at, c) = edges.char_indices().find(|&(_, c)| is_invisible(c))?;
    let visible = edges.replace(is_invisible, "");
    Some(Problem::Invisible {
        cell: which,
        code: crate::domain::text::excerpt(&visible, crate::domain::text::EXCERPT_CHARS),
        character: format!("U+{:04X}", c as u32),
        at_start: at == 0,
    })
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A code folded for telling codes apart: lower case, no diacritics, đ → d.
pub(super) fn code_key(code: &str) -> String {
    if code.is_ascii() {
        return code.to_ascii_lowercase();
    }
    crate::domain::text::fold_for_search(code)
}
