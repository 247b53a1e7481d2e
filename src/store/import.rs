//! Writing an import batch: all or nothing, earlier submissions kept as versions.

use super::load::{decimal, read_criteria};
use super::{Counts, ImportPlan, Store, StoreError};
use crate::domain::{CriterionDef, Evidence, Framework, format_dot};
use crate::io::{ImportBatch, SelfScoreRow};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

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
        let result = apply(&mut self.conn, batch, at);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if result.is_ok() {
            // Make the import durable before reporting success.
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        result
    }
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
                return Err(StoreError::Rejected(format!(
                    "criteria.csv does not match the session's criteria (first difference at {differing}); \
                     a session keeps one framework: import it into a new database"
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
        "SELECT criterion_id, score, note FROM self_scores WHERE submission_id = ?1",
    )?;
    let mut rows = stmt.query([submission])?;
    while let Some(row) = rows.next()? {
        let score: Option<String> = row.get(1)?;
        items.insert(
            row.get::<_, i64>(0)?,
            StoredItem {
                score: score.as_deref().map(decimal).transpose()?,
                note: row.get(2)?,
                evidence: Vec::new(),
            },
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT criterion_id, ref, title, location FROM evidence WHERE submission_id = ?1 ORDER BY criterion_id, seq",
    )?;
    let mut rows = stmt.query([submission])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = items.get_mut(&row.get::<_, i64>(0)?) {
            item.evidence.push(Evidence {
                reference: row.get(1)?,
                title: row.get(2)?,
                location: row.get(3)?,
            });
        }
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
    let mut stmt = conn.prepare_cached(
        "SELECT p.score, p.note FROM proposals p JOIN units u ON u.id = p.unit_id
         WHERE u.code = ?1 AND p.criterion_id = ?2",
    )?;
    for proposal in &batch.proposals {
        let id = criterion_id(&framework, &proposal.criterion_code)?;
        let existing: Option<(String, String)> = stmt
            .query_row(params![proposal.unit_code, id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        count(
            &mut plan.proposals,
            existing,
            &format_dot(proposal.score),
            &proposal.note,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT s.score, '' FROM survey s JOIN units u ON u.id = s.unit_id WHERE u.code = ?1 AND s.criterion_id = ?2",
    )?;
    for row in &batch.survey {
        let id = criterion_id(&framework, &row.criterion_code)?;
        let existing: Option<(String, String)> = stmt
            .query_row(params![row.unit_code, id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        count(&mut plan.survey, existing, &format_dot(row.score), "");
    }
    Ok(plan)
}

fn count(counts: &mut Counts, existing: Option<(String, String)>, score: &str, note: &str) {
    match existing {
        None => counts.new += 1,
        Some((s, n)) if s == score && n == note => counts.unchanged += 1,
        Some(_) => counts.changed += 1,
    }
}

fn apply(conn: &mut Connection, batch: &ImportBatch, at: &str) -> Result<ImportPlan, StoreError> {
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
            "INSERT INTO self_scores (submission_id, criterion_id, score, note, evidence_count, changed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut insert_evidence = tx.prepare(
            "INSERT INTO evidence (submission_id, criterion_id, seq, ref, title, location)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut set_current =
            tx.prepare("UPDATE units SET current_submission = ?2 WHERE id = ?1")?;
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
            let mut written: HashMap<i64, StoredItem> = HashMap::with_capacity(rows.len());
            for row in rows {
                let id = criterion_id(&framework, &row.criterion_code)?;
                let item = merged(row, previous.get(&id));
                written.insert(id, item);
            }
            // Items the file does not mention carry forward from the previous version.
            for (id, item) in &previous {
                written.entry(*id).or_insert_with(|| item.clone());
            }
            let mut ids: Vec<&i64> = written.keys().collect();
            ids.sort_unstable();
            for id in ids {
                let item = &written[id];
                let changed = current.is_some() && previous.get(id) != Some(item);
                insert_item.execute(params![
                    submission_id,
                    id,
                    item.score.map(format_dot),
                    item.note,
                    item.evidence.len() as i64,
                    changed
                ])?;
                for (seq, evidence) in item.evidence.iter().enumerate() {
                    insert_evidence.execute(params![
                        submission_id,
                        id,
                        seq as i64,
                        evidence.reference,
                        evidence.title,
                        evidence.location
                    ])?;
                }
            }
            set_current.execute(params![unit_id, submission_id])?;
        }
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
        for proposal in &batch.proposals {
            let unit_id = units
                .get(&proposal.unit_code)
                .map(|u| u.0)
                .ok_or_else(|| StoreError::UnknownUnit(proposal.unit_code.clone()))?;
            let id = criterion_id(&framework, &proposal.criterion_code)?;
            let score = format_dot(proposal.score);
            history.execute(params![unit_id, id, at, score, proposal.note])?;
            upsert.execute(params![unit_id, id, score, proposal.note, at])?;
        }
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
    tx.commit()?;
    Ok(plan)
}
