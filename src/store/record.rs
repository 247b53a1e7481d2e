//! The final record: verifying the chain and everything derived from it, finalising (locking)
//! the session, and the full history of every item.

use super::chain::{self, Digests, NewEntry};
use super::load::decimal;
use super::problems::{DecisionDifference, EntryRef, SessionEntry, StateField, VerifyProblem};
use super::{Rejection, Store, StoreError};
use crate::domain::chain::{ChainFields, GENESIS, entry_hash};
use crate::domain::members::Permission;
use crate::domain::session::fold_decisions;
use crate::domain::settings::Settings;
use crate::domain::{DecisionAction, DecisionRecord, format_dot};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

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
    "settings",
    "members",
];

const LOCKED_OPERATIONS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn lock_trigger(table: &str, operation: &str) -> String {
    format!("final_{table}_{}", operation.to_lowercase())
}

/// Creates the triggers that refuse every change to a finalised session.
pub(super) fn lock(conn: &Connection) -> Result<(), StoreError> {
    for table in LOCKED_TABLES {
        for operation in LOCKED_OPERATIONS {
            conn.execute_batch(&format!(
                "CREATE TRIGGER IF NOT EXISTS {} BEFORE {operation} ON {table}
                 BEGIN SELECT RAISE(ABORT, 'the session is finalised: it can no longer be changed'); END;",
                lock_trigger(table, operation)
            ))?;
        }
    }
    Ok(())
}

/// Drops the lock of a finalised session (for a schema migration, which locks it again);
/// returns whether the session is finalised.
pub(super) fn unlock(conn: &Connection) -> Result<bool, StoreError> {
    let finalised: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'finalised_at')",
        [],
        |r| r.get(0),
    )?;
    if finalised {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'final\\_%' ESCAPE '\\'",
        )?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        for name in names {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS \"{name}\""))?;
        }
    }
    Ok(finalised)
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: usize,
    pub head_hash: String,
    pub session_id: String,
    /// Entry n's hash at index n − 1 ("" for an entry that is missing), to check heads seen
    /// elsewhere against.
    pub hashes: Vec<String>,
    /// Each problem: which entry was altered, which are missing, what disagrees.
    pub problems: Vec<VerifyProblem>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }

    /// The entry whose hash is `head`, if the chain has one.
    pub fn entry_with_hash(&self, head: &str) -> Option<usize> {
        let head = head.trim().to_ascii_lowercase();
        self.hashes.iter().position(|h| *h == head).map(|i| i + 1)
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
    /// The operating-system account that finalised it ("" before schema 3).
    pub login: String,
    pub reason: String,
    pub head_hash: String,
    pub entries: i64,
    pub session_id: String,
}

/// One line of an item's complete history, or of the session's (unit and criterion "").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryRow {
    pub unit_code: String,
    pub criterion_code: String,
    pub at: String,
    pub by: String,
    /// The operating-system account that wrote the entry ("" for imported rows and old entries).
    pub login: String,
    /// submission / proposal / decide / undo / redo / flag / unflag / import / configure /
    /// member / finalise
    pub event: String,
    pub score: String,
    /// The note, reason or evidence of an item's event; a session entry's reason.
    pub text: String,
    /// What a session-wide entry did (None for an item's events).
    #[serde(skip)]
    pub session: Option<SessionEntry>,
}

/// One entry of the log as stored.
#[derive(Debug, Clone, Default)]
struct LoggedEntry {
    seq: i64,
    unit: String,
    criterion: String,
    action: String,
    score: String,
    basis: String,
    reason: String,
    by: String,
    at: String,
    login: String,
    uid: Option<i64>,
    content: String,
    format: i64,
    prev_hash: String,
    hash: String,
}

const ENTRY_COLUMNS: &str =
    "seq, unit_code, criterion_code, action, score, basis, reason, decided_by,
    decided_at, login, uid, content, format, prev_hash, hash";

