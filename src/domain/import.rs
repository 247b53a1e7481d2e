//! What a session folder is read into: the rows of its files, checked against the criteria and
//! units, before the store writes them.

use super::{Evidence, Framework, Unit};
use rust_decimal::Decimal;

/// One unit's self-assessment of one leaf, as read from self_scores.csv and evidence.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfScoreRow {
    pub criterion_code: String,
    /// Whether self_scores.csv has a row for the item. Items that only appear in evidence.csv
    /// keep the score and note of the unit's previous submission.
    pub in_self_scores: bool,
    /// None: the cell was empty (a warning; counts 0, shown as missing).
    pub score: Option<Decimal>,
    pub note: String,
    /// None: evidence.csv says nothing about this item (keep the previous version's).
    pub evidence: Option<Vec<Evidence>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRow {
    pub unit_code: String,
    pub criterion_code: String,
    pub score: Decimal,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRow {
    pub unit_code: String,
    pub criterion_code: String,
    pub score: Decimal,
}

/// Everything one session folder holds, validated against the framework (the folder's own
/// criteria.csv, else the session's). Codes are trimmed and NFC; texts NFC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportBatch {
    /// From criteria.csv, if the folder has one.
    pub framework: Option<Framework>,
    /// From units.csv, if the folder has one.
    pub units: Vec<Unit>,
    /// Per unit (in file order of first appearance): its submitted rows, in leaf order.
    pub submissions: Vec<(String, Vec<SelfScoreRow>)>,
    pub proposals: Vec<ProposalRow>,
    pub survey: Vec<SurveyRow>,
}

/// Where one text sits in a [`TextArena`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    start: usize,
    len: u32,
}

/// Many texts kept end to end in one string: the notes of 600,000 rows are one allocation,
/// not 600,000.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextArena {
    text: String,
}

impl TextArena {
    pub fn push(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        // A cell is at most 128 MiB (the reader's cap on a record), far below u32::MAX.
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        Span { start, len }
    }

    pub fn get(&self, span: Span) -> &str {
        let end = span.start + span.len as usize;
        self.text.get(span.start..end).unwrap_or("")
    }
}

/// No evidence row: the end of an item's list.
const NO_ROW: u32 = u32::MAX;

/// One evidence row: its three texts, one after the other, and the item's next row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EvidenceRow {
    start: usize,
    lens: [u32; 3],
    next: u32,
}

/// An item's evidence rows, in file order, as a list through an [`EvidenceArena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceList {
    first: u32,
    last: u32,
    pub count: u32,
}

/// The evidence rows of every item, in file order, each item's rows linked as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceArena {
    texts: TextArena,
    rows: Vec<EvidenceRow>,
}

impl EvidenceArena {
    /// Appends a row to `list` (a new list when None).
    pub fn push(
        &mut self,
        list: &mut Option<EvidenceList>,
        [reference, title, location]: [&str; 3],
    ) {
        let start = self.texts.push(reference).start;
        let lens = [reference, title, location].map(|text| text.len() as u32);
        self.texts.push(title);
        self.texts.push(location);
        let row = u32::try_from(self.rows.len()).unwrap_or(NO_ROW);
        self.rows.push(EvidenceRow {
            start,
            lens,
            next: NO_ROW,
        });
        match list {
            Some(list) if list.count > 0 => {
                if let Some(last) = self.rows.get_mut(list.last as usize) {
                    last.next = row;
                }
                list.last = row;
                list.count += 1;
            }
            _ => {
                *list = Some(EvidenceList {
                    first: row,
                    last: row,
                    count: 1,
                })
            }
        }
    }

    /// The rows of a list: [reference, title, location] each.
    pub fn rows(&self, list: &EvidenceList) -> EvidenceRows<'_> {
        EvidenceRows {
            arena: self,
            next: list.first,
        }
    }

    /// The list as evidence values.
    pub fn to_evidence(&self, list: &EvidenceList) -> Vec<Evidence> {
        self.rows(list)
            .map(|[reference, title, location]| Evidence {
                reference: reference.to_string(),
                title: title.to_string(),
                location: location.to_string(),
            })
            .collect()
    }

    fn texts_of(&self, row: &EvidenceRow) -> [&str; 3] {
        let [a, b, c] = row.lens;
        let text = |start: usize, len: u32| self.texts.get(Span { start, len });
        [
            text(row.start, a),
            text(row.start + a as usize, b),
            text(row.start + (a + b) as usize, c),
        ]
    }
}

