//! Session files given as workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`): the first sheet, read
//! whole with calamine, as rows of text cells at their places on the sheet.
//!
//! A workbook is read into memory (it is a zip of XML, or an OLE file, not a stream of rows),
//! so it has caps of its own: [`MAX_WORKBOOK_BYTES`] on the file and [`MAX_EXPANDED_BYTES`] on
//! what a zip workbook unpacks to. Only the cells that hold something are kept, their texts end
//! to end in one string. Numbers become text as the readers parse it ([`number_text`]): a
//! formula's cached value (`=SUM(D8:D10)`, `=0,1+0,2`) is read to ten decimal places, so the
//! float artefacts of a sum (`0.30000000000000004`) are the intended value.

use super::report::Report;
use super::source::{CellKind, Opened, RowSource, regular_file_under};
use crate::io::Problem;
use calamine::{
    Data, DataRef, Ods, OdsError, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx,
};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Largest workbook file read. A workbook is read whole and its cells held in memory: a
/// 200 MB xlsx holds about ten million cells.
pub const MAX_WORKBOOK_BYTES: u64 = 200 << 20;
/// Most a zip workbook (xlsx, ods) may unpack to, so that a small file that expands to
/// gigabytes of XML (a zip bomb) is refused before it is parsed.
pub const MAX_EXPANDED_BYTES: u64 = 2 << 30;
/// The extensions of the workbooks read, in the order they are looked for.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];
/// Most cells with something in them read from one sheet (Excel's own sheets hold 17 billion
/// cells; a session of 10,000 units is about 5 million).
const MAX_CELLS: usize = 50_000_000;

/// The file formats a workbook may be in, told by its first bytes (not its name: an `.xls`
/// saved under `.xlsx` is still read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// A zip: xlsx or xlsm.
    OfficeOpenXml,
    /// A zip: ods.
    OpenDocument,
    /// An OLE compound file: an Excel 97–2003 .xls, or an xlsx encrypted with a password.
    Compound,
}

/// One sheet's cells that hold something, in row order, their texts end to end.
pub(in crate::io) struct SheetRows {
    sheet: String,
    texts: String,
    cells: Vec<StoredCell>,
    /// Per row that holds something: its 0-based row and its first cell.
    rows: Vec<(u32, usize)>,
    next_row: usize,
    /// The kinds of the cells of the record read last.
    kinds: Vec<CellKind>,
}

struct StoredCell {
    column: u32,
    kind: CellKind,
    start: usize,
    len: u32,
}

/// Opens `path` as a workbook session file: Missing if there is nothing by that name; Failed
/// (reported) for anything but a readable workbook file under the caps.
pub(in crate::io) fn open_workbook(path: &Path, report: &mut Report) -> Opened<SheetRows> {
    let file = match regular_file_under(path, MAX_WORKBOOK_BYTES, Problem::WorkbookTooLarge) {
        Ok(Some(file)) => file,
        Ok(None) => return Opened::Missing,
        Err(problem) => {
            report.error(path, None, None, problem);
            return Opened::Failed;
        }
    };
    match read_first_sheet(path, file) {
        Ok(rows) => {
            report.read_sheet(path, &rows.sheet);
            Opened::Rows(rows)
        }
        Err(problem) => {
            report.error(path, None, None, problem);
            Opened::Failed
        }
    }
}

/// Whether a file name ends in one of the workbook extensions (as written, lower case).
pub(super) fn is_workbook_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, extension)| WORKBOOK_EXTENSIONS.contains(&extension))
}

/// As [`parse_first_sheet`], a panic inside the workbook reader refusing the file.
fn read_first_sheet(path: &Path, file: File) -> Result<SheetRows, Problem> {
    crate::io::contained::contain(|| parse_first_sheet(path, file))
        .unwrap_or(Err(Problem::WorkbookDamaged))
}

