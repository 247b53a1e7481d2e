//! The diff screen of one unit.
//!
//! Changed lines carry − / + in text as well as red / green, and the words that changed are
//! shown reversed and bold, so that the meaning survives NO_COLOR and plain snapshots.

use crate::app::AppState;
use crate::app::screens::diff::DiffBase;
use crate::app::view::{scroll_offset, table_height};
use crate::domain::diff::{DiffRow, DiffTag};
use crate::ui::draw::{fit, put};
use crate::ui::overlays::put_row;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// What the unit is compared with, in words ("v1 → hiện tại").
pub(crate) fn base_text(state: &AppState, base: DiffBase) -> String {
    let labels = state.labels();
    match base {
        DiffBase::SelfScores => labels.diff_self.to_string(),
        DiffBase::Proposals => labels.diff_proposals.to_string(),
        DiffBase::Version(v) => format!("v{v} → {}", labels.diff_now),
    }
}

pub(crate) fn row_spans<'a>(theme: &Theme, row: &'a DiffRow) -> Vec<Span<'a>> {
    let (prefix, style) = match row.tag {
        DiffTag::Same => ("  ", theme.base),
        DiffTag::Removed => ("− ", theme.down),
        DiffTag::Added => ("+ ", theme.up),
    };
    let emphasis = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let mut spans = vec![Span::styled(prefix, style)];
    for (emphasised, text) in &row.segments {
        // Only changed lines have words worth pointing at.
        let changed = *emphasised && row.tag != DiffTag::Same;
        spans.push(Span::styled(
            text.as_str(),
            if changed { emphasis } else { style },
        ));
    }
    spans
}

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height < 5 {
        return;
    }
    let labels = state.labels();
    let diff = &state.diff;
    let Some(unit) = state.session.units.get(diff.unit) else {
        return;
    };
    let mut title = format!(
        " {} {} · {}",
        unit.code,
        unit.name,
        base_text(state, diff.base)
    );
    if diff.is_current() && diff.error.is_none() {
        let count = diff.changed_rows();
        title.push_str(&format!(" · {count} {}", labels.diff_changes));
        if !diff.changes.is_empty() {
            title.push_str(&format!(
                " ({}/{})",
                diff.change_position(),
                diff.changes.len()
            ));
        }
    }
    put_row(buf, area, area.y, &title, theme.title);
    let list = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(4),
    );
    // A one-line notice where the list would start.
    let notice = |buf: &mut Buffer, text: &str, style: Style| {
        put(buf, list, list.x + 2, list.y, text, list.width, style);
    };
    if !diff.is_current() {
        notice(buf, labels.loading, theme.muted);
        return;
    }
    if let Some(error) = &diff.error {
        notice(
            buf,
            &fit(error, list.width.saturating_sub(2) as usize),
            theme.error,
        );
        return;
    }
    if diff.changes.is_empty() {
        notice(buf, labels.diff_no_changes, theme.agreed);
    }
    let height = table_height(crate::app::Screen::Diff, area.width, area.height + 3)
        .min(list.height as usize);
    let offset = scroll_offset(diff.selected, diff.offset, height, diff.rows.len());
    let end = (offset + height).min(diff.rows.len());
    // With no changes the notice takes the first line.
    let first_y = list.y + u16::from(diff.changes.is_empty());
    for (i, row) in diff.rows[offset..end].iter().enumerate() {
        let y = first_y + i as u16;
        if y >= list.bottom() {
            break;
        }
        let selected = offset + i == diff.selected;
        let line_area = Rect::new(list.x + 1, y, list.width.saturating_sub(1), 1);
        if selected {
            // The background marks the cursor without hiding the red/green of the line.
            if let Some(bg) = theme.selected.bg {
                buf.set_style(Rect::new(list.x, y, list.width, 1), Style::new().bg(bg));
            }
            put(buf, list, list.x, y, "▶", 1, theme.selected);
        }
        Line::from(row_spans(theme, row)).render(line_area, buf);
    }
    // The selected line in full: long titles and reasons are cut in the list.
    let preview = Rect::new(area.x, list.bottom(), area.width, 3).intersection(area);
    if preview.height == 0 {
        return;
    }
    let caption = format!("── {} ", labels.diff_selected);
    let rule = format!(
        "{caption}{}",
        "─".repeat((area.width as usize).saturating_sub(caption.width()))
    );
    put(
        buf,
        preview,
        preview.x,
        preview.y,
        &rule,
        preview.width,
        theme.border,
    );
    if let Some(row) = diff.rows.get(diff.selected) {
        let text = Rect::new(
            preview.x + 1,
            preview.y + 1,
            preview.width.saturating_sub(1),
            preview.height.saturating_sub(1),
        );
        Paragraph::new(Line::from(row_spans(theme, row)))
            .wrap(Wrap { trim: false })
            .render(text, buf);
    }
}
