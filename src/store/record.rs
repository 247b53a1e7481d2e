//! The final record: verifying the hash chain, finalising (locking) the session, and the full
//! history of every item.

use super::load::decimal;
use super::{Store, StoreError};
use crate::domain::chain::{ChainFields, GENESIS, entry_hash};
use crate::domain::session::fold_decisions;
use crate::domain::text::tr;
use crate::domain::{DecisionAction, DecisionRecord};
use rusqlite::params;

/// Tables that a finalised session refuses to change, by triggers in the database itself.
const LOCKED_TABLES: &[&str] = &[
    "meta",
    "criteria",
    "units",
    "submissions",
    "self_scores",
    "proposals",
    "proposal_history",
    "survey",
    "decision_log",
    "decision_state",
];

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: usize,
    pub head_hash: String,
    /// One line per problem: which entry was altered, which are missing, what disagrees.
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// An item that blocks finalising.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    pub unit_code: String,
    pub criterion_code: String,
}

/// How a session was finalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finalisation {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub head_hash: String,
    pub entries: i64,
}

/// One line of an item's complete history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryRow {
    pub unit_code: String,
    pub criterion_code: String,
    pub at: String,
    pub by: String,
    /// submission / proposal / decide / undo / redo / flag / unflag
    pub event: String,
    pub score: String,
    pub text: String,
}

/// The history's sources, each as (unit, criterion, at, by, event, score, text) for one unit
/// code ('' for all): self-score versions, proposals, then the decision log. Read in this order
/// so that the stable sort puts submissions and proposals before decisions of the same time.
const HISTORY_QUERIES: [&str; 3] = [
    "SELECT u.code, c.code, sub.imported_at, '', 'submission', COALESCE(s.score, ''),
            'v' || sub.version || ': ' || s.note
     FROM self_scores s
     JOIN submissions sub ON sub.id = s.submission_id JOIN units u ON u.id = sub.unit_id
     JOIN criteria c ON c.id = s.criterion_id
     WHERE (?1 = '' OR u.code = ?1) AND (s.changed = 1 OR sub.version = 1)",
    "SELECT u.code, c.code, p.imported_at, '', 'proposal', p.score, p.note FROM
       (SELECT unit_id, criterion_id, imported_at, score, note FROM proposal_history
        UNION ALL SELECT unit_id, criterion_id, imported_at, score, note FROM proposals) p
     JOIN units u ON u.id = p.unit_id JOIN criteria c ON c.id = p.criterion_id
     WHERE (?1 = '' OR u.code = ?1)",
    "SELECT unit_code, criterion_code, decided_at, decided_by, action, score, reason
     FROM decision_log WHERE (?1 = '' OR unit_code = ?1) ORDER BY seq",
];

