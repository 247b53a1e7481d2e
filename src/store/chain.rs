//! Appending to the session's one hash chain, the session's id, and the digests of what the
//! session holds (criteria, units, submissions with their evidence, proposals, survey) that
//! imports and the finalisation write into the chain.

use super::StoreError;
use super::problems::{ContentDifference, EntryRef, UnitPart, VerifyProblem};
use crate::domain::account::{Account, Host};
use crate::domain::chain::{ChainFields, ContentHasher, FORMAT_CURRENT, GENESIS, entry_hash};
use crate::domain::members::Permission;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};

/// A new entry of the chain; unit and criterion are '' for a session-wide entry.
#[derive(Debug, Clone, Default)]
pub(super) struct NewEntry<'a> {
    pub unit_code: &'a str,
    pub criterion_code: &'a str,
    pub action: &'a str,
    pub score: &'a str,
    pub basis: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
    pub at: &'a str,
    pub content: &'a str,
}

/// Who writes: the account, and the display name asked for (`--as`), if any.
pub(super) struct Actor<'a> {
    pub account: &'a Account,
    pub name: Option<&'a str>,
}

/// Appends the entry of an import: its counts and the digest of what the session holds after
/// it (`hashed`: the rows of a first import, hashed as they were written). With a members
/// list, only the chair or the secretary imports. Returns the name it was recorded under.
pub(super) fn record_import(
    conn: &Connection,
    actor: &Actor<'_>,
    at: &str,
    (plan, hashed): (&super::ImportPlan, Option<DigestParts>),
) -> Result<String, StoreError> {
    let by = super::members::authorise_in(conn, actor.account, actor.name, Permission::Manage)?
        .or_else(|| actor.name.map(str::to_string))
        .unwrap_or_else(|| actor.account.login.clone());
    let digests = match hashed {
        Some(parts) => Digests::compute_after_first_import(conn, parts)?,
        None => Digests::compute(conn)?,
    };
    let counts = |c: &super::Counts| [c.new, c.changed, c.unchanged];
    let content = serde_json::json!({
        "plan": {
            "criteria": counts(&plan.criteria),
            "units": counts(&plan.units),
            "submissions": counts(&plan.submissions),
            "proposals": counts(&plan.proposals),
            "survey": counts(&plan.survey),
        },
        "digests": digests,
    })
    .to_string();
    append(
        conn,
        actor.account,
        &NewEntry {
            action: "import",
            by: &by,
            at,
            content: &content,
            ..Default::default()
        },
    )?;
    Ok(by)
}

/// Starts a write transaction, taking the write lock at once so that what is read inside it
/// stays true until the commit; a finalised session is refused.
pub(super) fn begin_write(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let finalised: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'finalised_at')",
        [],
        |r| r.get(0),
    )?;
    if finalised {
        return Err(StoreError::Finalised);
    }
    Ok(tx)
}

/// The session's own id (made when the session is created).
pub(super) fn session_id(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'session_id'", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default())
}

/// The last entry's number and hash; (0, GENESIS) for an empty log.
pub(super) fn head(conn: &Connection) -> Result<(i64, String), StoreError> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM decision_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends an entry, hashed with everything the chain covers, and moves the recorded head.
/// Call inside the write transaction that makes the change it records.
pub(super) fn append(
    conn: &Connection,
    account: &Account,
    entry: &NewEntry<'_>,
) -> Result<(i64, String), StoreError> {
    let session = session_id(conn)?;
    let (previous_seq, previous_hash) = head(conn)?;
    let seq = previous_seq + 1;
    let uid = account.uid.map(i64::from);
    let fields = ChainFields {
        seq,
        unit_code: entry.unit_code,
        criterion_code: entry.criterion_code,
        action: entry.action,
        score: entry.score,
        basis: entry.basis,
        reason: entry.reason,
        by: entry.by,
        at: entry.at,
        format: FORMAT_CURRENT,
        session: &session,
        login: &account.login,
        uid,
        content: entry.content,
    };
    let hash = entry_hash(&previous_hash, &fields);
    conn.execute(
        "INSERT INTO decision_log (seq, unit_code, criterion_code, action, score, basis, reason,
                                   decided_by, decided_at, prev_hash, hash, login, uid, content, format)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            seq,
            entry.unit_code,
            entry.criterion_code,
            entry.action,
            entry.score,
            entry.basis,
            entry.reason,
            entry.by,
            entry.at,
            previous_hash,
            hash,
            account.login,
            uid,
            entry.content,
            FORMAT_CURRENT
        ],
    )?;
    // The head, so that deleting the newest entries is noticed too.
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('chain_head', ?1), ('chain_seq', ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![hash, seq.to_string()],
    )?;
    Ok((seq, hash))
}

