//! The workbook `ket-qua.xlsx` (rust_xlsxwriter): the ranking, the fields' index %, one
//! appraisal *phụ biểu* per unit and every change the council made.
//!
//! Built from the same records as the CSV export (one source of numbers). Points and
//! percentages are numeric cells with a number format, so that a Vietnamese spreadsheet shows
//! `6,5`; codes and document numbers are text cells with the text format, so that `1.10` stays
//! `1.10`; text is never a formula. Sheets, column names and document texts are the contract
//! of the official documents (Vietnamese whatever the message language).
//!
//! Every sheet is written in constant-memory mode, row by row in order: a sheet's rows go to a
//! temporary file as they are written, so memory does not grow with the rows. Each sheet still
//! costs a temporary file and some memory until the workbook is saved, which is why a session
//! of more than [`MAX_AUTO_UNIT_SHEETS`] units gets no unit sheets unless asked.

use crate::domain::rollup::{all_node_totals, unit_totals};
use crate::domain::settings::Letterhead;
use crate::domain::{Session, Status};
use crate::io::export::{
    ExportError, ExportOptions, PendingFile, ResultRecord, UnitNotes, ranking_records,
    result_records, summary_records,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::path::Path;

pub const RANKING_SHEET: &str = "Xếp hạng";
pub const FIELDS_SHEET: &str = "Lĩnh vực";
pub const CHANGES_SHEET: &str = "Thay đổi";

/// The columns of `Xếp hạng`.
pub const RANKING_HEADERS: [&str; 12] = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm",
    "Điểm tối đa",
    "Tự chấm",
    "Thẩm định",
    "Chênh lệch",
    "Chỉ số (%)",
    "Xếp hạng",
    "Hạng trong nhóm",
    "Xếp loại",
];

/// The first columns of `Lĩnh vực`; one column per field follows.
pub const FIELDS_HEADERS: [&str; 4] = ["STT", "Mã đơn vị", "Đơn vị", "Nhóm"];

/// The columns of a unit's sheet (the appraisal phụ biểu).
pub const UNIT_HEADERS: [&str; 9] = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Chênh lệch",
    "Tài liệu kiểm chứng",
    "Ghi chú của đơn vị",
    "Ý kiến thẩm định",
];

/// The columns of `Thay đổi`.
pub const CHANGES_HEADERS: [&str; 12] = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Chênh lệch",
    "Lý do",
    "Người quyết định",
    "Tài khoản",
    "Thời gian",
];

pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const NATIONAL_MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
pub const TOTAL_ROW: &str = "Tổng cộng";
pub const SECRETARY_TITLE: &str = "THƯ KÝ HỘI ĐỒNG";
pub const CHAIR_TITLE: &str = "CHỦ TỊCH HỘI ĐỒNG";
pub const SIGNATURE_HINT: &str = "(Ký, ghi rõ họ tên)";

/// Above this many units, `auto` leaves the unit sheets out: LibreOffice opens at most 10,000
/// sheets, every sheet holds a temporary file open until the save, and nobody prints thousands
/// of phụ biểu from one workbook.
pub const MAX_AUTO_UNIT_SHEETS: usize = 1000;

/// The row of a unit sheet that holds the column names (0-based); the data follow.
const UNIT_HEADER_ROW: u32 = 6;

/// Excel's limit on the text of one cell, in UTF-16 units.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Which units get a sheet of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitSheets {
    /// Every unit, up to [`MAX_AUTO_UNIT_SHEETS`] units; none beyond.
    #[default]
    Auto,
    All,
    None,
}

impl UnitSheets {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitSheets::Auto => "auto",
            UnitSheets::All => "all",
            UnitSheets::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<UnitSheets> {
        match text {
            "auto" => Some(UnitSheets::Auto),
            "all" => Some(UnitSheets::All),
            "none" => Some(UnitSheets::None),
            _ => None,
        }
    }

