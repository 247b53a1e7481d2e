//! Deciding: the commands that write to the decision log (accept, propose, edit, flag, undo,
//! redo), the requests they send to the runner, and what the store's answer does.

use super::keymap::Command;
use super::overlay::{ItemRef, Overlay, ReasonEditor, ScoreEditor};
use super::screens::Screen;
use super::{AppState, Effect, MessageKind, RecordFailure, RecordIntent, RecordRequest};
use crate::domain::{DecisionAction, ItemState};

impl AppState {
    /// A request to append `action` to the log; "saving…" until the store answers.
    pub(crate) fn record(
        &mut self,
        unit: usize,
        leaf: usize,
        action: DecisionAction,
        intent: RecordIntent,
        expected_seq: i64,
    ) -> Effect {
        let criterion_code = self.session.framework.leaf(leaf).code().to_string();
        self.say(MessageKind::Info, self.labels().saving);
        Effect::Record(RecordRequest {
            unit,
            leaf,
            unit_code: self.session.units[unit].code.clone(),
            criterion_code,
            action,
            by: self.reviewer.clone(),
            at: (self.clock)(),
            expected_seq: Some(expected_seq),
            intent,
        })
    }
}

/// The current item if it is a leaf that can be decided; otherwise says why not.
fn decidable_item(state: &mut AppState) -> Option<(usize, usize)> {
    match state.current_item() {
        Some(item) => Some(item),
        None => {
            if state.screen() != Screen::Overview {
                let text = state.labels().not_a_leaf;
                state.say(MessageKind::Error, text);
            }
            None
        }
    }
}

/// `a`: the self-score, without a reason.
fn accept_self(state: &mut AppState, unit: usize, leaf: usize) -> Option<Effect> {
    let item = state.session.item(unit, leaf);
    let (score, seq) = (item.self_points(), item.log_seq);
    let action = DecisionAction::Decide {
        score,
        reason: String::new(),
    };
    Some(state.record(unit, leaf, action, RecordIntent::Decide, seq))
}

/// `p`: the working group's proposal, its note as the editable reason.
fn accept_proposal(state: &mut AppState, unit: usize, leaf: usize) {
    let item = state.session.item(unit, leaf);
    let Some(score) = item.proposal else {
        let text = state.labels().no_proposal;
        state.say(MessageKind::Error, text);
        return;
    };
    let item_ref = ItemRef {
        unit,
        leaf,
        expected_seq: item.log_seq,
    };
    let text = state
        .detail_of(unit, leaf)
        .map(|d| d.proposal_note.clone())
        .unwrap_or_default();
    let editor = ReasonEditor::new(state, item_ref, score, text);
    state.overlay = Some(Overlay::Reason(editor));
}

/// `d`: flags or unflags the item as disputed.
fn toggle_flag(state: &mut AppState, unit: usize, leaf: usize) -> Option<Effect> {
    let item = state.session.item(unit, leaf);
    let (on, seq) = (!item.flagged, item.log_seq);
    let action = DecisionAction::Flag { on };
    Some(state.record(unit, leaf, action, RecordIntent::Flag(on), seq))
}

/// `u` / `U`: the last decision of this screen session undone or redone, as a new log entry.
fn undo_or_redo(state: &mut AppState, redo: bool) -> Option<Effect> {
    let popped = if redo {
        state.redo_stack.pop()
    } else {
        state.undo_stack.pop()
    };
    let Some((unit, leaf)) = popped else {
        let labels = state.labels();
        let text = if redo {
            labels.nothing_to_redo
        } else {
            labels.nothing_to_undo
        };
        state.say(MessageKind::Info, text);
        return None;
    };
    state.show_item(unit, leaf);
    let seq = state.session.item(unit, leaf).log_seq;
    let (action, intent) = if redo {
        (DecisionAction::Redo, RecordIntent::Redo)
    } else {
        (DecisionAction::Undo, RecordIntent::Undo)
    };
    Some(state.record(unit, leaf, action, intent, seq))
}

/// The deciding commands; false for any other.
pub(crate) fn on_command(
    state: &mut AppState,
    command: Command,
    effects: &mut Vec<Effect>,
) -> bool {
    let effect = match command {
        Command::Undo => undo_or_redo(state, false),
        Command::Redo => undo_or_redo(state, true),
        Command::EditScore
        | Command::AcceptSelf
        | Command::AcceptProposal
        | Command::ToggleFlag => {
            let Some((unit, leaf)) = decidable_item(state) else {
                return true;
            };
            match command {
                Command::EditScore => {
                    let editor = ScoreEditor::open(state, unit, leaf);
                    state.overlay = Some(Overlay::Score(editor));
                    None
                }
                Command::AcceptSelf => accept_self(state, unit, leaf),
                Command::AcceptProposal => {
                    accept_proposal(state, unit, leaf);
                    None
                }
                _ => toggle_flag(state, unit, leaf),
            }
        }
        _ => return false,
    };
    effects.extend(effect);
    true
}

/// The store's answer to a write: the fresh item in place, undo and redo kept right, and the
/// message ("saved" only now that the store has it).
pub(crate) fn on_recorded(
    state: &mut AppState,
    unit: usize,
    leaf: usize,
    intent: RecordIntent,
    result: Result<ItemState, RecordFailure>,
) {
    let labels = state.labels();
    let sent = state
        .sent_reason
        .take()
        .filter(|s| (s.unit, s.leaf) == (unit, leaf) && intent == RecordIntent::Decide);
    match result {
        Ok(fresh) => {
            state.replace_item(unit, leaf, fresh);
            let text = match intent {
                RecordIntent::Decide => {
                    state.undo_stack.push((unit, leaf));
                    state.redo_stack.clear();
                    labels.saved
                }
                RecordIntent::Undo => {
                    state.redo_stack.push((unit, leaf));
                    labels.undone
                }
                RecordIntent::Redo => {
                    state.undo_stack.push((unit, leaf));
                    labels.redone
                }
                RecordIntent::Flag(true) => labels.flagged,
                RecordIntent::Flag(false) => labels.unflagged,
            };
            state.say(MessageKind::Success, text);
        }
        Err(failure) => {
            // An undo or redo that did not happen stays available.
            match intent {
                RecordIntent::Undo => state.undo_stack.push((unit, leaf)),
                RecordIntent::Redo => state.redo_stack.push((unit, leaf)),
                _ => {}
            }
            if let Some(fresh) = failure.fresh {
                state.replace_item(unit, leaf, fresh);
            }
            let own_undo = matches!(intent, RecordIntent::Undo | RecordIntent::Redo);
            let text = if failure.stale && own_undo {
                // Who acted since, and when, is the whole message: it must fit the line.
                failure.message.clone()
            } else if failure.stale {
                format!("{} ({})", labels.stale, failure.message)
            } else {
                format!("{}: {}", labels.save_failed, failure.message)
            };
            state.say(MessageKind::Error, text);
            // What was typed is not lost: the editor opens again with it, beside their
            // decision (the detail, loaded again, has it).
            if failure.stale
                && let Some(sent) = sent
            {
                state.overlay = Some(Overlay::Reason(ReasonEditor::reopened(state, sent)));
            }
        }
    }
}
