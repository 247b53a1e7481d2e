//! Writing an import batch: all or nothing, earlier submissions kept as versions.

use super::load::{decimal, evidence_from_json, evidence_to_json, read_criteria};
use super::{Counts, ImportPlan, Store, StoreError};
use crate::domain::account::Host;
use crate::domain::import::{ImportBatch, SelfScoreRow};
use crate::domain::{CriterionDef, Evidence, Framework, format_dot};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// One item of a unit's current submission, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StoredItem {
    score: Option<Decimal>,
    note: String,
    evidence: Vec<Evidence>,
}

/// What the store decided to do with one unit's submitted rows.
enum SubmissionChange {
    New,
    Changed,
    Unchanged,
}

impl Store {
    /// What importing the batch would change, without writing.
    pub fn plan_import(&self, batch: &ImportBatch) -> Result<ImportPlan, StoreError> {
        plan(&self.conn, batch)
    }

    /// Imports the batch in one transaction: all or nothing.
    pub fn apply_import(
        &mut self,
        batch: &ImportBatch,
        at: &str,
    ) -> Result<ImportPlan, StoreError> {
        // A bulk load: sync once at commit rather than per page, then back to FULL for decisions.
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        let actor = super::chain::Actor {
            account: &self.account,
            name: self.actor_name.as_deref(),
        };
        let result = apply(&mut self.conn, batch, at, &actor);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if result.is_ok() {
            // Make the import durable before reporting success.
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        result
    }
}

impl Store {
    /// Creates a new session database from a batch. The file is built beside its final place
    /// without a journal (nothing else can see it yet) and renamed into place only when the
    /// import is complete, so a failed or killed import leaves no database at all.
    pub fn import_new(
        path: &Path,
        batch: &ImportBatch,
        at: &str,
        host: Host,
    ) -> Result<(Store, ImportPlan), StoreError> {
        Store::import_new_by(path, batch, at, None, host)
    }

    /// As [`Store::import_new`], the import recorded under `by` (default: the login).
    pub fn import_new_by(
        path: &Path,
        batch: &ImportBatch,
        at: &str,
        by: Option<&str>,
        host: Host,
    ) -> Result<(Store, ImportPlan), StoreError> {
        if path.exists() {
            return Err(StoreError::Rejected(crate::domain::text::tr(
                format!("{} already exists", path.display()),
                format!("{} đã có", path.display()),
            )));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "council.db".into());
        let temp = path.with_file_name(format!(".{name}.importing-{}", std::process::id()));
        let remove_temp = || {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
            }
        };
        remove_temp();
        let built = build_new(&temp, batch, at, by, &host).map_err(|error| match error {
            // Name the database the user asked for, not the file it is built in.
            StoreError::Unavailable { reason, .. } => StoreError::Unavailable {
                path: path.to_path_buf(),
                reason,
            },
            other => other,
        });
        let placed = built.and_then(|plan| {
            // A hard link never replaces an existing file, unlike rename.
            std::fs::hard_link(&temp, path).map_err(|e| StoreError::Unavailable {
                path: path.to_path_buf(),
                reason: crate::domain::text::tr(
                    format!("cannot create the database: {e}"),
                    format!("không tạo được cơ sở dữ liệu: {e}"),
                ),
            })?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
                && let Ok(dir) = std::fs::File::open(parent)
            {
                let _ = dir.sync_all();
            }
            Ok(plan)
        });
        remove_temp();
        let plan = placed?;
        Ok((Store::open_existing(path, host)?, plan))
    }
}

