//! Reading the session back into domain types.

use super::{Rejection, Store, StoreError};
use crate::domain::session::SubmissionVersion;
use crate::domain::text::{CutNote, cut_for_display};
use crate::domain::{
    Code, CriterionDef, CriterionKind, DecisionAction, DecisionRecord, Evidence, Framework,
    ItemDetail, ItemState, ItemTexts, Session, Unit,
};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::Arc;

/// Reads a stored decimal; the store only ever writes valid ones, so a bad one means tampering.
pub(super) fn decimal(text: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str(text)
        .map_err(|_| StoreError::Rejected(Rejection::CorruptNumber(text.to_string())))
}

/// Evidence as stored: a JSON array of [ref, title, location].
pub(super) fn evidence_to_json(evidence: &[Evidence]) -> String {
    let triples: Vec<[&str; 3]> = evidence
        .iter()
        .map(|e| [e.reference.as_str(), e.title.as_str(), e.location.as_str()])
        .collect();
    serde_json::to_string(&triples).unwrap_or_else(|_| "[]".to_string())
}

/// Every stored proposal: unit id, criterion id, score.
fn read_proposals(conn: &Connection) -> Result<Vec<(i64, i64, Decimal)>, StoreError> {
    let mut stmt = conn.prepare("SELECT unit_id, criterion_id, score FROM proposals")?;
    let mut rows = stmt.query([])?;
    let mut proposals = Vec::new();
    while let Some(row) = rows.next()? {
        proposals.push((
            row.get(0)?,
            row.get(1)?,
            decimal(row.get_ref(2)?.as_str()?)?,
        ));
    }
    Ok(proposals)
}

/// A second, read-only connection to the session file.
fn reading_connection(path: &std::path::Path) -> Result<Connection, StoreError> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// Finds an item of `Session::items` from a stored unit id and criterion id (the unit's
/// position and the criterion's node id).
struct ItemIndex {
    leaf_of_node: Vec<Option<usize>>,
    unit_count: usize,
    leaf_count: usize,
}

impl ItemIndex {
    fn new(session: &Session) -> ItemIndex {
        ItemIndex {
            leaf_of_node: session
                .framework
                .nodes()
                .iter()
                .map(|n| n.leaf_index)
                .collect(),
            unit_count: session.units.len(),
            leaf_count: session.leaf_count(),
        }
    }

    /// None for an id that is not a unit of the session or not a leaf.
    fn of(&self, unit: i64, criterion: i64) -> Option<usize> {
        let unit = usize::try_from(unit)
            .ok()
            .filter(|&u| u < self.unit_count)?;
        let leaf = (*self.leaf_of_node.get(usize::try_from(criterion).ok()?)?)?;
        Some(unit * self.leaf_count + leaf)
    }
}

pub(super) fn evidence_from_json(text: &str) -> Result<Vec<Evidence>, StoreError> {
    let triples: Vec<[String; 3]> = serde_json::from_str(text)
        .map_err(|e| StoreError::Rejected(Rejection::CorruptEvidence(e.to_string())))?;
    Ok(triples
        .into_iter()
        .map(|[reference, title, location]| Evidence {
            reference,
            title,
            location,
        })
        .collect())
}

fn optional_decimal(text: Option<String>) -> Result<Option<Decimal>, StoreError> {
    text.as_deref().map(decimal).transpose()
}

/// The stored criteria rows, in code order.
pub(super) fn read_criteria(conn: &Connection) -> Result<Vec<CriterionDef>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT code, title, max_points, min_points, step, kind, rule FROM criteria ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut defs = Vec::new();
    while let Some(row) = rows.next()? {
        let code: String = row.get(0)?;
        let kind: String = row.get(5)?;
        defs.push(CriterionDef {
            code: Code::parse(&code)
                .map_err(|e| StoreError::Rejected(Rejection::CorruptCode(e)))?,
            title: row.get(1)?,
            max_points: decimal(&row.get::<_, String>(2)?)?,
            min_points: decimal(&row.get::<_, String>(3)?)?,
            step: optional_decimal(row.get(4)?)?,
            kind: CriterionKind::parse(&kind).unwrap_or_default(),
            rule: row.get(6)?,
        });
    }
    Ok(defs)
}

