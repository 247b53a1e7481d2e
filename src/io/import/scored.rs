//! proposals.csv and survey.csv: one scored row per unit × leaf.

use super::cells::clean_text;
use super::columns::{
    CRITERION, Column, PROPOSALS_COLUMNS, SURVEY_COLUMNS, proposal_col, survey_col,
};
use super::items::{
    Breach, checkable_leaf, duplicate_row, is_survey_leaf, read_points, resolve_item,
    survey_leaf_refused,
};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::Framework;
use crate::io::{Problem, ScoredBy};
use crate::io::{ProposalRow, SurveyRow};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// Lines of the rows seen per unit × leaf, for duplicate checks.
pub(super) struct SeenItems {
    pub(super) leaf_count: usize,
    pub(super) lines: HashMap<usize, u64>,
}

impl SeenItems {
    pub(super) fn new(framework: &Framework) -> SeenItems {
        SeenItems {
            leaf_count: framework.leaves().len(),
            lines: HashMap::new(),
        }
    }

    /// Records the row; returns the line of an earlier row for the same item.
    pub(super) fn first_line(&mut self, unit: usize, leaf: usize, line: u64) -> Option<u64> {
        let key = unit * self.leaf_count + leaf;
        match self.lines.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.lines.insert(key, line);
                None
            }
        }
    }
}

/// What sets proposals.csv and survey.csv apart; the rest of their reading is the same.
pub(super) struct ItemFileShape<Row> {
    pub(super) columns: &'static [Column],
    /// Declared index of the score column.
    pub(super) score: usize,
    /// The score column's name in messages.
    pub(super) score_name: &'static str,
    /// The error for a leaf this file may not score, None when it may.
    pub(super) misplaced_leaf: fn(&Framework, usize) -> Option<Problem>,
    /// The file, as the warning about rows with an empty score names it.
    pub(super) file: ScoredBy,
    /// Builds a row from the unit code, the leaf code, the score and the row's other cells.
    pub(super) row: fn(String, String, Decimal, &Table<'_>) -> Row,
}

pub(super) const PROPOSALS_SHAPE: ItemFileShape<ProposalRow> = ItemFileShape {
    columns: PROPOSALS_COLUMNS,
    score: proposal_col::SCORE,
    score_name: "proposed_score",
    misplaced_leaf: |framework, leaf| survey_leaf_refused(framework, leaf, ScoredBy::Proposals),
    file: ScoredBy::Proposals,
    row: |unit_code, criterion_code, score, table| ProposalRow {
        unit_code,
        criterion_code,
        score,
        note: clean_text(table.cell(proposal_col::NOTE)),
    },
};

pub(super) const SURVEY_SHAPE: ItemFileShape<SurveyRow> = ItemFileShape {
    columns: SURVEY_COLUMNS,
    score: survey_col::SCORE,
    score_name: "score",
    misplaced_leaf: |framework, leaf| {
        (!is_survey_leaf(framework, leaf)).then(|| Problem::NotASurveyLeaf {
            code: framework.leaf(leaf).code().to_string(),
            kind: framework.leaf(leaf).def.kind.as_str(),
        })
    },
    file: ScoredBy::Survey,
    row: |unit_code, criterion_code, score, _| SurveyRow {
        unit_code,
        criterion_code,
        score,
    },
};

/// Reads proposals.csv or survey.csv (as `file` describes): one scored row per unit × leaf.
pub(super) fn read_items<Row>(
    file: &ItemFileShape<Row>,
    path: &Path,
    rows: CsvRows,
    framework: Option<&Framework>,
    units: &UnitIndex,
    report: &mut Report,
) -> Vec<Row> {
    let Some(mut table) = Table::open(path, rows, file.columns, report) else {
        return Vec::new();
    };
    let mut seen = framework.map(SeenItems::new);
    let mut read = Vec::new();
    let mut empty_rows = 0usize;
    while let Some(line) = table.next(report) {
        let item = resolve_item(&table, line, framework, units, report);
        let leaf = checkable_leaf(item, framework);
        if let Some(problem) = leaf.and_then(|(f, leaf)| (file.misplaced_leaf)(f, leaf)) {
            report.error(path, Some(line), table.column(CRITERION), problem);
            continue;
        }
        let points = read_points(
            &table,
            line,
            file.score,
            file.score_name,
            leaf,
            Breach::Refused,
            report,
        );
        let (Some((unit, Some(leaf_index))), Some((framework, _)), Some(seen)) =
            (item, leaf, seen.as_mut())
        else {
            continue;
        };
        if let Some(first) = seen.first_line(unit, leaf_index, line) {
            let problem =
                duplicate_row(&units.codes[unit], framework.leaf(leaf_index).code(), first);
            report.error(path, Some(line), table.column(CRITERION), problem);
            continue;
        }
        match points {
            Ok(Some(score)) => read.push((file.row)(
                units.codes[unit].clone(),
                framework.leaf(leaf_index).code().to_string(),
                score,
                &table,
            )),
            Ok(None) => empty_rows += 1,
            Err(()) => {}
        }
    }
    if empty_rows > 0 {
        let problem = Problem::EmptyScoresSkipped {
            count: empty_rows,
            file: file.file,
        };
        report.warn(path, None, table.column(file.score), problem);
    }
    read
}
