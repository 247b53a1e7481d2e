//! The reason editor.

use super::{popup, put_item_heading, put_row, self_score_text};
use crate::app::AppState;
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
    let height = (area.height * 2 / 3).max(10);
    let inner = popup(theme, labels.reason_title, 90, height, area, buf);
    put_item_heading(state, theme, unit, leaf, inner, buf);
    let delta = editor.score - item.self_points();
    let facts = format!(
        "{} {} → {} {} {}",
        labels.col_self,
        self_score_text(state, unit, leaf),
        labels.col_council,
        numbers.points(editor.score),
        delta_text(delta, numbers)
    );
    put_row(buf, inner, inner.y + 1, &facts, delta_style(theme, delta));
    let (note, note_style) = if editor.show_required {
        (labels.reason_required, theme.error)
    } else if editor.required {
        (labels.reason_required, theme.disputed)
    } else {
        (labels.reason_optional, theme.muted)
    };
    put_row(buf, inner, inner.y + 2, note, note_style);
    let text_area = Rect::new(
        inner.x,
        inner.y + 3,
        inner.width,
        inner.height.saturating_sub(4),
    );
    // The text area draws the text and its cursor over the input's colours; it scrolls
    // itself to keep the cursor in view.
    buf.set_style(text_area, theme.input);
    editor.text_area().render(text_area, buf);
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        &super::hint_text(state),
        theme.muted,
    );
}
