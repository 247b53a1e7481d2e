//! Importing a session folder's rows: all or nothing, earlier submissions kept as versions.
//! What an import would change is planned here; the writing is in `import_write`.

use super::chain::{Actor, DigestParts, begin_write, record_import};
use super::import_write::{StoredItem, Writer, current_items, merged};
use super::load::read_criteria;
use super::{Counts, ImportPlan, Store, StoreError};
use crate::domain::account::Host;
use crate::domain::import::{ImportBatch, ScoredRow, SessionRows, UnitSubmission};
use crate::domain::{CriterionDef, Framework, format_dot};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::Path;

/// SQLite's page cache during an import, in KiB (a negative cache_size). Rows go in in key
/// order, so a bulk load touches few pages at a time; a larger cache only holds memory.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// What the store decided to do with one unit's submitted rows.
pub(super) enum SubmissionChange {
    New,
    Changed,
    Unchanged,
}

impl Store {
    /// What importing the batch would change, without writing.
    pub fn plan_import(&self, batch: &ImportBatch) -> Result<ImportPlan, StoreError> {
        self.plan_rows(&rows_of(&self.conn, batch)?)
    }

    /// What importing the rows would change, without writing.
    pub fn plan_rows(&self, rows: &SessionRows) -> Result<ImportPlan, StoreError> {
        Ok(plan(&self.conn, rows)?.0)
    }

    /// Imports the batch in one transaction: all or nothing.
    pub fn apply_import(
        &mut self,
        batch: &ImportBatch,
        at: &str,
    ) -> Result<ImportPlan, StoreError> {
        // As the rows would be: a finalised session is refused before anything is looked at.
        drop(begin_write(&mut self.conn)?);
        let rows = rows_of(&self.conn, batch)?;
        self.apply_rows(&rows, at)
    }

    /// Imports the rows in one transaction: all or nothing.
    pub fn apply_rows(&mut self, rows: &SessionRows, at: &str) -> Result<ImportPlan, StoreError> {
        // A bulk load: sync once at commit rather than per page, then back to FULL for decisions.
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        let actor = Actor {
            account: &self.account,
            name: self.actor_name.as_deref(),
        };
        let result = apply(&mut self.conn, rows, at, &actor);
        self.conn.pragma_update(None, "cache_size", cache)?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if result.is_ok() {
            // Make the import durable before reporting success.
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        result
    }

    /// Creates a new session database from a batch. The file is built beside its final place
    /// without a journal (nothing else can see it yet) and linked into place only when the
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
        let framework = batch.framework.as_ref().ok_or(StoreError::Empty)?;
        let rows = SessionRows::from_batch(batch, framework)
            .map_err(|unknown| StoreError::UnknownCriterion(unknown.0))?;
        Store::create_from_rows(path, &rows, (at, by), host)
    }