fn parse_first_sheet(path: &Path, mut file: File) -> Result<SheetRows, Problem> {
    let format = sniff_format(&mut file)?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match format {
        Format::OfficeOpenXml => {
            check_expanded(&mut file)?;
            read_xlsx(BufReader::new(file))
        }
        Format::OpenDocument => {
            check_expanded(&mut file)?;
            read_ods(BufReader::new(file))
        }
        // An encrypted xlsx or ods is an OLE file holding the encrypted package.
        Format::Compound if extension != "xls" => {
            check_compound(&mut file)?;
            match read_xls(BufReader::new(file)) {
                Ok(rows) => Ok(rows),
                Err(_) => Err(Problem::WorkbookEncrypted),
            }
        }
        Format::Compound => {
            check_compound(&mut file)?;
            read_xls(BufReader::new(file))
        }
    }
}

/// The format from the first bytes: a zip (which one, from its entries), an OLE file, or
/// neither (refused).
fn sniff_format(file: &mut File) -> Result<Format, Problem> {
    let mut start = [0u8; 8];
    let read = read_up_to(file, &mut start).map_err(|e| Problem::CannotRead(e.to_string()))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Problem::CannotRead(e.to_string()))?;
    match &start[..read] {
        [0x50, 0x4B, ..] => {
            let archive = zip_archive(file)?;
            let is_ods = archive.index_for_name("content.xml").is_some()
                && archive.index_for_name("[Content_Types].xml").is_none();
            file.seek(SeekFrom::Start(0))
                .map_err(|e| Problem::CannotRead(e.to_string()))?;
            Ok(if is_ods {
                Format::OpenDocument
            } else {
                Format::OfficeOpenXml
            })
        }
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => Ok(Format::Compound),
        _ => Err(Problem::NotAWorkbook),
    }
}

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

fn zip_archive(file: &mut File) -> Result<zip::ZipArchive<&mut File>, Problem> {
    zip::ZipArchive::new(file).map_err(|error| Problem::WorkbookUnreadable(error.to_string()))
}

/// Refuses a zip workbook whose entries unpack to more than [`MAX_EXPANDED_BYTES`], or that
/// calamine would unpack into more than it holds (an xlsx's string table, an .ods's sheets).
fn check_expanded(file: &mut File) -> Result<(), Problem> {
    let mut archive = zip_archive(file)?;
    let mut expanded = 0u64;
    for index in 0..archive.len() {
        // The central directory's sizes (a LibreOffice file has data descriptors too).
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| Problem::WorkbookUnreadable(error.to_string()))?;
        expanded = expanded.saturating_add(entry.size());
    }
    if expanded > MAX_EXPANDED_BYTES {
        return Err(Problem::WorkbookExpands(expanded));
    }
    // One of the two applies: an xlsx has a string table, an .ods its content.xml.
    check_shared_strings(&mut archive)?;
    check_ods_sheets(&mut archive)?;
    drop(archive);
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Problem::CannotRead(e.to_string()))?;
    Ok(())
}

/// Refuses an xlsx whose shared-strings table declares more strings than it can hold (see
/// [`shared_strings`](super::shared_strings)): calamine would reserve room for them all.
fn check_shared_strings(archive: &mut zip::ZipArchive<&mut File>) -> Result<(), Problem> {
    for index in 0..archive.len() {
        let is_table = archive.name_for_index(index).is_some_and(|name| {
            name.is_ok_and(|n| n.to_lowercase().ends_with("sharedstrings.xml"))
        });
        if !is_table {
            continue;
        }
        let entry = archive
            .by_index(index)
            .map_err(|error| Problem::WorkbookUnreadable(error.to_string()))?;
        let unpacked = entry.size();
        if !super::shared_strings::count_fits(entry.take(MAX_EXPANDED_BYTES), unpacked) {
            return Err(Problem::WorkbookDamaged);
        }
    }
    Ok(())
}

