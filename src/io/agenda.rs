//! Agenda files: a CSV with columns `unit_code, criterion_code` (criterion_code empty: the
//! whole unit) and, optionally, `minutes` (the item's time budget; empty: none). Read by the
//! session files' rules (`io::import::source`): regular files only, up to the size cap,
//! streamed record by record, UTF-8 with or without a BOM, any line ends; errors point at
//! file:line:column.

use super::import::report::Report;
use super::import::source::{CsvRows, Opened, RowSource, open_csv};
use super::{InputError, Problem};
use crate::domain::Session;
use crate::domain::agenda::{
    AgendaCodeError, AgendaEntry, AgendaItem, parse_budget_minutes, resolve,
};
use crate::domain::text::nfc;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Reads an agenda file against the session's units and framework.
pub fn read_agenda_file(
    path: &Path,
    session: &Session,
) -> Result<Vec<AgendaEntry>, Vec<InputError>> {
    let mut report = Report::default();
    match open_csv(path, &mut report) {
        Opened::Rows(rows) => read_agenda(path, rows, session, report),
        // As the system says it ("No such file or directory").
        Opened::Missing => Err(vec![error_at(path, None, None, missing(path))]),
        Opened::Failed => Err(report.errors),
    }
}

/// Parses agenda CSV bytes; `path` names the file in messages. Every problem is reported, not
/// just the first.
pub fn parse_agenda(
    path: &Path,
    bytes: &[u8],
    session: &Session,
) -> Result<Vec<AgendaEntry>, Vec<InputError>> {
    let mut report = Report::default();
    match CsvRows::new(path, bytes, &mut report) {
        Some(rows) => read_agenda(path, rows, session, report),
        None => Err(report.errors),
    }
}

fn missing(path: &Path) -> Problem {
    match std::fs::File::open(path) {
        Err(error) => Problem::System(error.to_string()),
        Ok(_) => Problem::AgendaDisappeared,
    }
}

fn error_at(path: &Path, line: Option<u64>, column: Option<u64>, problem: Problem) -> InputError {
    InputError {
        file: path.to_path_buf(),
        sheet: None,
        line,
        column,
        problem,
    }
}

/// Where the agenda's columns are in the file.
#[derive(Clone, Copy)]
struct AgendaColumns {
    unit: usize,
    criterion: Option<usize>,
    minutes: Option<usize>,
}

/// Reads the rows of an agenda file. A problem with the file itself (not UTF-8, a record
/// past the cap, a quote left open) is all that is said about it.
fn read_agenda<R: Read>(
    path: &Path,
    mut rows: CsvRows<R>,
    session: &Session,
    mut report: Report,
) -> Result<Vec<AgendaEntry>, Vec<InputError>> {
    let mut agenda = AgendaRows::new(path, session);
    let mut record = csv::StringRecord::new();
    let mut columns = None;
    while let Some(line) = rows.next_record(&mut record, &mut report) {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match columns {
            Some(columns) => agenda.row(&record, line, columns),
            None => match header_columns(&record) {
                Ok(found) => columns = Some(found),
                Err(separator) => {
                    agenda.header_error(line, separator);
                    // The rows will not be read: say now if the file is not UTF-8 either.
                    rows.check_rest(&mut report);
                    break;
                }
            },
        }
    }
    if let Some(line) = rows.not_utf8() {
        let problem = Problem::AgendaNotUtf8;
        return Err(vec![error_at(path, Some(line), None, problem)]);
    }
    if report.error_count > 0 {
        return Err(report.errors);
    }
    if columns.is_none() && agenda.errors.is_empty() {
        agenda.empty_file();
    }
    agenda.finish()
}

/// The header's columns; for a header without unit_code, whether it is one cell holding a ';'
/// or a tab (another separator than the comma).
fn header_columns(record: &csv::StringRecord) -> Result<AgendaColumns, bool> {
    let names: Vec<String> = record
        .iter()
        .map(|h| nfc(h.trim()).to_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    match find("unit_code") {
        Some(unit) => Ok(AgendaColumns {
            unit,
            criterion: find("criterion_code"),
            minutes: find("minutes").or_else(|| find("phút")),
        }),
        None => Err(names.len() == 1 && (names[0].contains(';') || names[0].contains('\t'))),
    }
}

/// The agenda's items as the rows give them, and what is wrong with the rows.
struct AgendaRows<'a> {
    path: &'a Path,
    session: &'a Session,
    items: Vec<AgendaEntry>,
    first_line_of: HashMap<AgendaItem, u64>,
    errors: Vec<InputError>,
}