fn read_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<LoggedEntry> {
    Ok(LoggedEntry {
        seq: row.get(0)?,
        unit: row.get(1)?,
        criterion: row.get(2)?,
        action: row.get(3)?,
        score: row.get(4)?,
        basis: row.get(5)?,
        reason: row.get(6)?,
        by: row.get(7)?,
        at: row.get(8)?,
        login: row.get(9)?,
        uid: row.get(10)?,
        content: row.get(11)?,
        format: row.get(12)?,
        prev_hash: row.get(13)?,
        hash: row.get(14)?,
    })
}

/// An entry kind in words, in the message language.
impl LoggedEntry {
    fn fields<'a>(&'a self, session: &'a str) -> ChainFields<'a> {
        ChainFields {
            seq: self.seq,
            unit_code: &self.unit,
            criterion_code: &self.criterion,
            action: &self.action,
            score: &self.score,
            basis: &self.basis,
            reason: &self.reason,
            by: &self.by,
            at: &self.at,
            format: self.format,
            session: if self.format == crate::domain::chain::FORMAT_LEGACY {
                ""
            } else {
                session
            },
            login: &self.login,
            uid: self.uid,
            content: &self.content,
        }
    }

    /// The entry as a problem names it.
    fn describe(&self) -> EntryRef {
        EntryRef {
            seq: self.seq,
            unit: self.unit.clone(),
            criterion: self.criterion.clone(),
            action: self.action.clone(),
            by: self.by.clone(),
            at: self.at.clone(),
        }
    }

    fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.content).ok()
    }
}

/// A decision entry of an item, with the basis it was made on.
struct ItemEntry {
    seq: i64,
    basis: String,
    record: DecisionRecord,
}

/// What the chain says the session must hold.
#[derive(Default)]
struct Expected {
    items: BTreeMap<(String, String), Vec<ItemEntry>>,
    /// The latest entry that recorded the session's content, and its digests.
    content: Option<(EntryRef, Digests)>,
    settings: Settings,
    /// login → (name, role)
    members: BTreeMap<String, (String, String)>,
    finalise: Option<LoggedEntry>,
    after_finalise: Vec<i64>,
}

/// At most this many lines of one kind, then a count.
const MAX_LINES: usize = 20;

/// An entry's number against the one expected next: entries missing, or out of order.
fn check_position(report: &mut VerifyReport, seq: i64, next: i64) {
    if seq > next {
        let last = seq - 1;
        report.problems.push(VerifyProblem::Missing {
            from: next,
            to: last,
        });
        report.hashes.resize(last as usize, String::new());
    } else if seq < next {
        report.problems.push(VerifyProblem::OutOfOrder(seq));
    }
}

/// An entry's link to the one before it, and its own hash (the first altered entries named,
/// the rest counted in `altered`).
fn check_link(report: &mut VerifyReport, entry: &LoggedEntry, previous: &str, altered: &mut usize) {
    if entry.prev_hash != previous {
        report.problems.push(VerifyProblem::Unlinked {
            seq: entry.seq,
            unit: entry.unit.clone(),
            criterion: entry.criterion.clone(),
        });
    }
    if entry_hash(&entry.prev_hash, &entry.fields(&report.session_id)) != entry.hash {
        *altered += 1;
        if *altered <= MAX_LINES {
            report
                .problems
                .push(VerifyProblem::Altered(entry.describe()));
        }
    }
}

/// How an item's stored state differs from what its log entries make it; None when it does
/// not.
fn state_difference(
    here: Option<&StateRow>,
    log: Option<&Vec<ItemEntry>>,
) -> Option<DecisionDifference> {
    Some(match (here, log) {
        (Some(here), Some(log)) => {
            let logged = expected_state(log);
            if *here == logged {
                return None;
            }
            DecisionDifference::Fields(state_differences(here, &logged))
        }
        (None, Some(log)) => DecisionDifference::RowMissing {
            logged: expected_state(log).council,
        },
        (Some(_), None) => DecisionDifference::NotInLog,
        (None, None) => return None,
    })
}