/// Refuses an .ods whose sheets calamine would build larger than
/// [`ODS_CELLS`](super::ods_extent::ODS_CELLS) (see [`ods_extent`](super::ods_extent)).
fn check_ods_sheets(archive: &mut zip::ZipArchive<&mut File>) -> Result<(), Problem> {
    let fits = match archive.by_name("content.xml") {
        Ok(content) => {
            super::ods_extent::sheets_fit(BufReader::new(content.take(MAX_EXPANDED_BYTES)))
        }
        Err(_) => Ok(true),
    };
    match fits {
        Ok(false) => Err(Problem::WorkbookTooManyCells(
            super::ods_extent::ODS_CELLS as usize,
        )),
        // Unreadable XML is calamine's to name (an encrypted file, say).
        Ok(true) | Err(()) => Ok(()),
    }
}

/// Refuses an OLE file (xls) whose sector tables do not hold together: calamine follows a
/// chain that loops back on itself until memory runs out (a 7 KB file took 13 GB), so the
/// container is checked first by the cfb crate, which refuses loops and sectors out of
/// range (its permissive check: the strict one refuses LibreOffice's own .xls files).
/// Then the workbook stream's sheets are checked to be no larger than an .xls sheet can be
/// (see [`xls_extent`](super::xls_extent)).
fn check_compound(file: &mut File) -> Result<(), Problem> {
    let checked = compound_holds_together(&mut *file);
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Problem::CannotRead(e.to_string()))?;
    if checked {
        Ok(())
    } else {
        Err(Problem::WorkbookDamaged)
    }
}

fn compound_holds_together(file: &mut File) -> bool {
    let Ok(mut compound) = cfb::CompoundFile::open(file) else {
        return false;
    };
    // BIFF8 names its stream Workbook, BIFF5 Book; an encrypted xlsx has neither.
    for name in ["/Workbook", "/Book"] {
        if compound.is_stream(name) {
            return compound
                .open_stream(name)
                .is_ok_and(super::xls_extent::sheets_fit);
        }
    }
    true
}

/// The first visible worksheet's name, else the first worksheet's.
fn first_sheet(sheets: &[calamine::Sheet]) -> Result<String, Problem> {
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or(Problem::WorkbookWithoutSheet)
}

fn read_xlsx(input: BufReader<File>) -> Result<SheetRows, Problem> {
    let unreadable = |error: calamine::XlsxError| Problem::WorkbookUnreadable(error.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(input).map_err(unreadable)?;
    let name = first_sheet(workbook.sheets_metadata())?;
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows = SheetRows::new(name);
    // Cells come in the sheet's order, row by row: held as they come, not as a rectangle.
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        rows.push(row, column, cell.get_value())?;
    }
    rows.finish();
    Ok(rows)
}

fn read_xls(input: BufReader<File>) -> Result<SheetRows, Problem> {
    let unreadable = |error: XlsError| match error {
        XlsError::Password => Problem::WorkbookEncrypted,
        other => Problem::WorkbookUnreadable(other.to_string()),
    };
    let mut workbook: Xls<_> = Xls::new(input).map_err(unreadable)?;
    let name = first_sheet(workbook.sheets_metadata())?;
    let range = workbook.worksheet_range(&name).map_err(unreadable)?;
    SheetRows::from_range(name, &range)
}

fn read_ods(input: BufReader<File>) -> Result<SheetRows, Problem> {
    let unreadable = |error: OdsError| match error {
        OdsError::Password => Problem::WorkbookEncrypted,
        other => Problem::WorkbookUnreadable(other.to_string()),
    };
    let mut workbook: Ods<_> = Ods::new(input).map_err(unreadable)?;
    let name = first_sheet(workbook.sheets_metadata())?;
    let range = workbook.worksheet_range(&name).map_err(unreadable)?;
    SheetRows::from_range(name, &range)
}

impl SheetRows {
    fn new(sheet: String) -> SheetRows {
        SheetRows {
            sheet,
            texts: String::new(),
            cells: Vec::new(),
            rows: Vec::new(),
            next_row: 0,
            kinds: Vec::new(),
        }
    }

