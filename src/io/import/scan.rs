//! A reader between a file and the csv parser that follows the same CSV grammar byte by byte, to
//! know what the parser does not say: the physical line each record starts on (a line ends at
//! LF, CRLF or a lone CR, as editors show them), where a quoted field opened that is still open
//! at the end of the file, and the size limits of a file and of one record.
//!
//! csv's own line count skips lone CRs and counts a record's start from the previous record's
//! CR, so it cannot give the lines of a Mac or mixed-ending file.

use std::collections::VecDeque;
use std::io::{self, Read};

/// The grammar of the csv crate's default reader (',' or the file's separator between fields, '"' quotes with '""' for a
/// quote inside, any of CR, LF, CRLF ending a record, blank lines skipped).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line breaks here are blank lines.
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted field: closes it, unless another quote follows.
    QuoteInQuoted,
}

/// Where a quoted field opened: its record (0-based, in file order), line and field (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OpenQuote {
    pub(super) record: u64,
    pub(super) line: u64,
    pub(super) column: u64,
}

/// Why reading stopped before the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The file grew past the cap while being read.
    FileTooLarge { cap: u64 },
    /// One record ran past the cap (a quoted field left open, or no line breaks at all).
    RecordTooLong { cap: u64, line: u64 },
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Stop {}

/// The bytes that end an unquoted field's text (the separator, CR, LF) or may end a quoted
/// one's ('"', CR, LF).
fn field_ends(delimiter: u8) -> [u8; 3] {
    [delimiter, b'\r', b'\n']
}
const QUOTED_ENDS: [u8; 3] = [b'"', b'\r', b'\n'];

/// The index of the first byte at or after `from` that is one of `targets`, or the length:
/// eight bytes at a time, since most bytes of a file are ordinary text.
fn next_special(bytes: &[u8], from: usize, targets: [u8; 3]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        // A zero byte of word ^ target marks a target byte; the lowest mark is exact.
        let found = targets.iter().fold(0, |found, &target| {
            let x = word ^ (ONES * u64::from(target));
            found | (x.wrapping_sub(ONES) & !x & HIGHS)
        });
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !targets.contains(&bytes[i]) {
        i += 1;
    }
    i
}

pub(super) struct Scanned<R> {
    inner: R,
    state: State,
    line: u64,
    field: u64,
    prev_cr: bool,
    /// Bytes passed on, and where the record being read began.
    offset: u64,
    record_offset: u64,
    records: u64,
    /// Start lines of records seen but not yet taken by [`Scanned::take_record_line`].
    pending: VecDeque<u64>,
    last_line: u64,
    open_quote: Option<OpenQuote>,
    at_end: bool,
    file_cap: u64,
    record_cap: u64,
    /// The byte between fields: ',' (or ';', as a Vietnamese-locale Excel writes).
    delimiter: u8,
}

impl<R: Read> Scanned<R> {
    #[cfg(test)]
    pub(super) fn new(inner: R, file_cap: u64, record_cap: u64) -> Scanned<R> {
        Scanned::with_delimiter(inner, file_cap, record_cap, b',')
    }

    pub(super) fn with_delimiter(
        inner: R,
        file_cap: u64,
        record_cap: u64,
        delimiter: u8,
    ) -> Scanned<R> {
        Scanned {
            inner,
            state: State::StartRecord,
            line: 1,
            field: 1,
            prev_cr: false,
            offset: 0,
            record_offset: 0,
            records: 0,
            pending: VecDeque::new(),
            last_line: 1,
            open_quote: None,
            at_end: false,
            file_cap,
            record_cap,
            delimiter,
        }
    }

    /// The start line of the next record the parser returns (records come out in order).
    pub(super) fn take_record_line(&mut self) -> u64 {
        if let Some(line) = self.pending.pop_front() {
            self.last_line = line;
        }
        self.last_line
    }

    /// The quoted field still open at the end of the file, once the end is reached.
    pub(super) fn unclosed_quote(&self) -> Option<OpenQuote> {
        if self.at_end { self.open_quote } else { None }
    }

    /// The quoted field open now, if any (to explain a record that ran past its cap).
    pub(super) fn open_quote(&self) -> Option<OpenQuote> {
        match self.state {
            State::InQuoted | State::QuoteInQuoted => self.open_quote,
            _ => None,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            // Ordinary bytes inside a field change nothing but the position: skip them.
            let ends = match self.state {
                State::InField => Some(field_ends(self.delimiter)),
                State::InQuoted => Some(QUOTED_ENDS),
                _ => None,
            };
            if let Some(ends) = ends {
                let start = i;
                i = next_special(bytes, i, ends);
                if i > start {
                    self.prev_cr = false;
                }
                if i == bytes.len() {
                    break;
                }
            }
            let byte = bytes[i];
            self.step(byte, i as u64);
            // One physical line break per LF, CR, or CRLF.
            if byte == b'\r' || (byte == b'\n' && !self.prev_cr) {
                self.line += 1;
            }
            self.prev_cr = byte == b'\r';
            i += 1;
        }
    }

