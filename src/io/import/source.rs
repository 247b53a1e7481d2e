//! Where rows come from: a CSV file, opened only if it is a regular file under the size cap,
//! streamed record by record (never read whole), each record checked for UTF-8 as it comes and
//! placed on its physical line.
//!
//! [`RowSource`] is the seam for other sources (a workbook's sheet, `workbook.rs`): the
//! readers only see rows of text cells and the places of those cells. [`open_session_file`]
//! opens whichever form a session file is given in.

use super::encoding::{check_record, utf16_mark};
use super::report::Report;
use super::scan::{Scanned, Stop, stop_of};
use super::workbook::{SheetRows, open_workbook, workbook_paths};
use crate::io::{FileKind, NotUtf8, Problem};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest session file read: a CSV file over 2 GiB is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 2 << 30;
/// Largest single record (row) read, so that a file without line breaks, or with a quote left
/// open, cannot fill the memory.
pub const MAX_RECORD_BYTES: u64 = 128 << 20;
/// Read in pieces of this size.
const BUFFER_BYTES: usize = 1 << 16;

/// Rows of text cells, each row at a place in its file.
pub(in crate::io) trait RowSource {
    /// Reads the next record into `record` and returns its line (1-based, physical; a
    /// sheet's row), or None at the end or after a problem that stops the reading (already
    /// reported).
    fn next_record(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64>;
    /// Reads the rest only to report a problem with the file's encoding, if any.
    fn check_rest(&mut self, report: &mut Report);
    /// What the cell of a field (0-based) of the record read last was; CSV has only text.
    fn cell_kind(&self, _field: usize) -> CellKind {
        CellKind::Text
    }
    /// How many rows from the top the header may be looked for in: a CSV file's is its first.
    fn header_rows(&self) -> u64 {
        1
    }
    /// Whether every row must have as many fields as the header (CSV); a sheet's rows end at
    /// their last cell that holds something.
    fn fixed_width(&self) -> bool {
        true
    }
}

/// What a cell held before it became text: a workbook's cells are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::io) enum CellKind {
    Text,
    Number,
    /// A date or a time (a code or score the spreadsheet took for a date).
    Date,
    /// A formula's error (`#DIV/0!`).
    Error,
}

/// A session file in either of its forms.
pub(in crate::io) enum FileRows {
    Csv(Box<CsvRows>),
    Sheet(SheetRows),
}

