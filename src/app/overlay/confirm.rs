//! A yes / no question before something that cannot be taken back (overwriting an export).

use super::Overlay;
use crate::app::Effect;
use crate::app::keymap::{ConfirmCommand, Hint, Key, Keymap};
use crate::app::labels::KeyTexts;

/// What the confirmation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmState {
    OverwriteExport { dir: String, existing: Vec<String> },
}

impl ConfirmState {
    /// Keys of the confirm context: yes or no; any other key leaves the question open.
    pub(crate) fn on_key(
        self,
        keymap: &Keymap,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match keymap.confirm.command(key) {
            Some(ConfirmCommand::Yes) => {
                match self {
                    ConfirmState::OverwriteExport { .. } => {
                        effects.push(Effect::Export { overwrite: true })
                    }
                }
                None
            }
            Some(ConfirmCommand::No) => None,
            None => Some(Overlay::Confirm(self)),
        }
    }
}

/// The question's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    [
        keymap.confirm.hint(ConfirmCommand::Yes, words.overwrite),
        keymap.confirm.hint(ConfirmCommand::No, words.cancel),
    ]
    .into_iter()
    .flatten()
    .collect()
}