/// The framework kept between an item's reads, with the import it came from.
pub(super) type FrameworkCache = std::cell::RefCell<Option<(Option<String>, Arc<Framework>)>>;

impl Store {
    /// The framework, built again only after an import (the screen reads an item on every
    /// move; building a framework of 10,000 leaves each time took about 12 ms).
    fn cached_framework(&self) -> Result<Arc<Framework>, StoreError> {
        let import: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'last_import_at'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        if let Some((seen, framework)) = &*self.framework_cache.borrow()
            && *seen == import
        {
            return Ok(Arc::clone(framework));
        }
        let framework = Arc::new(self.load_framework()?.ok_or(StoreError::Empty)?);
        *self.framework_cache.borrow_mut() = Some((import, Arc::clone(&framework)));
        Ok(framework)
    }

    pub(super) fn load_framework(&self) -> Result<Option<Framework>, StoreError> {
        let defs = read_criteria(&self.conn)?;
        if defs.is_empty() {
            return Ok(None);
        }
        Framework::build(defs)
            .map(Some)
            .map_err(|errors| StoreError::Rejected(Rejection::CorruptCriteria(errors)))
    }

    pub(super) fn load_units(&self) -> Result<Vec<Unit>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT code, name, grp FROM units ORDER BY id")?;
        let units = stmt
            .query_map([], |r| {
                Ok(Unit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    group: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(units)
    }

    /// The whole session's lean state, or None while nothing has been imported.
    pub fn load_session(&self) -> Result<Option<Session>, StoreError> {
        let Some(framework) = self.load_framework()? else {
            return Ok(None);
        };
        let units = self.load_units()?;
        let mut session = Session::new(framework, units);
        let item_index = ItemIndex::new(&session);
        // Proposals are as many rows as self-scores: read them on a second connection at the
        // same time (a file database only; an in-memory one has no second connection).
        let path = self.path.clone();
        let early = (path.as_os_str() == ":memory:").then(|| read_proposals(&self.conn));
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let proposals = scope.spawn(move || match early {
                Some(done) => done,
                None => read_proposals(&reading_connection(&path)?),
            });
            self.load_self_scores(&mut session, &item_index)?;
            self.load_survey(&mut session, &item_index)?;
            let proposals = match proposals.join() {
                Ok(Ok(proposals)) => proposals,
                // The second connection could not be had (a read-only disk): read them here.
                _ => read_proposals(&self.conn)?,
            };
            for (unit, criterion, score) in proposals {
                if let Some(i) = item_index.of(unit, criterion) {
                    session.items[i].proposal = Some(score);
                }
            }
            self.load_decision_states(&mut session, &item_index)
        })?;
        session.mark_invalid_claims();
        Ok(Some(session))
    }