impl RowSource for FileRows {
    fn next_record(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64> {
        match self {
            FileRows::Csv(rows) => rows.next_record(record, report),
            FileRows::Sheet(rows) => rows.next_record(record, report),
        }
    }

    fn check_rest(&mut self, report: &mut Report) {
        match self {
            FileRows::Csv(rows) => rows.check_rest(report),
            FileRows::Sheet(rows) => rows.check_rest(report),
        }
    }

    fn cell_kind(&self, field: usize) -> CellKind {
        match self {
            FileRows::Csv(rows) => rows.cell_kind(field),
            FileRows::Sheet(rows) => rows.cell_kind(field),
        }
    }

    fn header_rows(&self) -> u64 {
        match self {
            FileRows::Csv(rows) => rows.header_rows(),
            FileRows::Sheet(rows) => rows.header_rows(),
        }
    }

    fn fixed_width(&self) -> bool {
        match self {
            FileRows::Csv(rows) => rows.fixed_width(),
            FileRows::Sheet(rows) => rows.fixed_width(),
        }
    }
}

/// A session file opened in the form it is given: `name` (`units.csv`, comma- or
/// semicolon-separated) or a workbook of the same stem (`units.xlsx`, `.xlsm`, `.xls`,
/// `.ods`). Two forms of one file is an error at the second. Gives the path of the form read
/// (the CSV name when there is none).
pub(in crate::io) fn open_session_file(
    dir: &Path,
    name: &str,
    report: &mut Report,
) -> (PathBuf, Opened<FileRows>) {
    let csv_path = dir.join(name);
    let mut present = present_forms(dir, name, &csv_path).into_iter();
    let Some(first) = present.next() else {
        return (csv_path, Opened::Missing);
    };
    if let Some(second) = present.next() {
        // Refused, and the first form still read so that the other files are checked
        // against its rows rather than against nothing.
        let problem = Problem::TwoForms {
            other: file_name(&first),
        };
        report.error(&second, None, None, problem);
    }
    let opened = open_form(&first, report);
    (first, opened)
}

/// Opens a session file found before (`units.csv` or `units.xlsx`, …) in the form its
/// name says.
pub(in crate::io) fn open_form(path: &Path, report: &mut Report) -> Opened<FileRows> {
    let is_csv = path.extension().is_some_and(|extension| extension == "csv");
    if is_csv {
        open_csv_sniffed(path, report).map(|rows| FileRows::Csv(Box::new(rows)))
    } else {
        open_workbook(path, report).map(FileRows::Sheet)
    }
}

/// The forms of a session file that are there (anything by the name, a dangling link too).
fn present_forms(dir: &Path, name: &str, csv_path: &Path) -> Vec<PathBuf> {
    std::iter::once(csv_path.to_path_buf())
        .chain(workbook_paths(dir, name))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Opens a CSV session file whose separator is ',' or ';', as its first line says.
fn open_csv_sniffed(path: &Path, report: &mut Report) -> Opened<CsvRows> {
    open_csv_with(path, Separator::Sniffed, report)
}

/// [`open_csv`] with the separator chosen as `separator` says.
fn open_csv_with(path: &Path, separator: Separator, report: &mut Report) -> Opened<CsvRows> {
    match regular_file(path) {
        Ok(Some(file)) => match CsvRows::with_separator(path, file, separator, report) {
            Some(rows) => Opened::Rows(rows),
            None => Opened::Failed,
        },
        Ok(None) => Opened::Missing,
        Err(problem) => {
            report.error(path, None, None, problem);
            Opened::Failed
        }
    }
}

/// What opening a session file gave.
pub(in crate::io) enum Opened<S> {
    Missing,
    /// Not readable as a session file; already reported.
    Failed,
    Rows(S),
}

impl<S> Opened<S> {
    pub(in crate::io) fn map<T>(self, rows: impl FnOnce(S) -> T) -> Opened<T> {
        match self {
            Opened::Missing => Opened::Missing,
            Opened::Failed => Opened::Failed,
            Opened::Rows(found) => Opened::Rows(rows(found)),
        }
    }
}

/// The bytes after the first three (already looked at) follow them.
type Input<R> = std::io::Chain<std::io::Cursor<Vec<u8>>, R>;

/// A CSV file being read.
pub(in crate::io) struct CsvRows<R = File> {
    path: PathBuf,
    reader: csv::Reader<Scanned<Input<R>>>,
    /// Records read so far.
    records: u64,
    finished: bool,
    /// A second record to read into, so that no record is allocated per row.
    spare: Option<csv::StringRecord>,
    /// The line of the byte that is not UTF-8, when that stopped the reading.
    not_utf8: Option<u64>,
}

/// Opens `path` as a CSV session file: Missing if there is nothing by that name; Failed (with
/// the reason reported) for anything but a regular file under [`MAX_FILE_BYTES`] of text.
pub(in crate::io) fn open_csv(path: &Path, report: &mut Report) -> Opened<CsvRows> {
    open_csv_with(path, Separator::Comma, report)
}

/// The file opened for reading if it is a regular file (or a link to one) under the cap;
/// None if there is nothing by that name. Devices and FIFOs are refused before they are
/// opened, since opening a FIFO waits for a writer and a device never ends.
pub(super) fn regular_file(path: &Path) -> Result<Option<File>, Problem> {
    regular_file_under(path, MAX_FILE_BYTES, Problem::TooLarge)
}

/// [`regular_file`] with a cap of its own, and the problem a file over it is.
pub(super) fn regular_file_under(
    path: &Path,
    cap: u64,
    too_large: fn(Option<u64>) -> Problem,
) -> Result<Option<File>, Problem> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(link) => link,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(cannot_read(&error)),
    };
    let target = match std::fs::metadata(path) {
        Ok(target) => target,
        Err(error) if link.file_type().is_symlink() => return Err(dangling_link(path, &error)),
        Err(error) => return Err(cannot_read(&error)),
    };
    if !target.is_file() {
        return Err(not_a_regular_file(&target));
    }
    let check_size = |len: u64| match len > cap {
        true => Err(too_large(Some(len))),
        false => Ok(()),
    };
    check_size(target.len())?;
    let file = File::open(path).map_err(|error| cannot_read(&error))?;
    // Checked again on what was opened, in case the name changed in between.
    let opened = file.metadata().map_err(|error| cannot_read(&error))?;
    if !opened.is_file() {
        return Err(not_a_regular_file(&opened));
    }
    check_size(opened.len())?;
    Ok(Some(file))
}