/// The action of an entry about one item (a decision, undo, redo or flag); None for a
/// session-wide entry, and for a decision whose score cannot be read.
fn item_action(entry: &LoggedEntry) -> Option<DecisionAction> {
    match entry.action.as_str() {
        "decide" => decimal(&entry.score)
            .map(|score| DecisionAction::Decide {
                score,
                reason: entry.reason.clone(),
            })
            .ok(),
        "undo" => Some(DecisionAction::Undo),
        "redo" => Some(DecisionAction::Redo),
        "flag" => Some(DecisionAction::Flag { on: true }),
        "unflag" => Some(DecisionAction::Flag { on: false }),
        _ => None,
    }
}

impl Expected {
    /// Folds one entry in; what cannot be read is a problem.
    fn take(&mut self, entry: LoggedEntry, problems: &mut Vec<VerifyProblem>) {
        if self.finalise.is_some() {
            self.after_finalise.push(entry.seq);
        }
        if let Some(action) = item_action(&entry) {
            self.take_item_entry(&entry, action);
            return;
        }
        let json = entry.json();
        let ok = match entry.action.as_str() {
            "import" | "finalise" => self.take_content(&entry, json.as_ref()),
            "configure" => json
                .as_ref()
                .and_then(|j| {
                    serde_json::from_value::<Vec<(String, Option<String>)>>(
                        j.get("changes")?.clone(),
                    )
                    .ok()
                })
                .map(|changes| self.settings.apply(&changes))
                .is_some(),
            "member" => json.as_ref().is_some_and(|j| self.take_member(j)),
            other => {
                problems.push(VerifyProblem::UnknownKind {
                    seq: entry.seq,
                    kind: other.to_string(),
                });
                true
            }
        };
        if !ok {
            problems.push(VerifyProblem::Unreadable(entry.describe()));
        }
    }

    /// An entry about one item, in the item's list.
    fn take_item_entry(&mut self, entry: &LoggedEntry, action: DecisionAction) {
        let record = DecisionRecord {
            action,
            by: entry.by.clone(),
            login: entry.login.clone(),
            at: entry.at.clone(),
        };
        self.items
            .entry((entry.unit.clone(), entry.criterion.clone()))
            .or_default()
            .push(ItemEntry {
                seq: entry.seq,
                basis: entry.basis.clone(),
                record,
            });
    }

    /// An import or finalisation: the digests of the content it recorded; false when there
    /// are none to read.
    fn take_content(&mut self, entry: &LoggedEntry, json: Option<&serde_json::Value>) -> bool {
        let digests =
            json.and_then(|j| serde_json::from_value::<Digests>(j.get("digests")?.clone()).ok());
        if let Some(digests) = &digests {
            self.content = Some((entry.describe(), digests.clone()));
        }
        if entry.action == "finalise" {
            self.finalise = Some(entry.clone());
        }
        digests.is_some()
    }

    fn take_member(&mut self, change: &serde_json::Value) -> bool {
        let text = |key: &str| change.get(key).and_then(|v| v.as_str()).map(str::to_string);
        match (text("op").as_deref(), text("login")) {
            (Some("add"), Some(login)) => {
                let (Some(name), Some(role)) = (text("name"), text("role")) else {
                    return false;
                };
                self.members.insert(login, (name, role));
                true
            }
            (Some("remove"), Some(login)) => {
                self.members.remove(&login);
                true
            }
            _ => false,
        }
    }
}

/// The current-decision row an item's log entries lead to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct StateRow {
    council: Option<String>,
    basis: Option<String>,
    reason: String,
    by: String,
    login: String,
    at: String,
    flagged: bool,
    log_seq: i64,
}

fn expected_state(entries: &[ItemEntry]) -> StateRow {
    let records: Vec<DecisionRecord> = entries.iter().map(|e| e.record.clone()).collect();
    let fold = fold_decisions(&records);
    let mut row = StateRow {
        flagged: fold.flagged,
        log_seq: entries.last().map_or(0, |e| e.seq),
        ..Default::default()
    };
    if let Some(i) = fold.in_force
        && let DecisionAction::Decide { score, reason } = &records[i].action
    {
        row.council = Some(format_dot(*score));
        row.basis = Some(entries[i].basis.clone());
        row.reason = reason.trim().to_string();
        row.by = records[i].by.clone();
        row.login = records[i].login.clone();
        row.at = records[i].at.clone();
    }
    row
}

