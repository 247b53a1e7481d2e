//! The council-score editor, with the live check of range and step.

use super::{input_line, popup, put_item_heading, put_row, self_score_text};
use crate::app::AppState;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub(super) fn render(
    state: &AppState,
    theme: &Theme,
    editor: &crate::app::overlay::ScoreEditor,
    area: Rect,
    buf: &mut Buffer,
) {
    let numbers = state.numbers();
    let labels = state.labels();
    let (unit, leaf) = (editor.item.unit, editor.item.leaf);
    let def = &state.session.framework.leaf(leaf).def;
    let item = state.session.item(unit, leaf);
    let inner = popup(theme, labels.edit_score_title, 70, 9, area, buf);
    put_item_heading(state, theme, unit, leaf, inner, buf);
    let mut facts = format!(
        "{} {} · {} {}",
        labels.col_max,
        numbers.points(def.max_points),
        labels.col_self,
        self_score_text(state, unit, leaf)
    );
    if let Some(p) = item.proposal {
        facts.push_str(&format!(" · {} {}", labels.col_proposal, numbers.points(p)));
    }
    if let Some(step) = def.step {
        facts.push_str(&format!(" · {} {}", labels.step, numbers.points(step)));
    }
    put_row(buf, inner, inner.y + 1, &facts, theme.muted);
    input_line(theme, &editor.input, inner.width, inner, inner.y + 3, buf);
    let (check, style) = match editor.check(def) {
        Ok(score) => {
            let mut text = format!("✓ {} {}", labels.score_ok, numbers.points(score));
            if score != item.self_points() {
                text.push_str(&format!(" — {}", labels.reason_required));
            }
            (text, theme.agreed)
        }
        Err(problem) => (format!("✗ {}", problem.text(labels, numbers)), theme.error),
    };
    put_row(buf, inner, inner.y + 4, &check, style);
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        &super::hint_text(state),
        theme.muted,
    );
}