pub(super) fn too_large(len: Option<u64>) -> Problem {
    Problem::TooLarge(len)
}

fn cannot_read(error: &std::io::Error) -> Problem {
    Problem::CannotRead(error.to_string())
}

fn dangling_link(path: &Path, error: &std::io::Error) -> Problem {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    Problem::DanglingLink {
        target,
        error: error.to_string(),
    }
}

fn not_a_regular_file(metadata: &std::fs::Metadata) -> Problem {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    Problem::NotARegularFile(if kind.is_dir() {
        FileKind::Folder
    } else if kind.is_fifo() {
        FileKind::Fifo
    } else if kind.is_char_device() || kind.is_block_device() {
        FileKind::Device
    } else if kind.is_socket() {
        FileKind::Socket
    } else {
        FileKind::Other
    })
}

/// How the separator between fields is chosen.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::io) enum Separator {
    Comma,
    /// ',' or ';', whichever the first line uses more (outside quotes): a spreadsheet set to
    /// a decimal-comma locale (Vietnamese Excel) writes ';'.
    Sniffed,
}

/// How much of a file's start is looked at for its separator.
const SNIFF_BYTES: usize = 64 << 10;

impl<R: Read> CsvRows<R> {
    /// Starts reading `input` as comma-separated: refuses UTF-16 at once and leaves out a
    /// UTF-8 byte-order mark.
    pub(in crate::io) fn new(path: &Path, input: R, report: &mut Report) -> Option<CsvRows<R>> {
        CsvRows::with_separator(path, input, Separator::Comma, report)
    }

    /// [`CsvRows::new`], the separator chosen as `separator` says.
    pub(in crate::io) fn with_separator(
        path: &Path,
        mut input: R,
        separator: Separator,
        report: &mut Report,
    ) -> Option<CsvRows<R>> {
        let wanted = match separator {
            Separator::Comma => 3,
            Separator::Sniffed => SNIFF_BYTES,
        };
        let mut start = Vec::new();
        if let Err(error) = read_start(&mut input, &mut start, wanted) {
            report.error(path, None, None, cannot_read(&error));
            return None;
        }
        if let Some(error) = utf16_mark(&start) {
            report.error(path, Some(error.line), Some(error.column), error.problem());
            return None;
        }
        if start.starts_with(b"\xEF\xBB\xBF") {
            start.drain(..3);
        }
        let delimiter = match separator {
            Separator::Comma => b',',
            Separator::Sniffed => sniff_delimiter(&start),
        };
        let input = std::io::Cursor::new(start).chain(input);
        let scanned = Scanned::with_delimiter(input, MAX_FILE_BYTES, MAX_RECORD_BYTES, delimiter);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(BUFFER_BYTES)
            .from_reader(scanned);
        Some(CsvRows {
            path: path.to_path_buf(),
            reader,
            records: 0,
            finished: false,
            spare: Some(csv::StringRecord::new()),
            not_utf8: None,
        })
    }

