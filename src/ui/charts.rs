//! What the charts share: bars sized to the room, ratatui's `BarChart` set up the same way
//! everywhere, and the marker row under a chart that says in text what colour also shows
//! (the band thresholds, the unit the screen is on).

use super::draw::put;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::widgets::{Bar, BarChart, BarGroup, Fill, Widget};
use unicode_width::UnicodeWidthStr;

/// How wide bars are and how far apart, so that `groups` groups of `per_group` bars fit in
/// `width` cells: bars from 1 to `widest` cells, one cell between groups (and between the
/// bars of a group when there is room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BarFit {
    pub bar_width: u16,
    pub bar_gap: u16,
    pub group_gap: u16,
}

impl BarFit {
    pub(crate) fn of(width: u16, groups: usize, per_group: usize, widest: u16) -> BarFit {
        let groups = groups.max(1) as u16;
        let per_group = per_group.max(1) as u16;
        let group_gap = 1;
        // The room of one group, its gap included (the last group has none).
        let group_room = (width + group_gap) / groups;
        let bar_gap = if per_group > 1 && group_room >= per_group * 4 + group_gap {
            1
        } else {
            0
        };
        let bars_room = group_room.saturating_sub(group_gap + bar_gap * (per_group - 1));
        BarFit {
            bar_width: (bars_room / per_group).clamp(1, widest),
            bar_gap,
            group_gap,
        }
    }

    /// How wide one group is, its gap included.
    pub(crate) fn group_width(&self, per_group: usize) -> u16 {
        let n = per_group.max(1) as u16;
        n * self.bar_width + (n - 1) * self.bar_gap + self.group_gap
    }

    /// A vertical bar chart of these groups, laid out by this fit.
    pub(crate) fn chart<'a>(&self, groups: Vec<BarGroup<'a>>, style: Style) -> BarChart<'a> {
        let mut chart = BarChart::default()
            .bar_width(self.bar_width)
            .bar_gap(self.bar_gap)
            .group_gap(self.group_gap)
            .label_style(style)
            .value_style(style.add_modifier(ratatui::style::Modifier::REVERSED));
        for group in groups {
            chart = chart.data(group);
        }
        chart
    }
}

/// Writes a chart's caption on the area's first row; the chart goes below it, a cell in
/// from either side, leaving `reserved` rows at the bottom (a marker row).
pub(crate) fn captioned(
    buf: &mut Buffer,
    area: Rect,
    caption: &str,
    style: Style,
    reserved: u16,
) -> Rect {
    super::overlays::put_row(buf, area, area.y, caption, style);
    Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(1 + reserved),
    )
}

/// A bar with its count as text (shown on the bar when it fits).
pub(crate) fn counted_bar<'a>(label: String, count: usize, style: Style) -> Bar<'a> {
    Bar::default()
        .value(count as u64)
        .text_value(count.to_string())
        .label(label)
        .style(style)
}

/// Writes markers (x, text) on a row, left to right, each after the one before it when they
/// would overlap; clipped to the area.
pub(crate) fn marker_row(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    markers: &[(u16, String)],
    style: Style,
) {
    let mut free = area.x;
    for (x, text) in markers {
        let x = (*x).max(free);
        if x >= area.right() {
            break;
        }
        let end = put(buf, area, x, y, text, area.right() - x, style);
        free = end.max(x + text.width() as u16) + 1;
    }
}

/// The progress bar's symbols, by part: decided, disputed, invalid, pending (distinct shapes,
/// so that the parts read without colour).
pub(crate) const PROGRESS_SYMBOLS: [&str; 4] = ["█", "▓", "▒", "░"];

/// One bar split into parts proportional to their counts, each painted with its own symbol
/// and style (ratatui's `Fill` over a `Layout` of ratios). An empty bar paints nothing.
pub(crate) fn stacked_bar(buf: &mut Buffer, area: Rect, parts: &[(usize, &str, Style)]) {
    let total: usize = parts.iter().map(|p| p.0).sum();
    if total == 0 || area.is_empty() {
        return;
    }
    let ratio = |n: usize| {
        // Ratios of u32: scale counts beyond it down together.
        let scale = total.div_ceil(u32::MAX as usize).max(1);
        Constraint::Ratio((n / scale) as u32, (total / scale).max(1) as u32)
    };
    let areas = Layout::horizontal(parts.iter().map(|p| ratio(p.0))).split(area);
    for (part, segment) in parts.iter().zip(areas.iter()) {
        if part.0 > 0 {
            Fill::new(part.1).style(part.2).render(*segment, buf);
        }
    }
}