    /// The used cells of a whole sheet read as a rectangle (xls, ods).
    fn from_range(sheet: String, range: &calamine::Range<Data>) -> Result<SheetRows, Problem> {
        let mut rows = SheetRows::new(sheet);
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, column, value) in range.used_cells() {
            rows.push(top + row as u32, left + column as u32, &borrowed(value))?;
        }
        rows.finish();
        Ok(rows)
    }

    /// Keeps a cell that holds something; empty cells and empty texts are left out.
    fn push(&mut self, row: u32, column: u32, value: &DataRef<'_>) -> Result<(), Problem> {
        let Some((kind, text)) = cell_text(value) else {
            return Ok(());
        };
        if self.cells.len() >= MAX_CELLS {
            return Err(Problem::WorkbookTooManyCells(MAX_CELLS));
        }
        if self.rows.last().is_none_or(|&(last, _)| last != row) {
            self.rows.push((row, self.cells.len()));
        }
        let start = self.texts.len();
        self.texts.push_str(&text);
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        self.cells.push(StoredCell {
            column,
            kind,
            start,
            len,
        });
        Ok(())
    }

    /// Puts rows and cells in sheet order, should a file give them otherwise.
    fn finish(&mut self) {
        let ordered = self.rows.windows(2).all(|pair| pair[0].0 < pair[1].0)
            && self.rows.iter().enumerate().all(|(index, &(_, first))| {
                let end = self.rows.get(index + 1).map_or(self.cells.len(), |r| r.1);
                self.cells[first..end]
                    .windows(2)
                    .all(|pair| pair[0].column < pair[1].column)
            });
        if ordered {
            return;
        }
        let mut placed: Vec<(u32, StoredCell)> = Vec::with_capacity(self.cells.len());
        let mut rows = std::mem::take(&mut self.rows).into_iter().peekable();
        let mut current = 0;
        for (index, cell) in std::mem::take(&mut self.cells).into_iter().enumerate() {
            while let Some(&(row, first)) = rows.peek() {
                if first > index {
                    break;
                }
                current = row;
                rows.next();
            }
            placed.push((current, cell));
        }
        // Stable: of two values given for one cell, the later is kept last.
        placed.sort_by_key(|(row, cell)| (*row, cell.column));
        for (row, cell) in placed {
            if self.rows.last().is_none_or(|&(last, _)| last != row) {
                self.rows.push((row, self.cells.len()));
            }
            self.cells.push(cell);
        }
    }
}

impl RowSource for SheetRows {
    /// The next row that holds something, as many fields as up to its last cell (column A
    /// is field 1); its 1-based row on the sheet.
    fn next_record(&mut self, record: &mut csv::StringRecord, _: &mut Report) -> Option<u64> {
        if self.next_row >= self.rows.len() {
            return None;
        }
        let index = self.next_row;
        self.next_row += 1;
        record.clear();
        self.kinds.clear();
        let first = self.rows[index].1;
        let end = self.rows.get(index + 1).map_or(self.cells.len(), |r| r.1);
        let (cells, texts) = (&self.cells[first..end], &self.texts);
        for cell in cells {
            while (record.len() as u32) < cell.column {
                record.push_field("");
                self.kinds.push(CellKind::Text);
            }
            let end = cell.start + cell.len as usize;
            record.push_field(texts.get(cell.start..end).unwrap_or(""));
            self.kinds.push(cell.kind);
        }
        Some(u64::from(self.rows[index].0) + 1)
    }

    fn check_rest(&mut self, _: &mut Report) {}

    fn cell_kind(&self, field: usize) -> CellKind {
        self.kinds.get(field).copied().unwrap_or(CellKind::Text)
    }

    fn header_rows(&self) -> u64 {
        HEADER_SEARCH_ROWS
    }

    fn fixed_width(&self) -> bool {
        false
    }
}

/// A workbook's header is the first row, among its first this many, that names the required
/// columns: a title, the national header and merged cells may stand above it.
pub const HEADER_SEARCH_ROWS: u64 = 30;

