//! Writing an import's rows inside its transaction: criteria, units, a new submission version
//! per unit whose rows changed, proposals (replaced ones kept as history) and survey points.
//! Rows go in many to a statement, bound from the rows' own texts without a copy per value; in
//! a session that held no rows they are also hashed into the import's digest as they go.

use super::StoreError;
use super::chain::{DigestParts, PROPOSALS, SUBMISSIONS};
use super::import::{StoredUnit, SubmissionChange, criterion_id, submission_change, unit_ids};
use super::load::{decimal, evidence_from_json, evidence_to_json};
use crate::domain::chain::ContentHasher;
use crate::domain::import::{
    EvidenceArena, EvidenceList, SessionRows, SubmittedItem, UnitSubmission,
};
use crate::domain::{Framework, format_dot};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One item of a unit's submission as stored (its evidence as stored JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StoredItem {
    pub(super) score: Option<Decimal>,
    pub(super) note: String,
    pub(super) evidence_count: i64,
    pub(super) evidence: String,
}

/// The unit's current submission, keyed by criterion id; evidence written as this build
/// writes it, so that equal lists compare equal.
pub(super) fn current_items(
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
        let evidence = evidence_from_json(row.get_ref(3)?.as_str()?)?;
        items.insert(
            row.get::<_, i64>(0)?,
            StoredItem {
                score: score.as_deref().map(decimal).transpose()?,
                note: row.get(2)?,
                evidence_count: evidence.len() as i64,
                evidence: evidence_to_json(&evidence),
            },
        );
    }
    Ok(items)
}

/// The item a submitted row leads to, given the previous version of it.
pub(super) fn merged(
    item: &SubmittedItem,
    rows: &SessionRows,
    previous: Option<&StoredItem>,
) -> StoredItem {
    let (score, note) = if item.in_self_scores {
        (item.score, rows.texts.get(item.note).to_string())
    } else {
        previous
            .map(|p| (p.score, p.note.clone()))
            .unwrap_or((None, String::new()))
    };
    let (evidence_count, evidence) = match &item.evidence {
        Some(list) => {
            let mut json = String::new();
            evidence_json(&rows.evidence, list, &mut json);
            (i64::from(list.count), json)
        }
        None => previous
            .map(|p| (p.evidence_count, p.evidence.clone()))
            .unwrap_or_else(|| (0, "[]".to_string())),
    };
    StoredItem {
        score,
        note,
        evidence_count,
        evidence,
    }
}

/// An evidence list as stored: a JSON array of [ref, title, location], exactly as
/// `evidence_to_json` writes it (serde_json's compact form), into `json`.
fn evidence_json(arena: &EvidenceArena, list: &EvidenceList, json: &mut String) {
    json.clear();
    json.push('[');
    for (i, row) in arena.rows(list).enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        for (j, text) in row.iter().enumerate() {
            if j > 0 {
                json.push(',');
            }
            json_string(text, json);
        }
        json.push(']');
    }
    json.push(']');
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control characters as \b \t
/// \n \f \r or \u00XX (lower-case hex), everything else as it is.
fn json_string(text: &str, json: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| b < 0x20 || b == b'"' || b == b'\\')
    {
        json.push_str(&rest[..at]);
        let byte = rest.as_bytes()[at];
        match byte {
            b'"' => json.push_str("\\\""),
            b'\\' => json.push_str("\\\\"),
            0x08 => json.push_str("\\b"),
            b'\t' => json.push_str("\\t"),
            b'\n' => json.push_str("\\n"),
            0x0C => json.push_str("\\f"),
            b'\r' => json.push_str("\\r"),
            _ => {
                json.push_str("\\u00");
                json.push(char::from(HEX[usize::from(byte >> 4)]));
                json.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
        // The byte is ASCII: the next one starts a character.
        rest = &rest[at + 1..];
    }
    json.push_str(rest);
    json.push('"');
}

/// A unit's hasher of submissions and self-scores with a new submission's row in it, as
/// `SELECT unit_id, * FROM submissions` reads it back (a first import writes version 1).
fn submission_row<'h>(
    hasher: &'h mut ContentHasher,
    (unit_id, submission_id): (i64, i64),
    at: &str,
) -> &'h mut ContentHasher {
    hasher.integer(submission_id);
    hasher.integer(unit_id);
    hasher.integer(1);
    hasher.text(at.as_bytes());
    hasher.end_row();
    hasher
}

/// One value of a row waiting to be inserted.
enum Cell {
    Null,
    Integer(i64),
    /// A range of [`BulkInsert::text`].
    Text(std::ops::Range<usize>),
}

