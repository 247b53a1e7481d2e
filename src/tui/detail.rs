//! The detail pane's texts (an item's notes, evidence and history; the comparison's notes)
//! read on a thread of their own, on a connection of its own: a unit's 200 MB explanation
//! takes SQLite about half a second to read even in part, and no key should wait for it.
//! The pane says *đang tải* (loading) meanwhile; everything else answers at once.

use crate::app::{Action, Effect};
use crate::domain::Session;
use crate::lang::Lang;
use crate::store::Store;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::Duration;

/// A read for the thread, with the codes it needs (the thread has no session).
enum Request {
    Detail {
        unit: usize,
        leaf: usize,
        unit_code: String,
        code: String,
    },
    Notes {
        leaf: usize,
        code: String,
        units: Vec<(usize, String)>,
    },
}

/// The reading thread: requests go in, their outcomes come back as actions, in order.
pub struct DetailLoader {
    /// Dropped first when the loader goes, which ends the thread.
    requests: Option<Sender<Request>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// One answer per request, with the request; None for a detail that could not be read
    /// (it is then simply not shown, as on the runner's connection).
    results: Receiver<(Request, Option<Action>)>,
    /// Requests sent whose outcome has not been taken yet.
    pending: usize,
}

impl DetailLoader {
    /// Starts the thread on a second connection to the session at `path`; None when that
    /// cannot be opened (the runner then reads on its own connection, as before).
    pub fn start(path: &Path, lang: Lang) -> Option<DetailLoader> {
        let store = Store::open_existing(path, crate::io::system::host()).ok()?;
        let (requests, incoming) = channel();
        let (outgoing, results) = channel();
        let thread = std::thread::Builder::new()
            .name("council-detail".into())
            .spawn(move || serve(&store, lang, &incoming, &outgoing))
            .ok()?;
        Some(DetailLoader {
            requests: Some(requests),
            thread: Some(thread),
            results,
            pending: 0,
        })
    }

    /// Takes a load effect to the thread (None), or gives any other effect back.
    pub fn take(&mut self, effect: Effect, session: &Session) -> Option<Effect> {
        let request = match &effect {
            Effect::LoadDetail { unit, leaf } => Request::Detail {
                unit: *unit,
                leaf: *leaf,
                unit_code: session.units.get(*unit)?.code.clone(),
                code: session.framework.leaf(*leaf).code().to_string(),
            },
            Effect::LoadNotes { leaf, units } => Request::Notes {
                leaf: *leaf,
                code: session.framework.leaf(*leaf).code().to_string(),
                units: units
                    .iter()
                    .filter_map(|&u| Some((u, session.units.get(u)?.code.clone())))
                    .collect(),
            },
            _ => return Some(effect),
        };
        // A thread that has stopped: read here instead.
        let sent = self.requests.as_ref().map(|r| r.send(request));
        sent.and_then(Result::ok).map_or(Some(effect), |()| {
            self.pending += 1;
            None
        })
    }

    /// Whether outcomes are still to come.
    pub fn waiting(&self) -> bool {
        self.pending > 0
    }

    /// The outcomes that have arrived, without waiting; those asked for by units and leaves
    /// that are no longer where they were in `session` (a re-import came between) are left.
    pub fn arrived(&mut self, session: &Session) -> Vec<Action> {
        let mut actions = Vec::new();
        loop {
            match self.results.try_recv() {
                Ok((request, action)) => {
                    self.pending = self.pending.saturating_sub(1);
                    actions.extend(action.filter(|_| request.still_in(session)));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.pending = 0;
                    break;
                }
            }
        }
        actions
    }

    /// Waits up to `timeout` for the next answer (for the benchmark); None when none came.
    pub fn next(&mut self, timeout: Duration, session: &Session) -> Option<Option<Action>> {
        let (request, action) = self.results.recv_timeout(timeout).ok()?;
        self.pending = self.pending.saturating_sub(1);
        Some(action.filter(|_| request.still_in(session)))
    }
}

