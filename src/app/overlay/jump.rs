//! Go to a code (`:`): a unit code, a criterion code, or both (`SNV 2.1.3`).

use super::{Overlay, edit_line};
use crate::app::AppState;
use crate::app::keymap::{EditorCommand, EditorInput, Hint, Key, Keymap};
use crate::app::screens::Screen;
use crate::messages::screen::KeyTexts;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpState {
    pub input: String,
    pub not_found: bool,
}

impl JumpState {
    /// Submit goes there (or says the code is unknown), typing edits, cancel closes.
    pub(crate) fn on_key(mut self, state: &mut AppState, key: Key) -> Option<Overlay> {
        match state.keymap.editor_input(key) {
            EditorInput::Command(EditorCommand::Cancel) => return None,
            EditorInput::Command(EditorCommand::Submit) => {
                if jump_to(state, &self.input) {
                    return None;
                }
                self.not_found = true;
            }
            input => {
                if edit_line(&mut self.input, input) {
                    self.not_found = false;
                }
            }
        }
        Some(Overlay::Jump(self))
    }

    pub(crate) fn paste(&mut self, text: &str) {
        self.input.push_str(&super::one_line(text));
        self.not_found = false;
    }
}

/// ":S01", ":2.1.3" or ":S01 2.1.3". Returns false when nothing matches.
fn jump_to(state: &mut AppState, input: &str) -> bool {
    let parts: Vec<&str> = input.split_whitespace().collect();
    let find_unit = |code: &str| {
        state
            .session
            .units
            .iter()
            .position(|u| u.code.eq_ignore_ascii_case(code))
    };
    match parts.as_slice() {
        [one] => {
            if let Some(u) = find_unit(one) {
                state.open_scorecard(u);
                true
            } else if let Some(node) = state.session.framework.find(one) {
                let unit = match state.screen() {
                    Screen::Overview => state.overview_unit(),
                    _ => state.current_unit(),
                };
                match unit {
                    Some(u) => state.show_node(u, node),
                    None => state.open_compare(node),
                }
                true
            } else {
                false
            }
        }
        [unit, code] => match (find_unit(unit), state.session.framework.find(code)) {
            (Some(u), Some(node)) => {
                state.show_node(u, node);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The go-to's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let editor = &keymap.editor;
    [
        editor.hint(EditorCommand::Submit, words.go),
        editor.hint(EditorCommand::Cancel, words.close),
    ]
    .into_iter()
    .flatten()
    .collect()
}
