//! The Word report of the appraisal (*Báo cáo kết quả thẩm định*), `council report`, with
//! docx-rs: the national header, the meeting, who took part, the ranking, a summary per field,
//! every adjusted item with its reason, the finalisation, the chain's head and the signatures.
//! The texts are the fixed Vietnamese of an official document, whatever the message language.

use crate::domain::rollup::{Bands, RankMode};
use crate::domain::score::{format_pct_vi, format_vi};
use crate::domain::settings::{Letterhead, MEETING_DATE, MEETING_PLACE, Settings};
use crate::domain::text::{Breaks, terminal_safe};
use crate::domain::time::Zone;
use crate::domain::{ItemTexts, Session, Status};
use crate::io::export::{
    ExportError, PendingFile, ranking_records, result_records, summary_records,
};
use crate::io::xlsx::{
    CHAIR_TITLE, NATIONAL_MOTTO, NATIONAL_NAME, SECRETARY_TITLE, SIGNATURE_HINT,
};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, WidthType,
};
use rust_decimal::Decimal;
use std::path::Path;

/// The report's file name by default.
pub const REPORT_FILE: &str = "bao-cao.docx";

/// What the report says about the finalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finalised {
    /// As stored (UTC).
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// Everything the report is made of.
pub struct ReportData<'a> {
    pub session: &'a Session,
    pub texts: &'a [ItemTexts],
    pub settings: &'a Settings,
    /// Everyone who decided, as they are to be listed (`Nguyễn Văn A (chủ tọa)`).
    pub participants: Vec<String>,
    pub finalised: Option<Finalised>,
    /// The chain's last entry: its number and hash.
    pub head: (i64, String),
    pub rank_mode: RankMode,
    pub bands: Bands,
    pub zone: Zone,
}

/// Half-points: 13-point text, as administrative documents are set.
const TEXT_SIZE: usize = 26;
const TABLE_SIZE: usize = 22;

/// Writes the report into `path` atomically; an existing file only with `force`.
pub fn write_report(path: &Path, data: &ReportData<'_>, force: bool) -> Result<(), ExportError> {
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(ExportError::WouldOverwrite {
            paths: vec![path.to_path_buf()],
        });
    }
    let docx = build_report(data);
    let pending = PendingFile::write(path, |file| {
        let mut writer = std::io::BufWriter::new(file);
        docx.pack(&mut writer).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut writer)
    })?;
    pending.commit(force)
}

fn build_report(data: &ReportData<'_>) -> Docx {
    let letterhead = Letterhead::from_settings(data.settings);
    let fonts = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman");
    let mut docx = Docx::new()
        .default_fonts(fonts)
        .default_size(TEXT_SIZE)
        // A4, margins of an administrative document: 3 cm left, 2 cm elsewhere.
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(1134),
        )
        .add_table(national_header(&letterhead, data.settings));
    for paragraph in title(&letterhead) {
        docx = docx.add_paragraph(paragraph);
    }
    docx = meeting(docx, data);
    docx = docx
        .add_paragraph(heading("II. KẾT QUẢ XẾP HẠNG"))
        .add_table(ranking_table(data))
        .add_paragraph(heading("III. KẾT QUẢ THEO LĨNH VỰC"))
        .add_table(fields_table(data.session));
    docx = adjusted_items(docx, data);
    docx = finalisation(docx, data);
    docx.add_table(signatures(&letterhead))
}

// ---------------------------------------------------------------------------------------------
// Paragraphs and cells

/// Other people's text in a document: control characters (which XML cannot carry) shown as
/// visible escapes, as on a terminal; line breaks kept.
fn safe(text: &str) -> String {
    terminal_safe(text, Breaks::KeepNewlines).into_owned()
}

/// A run of text, its line breaks as breaks.
fn run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, line) in safe(text).split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn paragraph(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold())
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text).size(TABLE_SIZE)))
}

fn number_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(
        Paragraph::new()
            .add_run(run(text).size(TABLE_SIZE))
            .align(AlignmentType::Right),
    )
}

fn header_row(names: &[&str]) -> TableRow {
    TableRow::new(
        names
            .iter()
            .map(|name| TableCell::new().add_paragraph(centred(run(name).bold().size(TABLE_SIZE))))
            .collect(),
    )
}

/// A table across the page's width, its columns in twentieths of a point.
fn table(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    let width = grid.iter().sum();
    Table::new(rows).set_grid(grid).width(width, WidthType::Dxa)
}

