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