    /// As [`Store::import_new_by`], from the rows a folder was read into.
    pub fn create_from_rows(
        path: &Path,
        rows: &SessionRows,
        (at, by): (&str, Option<&str>),
        host: Host,
    ) -> Result<(Store, ImportPlan), StoreError> {
        if path.exists() {
            return Err(super::Rejection::Exists(path.to_path_buf()).into());
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
        let built = build_new(&temp, rows, (at, by), &host).map_err(|error| match error {
            // Name the database the user asked for, not the file it is built in.
            StoreError::Unavailable { reason, .. } => StoreError::Unavailable {
                path: path.to_path_buf(),
                reason,
            },
            other => other,
        });
        let placed = built.and_then(|plan| link_into_place(&temp, path).map(|()| plan));
        remove_temp();
        let plan = placed?;
        Ok((Store::open_existing(path, host)?, plan))
    }
}

/// Links the finished database in; a hard link never replaces an existing file, unlike rename.
fn link_into_place(temp: &Path, path: &Path) -> Result<(), StoreError> {
    std::fs::hard_link(temp, path).map_err(|e| StoreError::Unavailable {
        path: path.to_path_buf(),
        reason: super::Unavailable::CannotCreate(e.to_string()),
    })?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn build_new(
    temp: &Path,
    rows: &SessionRows,
    (at, by): (&str, Option<&str>),
    host: &Host,
) -> Result<ImportPlan, StoreError> {
    let fail = |e: rusqlite::Error| StoreError::Unavailable {
        path: temp.to_path_buf(),
        reason: super::Unavailable::Other(e.to_string()),
    };
    let mut conn = Connection::open(temp).map_err(fail)?;
    // Larger pages: fewer B-tree splits on a bulk load of long rows.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    for script in super::MIGRATIONS {
        conn.execute_batch(script)?;
    }
    super::chain::upgrade(&conn, host)?;
    conn.pragma_update(None, "user_version", super::SCHEMA_VERSION)?;
    let actor = Actor {
        account: &host.account,
        name: by,
    };
    let plan = apply(&mut conn, rows, at, &actor)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.close().map_err(|(_, e)| fail(e))?;
    let io = |e: std::io::Error| StoreError::Unavailable {
        path: temp.to_path_buf(),
        reason: super::Unavailable::Other(e.to_string()),
    };
    let file = std::fs::File::open(temp).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(plan)
}

/// A hand-made batch as rows, checked against the framework it would be written against.
fn rows_of(conn: &Connection, batch: &ImportBatch) -> Result<SessionRows, StoreError> {
    let (_, framework) = criteria_plan(conn, batch.framework.as_ref())?;
    let framework = framework.ok_or(StoreError::Empty)?;
    SessionRows::from_batch(batch, &framework)
        .map_err(|unknown| StoreError::UnknownCriterion(unknown.0))
}

/// The framework the rows are checked against: the session's, else the rows' own.
fn criteria_plan(
    conn: &Connection,
    incoming: Option<&Framework>,
) -> Result<(Counts, Option<Framework>), StoreError> {
    let stored = read_criteria(conn)?;
    let mut counts = Counts::default();
    match (incoming, stored.is_empty()) {
        (None, true) => Err(StoreError::Empty),
        (None, false) => Ok((counts, Framework::build(stored).ok())),
        (Some(framework), true) => {
            counts.new = framework.nodes().len();
            Ok((counts, Some(framework.clone())))
        }
        (Some(framework), false) => {
            let incoming: Vec<&CriterionDef> = framework.defs().collect();
            check_same_structure(&incoming, &stored)?;
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

/// A session keeps one framework: the folder's criteria may change titles and rules only.
fn check_same_structure(
    incoming: &[&CriterionDef],
    stored: &[CriterionDef],
) -> Result<(), StoreError> {
    let same = |a: &CriterionDef, b: &CriterionDef| {
        a.code == b.code
            && a.max_points == b.max_points
            && a.min_points == b.min_points
            && a.step == b.step
            && a.kind == b.kind
    };
    let same_structure =
        incoming.len() == stored.len() && incoming.iter().zip(stored).all(|(a, b)| same(a, b));
    if same_structure {
        return Ok(());
    }
    let differing = incoming
        .iter()
        .find(|a| !stored.iter().any(|b| same(a, b)))
        .map(|a| a.code.to_string())
        .or_else(|| stored.get(incoming.len()).map(|b| b.code.to_string()))
        .unwrap_or_default();
    Err(super::Rejection::OtherFramework { differing }.into())
}

/// A stored unit: id, name, group and current submission.
pub(super) type StoredUnit = (i64, String, String, Option<i64>);

pub(super) fn unit_ids(conn: &Connection) -> Result<HashMap<String, StoredUnit>, StoreError> {
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

/// The criterion id (node id) of a leaf.
pub(super) fn criterion_id(framework: &Framework, leaf: usize) -> Result<i64, StoreError> {
    framework
        .leaves()
        .get(leaf)
        .map(|&id| id as i64)
        .ok_or_else(|| StoreError::UnknownCriterion(format!("#{leaf}")))
}

/// Whether a unit's submission is new, changes its current one, or repeats it; with the
/// current one's items by criterion id.
pub(super) fn submission_change(
    conn: &Connection,
    (framework, rows): (&Framework, &SessionRows),
    current: Option<i64>,
    submission: &UnitSubmission,
) -> Result<(SubmissionChange, HashMap<i64, StoredItem>), StoreError> {
    let Some(current) = current else {
        return Ok((SubmissionChange::New, HashMap::new()));
    };
    let previous = current_items(conn, current)?;
    let submitted = submission.items.iter().enumerate();
    for (leaf, item) in submitted.filter(|(_, item)| item.is_submitted()) {
        let id = criterion_id(framework, leaf)?;
        if previous.get(&id) != Some(&merged(item, rows, previous.get(&id))) {
            return Ok((SubmissionChange::Changed, previous));
        }
    }
    Ok((SubmissionChange::Unchanged, previous))
}

/// What importing the rows would change, and the framework they are written against.
fn plan(conn: &Connection, rows: &SessionRows) -> Result<(ImportPlan, Framework), StoreError> {
    let (criteria, framework) = criteria_plan(conn, rows.framework.as_ref())?;
    let framework = framework.ok_or(StoreError::Empty)?;
    let units = unit_ids(conn)?;
    let mut plan = ImportPlan {
        criteria,
        ..Default::default()
    };
    for unit in &rows.units {
        match units.get(&unit.code) {
            None => plan.units.new += 1,
            Some((_, name, group, _)) if *name == unit.name && *group == unit.group => {
                plan.units.unchanged += 1
            }
            Some(_) => plan.units.changed += 1,
        }
    }
    for submission in &rows.submissions {
        let code = &rows.unit_codes[submission.unit];
        let current = units.get(code).and_then(|u| u.3);
        let change = submission_change(conn, (&framework, rows), current, submission)?.0;
        match change {
            SubmissionChange::New => plan.submissions.new += 1,
            SubmissionChange::Changed => plan.submissions.changed += 1,
            SubmissionChange::Unchanged => plan.submissions.unchanged += 1,
        }
    }
    if units.is_empty() {
        // A fresh session: everything is new; no need to look anything up.
        plan.proposals.new = rows.proposals.len();
        plan.survey.new = rows.survey.len();
        return Ok((plan, framework));
    }
    let proposals = "SELECT u.code, p.criterion_id, p.score, p.note FROM proposals p JOIN units u ON u.id = p.unit_id";
    plan.proposals = count_scored(conn, proposals, (&framework, rows), &rows.proposals, true)?;
    let survey =
        "SELECT u.code, s.criterion_id, s.score, '' FROM survey s JOIN units u ON u.id = s.unit_id";
    plan.survey = count_scored(conn, survey, (&framework, rows), &rows.survey, false)?;
    Ok((plan, framework))
}

/// New, changed and unchanged rows against those stored (`sql`: unit code, criterion id,
/// score, note); with `notes`, a changed note is a change.
fn count_scored(
    conn: &Connection,
    sql: &str,
    (framework, rows): (&Framework, &SessionRows),
    scored: &[ScoredRow],
    notes: bool,
) -> Result<Counts, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let existing = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?
        .collect::<Result<HashMap<(String, i64), (String, String)>, _>>()?;
    let mut counts = Counts::default();
    for row in scored {
        let id = criterion_id(framework, row.leaf as usize)?;
        let key = (rows.unit_codes[row.unit as usize].clone(), id);
        let note = if notes { rows.texts.get(row.note) } else { "" };
        match existing.get(&key) {
            None => counts.new += 1,
            Some((s, n)) if *s == format_dot(row.score) && n == note => counts.unchanged += 1,
            Some(_) => counts.changed += 1,
        }
    }
    Ok(counts)
}

/// Whether the session holds no unit's rows yet: then every row an import writes can be
/// hashed into the import's digest as it is written, instead of read back.
fn holds_no_rows(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM units) AND NOT EXISTS (SELECT 1 FROM submissions)
            AND NOT EXISTS (SELECT 1 FROM self_scores) AND NOT EXISTS (SELECT 1 FROM proposals)
            AND NOT EXISTS (SELECT 1 FROM proposal_history) AND NOT EXISTS (SELECT 1 FROM survey)",
        [],
        |r| r.get(0),
    )?)
}

fn apply(
    conn: &mut Connection,
    rows: &SessionRows,
    at: &str,
    actor: &Actor<'_>,
) -> Result<ImportPlan, StoreError> {
    let tx = begin_write(conn)?;
    let (plan, framework) = plan(&tx, rows)?;
    let hashed = holds_no_rows(&tx)?.then(DigestParts::default);
    let mut writer = Writer::new(&tx, rows, &framework, at, hashed);
    writer.criteria()?;
    writer.units()?;
    writer.submissions()?;
    writer.proposals()?;
    writer.survey()?;
    let hashed = writer.finish();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('last_import_at', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [at],
    )?;
    // What the session holds now enters the chain with the import; the folder's settings
    // (session.toml) follow as a configure entry of their own, in the same transaction.
    let by = record_import(&tx, actor, at, (&plan, hashed))?;
    if !rows.settings.is_empty() {
        let settings = super::settings::normalised(&rows.settings)?;
        super::settings::write_settings(&tx, actor.account, &by, &settings, at)?;
    }
    tx.commit()?;
    Ok(plan)
}
