//! The dashboard: the meeting's progress (one bar split by status, the counts in text), the units'
//! index % in 5-point buckets (a `BarChart`, the band thresholds marked under it in text) and
//! the units per band (a horizontal `BarChart`, the counts in text). Bars are graded by band
//! in colour; the labels, counts and markers carry the same in text (NO_COLOR keeps them).

use crate::app::AppState;
use crate::app::charts::band_rows;
use crate::domain::distribution::IndexDistribution;
use crate::ui::charts::{
    BarFit, PROGRESS_SYMBOLS, captioned, counted_bar, marker_row, stacked_bar,
};
use crate::ui::draw::{pct_style, put};
use crate::ui::layout;
use crate::ui::overlays::put_row;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Widget};

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if state.session.units.is_empty() {
        let text = state.labels().empty_session;
        put(
            buf,
            area,
            area.x + 1,
            area.y + 1,
            text,
            area.width,
            theme.muted,
        );
        return;
    }
    let bands = state.dashboard.distribution.bands.len() as u16;
    let parts = layout::dashboard(area, bands);
    put_row(
        buf,
        parts.title,
        parts.title.y,
        &title_text(state),
        theme.title,
    );
    progress(state, theme, parts.gauge, parts.counts, buf);
    distribution(state, theme, parts.distribution, buf);
    band_counts(state, theme, parts.bands, buf);
}

/// " Toàn cảnh · 20 đơn vị · 1300 mục".
fn title_text(state: &AppState) -> String {
    let labels = state.labels();
    let dash = &state.dashboard;
    format!(
        " {} · {} {} · {} {}",
        labels.dashboard,
        dash.distribution.total,
        labels.units_count,
        dash.items,
        labels.items_count
    )
}

/// One part of the progress bar: how many items, its symbol, its style, its word.
type Part = (usize, &'static str, Style, &'static str);

/// " Tiến độ  7%" and one bar split by status (decided, disputed, invalid, pending), each
/// part its own symbol and colour; under it every status counted in text, by its symbol.
fn progress(state: &AppState, theme: &Theme, gauge: Rect, counts: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let dash = &state.dashboard;
    let share = dash.decided_ratio() * 100.0;
    let percent = format!(" {} {share:>3.0}% ", labels.progress_title);
    let bar_x = put(
        buf,
        gauge,
        gauge.x,
        gauge.y,
        &percent,
        gauge.width,
        theme.header,
    );
    let parts = progress_parts(state, theme);
    let bar = Rect::new(bar_x, gauge.y, gauge.right().saturating_sub(bar_x + 1), 1);
    let segments: Vec<(usize, &str, Style)> =
        parts.iter().map(|&(n, s, st, _)| (n, s, st)).collect();
    stacked_bar(buf, bar, &segments);
    let mut legend: Vec<Span> = parts
        .iter()
        .enumerate()
        .map(|(i, &(n, symbol, style, word))| {
            let sep = if i == 0 { " " } else { " · " };
            Span::styled(format!("{sep}{symbol} {word} {n}"), style)
        })
        .collect();
    if dash.stale > 0 {
        let text = format!(" · {} {}", labels.review_count, dash.stale);
        legend.push(Span::styled(text, theme.disputed));
    }
    Line::from(legend).render(counts, buf);
}

/// Decided, disputed, invalid, pending: the statuses every item is in exactly one of.
fn progress_parts(state: &AppState, theme: &Theme) -> [Part; 4] {
    let labels = state.labels();
    let p = &state.dashboard.progress;
    let [decided, disputed, invalid, pending] = PROGRESS_SYMBOLS;
    [
        (p.decided(), decided, theme.agreed, labels.progress_decided),
        (p.disputed, disputed, theme.disputed, labels.status_disputed),
        (p.invalid, invalid, theme.poor, labels.status_invalid),
        (p.pending, pending, theme.muted, labels.status_pending),
    ]
}

/// The buckets as a bar chart with their lower bounds under the bars, and a row of markers
/// under that: "▲B ≥80" at the bucket where each band starts.
fn distribution(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let dist = &state.dashboard.distribution;
    if area.height < 4 || dist.buckets.is_empty() {
        return;
    }
    let caption = format!(" {}", labels.distribution_title);
    let chart = captioned(buf, area, &caption, theme.header, 1);
    let fit = BarFit::of(chart.width, dist.buckets.len(), 1, 9);
    let numbers = state.numbers();
    let bars: Vec<BarGroup> = dist
        .buckets
        .iter()
        .map(|b| {
            let style = pct_style(state, theme, b.low);
            BarGroup::default().bars(&[counted_bar(numbers.points(b.low), b.count, style)])
        })
        .collect();
    fit.chart(bars, theme.muted).render(chart, buf);
    let markers = threshold_markers(state, dist, chart.x, fit.group_width(1));
    marker_row(buf, area, area.bottom() - 1, &markers, theme.title);
}

/// "▲A ≥90" under the bucket of each band's threshold (thresholds outside the buckets, such
/// as D's 0, are left out).
fn threshold_markers(
    state: &AppState,
    dist: &IndexDistribution,
    x: u16,
    step: u16,
) -> Vec<(u16, String)> {
    let numbers = state.numbers();
    let mut markers: Vec<(u16, String)> = dist
        .bands
        .iter()
        .filter_map(|band| {
            let threshold = band.threshold?;
            if dist.buckets.first().is_none_or(|b| threshold < b.low) {
                return None;
            }
            let i = dist.bucket_of(threshold)?;
            let text = format!("▲{} ≥{}", band.name, numbers.points(threshold));
            Some((x + i as u16 * step, text))
        })
        .collect();
    markers.sort_by_key(|(x, _)| *x);
    markers
}

/// One bar per band, best first: its name, threshold and count in the label (so that every
/// count is text, a zero as much as the others), the bar beside it.
fn band_counts(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let dist = &state.dashboard.distribution;
    if area.height < 2 || dist.bands.is_empty() {
        return;
    }
    put_row(
        buf,
        area,
        area.y,
        &format!(" {}", labels.bands_title),
        theme.header,
    );
    let texts = band_rows(&dist.bands, state.numbers(), "≥");
    let bars: Vec<_> = dist
        .bands
        .iter()
        .zip(texts)
        .map(|(band, text)| {
            let style = band
                .threshold
                .map_or(theme.poor, |t| pct_style(state, theme, t));
            Bar::default()
                .value(band.count as u64)
                .text_value(String::new())
                .label(Line::from(text))
                .style(style)
        })
        .collect();
    let chart = Rect::new(
        area.x,
        area.y + 1,
        area.width.saturating_sub(1),
        area.height - 1,
    );
    BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .label_style(theme.base)
        .data(BarGroup::default().bars(&bars))
        .render(chart, buf);
}
