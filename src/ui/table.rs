//! The screens' tables: columns that fit the width (optional ones dropped first), and the
//! drawing of a header and of the visible rows.

use super::draw::{fit, put};
use super::theme::Theme;
use crate::app::AppState;
use crate::domain::format_vi;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

pub(crate) fn opt(points: Option<Decimal>) -> String {
    points.map(format_vi).unwrap_or_default()
}

/// A table column: width and alignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub width: u16,
    pub right: bool,
}

/// Lays out columns: fixed ones as given, the flexible one takes what is left (at least
/// `min_flex`); optional columns are dropped, last first, until the flexible one fits.
/// Returns the columns and which of the requested ones were kept.
pub(crate) fn layout_columns(
    total: u16,
    cols: &[(Col, bool, u8)],
    flex_index: usize,
    min_flex: u16,
) -> (Vec<Col>, Vec<bool>) {
    // (column, flexible?, priority: 0 = always, higher = dropped sooner)

    // Width of the kept columns other than the flexible one, with their separators.
    let fixed_width = |kept: &[bool]| -> u16 {
        cols.iter()
            .zip(kept)
            .enumerate()
            .filter(|(i, (_, k))| **k && *i != flex_index)
            .map(|(_, ((c, _, _), _))| c.width + 1)
            .sum()
    };
    let mut kept: Vec<bool> = vec![true; cols.len()];
    loop {
        let fixed = fixed_width(&kept);
        if fixed + min_flex <= total {
            break;
        }
        let drop = cols
            .iter()
            .enumerate()
            .filter(|(i, (_, _, p))| kept[*i] && *p > 0)
            .max_by_key(|(i, (_, _, p))| (*p, *i))
            .map(|(i, _)| i);
        match drop {
            Some(i) => kept[i] = false,
            None => break,
        }
    }
    let fixed = fixed_width(&kept);
    let out = cols
        .iter()
        .zip(&kept)
        .enumerate()
        .filter(|(_, (_, k))| **k)
        .map(|(i, ((c, _, _), _))| {
            if i == flex_index {
                Col {
                    width: total.saturating_sub(fixed).max(1),
                    right: c.right,
                }
            } else {
                *c
            }
        })
        .collect();
    (out, kept)
}

pub(crate) fn keep<T>(items: Vec<T>, kept: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| **k)
        .map(|(t, _)| t)
        .collect()
}

/// Draws one table line: each cell fitted into its column, one space between columns.
pub(crate) fn draw_cells(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cols: &[Col],
    cells: &[(String, Style)],
    row_style: Option<Style>,
) {
    if let Some(style) = row_style {
        buf.set_style(
            Rect::new(area.x, y, area.width, 1).intersection(area),
            style,
        );
    }
    // A gutter marks the selected row in text too (monochrome screens, snapshots).
    let marker = if row_style.is_some() { "▶" } else { " " };
    put(
        buf,
        area,
        area.x,
        y,
        marker,
        1,
        row_style.unwrap_or_default(),
    );
    let mut x = area.x + 1;
    for (col, (text, style)) in cols.iter().zip(cells) {
        if x >= area.right() {
            break;
        }
        let text = fit(text, col.width as usize);
        let offset = if col.right {
            col.width.saturating_sub(text.width() as u16)
        } else {
            0
        };
        let style = match row_style {
            Some(row) => style.patch(row),
            None => *style,
        };
        put(buf, area, x + offset, y, &text, col.width, style);
        x = x.saturating_add(col.width + 1);
    }
}

/// Draws the header row of a table: the kept column names in the header style.
pub(crate) fn draw_header(
    buf: &mut Buffer,
    area: Rect,
    cols: &[Col],
    names: Vec<impl ToString>,
    kept: &[bool],
    theme: &Theme,
) {
    let header: Vec<(String, Style)> = keep(names, kept)
        .into_iter()
        .map(|name| (name.to_string(), theme.header))
        .collect();
    draw_cells(buf, area, area.y, cols, &header, None);
}

/// Width of the unit code column: the longest code (of the first 2000 units), within 3..=12.
pub(crate) fn unit_code_width(state: &AppState) -> usize {
    state
        .session
        .units
        .iter()
        .take(2000)
        .map(|u| u.code.width())
        .max()
        .unwrap_or(4)
        .clamp(3, 12)
}

pub(crate) fn w(text: &str, at_least: usize) -> u16 {
    text.width().max(at_least) as u16
}

pub(crate) fn left(width: u16) -> Col {
    Col {
        width,
        right: false,
    }
}

pub(crate) fn right(width: u16) -> Col {
    Col { width, right: true }
}
