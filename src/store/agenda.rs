//! The meeting: the saved agenda, and the leader's position that followers poll.

use super::{Store, StoreError};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// One saved agenda entry. `criterion_code` None: the whole unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    pub unit_code: String,
    pub criterion_code: Option<String>,
    pub added_by: String,
    pub added_at: String,
    /// The item's time budget in seconds (None: no budget).
    pub budget_seconds: Option<u32>,
}

pub use crate::domain::agenda::LeaderPosition;

/// The meeting row as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingRow {
    /// None until a leader has published.
    pub position: Option<LeaderPosition>,
    /// When the meeting started (the first leader's start), Unix seconds.
    pub started_unix: Option<i64>,
    pub updated_at: Option<String>,
    /// Bumped on every move of the leader.
    pub move_seq: i64,
    /// Bumped on every change of the agenda.
    pub agenda_rev: i64,
}

/// A cheap fingerprint of everything but the meeting tables: when it changes, the session
/// itself changed (a decision, an import, finalising) and must be reloaded; when only the
/// meeting row changed, a follower just moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentStamp {
    pub decision_seq: i64,
    pub last_import_at: Option<String>,
    pub finalised_at: Option<String>,
    /// The latest session-wide entry of the log (import, settings, members, finalisation).
    pub session_seq: i64,
}

impl Store {
    /// The saved agenda, in order.
    pub fn agenda(&self) -> Result<Vec<AgendaRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT unit_code, criterion_code, added_by, added_at, budget_seconds
             FROM agenda ORDER BY position",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AgendaRow {
                    unit_code: r.get(0)?,
                    criterion_code: r.get(1)?,
                    added_by: r.get(2)?,
                    added_at: r.get(3)?,
                    budget_seconds: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Replaces the saved agenda (all or nothing). Units must exist and criteria must be codes
    /// of the framework; an empty list clears the agenda.
    pub fn save_agenda(&mut self, rows: &[AgendaRow]) -> Result<(), StoreError> {
        let framework = self.load_framework()?.ok_or(StoreError::Empty)?;
        for row in rows {
            self.unit_id(&row.unit_code)?;
            if let Some(code) = row.criterion_code.as_deref()
                && framework.find(code).is_none()
            {
                return Err(StoreError::UnknownCriterion(code.to_string()));
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM agenda", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO agenda (position, unit_code, criterion_code, added_by, added_at,
                                     budget_seconds)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, row) in rows.iter().enumerate() {
                insert
                    .execute(params![
                        i as i64 + 1,
                        row.unit_code.trim(),
                        row.criterion_code.as_deref().map(str::trim),
                        row.added_by,
                        row.added_at,
                        row.budget_seconds.filter(|&s| s > 0)
                    ])
                    .map_err(|e| match e {
                        rusqlite::Error::SqliteFailure(f, _)
                            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                        {
                            StoreError::Rejected(super::Rejection::OnTheAgendaTwice {
                                unit: row.unit_code.clone(),
                                criterion: row.criterion_code.clone().unwrap_or_default(),
                            })
                        }
                        other => other.into(),
                    })?;
            }
        }
        tx.execute(
            "UPDATE meeting SET agenda_rev = agenda_rev + 1 WHERE id = 1",
            [],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the agenda and resets the meeting (leader, position, clocks). Returns how many
    /// entries there were.
    pub fn clear_agenda(&mut self) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let removed = tx.execute("DELETE FROM agenda", [])?;
        tx.execute(
            "UPDATE meeting SET leader = NULL, unit_code = NULL, criterion_code = NULL,
                 screen = 'overview', presenting = 0, agenda_position = NULL, started_unix = NULL,
                 item_started_unix = NULL, updated_at = NULL,
                 move_seq = move_seq + 1, agenda_rev = agenda_rev + 1
             WHERE id = 1",
            [],
        )?;
        tx.commit()?;
        Ok(removed)
    }