/// Which fields of a current-decision row disagree with the log.
fn state_differences(here: &StateRow, logged: &StateRow) -> Vec<StateField> {
    let mut fields = Vec::new();
    if here.council != logged.council {
        fields.push(StateField::Score {
            here: here.council.clone(),
            logged: logged.council.clone(),
        });
    }
    let checks = [
        (here.reason != logged.reason, StateField::Reason),
        (
            here.by != logged.by || here.login != logged.login,
            StateField::Who,
        ),
        (here.at != logged.at, StateField::Time),
        (here.basis != logged.basis, StateField::Basis),
        (here.flagged != logged.flagged, StateField::Flag),
        (here.log_seq != logged.log_seq, StateField::LatestEntry),
    ];
    fields.extend(
        checks
            .into_iter()
            .filter(|(differs, _)| *differs)
            .map(|(_, field)| field),
    );
    fields
}

impl Store {
    /// Recomputes the chain and, from it and the tables, the current decisions, the session's
    /// content (criteria, units, submissions, evidence, proposals, survey), its settings, its
    /// members and whether it is finalised; names every entry and row that disagrees.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport {
            head_hash: GENESIS.to_string(),
            session_id: chain::session_id(&self.conn)?,
            ..Default::default()
        };
        let expected = self.verify_chain(&mut report)?;
        self.check_recorded_head(&mut report)?;
        self.check_decisions(&expected, &mut report)?;
        self.check_content(&expected, &mut report)?;
        self.check_settings_and_members(&expected, &mut report)?;
        self.check_finalisation(&expected, &mut report)?;
        Ok(report)
    }

    /// The chain itself: order, links and hashes.
    fn verify_chain(&self, report: &mut VerifyReport) -> Result<Expected, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM decision_log ORDER BY seq"
        ))?;
        let mut rows = stmt.query([])?;
        let mut expected = Expected::default();
        let mut previous = GENESIS.to_string();
        let mut altered = 0usize;
        while let Some(row) = rows.next()? {
            let entry = read_entry(row)?;
            let seq = entry.seq;
            let next = report.hashes.len() as i64 + 1;
            check_position(report, seq, next);
            check_link(report, &entry, &previous, &mut altered);
            previous = entry.hash.clone();
            if seq >= next {
                report.hashes.push(entry.hash.clone());
            }
            report.entries += 1;
            expected.take(entry, &mut report.problems);
        }
        if altered > MAX_LINES {
            report
                .problems
                .push(VerifyProblem::MoreAltered(altered - MAX_LINES));
        }
        report.head_hash = previous;
        Ok(expected)
    }

    /// The head the session recorded with its last write must be the chain's last entry.
    fn check_recorded_head(&self, report: &mut VerifyReport) -> Result<(), StoreError> {
        let recorded: Option<(String, String)> = self.conn.query_row(
            "SELECT (SELECT value FROM meta WHERE key = 'chain_seq'), (SELECT value FROM meta WHERE key = 'chain_head')",
            [],
            |r| Ok(Option::zip(r.get(0)?, r.get(1)?)),
        )?;
        let last = report.hashes.len();
        match recorded {
            None if last > 0 => report.problems.push(VerifyProblem::HeadForgotten { last }),
            None => {}
            Some((seq, _)) if seq != last.to_string() => {
                report.problems.push(VerifyProblem::HeadCount {
                    last,
                    recorded: seq,
                });
            }
            Some((_, head)) if head != report.head_hash => {
                report.problems.push(VerifyProblem::HeadReplaced { last })
            }
            Some(_) => {}
        }
        Ok(())
    }
}

