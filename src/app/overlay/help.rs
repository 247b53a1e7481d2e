//! The key help (`?`): every binding in force, context by context, filtered by what the user
//! types.

use super::{Overlay, edit_line};
use crate::app::keymap::{Bindable, HelpCommand, Hint, Key, Keymap};
use crate::messages::screen::KeyTexts;

/// The key help, filtered by what the user types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub filter: String,
    pub scroll: usize,
}

/// How far PgDn / PgUp scroll the help.
const HELP_PAGE: usize = 10;

impl HelpState {
    /// Whether a binding matches the filter (description or key, accents ignored).
    pub fn matches<C: Bindable>(&self, command: C, keys: &str, description: &str) -> bool {
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

    /// Scrolls, or types into the filter; the close key closes.
    pub(crate) fn on_key(mut self, keymap: &Keymap, key: Key) -> Option<Overlay> {
        match keymap.help.command(key) {
            Some(HelpCommand::Close) => return None,
            Some(HelpCommand::Down) => self.scroll += 1,
            Some(HelpCommand::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(HelpCommand::PageDown) => self.scroll += HELP_PAGE,
            Some(HelpCommand::PageUp) => self.scroll = self.scroll.saturating_sub(HELP_PAGE),
            None => {
                if edit_line(&mut self.filter, keymap.editor_input(key)) {
                    self.scroll = 0;
                }
            }
        }
        Some(Overlay::Help(self))
    }

    pub(crate) fn paste(&mut self, text: &str) {
        self.filter.push_str(&super::one_line(text));
        self.scroll = 0;
    }
}

/// The help's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let help = &keymap.help;
    let scroll: Vec<Key> = [help.first(HelpCommand::Up), help.first(HelpCommand::Down)]
        .into_iter()
        .flatten()
        .collect();
    [
        Hint::of(&scroll, words.scroll),
        help.hint(HelpCommand::Close, words.close),
    ]
    .into_iter()
    .flatten()
    .collect()
}
