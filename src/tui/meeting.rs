//! The runner's side of the meeting: starting as leader or follower, watching the database for
//! other processes' moves and decisions, saving the agenda and publishing the leader's moves.

use crate::app::Action;
use crate::app::screens::agenda::{MeetingEffect, MeetingEvent};
use crate::domain::Session;
use crate::domain::agenda::{AgendaEntry, resolve};
use crate::lang::Lang;
use crate::messages::Localised;
use crate::store::{AgendaRow, ContentStamp, Store};
use std::collections::HashMap;

/// The saved agenda as items of this session; entries that no longer resolve (after a
/// re-import removed a unit) are left out.
pub fn load_agenda(store: &Store, session: &Session) -> Vec<AgendaEntry> {
    store
        .agenda()
        .unwrap_or_default()
        .iter()
        .filter_map(|row| {
            let item = resolve(session, &row.unit_code, row.criterion_code.as_deref()).ok()?;
            Some(AgendaEntry {
                item,
                budget_seconds: row.budget_seconds,
            })
        })
        .collect()
}

/// The actions that bring a saved agenda into the state: its items, then their budgets.
fn agenda_actions(entries: Vec<AgendaEntry>) -> [Action; 2] {
    let budgets = entries
        .iter()
        .filter_map(|e| Some((e.item, e.budget_seconds?)))
        .collect();
    let items = entries.into_iter().map(|e| e.item).collect();
    [
        Action::Meeting(MeetingEvent::AgendaLoaded(items)),
        Action::Meeting(MeetingEvent::BudgetsLoaded(budgets)),
    ]
}

/// The actions that bring a fresh state into the meeting: its part (a leader that restarts
/// first follows, to pick the meeting up where it was, then takes the lead), the agenda, the
/// leader's place.
pub fn start_actions(store: &Store, session: &Session, lead: bool, follow: bool) -> Vec<Action> {
    let meeting = store.meeting().unwrap_or_default();
    let mut actions = vec![Action::Meeting(MeetingEvent::Join { lead, follow })];
    actions.extend(agenda_actions(load_agenda(store, session)));
    actions.push(Action::Meeting(MeetingEvent::LeaderMoved {
        position: meeting.position,
        started_unix: meeting.started_unix,
    }));
    if lead {
        actions.push(Action::Meeting(MeetingEvent::TakeLead));
    }
    actions
}

/// Watches `PRAGMA data_version` (it changes when another connection commits) and tells what
/// changed: the session itself (reload), the agenda, or only the leader's position.
pub struct Watcher {
    version: i64,
    stamp: ContentStamp,
    move_seq: i64,
    agenda_rev: i64,
}

/// Fresh states of the items logged after `seq`; None when any of them cannot be placed (the
/// caller then reloads the whole session).
fn changed_items(
    store: &Store,
    session: &Session,
    seq: i64,
) -> Option<Vec<(usize, usize, crate::domain::ItemState)>> {
    let mut items = Vec::new();
    for (unit_code, criterion_code) in store.items_logged_after(seq).ok()? {
        let unit = session.unit_index(&unit_code)?;
        let leaf = session.framework.leaf_index_of(&criterion_code)?;
        items.push((
            unit,
            leaf,
            store.item_state(&unit_code, &criterion_code).ok()?,
        ));
    }
    Some(items)
}

impl Watcher {
    /// Call before reading the session and the meeting: the version is read first, so any
    /// later change by another process shows as a new version.
    pub fn new(store: &Store) -> Watcher {
        let version = store.data_version().unwrap_or(0);
        let stamp = store.content_stamp().unwrap_or_default();
        let meeting = store.meeting().unwrap_or_default();
        Watcher {
            version,
            stamp,
            move_seq: meeting.move_seq,
            agenda_rev: meeting.agenda_rev,
        }
    }

    /// Where the watcher has read up to: the decision log's last entry and the leader's
    /// last move (for the trace).
    pub fn marks(&self) -> (i64, i64) {
        (self.stamp.decision_seq, self.move_seq)
    }

    /// The actions for whatever other processes changed since the last call; cheap when
    /// nothing did (one pragma).
    pub fn poll(&mut self, store: &Store, session: &Session) -> Vec<Action> {
        let mut actions = Vec::new();
        let Ok(version) = store.data_version() else {
            return actions;
        };
        if version == self.version {
            return actions;
        }
        self.version = version;
        let stamp = store.content_stamp().unwrap_or_default();
        let mut fresh_session = None;
        let only_decisions = stamp.last_import_at == self.stamp.last_import_at
            && stamp.finalised_at == self.stamp.finalised_at
            && stamp.session_seq == self.stamp.session_seq
            && stamp.decision_seq > self.stamp.decision_seq;
        if only_decisions {
            // Decisions by other reviewers: refresh just their items, not the whole session
            // (a full reload of 10,000 units would stall every screen in the room).
            if let Some(items) = changed_items(store, session, self.stamp.decision_seq) {
                self.stamp = stamp.clone();
                actions.push(Action::ItemsChanged(items));
            }
        }
        if stamp != self.stamp {
            self.stamp = stamp;
            if let Ok(Some(session)) = store.load_session() {
                fresh_session = Some(session);
            }
        }
        let Ok(meeting) = store.meeting() else {
            if let Some(session) = fresh_session {
                actions.push(Action::Reloaded(session));
            }
            return actions;
        };
        let reload_agenda = fresh_session.is_some() || meeting.agenda_rev != self.agenda_rev;
        self.agenda_rev = meeting.agenda_rev;
        let agenda =
            reload_agenda.then(|| load_agenda(store, fresh_session.as_ref().unwrap_or(session)));
        if let Some(session) = fresh_session {
            actions.push(Action::Reloaded(session));
        }
        if let Some(entries) = agenda {
            actions.extend(agenda_actions(entries));
        }
        if meeting.move_seq != self.move_seq || reload_agenda {
            self.move_seq = meeting.move_seq;
            actions.push(Action::Meeting(MeetingEvent::LeaderMoved {
                position: meeting.position,
                started_unix: meeting.started_unix,
            }));
        }
        actions
    }
}

