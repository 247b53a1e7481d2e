//! The reason editor; reopened after a refused save, it shows the other reviewer's decision
//! above the reason that was kept.

use super::{popup, put_item_heading, put_row, self_score_text};
use crate::app::AppState;
use crate::app::history::{EventKind, timeline};
use crate::ui::draw::{delta_style, delta_text};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    editor: &crate::app::overlay::ReasonEditor,
    area: Rect,
    buf: &mut Buffer,
) {
    let numbers = state.numbers();
    let labels = state.labels();
    let (unit, leaf) = (editor.item.unit, editor.item.leaf);
    let item = state.session.item(unit, leaf);
    let height = (area.height * 2 / 3).max(10) + if editor.conflict { 3 } else { 0 };
    let inner = popup(theme, labels.reason_title, 90, height, area, buf);
    put_item_heading(state, theme, unit, leaf, inner, buf);
    let mut y = inner.y + 1;
    if editor.conflict {
        put_row(buf, inner, y, labels.conflict_title, theme.error);
        put_row(
            buf,
            inner,
            y + 1,
            &their_decision(state, unit, leaf),
            theme.title,
        );
        put_row(buf, inner, y + 2, labels.conflict_kept, theme.info);
        y += 3;
    }
    let delta = editor.score - item.self_points();
    let facts = format!(
        "{} {} → {} {} {}",
        labels.col_self,
        self_score_text(state, unit, leaf),
        labels.col_council,
        numbers.points(editor.score),
        delta_text(delta, numbers)
    );
    put_row(buf, inner, y, &facts, delta_style(theme, delta));
    let (note, note_style) = if editor.show_required {
        (labels.reason_required, theme.error)
    } else if editor.required {
        (labels.reason_required, theme.disputed)
    } else {
        (labels.reason_optional, theme.muted)
    };
    put_row(buf, inner, y + 1, note, note_style);
    let top = y + 2;
    let text_area = Rect::new(
        inner.x,
        top,
        inner.width,
        inner.bottom().saturating_sub(top + 1),
    );
    // The text area draws the text and its cursor over the input's colours; it scrolls
    // itself to keep the cursor in view.
    buf.set_style(text_area, theme.input);
    editor.text_area().render(text_area, buf);
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        &super::hint_text(state, inner.width as usize),
        theme.muted,
    );
}

/// The decision that came first, from the item's history as loaded again: "lan · 2026-11-23
/// 09:01 · quyết định 4 — Đủ hồ sơ" (name, local time, score, reason).
fn their_decision(state: &AppState, unit: usize, leaf: usize) -> String {
    let labels = state.labels();
    let Some(detail) = state.detail_of(unit, leaf) else {
        return labels.loading.to_string();
    };
    let item = state.session.item(unit, leaf);
    let unit_code = &state.session.units[unit].code;
    let latest = timeline(detail, item, unit_code, labels)
        .into_iter()
        .find(|e| !matches!(e.kind, EventKind::Submission | EventKind::Proposal));
    let Some(entry) = latest else {
        return labels.none.to_string();
    };
    let mut text = format!(
        "{} · {} · {}",
        entry.who,
        entry.when_in(state.zone),
        entry.what
    );
    if !entry.why.is_empty() {
        text.push_str(&format!(" — {}", entry.why));
    }
    text
}