/// A cell of a rectangle as the streaming reader gives them.
fn borrowed(value: &Data) -> DataRef<'_> {
    match value {
        Data::Int(number) => DataRef::Int(*number),
        Data::Float(number) => DataRef::Float(*number),
        Data::String(text) => DataRef::SharedString(text),
        Data::Bool(value) => DataRef::Bool(*value),
        Data::DateTime(date) => DataRef::DateTime(*date),
        Data::DateTimeIso(text) => DataRef::DateTimeIso(text.clone()),
        Data::DurationIso(text) => DataRef::DurationIso(text.clone()),
        Data::Error(error) => DataRef::Error(error.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// A cell's kind and text; None for an empty cell.
fn cell_text(value: &DataRef<'_>) -> Option<(CellKind, String)> {
    let read = match value {
        DataRef::Empty => return None,
        DataRef::String(text) => (CellKind::Text, text.clone()),
        DataRef::SharedString(text) => (CellKind::Text, (*text).to_string()),
        DataRef::Int(number) => (CellKind::Number, number.to_string()),
        DataRef::Float(number) => (CellKind::Number, number_text(*number)),
        DataRef::Bool(true) => (CellKind::Text, "TRUE".to_string()),
        DataRef::Bool(false) => (CellKind::Text, "FALSE".to_string()),
        DataRef::DateTime(date) if date.is_duration() => {
            (CellKind::Date, number_text(date.as_f64()))
        }
        DataRef::DateTime(date) => (CellKind::Date, date_text(date.as_f64())),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => (CellKind::Date, text.clone()),
        DataRef::Error(error) => (CellKind::Error, error.to_string()),
    };
    (!read.1.is_empty()).then_some(read)
}

/// A number cell as text: rounded to ten decimal places, trailing zeros left out (`6.5`, `2`,
/// `0.3` for 0.1 + 0.2). Scores have a few decimals at most, so ten places keep every score
/// as typed and drop the binary artefacts of formulas.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let mut text = format!("{value:.10}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" {
        text = "0".to_string();
    }
    text
}

/// A date cell (a serial day number of the 1900 system) as `dd/mm/yyyy`, with `hh:mm` when
/// it has a time of day.
fn date_text(serial: f64) -> String {
    let days = serial.floor();
    let minutes = ((serial - days) * 24.0 * 60.0).round() as i64;
    // Day 60 is Excel's 29 February 1900, which never was; days before it are one later.
    let offset = if days < 61.0 { 1 } else { 0 };
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    let date =
        epoch.and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64 + offset)));
    let Some(date) = date else {
        return number_text(serial);
    };
    let day = date.format("%d/%m/%Y").to_string();
    match minutes {
        0 => day,
        _ => format!("{day} {:02}:{:02}", minutes / 60 % 24, minutes % 60),
    }
}

/// The path of a workbook file that stands for `csv_name` (`units.csv` → `units.xlsx`, …) in
/// `dir`, for each extension.
pub(super) fn workbook_paths(dir: &Path, csv_name: &str) -> impl Iterator<Item = PathBuf> {
    let stem = csv_name.trim_end_matches(".csv").to_string();
    let dir = dir.to_path_buf();
    WORKBOOK_EXTENSIONS
        .iter()
        .map(move |extension| dir.join(format!("{stem}.{extension}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_they_were_meant() {
        assert_eq!(number_text(6.5), "6.5");
        assert_eq!(number_text(2.0), "2");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(0.25 + 0.25 + 0.5 + 1.75), "2.75");
        assert_eq!(number_text(-1.5), "-1.5");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1.1), "1.1");
        assert_eq!(number_text(83.33), "83.33");
        assert_eq!(number_text(1e-12), "0");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn dates_read_as_days() {
        assert_eq!(date_text(45658.0), "01/01/2025");
        assert_eq!(date_text(45658.5), "01/01/2025 12:00");
        assert_eq!(date_text(1.0), "01/01/1900");
        assert_eq!(date_text(61.0), "01/03/1900");
    }
}