/// Carries out a meeting effect; a failure comes back as an action.
pub fn execute(store: &mut Store, effect: MeetingEffect, lang: Lang) -> Option<Action> {
    let result = match effect {
        MeetingEffect::SaveAgenda { items, by, at } => {
            // Entries already saved keep who added them and when, and their budgets.
            let existing: HashMap<(String, Option<String>), AgendaRow> = store
                .agenda()
                .unwrap_or_default()
                .into_iter()
                .map(|r| ((r.unit_code.clone(), r.criterion_code.clone()), r))
                .collect();
            let rows: Vec<AgendaRow> = items
                .into_iter()
                .map(|(unit_code, criterion_code)| {
                    let key = (unit_code, criterion_code);
                    existing.get(&key).cloned().unwrap_or_else(|| AgendaRow {
                        unit_code: key.0,
                        criterion_code: key.1,
                        added_by: by.clone(),
                        added_at: at.clone(),
                        budget_seconds: None,
                    })
                })
                .collect();
            store.save_agenda(&rows).map(|_| ())
        }
        MeetingEffect::Publish {
            position,
            meeting_started,
            at,
        } => store
            .publish_position(&position, meeting_started, &at)
            .map(|_| ()),
    };
    result
        .err()
        .map(|e| Action::Meeting(MeetingEvent::Failed(e.text(lang))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DecisionAction;
    use crate::domain::agenda::LeaderPosition;
    use std::time::{Duration, Instant};

    /// data/sample imported, and the store a second process (the screen) would open on it.
    fn two_processes() -> (tempfile::TempDir, Store, Store) {
        let dir = tempfile::tempdir().unwrap();
        let (db, writer) = crate::tui::sample_session_store(dir.path());
        let screen = Store::open_existing(&db, crate::io::system::host()).unwrap();
        (dir, writer, screen)
    }

    /// Polls until the watcher reports something (another connection's commit shows in
    /// data_version at once; the deadline only keeps a broken watcher from hanging the test).
    fn poll_until_changed(watcher: &mut Watcher, store: &Store, session: &Session) -> Vec<Action> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let actions = watcher.poll(store, session);
            if !actions.is_empty() || Instant::now() > deadline {
                return actions;
            }
            std::thread::yield_now();
        }
    }

    #[test]
    fn another_process_decision_reaches_the_screen_as_that_item_alone() {
        let (_dir, mut writer, screen) = two_processes();
        let mut watcher = Watcher::new(&screen);
        let session = screen.load_session().unwrap().unwrap();
        let mut state = crate::app::AppState::new(
            session.clone(),
            crate::app::keymap::Keymap::default(),
            Lang::Vi,
            "ủy viên",
        );
        assert!(
            watcher.poll(&screen, &session).is_empty(),
            "nothing changed yet"
        );

        let (unit, leaf) = (3, 5);
        let score = session.item(unit, leaf).self_points();
        let code = session.framework.leaf(leaf).code().to_string();
        let decide = DecisionAction::Decide {
            score,
            reason: String::new(),
        };
        let at = "2026-11-23T09:00:00+07:00";
        let unit_code = session.units[unit].code.clone();
        writer
            .record(&unit_code, &code, &decide, "chủ tọa", at, None)
            .unwrap();

        let actions = poll_until_changed(&mut watcher, &screen, &session);
        let [Action::ItemsChanged(items)] = actions.as_slice() else {
            panic!("expected the changed item alone, got {actions:?}");
        };
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].0, items[0].1), (unit, leaf));
        assert_eq!(items[0].2.council, Some(score));
        assert_eq!(state.session.item(unit, leaf).council, None);
        for action in actions {
            crate::app::update(&mut state, action);
        }
        assert_eq!(state.session.item(unit, leaf).council, Some(score));
        assert!(watcher.poll(&screen, &session).is_empty(), "seen once only");
    }

    #[test]
    fn a_finalisation_elsewhere_reloads_the_session_and_a_leaders_move_moves() {
        let (_dir, mut writer, screen) = two_processes();
        let mut watcher = Watcher::new(&screen);
        let session = screen.load_session().unwrap().unwrap();

        let position = LeaderPosition {
            leader: "chủ tọa".into(),
            unit_code: Some(session.units[1].code.clone()),
            criterion_code: None,
            screen: "scorecard".into(),
            presenting: false,
            agenda_position: None,
            item_started_unix: None,
        };
        writer
            .publish_position(&position, 1_800_000_000, "2026-11-23T09:00:00+07:00")
            .unwrap();
        let actions = poll_until_changed(&mut watcher, &screen, &session);
        let [
            Action::Meeting(MeetingEvent::LeaderMoved {
                position: moved, ..
            }),
        ] = actions.as_slice()
        else {
            panic!("expected the leader's move alone, got {actions:?}");
        };
        assert_eq!(
            moved.as_ref().map(|p| &p.unit_code),
            Some(&position.unit_code)
        );

        writer
            .finalize("chủ tọa", "2026-11-23T10:00:00+07:00", Some("kết thúc"))
            .unwrap();
        let actions = poll_until_changed(&mut watcher, &screen, &session);
        assert!(
            actions.iter().any(|a| matches!(a, Action::Reloaded(_))),
            "expected a reload, got {actions:?}"
        );
    }
}
