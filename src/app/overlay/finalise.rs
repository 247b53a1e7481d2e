//! The confirmation before finalising (`F`): what will happen, what is decided, what is still
//! open; with open disputes, a reason must be typed (as `council finalize --force --reason`).

use super::{Overlay, edit_text};
use crate::app::keymap::{Key, KeyCode};
use crate::app::{AppState, Effect, MessageKind};
use crate::domain::{Session, Status};

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
            if item.status() == Status::Disputed {
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

    /// Keys in the confirmation. Without open disputes: y/Enter finalise, n/Esc cancel. With
    /// them, letters type the reason, Enter finalises (once there is a reason), Esc cancels.
    pub(crate) fn on_key(
        mut self,
        state: &mut AppState,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let plain_char = |c: char| key.code == KeyCode::Char(c) && !key.ctrl && !key.alt;
        if key.code == KeyCode::Esc {
            return None;
        }
        let confirmed = if self.needs_reason() {
            key.code == KeyCode::Enter
        } else {
            key.code == KeyCode::Enter || plain_char('y') || plain_char('Y')
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
        } else if !self.needs_reason() {
            if plain_char('n') || plain_char('N') {
                return None;
            }
        } else if edit_text(&mut self.reason, key) {
            self.show_required = false;
        }
        Some(Overlay::Finalise(self))
    }
}
