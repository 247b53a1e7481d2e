//! Rows about one item (unit × leaf): resolving their codes and checking their scores.

use super::cells::{clean_code, invisible_in_code};
use super::columns::{CRITERION, UNIT, quote};
use super::report::Report;
use super::table::Table;
use super::units::UnitIndex;
use crate::domain::score::ScoreParseError;
use crate::domain::{Code, CriterionKind, Framework, parse_score};
use crate::io::{CodeCell, Problem, RequiredCell, ScoredBy};
use rust_decimal::Decimal;

/// Resolves the unit and criterion cells of a file's rows. Rows come unit by unit and leaf by
/// leaf, so a row's unit cell is most often the one before's, and its criterion cell the one
/// before's or the next leaf's code: those are tried first, as they are written (a cell equal
/// to a leaf's code resolves to that leaf).
#[derive(Default)]
pub(super) struct Resolver {
    last_unit: Option<(String, usize)>,
    /// The leaves' codes, once a framework is seen, and the leaf of the row before.
    leaf_codes: Vec<String>,
    last_leaf: usize,
}

impl Resolver {
    /// Resolves the unit and criterion cells of a row, reporting what does not resolve. The
    /// leaf is None when there is no valid framework to check against (its errors are
    /// reported).
    pub(super) fn item(
        &mut self,
        table: &Table<'_>,
        line: u64,
        framework: Option<&Framework>,
        units: &UnitIndex,
        report: &mut Report,
    ) -> Option<(usize, Option<usize>)> {
        let unit = match self.unit(table.cell(UNIT), units) {
            Ok(unit) => Some(unit),
            Err(message) => {
                report.error(table.path, Some(line), table.column(UNIT), message);
                None
            }
        };
        let leaf = match framework {
            None => Some(None),
            Some(framework) => match self.leaf(framework, table.cell(CRITERION)) {
                Ok(leaf) => Some(Some(leaf)),
                Err(message) => {
                    report.error(table.path, Some(line), table.column(CRITERION), message);
                    None
                }
            },
        };
        Some((unit?, leaf?))
    }

    fn leaf(&mut self, framework: &Framework, cell: &str) -> Result<usize, Problem> {
        if self.leaf_codes.is_empty() {
            let leaves = 0..framework.leaves().len();
            self.leaf_codes = leaves
                .map(|leaf| framework.leaf(leaf).code().to_string())
                .collect();
        }
        let guesses = [self.last_leaf, self.last_leaf + 1];
        let guessed = guesses
            .into_iter()
            .find(|&leaf| self.leaf_codes.get(leaf).is_some_and(|code| code == cell));
        let leaf = match guessed {
            Some(leaf) => leaf,
            None => resolve_leaf(framework, cell)?,
        };
        self.last_leaf = leaf;
        Ok(leaf)
    }

    fn unit(&mut self, cell: &str, units: &UnitIndex) -> Result<usize, Problem> {
        if let Some((last, unit)) = &self.last_unit
            && last == cell
        {
            return Ok(*unit);
        }
        let unit = resolve_unit(cell, units)?;
        self.last_unit = Some((cell.to_string(), unit));
        Ok(unit)
    }
}

/// The unit of a unit_code cell, or what is wrong with the cell.
fn resolve_unit(cell: &str, units: &UnitIndex) -> Result<usize, Problem> {
    let code = clean_code(cell);
    if code.is_empty() {
        return Err(Problem::EmptyCell(RequiredCell::UnitCode));
    }
    if let Some(unit) = units.get(&code) {
        if let Some(invisible) = invisible_in_code(cell, CodeCell::UnitCode) {
            return Err(invisible);
        }
        return Ok(unit);
    }
    if let Some(invisible) = invisible_in_code(cell, CodeCell::UnitCode) {
        return Err(invisible);
    }
    Err(Problem::UnknownUnit {
        like: units.look_alike(&code).map(quote),
        code: quote(&code),
    })
}

