//! The dashboard: the meeting's progress (a `LineGauge`, the counts in text), the units'
//! index % in 5-point buckets (a `BarChart`, the band thresholds marked under it in text) and
//! the units per band (a horizontal `BarChart`, the counts in text). Bars are graded by band
//! in colour; the labels, counts and markers carry the same in text (NO_COLOR keeps them).

use crate::app::AppState;
use crate::domain::distribution::IndexDistribution;
use crate::ui::charts::{BarFit, counted_bar, marker_row};
use crate::ui::draw::{pct_style, put};
use crate::ui::layout;
use crate::ui::overlays::put_row;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, BarGroup, LineGauge, Widget};

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

/// The gauge of decided items, and every status counted in text under it.
fn progress(state: &AppState, theme: &Theme, gauge: Rect, counts: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let dash = &state.dashboard;
    let ratio = dash.decided_ratio();
    let label = format!(" {} {:.0}%", labels.progress_title, ratio * 100.0);
    LineGauge::default()
        .ratio(ratio)
        .label(Line::styled(label, theme.header))
        .filled_symbol("█")
        .unfilled_symbol("░")
        .filled_style(theme.agreed)
        .unfilled_style(theme.muted)
        .render(gauge, buf);
    let p = &dash.progress;
    let mut parts = vec![
        Span::styled(
            format!(" {} {}", labels.progress_decided, p.decided()),
            theme.agreed,
        ),
        Span::styled(
            format!(" · {} {}", labels.status_disputed, p.disputed),
            theme.disputed,
        ),
        Span::styled(
            format!(" · {} {}", labels.status_invalid, p.invalid),
            theme.disputed,
        ),
        Span::styled(
            format!(" · {} {}", labels.status_pending, p.pending),
            theme.muted,
        ),
    ];
    if dash.stale > 0 {
        let text = format!(" · {} {}", labels.review_count, dash.stale);
        parts.push(Span::styled(text, theme.disputed));
    }
    Line::from(parts).render(counts, buf);
}

/// The buckets as a bar chart with their lower bounds under the bars, and a row of markers
/// under that: "▲B ≥80" at the bucket where each band starts.
fn distribution(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let dist = &state.dashboard.distribution;
    if area.height < 4 || dist.buckets.is_empty() {
        return;
    }
    put_row(
        buf,
        area,
        area.y,
        &format!(" {}", labels.distribution_title),
        theme.header,
    );
    let chart = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height - 2,
    );
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

/// One bar per band, best first: its name, and its count on the bar.
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
    let bars: Vec<_> = dist
        .bands
        .iter()
        .map(|band| {
            let style = band
                .threshold
                .map_or(theme.poor, |t| pct_style(state, theme, t));
            counted_bar(format!(" {}", band.name), band.count, style)
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
        .value_style(Style::default().patch(theme.title))
        .data(BarGroup::default().bars(&bars))
        .render(chart, buf);
}