impl super::Store {
    /// Whether entry `seq` of the log has the hash `head` (entry 0: the empty log's genesis).
    pub fn has_entry(&self, seq: i64, head: &str) -> Result<bool, StoreError> {
        if seq == 0 {
            return Ok(head == GENESIS);
        }
        let hash: Option<String> = self
            .conn
            .query_row("SELECT hash FROM decision_log WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(hash.as_deref() == Some(head))
    }
}

/// Brings a database that just got the version-3 tables into the one chain: a session id,
/// and for a session that already holds data an entry with the digest of what it holds now
/// (and its finalisation, if it was finalised), so that later changes are noticed.
pub(super) fn upgrade(conn: &Connection, host: &Host) -> Result<(), StoreError> {
    let account = &host.account;
    if session_id(conn)?.is_empty() {
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('session_id', ?1)",
            [(host.new_id)()],
        )?;
    }
    let has_content: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM criteria)", [], |r| r.get(0))?;
    if !has_content {
        return Ok(());
    }
    let at = (host.now)();
    let content = serde_json::json!({
        "origin": "migration",
        "digests": Digests::compute(conn)?,
    })
    .to_string();
    append(
        conn,
        account,
        &NewEntry {
            action: "import",
            by: &account.login,
            at: &at,
            content: &content,
            ..Default::default()
        },
    )?;
    let meta = |key: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    if let Some(finalised_at) = meta("finalised_at")? {
        let open = meta("finalised_open_items")?.unwrap_or_default();
        let content = finalise_content(conn, open.parse().unwrap_or(0))?;
        append(
            conn,
            account,
            &NewEntry {
                action: "finalise",
                by: &meta("finalised_by")?.unwrap_or_default(),
                reason: &meta("finalised_reason")?.unwrap_or_default(),
                at: &finalised_at,
                content: &content,
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// What a finalisation entry holds: the open items it was forced over and the digest of the
/// session's content at that moment.
pub(super) fn finalise_content(conn: &Connection, open_items: usize) -> Result<String, StoreError> {
    Ok(serde_json::json!({
        "open_items": open_items,
        "digests": Digests::compute(conn)?,
    })
    .to_string())
}

/// Which part of a unit's rows a digest covers.
pub(super) const UNIT_PARTS: usize = 4;

/// Digests of the session's content: per criterion, per unit and part (16 hex digits each, to
/// name what changed), and a full SHA-256 over all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Digests {
    pub criteria: BTreeMap<String, String>,
    /// Unit code → digests of [its row, its submissions and self-scores with evidence, its
    /// proposals with their history, its survey points].
    pub units: BTreeMap<String, [String; UNIT_PARTS]>,
    pub total: String,
}

/// Which part of a unit each table's rows go into.
pub(super) const UNIT_ROW: usize = 0;
pub(super) const SUBMISSIONS: usize = 1;
pub(super) const PROPOSALS: usize = 2;
pub(super) const SURVEY: usize = 3;

/// The tables a digest reads: for each, the part of a unit it belongs to and a query whose
/// first column is the unit id (the rest is hashed in the order given).
const UNIT_TABLES: [(usize, &str); 6] = [
    (UNIT_ROW, "SELECT id, * FROM units ORDER BY id"),
    (SUBMISSIONS, SUBMISSION_ROWS),
    (SUBMISSIONS, SELF_SCORE_ROWS),
    (PROPOSALS, PROPOSAL_ROWS),
    (PROPOSALS, PROPOSAL_HISTORY_ROWS),
    (
        SURVEY,
        "SELECT unit_id, * FROM survey ORDER BY unit_id, criterion_id",
    ),
];
const SUBMISSION_ROWS: &str = "SELECT unit_id, * FROM submissions ORDER BY id";
const SELF_SCORE_ROWS: &str =
    "SELECT sub.unit_id, s.* FROM self_scores s LEFT JOIN submissions sub ON sub.id = s.submission_id
         ORDER BY s.submission_id, s.criterion_id";
const PROPOSAL_ROWS: &str = "SELECT unit_id, * FROM proposals ORDER BY unit_id, criterion_id";
const PROPOSAL_HISTORY_ROWS: &str = "SELECT unit_id, * FROM proposal_history ORDER BY id";

pub(super) fn hash_value(hasher: &mut ContentHasher, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => hasher.null(),
        ValueRef::Integer(i) => hasher.integer(i),
        ValueRef::Real(f) => hasher.real(f),
        ValueRef::Text(t) => hasher.text(t),
        ValueRef::Blob(b) => hasher.blob(b),
    }
}

/// Streams a query's rows into one hasher per key (`key_of` of the first column); every
/// other column is hashed with its type.
fn hash_rows<K: std::hash::Hash + Eq>(
    conn: &Connection,
    sql: &str,
    hashers: &mut HashMap<K, ContentHasher>,
    key_of: impl Fn(ValueRef<'_>) -> K,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let hasher = hashers.entry(key_of(row.get_ref(0)?)).or_default();
        for column in 1..columns {
            hash_value(hasher, row.get_ref(column)?);
        }
        hasher.end_row();
    }
    Ok(())
}

/// The first 16 hex digits, enough to name what changed; the full digest goes into `total`.
fn short(digest: &str) -> String {
    digest.get(..16).unwrap_or(digest).to_string()
}

/// The hashers of a digest being taken: per criterion code, and per unit id and part.
#[derive(Default)]
pub(super) struct DigestParts {
    criteria: HashMap<String, ContentHasher>,
    units: HashMap<(Option<i64>, usize), ContentHasher>,
}

impl DigestParts {
    /// The hasher of one part of a unit, for rows hashed as they are written: each column as
    /// the part's query reads it back ([`UNIT_TABLES`]), then `end_row`.
    pub(super) fn unit_part(&mut self, unit_id: i64, part: usize) -> &mut ContentHasher {
        self.units.entry((Some(unit_id), part)).or_default()
    }

    fn hash_tables(
        &mut self,
        conn: &Connection,
        tables: &[(usize, &str)],
    ) -> Result<(), StoreError> {
        for &(part, sql) in tables {
            hash_rows(conn, sql, &mut self.units, |v| (v.as_i64().ok(), part))?;
        }
        Ok(())
    }

    fn hash_criteria(&mut self, conn: &Connection) -> Result<(), StoreError> {
        hash_rows(
            conn,
            "SELECT code, * FROM criteria ORDER BY id",
            &mut self.criteria,
            |v| match v {
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            },
        )
    }

    /// The digests, unit parts named by the units' codes.
    fn finish(mut self, conn: &Connection) -> Result<Digests, StoreError> {
        let mut codes: HashMap<i64, String> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, code FROM units")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            codes.insert(row.get(0)?, row.get(1)?);
        }
        let mut digests = Digests::default();
        let mut total = ContentHasher::new();
        let mut sorted: Vec<(String, ContentHasher)> = self.criteria.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (code, hasher) in sorted {
            let full = hasher.finish();
            total.text(code.as_bytes());
            total.text(full.as_bytes());
            digests.criteria.insert(code, short(&full));
        }
        let units = unit_digests(&mut self.units, &codes);
        for (name, full) in units {
            total.text(name.as_bytes());
            for digest in &full {
                total.text(digest.as_bytes());
            }
            digests
                .units
                .insert(name, std::array::from_fn(|part| short(&full[part])));
        }
        digests.total = total.finish();
        Ok(digests)
    }
}

