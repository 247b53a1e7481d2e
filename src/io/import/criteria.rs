//! criteria.csv.

use super::cells::{clean_text, invisible_in_code};
use super::columns::{CRITERIA_COLUMNS, criteria_col, header_key, quote};
use super::report::Report;
use super::source::CsvRows;
use super::table::Table;
use crate::domain::{Code, CriterionDef, CriterionKind, Framework, FrameworkError, parse_score};
use crate::io::{CodeCell, Problem, RequiredCell};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// Where a criterion row came from, to point framework errors at it.
pub(super) struct CriterionPlace {
    pub(super) line: u64,
}

/// Parses a points cell of criteria.csv; None (with the error reported) when it is not a number.
pub(super) fn points_cell(
    table: &Table<'_>,
    line: u64,
    declared: usize,
    name: &'static str,
    report: &mut Report,
) -> Option<Decimal> {
    match parse_score(table.cell(declared)) {
        Ok(points) => Some(points),
        Err(error) => {
            report.error(
                table.path,
                Some(line),
                table.column(declared),
                Problem::BadScore {
                    column: name,
                    error,
                },
            );
            None
        }
    }
}

pub(super) fn read_criteria(path: &Path, rows: CsvRows, report: &mut Report) -> Option<Framework> {
    // Errors are gathered here first so that framework errors can be put in line order.
    let mut local = Report::default();
    let Some(mut table) = Table::open(path, rows, CRITERIA_COLUMNS, &mut local) else {
        // A missing column or an empty file: say so, rather than import no criteria.
        report.absorb(local);
        return None;
    };
    let mut defs = Vec::new();
    let mut places: HashMap<Code, CriterionPlace> = HashMap::new();
    let mut row_errors = false;
    while let Some(line) = table.next(&mut local) {
        match read_criterion(&table, line, &places, &mut local) {
            Some(def) => {
                places.insert(def.code.clone(), CriterionPlace { line });
                defs.push(def);
            }
            None => row_errors = true,
        }
    }
    // A partial set of rows would only add follow-on errors (missing parents, wrong sums).
    let framework = if row_errors || local.error_count > 0 {
        None
    } else {
        build_framework(&table, defs, &places, &mut local)
    };
    local
        .errors
        .sort_by_key(|e| (e.line.unwrap_or(0), e.column.unwrap_or(0)));
    for error in local.errors {
        report.error(&error.file, error.line, error.column, error.problem);
    }
    for warning in local.warnings {
        report.warn(&warning.file, warning.line, warning.column, warning.problem);
    }
    framework
}

/// One row of criteria.csv as a criterion; None when any of its cells is wrong (reported).
fn read_criterion(
    table: &Table<'_>,
    line: u64,
    places: &HashMap<Code, CriterionPlace>,
    report: &mut Report,
) -> Option<CriterionDef> {
    use criteria_col::*;
    let before = report.error_count;
    let code = read_code(table, line, places, report);
    let title = clean_text(table.cell(TITLE));
    if title.is_empty() {
        report.error(
            table.path,
            Some(line),
            table.column(TITLE),
            Problem::EmptyCell(RequiredCell::Title),
        );
    }
    let max_points = points_cell(table, line, MAX, "max_points", report);
    let min_points = if table.cell(MIN).trim().is_empty() {
        Some(Decimal::ZERO)
    } else {
        points_cell(table, line, MIN, "min_points", report)
    };
    let step = if table.cell(STEP).trim().is_empty() {
        Some(None)
    } else {
        points_cell(table, line, STEP, "step", report).map(Some)
    };
    let kind = read_kind(table, line, report);
    let rule = clean_text(table.cell(RULE));
    if report.error_count > before {
        return None;
    }
    Some(CriterionDef {
        code: code?,
        title,
        max_points: max_points?,
        min_points: min_points?,
        step: step?,
        kind: kind?,
        rule,
    })
}

/// The code cell: a dotted code, nothing invisible in it, not seen before.
fn read_code(
    table: &Table<'_>,
    line: u64,
    places: &HashMap<Code, CriterionPlace>,
    report: &mut Report,
) -> Option<Code> {
    use criteria_col::CODE;
    let cell = table.cell(CODE);
    let problem = if let Some(invisible) = invisible_in_code(cell, CodeCell::Code) {
        invisible
    } else {
        match Code::parse(cell) {
            Ok(code) => match places.get(&code) {
                None => return Some(code),
                Some(first) => Problem::DuplicateCriterion {
                    code: code.to_string(),
                    first: first.line,
                },
            },
            Err(error) => Problem::BadCode {
                cell: CodeCell::Code,
                error,
            },
        }
    };
    report.error(table.path, Some(line), table.column(CODE), problem);
    None
}

fn read_kind(table: &Table<'_>, line: u64, report: &mut Report) -> Option<CriterionKind> {
    use criteria_col::KIND;
    let kind_cell = table.cell(KIND);
    let kind = CriterionKind::parse(kind_cell)
        .or_else(|| CriterionKind::parse(&header_key(kind_cell).replace('_', " ")))
        .or_else(|| CriterionKind::parse(&header_key(kind_cell)));
    if kind.is_none() {
        let problem = Problem::BadKind(quote(kind_cell));
        report.error(table.path, Some(line), table.column(KIND), problem);
    }
    kind
}

/// The tree of the rows, with its errors at the rows they are about.
fn build_framework(
    table: &Table<'_>,
    defs: Vec<CriterionDef>,
    places: &HashMap<Code, CriterionPlace>,
    report: &mut Report,
) -> Option<Framework> {
    use criteria_col::*;
    let errors = match Framework::build(defs) {
        Ok(framework) => return Some(framework),
        Err(errors) => errors,
    };
    for error in errors {
        let (line, column) = match error.code().and_then(|code| places.get(code)) {
            Some(place) => {
                let declared = match &error {
                    FrameworkError::MaxBelowMin { .. }
                    | FrameworkError::ParentMaxMismatch { .. } => MAX,
                    FrameworkError::StepNotPositive { .. }
                    | FrameworkError::StepDoesNotDivide { .. } => STEP,
                    _ => CODE,
                };
                (Some(place.line), table.column(declared))
            }
            None => (Some(1), None),
        };
        let problem = match error {
            FrameworkError::Empty => Problem::NoCriteria,
            other => Problem::Framework(other),
        };
        report.error(table.path, line, column, problem);
    }
    None
}
