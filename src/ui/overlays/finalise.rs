//! The confirmation before finalising: what will happen, what is decided, what is still open.

use super::{input_line, popup, put_row};
use crate::app::AppState;
use crate::app::overlay::FinaliseConfirm;
use crate::ui::draw::fit;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// Rows under the list: the reason's note and input when one is needed, and the key hint.
fn footer_rows(confirm: &FinaliseConfirm) -> u16 {
    if confirm.needs_reason() { 3 } else { 1 }
}

/// As tall as the content needs (estimated at the popup's width), at most the screen.
fn wanted_height(state: &AppState, confirm: &FinaliseConfirm, area: Rect) -> u16 {
    let labels = state.labels();
    let popup_width = 92u16.min(area.width.saturating_sub(2)).max(10);
    let text_width = popup_width.saturating_sub(2).max(1) as usize;
    let estimate = |text: &str| text.width().div_ceil(text_width).max(1) as u16;
    2 // borders
        + estimate(labels.finalise_warning)
        + estimate(labels.finalise_seal)
        + 3 // blank, decided, open heading (or none left)
        + u16::from(confirm.stale > 0)
        + confirm.open.len().min(200) as u16
        + footer_rows(confirm)
        + 1
}

/// The confirmation before finalising: what will happen, what is decided, what is still open.
pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    confirm: &FinaliseConfirm,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let wanted = wanted_height(state, confirm, area);
    let inner = popup(theme, labels.finalise_title, 92, wanted, area, buf);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
    let [body, footer] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(footer_rows(confirm)),
    ])
    .areas(inner);
    Paragraph::new(lines(state, theme, confirm, inner))
        .wrap(Wrap { trim: false })
        .render(body, buf);
    let bottom = footer.bottom().saturating_sub(1);
    if confirm.needs_reason() {
        let note_style = if confirm.show_required {
            theme.error
        } else {
            theme.disputed
        };
        let note = labels.finalise_reason_required;
        put_row(buf, footer, footer.y, note, note_style);
        input_line(
            theme,
            &confirm.reason,
            footer.width,
            footer,
            footer.y + 1,
            buf,
        );
    }
    let hints = super::hint_text(state, footer.width as usize);
    put_row(buf, footer, bottom, &hints, theme.key);
}

/// What finalising does, what is decided, and the open items as far as they fit.
fn lines<'a>(
    state: &'a AppState,
    theme: &Theme,
    confirm: &FinaliseConfirm,
    inner: Rect,
) -> Vec<Line<'a>> {
    let labels = state.labels();
    let width = inner.width as usize;
    let rows_of = |text: &str| text.width().div_ceil(width.max(1)).max(1) as u16;
    let mut lines: Vec<Line> = vec![
        Line::styled(labels.finalise_warning, theme.disputed),
        Line::styled(labels.finalise_seal, theme.muted),
        Line::raw(""),
        Line::styled(
            format!("{} {}", confirm.decided, labels.finalise_decided),
            theme.base,
        ),
    ];
    let mut used: u16 = rows_of(labels.finalise_warning) + rows_of(labels.finalise_seal) + 2;
    if confirm.stale > 0 {
        let text = format!("↻ {} {}", confirm.stale, labels.finalise_stale);
        used += rows_of(&text);
        lines.push(Line::styled(text, theme.disputed));
    }
    if confirm.open.is_empty() {
        lines.push(Line::styled(labels.finalise_no_open, theme.agreed));
        return lines;
    }
    lines.push(Line::styled(
        format!("{} {}:", confirm.open.len(), labels.finalise_open),
        theme.disputed,
    ));
    used += 1;
    let room = inner.height.saturating_sub(used + footer_rows(confirm)) as usize;
    let shown = if confirm.open.len() > room {
        room.saturating_sub(1)
    } else {
        confirm.open.len()
    };
    for &(unit, leaf) in confirm.open.iter().take(shown) {
        let node = state.session.framework.leaf(leaf);
        let code = &state.session.units[unit].code;
        let text = format!(" • {code} {} {}", node.code(), node.def.title);
        lines.push(Line::raw(fit(&text, width)));
    }
    if shown < confirm.open.len() && room > 0 {
        lines.push(Line::styled(
            format!(" … {} {}", confirm.open.len() - shown, labels.finalise_more),
            theme.muted,
        ));
    }
    lines
}
