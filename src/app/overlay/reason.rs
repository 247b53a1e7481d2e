//! The reason editor: multi-line, required when the score differs from the self-score. Enter
//! saves (the decision goes to the store), Esc cancels.

use super::{ItemRef, Overlay, edit_text, is_newline_key};
use crate::app::keymap::{Key, KeyCode};
use crate::app::{AppState, Effect, RecordIntent};
use crate::domain::DecisionAction;
use rust_decimal::Decimal;

/// The reason editor, multi-line; the reason is required when the score differs from the
/// self-score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonEditor {
    pub item: ItemRef,
    pub score: Decimal,
    pub text: String,
    pub required: bool,
    /// Set when saving was refused (empty reason where one is required).
    pub show_required: bool,
}

impl ReasonEditor {
    /// A reason editor for a score, opened with `text`.
    pub(crate) fn new(state: &AppState, item: ItemRef, score: Decimal, text: String) -> Self {
        let own = state.session.item(item.unit, item.leaf);
        ReasonEditor {
            item,
            score,
            text,
            required: score != own.self_points(),
            show_required: false,
        }
    }

    /// After the score editor: prefilled with the reason in force if it was for this score.
    pub(crate) fn after_score(state: &AppState, item: ItemRef, score: Decimal) -> Self {
        let previous = state
            .detail_of(item.unit, item.leaf)
            .and_then(|d| crate::domain::session::decision_in_force(&d.log))
            .filter(|(s, ..)| **s == score)
            .map(|(_, reason, _)| reason.to_string())
            .unwrap_or_default();
        ReasonEditor::new(state, item, score, previous)
    }

    pub fn is_acceptable(&self) -> bool {
        !self.required || !self.text.trim().is_empty()
    }

    /// Typing edits the reason; Enter saves once it is acceptable; Esc cancels.
    pub(crate) fn on_key(
        mut self,
        state: &mut AppState,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if key.code == KeyCode::Esc {
            return None;
        }
        if key.code == KeyCode::Enter && !is_newline_key(key) {
            if self.is_acceptable() {
                let action = DecisionAction::Decide {
                    score: self.score,
                    reason: self.text.trim().to_string(),
                };
                let item = self.item;
                let effect = state.record(
                    item.unit,
                    item.leaf,
                    action,
                    RecordIntent::Decide,
                    item.expected_seq,
                );
                effects.push(effect);
                return None;
            }
            self.show_required = true;
        } else if is_newline_key(key) {
            self.text.push('\n');
        } else if edit_text(&mut self.text, key) {
            self.show_required = false;
        }
        Some(Overlay::Reason(self))
    }
}
