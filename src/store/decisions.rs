//! Appending to the council's decision log.

use super::chain::{self, NewEntry};
use super::{Store, StoreError};
use crate::domain::members::Permission;
use crate::domain::session::{
    UndoRefusal, check_decision, check_own_undo, decision_in_force, fold_decisions,
};
use crate::domain::{CriterionKind, DecisionAction, ItemState, format_dot};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

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
        let unit_code = unit_code.trim();
        let criterion_code = criterion_code.trim();
        let unit_id = self.unit_id(unit_code)?;
        let (criterion_id, def) = self.leaf(&framework, criterion_code)?;
        let survey = def.kind == CriterionKind::Survey;

        // IMMEDIATE: take the write lock before reading, so the staleness check and the append
        // see the same state even with other processes writing.
        let tx = chain::begin_write(&mut self.conn)?;
        super::members::authorise_in(&tx, &self.account, Some(by), Permission::Decide)?;
        let latest: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT seq, decided_by, decided_at FROM decision_log
                 WHERE unit_code = ?1 AND criterion_code = ?2 ORDER BY seq DESC LIMIT 1",
                params![unit_code, criterion_code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let latest_seq = latest.as_ref().map_or(0, |l| l.0);
        if let Some(expected) = expected_seq
            && expected != latest_seq
        {
            let (_, by, at) = latest.unwrap_or_default();
            return Err(StoreError::Stale {
                unit: unit_code.to_string(),
                criterion: criterion_code.to_string(),
                by,
                at,
                latest_seq,
            });
        }
        drop(tx);

        let before = self.item_state_by_id(unit_id, criterion_id, survey)?;
        let mut log = self.item_log(unit_code, criterion_code)?;
        let score = match action {
            DecisionAction::Decide { score, reason } => {
                check_decision(&def, before.self_score, *score, reason)
                    .map_err(|e| StoreError::Rejected(e.to_string()))?;
                format_dot(*score)
            }
            DecisionAction::Undo | DecisionAction::Redo => {
                let redo = matches!(action, DecisionAction::Redo);
                match check_own_undo(&log, by, &self.account.login, redo) {
                    Ok(()) => {}
                    Err(UndoRefusal::Other(record)) => {
                        return Err(StoreError::NotYours {
                            unit: unit_code.to_string(),
                            criterion: criterion_code.to_string(),
                            by: record.by,
                            at: record.at,
                            redo,
                        });
                    }
                    Err(UndoRefusal::Nothing) if redo => {
                        return Err(StoreError::Rejected(crate::domain::text::tr(
                            format!("{unit_code} {criterion_code}: nothing to redo"),
                            format!("{unit_code} {criterion_code}: không có gì để làm lại"),
                        )));
                    }
                    Err(UndoRefusal::Nothing) => {
                        return Err(StoreError::Rejected(crate::domain::text::tr(
                            format!("{unit_code} {criterion_code}: no decision to undo"),
                            format!(
                                "{unit_code} {criterion_code}: không có quyết định nào để hoàn tác"
                            ),
                        )));
                    }
                }
                String::new()
            }
            _ => String::new(),
        };
        let reason = match action {
            DecisionAction::Decide { reason, .. } => reason.trim().to_string(),
            _ => String::new(),
        };
        let basis = before.self_score.map(format_dot).unwrap_or_default();
        log.push(crate::domain::DecisionRecord {
            action: action.clone(),
            by: by.to_string(),
            login: self.account.login.clone(),
            at: at.to_string(),
        });
        let fold = fold_decisions(&log);

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-check under the write lock: another process may have appended meanwhile.
        let now_latest: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) FROM decision_log WHERE unit_code = ?1 AND criterion_code = ?2",
            params![unit_code, criterion_code],
            |r| r.get(0),
        )?;
        if now_latest != latest_seq {
            let (by, at): (String, String) = tx.query_row(
                "SELECT decided_by, decided_at FROM decision_log WHERE seq = ?1",
                [now_latest],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            return Err(StoreError::Stale {
                unit: unit_code.to_string(),
                criterion: criterion_code.to_string(),
                by,
                at,
                latest_seq: now_latest,
            });
        }
        let (seq, _) = chain::append(
            &tx,
            &self.account,
            &NewEntry {
                unit_code,
                criterion_code,
                action: action.kind(),
                score: &score,
                basis: &basis,
                reason: &reason,
                by,
                at,
                content: "",
            },
        )?;
        // The decision in force and the basis it was made on, derived from the log.
        let in_force = fold.in_force.and_then(|i| {
            let (score, reason, record) = decision_in_force(&log[..=i])?;
            Some((
                format_dot(*score),
                reason.trim().to_string(),
                (record.by.clone(), record.login.clone()),
                record.at.clone(),
                i,
            ))
        });
        let in_force_basis: Option<String> = match &in_force {
            Some((.., i)) => tx
                .query_row(
                    "SELECT basis FROM decision_log WHERE unit_code = ?1 AND criterion_code = ?2
                     ORDER BY seq LIMIT 1 OFFSET ?3",
                    params![unit_code, criterion_code, *i as i64],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        let (council, reason, (decided_by, decided_login), decided_at) = match in_force {
            Some((score, reason, who, at, _)) => (Some(score), reason, who, at),
            None => (None, String::new(), Default::default(), String::new()),
        };
        tx.execute(
            "INSERT INTO decision_state (unit_id, criterion_id, council, basis, reason, decided_by, decided_at,
                                         flagged, log_seq, decided_login)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (unit_id, criterion_id) DO UPDATE SET council = excluded.council,
                 basis = excluded.basis, reason = excluded.reason, decided_by = excluded.decided_by,
                 decided_at = excluded.decided_at, flagged = excluded.flagged, log_seq = excluded.log_seq,
                 decided_login = excluded.decided_login",
            params![unit_id, criterion_id, council, in_force_basis, reason, decided_by, decided_at, fold.flagged, seq, decided_login],
        )?;
        tx.commit()?;
        self.item_state_by_id(unit_id, criterion_id, survey)
    }
}