    /// Reads one record as bytes, then as text; None at the end or on a reported problem.
    fn read(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64> {
        let spare = self.spare.take().unwrap_or_default();
        let mut bytes = std::mem::replace(record, spare).into_byte_record();
        match self.reader.read_byte_record(&mut bytes) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(error) => {
                self.report_read_error(&error, report);
                return None;
            }
        }
        self.records += 1;
        let line = self.reader.get_mut().take_record_line();
        if let Some(open) = self.reader.get_ref().unclosed_quote()
            && open.record + 1 == self.records
        {
            report.error(
                &self.path,
                Some(open.line),
                Some(open.column),
                Problem::UnclosedQuote,
            );
            return None;
        }
        let text = match csv::StringRecord::from_byte_record(bytes) {
            Ok(text) if !text.as_byte_record().as_slice().contains(&0) => text,
            Ok(text) => return self.encoding_error(text.as_byte_record(), line, report),
            Err(error) => return self.encoding_error(&error.into_byte_record(), line, report),
        };
        self.spare = Some(std::mem::replace(record, text));
        Some(line)
    }

    fn encoding_error(
        &mut self,
        bytes: &csv::ByteRecord,
        line: u64,
        report: &mut Report,
    ) -> Option<u64> {
        if let Err(error) = check_record(bytes, line) {
            self.not_utf8 = matches!(error.why, NotUtf8::Byte(_)).then_some(error.line);
            report.error(
                &self.path,
                Some(error.line),
                Some(error.column),
                error.problem(),
            );
        }
        None
    }

    fn report_read_error(&self, error: &csv::Error, report: &mut Report) {
        let scanned = self.reader.get_ref();
        match stop_of(error) {
            Some(Stop::RecordTooLong { line, .. }) => match scanned.open_quote() {
                Some(open) => report.error(
                    &self.path,
                    Some(open.line),
                    Some(open.column),
                    Problem::UnclosedQuote,
                ),
                None => report.error(&self.path, Some(line), None, Problem::RecordTooLong),
            },
            Some(Stop::FileTooLarge { .. }) => {
                report.error(&self.path, None, None, too_large(None))
            }
            None => report.error(&self.path, None, None, Problem::NotCsv(error.to_string())),
        }
    }
}

impl<R> CsvRows<R> {
    /// The line of the byte that is not UTF-8 text, if one stopped the reading (a NUL byte or
    /// a UTF-16 file is reported otherwise).
    pub(in crate::io) fn not_utf8(&self) -> Option<u64> {
        self.not_utf8
    }
}

impl<R: Read> RowSource for CsvRows<R> {
    fn next_record(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64> {
        if self.finished {
            return None;
        }
        let line = self.read(record, report);
        self.finished = line.is_none();
        line
    }

    fn check_rest(&mut self, report: &mut Report) {
        let mut record = csv::StringRecord::new();
        while self.next_record(&mut record, report).is_some() {}
    }
}

/// Reads the beginning of `input` into `start`: `wanted` bytes, or fewer at the end of the
/// input; past the first three, only up to the end of the first line.
fn read_start(input: &mut impl Read, start: &mut Vec<u8>, wanted: usize) -> std::io::Result<()> {
    let mut piece = [0u8; 4096];
    while start.len() < wanted {
        let room = (wanted - start.len()).min(piece.len());
        // The first three bytes alone, so that a comma file is never read ahead.
        let room = if start.len() < 3 {
            room.min(3 - start.len())
        } else {
            room
        };
        match input.read(&mut piece[..room]) {
            Ok(0) => break,
            Ok(n) => start.extend_from_slice(&piece[..n]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
        if start.len() >= 3 && start.iter().any(|&b| b == b'\n' || b == b'\r') {
            break;
        }
    }
    Ok(())
}

/// ';' when the first line has more semicolons than commas outside quotes, else ','.
fn sniff_delimiter(start: &[u8]) -> u8 {
    let (mut quoted, mut commas, mut semicolons) = (false, 0usize, 0usize);
    for &byte in start {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}
