//! Overlays drawn over the screen: help, score and reason editors, search, jump, confirm.

use super::theme::Theme;
use super::{fit, put};
use crate::app::AppState;
use crate::app::overlay::{ConfirmState, Overlay, SearchHit};
use crate::domain::format_vi;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width < super::MIN_WIDTH || area.height < super::MIN_HEIGHT {
        return;
    }
    match &state.overlay {
        None => {}
        Some(Overlay::Help(help)) => help_overlay(state, theme, help, area, buf),
        Some(Overlay::Score(editor)) => score_editor(state, theme, editor, area, buf),
        Some(Overlay::Reason(editor)) => reason_editor(state, theme, editor, area, buf),
        Some(Overlay::Search(search)) => search_overlay(state, theme, search, area, buf),
        Some(Overlay::Jump(jump)) => jump_overlay(state, theme, jump, area, buf),
        Some(Overlay::Confirm(confirm)) => confirm_overlay(state, theme, confirm, area, buf),
        Some(Overlay::Finalise(confirm)) => {
            super::diffview::finalise_overlay(state, theme, confirm, area, buf)
        }
    }
}

/// A centred box of at most the given size, cleared, with a titled border; returns its inside.
pub(crate) fn popup(
    theme: &Theme,
    title: &str,
    width: u16,
    height: u16,
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let width = width.min(area.width.saturating_sub(2)).max(10);
    let height = height.min(area.height.saturating_sub(2)).max(3);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    let rect = Rect::new(x, y, width, height);
    Clear.render(rect, buf);
    buf.set_style(rect, theme.base);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Text on row `y` of `area`, from its left edge, shortened with … to the area's width.
pub(crate) fn put_row(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    put(
        buf,
        area,
        area.x,
        y,
        &fit(text, area.width as usize),
        area.width,
        style,
    );
}

/// An input line with a visible cursor block at the end.
pub(crate) fn input_line(
    theme: &Theme,
    text: &str,
    width: u16,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let room = width.saturating_sub(3) as usize;
    // Keep the end (where typing happens) visible.
    let shown: String = if text.width() > room {
        let mut tail: Vec<char> = Vec::new();
        let mut used = 0;
        for c in text.chars().rev() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w + 1 > room {
                break;
            }
            used += w;
            tail.push(c);
        }
        std::iter::once('…').chain(tail.into_iter().rev()).collect()
    } else {
        text.to_string()
    };
    buf.set_style(
        Rect::new(area.x, y, width, 1).intersection(area),
        theme.input,
    );
    let x = put(buf, area, area.x, y, "› ", width, theme.input);
    let x = put(buf, area, x, y, &shown, width, theme.input);
    put(buf, area, x, y, "▏", 1, theme.input);
}

fn help_overlay(
    state: &AppState,
    theme: &Theme,
    help: &crate::app::overlay::HelpState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(theme, labels.help_title, 78, area.height, area, buf);
    input_line(theme, &help.filter, inner.width, inner, inner.y, buf);
    put_row(buf, inner, inner.y + 1, labels.help_hint, theme.muted);
    let rows: Vec<(String, &str)> = state
        .keymap
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .filter_map(|(command, keys)| {
            let keys = keys
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let description = command.description(state.lang);
            help.matches(command, &keys, description)
                .then_some((keys, description))
        })
        .collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(4)
        .min(inner.width as usize / 3) as u16;
    let list_top = inner.y + 2;
    let visible = inner.height.saturating_sub(3) as usize;
    let scroll = help.scroll.min(rows.len().saturating_sub(visible));
    for (i, (keys, description)) in rows.iter().skip(scroll).take(visible).enumerate() {
        let y = list_top + i as u16;
        put(
            buf,
            inner,
            inner.x,
            y,
            &fit(keys, key_width as usize),
            key_width,
            theme.header,
        );
        let x = inner.x + key_width + 2;
        put(
            buf,
            inner,
            x,
            y,
            &fit(description, inner.right().saturating_sub(x) as usize),
            inner.width,
            theme.base,
        );
    }
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        labels.help_editors,
        theme.muted,
    );
}

/// An editor's first row: unit code, criterion code and title.
fn put_item_heading(
    state: &AppState,
    theme: &Theme,
    unit: usize,
    leaf: usize,
    inner: Rect,
    buf: &mut Buffer,
) {
    let node = state.session.framework.leaf(leaf);
    let heading = format!(
        "{} · {} {}",
        state.session.units[unit].code,
        node.code(),
        node.def.title
    );
    put_row(buf, inner, inner.y, &heading, theme.title);
}

/// The item's self-score, or the "none" label when the unit gave none.
fn self_score_text(state: &AppState, unit: usize, leaf: usize) -> String {
    state
        .session
        .item(unit, leaf)
        .self_score
        .map(format_vi)
        .unwrap_or_else(|| state.labels().none.into())
}

