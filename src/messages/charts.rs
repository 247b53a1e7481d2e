//! The charts' words: the dashboard's legend, the scorecard's field bars, the comparison's
//! distribution and `council summary --chart`. (The first words of the dashboard are in
//! `screen::Labels`: its title, the gauge, the distribution's and the bands' captions.)

use super::Lang;

pub fn chart_labels(lang: Lang) -> &'static ChartLabels {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// (The progress bar's legend uses `Labels::progress_decided` and the status words.)
pub struct ChartLabels {
    /// The scorecard's chart caption: which bar is which.
    pub field_legend: &'static str,
    /// The comparison's chart caption, after its title.
    pub compare_legend: &'static str,
    /// Under the distribution: what the markers are.
    pub threshold_legend: &'static str,
    /// `summary --chart`: the two charts' titles.
    pub summary_distribution: &'static str,
    pub summary_bands: &'static str,
    /// `summary --chart` on a session without units.
    pub no_units: &'static str,
}

static VI: ChartLabels = ChartLabels {
    field_legend: "TC tự chấm, TĐ thẩm định",
    compare_legend: "▲ đơn vị đang chọn",
    threshold_legend: "▲ ngưỡng xếp loại",
    summary_distribution: "Chỉ số % của các đơn vị (số đơn vị theo khoảng 5 điểm; ▸ ngưỡng xếp loại)",
    summary_bands: "Xếp loại (số đơn vị)",
    no_units: "Phiên họp chưa có đơn vị nào.",
};

static EN: ChartLabels = ChartLabels {
    field_legend: "S self-assessed, A appraised",
    compare_legend: "▲ the unit selected",
    threshold_legend: "▲ band thresholds",
    summary_distribution: "Index % of the units (units per 5-point range; ▸ band thresholds)",
    summary_bands: "Bands (units)",
    no_units: "The session has no units.",
};