/// The rows of one item's evidence list, in file order.
pub struct EvidenceRows<'a> {
    arena: &'a EvidenceArena,
    next: u32,
}

impl<'a> Iterator for EvidenceRows<'a> {
    type Item = [&'a str; 3];

    fn next(&mut self) -> Option<[&'a str; 3]> {
        let row = self.arena.rows.get(self.next as usize)?;
        self.next = row.next;
        Some(self.arena.texts_of(row))
    }
}

/// What a unit submitted for one leaf (both files' rows together).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmittedItem {
    /// Whether self_scores.csv has a row for the item. Items that only appear in evidence.csv
    /// keep the score and note of the unit's previous submission.
    pub in_self_scores: bool,
    /// None: the cell was empty (a warning; counts 0, shown as missing).
    pub score: Option<Decimal>,
    /// In [`SessionRows::texts`].
    pub note: Span,
    /// None: evidence.csv says nothing about this item (keep the previous version's).
    pub evidence: Option<EvidenceList>,
}

impl SubmittedItem {
    /// Whether the unit submitted anything for the leaf.
    pub fn is_submitted(&self) -> bool {
        self.in_self_scores || self.evidence.is_some()
    }
}

/// One unit's submission: an item per leaf of the framework, in leaf order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSubmission {
    /// Index into [`SessionRows::unit_codes`].
    pub unit: usize,
    pub items: Vec<SubmittedItem>,
}

/// A proposal or a survey score of one unit × leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredRow {
    /// Index into [`SessionRows::unit_codes`].
    pub unit: u32,
    pub leaf: u32,
    pub score: Decimal,
    /// In [`SessionRows::texts`] (empty for survey rows).
    pub note: Span,
}

/// Everything one session folder holds, as [`ImportBatch`] says it, in compact rows: units by
/// index, leaves by index into the framework the rows were checked against (the folder's
/// own, else the session's), texts in arenas. What the store writes an import from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionRows {
    /// From criteria.csv, if the folder has one.
    pub framework: Option<Framework>,
    /// From units.csv, if the folder has one.
    pub units: Vec<Unit>,
    /// Every unit code the rows refer to.
    pub unit_codes: Vec<String>,
    /// Per unit (in file order of first appearance).
    pub submissions: Vec<UnitSubmission>,
    pub proposals: Vec<ScoredRow>,
    pub survey: Vec<ScoredRow>,
    /// Notes of self-scores and proposals.
    pub texts: TextArena,
    pub evidence: EvidenceArena,
    /// The folder's settings (its session.toml), checked; written in the same import.
    pub settings: Vec<crate::domain::settings::SettingChange>,
}

/// A row of a batch whose criterion code is not a leaf of the framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCriterion(pub String);

impl SessionRows {
    /// How many items were submitted, over all units.
    pub fn submitted_items(&self) -> usize {
        self.submissions
            .iter()
            .map(|s| s.items.iter().filter(|item| item.is_submitted()).count())
            .sum()
    }

