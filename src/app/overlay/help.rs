//! The key help (`?`): every binding in force, filtered by what the user types.

use super::{Overlay, edit_text};
use crate::app::keymap::{Command, Key, KeyCode};

/// The key help, filtered by what the user types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub filter: String,
    pub scroll: usize,
}

impl HelpState {
    /// Whether a binding matches the filter (description or key, accents ignored).
    pub fn matches(&self, command: Command, keys: &str, description: &str) -> bool {
        if self.filter.trim().is_empty() {
            return true;
        }
        let needle = crate::domain::text::fold_for_search(self.filter.trim());
        let hay = crate::domain::text::fold_for_search(&format!(
            "{keys} {description} {}",
            command.name()
        ));
        hay.contains(&needle) || keys.contains(self.filter.trim())
    }

    /// Scrolls, or types into the filter; Esc closes.
    pub(crate) fn on_key(mut self, key: Key) -> Option<Overlay> {
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Down => self.scroll += 1,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll += 10,
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            _ => {
                if edit_text(&mut self.filter, key) {
                    self.scroll = 0;
                }
            }
        }
        Some(Overlay::Help(self))
    }
}
