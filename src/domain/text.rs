//! Text helpers that belong to the domain: Vietnamese-aware search folding, and text made safe
//! for a terminal.

use unicode_normalization::UnicodeNormalization;

use std::borrow::Cow;

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

/// A value as quoted in a message: at most [`EXCERPT_CHARS`] characters of it, and the size
/// of the whole when it is longer, so that a 100 MB cell never becomes a 100 MB message. The
/// catalogue writes it: `999… (1000 bytes)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub shown: String,
    /// The whole value's size in bytes, when `shown` is only its start.
    pub cut_from: Option<usize>,
}

/// The excerpt of `text` that a message quotes: its first `max_chars` characters.
pub fn excerpt(text: &str, max_chars: usize) -> Excerpt {
    match text.char_indices().nth(max_chars) {
        None => Excerpt {
            shown: text.to_string(),
            cut_from: None,
        },
        Some((cut, _)) => Excerpt {
            shown: text[..cut].to_string(),
            cut_from: Some(text.len()),
        },
    }
}

/// What a screen writes after a text it shows cut, given the whole text's size in bytes
/// (the catalogue's `screen::cut_note`, in the screen's language).
pub type CutNote<'a> = &'a dyn Fn(i64) -> String;

/// A long text as a screen shows it: its first `max_chars` characters, then `note` saying how
/// long the whole text is. `total_bytes` is the size of the whole text (the caller may hold
/// only a prefix of it).
pub fn cut_for_display(text: String, total_bytes: i64, max_chars: usize, note: CutNote) -> String {
    let cut_at = text.char_indices().nth(max_chars).map(|(at, _)| at);
    if cut_at.is_none() && total_bytes <= text.len() as i64 {
        return text;
    }
    let mut shown = text;
    shown.truncate(cut_at.unwrap_or(shown.len()));
    shown.push_str(&note(total_bytes));
    shown
}

/// Text on one line: runs of whitespace (newlines and tabs included) become one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The length messages quote values at.
pub const EXCERPT_CHARS: usize = 60;

/// Which line breaks a text format needs kept as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Every control character is escaped, newline and tab too: one line of output.
    Escape,
    /// Newlines stay (the text is several lines); everything else is escaped.
    KeepNewlines,
}