    /// Whether a session of `units` units gets its unit sheets.
    pub fn writes_for(self, units: usize) -> bool {
        match self {
            UnitSheets::Auto => units <= MAX_AUTO_UNIT_SHEETS,
            UnitSheets::All => true,
            UnitSheets::None => false,
        }
    }
}

/// What the workbook is made of.
pub struct WorkbookData<'a, 'n> {
    pub session: &'a Session,
    /// Laid out like `session.items` (or empty).
    pub texts: &'a [crate::domain::ItemTexts],
    pub notes: &'a mut UnitNotes<'n>,
}

/// Writes the workbook into `path` atomically (a temporary file, synced, then renamed).
pub fn write_workbook_file(
    path: &Path,
    mut data: WorkbookData<'_, '_>,
    opts: &ExportOptions,
) -> Result<(), ExportError> {
    let pending = PendingFile::write(path, |file| {
        let mut workbook = build_workbook(&mut data, opts).map_err(std::io::Error::other)?;
        workbook
            .save_to_writer(std::io::BufWriter::new(file))
            .map_err(std::io::Error::other)
    })?;
    pending.commit(opts.force)
}

fn build_workbook(
    data: &mut WorkbookData<'_, '_>,
    opts: &ExportOptions,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();
    workbook.set_default_format(&styles.base, 20, 64)?;
    // The sheets' rows wait beside the export, not in a temporary folder that may be memory.
    workbook.set_tempdir(&opts.out_dir)?;
    workbook.set_properties(&properties(data, opts));
    write_ranking(
        sheet(&mut workbook, RANKING_SHEET)?,
        data.session,
        opts,
        &styles,
    )?;
    write_fields(sheet(&mut workbook, FIELDS_SHEET)?, data.session, &styles)?;
    if opts.unit_sheets.writes_for(data.session.units.len()) {
        write_unit_sheets(&mut workbook, data, opts, &styles)?;
    }
    write_changes(sheet(&mut workbook, CHANGES_SHEET)?, data, opts, &styles)?;
    Ok(workbook)
}

/// A new sheet in constant-memory mode.
fn sheet<'w>(workbook: &'w mut Workbook, name: &str) -> Result<&'w mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    Ok(sheet)
}

/// Fixed properties, so that exporting the same session twice gives the same bytes (a
/// manifest's files are checked against a fresh export): created at the last decision.
fn properties(data: &WorkbookData<'_, '_>, opts: &ExportOptions) -> DocProperties {
    let last = data
        .texts
        .iter()
        .filter_map(|t| crate::domain::time::instant(&t.decided_at))
        .max();
    let created = last
        .and_then(|t| excel_time(t.naive_utc()))
        .or_else(|| ExcelDateTime::from_ymd(1980, 1, 1).ok());
    let mut properties = DocProperties::new()
        .set_title(opts.letterhead.appraisal_title())
        .set_author(opts.letterhead.council());
    if let Some(created) = created {
        properties = properties.set_creation_datetime(&created);
    }
    properties
}

fn excel_time(time: chrono::NaiveDateTime) -> Option<ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    let year = u16::try_from(time.year()).ok()?;
    ExcelDateTime::from_ymd(year, time.month() as u8, time.day() as u8)
        .and_then(|d| d.and_hms(time.hour() as u16, time.minute() as u8, time.second()))
        .ok()
}

// ---------------------------------------------------------------------------------------------
// Styles

/// Every cell style of the workbook, made once.
struct Styles {
    base: Format,
    header: Format,
    text: Format,
    bold_text: Format,
    code: Format,
    bold_code: Format,
    points: Format,
    bold_points: Format,
    percent: Format,
    time: Format,
    heading: Format,
    motto: Format,
    title: Format,
    italic: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let text = cell.clone().set_text_wrap();
        // Points as they are (`6,5`, `10`); the index % always with two decimals.
        let points = cell.clone().set_num_format("General");
        let code = cell.clone().set_num_format("@");
        Styles {
            header: text
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("D9E1F2"),
            bold_text: text.clone().set_bold(),
            bold_code: code.clone().set_bold(),
            bold_points: points.clone().set_bold(),
            percent: cell.clone().set_num_format("0.00"),
            time: cell.set_num_format("dd/mm/yyyy hh:mm"),
            heading: base.clone().set_bold().set_align(FormatAlign::Center),
            motto: base
                .clone()
                .set_bold()
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)
                .set_align(FormatAlign::Center),
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center),
            text,
            code,
            points,
            base,
        }
    }
}