impl Store {
    /// Recomputes the decision log's hash chain and the state derived from it.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport {
            head_hash: GENESIS.to_string(),
            ..Default::default()
        };
        let mut stmt = self.conn.prepare(
            "SELECT seq, unit_code, criterion_code, action, score, basis, reason, decided_by, decided_at,
                    prev_hash, hash FROM decision_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected_seq = 1i64;
        let mut previous = GENESIS.to_string();
        let mut logs: std::collections::BTreeMap<(String, String), Vec<DecisionRecord>> =
            Default::default();
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let text = |i: usize| -> rusqlite::Result<String> { row.get(i) };
            let (unit, criterion, action, score) = (text(1)?, text(2)?, text(3)?, text(4)?);
            let (basis, reason, by, at, prev_hash, hash) =
                (text(5)?, text(6)?, text(7)?, text(8)?, text(9)?, text(10)?);
            if seq != expected_seq {
                report.problems.push(if seq > expected_seq {
                    let last = seq - 1;
                    tr(
                        format!("entries {expected_seq}–{last} are missing (deleted)"),
                        format!("thiếu các mục {expected_seq}–{last} (đã bị xoá)"),
                    )
                } else {
                    tr(
                        format!("entry {seq} is out of order"),
                        format!("mục {seq} sai thứ tự"),
                    )
                });
            }
            if prev_hash != previous {
                report.problems.push(tr(
                    format!(
                        "entry {seq} ({unit} {criterion}): does not follow the entry before it (an entry before it was altered or deleted)"
                    ),
                    format!(
                        "mục {seq} ({unit} {criterion}): không nối tiếp mục liền trước (một mục trước đó đã bị sửa hoặc xoá)"
                    ),
                ));
            }
            let fields = ChainFields {
                seq,
                unit_code: &unit,
                criterion_code: &criterion,
                action: &action,
                score: &score,
                basis: &basis,
                reason: &reason,
                by: &by,
                at: &at,
            };
            if entry_hash(&prev_hash, &fields) != hash {
                report.problems.push(tr(
                    format!(
                        "entry {seq} ({unit} {criterion}, {action} by {by} at {at}) was altered after it was recorded"
                    ),
                    format!(
                        "mục {seq} ({unit} {criterion}, {action} do {by} ghi lúc {at}) đã bị sửa sau khi ghi"
                    ),
                ));
            }
            let parsed = match action.as_str() {
                "decide" => decimal(&score)
                    .map(|score| DecisionAction::Decide {
                        score,
                        reason: reason.clone(),
                    })
                    .ok(),
                "undo" => Some(DecisionAction::Undo),
                "redo" => Some(DecisionAction::Redo),
                "flag" => Some(DecisionAction::Flag { on: true }),
                "unflag" => Some(DecisionAction::Flag { on: false }),
                _ => None,
            };
            if let Some(action) = parsed {
                logs.entry((unit, criterion))
                    .or_default()
                    .push(DecisionRecord { action, by, at });
            }
            previous = hash;
            expected_seq = seq + 1;
            report.entries += 1;
        }
        report.head_hash = previous.clone();
        let recorded_head: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT (SELECT value FROM meta WHERE key = 'chain_seq'), (SELECT value FROM meta WHERE key = 'chain_head')",
                [],
                |r| {
                    let seq: Option<String> = r.get(0)?;
                    let head: Option<String> = r.get(1)?;
                    Ok(seq.zip(head).map(|(s, h)| (s.parse().unwrap_or(-1), h)))
                },
            )?;
        if let Some((seq, head)) = recorded_head
            && (seq != expected_seq - 1 || head != previous)
        {
            let last = expected_seq - 1;
            report.problems.push(tr(
                format!(
                    "the log ends at entry {last} but the session recorded entry {seq} as its last: entries at the end were deleted or added behind the tool's back"
                ),
                format!(
                    "nhật ký quyết định kết thúc ở mục {last} nhưng phiên họp ghi nhận mục cuối là {seq}: các mục ở cuối đã bị xoá hoặc thêm ngoài công cụ"
                ),
            ));
        }
        self.check_derived_state(&logs, &mut report)?;
        Ok(report)
    }

    /// The current decisions must be what the log says.
    fn check_derived_state(
        &self,
        logs: &std::collections::BTreeMap<(String, String), Vec<DecisionRecord>>,
        report: &mut VerifyReport,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT u.code, c.code, d.council FROM decision_state d
             JOIN units u ON u.id = d.unit_id JOIN criteria c ON c.id = d.criterion_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key: (String, String) = (row.get(0)?, row.get(1)?);
            let council: Option<String> = row.get(2)?;
            let from_log = logs.get(&key).and_then(|log| {
                let i = fold_decisions(log).in_force?;
                match &log[i].action {
                    DecisionAction::Decide { score, .. } => Some(crate::domain::format_dot(*score)),
                    _ => None,
                }
            });
            if council != from_log {
                let none = tr("none", "không có");
                let current = council.as_deref().unwrap_or(&none);
                let logged = from_log.as_deref().unwrap_or(&none);
                let (unit, criterion) = (&key.0, &key.1);
                report.problems.push(tr(
                    format!(
                        "{unit} {criterion}: the current council score {current} is not what the decision log says ({logged})"
                    ),
                    format!(
                        "{unit} {criterion}: điểm hội đồng hiện tại {current} không khớp với nhật ký quyết định ({logged})"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Items that are still disputed and undecided.
    pub fn open_disputes(&self) -> Result<Vec<OpenItem>, StoreError> {
        let session = self.load_session()?.ok_or(StoreError::Empty)?;
        let mut open = Vec::new();
        for (u, unit) in session.units.iter().enumerate() {
            for (leaf, item) in session.unit_items(u).iter().enumerate() {
                if item.status().is_open() {
                    open.push(OpenItem {
                        unit_code: unit.code.clone(),
                        criterion_code: session.framework.leaf(leaf).code().to_string(),
                    });
                }
            }
        }
        Ok(open)
    }

    /// When and how the session was finalised, if it was.
    pub fn finalisation(&self) -> Result<Option<Finalisation>, StoreError> {
        let value = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(rusqlite::OptionalExtension::optional(self.conn.query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [key],
                |r| r.get(0),
            ))?)
        };
        let Some(at) = value("finalised_at")? else {
            return Ok(None);
        };
        Ok(Some(Finalisation {
            at,
            by: value("finalised_by")?.unwrap_or_default(),
            reason: value("finalised_reason")?.unwrap_or_default(),
            head_hash: value("chain_head")?.unwrap_or_else(|| GENESIS.to_string()),
            entries: value("chain_seq")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
        }))
    }

    /// Locks the session. Refuses while items are disputed and undecided unless `force_reason`
    /// says why; then every later write is refused by triggers in the database.
    pub fn finalize(
        &mut self,
        by: &str,
        at: &str,
        force_reason: Option<&str>,
    ) -> Result<Finalisation, StoreError> {
        if self.finalisation()?.is_some() {
            return Err(StoreError::Finalised);
        }
        let report = self.verify()?;
        if !report.is_intact() {
            let problems = report.problems.join("; ");
            return Err(StoreError::Rejected(tr(
                format!("the decision log does not verify; not finalising: {problems}"),
                format!(
                    "nhật ký quyết định không qua được kiểm tra; không chốt kết quả: {problems}"
                ),
            )));
        }
        let open = self.open_disputes()?;
        let reason = force_reason.map(str::trim).unwrap_or_default();
        if !open.is_empty() && reason.is_empty() {
            return Err(StoreError::OpenDisputes(open));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let set = |key: &str, value: &str| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
        };
        set("chain_head", &report.head_hash)?;
        set("chain_seq", &report.entries.to_string())?;
        set("finalised_by", by)?;
        set("finalised_reason", reason)?;
        set("finalised_open_items", &open.len().to_string())?;
        set("finalised_at", at)?;
        for table in LOCKED_TABLES {
            for operation in ["INSERT", "UPDATE", "DELETE"] {
                tx.execute_batch(&format!(
                    "CREATE TRIGGER final_{table}_{op} BEFORE {operation} ON {table}
                     BEGIN SELECT RAISE(ABORT, 'the session is finalised: it can no longer be changed'); END;",
                    op = operation.to_lowercase()
                ))?;
            }
        }
        tx.commit()?;
        self.finalisation()?.ok_or(StoreError::Empty)
    }

    /// Every item's complete history (self-score versions, proposals, flags, decisions, undos),
    /// optionally for one unit, ordered by unit, criterion and time.
    pub fn history(&self, unit_code: Option<&str>) -> Result<Vec<HistoryRow>, StoreError> {
        let unit_filter = unit_code.map(str::trim).unwrap_or("");
        if !unit_filter.is_empty() {
            self.unit_id(unit_filter)?;
        }
        let mut rows = Vec::new();
        for sql in HISTORY_QUERIES {
            let mut stmt = self.conn.prepare(sql)?;
            let mut query = stmt.query([unit_filter])?;
            while let Some(r) = query.next()? {
                rows.push(HistoryRow {
                    unit_code: r.get(0)?,
                    criterion_code: r.get(1)?,
                    at: r.get(2)?,
                    by: r.get(3)?,
                    event: r.get(4)?,
                    score: r.get(5)?,
                    text: r.get(6)?,
                });
            }
        }
        let framework = self.load_framework()?.ok_or(StoreError::Empty)?;
        let order = |code: &str| framework.find(code).unwrap_or(usize::MAX);
        // Stable: within an item, submissions and proposals come before decisions made at the same time.
        rows.sort_by(|a, b| {
            a.unit_code
                .cmp(&b.unit_code)
                .then(order(&a.criterion_code).cmp(&order(&b.criterion_code)))
                .then(a.at.cmp(&b.at))
        });
        Ok(rows)
    }
}