impl Request {
    /// Whether the units and the leaf asked for are still at the same places in `session`.
    fn still_in(&self, session: &Session) -> bool {
        let unit_is = |u: usize, code: &str| session.units.get(u).is_some_and(|x| x.code == code);
        let leaf_is = |leaf: usize, code: &str| {
            leaf < session.leaf_count() && session.framework.leaf(leaf).code().to_string() == code
        };
        match self {
            Request::Detail {
                unit,
                leaf,
                unit_code,
                code,
            } => unit_is(*unit, unit_code) && leaf_is(*leaf, code),
            Request::Notes { leaf, code, units } => {
                leaf_is(*leaf, code) && units.iter().all(|(u, c)| unit_is(*u, c))
            }
        }
    }
}

impl Drop for DetailLoader {
    /// Ends the thread and waits for it, so that its connection is closed before the
    /// runner's (the last connection to close folds the -wal file into the database).
    fn drop(&mut self) {
        self.requests.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    store: &Store,
    lang: Lang,
    requests: &Receiver<Request>,
    results: &Sender<(Request, Option<Action>)>,
) {
    for request in requests {
        let action = match &request {
            Request::Detail {
                unit,
                leaf,
                unit_code,
                code,
            } => detail_action(store, (*unit, *leaf), (unit_code, code), lang),
            Request::Notes { leaf, code, units } => {
                Some(notes_action(store, *leaf, code, units, lang))
            }
        };
        if results.send((request, action)).is_err() {
            return;
        }
    }
}

/// An item's detail for the screen, cut for display, as an action.
pub fn detail_action(
    store: &Store,
    (unit, leaf): (usize, usize),
    (unit_code, code): (&str, &str),
    lang: Lang,
) -> Option<Action> {
    let cut_note = |total| crate::messages::screen::cut_note(lang, total);
    let detail = store
        .item_detail_for_screen(unit_code, code, &cut_note)
        .ok()?;
    Some(Action::DetailLoaded { unit, leaf, detail })
}

/// The units' own notes on one leaf, for the comparison, as an action.
pub fn notes_action(
    store: &Store,
    leaf: usize,
    code: &str,
    units: &[(usize, String)],
    lang: Lang,
) -> Action {
    let cut_note = |total| crate::messages::screen::cut_note(lang, total);
    let notes = units
        .iter()
        .filter_map(|(u, unit_code)| {
            let detail = store
                .item_detail_for_screen(unit_code, code, &cut_note)
                .ok()?;
            Some((*u, detail.note))
        })
        .collect();
    Action::NotesLoaded { leaf, notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_items_detail_is_read_on_the_thread_and_other_effects_are_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let (db, store) = crate::tui::sample_session_store(dir.path());
        let session = store.load_session().unwrap().unwrap();
        let mut loader = DetailLoader::start(&db, Lang::Vi).unwrap();

        let export = Effect::Export { overwrite: false };
        assert_eq!(loader.take(export.clone(), &session), Some(export));
        assert!(!loader.waiting());

        // SNV 1.2 has a note in data/sample.
        let leaf = session.framework.leaf_index_of("1.2").unwrap();
        let unit = session.unit_index("SNV").unwrap();
        assert_eq!(
            loader.take(Effect::LoadDetail { unit, leaf }, &session),
            None
        );
        assert!(loader.waiting());
        let answer = loader.next(Duration::from_secs(30), &session).flatten();
        let Some(Action::DetailLoaded {
            unit: u,
            leaf: l,
            detail,
        }) = answer
        else {
            panic!("expected the item's detail, got {answer:?}");
        };
        assert_eq!((u, l), (unit, leaf));
        assert_eq!(detail.note, "Có tài liệu kiểm chứng kèm theo");
        assert!(!loader.waiting());

        // A re-import put another unit at that place meanwhile: the answer is left.
        assert_eq!(
            loader.take(Effect::LoadDetail { unit, leaf }, &session),
            None
        );
        let mut reimported = session.clone();
        reimported.units[unit].code = "SNV2".into();
        assert!(matches!(
            loader.next(Duration::from_secs(30), &reimported),
            Some(None)
        ));
        assert!(!loader.waiting());
    }
}