/// Decimal → the double a cell holds: only here, at the cell, since xlsx stores doubles. Every
/// score of a session (a few decimals, well under 2^53) reads back exactly at its decimals.
fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// What ends a text cut to fit a cell.
pub const CUT_NOTE: &str = " … (đã cắt: một ô chứa tối đa 32767 ký tự)";

/// A text as a cell can hold it: Excel keeps at most 32,767 characters in a cell, so a longer
/// text (a pasted report) is cut there and says so; the CSV export keeps reasons whole.
fn cell_text(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return Cow::Borrowed(text);
    }
    let room = MAX_CELL_CHARS - CUT_NOTE.encode_utf16().count();
    let mut used = 0;
    let cut = text
        .char_indices()
        .find(|&(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}{CUT_NOTE}", &text[..cut]))
}

/// Writes a sheet row by row (constant memory allows nothing else), giving each row the
/// height its wrapped texts need: neither Excel nor LibreOffice grows a row by itself when a
/// file is opened.
struct Rows<'s> {
    sheet: &'s mut Worksheet,
    widths: Vec<f64>,
    row: u32,
    /// Lines the tallest cell of the current row takes.
    lines: usize,
}

/// The height of one line of 12-point Times New Roman, in points.
const LINE_HEIGHT: f64 = 15.75;

impl<'s> Rows<'s> {
    fn new(
        sheet: &'s mut Worksheet,
        widths: &[f64],
        first_row: u32,
    ) -> Result<Rows<'s>, XlsxError> {
        for (col, width) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        Ok(Rows {
            sheet,
            widths: widths.to_vec(),
            row: first_row,
            lines: 1,
        })
    }

    fn text(&mut self, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        let text = cell_text(text);
        let width = self.widths.get(usize::from(col)).copied().unwrap_or(10.0);
        self.lines = self.lines.max(wrapped_lines(&text, width));
        self.sheet
            .write_string_with_format(self.row, col, text, format)?;
        Ok(())
    }

    /// A score cell; an absent score is an empty cell with the table's border.
    fn points(
        &mut self,
        col: u16,
        value: Option<Decimal>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        match value {
            Some(value) => {
                self.sheet
                    .write_number_with_format(self.row, col, number(value), format)?
            }
            None => self.sheet.write_blank(self.row, col, format)?,
        };
        Ok(())
    }

    fn count(&mut self, col: u16, value: u32, format: &Format) -> Result<(), XlsxError> {
        self.sheet
            .write_number_with_format(self.row, col, f64::from(value), format)?;
        Ok(())
    }

    fn blanks(&mut self, cols: std::ops::Range<u16>, format: &Format) -> Result<(), XlsxError> {
        for col in cols {
            self.sheet.write_blank(self.row, col, format)?;
        }
        Ok(())
    }

    /// Ends the row: its height set when a text wraps onto more than one line.
    fn end_row(&mut self) -> Result<(), XlsxError> {
        if self.lines > 1 {
            let lines = self.lines.min(400) as f64;
            self.sheet
                .set_row_height(self.row, (lines * LINE_HEIGHT).min(409.0))?;
        }
        self.row += 1;
        self.lines = 1;
        Ok(())
    }

    /// The column names, frozen above the data and repeated on every printed page; the page
    /// A4 landscape, one page wide.
    fn header(&mut self, headers: &[&str], styles: &Styles) -> Result<(), XlsxError> {
        let row = self.row;
        for (col, name) in headers.iter().enumerate() {
            self.text(col as u16, name, &styles.header)?;
        }
        self.end_row()?;
        let sheet = &mut *self.sheet;
        sheet.set_freeze_panes(row + 1, 0)?;
        sheet.set_repeat_rows(row, row)?;
        sheet.set_paper_size(9);
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_print_center_horizontally(true);
        sheet.set_footer("&CTrang &P/&N");
        Ok(())
    }

    fn autofilter(&mut self, columns: usize) -> Result<(), XlsxError> {
        let last_row = self.row.saturating_sub(1);
        self.sheet
            .autofilter(0, 0, last_row, columns.saturating_sub(1) as u16)?;
        Ok(())
    }
}