/// The full digests of every unit's parts, by the unit's code (a name made up for rows of a
/// unit that does not exist).
fn unit_digests(
    parts: &mut HashMap<(Option<i64>, usize), ContentHasher>,
    codes: &HashMap<i64, String>,
) -> BTreeMap<String, [String; UNIT_PARTS]> {
    let mut units: BTreeMap<String, [String; UNIT_PARTS]> = BTreeMap::new();
    let mut ids: Vec<Option<i64>> = parts.keys().map(|k| k.0).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let mut name = match id.and_then(|id| codes.get(&id)) {
            Some(code) => code.clone(),
            // Rows of a unit that does not exist.
            None => format!("(unit id {})", id.map_or("NULL".into(), |i| i.to_string())),
        };
        while units.contains_key(&name) {
            name.push('\'');
        }
        let full: [String; UNIT_PARTS] =
            std::array::from_fn(|part| parts.remove(&(id, part)).unwrap_or_default().finish());
        units.insert(name, full);
    }
    units
}

impl Digests {
    /// Reads every row of the content tables.
    pub(super) fn compute(conn: &Connection) -> Result<Digests, StoreError> {
        let mut parts = DigestParts::default();
        parts.hash_criteria(conn)?;
        parts.hash_tables(conn, &UNIT_TABLES)?;
        parts.finish(conn)
    }

