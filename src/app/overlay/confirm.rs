//! A yes / no question before something that cannot be taken back (overwriting an export),
//! and the question of `x`: CSV or XLSX.

use super::Overlay;
use crate::app::Effect;
use crate::app::keymap::{ConfirmCommand, Hint, Key, Keymap};
use crate::messages::screen::KeyTexts;

/// What the confirmation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmState {
    OverwriteExport {
        dir: String,
        existing: Vec<String>,
    },
    /// As [`ConfirmState::OverwriteExport`], for the workbook.
    OverwriteWorkbook {
        dir: String,
        existing: Vec<String>,
    },
    /// Which export `x` writes.
    ExportFormat,
}

impl ConfirmState {
    /// Keys of the confirm context: yes or no; any other key leaves the question open.
    pub(crate) fn on_key(
        self,
        keymap: &Keymap,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let effect = match (keymap.confirm.command(key), &self) {
            (Some(ConfirmCommand::No), _) => return None,
            (Some(ConfirmCommand::Yes), ConfirmState::OverwriteExport { .. }) => {
                Effect::Export { overwrite: true }
            }
            (Some(ConfirmCommand::Yes), ConfirmState::OverwriteWorkbook { .. }) => {
                Effect::ExportWorkbook { overwrite: true }
            }
            (Some(ConfirmCommand::Csv), ConfirmState::ExportFormat) => {
                Effect::Export { overwrite: false }
            }
            (Some(ConfirmCommand::Xlsx), ConfirmState::ExportFormat) => {
                Effect::ExportWorkbook { overwrite: false }
            }
            _ => return Some(Overlay::Confirm(self)),
        };
        effects.push(effect);
        None
    }
}

/// The question's hint bar.
pub fn hints(state: &ConfirmState, keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    if *state == ConfirmState::ExportFormat {
        return [
            keymap.confirm.hint(ConfirmCommand::Csv, "CSV"),
            keymap.confirm.hint(ConfirmCommand::Xlsx, "XLSX"),
            keymap.confirm.hint(ConfirmCommand::No, words.cancel),
        ]
        .into_iter()
        .flatten()
        .collect();
    }
    [
        keymap.confirm.hint(ConfirmCommand::Yes, words.overwrite),
        keymap.confirm.hint(ConfirmCommand::No, words.cancel),
    ]
    .into_iter()
    .flatten()
    .collect()
}
