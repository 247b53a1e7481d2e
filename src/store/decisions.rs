//! Appending to the council's decision log.

use super::chain::{self, NewEntry};
use super::{Store, StoreError};
use crate::domain::members::Permission;
use crate::domain::session::{
    UndoRefusal, check_decision, check_own_undo, decision_in_force, fold_decisions,
};
use crate::domain::{DecisionAction, ItemState, format_dot};
use rusqlite::{Connection, OptionalExtension, params};

impl Store {
    /// Appends one entry to an item's decision log, validated against the leaf and self-score,
    /// durable on return. With a members list, `by` must be the name of the member this login
    /// is, and observers are refused. An undo or redo is only of the reviewer's own decision
    /// ([`StoreError::NotYours`] names who acted since). `expected_seq` is the sequence number of the item's latest log entry as
    /// the caller saw it (`ItemState::log_seq`, 0 for none), or None to skip the check; a
    /// mismatch is refused with [`StoreError::Stale`]. Returns the item's new state.
    pub fn record(
        &mut self,
        unit_code: &str,
        criterion_code: &str,
        action: &DecisionAction,
        by: &str,
        at: &str,
        expected_seq: Option<i64>,
    ) -> Result<ItemState, StoreError> {
        // Without an expectation, another process appending meanwhile is no conflict: validate
        // again against the new state and append.
        let mut attempts = 0;
        loop {
            match self.record_once(unit_code, criterion_code, action, by, at, expected_seq) {
                Err(StoreError::Stale { .. }) if expected_seq.is_none() && attempts < 5 => {
                    attempts += 1
                }
                other => return other,
            }
        }
    }

    /// One attempt at [`Store::record`].
    fn record_once(
        &mut self,
        unit_code: &str,
        criterion_code: &str,
        action: &DecisionAction,
        by: &str,
        at: &str,
        expected_seq: Option<i64>,
    ) -> Result<ItemState, StoreError> {
        let framework = self.load_framework()?.ok_or(StoreError::Empty)?;
        let item = Item {
            unit: unit_code.trim(),
            criterion: criterion_code.trim(),
        };
        let unit_id = self.unit_id(item.unit)?;
        let (criterion_id, def) = self.leaf(&framework, item.criterion)?;
        let latest_seq = self.latest_seen(&item, by, expected_seq)?;

        let before = self.item_state_by_id(unit_id, criterion_id, &def)?;
        let mut log = self.item_log(item.unit, item.criterion)?;
        let (score, reason) = self.decided(&item, action, (&def, before.self_score), (&log, by))?;
        let basis = before.self_score.map(format_dot).unwrap_or_default();
        log.push(crate::domain::DecisionRecord {
            action: action.clone(),
            by: by.to_string(),
            login: self.account.login.clone(),
            at: at.to_string(),
        });
        let entry = NewEntry {
            unit_code: item.unit,
            criterion_code: item.criterion,
            action: action.kind(),
            score: &score,
            basis: &basis,
            reason: &reason,
            by,
            at,
            content: "",
        };
        self.append_decision(&item, (unit_id, criterion_id), (&log, latest_seq), &entry)?;
        self.item_state_by_id(unit_id, criterion_id, &def)
    }

    /// The item's latest entry number, checked against what the caller saw.
    fn latest_seen(
        &mut self,
        item: &Item<'_>,
        by: &str,
        expected_seq: Option<i64>,
    ) -> Result<i64, StoreError> {
        // IMMEDIATE: take the write lock before reading, so the staleness check and the append
        // see the same state even with other processes writing.
        let tx = chain::begin_write(&mut self.conn)?;
        super::members::authorise_in(&tx, &self.account, Some(by), Permission::Decide)?;
        let latest = latest_entry(&tx, item)?;
        let latest_seq = latest.as_ref().map_or(0, |l| l.0);
        if let Some(expected) = expected_seq
            && expected != latest_seq
        {
            return Err(item.stale(latest.unwrap_or_default()));
        }
        Ok(latest_seq)
    }

    /// The score and reason an action records, once it is checked: a decision against the
    /// leaf's rule, an undo or redo against whose decision it withdraws.
    fn decided(
        &self,
        item: &Item<'_>,
        action: &DecisionAction,
        (def, self_score): (&crate::domain::CriterionDef, Option<rust_decimal::Decimal>),
        (log, by): (&[crate::domain::DecisionRecord], &str),
    ) -> Result<(String, String), StoreError> {
        Ok(match action {
            DecisionAction::Decide { score, reason } => {
                check_decision(def, self_score, *score, reason)
                    .map_err(|e| StoreError::Rejected(super::Rejection::Decision(e)))?;
                (format_dot(*score), reason.trim().to_string())
            }
            DecisionAction::Undo | DecisionAction::Redo => {
                let redo = matches!(action, DecisionAction::Redo);
                item.check_own(log, by, &self.account.login, redo)?;
                Default::default()
            }
            DecisionAction::Flag { .. } => Default::default(),
        })
    }

