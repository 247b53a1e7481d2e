//! self_scores.csv and evidence.csv, gathered per unit into sheets of slots.

use super::ItemContext;
use super::MAX_CODES_NAMED;
use super::cells::clean_text;
use super::columns::{CRITERION, SELF_SCORES_COLUMNS, self_col};
use super::items::{
    Breach, checkable_leaf, duplicate_row, is_survey_leaf, read_points, resolve_item,
    survey_leaf_refused,
};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::Session;
use crate::domain::{Evidence, Framework};
use crate::io::SelfScoreRow;
use crate::io::{Problem, ScoredBy};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// One unit × leaf as gathered from self_scores.csv and evidence.csv.
#[derive(Default)]
pub(super) struct Slot {
    /// Line of the self_scores.csv row (0: none).
    pub(super) self_line: u64,
    pub(super) score: Option<Decimal>,
    pub(super) note: String,
    pub(super) evidence: Option<Vec<Evidence>>,
}

/// Per submitting unit, its slots in leaf order.
pub(super) struct Sheets {
    pub(super) leaf_count: usize,
    /// Unit index → sheet index.
    pub(super) sheet_of_unit: Vec<Option<usize>>,
    pub(super) sheets: Vec<(usize, Vec<Slot>)>,
    pub(super) unit_codes: Vec<String>,
    /// Evidence refs of items with many evidence rows, for duplicate checks.
    pub(super) many_evidence: HashMap<(usize, usize), HashMap<Evidence, usize>>,
}

impl Sheets {
    pub(super) fn new(framework: Option<&Framework>, units: &UnitIndex) -> Sheets {
        Sheets {
            leaf_count: framework.map_or(0, |f| f.leaves().len()),
            sheet_of_unit: vec![None; units.len()],
            sheets: Vec::new(),
            unit_codes: units.codes.clone(),
            many_evidence: HashMap::new(),
        }
    }

    pub(super) fn slot(&mut self, unit: usize, leaf: usize) -> Option<&mut Slot> {
        sheets_slot(
            &mut self.sheets,
            &mut self.sheet_of_unit,
            self.leaf_count,
            unit,
            leaf,
        )
    }

    /// Moves evidence read into another set of sheets into these; units seen only in the
    /// evidence come after those that submitted self-scores, in evidence order.
    pub(super) fn take_evidence(&mut self, other: Sheets) {
        for (unit, slots) in other.sheets {
            for (leaf, slot) in slots.into_iter().enumerate() {
                if slot.evidence.is_some()
                    && let Some(target) = self.slot(unit, leaf)
                {
                    target.evidence = slot.evidence;
                }
            }
        }
    }

    pub(super) fn into_submissions(
        self,
        framework: &Framework,
    ) -> Vec<(String, Vec<SelfScoreRow>)> {
        let leaf_codes: Vec<String> = framework
            .leaves()
            .iter()
            .map(|&id| framework.node(id).code().to_string())
            .collect();
        let unit_codes = self.unit_codes;
        self.sheets
            .into_iter()
            .map(|(unit, slots)| {
                let rows = slots
                    .into_iter()
                    .enumerate()
                    .filter(|(_, slot)| slot.self_line > 0 || slot.evidence.is_some())
                    .map(|(leaf, slot)| SelfScoreRow {
                        criterion_code: leaf_codes[leaf].clone(),
                        in_self_scores: slot.self_line > 0,
                        score: slot.score,
                        note: slot.note,
                        evidence: slot.evidence,
                    })
                    .collect();
                (unit_codes[unit].clone(), rows)
            })
            .collect()
    }
}

pub(super) fn read_self_scores(
    path: &Path,
    rows: CsvRows,
    context: &ItemContext<'_>,
    sheets: &mut Sheets,
    report: &mut Report,
) {
    use self_col::*;
    let (framework, units) = (context.framework, context.units);
    let breach = if context.options.strict {
        Breach::Refused
    } else {
        Breach::Claim
    };
    let Some(mut table) = Table::open(path, rows, SELF_SCORES_COLUMNS, report) else {
        return;
    };
    while let Some(line) = table.next(report) {
        let item = resolve_item(&table, line, framework, units, report);
        let leaf = checkable_leaf(item, framework);
        if let Some(problem) =
            leaf.and_then(|(f, leaf)| survey_leaf_refused(f, leaf, ScoredBy::SelfScores))
        {
            report.error(path, Some(line), table.column(CRITERION), problem);
            continue;
        }
        let points = read_points(&table, line, SCORE, "self_score", leaf, breach, report);
        let Some((unit, Some(leaf))) = item else {
            continue;
        };
        let Some(slot) = sheets.slot(unit, leaf) else {
            continue;
        };
        if slot.self_line > 0 {
            let leaf_code = framework
                .map(|f| f.leaf(leaf).code().to_string())
                .unwrap_or_default();
            report.error(
                path,
                Some(line),
                table.column(CRITERION),
                duplicate_row(&units.codes[unit], leaf_code, slot.self_line),
            );
            continue;
        }
        slot.self_line = line;
        slot.note = clean_text(table.cell(NOTE));
        match points {
            Ok(Some(points)) => slot.score = Some(points),
            Ok(None) => report.warn(
                path,
                Some(line),
                table.column(SCORE),
                Problem::EmptySelfScore,
            ),
            Err(()) => {}
        }
    }
}