/// Whether a character would act on a terminal (or reorder what it shows) instead of being
/// shown: C0 and C1 controls, DEL, and the bidirectional marks, embeddings, overrides and
/// isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
pub fn is_terminal_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from other people made safe to write to a terminal: every control character and
/// bidirectional override is shown as a visible escape (`\x1b`, `\u{9b}`, `\u{202e}`), so that
/// an imported note can never set a window title, write the clipboard or reverse a line.
/// A backslash that would read as the start of such an escape is doubled, so the mapping is
/// reversible and distinct texts stay distinct. Text without anything to escape is borrowed.
pub fn terminal_safe(text: &str, breaks: Breaks) -> Cow<'_, str> {
    let escaped =
        |c: char| is_terminal_control(c) && !(breaks == Breaks::KeepNewlines && c == '\n');
    let mut out: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, next)| next);
        let replacement = if escaped(c) {
            Some(visible_escape(c))
        } else if c == '\\' && next.is_some_and(|n| matches!(n, 'x' | 'u' | '\\') || escaped(n)) {
            Some("\\\\".to_string())
        } else {
            None
        };
        match (replacement, out.as_mut()) {
            (Some(replacement), Some(out)) => out.push_str(&replacement),
            (Some(replacement), None) => {
                let mut started = String::with_capacity(text.len() + 16);
                started.push_str(&text[..at]);
                started.push_str(&replacement);
                out = Some(started);
            }
            (None, Some(out)) => out.push(c),
            (None, None) => {}
        }
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// `\x1b` for an ASCII control, `\u{9b}` for any other character.
fn visible_escape(c: char) -> String {
    let code = u32::from(c);
    if code < 0x80 {
        format!("\\x{code:02x}")
    } else {
        format!("\\u{{{code:x}}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The inverse of [`terminal_safe`], to show that it loses nothing.
    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\\') {
            out.push_str(&rest[..at]);
            let tail = &rest[at + 1..];
            let (decoded, used) = if let Some(after) = tail.strip_prefix('\\') {
                ('\\', tail.len() - after.len())
            } else if let Some(hex) = tail.strip_prefix('x').and_then(|t| t.get(..2)) {
                (char::from(u8::from_str_radix(hex, 16).unwrap()), 3)
            } else if let Some(body) = tail.strip_prefix("u{") {
                let close = body.find('}').unwrap();
                let code = u32::from_str_radix(&body[..close], 16).unwrap();
                (char::from_u32(code).unwrap(), close + 3)
            } else {
                ('\\', 0)
            };
            out.push(decoded);
            rest = &tail[used..];
        }
        out.push_str(rest);
        out
    }

    /// Characters a hostile or careless file may hold, weighted towards the interesting ones.
    fn awkward_text() -> impl Strategy<Value = String> {
        let interesting = prop_oneof![
            Just('\x1b'),
            Just('\x07'),
            Just('\n'),
            Just('\t'),
            Just('\r'),
            Just('\x7f'),
            Just('\u{9b}'),
            Just('\u{85}'),
            Just('\u{202e}'),
            Just('\u{2066}'),
            Just('\\'),
            Just('x'),
            Just('u'),
            Just('{'),
            Just('1'),
            Just('ủ'),
        ];
        prop::collection::vec(prop_oneof![interesting, any::<char>()], 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn terminal_safe_text_has_no_controls_and_loses_nothing(text in awkward_text()) {
            for breaks in [Breaks::Escape, Breaks::KeepNewlines] {
                let safe = terminal_safe(&text, breaks);
                for c in safe.chars() {
                    let allowed = breaks == Breaks::KeepNewlines && c == '\n';
                    prop_assert!(allowed || !is_terminal_control(c), "{c:?} in {safe:?}");
                }
                prop_assert_eq!(unescape(&safe), text.clone());
            }
        }

        #[test]
        fn distinct_texts_stay_distinct(a in awkward_text(), b in awkward_text()) {
            prop_assume!(a != b);
            prop_assert_ne!(terminal_safe(&a, Breaks::Escape), terminal_safe(&b, Breaks::Escape));
        }
    }

    #[test]
    fn terminal_escapes_are_visible() {
        let title = "\x1b]0;pwned\x07";
        assert_eq!(terminal_safe(title, Breaks::Escape), "\\x1b]0;pwned\\x07");
        assert_eq!(
            terminal_safe("a\u{202e}b\u{9b}c", Breaks::Escape),
            "a\\u{202e}b\\u{9b}c"
        );
        assert_eq!(terminal_safe("a\nb\tc", Breaks::Escape), "a\\x0ab\\x09c");
        assert_eq!(terminal_safe("a\nb\tc", Breaks::KeepNewlines), "a\nb\\x09c");
        // Ordinary text, Windows paths included, is left alone (and borrowed).
        for plain in ["Thủ tục hành chính", "C:\\Hồ sơ\\KH.pdf", "- Thiếu"] {
            assert!(matches!(
                terminal_safe(plain, Breaks::Escape),
                Cow::Borrowed(_)
            ));
        }
        // A backslash that would read as an escape is doubled.
        assert_eq!(terminal_safe("\\x1b", Breaks::Escape), "\\\\x1b");
    }

    #[test]
    fn messages_are_english_unless_the_command_line_says_otherwise() {
        // There is no language of the process: a library user's Display is English, and
        // whoever shows a message picks its language.
        use crate::messages::Localised;
        let empty = super::super::criteria::CodeError::Empty;
        assert_eq!(empty.to_string(), "empty criterion code");
        assert_eq!(empty.text(crate::lang::Lang::Vi), "mã tiêu chí để trống");
    }

    #[test]
    fn excerpts_stay_short() {
        assert_eq!(excerpt("ngắn", 10).to_string(), "ngắn");
        assert_eq!(
            excerpt(&"9".repeat(1000), 3).to_string(),
            "999… (1000 bytes)"
        );
        assert_eq!(excerpt("Thủ tục", 3).to_string(), "Thủ… (11 bytes)");
    }

    #[test]
    fn long_texts_are_cut_for_the_screen() {
        let english = |total| crate::messages::screen::cut_note(crate::lang::Lang::En, total);
        let cut_for_display = |text, total, max| cut_for_display(text, total, max, &english);
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
