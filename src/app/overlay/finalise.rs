//! The confirmation before finalising (`F`): what will happen, what is decided, what is still
//! open; with open disputes, a reason must be typed (as `council finalize --force --reason`).

use super::{Overlay, edit_line};
use crate::app::keymap::{ConfirmCommand, EditorCommand, EditorInput, Hint, Key, Keymap};
use crate::app::{AppState, Effect, MessageKind};
use crate::domain::Session;
use crate::messages::screen::KeyTexts;

/// The confirmation before finalising: what will happen, and a reason when items are still
/// disputed (as `council finalize --force --reason` asks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinaliseConfirm {
    /// Items with a council decision in force.
    pub decided: usize,
    /// Items still disputed and undecided, as (unit, leaf), in session order.
    pub open: Vec<(usize, usize)>,
    /// Decisions made on a self-score that has since changed.
    pub stale: usize,
    pub reason: String,
    /// Set when Enter was pressed without the required reason.
    pub show_required: bool,
}

impl FinaliseConfirm {
    /// Counts what finalising would seal.
    pub fn of(session: &Session) -> FinaliseConfirm {
        let leaves = session.leaf_count().max(1);
        let mut confirm = FinaliseConfirm::default();
        for (i, item) in session.items.iter().enumerate() {
            if item.council.is_some() {
                confirm.decided += 1;
            }
            if item.decision_stale {
                confirm.stale += 1;
            }
            if item.status().is_open() {
                confirm.open.push((i / leaves, i % leaves));
            }
        }
        confirm
    }

    pub fn needs_reason(&self) -> bool {
        !self.open.is_empty()
    }

    /// The reason to pass to the store: None when no item is open (none is needed).
    pub fn reason_to_send(&self) -> Option<String> {
        self.needs_reason()
            .then(|| self.reason.trim().to_string())
            .filter(|r| !r.is_empty())
    }

    pub fn is_acceptable(&self) -> bool {
        !self.needs_reason() || !self.reason.trim().is_empty()
    }

    /// Keys in the confirmation. Without open disputes it is a question (confirm context:
    /// yes / no) and submit / cancel of the editor context say the same. With them, the
    /// reason is typed, and only submit (once there is a reason) or cancel close it.
    pub(crate) fn on_key(
        mut self,
        state: &mut AppState,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let answer = if self.needs_reason() {
            None
        } else {
            state.keymap.confirm.command(key)
        };
        let input = state.keymap.editor_input(key);
        let confirmed = match (answer, input) {
            (Some(ConfirmCommand::No), _) | (None, EditorInput::Command(EditorCommand::Cancel)) => {
                return None;
            }
            (Some(ConfirmCommand::Yes), _) => true,
            (None, EditorInput::Command(EditorCommand::Submit)) => true,
            _ => false,
        };
        if confirmed {
            if self.is_acceptable() {
                effects.push(Effect::Finalise {
                    by: state.reviewer.clone(),
                    at: (state.clock)(),
                    reason: self.reason_to_send(),
                });
                let text = state.labels().saving;
                state.say(MessageKind::Info, text);
                return None;
            }
            self.show_required = true;
        } else if self.needs_reason() && edit_line(&mut self.reason, input) {
            self.show_required = false;
        }
        Some(Overlay::Finalise(self))
    }

    pub(crate) fn paste(&mut self, text: &str) {
        if self.needs_reason() {
            self.reason.push_str(&super::one_line(text));
            self.show_required = false;
        }
    }
}

/// The confirmation's hint bar: a question, or a reason to type.
pub fn hints(confirm: &FinaliseConfirm, keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let editor = &keymap.editor;
    if confirm.needs_reason() {
        return [
            editor.hint(EditorCommand::Submit, words.finalise),
            editor.hint(EditorCommand::Cancel, words.cancel),
        ]
        .into_iter()
        .flatten()
        .collect();
    }
    let both = |answer: ConfirmCommand, command: EditorCommand, word| {
        let keys: Vec<Key> = [keymap.confirm.first(answer), editor.first(command)]
            .into_iter()
            .flatten()
            .collect();
        Hint::of(&keys, word)
    };
    [
        both(ConfirmCommand::Yes, EditorCommand::Submit, words.finalise),
        both(ConfirmCommand::No, EditorCommand::Cancel, words.cancel),
    ]
    .into_iter()
    .flatten()
    .collect()
}
