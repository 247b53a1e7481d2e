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

use super::keymap::{EditorCommand, EditorInput, Hint, Key};
use super::{AppState, Effect};
use crate::messages::screen::key_texts;

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
        Overlay::Help(help) => help.on_key(&state.keymap, key),
        Overlay::Score(editor) => editor.on_key(state, key),
        Overlay::Reason(editor) => editor.on_key(state, key, effects),
        Overlay::Search(search) => search.on_key(state, key),
        Overlay::Jump(jump) => jump.on_key(state, key),
        Overlay::Confirm(confirm) => confirm.on_key(&state.keymap, key, effects),
        Overlay::Finalise(confirm) => confirm.on_key(state, key, effects),
    };
}

/// Pasted text for the open overlay's input (nothing else takes a paste).
pub(crate) fn on_paste(state: &mut AppState, text: &str) {
    let Some(mut overlay) = state.overlay.take() else {
        return;
    };
    match &mut overlay {
        Overlay::Help(help) => help.paste(text),
        Overlay::Score(editor) => editor.input.push_str(&one_line(text)),
        Overlay::Reason(editor) => editor.paste(text),
        Overlay::Search(search) => search.paste(state, text),
        Overlay::Jump(jump) => jump.paste(text),
        Overlay::Finalise(confirm) => confirm.paste(text),
        Overlay::Confirm(_) => {}
    }
    state.overlay = Some(overlay);
}

/// The open overlay's hint bar (its keys from its context of the keymap), and a tip to show
/// with it.
pub fn hints(state: &AppState) -> Option<(Vec<Hint>, Option<&'static str>)> {
    let (keymap, words) = (&state.keymap, key_texts(state.lang));
    if state.meeting.list.is_some() {
        return Some((agenda_list::hints(keymap, words), None));
    }
    Some(match state.overlay.as_ref()? {
        Overlay::Help(_) => (help::hints(keymap, words), Some(words.help_tip)),
        Overlay::Score(_) => (score::hints(keymap, words), Some(words.score_tip)),
        Overlay::Reason(_) => (reason::hints(keymap, words), None),
        Overlay::Search(_) => (search::hints(keymap, words), Some(words.search_tip)),
        Overlay::Jump(_) => (jump::hints(keymap, words), Some(words.jump_tip)),
        Overlay::Confirm(question) => (confirm::hints(question, keymap, words), None),
        Overlay::Finalise(confirm) => {
            let tip = confirm.needs_reason().then_some(words.finalise_tip);
            (finalise::hints(confirm, keymap, words), tip)
        }
    })
}

/// Text for a single-line input: line ends become spaces, control characters are dropped.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect()
}

/// Applies an input of the editor context to a single-line text (typing at its end); returns
/// whether it edited the text.
pub(crate) fn edit_line(text: &mut String, input: EditorInput) -> bool {
    match input {
        EditorInput::Char(c) => text.push(c),
        EditorInput::Command(EditorCommand::DeleteBack) => {
            text.pop();
        }
        EditorInput::Command(EditorCommand::Clear) => text.clear(),
        EditorInput::Command(EditorCommand::DeleteWord) => {
            let trimmed = text.trim_end().len();
            text.truncate(trimmed);
            let cut = text.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            text.truncate(cut);
        }
        _ => return false,
    }
    true
}