    /// The meeting row.
    pub fn meeting(&self) -> Result<MeetingRow, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT leader, unit_code, criterion_code, screen, presenting, agenda_position,
                        started_unix, item_started_unix, updated_at, move_seq, agenda_rev
                 FROM meeting WHERE id = 1",
                [],
                |r| {
                    let leader: Option<String> = r.get(0)?;
                    let agenda_position: Option<i64> = r.get(5)?;
                    let position = leader.map(|leader| -> rusqlite::Result<LeaderPosition> {
                        Ok(LeaderPosition {
                            leader,
                            unit_code: r.get(1)?,
                            criterion_code: r.get(2)?,
                            screen: r.get(3)?,
                            presenting: r.get(4)?,
                            agenda_position: agenda_position.and_then(|p| usize::try_from(p).ok()),
                            item_started_unix: r.get(7)?,
                        })
                    });
                    Ok(MeetingRow {
                        position: position.transpose()?,
                        started_unix: r.get(6)?,
                        updated_at: r.get(8)?,
                        move_seq: r.get(9)?,
                        agenda_rev: r.get(10)?,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or_default())
    }

    /// Publishes the leader's position (one small row, one commit). The meeting clock starts
    /// with the first publication. Returns the new move sequence number.
    pub fn publish_position(
        &mut self,
        position: &LeaderPosition,
        now_unix: i64,
        at: &str,
    ) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The row may be missing if someone deleted it by hand; put it back.
        tx.execute("INSERT OR IGNORE INTO meeting (id) VALUES (1)", [])?;
        tx.execute(
            "UPDATE meeting SET leader = ?1, unit_code = ?2, criterion_code = ?3, screen = ?4,
                 presenting = ?5, agenda_position = ?6, item_started_unix = ?7, updated_at = ?8,
                 started_unix = coalesce(started_unix, ?9), move_seq = move_seq + 1
             WHERE id = 1",
            params![
                position.leader,
                position.unit_code,
                position.criterion_code,
                position.screen,
                position.presenting,
                position.agenda_position.map(|p| p as i64),
                position.item_started_unix,
                at,
                now_unix
            ],
        )?;
        let seq: i64 = tx.query_row("SELECT move_seq FROM meeting WHERE id = 1", [], |r| {
            r.get(0)
        })?;
        tx.commit()?;
        Ok(seq)
    }

