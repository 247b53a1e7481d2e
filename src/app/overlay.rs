//! The small states of the overlays: each owns its input and knows how to check it.

use super::keymap::Command;
use super::labels::Labels;
use crate::domain::criteria::ScoreRangeError;
use crate::domain::{CriterionDef, NodeId, format_vi, parse_score};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help(HelpState),
    Score(ScoreEditor),
    Reason(ReasonEditor),
    Search(SearchState),
    Jump(JumpState),
    Confirm(ConfirmState),
    Finalise(super::finalise::FinaliseConfirm),
}

/// The key help, filtered by what the user types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub filter: String,
    pub scroll: usize,
}

impl HelpState {
    /// Whether a binding matches the filter (description or key, accents ignored).
    pub fn matches(&self, command: Command, keys: &str, description: &str) -> bool {
        if self.filter.trim().is_empty() {
            return true;
        }
        let needle = crate::domain::text::fold_for_search(self.filter.trim());
        let hay = crate::domain::text::fold_for_search(&format!(
            "{keys} {description} {}",
            command.name()
        ));
        hay.contains(&needle) || keys.contains(self.filter.trim())
    }
}

/// Which item an editor works on, and the log position it was opened against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRef {
    pub unit: usize,
    pub leaf: usize,
    pub expected_seq: i64,
}

/// The council-score editor: the input is checked as it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreEditor {
    pub item: ItemRef,
    pub input: String,
}

/// Why a typed score cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreProblem {
    NotANumber,
    AboveMax(String),
    BelowMin(String),
    OffStep(String),
}

impl ScoreProblem {
    pub fn text(&self, labels: &Labels) -> String {
        match self {
            ScoreProblem::NotANumber => labels.not_a_number.to_string(),
            ScoreProblem::AboveMax(max) => format!("{} {max}", labels.above_max),
            ScoreProblem::BelowMin(min) => format!("{} {min}", labels.below_min),
            ScoreProblem::OffStep(step) => format!("{} {step}", labels.off_step),
        }
    }
}

impl ScoreEditor {
    /// The score typed, checked against the leaf's range and step.
    pub fn check(&self, def: &CriterionDef) -> Result<Decimal, ScoreProblem> {
        let score = parse_score(&self.input).map_err(|_| ScoreProblem::NotANumber)?;
        def.check_score(score).map_err(|e| match e {
            ScoreRangeError::AboveMax { .. } => ScoreProblem::AboveMax(format_vi(def.max_points)),
            ScoreRangeError::BelowMin { .. } => ScoreProblem::BelowMin(format_vi(def.min_points)),
            ScoreRangeError::OffStep { .. } => {
                ScoreProblem::OffStep(def.step.map(format_vi).unwrap_or_default())
            }
        })?;
        Ok(score)
    }
}

/// The reason editor, multi-line; the reason is required when the score differs from the
/// self-score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonEditor {
    pub item: ItemRef,
    pub score: Decimal,
    pub text: String,
    pub required: bool,
    /// Set when saving was refused (empty reason where one is required).
    pub show_required: bool,
}

impl ReasonEditor {
    pub fn is_acceptable(&self) -> bool {
        !self.required || !self.text.trim().is_empty()
    }
}

/// What a search hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchHit {
    Unit(usize),
    Node(NodeId),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
}

/// The most hits a search lists; more only slow the typing down.
pub const MAX_HITS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpState {
    pub input: String,
    pub not_found: bool,
}

/// What the confirmation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmState {
    OverwriteExport { dir: String, existing: Vec<String> },
}