    /// The rows as an [`ImportBatch`]; `session` is the framework they were checked against
    /// when the folder has none of its own.
    pub fn into_batch(self, session: Option<&Framework>) -> ImportBatch {
        let Some(framework) = self.framework.as_ref().or(session) else {
            return ImportBatch {
                framework: self.framework,
                units: self.units,
                ..ImportBatch::default()
            };
        };
        let leaf_code = |leaf: usize| framework.leaf(leaf).code().to_string();
        let submissions = self
            .submissions
            .iter()
            .map(|submission| {
                let rows = submission
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.is_submitted())
                    .map(|(leaf, item)| SelfScoreRow {
                        criterion_code: leaf_code(leaf),
                        in_self_scores: item.in_self_scores,
                        score: item.score,
                        note: self.texts.get(item.note).to_string(),
                        evidence: item.evidence.map(|list| self.evidence.to_evidence(&list)),
                    })
                    .collect();
                (self.unit_codes[submission.unit].clone(), rows)
            })
            .collect();
        let unit_code = |row: &ScoredRow| self.unit_codes[row.unit as usize].clone();
        ImportBatch {
            submissions,
            proposals: (self.proposals.iter())
                .map(|row| ProposalRow {
                    unit_code: unit_code(row),
                    criterion_code: leaf_code(row.leaf as usize),
                    score: row.score,
                    note: self.texts.get(row.note).to_string(),
                })
                .collect(),
            survey: (self.survey.iter())
                .map(|row| SurveyRow {
                    unit_code: unit_code(row),
                    criterion_code: leaf_code(row.leaf as usize),
                    score: row.score,
                })
                .collect(),
            framework: self.framework.clone(),
            units: self.units,
        }
    }

    /// A batch as rows checked against `framework` (its leaves by code).
    pub fn from_batch(
        batch: &ImportBatch,
        framework: &Framework,
    ) -> Result<SessionRows, UnknownCriterion> {
        let mut rows = SessionRows {
            framework: batch.framework.clone(),
            units: batch.units.clone(),
            ..SessionRows::default()
        };
        let mut units = UnitCodes::default();
        let leaf_of = |code: &str| {
            framework
                .find(code)
                .and_then(|id| framework.node(id).leaf_index)
                .ok_or_else(|| UnknownCriterion(code.to_string()))
        };
        for (unit_code, submitted) in &batch.submissions {
            let unit = units.index(&mut rows, unit_code);
            let mut items = vec![SubmittedItem::default(); framework.leaves().len()];
            for row in submitted {
                let leaf = leaf_of(&row.criterion_code)?;
                items[leaf] = rows.submitted_item(row);
            }
            rows.submissions.push(UnitSubmission { unit, items });
        }
        for proposal in &batch.proposals {
            let unit = units.index(&mut rows, &proposal.unit_code) as u32;
            let leaf = leaf_of(&proposal.criterion_code)? as u32;
            let note = rows.texts.push(&proposal.note);
            let score = proposal.score;
            rows.proposals.push(ScoredRow {
                unit,
                leaf,
                score,
                note,
            });
        }
        for survey in &batch.survey {
            let unit = units.index(&mut rows, &survey.unit_code) as u32;
            let leaf = leaf_of(&survey.criterion_code)? as u32;
            let (score, note) = (survey.score, Span::default());
            rows.survey.push(ScoredRow {
                unit,
                leaf,
                score,
                note,
            });
        }
        Ok(rows)
    }

    /// A batch's row as an item, its texts in these rows' arenas.
    fn submitted_item(&mut self, row: &SelfScoreRow) -> SubmittedItem {
        let mut item = SubmittedItem {
            in_self_scores: row.in_self_scores,
            score: row.score,
            note: self.texts.push(&row.note),
            evidence: None,
        };
        for evidence in row.evidence.iter().flatten() {
            let texts = [&evidence.reference, &evidence.title, &evidence.location];
            self.evidence
                .push(&mut item.evidence, texts.map(String::as_str));
        }
        if row.evidence.as_ref().is_some_and(Vec::is_empty) {
            item.evidence = Some(EvidenceList::EMPTY);
        }
        item
    }
}

/// Unit codes by index, as a batch's rows name them.
#[derive(Default)]
struct UnitCodes(std::collections::HashMap<String, usize>);

impl UnitCodes {
    fn index(&mut self, rows: &mut SessionRows, code: &str) -> usize {
        *self.0.entry(code.to_string()).or_insert_with(|| {
            rows.unit_codes.push(code.to_string());
            rows.unit_codes.len() - 1
        })
    }
}

impl EvidenceList {
    /// A list with no rows: evidence.csv names the item with no documents (only a batch made
    /// by hand says so; a file's rows always have a document).
    pub const EMPTY: EvidenceList = EvidenceList {
        first: NO_ROW,
        last: NO_ROW,
        count: 0,
    };
}