/// How many lines a text takes in a wrapped cell `width` characters wide (an estimate: a
/// character of Vietnamese text in Times New Roman is about as wide as a digit).
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 1.1).max(1.0) as usize;
    text.split('\n')
        .map(|line| line.chars().count().div_ceil(per_line).max(1))
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Xếp hạng, Lĩnh vực

fn write_ranking(
    sheet: &mut Worksheet,
    session: &Session,
    opts: &ExportOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let widths = [
        6.0, 12.0, 36.0, 16.0, 10.0, 10.0, 10.0, 10.0, 10.0, 9.0, 10.0, 10.0,
    ];
    let mut rows = Rows::new(sheet, &widths, 0)?;
    rows.header(&RANKING_HEADERS, styles)?;
    let records = ranking_records(session, opts.rank_mode, &opts.bands);
    for (i, record) in records.iter().enumerate() {
        rows.count(0, i as u32 + 1, &styles.points)?;
        rows.text(1, &record.unit.code, &styles.code)?;
        rows.text(2, &record.unit.name, &styles.text)?;
        rows.text(3, &record.unit.group, &styles.text)?;
        let totals = &record.totals;
        rows.points(4, Some(totals.max), &styles.points)?;
        rows.points(5, Some(totals.self_total), &styles.points)?;
        rows.points(6, Some(totals.appraised_total), &styles.points)?;
        rows.points(7, Some(totals.delta()), &styles.points)?;
        rows.points(8, Some(record.index_pct), &styles.percent)?;
        rows.count(9, record.rank, &styles.points)?;
        rows.count(10, record.group_rank, &styles.points)?;
        rows.text(11, &record.band, &styles.text)?;
        rows.end_row()?;
    }
    rows.autofilter(RANKING_HEADERS.len())
}

/// One row per unit (session order), one column per field: the field's index %.
fn write_fields(
    sheet: &mut Worksheet,
    session: &Session,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let framework = &session.framework;
    let fields: Vec<String> = framework
        .roots()
        .iter()
        .map(|&root| {
            let def = &framework.node(root).def;
            format!("{}. {}", def.code, def.title)
        })
        .collect();
    let mut headers: Vec<&str> = FIELDS_HEADERS.to_vec();
    headers.extend(fields.iter().map(String::as_str));
    let mut widths = vec![6.0, 12.0, 36.0, 16.0];
    widths.extend(std::iter::repeat_n(14.0, fields.len()));
    let mut rows = Rows::new(sheet, &widths, 0)?;
    rows.header(&headers, styles)?;
    let records = summary_records(session);
    for (u, unit_fields) in records.chunks(fields.len().max(1)).enumerate() {
        rows.count(0, u as u32 + 1, &styles.points)?;
        let unit = &session.units[u];
        rows.text(1, &unit.code, &styles.code)?;
        rows.text(2, &unit.name, &styles.text)?;
        rows.text(3, &unit.group, &styles.text)?;
        for (f, record) in unit_fields.iter().enumerate() {
            rows.points(4 + f as u16, Some(record.index_pct), &styles.percent)?;
        }
        rows.end_row()?;
    }
    let last_row = session.units.len() as u32;
    if !fields.is_empty() && last_row > 0 {
        let last_col = 3 + fields.len() as u16;
        let scale = ConditionalFormat3ColorScale::new();
        rows.sheet
            .add_conditional_format(1, 4, last_row, last_col, &scale)?;
    }
    rows.autofilter(headers.len())
}

