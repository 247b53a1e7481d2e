//! Where rows come from: a CSV file, opened only if it is a regular file under the size cap,
//! streamed record by record (never read whole), each record checked for UTF-8 as it comes and
//! placed on its physical line.
//!
//! [`RowSource`] is the seam for other sources (a workbook's sheet): the readers only see rows
//! of text cells and the places of those cells.

use super::encoding::{check_record, utf16_mark};
use super::report::Report;
use super::scan::{Scanned, Stop, stop_of};
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
    /// Reads the next record into `record` and returns its line (1-based, physical), or None
    /// at the end or after a problem that stops the reading (already reported).
    fn next_record(&mut self, record: &mut csv::StringRecord, report: &mut Report) -> Option<u64>;
    /// Reads the rest only to report a problem with the file's encoding, if any.
    fn check_rest(&mut self, report: &mut Report);
}

/// What opening a session file gave.
pub(in crate::io) enum Opened<S> {
    Missing,
    /// Not readable as a session file; already reported.
    Failed,
    Rows(S),
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
    match regular_file(path) {
        Ok(Some(file)) => match CsvRows::new(path, file, report) {
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

/// The file opened for reading if it is a regular file (or a link to one) under the cap;
/// None if there is nothing by that name. Devices and FIFOs are refused before they are
/// opened, since opening a FIFO waits for a writer and a device never ends.
pub(super) fn regular_file(path: &Path) -> Result<Option<File>, Problem> {
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

fn check_size(len: u64) -> Result<(), Problem> {
    if len > MAX_FILE_BYTES {
        return Err(too_large(Some(len)));
    }
    Ok(())
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

impl<R: Read> CsvRows<R> {
    /// Starts reading `input`: refuses UTF-16 at once and leaves out a UTF-8 byte-order mark.
    pub(in crate::io) fn new(path: &Path, mut input: R, report: &mut Report) -> Option<CsvRows<R>> {
        let mut start = [0u8; 3];
        let filled = match read_start(&mut input, &mut start) {
            Ok(filled) => filled,
            Err(error) => {
                report.error(path, None, None, cannot_read(&error));
                return None;
            }
        };
        if let Some(error) = utf16_mark(&start[..filled]) {
            report.error(path, Some(error.line), Some(error.column), error.problem());
            return None;
        }
        let keep = if start[..filled] == *b"\xEF\xBB\xBF" {
            0
        } else {
            filled
        };
        let input = std::io::Cursor::new(start[..keep].to_vec()).chain(input);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(BUFFER_BYTES)
            .from_reader(Scanned::new(input, MAX_FILE_BYTES, MAX_RECORD_BYTES));
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

/// Fills `start` from the beginning of `input` as far as it goes.
fn read_start(input: &mut impl Read, start: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < start.len() {
        match input.read(&mut start[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}
