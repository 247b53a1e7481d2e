//! proposals.csv and survey.csv: one scored row per unit × leaf.

use super::cells::clean_code;
use super::columns::{
    CRITERION, Column, PROPOSALS_COLUMNS, SURVEY_COLUMNS, proposal_col, survey_col,
};
use super::items::{
    Breach, Resolver, checkable_leaf, duplicate_row, is_survey_leaf, read_points,
    survey_leaf_refused,
};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::Framework;
use crate::domain::import::{ScoredRow, Span, TextArena};
use crate::io::{Problem, ScoredBy};
use std::collections::HashMap;
use std::path::Path;

/// Lines of the rows seen per unit × leaf, for duplicate checks: a sheet of lines per unit
/// that has rows, opened on its first row.
pub(super) struct SeenItems {
    leaf_count: usize,
    sheet_of_unit: HashMap<usize, usize>,
    /// Sheet after sheet, one line per leaf (0: no row yet).
    lines: Vec<u64>,
    /// The last unit seen and its sheet: rows come unit by unit.
    last: Option<(usize, usize)>,
}

impl SeenItems {
    pub(super) fn new(framework: &Framework) -> SeenItems {
        SeenItems {
            leaf_count: framework.leaves().len(),
            sheet_of_unit: HashMap::new(),
            lines: Vec::new(),
            last: None,
        }
    }

    /// Records the row; returns the line of an earlier row for the same item.
    pub(super) fn first_line(&mut self, unit: usize, leaf: usize, line: u64) -> Option<u64> {
        let sheet = match self.last {
            Some((last, sheet)) if last == unit => sheet,
            _ => {
                let next = self.sheet_of_unit.len();
                let sheet = *self.sheet_of_unit.entry(unit).or_insert(next);
                if sheet == next {
                    self.lines.resize(self.lines.len() + self.leaf_count, 0);
                }
                self.last = Some((unit, sheet));
                sheet
            }
        };
        let seen = self.lines.get_mut(sheet * self.leaf_count + leaf)?;
        if *seen > 0 {
            return Some(*seen);
        }
        *seen = line;
        None
    }
}

/// What sets proposals.csv and survey.csv apart; the rest of their reading is the same.
pub(super) struct ItemFileShape {
    pub(super) columns: &'static [Column],
    /// Declared index of the score column.
    pub(super) score: usize,
    /// The score column's name in messages.
    pub(super) score_name: &'static str,
    /// The error for a leaf this file may not score, None when it may.
    pub(super) misplaced_leaf: fn(&Framework, usize) -> Option<Problem>,
    /// The file, as the warning about rows with an empty score names it.
    pub(super) file: ScoredBy,
    /// Declared index of the note column, if the file has notes.
    pub(super) note: Option<usize>,
}

pub(super) const PROPOSALS_SHAPE: ItemFileShape = ItemFileShape {
    columns: PROPOSALS_COLUMNS,
    score: proposal_col::SCORE,
    score_name: "proposed_score",
    misplaced_leaf: |framework, leaf| survey_leaf_refused(framework, leaf, ScoredBy::Proposals),
    file: ScoredBy::Proposals,
    note: Some(proposal_col::NOTE),
};

pub(super) const SURVEY_SHAPE: ItemFileShape = ItemFileShape {
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
    note: None,
};

/// Reads proposals.csv or survey.csv (as `file` describes): one scored row per unit × leaf,
/// its note kept in `texts`.
pub(super) fn read_items(
    file: &ItemFileShape,
    path: &Path,
    rows: CsvRows,
    (framework, units): (Option<&Framework>, &UnitIndex),
    texts: &mut TextArena,
    report: &mut Report,
) -> Vec<ScoredRow> {
    let Some(mut table) = Table::open(path, rows, file.columns, report) else {
        return Vec::new();
    };
    let mut seen = framework.map(SeenItems::new);
    let mut read = Vec::new();
    let mut empty_rows = 0usize;
    let mut resolver = Resolver::default();
    while let Some(line) = table.next(report) {
        let item = resolver.item(&table, line, framework, units, report);
        let leaf = checkable_leaf(item, framework);
        if let Some(problem) = leaf.and_then(|(f, leaf)| (file.misplaced_leaf)(f, leaf)) {
            report.error(path, Some(line), table.column(CRITERION), problem);
            continue;
        }
        let score = (file.score, file.score_name);
        let points = read_points(
            &table,
            line,
            score.0,
            score.1,
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
            Ok(Some(score)) => {
                let note = file.note.map(|note| table.cell(note));
                read.push(scored_row((unit, leaf_index), score, note, texts));
            }
            Ok(None) => empty_rows += 1,
            Err(()) => {}
        }
    }
    if empty_rows > 0 {
        let problem = empty_scores_skipped(empty_rows, file.file);
        report.warn(path, None, table.column(file.score), problem);
    }
    read
}

/// A row read, its note (if the file has notes) kept in `texts`.
fn scored_row(
    (unit, leaf): (usize, usize),
    score: rust_decimal::Decimal,
    note: Option<&str>,
    texts: &mut TextArena,
) -> ScoredRow {
    ScoredRow {
        unit: unit as u32,
        leaf: leaf as u32,
        score,
        note: note.map_or(Span::default(), |note| texts.push(&clean_code(note))),
    }
}

/// The warning for rows whose score cell is empty (skipped: no proposal, not surveyed yet).
fn empty_scores_skipped(count: usize, file: ScoredBy) -> Problem {
    Problem::EmptyScoresSkipped { count, file }
}