    /// After an import into a session that held no units' rows before it: the submissions,
    /// self-scores and proposals were hashed into `parts` as they were written (in the order
    /// their queries read them back); the other tables are read.
    pub(super) fn compute_after_first_import(
        conn: &Connection,
        mut parts: DigestParts,
    ) -> Result<Digests, StoreError> {
        parts.hash_criteria(conn)?;
        let written_as_hashed = [SUBMISSION_ROWS, SELF_SCORE_ROWS, PROPOSAL_ROWS];
        let others: Vec<(usize, &str)> = (UNIT_TABLES.iter())
            .filter(|(_, sql)| !written_as_hashed.contains(sql))
            .copied()
            .collect();
        parts.hash_tables(conn, &others)?;
        parts.finish(conn)
    }

    /// What differs between the digests recorded (`self`) and those of the tables now, one
    /// problem each; `entry` is the entry that recorded them.
    pub(super) fn differences(&self, now: &Digests, entry: &EntryRef) -> Vec<VerifyProblem> {
        self.content_differences(now)
            .into_iter()
            .map(|difference| VerifyProblem::ContentDiffers {
                difference,
                entry: entry.clone(),
            })
            .collect()
    }

    fn content_differences(&self, now: &Digests) -> Vec<ContentDifference> {
        let mut problems = Vec::new();
        let compare =
            |recorded: Option<&String>, current: Option<&String>| match (recorded, current) {
                (Some(a), Some(b)) if a == b => None,
                (Some(_), Some(_)) => Some(0),
                (Some(_), None) => Some(1),
                (None, Some(_)) => Some(2),
                (None, None) => None,
            };
        let mut codes: Vec<&String> = self.criteria.keys().chain(now.criteria.keys()).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let what = compare(self.criteria.get(code), now.criteria.get(code));
            if let Some(kind) = what {
                problems.push(criterion_difference(code, kind));
            }
        }
        let mut units: Vec<&String> = self.units.keys().chain(now.units.keys()).collect();
        units.sort();
        units.dedup();
        for unit in units {
            for part in 0..UNIT_PARTS {
                let recorded = self.units.get(unit).map(|p| &p[part]);
                let current = now.units.get(unit).map(|p| &p[part]);
                if let Some(kind) = compare(recorded, current) {
                    problems.push(unit_difference(unit, part, kind));
                    if kind != 0 {
                        break;
                    }
                }
            }
        }
        if problems.is_empty() && self.total != now.total {
            problems.push(ContentDifference::Total);
        }
        problems
    }
}

/// kind: 0 changed, 1 removed, 2 added.
fn criterion_difference(code: &str, kind: u8) -> ContentDifference {
    let code = code.to_string();
    match kind {
        0 => ContentDifference::CriterionChanged(code),
        1 => ContentDifference::CriterionRemoved(code),
        _ => ContentDifference::CriterionAdded(code),
    }
}

fn unit_difference(unit: &str, part: usize, kind: u8) -> ContentDifference {
    let unit = unit.to_string();
    match kind {
        1 => ContentDifference::UnitRemoved(unit),
        2 => ContentDifference::UnitAdded(unit),
        _ => ContentDifference::Unit {
            unit,
            part: match part {
                0 => UnitPart::Identity,
                1 => UnitPart::Submissions,
                2 => UnitPart::Proposals,
                _ => UnitPart::Survey,
            },
        },
    }
}