/// Inserts rows many at a time: one multi-row INSERT per chunk saves most of SQLite's
/// per-statement cost on a bulk import. The values of a chunk wait as cells over one text
/// buffer, reused from chunk to chunk. Columns are named in the table's own order, so that a
/// row can be hashed as the digest's `SELECT *` reads it back.
struct BulkInsert<'c> {
    conn: &'c Connection,
    table: &'static str,
    columns: &'static [&'static str],
    cells: Vec<Cell>,
    text: String,
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
            cells: Vec::with_capacity(columns.len() * Self::ROWS),
            text: String::new(),
        }
    }

    fn null(&mut self) -> &mut Self {
        self.cells.push(Cell::Null);
        self
    }

    fn integer(&mut self, value: i64) -> &mut Self {
        self.cells.push(Cell::Integer(value));
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(value);
        self.cells.push(Cell::Text(start..self.text.len()));
        self
    }

    /// Ends the row just given (hashing it into `hasher`, if any); writes a full chunk.
    fn end_row(&mut self, hasher: Option<&mut ContentHasher>) -> Result<(), StoreError> {
        if let Some(hasher) = hasher {
            let row = &self.cells[self.cells.len() - self.columns.len()..];
            for cell in row {
                match cell {
                    Cell::Null => hasher.null(),
                    Cell::Integer(value) => hasher.integer(*value),
                    Cell::Text(range) => hasher.text(&self.text.as_bytes()[range.clone()]),
                }
            }
            hasher.end_row();
        }
        if self.cells.len() >= self.columns.len() * Self::ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let rows = self.cells.len() / self.columns.len();
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
        for (index, cell) in self.cells.iter().enumerate() {
            match cell {
                Cell::Null => stmt.raw_bind_parameter(index + 1, rusqlite::types::Null)?,
                Cell::Integer(value) => stmt.raw_bind_parameter(index + 1, *value)?,
                Cell::Text(range) => {
                    stmt.raw_bind_parameter(index + 1, &self.text[range.clone()])?
                }
            }
        }
        stmt.raw_execute()?;
        self.cells.clear();
        self.text.clear();
        Ok(())
    }
}

/// Scores as stored ("6.5"), remembered: a folder's scores take few distinct values.
#[derive(Default)]
struct ScoreTexts {
    known: Vec<(Decimal, String)>,
    other: String,
}

impl ScoreTexts {
    const REMEMBERED: usize = 64;

    fn get(&mut self, score: Decimal) -> &str {
        match self.known.iter().position(|(known, _)| *known == score) {
            Some(index) => &self.known[index].1,
            None if self.known.len() < Self::REMEMBERED => {
                self.known.push((score, format_dot(score)));
                &self.known[self.known.len() - 1].1
            }
            None => {
                self.other = format_dot(score);
                &self.other
            }
        }
    }
}

/// The self_scores columns, in the table's order.
const SELF_SCORE_COLUMNS: &[&str] = &[
    "submission_id",
    "criterion_id",
    "score",
    "evidence_count",
    "changed",
    "note",
    "evidence",
];

/// The proposals columns, in the table's order.
const PROPOSAL_COLUMNS: &[&str] = &["unit_id", "criterion_id", "score", "note", "imported_at"];

/// Writes one import's rows inside its transaction.
pub(super) struct Writer<'a> {
    tx: &'a Connection,
    rows: &'a SessionRows,
    framework: &'a Framework,
    at: &'a str,
    /// Each row unit code's stored unit, once the units are written.
    units: Vec<Option<StoredUnit>>,
    /// The digest of a first import, hashed as the rows go in.
    hashed: Option<DigestParts>,
}