/// `ngày 23 tháng 11 năm 2025`, or the blanks to fill in by hand.
fn date_words(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [year, month, day] => format!("ngày {day} tháng {month} năm {year}"),
        _ => "ngày … tháng … năm …".to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Sections

/// The issuer and the council on the left, the national name and motto on the right, the
/// place and date below them.
fn national_header(letterhead: &Letterhead, settings: &Settings) -> Table {
    let left = TableCell::new()
        .add_paragraph(centred(run(&letterhead.issuer).size(TABLE_SIZE)))
        .add_paragraph(centred(run(letterhead.council()).bold().size(TABLE_SIZE)));
    let right = TableCell::new()
        .add_paragraph(centred(run(NATIONAL_NAME).bold().size(TABLE_SIZE)))
        .add_paragraph(centred(run(NATIONAL_MOTTO).bold().underline("single")));
    let place = settings.text(MEETING_PLACE);
    let dated = match place {
        "" => date_words(settings.text(MEETING_DATE)),
        place => format!("{place}, {}", date_words(settings.text(MEETING_DATE))),
    };
    let date = TableCell::new().add_paragraph(centred(run(&dated).italic()));
    Table::without_borders(vec![
        TableRow::new(vec![left, right]),
        TableRow::new(vec![TableCell::new(), date]),
    ])
    .set_grid(vec![3800, 5300])
    .width(9100, WidthType::Dxa)
}

fn title(letterhead: &Letterhead) -> Vec<Paragraph> {
    let subject = match letterhead.year.as_str() {
        "" => "Kết quả thẩm định Chỉ số cải cách hành chính".to_string(),
        year => format!("Kết quả thẩm định Chỉ số cải cách hành chính năm {year}"),
    };
    vec![
        Paragraph::new(),
        centred(run("BÁO CÁO").bold().size(28)),
        centred(run(&subject).bold()),
        Paragraph::new(),
    ]
}

/// When and where, and who took part: everyone who recorded a decision.
fn meeting(mut docx: Docx, data: &ReportData<'_>) -> Docx {
    let date = data.settings.text(MEETING_DATE);
    let place = match data.settings.text(MEETING_PLACE) {
        "" => "…",
        place => place,
    };
    docx = docx
        .add_paragraph(heading("I. THÔNG TIN PHIÊN HỌP"))
        .add_paragraph(paragraph(&format!("Thời gian: {}.", date_words(date))))
        .add_paragraph(paragraph(&format!("Địa điểm: {place}.")))
        .add_paragraph(paragraph(
            "Thành phần tham dự (những người đã ghi quyết định):",
        ));
    if data.participants.is_empty() {
        return docx.add_paragraph(paragraph("- (chưa có quyết định nào)"));
    }
    for name in &data.participants {
        docx = docx.add_paragraph(paragraph(&format!("- {name}")));
    }
    docx
}

fn ranking_table(data: &ReportData<'_>) -> Table {
    let mut rows = vec![header_row(&[
        "Xếp hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Nhóm",
        "Tự chấm",
        "Thẩm định",
        "Chỉ số (%)",
        "Xếp loại",
    ])];
    for record in ranking_records(data.session, data.rank_mode, &data.bands) {
        rows.push(TableRow::new(vec![
            number_cell(&record.rank.to_string()),
            cell(&record.unit.code),
            cell(&record.unit.name),
            cell(&record.unit.group),
            number_cell(&format_vi(record.totals.self_total)),
            number_cell(&format_vi(record.totals.appraised_total)),
            number_cell(&format_pct_vi(record.index_pct)),
            cell(&record.band),
        ]));
    }
    table(rows, vec![800, 1000, 2300, 1300, 900, 1000, 1000, 800])
}

/// Per field: its maximum, the mean self and appraised totals, the mean, lowest and highest
/// index % over the units.
fn fields_table(session: &Session) -> Table {
    let mut rows = vec![header_row(&[
        "Lĩnh vực",
        "Điểm tối đa",
        "Tự chấm (bình quân)",
        "Thẩm định (bình quân)",
        "Chỉ số bình quân (%)",
        "Thấp nhất (%)",
        "Cao nhất (%)",
    ])];
    let records = summary_records(session);
    let field_count = session.framework.roots().len();
    let units = Decimal::from(session.units.len().max(1));
    for f in 0..field_count {
        let of_field: Vec<_> = records.iter().skip(f).step_by(field_count).collect();
        let Some(first) = of_field.first() else {
            continue;
        };
        let mean = |value: fn(&&crate::io::export::SummaryRecord<'_>) -> Decimal| {
            of_field.iter().map(value).sum::<Decimal>() / units
        };
        let pcts = of_field.iter().map(|r| r.index_pct);
        let (low, high) = (pcts.clone().min(), pcts.max());
        rows.push(TableRow::new(vec![
            cell(&format!("{}. {}", first.field.code, first.field.title)),
            number_cell(&format_vi(first.totals.max)),
            number_cell(&format_vi(mean(|r| r.totals.self_total).round_dp(2))),
            number_cell(&format_vi(mean(|r| r.totals.appraised_total).round_dp(2))),
            number_cell(&format_pct_vi(mean(|r| r.index_pct))),
            number_cell(&low.map(format_pct_vi).unwrap_or_default()),
            number_cell(&high.map(format_pct_vi).unwrap_or_default()),
        ]));
    }
    table(rows, vec![3100, 900, 1000, 1100, 1000, 1000, 1000])
}

/// Every item whose appraised score the council set away from the self-score, with its reason.
fn adjusted_items(docx: Docx, data: &ReportData<'_>) -> Docx {
    let docx = docx.add_paragraph(heading("IV. CÁC NỘI DUNG HỘI ĐỒNG ĐIỀU CHỈNH"));
    let mut rows = vec![header_row(&[
        "STT",
        "Đơn vị",
        "Tiêu chí",
        "Tự chấm",
        "Thẩm định",
        "Chênh lệch",
        "Lý do",
        "Người quyết định",
    ])];
    let adjusted =
        result_records(data.session, data.texts).filter(|r| r.status == Status::Adjusted);
    for (i, record) in adjusted.enumerate() {
        rows.push(TableRow::new(vec![
            number_cell(&(i + 1).to_string()),
            cell(&record.unit.code),
            cell(&format!(
                "{} {}",
                record.criterion.code, record.criterion.title
            )),
            number_cell(&record.self_score.map(format_vi).unwrap_or_default()),
            number_cell(&format_vi(record.council_score)),
            number_cell(&format_vi(record.delta)),
            cell(&record.texts.reason),
            cell(&record.texts.decided_by),
        ]));
    }
    if rows.len() == 1 {
        return docx.add_paragraph(paragraph("Hội đồng không điều chỉnh điểm nào."));
    }
    docx.add_table(table(rows, vec![600, 900, 2300, 800, 900, 800, 1900, 1100]))
}

fn finalisation(docx: Docx, data: &ReportData<'_>) -> Docx {
    let docx = docx.add_paragraph(heading("V. CHỐT KẾT QUẢ"));
    let state = match &data.finalised {
        Some(finalised) => {
            let mut text = format!(
                "Kết quả đã chốt lúc {} bởi {}.",
                data.zone.date_time(&finalised.at),
                finalised.by
            );
            if !finalised.reason.is_empty() {
                text.push_str(&format!(" Ghi chú: {}", finalised.reason));
            }
            text
        }
        None => "Kết quả chưa chốt.".to_string(),
    };
    let (seq, hash) = &data.head;
    docx.add_paragraph(paragraph(&state)).add_paragraph(paragraph(&format!(
        "Mã băm cuối của nhật ký quyết định: {hash} (mục {seq}); kiểm tra bằng `council verify --head {hash}`."
    )))
}

/// `THƯ KÝ HỘI ĐỒNG` on the left, `CHỦ TỊCH HỘI ĐỒNG` on the right, the names below.
fn signatures(letterhead: &Letterhead) -> Table {
    let side = |title: &str, name: &str| {
        let mut cell = TableCell::new()
            .add_paragraph(centred(run(title).bold()))
            .add_paragraph(centred(run(SIGNATURE_HINT).italic()));
        for _ in 0..3 {
            cell = cell.add_paragraph(Paragraph::new());
        }
        cell.add_paragraph(centred(run(name).bold()))
    };
    Table::without_borders(vec![
        TableRow::new(vec![TableCell::new(), TableCell::new()]),
        TableRow::new(vec![
            side(SECRETARY_TITLE, &letterhead.secretary),
            side(CHAIR_TITLE, &letterhead.chair),
        ]),
    ])
    .set_grid(vec![4550, 4550])
    .width(9100, WidthType::Dxa)
}

/// A member's role as the document names it (in Vietnamese, as the rest of the document).
pub fn role_name(role: crate::domain::members::Role) -> &'static str {
    use crate::domain::members::Role;
    match role {
        Role::Chair => "chủ tọa",
        Role::Secretary => "thư ký",
        Role::Member => "thành viên",
        Role::Observer => "quan sát viên",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_vietnamese_document_writes_them() {
        assert_eq!(date_words("2025-11-23"), "ngày 23 tháng 11 năm 2025");
        assert_eq!(date_words(""), "ngày … tháng … năm …");
    }

    #[test]
    fn control_characters_never_reach_the_document() {
        assert_eq!(safe("a\u{1b}]0;x\u{7}\nb"), "a\\x1b]0;x\\x07\nb");
    }
}
