//! A key as the application sees it (the terminal layer converts its own events into this),
//! written and read as text ("n", "ctrl+r", "shift+enter") in the keys file.

use crate::lang::Lang;
use crate::messages::{Localised, english_display, keys};
use std::fmt;

/// Why a text is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    Empty,
    Unknown(String),
}

impl Localised for KeyParseError {
    fn text(&self, lang: Lang) -> String {
        match self {
            KeyParseError::Empty => keys::empty_key(lang).to_string(),
            KeyParseError::Unknown(text) => keys::unknown_key(lang, text),
        }
    }
}

english_display!(KeyParseError);

/// A key as the application sees it (the terminal layer converts its own events into this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    /// Only for non-character keys (Shift+Enter, Shift+Tab); a shifted letter is its capital.
    pub shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// Parses "n", "N", "ctrl+r", "shift+enter", "pgdn", "?", "space", "f1".
    pub fn parse(text: &str) -> Result<Key, KeyParseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyParseError::Empty);
        }
        let mut key = Key::plain(KeyCode::Esc);
        let mut rest = text;
        // A lone "+" or "-" is a key, not a separator.
        loop {
            let lower = rest.to_lowercase();
            let taken = ["ctrl+", "control+", "alt+", "shift+"]
                .iter()
                .find(|prefix| lower.starts_with(**prefix) && rest.len() > prefix.len());
            match taken {
                Some(prefix) => {
                    match *prefix {
                        "ctrl+" | "control+" => key.ctrl = true,
                        "alt+" => key.alt = true,
                        _ => key.shift = true,
                    }
                    rest = &rest[prefix.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => {
                        return Err(KeyParseError::Unknown(text.to_string()));
                    }
                },
            },
        };
        key.code = code;
        Ok(key.normalised())
    }

    /// Whether this is `other` with the letter in the other case ("Y" for "y").
    pub fn is_other_case_of(self, other: Key) -> bool {
        match (self.code, other.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a != b
                    && a.to_lowercase().eq(b.to_lowercase())
                    && self.ctrl == other.ctrl
                    && self.alt == other.alt
            }
            _ => false,
        }
    }

    /// Shift is carried by the character itself (N, ?), so it is dropped for characters.
    pub fn normalised(mut self) -> Key {
        if let KeyCode::Char(c) = self.code {
            self.shift = false;
            if self.ctrl {
                self.code = KeyCode::Char(c.to_ascii_lowercase());
            }
        }
        self
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "Ctrl+")?;
        }
        if self.alt {
            write!(f, "Alt+")?;
        }
        if self.shift {
            write!(f, "Shift+")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "Space"),
            KeyCode::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "Enter"),
            KeyCode::Esc => write!(f, "Esc"),
            KeyCode::Tab => write!(f, "Tab"),
            KeyCode::BackTab => write!(f, "Shift+Tab"),
            KeyCode::Backspace => write!(f, "Backspace"),
            KeyCode::Delete => write!(f, "Del"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::Home => write!(f, "Home"),
            KeyCode::End => write!(f, "End"),
            KeyCode::PageUp => write!(f, "PgUp"),
            KeyCode::PageDown => write!(f, "PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}
