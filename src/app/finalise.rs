//! Finalising the session: how it was finalised (kept in app terms so that the app does not
//! depend on the store), what it refuses afterwards, and which items still need the council.
//! The confirmation before it is an overlay (`overlay/finalise.rs`).

use super::keymap::Command;
use super::{AppState, MessageKind};
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

/// The store's answer to a finalise.
pub(crate) fn on_finalised(state: &mut AppState, result: Result<FinalInfo, String>) {
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
    use crate::app::overlay::finalise::FinaliseConfirm;
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