    #[inline]
    fn step(&mut self, byte: u8, at: u64) {
        let break_byte = byte == b'\r' || byte == b'\n';
        self.state = match self.state {
            State::StartRecord if break_byte => State::StartRecord,
            State::StartRecord => {
                self.pending.push_back(self.line);
                self.records += 1;
                self.field = 1;
                self.record_offset = self.offset + at;
                self.start_field(byte)
            }
            State::StartField => self.start_field(byte),
            State::InField => self.after_text(byte, State::InField),
            State::InQuoted if byte == b'"' => State::QuoteInQuoted,
            State::InQuoted => State::InQuoted,
            State::QuoteInQuoted if byte == b'"' => State::InQuoted,
            State::QuoteInQuoted => {
                self.open_quote = None;
                self.after_text(byte, State::InField)
            }
        };
    }

    #[inline]
    fn start_field(&mut self, byte: u8) -> State {
        if byte == b'"' {
            self.open_quote = Some(OpenQuote {
                record: self.records - 1,
                line: self.line,
                column: self.field,
            });
            return State::InQuoted;
        }
        self.after_text(byte, State::InField)
    }

    #[inline]
    fn after_text(&mut self, byte: u8, otherwise: State) -> State {
        match byte {
            b'\r' | b'\n' => State::StartRecord,
            _ if byte == self.delimiter => {
                self.field += 1;
                State::StartField
            }
            _ => otherwise,
        }
    }

    fn in_record(&self) -> bool {
        self.state != State::StartRecord
    }
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.at_end = true;
            return Ok(0);
        }
        self.scan(&buf[..n]);
        self.offset += n as u64;
        if self.offset > self.file_cap {
            return Err(io::Error::other(Stop::FileTooLarge { cap: self.file_cap }));
        }
        if self.in_record() && self.offset - self.record_offset > self.record_cap {
            let line = self.pending.back().copied().unwrap_or(self.last_line);
            return Err(io::Error::other(Stop::RecordTooLong {
                cap: self.record_cap,
                line,
            }));
        }
        Ok(n)
    }
}

/// The reason a read stopped early, if it was one of the caps.
pub(super) fn stop_of(error: &csv::Error) -> Option<Stop> {
    match error.kind() {
        csv::ErrorKind::Io(io) => io.get_ref()?.downcast_ref::<Stop>().copied(),
        _ => None,
    }
}

/// Physical line breaks in a cell's text (LF, CR and CRLF each count one).
pub(super) fn line_breaks(bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut prev_cr = false;
    for &byte in bytes {
        if byte == b'\r' || (byte == b'\n' && !prev_cr) {
            count += 1;
        }
        prev_cr = byte == b'\r';
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8]) -> (Vec<u64>, Option<OpenQuote>) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Scanned::new(input, u64::MAX, u64::MAX));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            lines.push(reader.get_mut().take_record_line());
        }
        (lines, reader.get_ref().unclosed_quote())
    }

    #[test]
    fn records_start_on_their_physical_lines_whatever_the_line_ends() {
        assert_eq!(lines_of(b"a,b\n\"x\r\ny\",z\r\n\r\nc,d\n").0, [1, 2, 5]);
        assert_eq!(lines_of(b"a,b\r\"x\ry\",z\rc,d\r").0, [1, 2, 4]);
        assert_eq!(lines_of(b"a\r\nb\rc\nd").0, [1, 2, 3, 4]);
        assert_eq!(lines_of(b"\n\n a\n\"q\"\"\n\",b\ne").0, [3, 4, 6]);
        assert_eq!(lines_of(b"x\"y,\"z\nw\"\nv").0, [1, 3]);
    }

    #[test]
    fn the_next_special_byte_is_found_in_any_position() {
        for len in 0..40 {
            for at in 0..=len {
                let (field, quoted) = (field_ends(b','), QUOTED_ENDS);
                for (ends, special) in [(field, b','), (field, b'\r'), (quoted, b'"')] {
                    let mut bytes = vec![b'x'; len];
                    // Bytes next to the targets' values must not be taken for them.
                    bytes.iter_mut().step_by(3).for_each(|b| *b = b'+');
                    if at < len {
                        bytes[at] = special;
                    }
                    assert_eq!(next_special(&bytes, 0, ends), at, "{len} {at} {special}");
                    let other = if ends == field { b'"' } else { b',' };
                    if at < len {
                        bytes[at] = other;
                        assert_eq!(next_special(&bytes, 0, ends), len);
                    }
                }
            }
        }
        assert_eq!(next_special("ấ,".as_bytes(), 0, field_ends(b',')), 3);
        assert_eq!(next_special(b"6,5;x", 0, field_ends(b';')), 3);
    }

    #[test]
    fn a_quote_left_open_is_found_where_it_opened() {
        let (lines, open) = lines_of(b"a,b\nc,\"open\nd,e\nf,g\n");
        assert_eq!(lines, [1, 2]);
        assert_eq!(
            open,
            Some(OpenQuote {
                record: 1,
                line: 2,
                column: 2
            })
        );
        assert_eq!(lines_of(b"a,\"b\"\"\",c\n").1, None);
    }

    #[test]
    fn caps_stop_the_read() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(Scanned::new(&b"a,b\nc,\"ddddddddddddd"[..], u64::MAX, 8));
        let mut record = csv::ByteRecord::new();
        let error = loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => panic!("no error"),
                Err(error) => break error,
            }
        };
        assert_eq!(
            stop_of(&error),
            Some(Stop::RecordTooLong { cap: 8, line: 2 })
        );
    }
}