// ---------------------------------------------------------------------------------------------
// Thay đổi

/// Every item the council changed (its decision differs from the self-score).
fn write_changes(
    sheet: &mut Worksheet,
    data: &WorkbookData<'_, '_>,
    opts: &ExportOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let widths = [
        6.0, 12.0, 28.0, 10.0, 40.0, 10.0, 10.0, 10.0, 40.0, 20.0, 12.0, 17.0,
    ];
    let mut rows = Rows::new(sheet, &widths, 0)?;
    rows.header(&CHANGES_HEADERS, styles)?;
    let changed = result_records(data.session, data.texts).filter(|r| r.status == Status::Adjusted);
    for (i, record) in changed.enumerate() {
        rows.count(0, i as u32 + 1, &styles.points)?;
        rows.text(1, &record.unit.code, &styles.code)?;
        rows.text(2, &record.unit.name, &styles.text)?;
        rows.text(3, &record.criterion.code.to_string(), &styles.code)?;
        rows.text(4, &record.criterion.title, &styles.text)?;
        rows.points(5, record.self_score, &styles.points)?;
        rows.points(6, Some(record.council_score), &styles.points)?;
        rows.points(7, Some(record.delta), &styles.points)?;
        rows.text(8, &record.texts.reason, &styles.text)?;
        rows.text(9, &record.texts.decided_by, &styles.text)?;
        rows.text(10, &record.texts.decided_login, &styles.code)?;
        let at = &record.texts.decided_at;
        match opts.zone.local_naive(at).and_then(excel_time) {
            Some(time) => {
                rows.sheet
                    .write_datetime_with_format(rows.row, 11, &time, &styles.time)?;
            }
            None => rows.text(11, at, &styles.code)?,
        }
        rows.end_row()?;
    }
    rows.autofilter(CHANGES_HEADERS.len())
}

// ---------------------------------------------------------------------------------------------
// The unit sheets

fn write_unit_sheets(
    workbook: &mut Workbook,
    data: &mut WorkbookData<'_, '_>,
    opts: &ExportOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let session = data.session;
    let names = sheet_names(session.units.iter().map(|u| u.code.as_str()));
    let mut unit_records: Vec<ResultRecord<'_>> = Vec::with_capacity(session.leaf_count());
    let mut records = result_records(session, data.texts).peekable();
    for (u, name) in names.iter().enumerate() {
        unit_records.clear();
        while let Some(record) = records.next_if(|r| std::ptr::eq(r.unit, &session.units[u])) {
            unit_records.push(record);
        }
        let notes = (data.notes)(u).map_err(XlsxError::ParameterError)?;
        let page = UnitPage {
            session,
            unit: u,
            records: &unit_records,
            notes: &notes,
        };
        write_unit_sheet(sheet(workbook, name)?, &page, &opts.letterhead, styles)
            .map_err(|e| XlsxError::ParameterError(format!("{name}: {e}")))?;
    }
    Ok(())
}

/// One unit's rows, as its sheet needs them.
struct UnitPage<'a> {
    session: &'a Session,
    unit: usize,
    /// The unit's leaves, in leaf order.
    records: &'a [ResultRecord<'a>],
    /// The unit's own notes by leaf (may be empty).
    notes: &'a [String],
}

const UNIT_WIDTHS: [f64; 9] = [8.0, 46.0, 9.0, 9.0, 10.0, 9.0, 20.0, 28.0, 28.0];