impl<'a> Writer<'a> {
    pub(super) fn new(
        tx: &'a Connection,
        rows: &'a SessionRows,
        framework: &'a Framework,
        at: &'a str,
        hashed: Option<DigestParts>,
    ) -> Writer<'a> {
        Writer {
            tx,
            rows,
            framework,
            at,
            units: Vec::new(),
            hashed,
        }
    }

    /// The digest parts hashed on the way, for the import's chain entry.
    pub(super) fn finish(self) -> Option<DigestParts> {
        self.hashed
    }

    /// The folder's criteria.csv: new criteria, and new titles and rules of existing ones.
    pub(super) fn criteria(&mut self) -> Result<(), StoreError> {
        let Some(incoming) = &self.rows.framework else {
            return Ok(());
        };
        let mut stmt = self.tx.prepare(
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
        Ok(())
    }

    /// The folder's units.csv: new units, and new names and groups of existing ones.
    pub(super) fn units(&mut self) -> Result<(), StoreError> {
        let tx = self.tx;
        let mut next_id: i64 =
            tx.query_row("SELECT coalesce(max(id) + 1, 0) FROM units", [], |r| {
                r.get(0)
            })?;
        let existing = unit_ids(tx)?;
        let mut insert =
            tx.prepare("INSERT INTO units (id, code, name, grp) VALUES (?1, ?2, ?3, ?4)")?;
        let mut update = tx.prepare("UPDATE units SET name = ?2, grp = ?3 WHERE code = ?1")?;
        for unit in &self.rows.units {
            if existing.contains_key(&unit.code) {
                update.execute(params![unit.code, unit.name, unit.group])?;
            } else {
                insert.execute(params![next_id, unit.code, unit.name, unit.group])?;
                next_id += 1;
            }
        }
        let mut stored = unit_ids(tx)?;
        let codes = self.rows.unit_codes.iter();
        self.units = codes.map(|code| stored.remove(code)).collect();
        Ok(())
    }

    fn unit(&self, unit: usize) -> Result<&StoredUnit, StoreError> {
        self.units
            .get(unit)
            .and_then(Option::as_ref)
            .ok_or_else(|| StoreError::UnknownUnit(self.rows.unit_codes[unit].clone()))
    }

    /// A new version for every unit whose submission changes its current one.
    pub(super) fn submissions(&mut self) -> Result<(), StoreError> {
        let mut new_submission = self.tx.prepare(
            "INSERT INTO submissions (unit_id, version, imported_at)
             VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE unit_id = ?1), ?2)",
        )?;
        let mut set_current = self
            .tx
            .prepare("UPDATE units SET current_submission = ?2 WHERE id = ?1")?;
        let mut items = BulkInsert::new(self.tx, "self_scores", SELF_SCORE_COLUMNS);
        let mut hashed = self.hashed.take();
        for submission in &self.rows.submissions {
            let (unit_id, _, _, current) = *self.unit(submission.unit)?;
            let rows = (self.framework, self.rows);
            let (change, previous) = submission_change(self.tx, rows, current, submission)?;
            if matches!(change, SubmissionChange::Unchanged) {
                continue;
            }
            new_submission.execute(params![unit_id, self.at])?;
            let submission_id = self.tx.last_insert_rowid();
            let hasher = hashed
                .as_mut()
                .map(|parts| parts.unit_part(unit_id, SUBMISSIONS));
            let hasher =
                hasher.map(|hasher| submission_row(hasher, (unit_id, submission_id), self.at));
            if previous.is_empty() {
                self.first_items(&mut items, submission, submission_id, hasher)?;
            } else {
                self.next_items(&mut items, submission, (submission_id, &previous))?;
            }
            set_current.execute(params![unit_id, submission_id])?;
        }
        self.hashed = hashed;
        items.flush()
    }

    /// A first submission: its items go in as read, in leaf order (criterion id order).
    fn first_items(
        &self,
        items: &mut BulkInsert<'_>,
        submission: &UnitSubmission,
        submission_id: i64,
        mut hasher: Option<&mut ContentHasher>,
    ) -> Result<(), StoreError> {
        let (mut json, mut scores) = (String::new(), ScoreTexts::default());
        let submitted = submission.items.iter().enumerate();
        for (leaf, item) in submitted.filter(|(_, item)| item.is_submitted()) {
            items.integer(submission_id);
            items.integer(criterion_id(self.framework, leaf)?);
            match item.score {
                Some(score) => items.text(scores.get(score)),
                None => items.null(),
            };
            let note = if item.in_self_scores {
                self.rows.texts.get(item.note)
            } else {
                ""
            };
            match &item.evidence {
                Some(list) => evidence_json(&self.rows.evidence, list, &mut json),
                None => json.replace_range(.., "[]"),
            }
            let count = item.evidence.map_or(0, |list| list.count);
            items
                .integer(i64::from(count))
                .integer(0)
                .text(note)
                .text(&json);
            items.end_row(hasher.as_deref_mut())?;
        }
        Ok(())
    }

    /// A later version: the submitted items merged over the previous version's, the items
    /// the files do not mention carried forward, each marked if it changed.
    fn next_items(
        &self,
        items: &mut BulkInsert<'_>,
        submission: &UnitSubmission,
        (submission_id, previous): (i64, &HashMap<i64, StoredItem>),
    ) -> Result<(), StoreError> {
        let mut written: HashMap<i64, StoredItem> = HashMap::with_capacity(previous.len());
        let submitted = submission.items.iter().enumerate();
        for (leaf, item) in submitted.filter(|(_, item)| item.is_submitted()) {
            let id = criterion_id(self.framework, leaf)?;
            written.insert(id, merged(item, self.rows, previous.get(&id)));
        }
        for (id, item) in previous {
            written.entry(*id).or_insert_with(|| item.clone());
        }
        let mut ids: Vec<&i64> = written.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let item = &written[id];
            let changed = previous.get(id) != Some(item);
            items.integer(submission_id).integer(*id);
            match item.score {
                Some(score) => items.text(&format_dot(score)),
                None => items.null(),
            };
            items
                .integer(item.evidence_count)
                .integer(i64::from(changed));
            items.text(&item.note).text(&item.evidence);
            items.end_row(None)?;
        }
        Ok(())
    }

    /// The working group's proposals: inserted as they are into a session without any, else
    /// each changed one replacing the stored one, which is kept as history.
    pub(super) fn proposals(&mut self) -> Result<(), StoreError> {
        let fresh: bool =
            self.tx
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM proposals)", [], |r| {
                    r.get(0)
                })?;
        if fresh {
            return self.first_proposals();
        }
        let mut history = self.tx.prepare(
            "INSERT INTO proposal_history (unit_id, criterion_id, score, note, imported_at, replaced_at)
             SELECT unit_id, criterion_id, score, note, imported_at, ?3 FROM proposals
             WHERE unit_id = ?1 AND criterion_id = ?2 AND (score <> ?4 OR note <> ?5)",
        )?;
        let mut upsert = self.tx.prepare(
            "INSERT INTO proposals (unit_id, criterion_id, score, note, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (unit_id, criterion_id) DO UPDATE SET score = excluded.score, note = excluded.note,
                 imported_at = excluded.imported_at
             WHERE proposals.score <> excluded.score OR proposals.note <> excluded.note",
        )?;
        for proposal in &self.rows.proposals {
            let unit_id = self.unit(proposal.unit as usize)?.0;
            let id = criterion_id(self.framework, proposal.leaf as usize)?;
            let (score, note) = (
                format_dot(proposal.score),
                self.rows.texts.get(proposal.note),
            );
            history.execute(params![unit_id, id, self.at, score, note])?;
            upsert.execute(params![unit_id, id, score, note, self.at])?;
        }
        Ok(())
    }

    /// Proposals into a session without any: in key order (unit id, criterion id), which is
    /// also the order the digest reads them back in.
    fn first_proposals(&mut self) -> Result<(), StoreError> {
        let proposals = &self.rows.proposals;
        let unit_ids = (proposals.iter())
            .map(|proposal| Ok(self.unit(proposal.unit as usize)?.0))
            .collect::<Result<Vec<i64>, StoreError>>()?;
        // Criterion ids grow with the leaf index: (unit id, leaf) is the key's order.
        let mut order: Vec<u32> = (0..proposals.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (unit_ids[i as usize], proposals[i as usize].leaf));
        let mut bulk = BulkInsert::new(self.tx, "proposals", PROPOSAL_COLUMNS);
        let mut scores = ScoreTexts::default();
        for i in order {
            let (unit_id, proposal) = (unit_ids[i as usize], &proposals[i as usize]);
            let id = criterion_id(self.framework, proposal.leaf as usize)?;
            let note = self.rows.texts.get(proposal.note);
            bulk.integer(unit_id)
                .integer(id)
                .text(scores.get(proposal.score));
            bulk.text(note).text(self.at);
            let hasher = self
                .hashed
                .as_mut()
                .map(|parts| parts.unit_part(unit_id, PROPOSALS));
            bulk.end_row(hasher)?;
        }
        bulk.flush()
    }

    /// Survey points: new ones, and changed scores of stored ones.
    pub(super) fn survey(&mut self) -> Result<(), StoreError> {
        let mut survey = self.tx.prepare(
            "INSERT INTO survey (unit_id, criterion_id, score, imported_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (unit_id, criterion_id) DO UPDATE SET score = excluded.score,
                 imported_at = excluded.imported_at WHERE survey.score <> excluded.score",
        )?;
        for row in &self.rows.survey {
            let unit_id = self.unit(row.unit as usize)?.0;
            let id = criterion_id(self.framework, row.leaf as usize)?;
            survey.execute(params![unit_id, id, format_dot(row.score), self.at])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Evidence;

    #[test]
    fn evidence_is_written_as_the_store_has_always_written_it() {
        let texts = [
            ["376/KH-UBND", "Kế hoạch", ""],
            ["7/\"BC\"\n\\x", "tab\tand \u{1}\u{7f}", "ổ đĩa/€/日本"],
            ["", "", "</script>"],
        ];
        let mut arena = EvidenceArena::default();
        let mut list = None;
        for row in texts {
            arena.push(&mut list, row);
        }
        let mut json = String::new();
        evidence_json(&arena, &list.unwrap(), &mut json);
        let evidence: Vec<Evidence> = texts
            .iter()
            .map(|[reference, title, location]| Evidence {
                reference: reference.to_string(),
                title: title.to_string(),
                location: location.to_string(),
            })
            .collect();
        assert_eq!(json, evidence_to_json(&evidence));
        evidence_json(&arena, &EvidenceList::EMPTY, &mut json);
        assert_eq!(json, evidence_to_json(&[]));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(text in "\\PC*|[\\x00-\\x7f]*") {
            let mut json = String::new();
            json_string(&text, &mut json);
            proptest::prop_assert_eq!(json, serde_json::to_string(&text).unwrap());
        }
    }
}