/// One warning per unit listing the leaves it did not self-score (survey leaves excepted), and
/// one per unit of units.csv that has no self-score row at all.
pub(super) fn warn_missing_leaves(
    path: &Path,
    framework: &Framework,
    sheets: &Sheets,
    report: &mut Report,
) {
    for (unit, slots) in &sheets.sheets {
        let missing: Vec<usize> = slots
            .iter()
            .enumerate()
            .filter(|(leaf, slot)| slot.self_line == 0 && !is_survey_leaf(framework, *leaf))
            .map(|(leaf, _)| leaf)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let problem = Problem::LeavesWithoutSelfScore {
            unit: sheets.unit_codes[*unit].clone(),
            count: missing.len(),
            named: named_codes(framework, &missing),
        };
        report.warn(path, None, None, problem);
    }
    let unscored = sheets
        .sheet_of_unit
        .iter()
        .enumerate()
        .filter(|(_, sheet)| sheet.is_none());
    for (unit, _) in unscored {
        let problem = Problem::NoSelfScoreRows(sheets.unit_codes[unit].clone());
        report.warn(path, None, None, problem);
    }
}

/// The slot of a unit × leaf, opening the unit's sheet on first use. A free function over the
/// parts of [`Sheets`] so that the evidence reader can hold `many_evidence` at the same time.
pub(super) fn sheets_slot<'s>(
    sheets: &'s mut Vec<(usize, Vec<Slot>)>,
    sheet_of_unit: &mut [Option<usize>],
    leaf_count: usize,
    unit: usize,
    leaf: usize,
) -> Option<&'s mut Slot> {
    let sheet = match *sheet_of_unit.get(unit)? {
        Some(sheet) => sheet,
        None => {
            let sheet = sheets.len();
            let mut slots = Vec::with_capacity(leaf_count);
            slots.resize_with(leaf_count, Slot::default);
            sheets.push((unit, slots));
            sheet_of_unit[unit] = Some(sheet);
            sheet
        }
    };
    sheets[sheet].1.get_mut(leaf)
}

/// The first few leaves' codes, then "…".
fn named_codes(framework: &Framework, leaves: &[usize]) -> String {
    let mut named: Vec<String> = leaves
        .iter()
        .take(MAX_CODES_NAMED)
        .map(|&leaf| framework.leaf(leaf).code().to_string())
        .collect();
    if leaves.len() > MAX_CODES_NAMED {
        named.push("…".to_string());
    }
    named.join(", ")
}

/// For a resubmission: one warning per unit whose rows leave out leaves it had submitted
/// before, naming every leaf carried forward from its previous version.
pub(super) fn warn_carried_forward(
    path: &Path,
    session: &Session,
    sheets: &Sheets,
    report: &mut Report,
) {
    let framework = &session.framework;
    for (unit, slots) in &sheets.sheets {
        let code = &sheets.unit_codes[*unit];
        let Some(previous) = session.unit_index(code).map(|u| session.unit_items(u)) else {
            continue;
        };
        if !slots.iter().any(|slot| slot.self_line > 0) {
            continue;
        }
        let carried: Vec<String> = slots
            .iter()
            .enumerate()
            .filter(|(leaf, slot)| {
                slot.self_line == 0
                    && !is_survey_leaf(framework, *leaf)
                    && previous
                        .get(*leaf)
                        .is_some_and(|item| item.self_score.is_some() || item.evidence_count > 0)
            })
            .map(|(leaf, _)| framework.leaf(leaf).code().to_string())
            .collect();
        if carried.is_empty() {
            continue;
        }
        let problem = Problem::CarriedForward {
            unit: code.clone(),
            codes: carried,
        };
        report.warn(path, None, None, problem);
    }
}
