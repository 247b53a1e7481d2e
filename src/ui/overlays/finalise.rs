//! The confirmation before finalising: what will happen, what is decided, what is still open.

use super::{input_line, popup, put_row};
use crate::app::AppState;
use crate::app::overlay::FinaliseConfirm;
use crate::ui::draw::fit;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// The confirmation before finalising: what will happen, what is decided, what is still open.
pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    confirm: &FinaliseConfirm,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    // As tall as the content needs (estimated at the popup's width), at most the screen.
    let popup_width = 92u16.min(area.width.saturating_sub(2)).max(10);
    let text_width = popup_width.saturating_sub(2).max(1) as usize;
    let estimate = |text: &str| text.width().div_ceil(text_width).max(1) as u16;
    let wanted = 2 // borders
        + estimate(labels.finalise_warning)
        + estimate(labels.finalise_seal)
        + 3 // blank, decided, open heading (or none left)
        + u16::from(confirm.stale > 0)
        + confirm.open.len().min(200) as u16
        + if confirm.needs_reason() { 4 } else { 2 };
    let inner = popup(theme, labels.finalise_title, 92, wanted, area, buf);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
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
    // Below the list: the reason's note and input when needed, and the key hint.
    let footer_rows: u16 = if confirm.needs_reason() { 3 } else { 1 };
    if confirm.open.is_empty() {
        lines.push(Line::styled(labels.finalise_no_open, theme.agreed));
    } else {
        lines.push(Line::styled(
            format!("{} {}:", confirm.open.len(), labels.finalise_open),
            theme.disputed,
        ));
        used += 1;
        let room = inner.height.saturating_sub(used + footer_rows) as usize;
        let shown = if confirm.open.len() > room {
            room.saturating_sub(1)
        } else {
            confirm.open.len()
        };
        for &(unit, leaf) in confirm.open.iter().take(shown) {
            let node = state.session.framework.leaf(leaf);
            let text = format!(
                " • {} {} {}",
                state.session.units[unit].code,
                node.code(),
                node.def.title
            );
            lines.push(Line::raw(fit(&text, width)));
        }
        if shown < confirm.open.len() && room > 0 {
            lines.push(Line::styled(
                format!(" … {} {}", confirm.open.len() - shown, labels.finalise_more),
                theme.muted,
            ));
        }
    }
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(footer_rows),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    let bottom = inner.bottom().saturating_sub(1);
    if confirm.needs_reason() {
        let note_style = if confirm.show_required {
            theme.error
        } else {
            theme.disputed
        };
        put_row(
            buf,
            inner,
            bottom.saturating_sub(2),
            labels.finalise_reason_required,
            note_style,
        );
        input_line(
            theme,
            &confirm.reason,
            inner.width,
            inner,
            bottom.saturating_sub(1),
            buf,
        );
    }
    put_row(buf, inner, bottom, &super::hint_text(state), theme.key);
}
