//! The scorecard's field chart: each counted field's index % for the unit, self-assessed
//! against appraised, as paired bars (a grouped `BarChart`: one group per field, labelled by
//! its code; the bars labelled TC / TĐ, their values in text on them). Under the table when
//! the screen is tall enough, else in the detail pane while a branch is selected.

use crate::app::AppState;
use crate::messages::charts::chart_labels;
use crate::ui::charts::{BarFit, captioned};
use crate::ui::draw::pct_style;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Bar, BarGroup, Widget};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A caption row, then the chart (at least one row of bars and the two label rows).
pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let fields = &state.scorecard.fields;
    if area.height < 4 || area.width < 8 || fields.is_empty() {
        return;
    }
    let labels = state.labels();
    let caption = format!(
        " {} · {}",
        labels.field_chart_title,
        chart_labels(state.lang).field_legend
    );
    let chart = captioned(buf, area, &caption, theme.header, 0);
    let fit = BarFit::of(chart.width, fields.len(), 2, 6);
    let fw = &state.session.framework;
    let groups: Vec<BarGroup> = fields
        .iter()
        .map(|f| {
            let code = fw.node(f.field).code().to_string();
            let bars = [
                pct_bar(labels.bar_self, f.self_pct, theme.muted),
                pct_bar(
                    labels.bar_appraised,
                    f.appraised_pct,
                    pct_style(state, theme, f.appraised_pct),
                ),
            ];
            BarGroup::default().label(code).bars(&bars)
        })
        .collect();
    let highest = fields
        .iter()
        .flat_map(|f| [f.self_pct, f.appraised_pct])
        .map(whole_pct)
        .max()
        .unwrap_or(0);
    fit.chart(groups, theme.muted)
        .max(highest.max(100))
        .render(chart, buf);
}

/// A bar of an index %, its whole percent as text on it ("83").
fn pct_bar<'a>(label: &'a str, pct: Decimal, style: ratatui::style::Style) -> Bar<'a> {
    let value = whole_pct(pct);
    Bar::default()
        .value(value)
        .text_value(value.to_string())
        .label(label)
        .style(style)
}

/// An index % rounded half up to a whole percent, 0 for a negative one.
fn whole_pct(pct: Decimal) -> u64 {
    pct.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_u64()
        .unwrap_or(0)
}