fn write_unit_sheet(
    sheet: &mut Worksheet,
    page: &UnitPage<'_>,
    letterhead: &Letterhead,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let unit = &page.session.units[page.unit];
    write_letterhead(sheet, letterhead, &unit.name, styles)?;
    let mut rows = Rows::new(sheet, &UNIT_WIDTHS, UNIT_HEADER_ROW)?;
    rows.header(&UNIT_HEADERS, styles)?;
    write_criteria_rows(&mut rows, page, styles)?;
    let totals = unit_totals(&page.session.framework, page.session.unit_items(page.unit));
    write_totals_row(&mut rows, "", TOTAL_ROW, &totals, styles)?;
    let row = rows.row + 1;
    write_signatures(rows.sheet, row, letterhead, styles)
}

/// The national header, the issuer and the title above the table (rows 0 to 4).
fn write_letterhead(
    sheet: &mut Worksheet,
    letterhead: &Letterhead,
    unit_name: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.merge_range(0, 0, 0, 2, &letterhead.issuer, &styles.heading)?;
    sheet.merge_range(0, 5, 0, 8, NATIONAL_NAME, &styles.heading)?;
    sheet.merge_range(1, 0, 1, 2, letterhead.council(), &styles.heading)?;
    sheet.merge_range(1, 5, 1, 8, NATIONAL_MOTTO, &styles.motto)?;
    sheet.merge_range(3, 0, 3, 8, &letterhead.appraisal_title(), &styles.title)?;
    let unit_line = format!("Đơn vị: {}", cell_text(unit_name));
    sheet.merge_range(4, 0, 4, 8, &unit_line, &styles.heading)?;
    Ok(())
}

/// The criteria tree in order: fields and criteria (every parent) in bold with their
/// subtotals, fields in capitals; leaves with their scores, evidence, the unit's note and the
/// reason.
fn write_criteria_rows(
    rows: &mut Rows<'_>,
    page: &UnitPage<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let framework = &page.session.framework;
    let totals = all_node_totals(framework, page.session.unit_items(page.unit));
    for (id, node) in framework.nodes().iter().enumerate() {
        let code = node.def.code.to_string();
        if let Some(leaf) = node.leaf_index {
            if let Some(record) = page.records.get(leaf) {
                let note = page.notes.get(leaf).map_or("", String::as_str);
                write_leaf_row(rows, &code, record, note, styles)?;
            }
            continue;
        }
        let title = if node.parent.is_none() {
            node.def.title.to_uppercase()
        } else {
            node.def.title.clone()
        };
        write_totals_row(rows, &code, &title, &totals[id], styles)?;
    }
    Ok(())
}

/// A parent's row, or the `Tổng cộng` row: in bold, its totals in the point columns.
fn write_totals_row(
    rows: &mut Rows<'_>,
    code: &str,
    title: &str,
    totals: &crate::domain::Totals,
    styles: &Styles,
) -> Result<(), XlsxError> {
    rows.text(0, code, &styles.bold_code)?;
    rows.text(1, title, &styles.bold_text)?;
    rows.points(2, Some(totals.max), &styles.bold_points)?;
    rows.points(3, Some(totals.self_total), &styles.bold_points)?;
    rows.points(4, Some(totals.appraised_total), &styles.bold_points)?;
    rows.points(5, Some(totals.delta()), &styles.bold_points)?;
    rows.blanks(6..9, &styles.bold_text)?;
    rows.end_row()
}

fn write_leaf_row(
    rows: &mut Rows<'_>,
    code: &str,
    record: &ResultRecord<'_>,
    note: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    rows.text(0, code, &styles.code)?;
    rows.text(1, &record.criterion.title, &styles.text)?;
    rows.points(2, Some(record.criterion.max_points), &styles.points)?;
    rows.points(3, record.self_score, &styles.points)?;
    rows.points(4, Some(record.council_score), &styles.points)?;
    rows.points(5, Some(record.delta), &styles.points)?;
    // One document number a line: a cell is read, not split.
    rows.text(6, &record.texts.evidence_refs.join("\n"), &styles.text)?;
    rows.text(7, note, &styles.text)?;
    rows.text(8, &record.texts.reason, &styles.text)?;
    rows.end_row()
}

