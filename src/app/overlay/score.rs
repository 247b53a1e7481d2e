//! The council-score editor (`e`): the score is checked against the leaf's range and step as
//! it is typed; the submit key goes on to the reason.

use super::reason::ReasonEditor;
use super::{ItemRef, Overlay, edit_line};
use crate::app::AppState;
use crate::app::keymap::{EditorCommand, EditorInput, Hint, Key, Keymap};
use crate::domain::criteria::ScoreRangeError;
use crate::domain::score::Numbers;
use crate::domain::{CriterionDef, parse_score};
use crate::messages::screen::{KeyTexts, Labels};
use rust_decimal::Decimal;

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
    AboveMax(Decimal),
    BelowMin(Decimal),
    /// The step; None for a criterion without one.
    OffStep(Option<Decimal>),
}

impl ScoreProblem {
    pub fn text(&self, labels: &Labels, numbers: Numbers) -> String {
        match self {
            ScoreProblem::NotANumber => labels.not_a_number.to_string(),
            ScoreProblem::AboveMax(max) => format!("{} {}", labels.above_max, numbers.points(*max)),
            ScoreProblem::BelowMin(min) => format!("{} {}", labels.below_min, numbers.points(*min)),
            ScoreProblem::OffStep(step) => {
                let step = step.map(|s| numbers.points(s)).unwrap_or_default();
                format!("{} {step}", labels.off_step)
            }
        }
    }
}

impl ScoreEditor {
    /// Opens on an item, prefilled with the council's score, else the proposal, else the
    /// self-score.
    pub(crate) fn open(state: &AppState, unit: usize, leaf: usize) -> ScoreEditor {
        let item = state.session.item(unit, leaf);
        let prefill = item.council.or(item.proposal).or(item.self_score);
        ScoreEditor {
            item: ItemRef {
                unit,
                leaf,
                expected_seq: item.log_seq,
            },
            input: prefill
                .map(|p| state.numbers().points(p))
                .unwrap_or_default(),
        }
    }

    /// The score typed, checked against the leaf's range and step.
    pub fn check(&self, def: &CriterionDef) -> Result<Decimal, ScoreProblem> {
        let score = parse_score(&self.input).map_err(|_| ScoreProblem::NotANumber)?;
        def.check_score(score).map_err(|e| match e {
            ScoreRangeError::AboveMax { .. } => ScoreProblem::AboveMax(def.max_points),
            ScoreRangeError::BelowMin { .. } => ScoreProblem::BelowMin(def.min_points),
            ScoreRangeError::OffStep { .. } => ScoreProblem::OffStep(def.step),
        })?;
        Ok(score)
    }

    /// Typing edits the score; submit (with a valid score) opens the reason; cancel closes.
    pub(crate) fn on_key(mut self, state: &AppState, key: Key) -> Option<Overlay> {
        match state.keymap.editor_input(key) {
            EditorInput::Command(EditorCommand::Cancel) => return None,
            EditorInput::Command(EditorCommand::Submit) => {
                let def = &state.session.framework.leaf(self.item.leaf).def;
                if let Ok(score) = self.check(def) {
                    return Some(Overlay::Reason(ReasonEditor::after_score(
                        state, self.item, score,
                    )));
                }
            }
            input => {
                edit_line(&mut self.input, input);
            }
        }
        Some(Overlay::Score(self))
    }
}

/// The score editor's hint bar.
pub fn hints(keymap: &Keymap, words: &KeyTexts) -> Vec<Hint> {
    let editor = &keymap.editor;
    [
        editor.hint(EditorCommand::Submit, words.next),
        editor.hint(EditorCommand::Cancel, words.cancel),
    ]
    .into_iter()
    .flatten()
    .collect()
}