fn build_new(
    temp: &Path,
    batch: &ImportBatch,
    at: &str,
    by: Option<&str>,
    host: &Host,
) -> Result<ImportPlan, StoreError> {
    let fail = |e: rusqlite::Error| StoreError::Unavailable {
        path: temp.to_path_buf(),
        reason: e.to_string(),
    };
    let mut conn = Connection::open(temp).map_err(fail)?;
    // Larger pages: fewer B-tree splits on a bulk load of long rows.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -262_144)?;
    for script in super::MIGRATIONS {
        conn.execute_batch(script)?;
    }
    let account = &host.account;
    super::chain::upgrade(&conn, host)?;
    conn.pragma_update(None, "user_version", super::SCHEMA_VERSION)?;
    let actor = super::chain::Actor { account, name: by };
    let plan = apply(&mut conn, batch, at, &actor)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.close().map_err(|(_, e)| fail(e))?;
    let io = |e: std::io::Error| StoreError::Unavailable {
        path: temp.to_path_buf(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(temp).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(plan)
}

/// Inserts rows many at a time: one multi-row INSERT per chunk saves most of SQLite's
/// per-statement cost on a bulk import.
struct BulkInsert<'c> {
    conn: &'c Connection,
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<rusqlite::types::Value>,
}

impl<'c> BulkInsert<'c> {
    const ROWS: usize = 64;

    fn new(
        conn: &'c Connection,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> BulkInsert<'c> {
        BulkInsert {
            conn,
            table,
            columns,
            values: Vec::with_capacity(columns.len() * Self::ROWS),
        }
    }

    fn push(
        &mut self,
        row: impl IntoIterator<Item = rusqlite::types::Value>,
    ) -> Result<(), StoreError> {
        self.values.extend(row);
        if self.values.len() >= self.columns.len() * Self::ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let rows = self.values.len() / self.columns.len();
        if rows == 0 {
            return Ok(());
        }
        let placeholders = format!("({})", vec!["?"; self.columns.len()].join(", "));
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.table,
            self.columns.join(", "),
            vec![placeholders.as_str(); rows].join(", ")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(self.values.drain(..)))?;
        Ok(())
    }
}

fn text(value: impl Into<String>) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(value.into())
}

fn optional_text(value: Option<String>) -> rusqlite::types::Value {
    value.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)
}

fn finalised(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'finalised_at')",
        [],
        |r| r.get(0),
    )?)
}

/// The framework the batch is checked against: the session's, else the batch's own.
fn criteria_plan(
    conn: &Connection,
    batch: &ImportBatch,
) -> Result<(Counts, Option<Framework>), StoreError> {
    let stored = read_criteria(conn)?;
    let mut counts = Counts::default();
    match (&batch.framework, stored.is_empty()) {
        (None, true) => Err(StoreError::Empty),
        (None, false) => Ok((counts, Framework::build(stored).ok())),
        (Some(framework), true) => {
            counts.new = framework.nodes().len();
            Ok((counts, Some(framework.clone())))
        }
        (Some(framework), false) => {
            let incoming: Vec<&CriterionDef> = framework.defs().collect();
            let same_structure = incoming.len() == stored.len()
                && incoming.iter().zip(&stored).all(|(a, b)| {
                    a.code == b.code
                        && a.max_points == b.max_points
                        && a.min_points == b.min_points
                        && a.step == b.step
                        && a.kind == b.kind
                });
            if !same_structure {
                let differing = incoming
                    .iter()
                    .find(|a| {
                        !stored.iter().any(|b| {
                            a.code == b.code
                                && a.max_points == b.max_points
                                && a.min_points == b.min_points
                                && a.step == b.step
                                && a.kind == b.kind
                        })
                    })
                    .map(|a| a.code.to_string())
                    .or_else(|| stored.get(incoming.len()).map(|b| b.code.to_string()))
                    .unwrap_or_default();
                return Err(StoreError::Rejected(crate::domain::text::tr(
                    format!(
                        "criteria.csv does not match the session's criteria (first difference at \
                         {differing}); a session keeps one framework: import it into a new database"
                    ),
                    format!(
                        "criteria.csv khác bộ tiêu chí của phiên họp (khác từ tiêu chí {differing}); \
                         mỗi phiên họp chỉ có một bộ tiêu chí: hãy nhập vào một cơ sở dữ liệu mới"
                    ),
                )));
            }
            for (a, b) in incoming.iter().zip(&stored) {
                if a.title == b.title && a.rule == b.rule {
                    counts.unchanged += 1;
                } else {
                    counts.changed += 1;
                }
            }
            Ok((counts, Some(framework.clone())))
        }
    }
}

/// A stored unit: id, name, group and current submission.
type StoredUnit = (i64, String, String, Option<i64>);

