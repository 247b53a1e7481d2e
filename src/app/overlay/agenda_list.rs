//! The agenda list (`A`): the meeting's items in order, to reorder, remove, add the item on
//! screen, or go to. Kept in the meeting's state (it edits the agenda).

use crate::app::keymap::{AgendaListCommand, Hint, Key, Keymap};
use crate::app::screens::Screen;
use crate::app::screens::agenda::{MeetingEffect, go_to};
use crate::app::{AppState, Effect, MessageKind};
use crate::domain::agenda::AgendaItem;
use crate::messages::screen::KeyTexts;
use crate::messages::screen::meeting_labels;

/// The agenda list overlay (`A`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgendaListState {
    pub selected: usize,
}

impl AgendaListState {
    /// Keys of the agenda list context; None when the list closes.
    pub(crate) fn on_key(
        mut self,
        state: &mut AppState,
        key: Key,
        effects: &mut Vec<Effect>,
    ) -> Option<AgendaListState> {
        let Some(command) = state.keymap.agenda_list.command(key) else {
            return Some(self);
        };
        let len = state.meeting.agenda.len();
        let last = len.saturating_sub(1);
        let changed = match command {
            AgendaListCommand::Close => return None,
            AgendaListCommand::Open => {
                if self.selected < len {
                    go_to(state, self.selected);
                }
                return None;
            }
            AgendaListCommand::Down => {
                self.selected = (self.selected + 1).min(last);
                false
            }
            AgendaListCommand::Up => {
                self.selected = self.selected.saturating_sub(1);
                false
            }
            AgendaListCommand::Top => {
                self.selected = 0;
                false
            }
            AgendaListCommand::Bottom => {
                self.selected = last;
                false
            }
            AgendaListCommand::MoveDown => self.move_entry(state, true),
            AgendaListCommand::MoveUp => self.move_entry(state, false),
            AgendaListCommand::Remove => self.remove(state),
            AgendaListCommand::Add => self.add_current(state),
        };
        if changed {
            effects.push(Effect::Meeting(MeetingEffect::SaveAgenda {
                items: codes(state),
                by: state.reviewer.clone(),
                at: (state.clock)(),
            }));
        }
        Some(self)
    }

    /// J / K: the selected entry one place down or up; Now stays on its entry.
    fn move_entry(&mut self, state: &mut AppState, down: bool) -> bool {
        let agenda = &mut state.meeting.agenda;
        let moved = if down {
            agenda.move_down(self.selected)
        } else {
            agenda.move_up(self.selected)
        };
        let Some(p) = moved else {
            return false;
        };
        follow_moved_entry(state, self.selected, p);
        self.selected = p;
        true
    }

    /// x: removes the selected entry (Now is cleared if it was that one).
    fn remove(&mut self, state: &mut AppState) -> bool {
        if state.meeting.agenda.remove(self.selected).is_none() {
            return false;
        }
        state.meeting.position = match state.meeting.position {
            Some(p) if p == self.selected => None,
            Some(p) if p > self.selected => Some(p - 1),
            other => other,
        };
        self.selected = self
            .selected
            .min(state.meeting.agenda.len().saturating_sub(1));
        true
    }

    /// +: the item on screen (a leaf, a branch, or a whole unit), after the selected entry.
    fn add_current(&mut self, state: &mut AppState) -> bool {
        let labels = meeting_labels(state.lang);
        let item = match (state.screen(), state.current_item(), state.current_unit()) {
            (_, Some((unit, leaf)), _) => Some(AgendaItem::leaf(&state.session, unit, leaf)),
            (Screen::Scorecard, None, Some(unit)) => Some(AgendaItem {
                unit,
                node: state.scorecard_node(),
            }),
            (_, None, Some(unit)) => Some(AgendaItem { unit, node: None }),
            _ => None,
        };
        let Some(item) = item else {
            state.say(MessageKind::Info, labels.nothing_to_add);
            return false;
        };
        let after = if state.meeting.agenda.is_empty() {
            None
        } else {
            Some(self.selected)
        };
        match state.meeting.agenda.add(item, after) {
            Ok(p) => {
                if let Some(now) = state.meeting.position
                    && now >= p
                {
                    state.meeting.position = Some(now + 1);
                }
                self.selected = p;
                true
            }
            Err(p) => {
                self.selected = p;
                state.say(MessageKind::Info, labels.already_on_agenda);
                false
            }
        }
    }
}

/// Keeps Now on the same entry when two entries swap places.
fn follow_moved_entry(state: &mut AppState, from: usize, to: usize) {
    state.meeting.position = match state.meeting.position {
        Some(p) if p == from => Some(to),
        Some(p) if p == to => Some(from),
        other => other,
    };
}

/// The agenda as (unit code, criterion code) pairs, as the store saves it.
fn codes(state: &AppState) -> Vec<(String, Option<String>)> {
    state
        .meeting
        .agenda
        .items
        .iter()
        .map(|i| i.codes(&state.session))
        .collect()
}

/// The agenda list's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let list = &keymap.agenda_list;
    let pair = |a: AgendaListCommand, b: AgendaListCommand, word| {
        let keys: Vec<Key> = [list.first(a), list.first(b)]
            .into_iter()
            .flatten()
            .collect();
        Hint::of(&keys, word)
    };
    [
        pair(AgendaListCommand::Down, AgendaListCommand::Up, words.select),
        pair(
            AgendaListCommand::MoveDown,
            AgendaListCommand::MoveUp,
            words.move_entry,
        ),
        list.hint(AgendaListCommand::Remove, words.remove),
        list.hint(AgendaListCommand::Add, words.add_current),
        list.hint(AgendaListCommand::Open, words.go_to_entry),
        list.hint(AgendaListCommand::Close, words.close),
    ]
    .into_iter()
    .flatten()
    .collect()
}
