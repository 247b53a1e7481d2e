//! Presentation mode for the projector: the current item only, large and uncluttered.

use crate::app::AppState;
use crate::app::keymap::Command;
use crate::domain::Status;
use crate::ui::draw::{delta_style, delta_text, fit, pct_style, put, status_style};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

/// Glyphs five rows high, for figures readable from the back of the room.
pub(crate) fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" █ ", "██ ", " █ ", " █ ", "███"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        ',' | '.' => ["  ", "  ", "  ", "  ", "▄█"],
        '-' => ["   ", "   ", "███", "   ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// The rows of a number in large glyphs.
pub fn big_text(text: &str) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    for (i, c) in text.chars().enumerate() {
        let g = glyph(c);
        for (row, part) in rows.iter_mut().zip(g) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    rows
}

pub(crate) fn centred(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    let text = fit(text, area.width as usize);
    let x = area.x + area.width.saturating_sub(text.width() as u16) / 2;
    put(buf, area, x, y, &text, area.width, style);
}

/// A labelled figure, large when there is room.
pub(crate) fn figure(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    label: &str,
    value: &str,
    style: Style,
    big: bool,
) -> u16 {
    centred(
        buf,
        area,
        y,
        label,
        Style::default().add_modifier(Modifier::BOLD),
    );
    if big {
        for (i, row) in big_text(value).iter().enumerate() {
            centred(buf, area, y + 1 + i as u16, row, style);
        }
        6
    } else {
        centred(buf, area, y + 1, value, style.add_modifier(Modifier::BOLD));
        2
    }
}

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    buf.set_style(area, theme.base);
    let inner = Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let hint = format!(
        "{} · {} / {}",
        labels.presentation,
        state.keymap.first_key(Command::Back),
        state.keymap.first_key(Command::Presentation)
    );
    let bottom = area.bottom() - 1;
    put(
        buf,
        area,
        area.x,
        bottom,
        &fit(&hint, area.width as usize),
        area.width,
        theme.muted,
    );
    let Some(unit) = state.current_unit() else {
        let middle = inner.y + inner.height / 2;
        centred(buf, inner, middle, labels.empty_session, theme.muted);
        return;
    };
    let unit_row = &state.session.units[unit];
    let heading = format!("{} · {}", unit_row.code, unit_row.name);
    centred(buf, inner, inner.y, &heading, theme.title);
    let y = inner.y + 1;
    let big = inner.height >= 22;
    match state.current_item() {
        Some((unit, leaf)) => item(state, theme, inner, y, (unit, leaf), big, buf),
        None => unit_summary(state, theme, inner, y + 1, unit, big, buf),
    }
}

/// One item: its criterion, the three figures side by side, the status line, then the rule,
/// the evidence and the reason.
fn item(
    state: &AppState,
    theme: &Theme,
    inner: Rect,
    mut y: u16,
    (unit, leaf): (usize, usize),
    big: bool,
    buf: &mut Buffer,
) {
    let numbers = state.numbers();
    let labels = state.labels();
    let node = state.session.framework.leaf(leaf);
    let item = state.session.item(unit, leaf);
    let criterion = format!("{} · {}", node.code(), node.def.title);
    centred(buf, inner, y, &criterion, theme.header);
    y += 2;
    y += figures(state, theme, inner, y, item, big, buf);
    let delta = item.delta();
    let status = item.status();
    let line = format!(
        "{} {} · {} {}",
        labels.col_max,
        numbers.points(node.def.max_points),
        labels.status(status),
        delta_text(delta, numbers)
    );
    let style = if delta == Decimal::ZERO {
        status_style(theme, status)
    } else {
        delta_style(theme, delta)
    };
    centred(buf, inner, y, &line, style.add_modifier(Modifier::BOLD));
    y += 2;
    let rest = Rect::new(
        inner.x,
        y,
        inner.width,
        inner.bottom().saturating_sub(y + 1),
    );
    Paragraph::new(texts(state, theme, unit, leaf))
        .wrap(Wrap { trim: true })
        .render(rest, buf);
}