    /// See [`ContentStamp`]. Three indexed lookups.
    /// The items whose decision log has entries after `seq` (unit code, criterion code), so that
    /// a screen can refresh just those instead of reloading the session.
    pub fn items_logged_after(&self, seq: i64) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT unit_code, criterion_code FROM decision_log
             WHERE seq > ?1 AND unit_code <> ''",
        )?;
        let items = stmt
            .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(items)
    }

    pub fn content_stamp(&self) -> Result<ContentStamp, StoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT coalesce(max(seq), 0) FROM decision_log),
                    (SELECT value FROM meta WHERE key = 'last_import_at'),
                    (SELECT value FROM meta WHERE key = 'finalised_at'),
                    (SELECT coalesce(max(seq), 0) FROM decision_log WHERE unit_code = '')",
            [],
            |r| {
                Ok(ContentStamp {
                    decision_seq: r.get(0)?,
                    last_import_at: r.get(1)?,
                    finalised_at: r.get(2)?,
                    session_seq: r.get(3)?,
                })
            },
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DecisionAction;

    fn store_with_session() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("council.db");
        let mut store = Store::open(&path, crate::store::tests::host()).unwrap();
        let session = crate::app::sample::sample_session();
        let batch = crate::domain::import::ImportBatch {
            framework: Some(session.framework.clone()),
            units: session.units.clone(),
            submissions: session
                .units
                .iter()
                .enumerate()
                .map(|(u, unit)| {
                    let rows = session
                        .unit_items(u)
                        .iter()
                        .enumerate()
                        .map(|(l, item)| crate::domain::import::SelfScoreRow {
                            criterion_code: session.framework.leaf(l).code().to_string(),
                            in_self_scores: true,
                            score: item.self_score,
                            note: String::new(),
                            evidence: Some(Vec::new()),
                        })
                        .collect();
                    (unit.code.clone(), rows)
                })
                .collect(),
            proposals: Vec::new(),
            survey: Vec::new(),
        };
        store
            .apply_import(&batch, "2026-11-23T08:00:00+07:00")
            .unwrap();
        (dir, store)
    }

    fn row(unit: &str, criterion: Option<&str>) -> AgendaRow {
        AgendaRow {
            unit_code: unit.into(),
            criterion_code: criterion.map(str::to_string),
            added_by: "thư ký".into(),
            added_at: "2026-11-23T08:30:00+07:00".into(),
            budget_seconds: None,
        }
    }

    #[test]
    fn names_the_items_logged_after_a_point() {
        let (_dir, mut store) = store_with_session();
        let session = store.load_session().unwrap().unwrap();
        let unit = session.units[0].code.clone();
        let first = session.framework.leaf(0).code().to_string();
        let second = session.framework.leaf(1).code().to_string();
        let accept = |s: &crate::domain::Session, leaf: usize| DecisionAction::Decide {
            score: s.item(0, leaf).self_points(),
            reason: String::new(),
        };
        let at = "2026-11-23T09:00:00+07:00";
        store
            .record(&unit, &first, &accept(&session, 0), "an", at, None)
            .unwrap();
        let seq = store.content_stamp().unwrap().decision_seq;
        assert!(store.items_logged_after(seq).unwrap().is_empty());
        store
            .record(&unit, &second, &accept(&session, 1), "an", at, None)
            .unwrap();
        store
            .record(&unit, &second, &DecisionAction::Undo, "an", at, None)
            .unwrap();
        assert_eq!(
            store.items_logged_after(seq).unwrap(),
            vec![(unit.clone(), second)]
        );
        assert_eq!(store.items_logged_after(0).unwrap().len(), 2);
    }

    #[test]
    fn saves_replaces_and_clears_the_agenda() {
        let (_dir, mut store) = store_with_session();
        assert!(store.agenda().unwrap().is_empty());
        let rows = vec![
            row("XBH", Some("2.2")),
            row("SNV", None),
            row("SNV", Some("1.1")),
        ];
        store.save_agenda(&rows).unwrap();
        assert_eq!(store.agenda().unwrap(), rows);
        let rev = store.meeting().unwrap().agenda_rev;
        store.save_agenda(&rows[..1]).unwrap();
        assert_eq!(store.agenda().unwrap(), rows[..1]);
        assert_eq!(store.meeting().unwrap().agenda_rev, rev + 1);
        assert_eq!(store.clear_agenda().unwrap(), 1);
        assert!(store.agenda().unwrap().is_empty());
    }

    #[test]
    fn budgets_are_kept_with_their_entries() {
        let (_dir, mut store) = store_with_session();
        let mut timed = row("SNV", Some("1.1"));
        timed.budget_seconds = Some(180);
        let rows = vec![timed, row("XBH", None)];
        store.save_agenda(&rows).unwrap();
        assert_eq!(store.agenda().unwrap(), rows);
    }

    #[test]
    fn a_version_three_agenda_is_migrated_without_budgets() {
        let (dir, mut store) = store_with_session();
        store.save_agenda(&[row("SNV", Some("1.1"))]).unwrap();
        // A session as version 3 wrote it: no budget column.
        store
            .connection()
            .execute_batch(
                "ALTER TABLE agenda DROP COLUMN budget_seconds; PRAGMA user_version = 3;",
            )
            .unwrap();
        drop(store);
        let path = dir.path().join("council.db");
        let store = Store::open_existing(&path, crate::store::tests::host()).unwrap();
        assert_eq!(store.agenda().unwrap(), vec![row("SNV", Some("1.1"))]);
        let version: i64 = store
            .connection()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, super::super::SCHEMA_VERSION);
    }

    #[test]
    fn refuses_unknown_codes_and_duplicates_without_changing_anything() {
        let (_dir, mut store) = store_with_session();
        store.save_agenda(&[row("SNV", Some("2.1"))]).unwrap();
        assert!(matches!(
            store.save_agenda(&[row("ZZZ", None)]),
            Err(StoreError::UnknownUnit(_))
        ));
        assert!(matches!(
            store.save_agenda(&[row("SNV", Some("9.1"))]),
            Err(StoreError::UnknownCriterion(_))
        ));
        assert!(matches!(
            store.save_agenda(&[row("STC", Some("1.2")), row("STC", Some("1.2"))]),
            Err(StoreError::Rejected(_))
        ));
        assert_eq!(store.agenda().unwrap(), vec![row("SNV", Some("2.1"))]);
    }

    #[test]
    fn publishing_moves_the_leader_and_starts_the_clock_once() {
        let (_dir, mut store) = store_with_session();
        let meeting = store.meeting().unwrap();
        assert_eq!(meeting.position, None);
        assert_eq!(meeting.started_unix, None);
        let mut position = LeaderPosition {
            leader: "chủ tọa".into(),
            unit_code: Some("SNV".into()),
            criterion_code: Some("1.1.2".into()),
            screen: "scorecard".into(),
            presenting: true,
            agenda_position: Some(0),
            item_started_unix: Some(1_000),
        };
        let first = store.publish_position(&position, 1_000, "t1").unwrap();
        position.criterion_code = Some("2.1".into());
        position.agenda_position = Some(1);
        let second = store.publish_position(&position, 1_060, "t2").unwrap();
        assert_eq!(second, first + 1);
        let meeting = store.meeting().unwrap();
        assert_eq!(meeting.position, Some(position));
        assert_eq!(meeting.started_unix, Some(1_000));
        assert_eq!(meeting.updated_at.as_deref(), Some("t2"));
        store.clear_agenda().unwrap();
        let cleared = store.meeting().unwrap();
        assert_eq!((cleared.position, cleared.started_unix), (None, None));
    }

    #[test]
    fn the_content_stamp_moves_with_decisions_but_not_with_the_leader() {
        let (_dir, mut store) = store_with_session();
        let before = store.content_stamp().unwrap();
        let position = LeaderPosition {
            leader: "chủ tọa".into(),
            screen: "overview".into(),
            ..Default::default()
        };
        store.publish_position(&position, 5, "t").unwrap();
        store.save_agenda(&[row("SNV", None)]).unwrap();
        assert_eq!(store.content_stamp().unwrap(), before);
        let action = DecisionAction::Decide {
            score: rust_decimal::Decimal::from(2),
            reason: String::new(),
        };
        store
            .record("SNV", "1.1.1", &action, "chủ tọa", "t", None)
            .unwrap();
        let after = store.content_stamp().unwrap();
        assert_eq!(after.decision_seq, before.decision_seq + 1);
    }

    #[test]
    fn a_version_one_database_is_migrated_with_an_empty_meeting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(include_str!("schema.sql")).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = Store::open_existing(&path, crate::store::tests::host()).unwrap();
        assert_eq!(store.meeting().unwrap(), MeetingRow::default());
        assert!(store.agenda().unwrap().is_empty());
    }
}
