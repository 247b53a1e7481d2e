//! Overlays: small windows over the screen, each its own type with its own keys. While one is
//! open it takes every key; it closes itself (or hands over to the next, as the score editor
//! does to the reason editor).

pub mod agenda_list;
pub mod confirm;
pub mod finalise;
pub mod help;
pub mod jump;
pub mod reason;
pub mod score;
pub mod search;

use super::keymap::{Key, KeyCode};
use super::{AppState, Effect};

pub use confirm::ConfirmState;
pub use finalise::FinaliseConfirm;
pub use help::HelpState;
pub use jump::JumpState;
pub use reason::ReasonEditor;
pub use score::{ScoreEditor, ScoreProblem};
pub use search::{MAX_HITS, SearchHit, SearchState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help(HelpState),
    Score(ScoreEditor),
    Reason(ReasonEditor),
    Search(SearchState),
    Jump(JumpState),
    Confirm(ConfirmState),
    Finalise(FinaliseConfirm),
}

/// Which item an editor works on, and the log position it was opened against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRef {
    pub unit: usize,
    pub leaf: usize,
    pub expected_seq: i64,
}

/// A key for the open overlay: it answers with what stays open.
pub(crate) fn on_key(state: &mut AppState, overlay: Overlay, key: Key, effects: &mut Vec<Effect>) {
    state.overlay = match overlay {
        Overlay::Help(help) => help.on_key(key),
        Overlay::Score(editor) => editor.on_key(state, key),
        Overlay::Reason(editor) => editor.on_key(state, key, effects),
        Overlay::Search(search) => search.on_key(state, key),
        Overlay::Jump(jump) => jump.on_key(state, key),
        Overlay::Confirm(confirm) => confirm.on_key(key, effects),
        Overlay::Finalise(confirm) => confirm.on_key(state, key, effects),
    };
}

/// Shift+Enter, Alt+Enter and Ctrl+J start a new line in the reason editor.
pub(crate) fn is_newline_key(key: Key) -> bool {
    (key.code == KeyCode::Enter && (key.shift || key.alt))
        || (key.ctrl && key.code == KeyCode::Char('j'))
}

/// Applies a text-editing key to a single input; returns whether it was one.
pub(crate) fn edit_text(text: &mut String, key: Key) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            text.push(c);
            true
        }
        KeyCode::Backspace => {
            text.pop();
            true
        }
        KeyCode::Char('u') if key.ctrl => {
            text.clear();
            true
        }
        KeyCode::Char('w') if key.ctrl => {
            let trimmed = text.trim_end().len();
            text.truncate(trimmed);
            let cut = text.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            text.truncate(cut);
            true
        }
        _ => false,
    }
}