    /// The current submissions' self-scores, evidence counts and changes.
    fn load_self_scores(&self, session: &mut Session, items: &ItemIndex) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT u.id, s.criterion_id, s.score, s.evidence_count, s.changed
             FROM units u JOIN self_scores s ON s.submission_id = u.current_submission",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = items.of(row.get(0)?, row.get(1)?) {
                let item = &mut session.items[i];
                item.self_score = optional_decimal(row.get(2)?)?;
                item.evidence_count = row.get(3)?;
                item.changed_in_resubmission = row.get(4)?;
            }
        }
        Ok(())
    }

    /// Survey points, the self-scores of survey leaves.
    fn load_survey(&self, session: &mut Session, items: &ItemIndex) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT unit_id, criterion_id, score FROM survey")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = items.of(row.get(0)?, row.get(1)?) {
                session.items[i].self_score = Some(decimal(&row.get::<_, String>(2)?)?);
            }
        }
        Ok(())
    }

    /// The decisions in force, and whether each was made on the self-score of today.
    fn load_decision_states(
        &self,
        session: &mut Session,
        items: &ItemIndex,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT unit_id, criterion_id, council, basis, flagged, log_seq FROM decision_state",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = items.of(row.get(0)?, row.get(1)?) {
                let item = &mut session.items[i];
                item.council = optional_decimal(row.get(2)?)?;
                let basis = optional_decimal(row.get(3)?)?;
                item.flagged = row.get(4)?;
                item.log_seq = row.get(5)?;
                item.decision_stale = item.council.is_some() && basis != Some(item.self_points());
            }
        }
        Ok(())
    }

    /// Export texts of every item, laid out like `Session::items`.
    pub fn load_item_texts(&self, session: &Session) -> Result<Vec<ItemTexts>, StoreError> {
        let mut texts = vec![ItemTexts::default(); session.items.len()];
        let item_index = ItemIndex::new(session);
        // Where the proposal is what counts, the working group's note is the reason.
        let mut stmt = self
            .conn
            .prepare("SELECT unit_id, criterion_id, note FROM proposals WHERE note <> ''")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = item_index.of(row.get(0)?, row.get(1)?) {
                texts[i].reason = row.get(2)?;
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT unit_id, criterion_id, reason, decided_by, decided_at, decided_login FROM decision_state
             WHERE council IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = item_index.of(row.get(0)?, row.get(1)?) {
                texts[i].reason = row.get(2)?;
                texts[i].decided_by = row.get(3)?;
                texts[i].decided_at = row.get(4)?;
                texts[i].decided_login = row.get(5)?;
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT u.id, s.criterion_id, s.evidence FROM units u
             JOIN self_scores s ON s.submission_id = u.current_submission WHERE s.evidence_count > 0",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = item_index.of(row.get(0)?, row.get(1)?) {
                let triples: Vec<(String, serde::de::IgnoredAny, serde::de::IgnoredAny)> =
                    serde_json::from_str(row.get_ref(2)?.as_str()?).map_err(|e| {
                        StoreError::Rejected(Rejection::CorruptEvidence(e.to_string()))
                    })?;
                texts[i].evidence_refs = triples.into_iter().map(|t| t.0).collect();
            }
        }
        Ok(texts)
    }

    /// One unit's reasons per leaf, as the export's texts have them: the decision's reason,
    /// else the working group's note where the proposal is what counts. Two queries, however
    /// many leaves (one query per leaf froze the diff view of a 10,000-leaf unit).
    pub fn unit_reasons(&self, session: &Session, unit: usize) -> Result<Vec<String>, StoreError> {
        let mut reasons = vec![String::new(); session.leaf_count()];
        let item_index = ItemIndex::new(session);
        let code = session.units.get(unit).map_or("", |u| u.code.as_str());
        let unit_id = self.unit_id(code)?;
        let queries = [
            "SELECT unit_id, criterion_id, note FROM proposals WHERE unit_id = ?1 AND note <> ''",
            "SELECT unit_id, criterion_id, reason FROM decision_state
             WHERE unit_id = ?1 AND council IS NOT NULL",
        ];
        for sql in queries {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([unit_id])?;
            while let Some(row) = rows.next()? {
                if let Some(i) = item_index.of(row.get(0)?, row.get(1)?) {
                    reasons[i % session.leaf_count()] = row.get(2)?;
                }
            }
        }
        Ok(reasons)
    }

    /// One unit's own notes per leaf (its current submission), each read to at most
    /// `max_chars` characters and one more, so that a 200 MB note is never held whole.
    pub fn unit_notes(
        &self,
        session: &Session,
        unit: usize,
        max_chars: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut notes = vec![String::new(); session.leaf_count()];
        let item_index = ItemIndex::new(session);
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.id, s.criterion_id, substr(s.note, 1, ?2) FROM units u
             JOIN self_scores s ON s.submission_id = u.current_submission
             WHERE u.id = ?1 AND s.note <> ''",
        )?;
        let limit = i64::try_from(max_chars)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        let mut rows = stmt.query(rusqlite::params![unit as i64, limit])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = item_index.of(row.get(0)?, row.get(1)?) {
                notes[i % session.leaf_count()] = row.get(2)?;
            }
        }
        Ok(notes)
    }

    /// Everyone who recorded a decision, by the name recorded, in order of their first.
    pub fn deciders(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT decided_by FROM decision_log WHERE action = 'decide'
             GROUP BY decided_by ORDER BY min(seq)",
        )?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(names)
    }

    pub(super) fn unit_id(&self, unit_code: &str) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM units WHERE code = ?1",
                [unit_code.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownUnit(unit_code.to_string()))
    }

    /// The id and definition of a leaf criterion.
    pub(super) fn leaf(
        &self,
        framework: &Framework,
        criterion_code: &str,
    ) -> Result<(i64, CriterionDef), StoreError> {
        let id = framework
            .find(criterion_code)
            .filter(|&id| framework.node(id).is_leaf())
            .ok_or_else(|| StoreError::UnknownCriterion(criterion_code.to_string()))?;
        Ok((id as i64, framework.node(id).def.clone()))
    }

    /// Notes, evidence, submission versions and the decision log of one item.
    pub fn item_detail(
        &self,
        unit_code: &str,
        criterion_code: &str,
    ) -> Result<ItemDetail, StoreError> {
        self.item_detail_cut(unit_code, criterion_code, None)
    }

    /// An item's detail for the screen: every long text (notes, the working group's note,
    /// reasons) cut at `DISPLAY_TEXT_CHARS` characters, so that a 200 MB note is neither held
    /// nor laid out on every frame.
    /// `note` says how long a cut text is, in the screen's language.
    pub fn item_detail_for_screen(
        &self,
        unit_code: &str,
        criterion_code: &str,
        note: CutNote,
    ) -> Result<ItemDetail, StoreError> {
        let cut = Some((DISPLAY_TEXT_CHARS, note));
        let mut detail = self.item_detail_cut(unit_code, criterion_code, cut)?;
        for record in &mut detail.log {
            if let DecisionAction::Decide { reason, .. } = &mut record.action {
                let total = reason.len() as i64;
                *reason = cut_for_display(std::mem::take(reason), total, DISPLAY_TEXT_CHARS, note);
            }
        }
        for version in &mut detail.submissions {
            for evidence in &mut version.evidence {
                cut_evidence(evidence, note);
            }
        }
        for evidence in &mut detail.evidence {
            cut_evidence(evidence, note);
        }
        Ok(detail)
    }

    /// `limit`: read at most that many characters of each long text (SQLite's substr), the
    /// rest summarised by `cut_for_display`.
    fn item_detail_cut(
        &self,
        unit_code: &str,
        criterion_code: &str,
        limit: Option<(usize, CutNote)>,
    ) -> Result<ItemDetail, StoreError> {
        let framework = self.cached_framework()?;
        let unit_id = self.unit_id(unit_code)?;
        let (criterion_id, _) = self.leaf(&framework, criterion_code)?;
        let mut detail = ItemDetail::default();

        // One character more than the limit tells whether the text was cut; octet_length
        // reads only the record's header, never the text (length() would read 200 MB).
        let fetch = limit.map(|(l, _)| l as i64 + 1);
        let mut stmt = self.conn.prepare(
            "SELECT sub.id, sub.version, sub.imported_at, s.score,
                    CASE WHEN ?3 IS NULL THEN s.note ELSE substr(s.note, 1, ?3) END,
                    octet_length(s.note), s.evidence
             FROM submissions sub
             JOIN self_scores s ON s.submission_id = sub.id AND s.criterion_id = ?2
             WHERE sub.unit_id = ?1 ORDER BY sub.version",
        )?;
        let mut rows = stmt.query(params![unit_id, criterion_id, fetch])?;
        let mut versions = Vec::new();
        while let Some(row) = rows.next()? {
            let submission_id: i64 = row.get(0)?;
            versions.push((
                submission_id,
                SubmissionVersion {
                    version: row.get(1)?,
                    imported_at: row.get(2)?,
                    score: optional_decimal(row.get(3)?)?,
                    note: cut_to(limit, row.get(4)?, row.get(5)?),
                    evidence: evidence_from_json(row.get_ref(6)?.as_str()?)?,
                },
            ));
        }
        let current: Option<i64> = self.conn.query_row(
            "SELECT current_submission FROM units WHERE id = ?1",
            [unit_id],
            |r| r.get(0),
        )?;
        if let Some((_, latest)) = versions.iter().find(|(id, _)| Some(*id) == current) {
            detail.note = latest.note.clone();
            detail.evidence = latest.evidence.clone();
        }
        detail.submissions = versions.into_iter().map(|(_, v)| v).collect();
        detail.proposal_note = self
            .conn
            .query_row(
                "SELECT CASE WHEN ?3 IS NULL THEN note ELSE substr(note, 1, ?3) END,
                        octet_length(note)
                 FROM proposals WHERE unit_id = ?1 AND criterion_id = ?2",
                params![unit_id, criterion_id, fetch],
                |r| Ok(cut_to(limit, r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or_default();
        detail.log = self.item_log(unit_code.trim(), criterion_code.trim())?;
        Ok(detail)
    }

    /// The item's decision log, oldest first.
    pub(super) fn item_log(
        &self,
        unit_code: &str,
        criterion_code: &str,
    ) -> Result<Vec<DecisionRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT action, score, reason, decided_by, decided_at, login FROM decision_log
             WHERE unit_code = ?1 AND criterion_code = ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![unit_code, criterion_code])?;
        let mut log = Vec::new();
        while let Some(row) = rows.next()? {
            let action: String = row.get(0)?;
            let action = match action.as_str() {
                "decide" => DecisionAction::Decide {
                    score: decimal(&row.get::<_, String>(1)?)?,
                    reason: row.get(2)?,
                },
                "undo" => DecisionAction::Undo,
                "redo" => DecisionAction::Redo,
                "flag" => DecisionAction::Flag { on: true },
                _ => DecisionAction::Flag { on: false },
            };
            log.push(DecisionRecord {
                action,
                by: row.get(3)?,
                login: row.get(5)?,
                at: row.get(4)?,
            });
        }
        Ok(log)
    }

    /// The current lean state of one item.
    pub fn item_state(
        &self,
        unit_code: &str,
        criterion_code: &str,
    ) -> Result<ItemState, StoreError> {
        let framework = self.cached_framework()?;
        let unit_id = self.unit_id(unit_code)?;
        let (criterion_id, def) = self.leaf(&framework, criterion_code)?;
        self.item_state_by_id(unit_id, criterion_id, &def)
    }

    pub(super) fn item_state_by_id(
        &self,
        unit_id: i64,
        criterion_id: i64,
        def: &crate::domain::CriterionDef,
    ) -> Result<ItemState, StoreError> {
        let survey = def.kind == crate::domain::CriterionKind::Survey;
        let mut item = ItemState::default();
        let row: Option<(Option<String>, u32, bool)> = self
            .conn
            .query_row(
                "SELECT s.score, s.evidence_count, s.changed FROM units u
                 JOIN self_scores s ON s.submission_id = u.current_submission AND s.criterion_id = ?2
                 WHERE u.id = ?1",
                params![unit_id, criterion_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((score, evidence_count, changed)) = row {
            item.self_score = optional_decimal(score)?;
            item.evidence_count = evidence_count;
            item.changed_in_resubmission = changed;
        }
        if survey {
            item.self_score = self.item_score(
                "SELECT score FROM survey WHERE unit_id = ?1 AND criterion_id = ?2",
                unit_id,
                criterion_id,
            )?;
        }
        item.proposal = self.item_score(
            "SELECT score FROM proposals WHERE unit_id = ?1 AND criterion_id = ?2",
            unit_id,
            criterion_id,
        )?;
        let state: Option<(Option<String>, Option<String>, bool, i64)> = self
            .conn
            .query_row(
                "SELECT council, basis, flagged, log_seq FROM decision_state WHERE unit_id = ?1 AND criterion_id = ?2",
                params![unit_id, criterion_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((council, basis, flagged, log_seq)) = state {
            item.council = optional_decimal(council)?;
            item.flagged = flagged;
            item.log_seq = log_seq;
            item.decision_stale =
                item.council.is_some() && optional_decimal(basis)? != Some(item.self_points());
        }
        item.check_claim(def);
        Ok(item)
    }

    /// The score `sql` selects for one item (by unit id ?1 and criterion id ?2); None when it
    /// has no row.
    fn item_score(
        &self,
        sql: &str,
        unit_id: i64,
        criterion_id: i64,
    ) -> Result<Option<Decimal>, StoreError> {
        let score: Option<String> = self
            .conn
            .query_row(sql, params![unit_id, criterion_id], |r| r.get(0))
            .optional()?;
        optional_decimal(score)
    }
}

impl Store {
    /// The version numbers of a unit's submissions, oldest first.
    pub fn submission_versions(&self, unit_code: &str) -> Result<Vec<u32>, StoreError> {
        let unit_id = self.unit_id(unit_code)?;
        let mut stmt = self
            .conn
            .prepare("SELECT version FROM submissions WHERE unit_id = ?1 ORDER BY version")?;
        let versions = stmt
            .query_map([unit_id], |r| r.get(0))?
            .collect::<Result<Vec<u32>, _>>()?;
        Ok(versions)
    }

    /// One submission version's score and note per leaf, in leaf order (None, "" where the
    /// version has no row). `version` None means the current one.
    pub fn submission_items(
        &self,
        session: &Session,
        unit_code: &str,
        version: Option<u32>,
    ) -> Result<Vec<(Option<Decimal>, String)>, StoreError> {
        let unit_id = self.unit_id(unit_code)?;
        let submission: Option<i64> = match version {
            Some(v) => self
                .conn
                .query_row(
                    "SELECT id FROM submissions WHERE unit_id = ?1 AND version = ?2",
                    params![unit_id, v],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| {
                    StoreError::Rejected(Rejection::NoSuchVersion {
                        unit: unit_code.to_string(),
                        version: v,
                    })
                })
                .map(Some)?,
            None => self.conn.query_row(
                "SELECT current_submission FROM units WHERE id = ?1",
                [unit_id],
                |r| r.get(0),
            )?,
        };
        let mut items = vec![(None, String::new()); session.leaf_count()];
        let Some(submission) = submission else {
            return Ok(items);
        };
        let mut stmt = self.conn.prepare(
            "SELECT criterion_id, score, note FROM self_scores WHERE submission_id = ?1",
        )?;
        let mut rows = stmt.query([submission])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let leaf = usize::try_from(id)
                .ok()
                .and_then(|id| session.framework.nodes().get(id)?.leaf_index);
            if let Some(leaf) = leaf {
                items[leaf] = (optional_decimal(row.get(1)?)?, row.get(2)?);
            }
        }
        Ok(items)
    }
}

/// How much of a long text the screen reads: enough for any real note, and little enough to
/// lay out on every frame.
pub const DISPLAY_TEXT_CHARS: usize = 20_000;

/// A text read with `limit` (None: whole), given its full size in bytes.
fn cut_to(limit: Option<(usize, CutNote)>, text: String, total_bytes: i64) -> String {
    match limit {
        Some((limit, note)) => cut_for_display(text, total_bytes, limit, note),
        None => text,
    }
}

fn cut_evidence(evidence: &mut Evidence, note: CutNote) {
    for text in [
        &mut evidence.reference,
        &mut evidence.title,
        &mut evidence.location,
    ] {
        let total = text.len() as i64;
        *text = cut_for_display(std::mem::take(text), total, DISPLAY_TEXT_CHARS, note);
    }
}
