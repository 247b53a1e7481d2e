//! Text helpers that belong to the domain: Vietnamese-aware search folding.

use unicode_normalization::UnicodeNormalization;

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

#[cfg(test)]
mod tests {
    use super::*;

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
