//! The screens' tables: columns that fit the width (optional ones dropped first), and the
//! drawing of a header and of the visible rows.

use super::draw::fit;
use super::theme::Theme;
use crate::app::AppState;
use crate::domain::score::Numbers;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{
    Cell as TableCell, HighlightSpacing, Row, StatefulWidget, Table, TableState,
};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

pub(crate) fn opt(points: Option<Decimal>, numbers: Numbers) -> String {
    points.map(|p| numbers.points(p)).unwrap_or_default()
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

/// One cell of a table: its text and style.
pub(crate) type Cell = (String, Style);

/// The text itself when it fits, else cut with …: no copy for the common case.
fn fitted(text: String, width: usize) -> String {
    if text.width() <= width {
        text
    } else {
        fit(&text, width)
    }
}

/// A table over its visible rows only, drawn with ratatui's `Table`: fixed column widths, one
/// space between columns, each cell fitted to its column (cut with …), and a ▶ gutter that
/// marks the selected row in text as well as colour (monochrome screens, snapshots).
pub(crate) struct VisibleTable<'a> {
    pub cols: &'a [Col],
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// Index into `rows`.
    pub selected: Option<usize>,
    pub selected_style: Style,
}

impl VisibleTable<'_> {
    pub(crate) fn render(self, area: Rect, buf: &mut Buffer) {
        let cols = self.cols;
        let row = |cells: Vec<Cell>| {
            Row::new(cells.into_iter().zip(cols).map(|((text, style), col)| {
                let line = Line::styled(fitted(text, col.width as usize), style);
                TableCell::from(if col.right {
                    line.right_aligned()
                } else {
                    line
                })
            }))
        };
        let widths = cols.iter().map(|c| Constraint::Length(c.width));
        let rows = self.rows.len().min(u16::MAX as usize) as u16;
        let table = Table::new(self.rows.into_iter().map(row), widths)
            .header(row(self.header))
            .column_spacing(1)
            .highlight_symbol("▶")
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(self.selected_style);
        let mut state = TableState::new().with_selected(self.selected);
        // Only the rows there are: the table styles every cell of its area, several times.
        let area = Rect {
            height: area.height.min(rows + 1),
            ..area
        };
        StatefulWidget::render(table, area, buf, &mut state);
    }
}

/// The header cells: the kept column names in the header style.
pub(crate) fn header_cells(names: Vec<impl ToString>, kept: &[bool], theme: &Theme) -> Vec<Cell> {
    keep(names, kept)
        .into_iter()
        .map(|name| (name.to_string(), theme.header))
        .collect()
}

/// The visible window of a list of `len` rows, `height` rows high: (offset, end), the
/// selection kept in view.
pub(crate) fn window(selected: usize, offset: usize, height: usize, len: usize) -> (usize, usize) {
    let offset = crate::app::view::scroll_offset(selected, offset, height, len);
    (offset, (offset + height).min(len))
}

/// Width of the unit code column: the widest code, within 3..=12.
pub(crate) fn unit_code_width(state: &AppState) -> usize {
    state.unit_widths.code.clamp(3, 12)
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