impl Store {
    /// The current decisions must be what the log says, item by item.
    fn check_decisions(
        &self,
        expected: &Expected,
        report: &mut VerifyReport,
    ) -> Result<(), StoreError> {
        let state = self.decision_states()?;
        let mut keys: Vec<&(String, String)> = expected.items.keys().chain(state.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut lines = Vec::new();
        for key in keys {
            let Some(difference) = state_difference(state.get(key), expected.items.get(key)) else {
                continue;
            };
            lines.push(VerifyProblem::DecisionDiffers {
                unit: key.0.clone(),
                criterion: key.1.clone(),
                difference,
            });
        }
        push_capped(&mut report.problems, lines);
        Ok(())
    }

    /// The stored decision state of every item, by unit and criterion code.
    fn decision_states(&self) -> Result<BTreeMap<(String, String), StateRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT u.code, c.code, d.council, d.basis, d.reason, d.decided_by, d.decided_login,
                    d.decided_at, d.flagged, d.log_seq
             FROM decision_state d
             LEFT JOIN units u ON u.id = d.unit_id LEFT JOIN criteria c ON c.id = d.criterion_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut state: BTreeMap<(String, String), StateRow> = BTreeMap::new();
        while let Some(row) = rows.next()? {
            let key = (
                row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                row.get::<_, Option<String>>(1)?.unwrap_or_default(),
            );
            state.insert(
                key,
                StateRow {
                    council: row.get(2)?,
                    basis: row.get(3)?,
                    reason: row.get(4)?,
                    by: row.get(5)?,
                    login: row.get(6)?,
                    at: row.get(7)?,
                    flagged: row.get(8)?,
                    log_seq: row.get(9)?,
                },
            );
        }
        Ok(state)
    }

    /// The criteria, units, submissions, evidence, proposals and survey must be what the last
    /// import (or the finalisation) recorded.
    fn check_content(
        &self,
        expected: &Expected,
        report: &mut VerifyReport,
    ) -> Result<(), StoreError> {
        let now = Digests::compute(&self.conn)?;
        match &expected.content {
            Some((entry, recorded)) => {
                push_capped(&mut report.problems, recorded.differences(&now, entry));
            }
            None if !now.criteria.is_empty() || !now.units.is_empty() => {
                report.problems.push(VerifyProblem::ContentOutsideLog);
            }
            None => {}
        }
        Ok(())
    }

    fn check_settings_and_members(
        &self,
        expected: &Expected,
        report: &mut VerifyReport,
    ) -> Result<(), StoreError> {
        let settings = self.settings()?;
        let mut keys: Vec<&String> = settings
            .0
            .keys()
            .chain(expected.settings.0.keys())
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (here, logged) = (settings.get(key), expected.settings.get(key));
            if here != logged {
                report.problems.push(VerifyProblem::SettingDiffers {
                    key: key.clone(),
                    here: here.map(str::to_string),
                    logged: logged.map(str::to_string),
                });
            }
        }
        let members: BTreeMap<String, (String, String)> = self
            .members()?
            .into_iter()
            .map(|m| (m.login, (m.name, m.role.as_str().to_string())))
            .collect();
        let mut logins: Vec<&String> = members.keys().chain(expected.members.keys()).collect();
        logins.sort();
        logins.dedup();
        for login in logins {
            if members.get(login) != expected.members.get(login) {
                report
                    .problems
                    .push(VerifyProblem::MemberDiffers(login.clone()));
            }
        }
        Ok(())
    }

    /// A finalisation in the log must still lock the session; none may appear outside it.
    fn check_finalisation(
        &self,
        expected: &Expected,
        report: &mut VerifyReport,
    ) -> Result<(), StoreError> {
        let meta = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(self
                .conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?)
        };
        let missing = self.missing_locks()?;
        let Some(entry) = &expected.finalise else {
            if meta("finalised_at")?.is_some() || missing.len() < LOCKED_TABLES.len() {
                report.problems.push(VerifyProblem::FinalisedOutside);
            }
            return Ok(());
        };
        let what = entry.describe();
        let recorded = (
            meta("finalised_at")?,
            meta("finalised_by")?,
            meta("finalised_reason")?,
        );
        if recorded.0.is_none() {
            report
                .problems
                .push(VerifyProblem::Unfinalised(what.clone()));
        } else if recorded
            != (
                Some(entry.at.clone()),
                Some(entry.by.clone()),
                Some(entry.reason.clone()),
            )
        {
            report
                .problems
                .push(VerifyProblem::FinalisationDiffers(what.clone()));
        }
        if !missing.is_empty() {
            report.problems.push(VerifyProblem::LockRemoved {
                tables: missing,
                entry: what.clone(),
            });
        }
        if let Some(&first) = expected.after_finalise.first() {
            report
                .problems
                .push(VerifyProblem::AddedAfterFinalise { first, entry: what });
        }
        Ok(())
    }

    /// Tables of the lock whose triggers are not all there, each named once.
    fn missing_locks(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?;
        let present = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<std::collections::HashSet<_>, _>>()?;
        Ok(LOCKED_TABLES
            .iter()
            .filter(|table| {
                LOCKED_OPERATIONS
                    .iter()
                    .any(|op| !present.contains(&lock_trigger(table, op)))
            })
            .map(|t| t.to_string())
            .collect())
    }
}