/// `THƯ KÝ HỘI ĐỒNG` on the left, `CHỦ TỊCH HỘI ĐỒNG` on the right, the names below.
fn write_signatures(
    sheet: &mut Worksheet,
    row: u32,
    letterhead: &Letterhead,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.merge_range(row, 0, row, 2, SECRETARY_TITLE, &styles.heading)?;
    sheet.merge_range(row, 5, row, 8, CHAIR_TITLE, &styles.heading)?;
    sheet.merge_range(row + 1, 0, row + 1, 2, SIGNATURE_HINT, &styles.italic)?;
    sheet.merge_range(row + 1, 5, row + 1, 8, SIGNATURE_HINT, &styles.italic)?;
    if !letterhead.secretary.is_empty() || !letterhead.chair.is_empty() {
        let names = row + 5;
        sheet.merge_range(names, 0, names, 2, &letterhead.secretary, &styles.heading)?;
        sheet.merge_range(names, 5, names, 8, &letterhead.chair, &styles.heading)?;
    }
    Ok(())
}

/// Sheet names for unit codes: Excel's rules (at most 31 characters, none of `[]:*?/\`, no
/// apostrophe at either end, unique ignoring case, not a name of the other sheets nor
/// "History"). A code that breaks them is changed as little as possible; the sheet's title
/// still names the unit.
pub fn sheet_names<'c>(codes: impl Iterator<Item = &'c str>) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> =
        [RANKING_SHEET, FIELDS_SHEET, CHANGES_SHEET, "History"]
            .iter()
            .map(|n| n.to_lowercase())
            .collect();
    codes
        .map(|code| {
            let clean: String = code
                .chars()
                .map(|c| {
                    if "[]:*?/\\".contains(c) || c.is_control() {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let clean = clean.trim_matches('\'');
            let base = truncate_utf16(if clean.is_empty() { "_" } else { clean }, 31);
            let mut name = base.to_string();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                let suffix = format!("~{n}");
                name = format!("{}{suffix}", truncate_utf16(&base, 31 - suffix.len()));
                n += 1;
            }
            name
        })
        .collect()
}

fn truncate_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= max
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unit_codes_become_valid_distinct_sheet_names() {
        let codes = [
            "SNV",
            "snv",
            "A/B",
            "'X'",
            "Lĩnh vực",
            "history",
            "X123456789012345678901234567890123",
            "X1234567890123456789012345678901234",
        ];
        let names = sheet_names(codes.iter().copied());
        assert_eq!(names[0], "SNV");
        assert_eq!(names[1], "snv~2");
        assert_eq!(names[2], "A_B");
        assert_eq!(names[3], "X");
        assert_eq!(names[4], "Lĩnh vực~2");
        assert_eq!(names[5], "history~2");
        assert_eq!(names[6].encode_utf16().count(), 31);
        assert_eq!(names[7].encode_utf16().count(), 31);
        assert_ne!(names[6], names[7]);
    }

    #[test]
    fn a_text_too_long_for_a_cell_is_cut_and_says_so() {
        assert_eq!(cell_text("ngắn"), "ngắn");
        let long = "ă".repeat(40_000);
        let cut = cell_text(&long);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(cut.ends_with(CUT_NOTE));
        assert!(cut.starts_with("ăăă"));
        // Astral characters count twice in Excel's limit.
        let emoji = "😀".repeat(20_000);
        assert!(cell_text(&emoji).encode_utf16().count() <= MAX_CELL_CHARS);
    }

    proptest! {
        #[test]
        fn a_score_reads_back_exactly_at_its_decimals(units in -100_000_000i64..100_000_000, scale in 0u32..5) {
            let value = Decimal::new(units, scale);
            let read = Decimal::from_f64_retain(number(value)).unwrap().round_dp(scale);
            prop_assert_eq!(read, value);
        }
    }
}
