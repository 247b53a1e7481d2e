//! evidence.csv.

use super::EVIDENCE_SCAN_LIMIT;
use super::cells::{clean_code, clean_text};
use super::columns::{CRITERION, EVIDENCE_COLUMNS, evidence_col, quote};
use super::items::{Resolver, is_survey_leaf};
use super::report::Report;
use super::self_scores::EvidenceSheets;
use super::source::{CsvRows, Opened, open_csv};
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::{Evidence, Framework};
use crate::io::{Problem, RequiredCell};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Reads evidence.csv into the slots of `sheets`. One item may cite several documents with
/// the same number (numbers repeat across issuers and years) when their title or location
/// differs; a row repeating another exactly is dropped with a warning naming both lines.
pub(super) fn read_evidence(
    path: &Path,
    rows: CsvRows,
    framework: Option<&Framework>,
    units: &UnitIndex,
    sheets: &mut EvidenceSheets,
    report: &mut Report,
) {
    use evidence_col::*;
    let Some(mut table) = Table::open(path, rows, EVIDENCE_COLUMNS, report) else {
        return;
    };
    let mut repeats = Vec::new();
    let mut resolver = Resolver::default();
    while let Some(line) = table.next(report) {
        let item = resolver.item(&table, line, framework, units, report);
        let reference = clean_code(table.cell(REF));
        if reference.is_empty() {
            let problem = Problem::EmptyCell(RequiredCell::Ref);
            report.error(path, Some(line), table.column(REF), problem);
            continue;
        }
        let (Some((unit, Some(leaf))), Some(framework)) = (item, framework) else {
            continue;
        };
        if is_survey_leaf(framework, leaf) {
            let problem = Problem::SurveyEvidence(framework.leaf(leaf).code().to_string());
            report.error(path, Some(line), table.column(CRITERION), problem);
            continue;
        }
        let (title, location) = (
            clean_code(table.cell(TITLE)),
            clean_code(table.cell(LOCATION)),
        );
        let texts = [reference.as_ref(), title.as_ref(), location.as_ref()];
        if !sheets.add(unit, leaf, texts) {
            let evidence = Evidence {
                reference: texts[0].to_string(),
                title: texts[1].to_string(),
                location: texts[2].to_string(),
            };
            repeats.push((line, table.column(REF), (unit, leaf), evidence));
        }
    }
    if let (false, Some(framework)) = (repeats.is_empty(), framework) {
        warn_repeats(path, framework, units, repeats, report);
    }
}

/// A row that repeats an earlier one exactly: its line and column, its item and evidence.
type Repeat = (u64, Option<u64>, (usize, usize), Evidence);

/// One warning per repeated row, naming the line it repeats. Those lines are found by reading
/// the file again, only when there are repeats, rather than keeping every row's line.
fn warn_repeats(
    path: &Path,
    framework: &Framework,
    units: &UnitIndex,
    repeats: Vec<Repeat>,
    report: &mut Report,
) {
    let wanted: HashSet<((usize, usize), Evidence)> = repeats
        .iter()
        .map(|(_, _, item, evidence)| (*item, evidence.clone()))
        .collect();
    let first_lines = first_lines(path, framework, units, &wanted);
    for (line, column, (unit, leaf), evidence) in repeats {
        let first = first_lines.get(&((unit, leaf), evidence.clone())).copied();
        let code = framework.leaf(leaf).code().to_string();
        let problem = Problem::RepeatedEvidence {
            unit: units.codes[unit].clone(),
            code: code.to_string(),
            reference: quote(&evidence.reference),
            first,
        };
        report.warn(path, Some(line), column, problem);
    }
}

/// The first line of each wanted (item, evidence) in evidence.csv.
fn first_lines(
    path: &Path,
    framework: &Framework,
    units: &UnitIndex,
    wanted: &HashSet<((usize, usize), Evidence)>,
) -> HashMap<((usize, usize), Evidence), u64> {
    use evidence_col::*;
    let mut found = HashMap::new();
    // Everything wrong with the file was reported on the first reading.
    let mut again = Report::default();
    let Opened::Rows(rows) = open_csv(path, &mut again) else {
        return found;
    };
    let Some(mut table) = Table::open(path, rows, EVIDENCE_COLUMNS, &mut again) else {
        return found;
    };
    let mut resolver = Resolver::default();
    while found.len() < wanted.len()
        && let Some(line) = table.next(&mut again)
    {
        let item = resolver.item(&table, line, Some(framework), units, &mut again);
        let Some((unit, Some(leaf))) = item else {
            continue;
        };
        let evidence = Evidence {
            reference: clean_text(table.cell(REF)),
            title: clean_text(table.cell(TITLE)),
            location: clean_text(table.cell(LOCATION)),
        };
        let key = ((unit, leaf), evidence);
        if wanted.contains(&key) {
            found.entry(key).or_insert(line);
        }
    }
    found
}

impl EvidenceSheets {
    /// Adds an evidence row to its item; false (and nothing added) when an identical row is
    /// already there.
    fn add(&mut self, unit: usize, leaf: usize, texts: [&str; 3]) -> bool {
        let Some(sheet) = self.sheet(unit) else {
            return true;
        };
        let Some(list) = self.sheets[sheet].1.get_mut(leaf) else {
            return true;
        };
        let arena = &mut self.arena;
        let repeated = match list {
            None => false,
            Some(list) if (list.count as usize) < EVIDENCE_SCAN_LIMIT => {
                arena.rows(list).any(|row| row == texts)
            }
            Some(list) => {
                let seen = (self.many_evidence.entry((unit, leaf)))
                    .or_insert_with(|| arena.to_evidence(list).into_iter().collect());
                !seen.insert(Evidence {
                    reference: texts[0].to_string(),
                    title: texts[1].to_string(),
                    location: texts[2].to_string(),
                })
            }
        };
        if !repeated {
            arena.push(list, texts);
        }
        !repeated
    }
}