    /// Appends the entry and the item's derived state in one transaction, unless another
    /// process appended for the item since `latest_seq`.
    fn append_decision(
        &mut self,
        item: &Item<'_>,
        ids: (i64, i64),
        (log, latest_seq): (&[crate::domain::DecisionRecord], i64),
        entry: &NewEntry<'_>,
    ) -> Result<(), StoreError> {
        let tx = chain::begin_write(&mut self.conn)?;
        super::members::authorise_in(&tx, &self.account, Some(entry.by), Permission::Decide)?;
        // Re-check under the write lock: another process may have appended meanwhile.
        let now_latest = latest_entry(&tx, item)?;
        if now_latest.as_ref().map_or(0, |l| l.0) != latest_seq {
            return Err(item.stale(now_latest.unwrap_or_default()));
        }
        let (seq, _) = chain::append(&tx, &self.account, entry)?;
        write_state(&tx, ids, item, log, seq)?;
        tx.commit()?;
        Ok(())
    }
}

/// The item a decision is about, by its codes.
struct Item<'a> {
    unit: &'a str,
    criterion: &'a str,
}

impl Item<'_> {
    /// Refused: someone else's entry (seq, by, at) came after what the caller saw.
    fn stale(&self, (latest_seq, by, at): (i64, String, String)) -> StoreError {
        StoreError::Stale {
            unit: self.unit.to_string(),
            criterion: self.criterion.to_string(),
            by,
            at,
            latest_seq,
        }
    }

    /// An undo or redo only of the reviewer's own decision.
    fn check_own(
        &self,
        log: &[crate::domain::DecisionRecord],
        by: &str,
        login: &str,
        redo: bool,
    ) -> Result<(), StoreError> {
        let (unit, criterion) = (self.unit, self.criterion);
        match check_own_undo(log, by, login, redo) {
            Ok(()) => Ok(()),
            Err(UndoRefusal::Other(record)) => Err(StoreError::NotYours {
                unit: unit.to_string(),
                criterion: criterion.to_string(),
                by: record.by,
                at: record.at,
                redo,
            }),
            Err(UndoRefusal::Nothing) if redo => Err(super::Rejection::NothingToRedo {
                unit: unit.to_string(),
                criterion: criterion.to_string(),
            }
            .into()),
            Err(UndoRefusal::Nothing) => Err(super::Rejection::NothingToUndo {
                unit: unit.to_string(),
                criterion: criterion.to_string(),
            }
            .into()),
        }
    }
}

/// The item's latest log entry: (seq, by, at).
fn latest_entry(
    conn: &Connection,
    item: &Item<'_>,
) -> Result<Option<(i64, String, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT seq, decided_by, decided_at FROM decision_log
             WHERE unit_code = ?1 AND criterion_code = ?2 ORDER BY seq DESC LIMIT 1",
            params![item.unit, item.criterion],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The item's current decision, derived from its log (whose last entry is `seq`): the decision
/// in force, the basis it was made on, who made it, and the flag.
fn write_state(
    tx: &Connection,
    (unit_id, criterion_id): (i64, i64),
    item: &Item<'_>,
    log: &[crate::domain::DecisionRecord],
    seq: i64,
) -> Result<(), StoreError> {
    let fold = fold_decisions(log);
    let in_force = fold
        .in_force
        .and_then(|i| Some((decision_in_force(&log[..=i])?, i)));
    let basis: Option<String> = match in_force {
        Some((_, i)) => tx
            .query_row(
                "SELECT basis FROM decision_log WHERE unit_code = ?1 AND criterion_code = ?2
                 ORDER BY seq LIMIT 1 OFFSET ?3",
                params![item.unit, item.criterion, i as i64],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    let (council, reason, by, login, at) = match in_force {
        Some(((score, reason, record), _)) => (
            Some(format_dot(*score)),
            reason.trim(),
            record.by.as_str(),
            record.login.as_str(),
            record.at.as_str(),
        ),
        None => (None, "", "", "", ""),
    };
    tx.execute(
        "INSERT INTO decision_state (unit_id, criterion_id, council, basis, reason, decided_by, decided_at,
                                     flagged, log_seq, decided_login)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (unit_id, criterion_id) DO UPDATE SET council = excluded.council,
             basis = excluded.basis, reason = excluded.reason, decided_by = excluded.decided_by,
             decided_at = excluded.decided_at, flagged = excluded.flagged, log_seq = excluded.log_seq,
             decided_login = excluded.decided_login",
        params![unit_id, criterion_id, council, basis, reason, by, at, fold.flagged, seq, login],
    )?;
    Ok(())
}
