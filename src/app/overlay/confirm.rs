//! A yes / no question before something that cannot be taken back (overwriting an export).

use super::Overlay;
use crate::app::Effect;
use crate::app::keymap::{Key, KeyCode};

/// What the confirmation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmState {
    OverwriteExport { dir: String, existing: Vec<String> },
}

impl ConfirmState {
    /// y / c (có) answer yes, n / k (không) / Esc answer no; other keys leave it open.
    pub(crate) fn on_key(self, key: Key, effects: &mut Vec<Effect>) -> Option<Overlay> {
        match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('c') | KeyCode::Char('C') => {
                match self {
                    ConfirmState::OverwriteExport { .. } => {
                        effects.push(Effect::Export { overwrite: true })
                    }
                }
                None
            }
            KeyCode::Char('n')
            | KeyCode::Char('N')
            | KeyCode::Char('k')
            | KeyCode::Char('K')
            | KeyCode::Esc => None,
            _ => Some(Overlay::Confirm(self)),
        }
    }
}