fn score_editor(
    state: &AppState,
    theme: &Theme,
    editor: &crate::app::overlay::ScoreEditor,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let (unit, leaf) = (editor.item.unit, editor.item.leaf);
    let def = &state.session.framework.leaf(leaf).def;
    let item = state.session.item(unit, leaf);
    let inner = popup(theme, labels.edit_score_title, 70, 9, area, buf);
    put_item_heading(state, theme, unit, leaf, inner, buf);
    let mut facts = format!(
        "{} {} · {} {}",
        labels.col_max,
        format_vi(def.max_points),
        labels.col_self,
        self_score_text(state, unit, leaf)
    );
    if let Some(p) = item.proposal {
        facts.push_str(&format!(" · {} {}", labels.col_proposal, format_vi(p)));
    }
    if let Some(step) = def.step {
        facts.push_str(&format!(" · {} {}", labels.step, format_vi(step)));
    }
    put_row(buf, inner, inner.y + 1, &facts, theme.muted);
    input_line(theme, &editor.input, inner.width, inner, inner.y + 3, buf);
    let (check, style) = match editor.check(def) {
        Ok(score) => {
            let mut text = format!("✓ {} {}", labels.score_ok, format_vi(score));
            if score != item.self_points() {
                text.push_str(&format!(" — {}", labels.reason_required));
            }
            (text, theme.agreed)
        }
        Err(problem) => (format!("✗ {}", problem.text(labels)), theme.error),
    };
    put_row(buf, inner, inner.y + 4, &check, style);
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        labels.edit_score_hint,
        theme.muted,
    );
}

fn reason_editor(
    state: &AppState,
    theme: &Theme,
    editor: &crate::app::overlay::ReasonEditor,
    area: Rect,
    buf: &mut Buffer,
) {
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
        format_vi(editor.score),
        super::delta_text(delta)
    );
    put_row(
        buf,
        inner,
        inner.y + 1,
        &facts,
        super::delta_style(theme, delta),
    );
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
    buf.set_style(text_area, theme.input);
    let mut lines: Vec<Line> = editor
        .text
        .split('\n')
        .map(|l| Line::raw(l.to_string()))
        .collect();
    if let Some(last) = lines.last_mut() {
        last.push_span(Span::styled("▏", theme.input));
    }
    // Show the end of a long reason: that is where the cursor is.
    let wrapped_estimate: usize = editor
        .text
        .split('\n')
        .map(|l| l.width() / (text_area.width.max(1) as usize) + 1)
        .sum();
    let scroll = wrapped_estimate.saturating_sub(text_area.height as usize) as u16;
    Paragraph::new(lines)
        .style(theme.input)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(text_area, buf);
    put_row(
        buf,
        inner,
        inner.bottom().saturating_sub(1),
        labels.reason_hint,
        theme.muted,
    );
}

fn search_overlay(
    state: &AppState,
    theme: &Theme,
    search: &crate::app::overlay::SearchState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(
        theme,
        labels.search_title,
        90,
        area.height.saturating_sub(4),
        area,
        buf,
    );
    input_line(theme, &search.query, inner.width, inner, inner.y, buf);
    put_row(buf, inner, inner.y + 1, labels.search_hint, theme.muted);
    let visible = inner.height.saturating_sub(2) as usize;
    if search.hits.is_empty() && !search.query.trim().is_empty() {
        put(
            buf,
            inner,
            inner.x,
            inner.y + 2,
            labels.search_none,
            inner.width,
            theme.disputed,
        );
        return;
    }
    let offset = crate::app::view::scroll_offset(search.selected, 0, visible, search.hits.len());
    for (i, hit) in search.hits.iter().enumerate().skip(offset).take(visible) {
        let y = inner.y + 2 + (i - offset) as u16;
        let (kind, text) = match *hit {
            SearchHit::Unit(u) => {
                let unit = &state.session.units[u];
                (
                    labels.search_unit,
                    format!("{}  {} · {}", unit.code, unit.name, unit.group),
                )
            }
            SearchHit::Node(n) => {
                let node = state.session.framework.node(n);
                (
                    labels.search_criterion,
                    format!("{}  {}", node.code(), node.def.title),
                )
            }
        };
        let style = if i == search.selected {
            Some(theme.selected)
        } else {
            None
        };
        let line = format!("{kind:<10} {text}");
        if let Some(s) = style {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1).intersection(inner), s);
        }
        put_row(buf, inner, y, &line, style.unwrap_or(theme.base));
    }
}

fn jump_overlay(
    state: &AppState,
    theme: &Theme,
    jump: &crate::app::overlay::JumpState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let inner = popup(theme, labels.jump_title, 70, 6, area, buf);
    input_line(theme, &jump.input, inner.width, inner, inner.y, buf);
    put_row(buf, inner, inner.y + 1, labels.jump_hint, theme.muted);
    if jump.not_found {
        let text = format!("✗ {}: {}", labels.jump_not_found, jump.input.trim());
        put_row(buf, inner, inner.y + 2, &text, theme.error);
    }
}

fn confirm_overlay(
    state: &AppState,
    theme: &Theme,
    confirm: &ConfirmState,
    area: Rect,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    match confirm {
        ConfirmState::OverwriteExport { dir, existing } => {
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
            put_row(
                buf,
                inner,
                inner.bottom().saturating_sub(1),
                labels.confirm_hint,
                Style::default().patch(theme.key),
            );
        }
    }
}