fn unit_ids(conn: &Connection) -> Result<HashMap<String, StoredUnit>, StoreError> {
    let mut stmt = conn.prepare("SELECT code, id, name, grp, current_submission FROM units")?;
    let map = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })?
        .collect::<Result<HashMap<_, _>, _>>()?;
    Ok(map)
}

/// The unit's current submission, keyed by criterion id.
fn current_items(
    conn: &Connection,
    submission: i64,
) -> Result<HashMap<i64, StoredItem>, StoreError> {
    let mut items = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT criterion_id, score, note, evidence FROM self_scores WHERE submission_id = ?1",
    )?;
    let mut rows = stmt.query([submission])?;
    while let Some(row) = rows.next()? {
        let score: Option<String> = row.get(1)?;
        items.insert(
            row.get::<_, i64>(0)?,
            StoredItem {
                score: score.as_deref().map(decimal).transpose()?,
                note: row.get(2)?,
                evidence: evidence_from_json(row.get_ref(3)?.as_str()?)?,
            },
        );
    }
    Ok(items)
}

/// The item a submitted row leads to, given the previous version of it.
fn merged(row: &SelfScoreRow, previous: Option<&StoredItem>) -> StoredItem {
    let (score, note) = if row.in_self_scores {
        (row.score, row.note.clone())
    } else {
        previous
            .map(|p| (p.score, p.note.clone()))
            .unwrap_or((None, String::new()))
    };
    let evidence = match &row.evidence {
        Some(evidence) => evidence.clone(),
        None => previous.map(|p| p.evidence.clone()).unwrap_or_default(),
    };
    StoredItem {
        score,
        note,
        evidence,
    }
}

fn criterion_id(framework: &Framework, code: &str) -> Result<i64, StoreError> {
    framework
        .find(code)
        .filter(|&id| framework.node(id).is_leaf())
        .map(|id| id as i64)
        .ok_or_else(|| StoreError::UnknownCriterion(code.to_string()))
}

fn submission_change(
    conn: &Connection,
    framework: &Framework,
    current: Option<i64>,
    rows: &[SelfScoreRow],
) -> Result<(SubmissionChange, HashMap<i64, StoredItem>), StoreError> {
    let Some(current) = current else {
        return Ok((SubmissionChange::New, HashMap::new()));
    };
    let previous = current_items(conn, current)?;
    for row in rows {
        let id = criterion_id(framework, &row.criterion_code)?;
        if previous.get(&id) != Some(&merged(row, previous.get(&id))) {
            return Ok((SubmissionChange::Changed, previous));
        }
    }
    Ok((SubmissionChange::Unchanged, previous))
}

fn plan(conn: &Connection, batch: &ImportBatch) -> Result<ImportPlan, StoreError> {
    let (criteria, framework) = criteria_plan(conn, batch)?;
    let framework = framework.ok_or(StoreError::Empty)?;
    let units = unit_ids(conn)?;
    let mut plan = ImportPlan {
        criteria,
        ..Default::default()
    };
    for unit in &batch.units {
        match units.get(&unit.code) {
            None => plan.units.new += 1,
            Some((_, name, group, _)) if *name == unit.name && *group == unit.group => {
                plan.units.unchanged += 1
            }
            Some(_) => plan.units.changed += 1,
        }
    }
    for (unit_code, rows) in &batch.submissions {
        let current = units.get(unit_code).and_then(|u| u.3);
        match submission_change(conn, &framework, current, rows)?.0 {
            SubmissionChange::New => plan.submissions.new += 1,
            SubmissionChange::Changed => plan.submissions.changed += 1,
            SubmissionChange::Unchanged => plan.submissions.unchanged += 1,
        }
    }
    if units.is_empty() {
        // A fresh session: everything is new; no need to look anything up.
        plan.proposals.new = batch.proposals.len();
        plan.survey.new = batch.survey.len();
        return Ok(plan);
    }
    let existing_proposals = keyed_scores(
        conn,
        "SELECT u.code, p.criterion_id, p.score, p.note FROM proposals p JOIN units u ON u.id = p.unit_id",
    )?;
    for proposal in &batch.proposals {
        let id = criterion_id(&framework, &proposal.criterion_code)?;
        let existing = existing_proposals
            .get(&(proposal.unit_code.clone(), id))
            .cloned();
        count(
            &mut plan.proposals,
            existing,
            &format_dot(proposal.score),
            &proposal.note,
        );
    }
    let existing_survey = keyed_scores(
        conn,
        "SELECT u.code, s.criterion_id, s.score, '' FROM survey s JOIN units u ON u.id = s.unit_id",
    )?;
    for row in &batch.survey {
        let id = criterion_id(&framework, &row.criterion_code)?;
        let existing = existing_survey.get(&(row.unit_code.clone(), id)).cloned();
        count(&mut plan.survey, existing, &format_dot(row.score), "");
    }
    Ok(plan)
}