/// Adds lines, at most [`MAX_LINES`] of them, then a count of the rest.
fn push_capped(problems: &mut Vec<VerifyProblem>, lines: Vec<VerifyProblem>) {
    let total = lines.len();
    problems.extend(lines.into_iter().take(MAX_LINES));
    if total > MAX_LINES {
        problems.push(VerifyProblem::MoreLikeIt(total - MAX_LINES));
    }
}

/// The history's sources, each as (unit, criterion, at, by, login, event, score, text,
/// content) for one unit code ('' for all, the session's own entries included): self-score
/// versions, proposals, then the log. Read in this order so that the stable sort puts
/// submissions and proposals before decisions of the same time.
const HISTORY_QUERIES: [&str; 3] = [
    "SELECT u.code, c.code, sub.imported_at, '', '', 'submission', COALESCE(s.score, ''),
            'v' || sub.version || ': ' || s.note, ''
     FROM self_scores s
     JOIN submissions sub ON sub.id = s.submission_id JOIN units u ON u.id = sub.unit_id
     JOIN criteria c ON c.id = s.criterion_id
     WHERE (?1 = '' OR u.code = ?1) AND (s.changed = 1 OR sub.version = 1)",
    "SELECT u.code, c.code, p.imported_at, '', '', 'proposal', p.score, p.note, '' FROM
       (SELECT unit_id, criterion_id, imported_at, score, note FROM proposal_history
        UNION ALL SELECT unit_id, criterion_id, imported_at, score, note FROM proposals) p
     JOIN units u ON u.id = p.unit_id JOIN criteria c ON c.id = p.criterion_id
     WHERE (?1 = '' OR u.code = ?1)",
    "SELECT unit_code, criterion_code, decided_at, decided_by, login, action, score, reason, content
     FROM decision_log WHERE (?1 = '' OR unit_code = ?1) ORDER BY seq",
];

/// What a session-wide entry of the history did, read from its content.
fn session_entry(event: &str, reason: &str, content: &str) -> SessionEntry {
    let json: serde_json::Value = serde_json::from_str(content).unwrap_or_default();
    match event {
        "import" if json_text(&json, "origin") == "migration" => SessionEntry::Migration,
        "import" => SessionEntry::Import(import_counts(&json)),
        "configure" => SessionEntry::Configure(configure_changes(&json)),
        "member" => member_change(&json),
        _ => SessionEntry::Reason {
            reason: reason.to_string(),
            open: json.get("open_items").and_then(|x| x.as_u64()).unwrap_or(0),
        },
    }
}

fn json_text(value: &serde_json::Value, key: &str) -> String {
    value
        .get(key)
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string()
}

/// An import's (new, changed) counts: criteria, units, submissions, proposals, survey.
fn import_counts(json: &serde_json::Value) -> [(u64, u64); 5] {
    ["criteria", "units", "submissions", "proposals", "survey"].map(|key| {
        let c = json.get("plan").and_then(|p| p.get(key));
        let n = |i: usize| {
            c.and_then(|c| c.get(i))
                .and_then(|x| x.as_u64())
                .unwrap_or(0)
        };
        (n(0), n(1))
    })
}

/// A configure entry's changes: a key set to a value, or removed.
fn configure_changes(json: &serde_json::Value) -> Vec<(String, Option<String>)> {
    let changes = json.get("changes").and_then(|c| c.as_array());
    changes
        .into_iter()
        .flatten()
        .map(|c| {
            let key = c.get(0).and_then(|k| k.as_str()).unwrap_or("");
            let value = c.get(1).and_then(|v| v.as_str()).map(str::to_string);
            (key.to_string(), value)
        })
        .collect()
}