impl<'a> AgendaRows<'a> {
    fn new(path: &'a Path, session: &'a Session) -> AgendaRows<'a> {
        AgendaRows {
            path,
            session,
            items: Vec::new(),
            first_line_of: HashMap::new(),
            errors: Vec::new(),
        }
    }

    fn error(&mut self, line: Option<u64>, column: Option<u64>, problem: Problem) {
        self.errors.push(error_at(self.path, line, column, problem));
    }

    /// A header without unit_code; `separator`: a one-cell header with ';' or tabs in it.
    fn header_error(&mut self, line: u64, separator: bool) {
        self.error(Some(line), None, Problem::AgendaHeader { separator });
    }

    fn empty_file(&mut self) {
        self.error(None, None, Problem::AgendaEmptyFile);
    }

    /// One row: its item, or what is wrong with it.
    fn row(&mut self, record: &csv::StringRecord, line: u64, columns: AgendaColumns) {
        let cell = |i: usize| record.get(i).map(|c| nfc(c.trim())).unwrap_or_default();
        let unit_code = cell(columns.unit);
        let unit_column = Some(columns.unit as u64 + 1);
        if unit_code.is_empty() {
            self.error(Some(line), unit_column, Problem::AgendaEmptyUnit);
            return;
        }
        let criterion_code = columns.criterion.map(cell).filter(|c| !c.is_empty());
        let Ok(budget_seconds) = self.budget(&cell, line, columns.minutes) else {
            return;
        };
        match resolve(self.session, &unit_code, criterion_code.as_deref()) {
            Ok(item) => match self.first_line_of.get(&item) {
                Some(&first) => {
                    let problem = Problem::AgendaTwice {
                        unit: unit_code.clone(),
                        criterion: criterion_code.clone().unwrap_or_default(),
                        first,
                    };
                    self.error(Some(line), unit_column, problem);
                }
                None => {
                    self.first_line_of.insert(item, line);
                    self.items.push(AgendaEntry {
                        item,
                        budget_seconds,
                    });
                }
            },
            Err(AgendaCodeError::UnknownUnit(code)) => {
                self.error(Some(line), unit_column, Problem::AgendaUnknownUnit(code))
            }
            Err(AgendaCodeError::UnknownCriterion(code)) => {
                let column = columns.criterion.map(|c| c as u64 + 1);
                let problem = Problem::AgendaUnknownCriterion(code);
                self.error(Some(line), column, problem)
            }
        }
    }

    /// The row's time budget (None when the column is missing or the cell empty); Err once
    /// the cell's problem is reported.
    fn budget(
        &mut self,
        cell: &dyn Fn(usize) -> String,
        line: u64,
        column: Option<usize>,
    ) -> Result<Option<u32>, ()> {
        let Some(column) = column else {
            return Ok(None);
        };
        let text = cell(column);
        if text.is_empty() {
            return Ok(None);
        }
        parse_budget_minutes(&text).map(Some).map_err(|e| {
            let problem = Problem::AgendaBadMinutes(e);
            self.error(Some(line), Some(column as u64 + 1), problem);
        })
    }

    fn finish(self) -> Result<Vec<AgendaEntry>, Vec<InputError>> {
        if self.errors.is_empty() {
            Ok(self.items)
        } else {
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::sample_session;

    fn parse(text: &[u8]) -> Result<Vec<AgendaEntry>, Vec<String>> {
        let session = sample_session();
        parse_agenda(Path::new("agenda.csv"), text, &session)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    fn codes(entries: &[AgendaEntry]) -> Vec<String> {
        let session = sample_session();
        entries
            .iter()
            .map(|e| {
                let (u, c) = e.item.codes(&session);
                format!("{u} {}", c.unwrap_or_default()).trim().to_string()
            })
            .collect()
    }

    #[test]
    fn reads_items_with_bom_crlf_blank_lines_and_whole_units() {
        let items = parse(
            "\u{feff}Unit_Code , criterion_code\r\nXBH,2.2\r\n\r\n SNV ,\r\nSNV,\"1.1\"\r\nPCL\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(codes(&items), ["XBH 2.2", "SNV", "SNV 1.1", "PCL"]);
    }

    #[test]
    fn criterion_column_is_optional() {
        let items = parse(b"unit_code\nSTC\n").unwrap();
        assert_eq!(codes(&items), ["STC"]);
    }

    #[test]
    fn a_third_column_gives_each_item_its_minutes() {
        let entries =
            parse(b"unit_code,criterion_code,minutes\nSNV,1.1,3\nXBH,,\nSTC,2.2,\"1,5\"\n")
                .unwrap();
        assert_eq!(codes(&entries), ["SNV 1.1", "XBH", "STC 2.2"]);
        let budgets: Vec<Option<u32>> = entries.iter().map(|e| e.budget_seconds).collect();
        assert_eq!(budgets, [Some(180), None, Some(90)]);
        // The two-column form has no budgets.
        let entries = parse(b"unit_code,criterion_code\nSNV,1.1\n").unwrap();
        assert_eq!(entries[0].budget_seconds, None);
    }

    #[test]
    fn a_bad_budget_is_named_at_its_cell() {
        let errors = parse(b"unit_code,criterion_code,minutes\nSNV,1.1,ba\nXBH,2.2,0\nSTC,,-1\n")
            .unwrap_err();
        assert_eq!(
            errors,
            [
                "agenda.csv:2:3: minutes: 'ba' is not a number of minutes (e.g. 3 or 1,5)",
                "agenda.csv:3:3: minutes: '0': a time budget must be more than 0 minutes",
                "agenda.csv:4:3: minutes: '-1' is not a number of minutes (e.g. 3 or 1,5)",
            ]
        );
    }

    #[test]
    fn points_at_unknown_codes_and_duplicates() {
        let errors =
            parse(b"criterion_code,unit_code\n2.2,XBH\n1.1,ZZZ\n9.9,SNV\n2.2,XBH\n").unwrap_err();
        assert_eq!(
            errors,
            [
                "agenda.csv:3:2: unknown unit 'ZZZ'",
                "agenda.csv:4:1: unknown criterion '9.9'",
                "agenda.csv:5:2: XBH 2.2 is already on the agenda (line 2)",
            ]
        );
    }

    #[test]
    fn line_numbers_count_crlf_inside_quotes() {
        let errors =
            parse(b"unit_code,criterion_code,note\r\nSNV,1.1,\"two\r\nlines\"\r\nZZZ,1.1,x\r\n")
                .unwrap_err();
        assert_eq!(errors, ["agenda.csv:4:1: unknown unit 'ZZZ'"]);
    }

    #[test]
    fn rejects_a_missing_header_an_empty_file_and_non_utf8() {
        assert_eq!(
            parse(b"unit;criterion\nSNV;1.1\n").unwrap_err(),
            [
                "agenda.csv:1: the header must name the columns unit_code, criterion_code (the separator must be a comma)"
            ]
        );
        assert_eq!(
            parse(b"").unwrap_err(),
            ["agenda.csv: the file is empty: expected a header unit_code, criterion_code"]
        );
        assert_eq!(
            parse(b"unit_code\nS\xffV\n").unwrap_err(),
            ["agenda.csv:2: not UTF-8 text (save the file as CSV UTF-8)"]
        );
        assert_eq!(
            parse(b"unit_code,criterion_code\n,1.1\n").unwrap_err(),
            ["agenda.csv:2:1: unit_code is empty"]
        );
    }

    fn read_file(path: &Path) -> Vec<String> {
        let session = sample_session();
        let errors = read_agenda_file(path, &session).unwrap_err();
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn only_regular_files_under_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("agenda.csv");
        std::fs::create_dir(&folder).unwrap();
        let errors = read_file(&folder);
        assert!(
            errors[0].contains("a folder, not a regular file"),
            "{errors:?}"
        );
        // A device never ends; it is refused before it is opened.
        let device = dir.path().join("device.csv");
        std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
        let errors = read_file(&device);
        assert!(
            errors[0].contains("a device, not a regular file"),
            "{errors:?}"
        );
        // Over 2 GiB (a sparse file): refused before a byte is read.
        let large = dir.path().join("large.csv");
        let file = std::fs::File::create(&large).unwrap();
        file.set_len(crate::io::import::MAX_FILE_BYTES + 1).unwrap();
        let errors = read_file(&large);
        assert!(errors[0].contains("the file is too large"), "{errors:?}");
        let errors = read_file(&dir.path().join("nowhere.csv"));
        assert!(errors[0].contains("No such file"), "{errors:?}");
    }

    #[test]
    fn a_quote_left_open_is_named_where_it_opens() {
        let errors = parse(b"unit_code,criterion_code\nSNV,\"1.1\nXBH,2.2\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("agenda.csv:2:2: a quoted field opens here and is never closed"),
            "{errors:?}"
        );
    }

    #[test]
    fn lines_end_at_cr_lf_or_crlf_as_editors_show_them() {
        let errors = parse(b"unit_code\rSNV\rZZZ\r\nXBH\nYYY\n").unwrap_err();
        assert_eq!(
            errors,
            [
                "agenda.csv:3:1: unknown unit 'ZZZ'",
                "agenda.csv:5:1: unknown unit 'YYY'"
            ]
        );
    }
}