/// An item by unit code and criterion id.
type ItemKey = (String, i64);

/// (unit code, criterion id) → (score, note), read in one query.
fn keyed_scores(
    conn: &Connection,
    sql: &str,
) -> Result<HashMap<ItemKey, (String, String)>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let map = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?
        .collect::<Result<HashMap<_, _>, _>>()?;
    Ok(map)
}

fn count(counts: &mut Counts, existing: Option<(String, String)>, score: &str, note: &str) {
    match existing {
        None => counts.new += 1,
        Some((s, n)) if s == score && n == note => counts.unchanged += 1,
        Some(_) => counts.changed += 1,
    }
}

fn apply(
    conn: &mut Connection,
    batch: &ImportBatch,
    at: &str,
    actor: &super::chain::Actor<'_>,
) -> Result<ImportPlan, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if finalised(&tx)? {
        return Err(StoreError::Finalised);
    }
    let plan = plan(&tx, batch)?;
    let (_, framework) = criteria_plan(&tx, batch)?;
    let framework = framework.ok_or(StoreError::Empty)?;

    if let Some(incoming) = &batch.framework {
        let mut stmt = tx.prepare(
            "INSERT INTO criteria (id, code, title, max_points, min_points, step, kind, rule)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, rule = excluded.rule",
        )?;
        for (id, def) in incoming.defs().enumerate() {
            stmt.execute(params![
                id as i64,
                def.code.to_string(),
                def.title,
                format_dot(def.max_points),
                format_dot(def.min_points),
                def.step.map(format_dot),
                def.kind.as_str(),
                def.rule
            ])?;
        }
    }
    {
        let mut next_id: i64 =
            tx.query_row("SELECT coalesce(max(id) + 1, 0) FROM units", [], |r| {
                r.get(0)
            })?;
        let existing = unit_ids(&tx)?;
        let mut insert =
            tx.prepare("INSERT INTO units (id, code, name, grp) VALUES (?1, ?2, ?3, ?4)")?;
        let mut update = tx.prepare("UPDATE units SET name = ?2, grp = ?3 WHERE code = ?1")?;
        for unit in &batch.units {
            if existing.contains_key(&unit.code) {
                update.execute(params![unit.code, unit.name, unit.group])?;
            } else {
                insert.execute(params![next_id, unit.code, unit.name, unit.group])?;
                next_id += 1;
            }
        }
    }
    let units = unit_ids(&tx)?;
    {
        let mut new_submission = tx.prepare(
            "INSERT INTO submissions (unit_id, version, imported_at)
             VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE unit_id = ?1), ?2)",
        )?;
        let mut insert_item = tx.prepare(
            "INSERT INTO self_scores (submission_id, criterion_id, score, note, evidence_count, evidence, changed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut set_current =
            tx.prepare("UPDATE units SET current_submission = ?2 WHERE id = ?1")?;
        let no_evidence: &[Evidence] = &[];
        let mut first_items = BulkInsert::new(
            &tx,
            "self_scores",
            &[
                "submission_id",
                "criterion_id",
                "score",
                "note",
                "evidence_count",
                "evidence",
                "changed",
            ],
        );
        for (unit_code, rows) in &batch.submissions {
            let (unit_id, _, _, current) = units
                .get(unit_code)
                .cloned()
                .ok_or_else(|| StoreError::UnknownUnit(unit_code.clone()))?;
            let (change, previous) = submission_change(&tx, &framework, current, rows)?;
            if matches!(change, SubmissionChange::Unchanged) {
                continue;
            }
            new_submission.execute(params![unit_id, at])?;
            let submission_id = tx.last_insert_rowid();
            if previous.is_empty() {
                // A first submission: rows go in as read, in leaf order.
                for row in rows {
                    let id = criterion_id(&framework, &row.criterion_code)?;
                    let evidence = row.evidence.as_deref().unwrap_or(no_evidence);
                    first_items.push([
                        submission_id.into(),
                        id.into(),
                        optional_text(row.score.map(format_dot)),
                        text(if row.in_self_scores {
                            row.note.as_str()
                        } else {
                            ""
                        }),
                        (evidence.len() as i64).into(),
                        text(evidence_to_json(evidence)),
                        0i64.into(),
                    ])?;
                }
            } else {
                let mut written: HashMap<i64, StoredItem> = HashMap::with_capacity(rows.len());
                for row in rows {
                    let id = criterion_id(&framework, &row.criterion_code)?;
                    written.insert(id, merged(row, previous.get(&id)));
                }
                // Items the file does not mention carry forward from the previous version.
                for (id, item) in &previous {
                    written.entry(*id).or_insert_with(|| item.clone());
                }
                let mut ids: Vec<&i64> = written.keys().collect();
                ids.sort_unstable();
                for id in ids {
                    let item = &written[id];
                    let changed = previous.get(id) != Some(item);
                    insert_item.execute(params![
                        submission_id,
                        id,
                        item.score.map(format_dot),
                        item.note,
                        item.evidence.len() as i64,
                        evidence_to_json(&item.evidence),
                        changed
                    ])?;
                }
            }
            set_current.execute(params![unit_id, submission_id])?;
        }
        first_items.flush()?;
    }
    {
        let mut history = tx.prepare(
            "INSERT INTO proposal_history (unit_id, criterion_id, score, note, imported_at, replaced_at)
             SELECT unit_id, criterion_id, score, note, imported_at, ?3 FROM proposals
             WHERE unit_id = ?1 AND criterion_id = ?2 AND (score <> ?4 OR note <> ?5)",
        )?;
        let mut upsert = tx.prepare(
            "INSERT INTO proposals (unit_id, criterion_id, score, note, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (unit_id, criterion_id) DO UPDATE SET score = excluded.score, note = excluded.note,
                 imported_at = excluded.imported_at
             WHERE proposals.score <> excluded.score OR proposals.note <> excluded.note",
        )?;
        // With no proposals stored yet there is nothing to replace or keep as history.
        let fresh: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM proposals)", [], |r| {
            r.get(0)
        })?;
        let mut bulk = BulkInsert::new(
            &tx,
            "proposals",
            &["unit_id", "criterion_id", "score", "note", "imported_at"],
        );
        for proposal in &batch.proposals {
            let unit_id = units
                .get(&proposal.unit_code)
                .map(|u| u.0)
                .ok_or_else(|| StoreError::UnknownUnit(proposal.unit_code.clone()))?;
            let id = criterion_id(&framework, &proposal.criterion_code)?;
            let score = format_dot(proposal.score);
            if fresh {
                bulk.push([
                    unit_id.into(),
                    id.into(),
                    text(score),
                    text(proposal.note.as_str()),
                    text(at),
                ])?;
            } else {
                history.execute(params![unit_id, id, at, score, proposal.note])?;
                upsert.execute(params![unit_id, id, score, proposal.note, at])?;
            }
        }
        bulk.flush()?;
        let mut survey = tx.prepare(
            "INSERT INTO survey (unit_id, criterion_id, score, imported_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (unit_id, criterion_id) DO UPDATE SET score = excluded.score,
                 imported_at = excluded.imported_at WHERE survey.score <> excluded.score",
        )?;
        for row in &batch.survey {
            let unit_id = units
                .get(&row.unit_code)
                .map(|u| u.0)
                .ok_or_else(|| StoreError::UnknownUnit(row.unit_code.clone()))?;
            let id = criterion_id(&framework, &row.criterion_code)?;
            survey.execute(params![unit_id, id, format_dot(row.score), at])?;
        }
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('last_import_at', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [at],
    )?;
    // What the session holds now enters the chain with the import.
    super::chain::record_import(&tx, actor, at, &plan)?;
    tx.commit()?;
    Ok(plan)
}