/// A member added (with their name and role) or removed.
fn member_change(json: &serde_json::Value) -> SessionEntry {
    let login = json_text(json, "login");
    if json_text(json, "op") != "add" {
        return SessionEntry::MemberRemoved(login);
    }
    SessionEntry::MemberAdded {
        login,
        name: json_text(json, "name"),
        role: crate::domain::members::Role::parse(&json_text(json, "role")),
    }
}

impl Store {
    /// Items that are still disputed (or hold an invalid self-score) and undecided.
    pub fn open_disputes(&self) -> Result<Vec<OpenItem>, StoreError> {
        let session = self.load_session()?.ok_or(StoreError::Empty)?;
        let mut open = Vec::new();
        for (u, unit) in session.units.iter().enumerate() {
            for (leaf, item) in session.unit_items(u).iter().enumerate() {
                // An invalid self-score counts as disputed until the council decides it.
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
            Ok(self
                .conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?)
        };
        let Some(at) = value("finalised_at")? else {
            return Ok(None);
        };
        let login: Option<String> = self
            .conn
            .query_row(
                "SELECT login FROM decision_log WHERE action = 'finalise' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Some(Finalisation {
            at,
            by: value("finalised_by")?.unwrap_or_default(),
            login: login.unwrap_or_default(),
            reason: value("finalised_reason")?.unwrap_or_default(),
            head_hash: value("chain_head")?.unwrap_or_else(|| GENESIS.to_string()),
            entries: value("chain_seq")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            session_id: chain::session_id(&self.conn)?,
        }))
    }

    /// Locks the session. Refuses while items are disputed and undecided unless `force_reason`
    /// says why; with a members list, only the chair or the secretary finalises. The
    /// finalisation enters the chain with a digest of the session's content; then every
    /// later write is refused by triggers in the database.
    pub fn finalize(
        &mut self,
        by: &str,
        at: &str,
        force_reason: Option<&str>,
    ) -> Result<Finalisation, StoreError> {
        if self.finalisation()?.is_some() {
            return Err(StoreError::Finalised);
        }
        let by = self
            .authorise(Some(by), Permission::Manage)?
            .unwrap_or_else(|| by.to_string());
        let report = self.verify()?;
        if !report.is_intact() {
            return Err(Rejection::DoesNotVerify(report.problems).into());
        }
        let open = self.open_disputes()?;
        let reason = force_reason.map(str::trim).unwrap_or_default();
        if !open.is_empty() && reason.is_empty() {
            return Err(StoreError::OpenDisputes(open));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let content = chain::finalise_content(&tx, open.len())?;
        chain::append(
            &tx,
            &self.account,
            &NewEntry {
                action: "finalise",
                by: &by,
                reason,
                at,
                content: &content,
                ..Default::default()
            },
        )?;
        let set = |key: &str, value: &str| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
        };
        set("finalised_by", &by)?;
        set("finalised_reason", reason)?;
        set("finalised_open_items", &open.len().to_string())?;
        set("finalised_at", at)?;
        lock(&tx)?;
        tx.commit()?;
        self.finalisation()?.ok_or(StoreError::Empty)
    }

    /// Every item's complete history (self-score versions, proposals, flags, decisions, undos)
    /// and, without a unit, the session's own entries (imports, settings, members, the
    /// finalisation), ordered by unit, criterion and time.
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
                let unit_code: String = r.get(0)?;
                let event: String = r.get(5)?;
                let text: String = r.get(7)?;
                let session = if unit_code.is_empty() {
                    Some(session_entry(&event, &text, r.get_ref(8)?.as_str()?))
                } else {
                    None
                };
                rows.push(HistoryRow {
                    unit_code,
                    criterion_code: r.get(1)?,
                    at: r.get(2)?,
                    by: r.get(3)?,
                    login: r.get(4)?,
                    event,
                    score: r.get(6)?,
                    text,
                    session,
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
                .then(crate::domain::time::order(&a.at, &b.at))
        });
        Ok(rows)
    }
}
