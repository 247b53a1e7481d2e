//! Agenda files: a CSV with columns `unit_code, criterion_code` (criterion_code empty: the
//! whole unit). UTF-8 with or without a BOM, LF or CRLF; errors point at file:line:column.

use super::{InputError, Problem};
use crate::domain::Session;
use crate::domain::agenda::{AgendaCodeError, AgendaItem, resolve};
use crate::domain::text::nfc;
use std::path::Path;

/// Reads an agenda file against the session's units and framework.
pub fn read_agenda_file(
    path: &Path,
    session: &Session,
) -> Result<Vec<AgendaItem>, Vec<InputError>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![InputError {
            file: path.to_path_buf(),
            line: None,
            column: None,
            problem: Problem::AgendaCannotRead(e.to_string()),
        }]
    })?;
    parse_agenda(path, &bytes, session)
}

/// Parses agenda CSV bytes; `path` names the file in messages. Every problem is reported, not
/// just the first.
pub fn parse_agenda(
    path: &Path,
    bytes: &[u8],
    session: &Session,
) -> Result<Vec<AgendaItem>, Vec<InputError>> {
    let error = |line: Option<u64>, column: Option<u64>, problem: Problem| InputError {
        file: path.to_path_buf(),
        line,
        column,
        problem,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Lines are counted from byte offsets: the csv crate's own count is off for CRLF inside
    // quotes.
    // A record's position can point at the line break before it (the "\n" of a CRLF), so
    // breaks at the position are skipped first.
    let line_at = |byte: u64| -> u64 {
        let mut end = (byte as usize).min(body.len());
        while end < body.len() && matches!(body[end], b'\r' | b'\n') {
            end += 1;
        }
        body[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
    };
    if let Err(e) = std::str::from_utf8(body) {
        let line = line_at(e.valid_up_to() as u64);
        return Err(vec![error(Some(line), None, Problem::AgendaNotUtf8)]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut errors = Vec::new();
    let mut items: Vec<AgendaItem> = Vec::new();
    let mut first_line_of: std::collections::HashMap<AgendaItem, u64> = Default::default();
    let mut columns: Option<(usize, Option<usize>)> = None;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| line_at(p.byte()));
                errors.push(error(line, None, Problem::AgendaNotCsv(e.to_string())));
                break;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let Some((unit_column, criterion_column)) = columns else {
            let names: Vec<String> = record
                .iter()
                .map(|h| nfc(h.trim()).to_lowercase())
                .collect();
            let find = |name: &str| names.iter().position(|n| n == name);
            match find("unit_code") {
                Some(unit) => columns = Some((unit, find("criterion_code"))),
                None => {
                    let separator =
                        names.len() == 1 && (names[0].contains(';') || names[0].contains('\t'));
                    errors.push(error(Some(line), None, Problem::AgendaHeader { separator }));
                    return Err(errors);
                }
            }
            continue;
        };
        let cell = |i: usize| record.get(i).map(|c| nfc(c.trim())).unwrap_or_default();
        let unit_code = cell(unit_column);
        if unit_code.is_empty() {
            errors.push(error(
                Some(line),
                Some(unit_column as u64 + 1),
                Problem::AgendaEmptyUnit,
            ));
            continue;
        }
        let criterion_code = criterion_column.map(cell).filter(|c| !c.is_empty());
        match resolve(session, &unit_code, criterion_code.as_deref()) {
            Ok(item) => {
                if let Some(first) = first_line_of.get(&item) {
                    errors.push(error(
                        Some(line),
                        Some(unit_column as u64 + 1),
                        Problem::AgendaTwice {
                            unit: unit_code.clone(),
                            criterion: criterion_code.clone().unwrap_or_default(),
                            first: *first,
                        },
                    ));
                } else {
                    first_line_of.insert(item, line);
                    items.push(item);
                }
            }
            Err(AgendaCodeError::UnknownUnit(code)) => errors.push(error(
                Some(line),
                Some(unit_column as u64 + 1),
                Problem::AgendaUnknownUnit(code),
            )),
            Err(AgendaCodeError::UnknownCriterion(code)) => errors.push(error(
                Some(line),
                criterion_column.map(|c| c as u64 + 1),
                Problem::AgendaUnknownCriterion(code),
            )),
        }
    }
    if columns.is_none() {
        errors.push(error(None, None, Problem::AgendaEmptyFile));
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::sample_session;

    fn parse(text: &[u8]) -> Result<Vec<AgendaItem>, Vec<String>> {
        let session = sample_session();
        parse_agenda(Path::new("agenda.csv"), text, &session)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    fn codes(items: &[AgendaItem]) -> Vec<String> {
        let session = sample_session();
        items
            .iter()
            .map(|i| {
                let (u, c) = i.codes(&session);
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
}
