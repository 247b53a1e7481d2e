//! Finalising the session from the screen: the confirmation's state, and how the session was
//! finalised (kept in app terms so that the app does not depend on the store).

use super::keymap::{Command, Key, KeyCode};
use super::overlay::Overlay;
use super::{AppState, Effect, MessageKind};
use crate::domain::{ItemState, Session};

/// How the session was finalised (from the store's record of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalInfo {
    pub at: String,
    pub by: String,
    /// Why it was finalised with items still disputed ("" when none were).
    pub reason: String,
    pub head_hash: String,
    pub entries: i64,
}

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
}

/// Decisions made on a self-score that has since changed, session-wide.
pub fn stale_count(session: &Session) -> usize {
    session.items.iter().filter(|i| i.decision_stale).count()
}

/// Whether `n`/`N` stop at an item: disputed or invalid, or decided on a self-score that has since
/// changed (effectively disputed again).
pub fn needs_review(item: &ItemState) -> bool {
    item.status().is_open() || item.decision_stale
}

/// Commands that would change the session: refused once it is finalised.
pub fn is_edit(command: Command) -> bool {
    matches!(
        command,
        Command::EditScore
            | Command::AcceptSelf
            | Command::AcceptProposal
            | Command::ToggleFlag
            | Command::Undo
            | Command::Redo
            | Command::Finalise
    )
}

/// Keys in the confirmation. Without open disputes: y/Enter finalise, n/Esc cancel. With
/// them, letters type the reason, Enter finalises (once there is a reason), Esc cancels.
pub(super) fn on_key(
    state: &mut AppState,
    mut confirm: FinaliseConfirm,
    key: Key,
    effects: &mut Vec<Effect>,
) {
    let plain_char = |c: char| key.code == KeyCode::Char(c) && !key.ctrl && !key.alt;
    if key.code == KeyCode::Esc {
        return;
    }
    let confirmed = if confirm.needs_reason() {
        key.code == KeyCode::Enter
    } else {
        key.code == KeyCode::Enter || plain_char('y') || plain_char('Y')
    };
    if confirmed {
        if confirm.is_acceptable() {
            effects.push(Effect::Finalise {
                by: state.reviewer.clone(),
                at: (state.clock)(),
                reason: confirm.reason_to_send(),
            });
            let text = state.labels().saving;
            state.say(MessageKind::Info, text);
            return;
        }
        confirm.show_required = true;
    } else if !confirm.needs_reason() {
        if plain_char('n') || plain_char('N') {
            return;
        }
    } else if super::edit_text(&mut confirm.reason, key) {
        confirm.show_required = false;
    }
    state.overlay = Some(Overlay::Finalise(confirm));
}

/// The store's answer to a finalise.
pub(super) fn on_finalised(state: &mut AppState, result: Result<FinalInfo, String>) {
    let labels = state.labels();
    match result {
        Ok(info) => {
            let text = format!(
                "{} {} · {} · {}",
                labels.finalised_done,
                crate::domain::time::local_date_time(&info.at),
                info.by,
                info.head_hash.get(..16).unwrap_or(&info.head_hash)
            );
            state.finalised = Some(info);
            state.say(MessageKind::Success, text);
        }
        Err(message) => {
            let text = format!("{}: {message}", labels.finalise_failed);
            state.say(MessageKind::Error, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::sample_session;

    #[test]
    fn the_confirmation_counts_decisions_and_open_disputes() {
        let mut session = sample_session();
        let confirm = FinaliseConfirm::of(&session);
        assert_eq!(confirm.decided, 2);
        // SNV 1.1.2, SNV 2.1, XBH 2.2 (proposals differ), PCL 1.2 (flagged).
        assert_eq!(confirm.open, vec![(0, 1), (0, 3), (3, 4), (4, 2)]);
        assert!(confirm.needs_reason());
        assert!(!confirm.is_acceptable());
        let mut with_reason = confirm.clone();
        with_reason.reason = "  hết giờ họp ".into();
        assert!(with_reason.is_acceptable());
        assert_eq!(with_reason.reason_to_send().as_deref(), Some("hết giờ họp"));

        for item in session.items.iter_mut() {
            item.proposal = None;
            item.flagged = false;
        }
        session.items[0].decision_stale = true;
        let calm = FinaliseConfirm::of(&session);
        assert!(calm.open.is_empty());
        assert!(calm.is_acceptable());
        assert_eq!(calm.reason_to_send(), None);
        assert_eq!(calm.stale, 1);
        assert_eq!(stale_count(&session), 1);
    }
}
