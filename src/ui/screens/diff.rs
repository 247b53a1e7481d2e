//! The diff screen of one unit.
//!
//! Changed lines carry − / + in text as well as red / green, and the words that changed are
//! shown reversed and bold, so that the meaning survives NO_COLOR and plain snapshots.

use crate::app::AppState;
use crate::app::screens::diff::DiffBase;
use crate::domain::diff::{DiffRow, DiffTag};
use crate::ui::draw::{fit, put};
use crate::ui::layout;
use crate::ui::overlays::put_row;
use crate::ui::table::window;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    HighlightSpacing, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};
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

/// " SNV Sở Nội vụ · tự chấm → thẩm định · 2 thay đổi (1/2)" in `width` cells: the unit's
/// name is cut before the base or the counter.
fn title_text(state: &AppState, width: u16) -> String {
    let labels = state.labels();
    let diff = &state.diff;
    let Some(unit) = state.session.units.get(diff.unit) else {
        return String::new();
    };
    let mut tail = format!(" · {}", base_text(state, diff.base));
    if diff.is_current() && diff.error.is_none() {
        let count = diff.changed_rows();
        tail.push_str(&format!(" · {count} {}", labels.diff_changes));
        if !diff.changes.is_empty() {
            tail.push_str(&format!(" ({}/{})", diff.change_position(), count));
        }
    }
    let code = format!(" {} ", unit.code);
    let room = (width as usize).saturating_sub(code.width() + tail.width());
    format!("{code}{}{tail}", fit(&unit.name, room))
}

/// What stands where the list would start: still loading, the error, or "no changes" (then
/// the list follows below it). None when the list has the whole room.
fn notice(state: &AppState, theme: &Theme, width: u16) -> Option<(String, Style)> {
    let labels = state.labels();
    let diff = &state.diff;
    if !diff.is_current() {
        return Some((labels.loading.to_string(), theme.muted));
    }
    if let Some(error) = &diff.error {
        let text = fit(error, width.saturating_sub(2) as usize);
        return Some((text, theme.error));
    }
    diff.changes
        .is_empty()
        .then(|| (labels.diff_no_changes.to_string(), theme.agreed))
}

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height < 5 || state.session.units.get(state.diff.unit).is_none() {
        return;
    }
    let [title, list, preview] = layout::diff(area);
    put_row(
        buf,
        title,
        title.y,
        &title_text(state, title.width),
        theme.title,
    );
    if let Some((text, style)) = notice(state, theme, list.width) {
        put(buf, list, list.x + 2, list.y, &text, list.width, style);
    }
    let Some(list) = lines_area(state, list) else {
        return;
    };
    lines(state, theme, list, buf);
    selected_in_full(state, theme, preview, buf);
}

/// Where the lines go in the list's area: below a "no changes" notice; None while loading or
/// after an error (the notice alone).
pub(crate) fn lines_area(state: &AppState, list: Rect) -> Option<Rect> {
    let diff = &state.diff;
    if !diff.is_current() || diff.error.is_some() {
        return None;
    }
    if diff.changes.is_empty() {
        return Some(Rect::new(
            list.x,
            list.y + 1,
            list.width,
            list.height.saturating_sub(1),
        ));
    }
    Some(list)
}

/// The visible lines, a ratatui `List`; the cursor is a ▶ and a background that leaves the
/// red / green of the line visible.
fn lines(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let diff = &state.diff;
    let (offset, end) = window(
        diff.selected,
        diff.offset,
        area.height as usize,
        diff.rows.len(),
    );
    let items: Vec<ListItem> = diff.rows[offset..end]
        .iter()
        .map(|row| ListItem::new(Line::from(row_spans(theme, row))))
        .collect();
    let cursor = theme
        .selected
        .bg
        .map_or(theme.selected, |bg| Style::new().bg(bg));
    let list = List::new(items)
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always)
        .highlight_style(cursor);
    let mut list_state = ListState::default().with_selected(diff.selected.checked_sub(offset));
    StatefulWidget::render(list, area, buf, &mut list_state);
}

/// The selected line in full under a rule: long titles and reasons are cut in the list.
fn selected_in_full(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let caption = format!("── {} ", state.labels().diff_selected);
    let rule = format!(
        "{caption}{}",
        "─".repeat((area.width as usize).saturating_sub(caption.width()))
    );
    put(buf, area, area.x, area.y, &rule, area.width, theme.border);
    if let Some(row) = state.diff.rows.get(state.diff.selected) {
        let text = Rect::new(
            area.x + 1,
            area.y + 1,
            area.width.saturating_sub(1),
            area.height.saturating_sub(1),
        );
        Paragraph::new(Line::from(row_spans(theme, row)))
            .wrap(Wrap { trim: false })
            .render(text, buf);
    }
}