/// Self, proposal and council side by side, large when there is room; returns the rows used.
fn figures(
    state: &AppState,
    theme: &Theme,
    inner: Rect,
    y: u16,
    item: &crate::domain::ItemState,
    big: bool,
    buf: &mut Buffer,
) -> u16 {
    let numbers = state.numbers();
    let labels = state.labels();
    let third = inner.width / 3;
    let big = big && third >= 20;
    let columns = [
        (labels.col_self, item.self_score, theme.base),
        (labels.col_proposal, item.proposal, theme.base),
        (labels.col_council, item.council, theme.title),
    ];
    for (i, (label, value, style)) in columns.iter().enumerate() {
        let col = Rect::new(
            inner.x + third * i as u16,
            y,
            third,
            inner.bottom().saturating_sub(y),
        );
        match value {
            Some(points) => figure(buf, col, y, label, &numbers.points(*points), *style, big),
            // Nothing decided yet: a dash in large glyphs would read as a minus sign.
            None => figure(buf, col, y, label, labels.none, theme.muted, false),
        };
    }
    if big { 6 } else { 2 }
}

/// The rule, the evidence and the reason in force (or the working group's note).
fn texts<'a>(state: &'a AppState, theme: &Theme, unit: usize, leaf: usize) -> Vec<Line<'a>> {
    let labels = state.labels();
    let node = state.session.framework.leaf(leaf);
    let mut lines = vec![
        Line::styled(labels.rule, theme.header),
        Line::raw(node.def.rule.clone()),
    ];
    let Some(detail) = state.detail_of(unit, leaf) else {
        return lines;
    };
    if !detail.evidence.is_empty() {
        lines.push(Line::styled(
            format!("{} ({})", labels.evidence, detail.evidence.len()),
            theme.header,
        ));
        for e in &detail.evidence {
            lines.push(Line::raw(format!("• {} — {}", e.reference, e.title)));
        }
    }
    let reason = crate::domain::session::decision_in_force(&detail.log)
        .map(|(_, reason, _)| reason.to_string())
        .filter(|r| !r.trim().is_empty())
        .or_else(|| {
            (!detail.proposal_note.trim().is_empty()).then(|| detail.proposal_note.clone())
        });
    if let Some(reason) = reason {
        lines.push(Line::styled(labels.reason_title, theme.header));
        lines.push(Line::raw(reason));
    }
    lines
}

/// A unit without an item selected: its index %, totals, rank and band, and progress.
fn unit_summary(
    state: &AppState,
    theme: &Theme,
    inner: Rect,
    mut y: u16,
    unit: usize,
    big: bool,
    buf: &mut Buffer,
) {
    let numbers = state.numbers();
    let labels = state.labels();
    let s = &state.stats.units[unit];
    let pct = numbers.pct(s.index_pct);
    let graded = pct_style(state, theme, s.index_pct);
    y += figure(
        buf,
        inner,
        y,
        labels.col_index,
        &pct,
        graded,
        big && inner.width >= 40,
    );
    let delta = s.totals.delta();
    let line = format!(
        "{} {} · {} {} {} · {} {} · {} {}",
        labels.col_self,
        numbers.points(s.totals.self_total),
        labels.col_appraised,
        numbers.points(s.totals.appraised_total),
        delta_text(delta, numbers),
        labels.col_rank,
        s.rank,
        labels.col_band,
        s.band
    );
    centred(buf, inner, y + 1, &line, theme.title);
    let p = &s.progress;
    let progress = format!(
        "{} {} · {} {} · {} {}",
        p.decided(),
        labels.status(Status::Agreed),
        p.disputed,
        labels.status(Status::Disputed),
        p.pending,
        labels.status(Status::Pending)
    );
    let style = if p.disputed > 0 {
        theme.disputed
    } else {
        theme.base
    };
    centred(buf, inner, y + 3, &progress, style);
}

#[cfg(test)]
mod tests {
    #[test]
    fn big_figures_have_even_rows() {
        let rows = super::big_text("0,5");
        assert_eq!(rows[0], "███    ███");
        assert_eq!(rows[4], "███ ▄█ ███");
        assert!(
            rows.iter()
                .all(|r| r.chars().count() == rows[0].chars().count())
        );
    }
}
