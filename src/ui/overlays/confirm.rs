//! The yes / no question before overwriting an export, and `x`'s question: CSV or XLSX.

use super::{popup, put_row};
use crate::app::AppState;
use crate::app::overlay::ConfirmState;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    confirm: &ConfirmState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let (dir, existing) = match confirm {
        ConfirmState::OverwriteExport { dir, existing }
        | ConfirmState::OverwriteWorkbook { dir, existing } => (dir, existing),
        ConfirmState::ExportFormat => return render_format_question(state, theme, area, buf),
    };
    let height = (existing.len() as u16 + 6).min(area.height);
    let inner = popup(theme, labels.confirm_title, 76, height, area, buf);
    put_row(
        buf,
        inner,
        inner.y,
        labels.confirm_overwrite,
        theme.disputed,
    );
    put_row(buf, inner, inner.y + 1, dir, theme.title);
    for (i, file) in existing.iter().enumerate() {
        let y = inner.y + 2 + i as u16;
        if y + 1 >= inner.bottom() {
            break;
        }
        put_row(buf, inner, y, &format!("• {file}"), theme.base);
    }
    hint_row(state, theme, inner, buf);
}

/// `x`: the CSV files or the workbook (the file names are the same in every language).
fn render_format_question(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let inner = popup(theme, labels.export_question, 60, 7, area, buf);
    let choices = [
        "CSV: results.csv, summary.csv, ranking.csv",
        "XLSX: ket-qua.xlsx",
    ];
    for (i, choice) in choices.iter().enumerate() {
        put_row(buf, inner, inner.y + i as u16, choice, theme.base);
    }
    hint_row(state, theme, inner, buf);
}

/// The question's keys on its last line.
fn hint_row(state: &AppState, theme: &Theme, inner: Rect, buf: &mut Buffer) {
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        &super::hint_text(state),
        Style::default().patch(theme.key),
    );
}
