//! self_scores.csv and evidence.csv, gathered per unit into sheets of items.

use super::ItemContext;
use super::MAX_CODES_NAMED;
use super::cells::clean_code;
use super::columns::{CRITERION, SELF_SCORES_COLUMNS, self_col};
use super::items::{
    Breach, Resolver, checkable_leaf, duplicate_row, is_survey_leaf, read_points,
    survey_leaf_refused,
};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::Session;
use crate::domain::import::{
    EvidenceArena, EvidenceList, SubmittedItem, TextArena, UnitSubmission,
};
use crate::domain::{Evidence, Framework};
use crate::io::{Problem, ScoredBy};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Per submitting unit, its items in leaf order, as self_scores.csv gives them (evidence.csv's
/// rows join them from [`EvidenceSheets`]).
pub(super) struct Sheets {
    pub(super) leaf_count: usize,
    /// Unit index → sheet index.
    pub(super) sheet_of_unit: Vec<Option<usize>>,
    pub(super) sheets: Vec<UnitSubmission>,
    /// Line of each item's self_scores.csv row (0: none), sheet by sheet.
    lines: Vec<u64>,
    pub(super) unit_codes: Vec<String>,
    /// The notes.
    pub(super) texts: TextArena,
}

impl Sheets {
    pub(super) fn new(framework: Option<&Framework>, units: &UnitIndex) -> Sheets {
        Sheets {
            leaf_count: framework.map_or(0, |f| f.leaves().len()),
            sheet_of_unit: vec![None; units.len()],
            sheets: Vec::new(),
            lines: Vec::new(),
            unit_codes: units.codes.clone(),
            texts: TextArena::default(),
        }
    }

    /// The sheet of a unit, opened on first use.
    fn sheet(&mut self, unit: usize) -> Option<usize> {
        let opened = opened_sheet(&mut self.sheet_of_unit, self.sheets.len(), unit)?;
        if opened == self.sheets.len() {
            let items = vec![SubmittedItem::default(); self.leaf_count];
            self.sheets.push(UnitSubmission { unit, items });
            self.lines.resize(self.lines.len() + self.leaf_count, 0);
        }
        Some(opened)
    }

    /// The item of a unit × leaf.
    fn item(&mut self, unit: usize, leaf: usize) -> Option<&mut SubmittedItem> {
        let sheet = self.sheet(unit)?;
        self.sheets[sheet].items.get_mut(leaf)
    }

    /// Takes the self_scores.csv row of a unit × leaf at `line`; Err with the line of the row
    /// already taken for it.
    fn take_row(
        &mut self,
        (unit, leaf): (usize, usize),
        line: u64,
        note: &str,
        score: Option<Decimal>,
    ) -> Result<(), u64> {
        let Some(sheet) = self.sheet(unit).filter(|_| leaf < self.leaf_count) else {
            return Ok(());
        };
        let first = &mut self.lines[sheet * self.leaf_count + leaf];
        if *first > 0 {
            return Err(*first);
        }
        *first = line;
        let note = self.texts.push(note);
        let item = &mut self.sheets[sheet].items[leaf];
        item.in_self_scores = true;
        item.note = note;
        item.score = score;
        Ok(())
    }

    /// Moves the evidence lists read into `other` onto these items; units seen only in the
    /// evidence come after those that submitted self-scores, in evidence order. Gives back
    /// the rows the lists run through.
    pub(super) fn take_evidence(&mut self, other: EvidenceSheets) -> EvidenceArena {
        for (unit, lists) in other.sheets {
            for (leaf, list) in lists.into_iter().enumerate() {
                if list.is_some()
                    && let Some(item) = self.item(unit, leaf)
                {
                    item.evidence = list;
                }
            }
        }
        other.arena
    }
}

/// The evidence lists of evidence.csv, per unit in order of first appearance.
pub(super) struct EvidenceSheets {
    pub(super) leaf_count: usize,
    pub(super) sheet_of_unit: Vec<Option<usize>>,
    pub(super) sheets: Vec<(usize, Vec<Option<EvidenceList>>)>,
    pub(super) arena: EvidenceArena,
    /// Evidence of items with many evidence rows, for duplicate checks.
    pub(super) many_evidence: HashMap<(usize, usize), HashSet<Evidence>>,
}

impl EvidenceSheets {
    pub(super) fn new(framework: Option<&Framework>, units: &UnitIndex) -> EvidenceSheets {
        EvidenceSheets {
            leaf_count: framework.map_or(0, |f| f.leaves().len()),
            sheet_of_unit: vec![None; units.len()],
            sheets: Vec::new(),
            arena: EvidenceArena::default(),
            many_evidence: HashMap::new(),
        }
    }

    /// The sheet of a unit, opened on first use.
    pub(super) fn sheet(&mut self, unit: usize) -> Option<usize> {
        let sheet = opened_sheet(&mut self.sheet_of_unit, self.sheets.len(), unit)?;
        if sheet == self.sheets.len() {
            self.sheets.push((unit, vec![None; self.leaf_count]));
        }
        Some(sheet)
    }
}

/// The sheet index of `unit`: its own, or `next` (the caller opens it) on its first use.
fn opened_sheet(sheet_of_unit: &mut [Option<usize>], next: usize, unit: usize) -> Option<usize> {
    let slot = sheet_of_unit.get_mut(unit)?;
    Some(*slot.get_or_insert(next))
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
    let mut resolver = Resolver::default();
    while let Some(line) = table.next(report) {
        let item = resolver.item(&table, line, framework, units, report);
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
        let note = clean_code(table.cell(NOTE));
        let score = points.ok().flatten();
        if let Err(first) = sheets.take_row((unit, leaf), line, &note, score) {
            let leaf_code = framework
                .map(|f| f.leaf(leaf).code().to_string())
                .unwrap_or_default();
            report.error(
                path,
                Some(line),
                table.column(CRITERION),
                duplicate_row(&units.codes[unit], leaf_code, first),
            );
            continue;
        }
        if let Ok(None) = points {
            let problem = Problem::EmptySelfScore;
            report.warn(path, Some(line), table.column(SCORE), problem);
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
    for submission in &sheets.sheets {
        let missing: Vec<usize> = (submission.items.iter().enumerate())
            .filter(|(leaf, item)| !item.in_self_scores && !is_survey_leaf(framework, *leaf))
            .map(|(leaf, _)| leaf)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let problem = Problem::LeavesWithoutSelfScore {
            unit: sheets.unit_codes[submission.unit].clone(),
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
    for submission in &sheets.sheets {
        let (code, items) = (&sheets.unit_codes[submission.unit], &submission.items);
        let Some(previous) = session.unit_index(code).map(|u| session.unit_items(u)) else {
            continue;
        };
        if !items.iter().any(|item| item.in_self_scores) {
            continue;
        }
        let carried: Vec<String> = (items.iter().enumerate())
            .filter(|(leaf, item)| {
                !item.in_self_scores
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
