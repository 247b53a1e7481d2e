//! Text helpers that belong to the domain: Vietnamese-aware search folding.

use unicode_normalization::UnicodeNormalization;

use std::sync::atomic::{AtomicU8, Ordering};

/// The language of detailed messages (errors, warnings, verify problems).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageLang {
    En,
    Vi,
}

/// Process-wide because errors are formatted deep inside `Display` impls that have no
/// context to carry a language; English by default so library users see stable texts.
static MESSAGE_LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of detailed messages for the whole process.
pub fn set_message_lang(lang: MessageLang) {
    let value = match lang {
        MessageLang::En => 0,
        MessageLang::Vi => 1,
    };
    MESSAGE_LANG.store(value, Ordering::Relaxed);
}

/// The current language of detailed messages.
pub fn message_lang() -> MessageLang {
    match MESSAGE_LANG.load(Ordering::Relaxed) {
        1 => MessageLang::Vi,
        _ => MessageLang::En,
    }
}

/// Picks the English or the Vietnamese form of a message by the current language.
pub fn tr(en: impl Into<String>, vi: impl Into<String>) -> String {
    match message_lang() {
        MessageLang::En => en.into(),
        MessageLang::Vi => vi.into(),
    }
}

/// Normalises text to NFC, as every imported text is stored.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Folds text for searching: lowercase, Vietnamese diacritics removed, đ → d, so that
/// "thu tuc" finds "Thủ tục".
pub fn fold_for_search(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A value as quoted in a message: at most `max_chars` characters, the rest summarised, so
/// that a 100 MB cell never becomes a 100 MB message.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => {
            let size = text.len();
            format!(
                "{}… ({})",
                &text[..cut],
                tr(format!("{size} bytes"), format!("{size} byte"))
            )
        }
    }
}

/// A long text as a screen shows it: its first `max_chars` characters, then how long the
/// whole text is. `total_bytes` is the size of the whole text (the caller may hold only a
/// prefix of it).
pub fn cut_for_display(text: String, total_bytes: i64, max_chars: usize) -> String {
    let cut_at = text.char_indices().nth(max_chars).map(|(at, _)| at);
    if cut_at.is_none() && total_bytes <= text.len() as i64 {
        return text;
    }
    let mut shown = text;
    shown.truncate(cut_at.unwrap_or(shown.len()));
    shown.push_str(&tr(
        format!("… [cut here: {total_bytes} bytes in all]"),
        format!("… [đã cắt bớt: toàn văn {total_bytes} byte]"),
    ));
    shown
}

/// The length messages quote values at.
pub const EXCERPT_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_english_unless_the_command_line_says_otherwise() {
        // No library test switches the language, so the process default is what a library
        // user gets.
        assert_eq!(message_lang(), MessageLang::En);
        assert_eq!(tr("empty", "trống"), "empty");
    }

    #[test]
    fn excerpts_stay_short() {
        assert_eq!(excerpt("ngắn", 10), "ngắn");
        assert_eq!(excerpt(&"9".repeat(1000), 3), "999… (1000 bytes)");
        assert_eq!(excerpt("Thủ tục", 3), "Thủ… (11 bytes)");
    }

    #[test]
    fn long_texts_are_cut_for_the_screen() {
        assert_eq!(cut_for_display("ngắn".into(), 6, 10), "ngắn");
        let cut = cut_for_display("Giải trình".into(), 12, 5);
        assert!(cut.starts_with("Giải …"), "{cut}");
        assert!(cut.contains("12 bytes"), "{cut}");
        // A prefix read from a longer stored text says how long the whole is.
        let prefix = cut_for_display("abc".into(), 200_000_000, 10);
        assert!(
            prefix.starts_with("abc…") && prefix.contains("200000000"),
            "{prefix}"
        );
    }

    #[test]
    fn folding_ignores_diacritics_and_case() {
        assert_eq!(fold_for_search("Thủ tục hành chính"), "thu tuc hanh chinh");
        assert_eq!(fold_for_search("ĐIỀU TRA"), "dieu tra");
        assert!(fold_for_search("Cải cách thể chế").contains("cai cach"));
        // NFC and NFD input fold alike.
        assert_eq!(fold_for_search("Thu\u{309}"), fold_for_search("Thủ"));
        assert_eq!(nfc("Thu\u{309}"), "Thủ");
    }
}
