//! calamine reads each sheet of an .ods into a rectangle before we see one cell, repeating a
//! row or a cell as often as its `number-rows-repeated` / `number-columns-repeated` says: a
//! 10 KB file repeating one row 99,000 times across 1,000 columns took 13 GB before it was
//! killed. The sheet's content is read first (its tags only, streamed) and a sheet whose
//! rectangle, or whose cells as calamine gathers them, would pass [`ODS_CELLS`] is refused.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// As many cells as the largest .xls sheet (65,536 rows of 256 columns).
pub(super) const ODS_CELLS: u64 = 65_536 * 256;

/// One sheet's cells, counted as calamine keeps them.
#[derive(Default)]
struct Sheet {
    /// Rows before this one, repeats counted.
    rows_before: u64,
    /// The first and past-the-last row holding a value.
    valued_rows: Option<(u64, u64)>,
    widest: u64,
    /// Cells calamine gathers row element by row element, before the rectangle.
    gathered: u64,
}

impl Sheet {
    fn end_row(&mut self, repeats: u64, width: u64) {
        if width > 0 {
            let start = self
                .valued_rows
                .map_or(self.rows_before, |(first, _)| first);
            self.valued_rows = Some((start, self.rows_before.saturating_add(repeats)));
            self.widest = self.widest.max(width);
            self.gathered = self.gathered.saturating_add(width);
        }
        self.rows_before = self.rows_before.saturating_add(repeats);
    }

    fn fits(&self) -> bool {
        let rows = self.valued_rows.map_or(0, |(first, end)| end - first);
        self.gathered <= ODS_CELLS && rows.saturating_mul(self.widest) <= ODS_CELLS
    }
}

/// A row being read: where its cells have reached, and the end of its last valued cell.
#[derive(Default)]
struct Row {
    repeats: u64,
    at: u64,
    valued_end: u64,
}

fn repeats(tag: &BytesStart, name: &str) -> u64 {
    tag.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn is_cell(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

/// Whether every sheet of `content` (an .ods content.xml) fits; Err for XML that does not
/// read (calamine says why: an encrypted file, say), after the sheets before it fitted.
pub(super) fn sheets_fit(content: impl BufRead) -> Result<bool, ()> {
    let mut reader = Reader::from_reader(content);
    let mut buffer = Vec::new();
    let (mut sheet, mut row) = (Sheet::default(), Row::default());
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(_) => return Err(()),
        };
        match event {
            Event::Start(tag) | Event::Empty(tag) if tag.name().as_ref() == "table:table" => {
                sheet = Sheet::default();
            }
            Event::Start(tag) if tag.name().as_ref() == "table:table-row" => {
                row = Row {
                    repeats: repeats(&tag, "table:number-rows-repeated"),
                    ..Row::default()
                };
            }
            Event::Empty(tag) if tag.name().as_ref() == "table:table-row" => {
                sheet.end_row(repeats(&tag, "table:number-rows-repeated"), 0);
            }
            Event::End(tag) if tag.name().as_ref() == "table:table-row" => {
                sheet.end_row(row.repeats, row.valued_end);
                if !sheet.fits() {
                    return Ok(false);
                }
            }
            // A cell with content or a value type holds a value; an empty one only moves on.
            Event::Start(tag) if is_cell(tag.name().as_ref()) => {
                row.at = row
                    .at
                    .saturating_add(repeats(&tag, "table:number-columns-repeated"));
                row.valued_end = row.at;
            }
            Event::Empty(tag) if is_cell(tag.name().as_ref()) => {
                row.at = row
                    .at
                    .saturating_add(repeats(&tag, "table:number-columns-repeated"));
                if tag
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some()
                {
                    row.valued_end = row.at;
                }
            }
            Event::End(tag) if tag.name().as_ref() == "table:table" && !sheet.fits() => {
                return Ok(false);
            }
            Event::Eof => return Ok(sheet.fits()),
            _ => {}
        }
        buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"S\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
        )
    }

    const VALUE: &str =
        "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";

    #[test]
    fn a_sheet_of_ordinary_size_fits() {
        let row = format!(
            "<table:table-row>{VALUE}{VALUE}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
        );
        // LibreOffice's trailing empty rows and cells are not kept.
        let tail = "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
        assert_eq!(
            sheets_fit(table(&format!("{}{tail}", row.repeat(300))).as_bytes()),
            Ok(true)
        );
    }

    #[test]
    fn a_row_repeated_past_the_limit_does_not_fit() {
        let wide = "<table:table-row table:number-rows-repeated=\"99000\"><table:table-cell table:number-columns-repeated=\"1000\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>";
        assert_eq!(sheets_fit(table(wide).as_bytes()), Ok(false));
        // Two values far apart make the rectangle between them.
        let corners = format!(
            "<table:table-row>{VALUE}</table:table-row><table:table-row table:number-rows-repeated=\"70000\"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated=\"300\"/>{VALUE}</table:table-row>"
        );
        assert_eq!(sheets_fit(table(&corners).as_bytes()), Ok(false));
    }

    #[test]
    fn what_does_not_read_as_xml_is_left_to_the_reader() {
        assert_eq!(
            sheets_fit(&b"<table:table><table:table-row></table:table>"[..]),
            Err(())
        );
    }
}
