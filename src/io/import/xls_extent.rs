//! calamine reads every sheet of an .xls into a rectangle from its first used cell to its last
//! before we see one cell: a 7 KB file naming a cell in column 60,000 asked for 25 GB, and an
//! allocation that fails cannot be caught. The workbook stream's cell records are read first
//! (four bytes of each) and a sheet wider than an .xls can be, or larger than the cells read
//! from any workbook, is refused.

use std::io::{BufReader, Read};

/// The columns of an .xls sheet (BIFF8: A to IV).
const XLS_COLUMNS: u32 = 256;
/// The cells a sheet's rectangle may hold: Excel's own .xls limit, 65,536 rows of 256 columns.
const XLS_CELLS: u64 = 65_536 * 256;

const BOF: u16 = 0x0809;
/// calamine reserves room for the rectangle this record declares.
const DIMENSIONS: u16 = 0x0200;
const EOF: u16 = 0x000A;
/// Records of one cell: row, then column, at the start.
const ONE_CELL: [u16; 8] = [
    0x0006, // FORMULA
    0x0201, // BLANK
    0x0203, // NUMBER
    0x0204, // LABEL
    0x0205, // BOOLERR
    0x027E, // RK
    0x00FD, // LABELSST
    0x00D6, // RSTRING
];
/// Records of a run of cells in one row: row, first column, …, last column at the end.
const CELL_RUNS: [u16; 2] = [0x00BD, 0x00BE]; // MULRK, MULBLANK

/// The used rectangle of one sheet so far.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, first: u32, last: u32) {
        let widen = |range: Option<(u32, u32)>, low: u32, high: u32| {
            Some(range.map_or((low, high), |(a, b)| (a.min(low), b.max(high))))
        };
        self.rows = widen(self.rows, row, row);
        self.columns = widen(self.columns, first, last);
    }

    fn fits(&self) -> bool {
        let span = |range: Option<(u32, u32)>| range.map_or(0, |(a, b)| u64::from(b - a) + 1);
        let widest = self.columns.map_or(0, |(_, b)| b);
        widest < XLS_COLUMNS && span(self.rows) * span(self.columns) <= XLS_CELLS
    }
}

/// Whether every sheet in the workbook stream `biff` fits an .xls sheet; false for a stream
/// that ends inside a record.
pub(super) fn sheets_fit(biff: impl Read) -> bool {
    let mut input = BufReader::new(biff);
    let mut extent = Extent::default();
    loop {
        let mut header = [0u8; 4];
        match input.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return extent.fits(),
            Err(_) => return false,
        }
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let mut body = vec![0u8; usize::from(u16::from_le_bytes([header[2], header[3]]))];
        if input.read_exact(&mut body).is_err() {
            return false;
        }
        let word = |at: usize| {
            body.get(at..at + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match kind {
            BOF | EOF => {
                if !extent.fits() {
                    return false;
                }
                extent = Extent::default();
            }
            DIMENSIONS if !declared_fits(&body) => return false,
            _ if ONE_CELL.contains(&kind) => {
                if let (Some(row), Some(column)) = (word(0), word(2)) {
                    extent.add(row, column, column);
                }
            }
            _ if CELL_RUNS.contains(&kind) => {
                let last = body.len().checked_sub(2).and_then(word);
                if let (Some(row), Some(first), Some(last)) = (word(0), word(2), last) {
                    extent.add(row, first.min(last), first.max(last));
                }
            }
            _ => {}
        }
    }
}

/// Whether a DIMENSIONS record declares a rectangle that fits, read as calamine reads it
/// (BIFF5: four u16; BIFF8: two u32 rows, two u16 columns; last row and column past the end).
fn declared_fits(body: &[u8]) -> bool {
    let u16_at = |at: usize| u64::from(u16::from_le_bytes([body[at], body[at + 1]]));
    let u32_at = |at: usize| {
        u64::from(u32::from_le_bytes([
            body[at],
            body[at + 1],
            body[at + 2],
            body[at + 3],
        ]))
    };
    let (first_row, end_row, mut first_column, end_column) = match body.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses any other length.
        _ => return true,
    };
    if first_column > 0xFF || end_column < first_column {
        first_column = 0;
    }
    let (last_row, last_column) = if end_row >= 1 && end_column >= 1 {
        (end_row - 1, end_column - 1)
    } else {
        (first_row, first_column)
    };
    // A last row before the first would wrap around in calamine's subtraction.
    last_row >= first_row
        && last_column >= first_column
        && (last_row - first_row + 1).saturating_mul(last_column - first_column + 1) <= XLS_CELLS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut bytes = kind.to_le_bytes().to_vec();
        bytes.extend((body.len() as u16).to_le_bytes());
        bytes.extend(body);
        bytes
    }

    fn number(row: u16, column: u16) -> Vec<u8> {
        let mut body = row.to_le_bytes().to_vec();
        body.extend(column.to_le_bytes());
        body.extend([0u8; 10]);
        record(0x0203, &body)
    }

    fn sheet(cells: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = record(BOF, &[0u8; 16]);
        bytes.extend(cells.concat());
        bytes.extend(record(EOF, &[]));
        bytes
    }

    #[test]
    fn a_sheet_of_excel_size_fits_and_a_wider_one_does_not() {
        assert!(sheets_fit(&sheet(&[number(0, 0), number(65_535, 255)])[..]));
        assert!(!sheets_fit(&sheet(&[number(0, 0), number(3, 60_000)])[..]));
        // Each sheet on its own: two sheets, each in its corner.
        let two = [sheet(&[number(0, 0)]), sheet(&[number(65_535, 255)])].concat();
        assert!(sheets_fit(&two[..]));
    }

    #[test]
    fn a_run_of_cells_counts_to_its_last_column() {
        let mut run = 7u16.to_le_bytes().to_vec();
        run.extend(0u16.to_le_bytes());
        run.extend([0u8; 6]);
        run.extend(40_000u16.to_le_bytes());
        assert!(!sheets_fit(&sheet(&[record(0x00BE, &run)])[..]));
    }

    fn dimensions(first_row: u32, end_row: u32, first_column: u16, end_column: u16) -> Vec<u8> {
        let mut body = first_row.to_le_bytes().to_vec();
        body.extend(end_row.to_le_bytes());
        body.extend(first_column.to_le_bytes());
        body.extend(end_column.to_le_bytes());
        body.extend([0u8; 2]);
        record(DIMENSIONS, &body)
    }

    #[test]
    fn a_declared_rectangle_past_the_sheet_or_upside_down_does_not_fit() {
        assert!(sheets_fit(&sheet(&[dimensions(0, 300, 0, 12)])[..]));
        assert!(!sheets_fit(&sheet(&[dimensions(0, 4_000_000, 0, 256)])[..]));
        assert!(!sheets_fit(&sheet(&[dimensions(500, 10, 0, 12)])[..]));
    }

    #[test]
    fn a_stream_cut_inside_a_record_does_not_fit() {
        let mut bytes = sheet(&[number(1, 1)]);
        bytes.extend([0x03, 0x02, 0x20, 0x00, 0x01]);
        assert!(!sheets_fit(&bytes[..]));
        assert!(sheets_fit(&[][..]));
    }
}