pub(super) fn resolve_leaf(framework: &Framework, cell: &str) -> Result<usize, Problem> {
    let code = clean_code(cell);
    if code.is_empty() {
        return Err(Problem::EmptyCell(RequiredCell::CriterionCode));
    }
    if let Some(invisible) = invisible_in_code(cell, CodeCell::CriterionCode) {
        return Err(invisible);
    }
    let id = match framework.find(&code) {
        Some(id) => id,
        None => match Code::parse(&code) {
            // "1.01" and "1.1" are the same code.
            Ok(parsed) => framework
                .find(&parsed.to_string())
                .ok_or_else(|| Problem::UnknownCriterion(quote(&code)))?,
            Err(error) => {
                return Err(Problem::BadCode {
                    cell: CodeCell::CriterionCode,
                    error,
                });
            }
        },
    };
    let node = framework.node(id);
    match node.leaf_index {
        Some(leaf) => Ok(leaf),
        None => {
            let children: Vec<String> = node
                .children
                .iter()
                .take(3)
                .map(|&c| framework.node(c).code().to_string())
                .collect();
            Err(Problem::NotALeaf {
                code: node.code().to_string(),
                children,
                more: node.children.len() > 3,
            })
        }
    }
}

pub(super) fn is_survey_leaf(framework: &Framework, leaf: usize) -> bool {
    framework.leaf(leaf).def.kind == CriterionKind::Survey
}

/// The resolved leaf of a row with the framework to check it against, when there are both.
pub(super) fn checkable_leaf(
    item: Option<(usize, Option<usize>)>,
    framework: Option<&Framework>,
) -> Option<(&Framework, usize)> {
    match (item, framework) {
        (Some((_, Some(leaf))), Some(framework)) => Some((framework, leaf)),
        _ => None,
    }
}

/// The error for a survey leaf in a file that does not score survey leaves (`source` names
/// the file's contents in the message); None for any other leaf.
pub(super) fn survey_leaf_refused(
    framework: &Framework,
    leaf: usize,
    by: ScoredBy,
) -> Option<Problem> {
    is_survey_leaf(framework, leaf).then(|| Problem::SurveyLeafScored {
        code: framework.leaf(leaf).code().to_string(),
        by,
    })
}

pub(super) fn duplicate_row(
    unit_code: &str,
    leaf_code: impl std::fmt::Display,
    first_line: u64,
) -> Problem {
    Problem::DuplicateRow {
        unit: unit_code.to_string(),
        code: leaf_code.to_string(),
        first: first_line,
    }
}

/// What a score that breaks its leaf's rule is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Breach {
    /// An error (proposals, survey, and self-scores with --strict).
    Refused,
    /// The unit's claim: kept as it is, with a warning; the item is marked invalid.
    Claim,
}

/// Parses and checks a score cell against its leaf. Ok(None): empty cell.
pub(super) fn read_points(
    table: &Table<'_>,
    line: u64,
    declared: usize,
    name: &'static str,
    leaf: Option<(&Framework, usize)>,
    breach: Breach,
    report: &mut Report,
) -> Result<Option<Decimal>, ()> {
    let place = (table.path, Some(line), table.column(declared));
    let points = match parse_score(table.cell(declared)) {
        Ok(points) => points,
        Err(ScoreParseError::Empty) => return Ok(None),
        Err(error) => {
            let problem = Problem::BadScore {
                column: name,
                error,
            };
            report.error(place.0, place.1, place.2, problem);
            return Err(());
        }
    };
    let Some(Err(error)) =
        leaf.map(|(framework, leaf)| framework.leaf(leaf).def.check_score(points))
    else {
        return Ok(Some(points));
    };
    match breach {
        Breach::Refused => {
            let problem = Problem::OutOfRange {
                column: name,
                error,
            };
            report.error(place.0, place.1, place.2, problem);
            Err(())
        }
        Breach::Claim => {
            let problem = Problem::ClaimKept {
                column: name,
                error,
            };
            report.warn(place.0, place.1, place.2, problem);
            Ok(Some(points))
        }
    }
}
