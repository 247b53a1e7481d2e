//! `council summary --chart`: the units' index % in 5-point ranges and the units per band,
//! as text bars. The bars are ratatui's horizontal `BarChart` rendered into a buffer, in
//! unicode blocks, or in `#` when the locale is not UTF-8 (then the marks are ASCII too);
//! the counts and the band thresholds are in the text beside them.

use crate::app::charts::band_rows;
use crate::domain::Bands;
use crate::domain::distribution::IndexDistribution;
use crate::domain::score::Numbers;
use crate::lang::Lang;
use crate::messages::charts::chart_labels;
use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::symbols;
use ratatui::widgets::{Bar, BarChart, BarGroup, Widget};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

/// How many cells the longest bar takes.
const BAR_CELLS: u16 = 40;

/// Whether the terminal's character set is UTF-8, as the C library decides it: the first of
/// LC_ALL, LC_CTYPE and LANG that is set and not empty names the locale, and a locale is
/// UTF-8 when its name says so (`vi_VN.UTF-8`, `C.utf8`); none set is the C locale, ASCII.
pub fn locale_is_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let codeset = locale.to_ascii_lowercase().replace('-', "");
            codeset.contains("utf8")
        })
}

/// The marks of one character set.
struct Marks {
    bars: symbols::bar::Set<'static>,
    dash: &'static str,
    at_least: &'static str,
    threshold: &'static str,
}

const UNICODE: Marks = Marks {
    bars: symbols::bar::NINE_LEVELS,
    dash: "–",
    at_least: "≥",
    threshold: "▸",
};

const ASCII: Marks = Marks {
    bars: symbols::bar::Set {
        full: "#",
        seven_eighths: "#",
        three_quarters: "#",
        five_eighths: "#",
        half: "#",
        three_eighths: "#",
        one_quarter: "#",
        one_eighth: "#",
        empty: " ",
    },
    dash: "-",
    at_least: ">=",
    threshold: ">",
};

/// The two charts as text, each under its title.
pub fn render_chart(pcts: &[Decimal], bands: &Bands, lang: Lang, utf8: bool) -> String {
    let words = chart_labels(lang);
    if pcts.is_empty() {
        return format!("{}\n", words.no_units);
    }
    let marks = if utf8 { &UNICODE } else { &ASCII };
    let plain = |text: &str| match utf8 {
        true => text.to_string(),
        false => text.replace('▸', marks.threshold),
    };
    let numbers = Numbers::of(lang);
    let dist = IndexDistribution::of(pcts, bands);
    let ranges = range_rows(&dist, numbers, marks);
    let range_counts: Vec<usize> = dist.buckets.iter().rev().map(|b| b.count).collect();
    let band_labels = band_rows(&dist.bands, numbers, marks.at_least);
    let band_counts: Vec<usize> = dist.bands.iter().map(|b| b.count).collect();
    let mut out = plain(words.summary_distribution);
    out.push('\n');
    out.push_str(&bars_text(&ranges, &range_counts, marks));
    out.push('\n');
    out.push_str(&plain(words.summary_bands));
    out.push('\n');
    out.push_str(&bars_text(&band_labels, &band_counts, marks));
    out
}

/// The ranges, highest first: "B ▸  80–85  3", the bands whose threshold falls in a range
/// named before it.
fn range_rows(dist: &IndexDistribution, numbers: Numbers, marks: &Marks) -> Vec<String> {
    let markers: Vec<String> = (0..dist.buckets.len())
        .rev()
        .map(|bucket| threshold_names(dist, bucket, marks))
        .collect();
    let marker_width = markers.iter().map(|m| m.width()).max().unwrap_or(0);
    let ranges: Vec<String> = dist
        .buckets
        .iter()
        .rev()
        .map(|b| {
            let (low, high) = (numbers.points(b.low), numbers.points(b.high));
            format!("{low}{}{high}", marks.dash)
        })
        .collect();
    let range_width = ranges.iter().map(|r| r.width()).max().unwrap_or(0);
    let count_width = dist
        .buckets
        .iter()
        .map(|b| b.count.to_string().len())
        .max()
        .unwrap_or(1);
    markers
        .iter()
        .zip(&ranges)
        .zip(dist.buckets.iter().rev())
        .map(|((marker, range), bucket)| {
            let pad = " ".repeat(marker_width - marker.width());
            let range_pad = " ".repeat(range_width - range.width());
            format!(
                " {marker}{pad} {range_pad}{range} {:>count_width$}",
                bucket.count
            )
        })
        .collect()
}

/// "B ▸" when band B's threshold falls in the range `bucket` ("A, B ▸" for two), else nothing.
fn threshold_names(dist: &IndexDistribution, bucket: usize, marks: &Marks) -> String {
    let names: Vec<&str> = dist
        .bands
        .iter()
        .filter(|band| band.threshold.and_then(|t| dist.bucket_of(t)) == Some(bucket))
        .map(|band| band.name.as_str())
        .collect();
    if names.is_empty() {
        return String::new();
    }
    format!("{} {}", names.join(", "), marks.threshold)
}

/// Each label followed by its bar (a horizontal `BarChart`, one row a bar, scaled to the
/// largest count), trailing blanks cut.
fn bars_text(labels: &[String], counts: &[usize], marks: &Marks) -> String {
    let rows = labels.len().min(u16::MAX as usize) as u16;
    let area = Rect::new(0, 0, BAR_CELLS, rows);
    let mut buf = Buffer::empty(area);
    let bars: Vec<Bar> = counts
        .iter()
        .map(|&n| Bar::default().value(n as u64).text_value(String::new()))
        .collect();
    BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_set(marks.bars.clone())
        .data(BarGroup::default().bars(&bars))
        .render(area, &mut buf);
    let mut out = String::new();
    for (y, label) in labels.iter().enumerate() {
        let bar: String = (0..BAR_CELLS)
            .map(|x| buf[(x, y as u16)].symbol())
            .collect();
        let line = format!("{label} {bar}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_locale_is_the_first_of_lc_all_lc_ctype_lang_that_is_set() {
        assert!(locale_is_utf8(env(&[("LANG", "vi_VN.UTF-8")])));
        assert!(locale_is_utf8(env(&[
            ("LANG", "C"),
            ("LC_CTYPE", "C.utf8")
        ])));
        assert!(!locale_is_utf8(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(locale_is_utf8(env(&[
            ("LC_ALL", ""),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(!locale_is_utf8(env(&[("LANG", "C")])));
        assert!(!locale_is_utf8(env(&[("LANG", "vi_VN.ISO-8859-1")])));
        assert!(!locale_is_utf8(env(&[])));
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn two_thresholds_in_one_range_are_named_together_and_no_units_say_so() {
        let bands = Bands(vec![("A".into(), d("92")), ("B".into(), d("91"))]);
        let out = render_chart(&[d("93"), d("80")], &bands, Lang::En, true);
        assert!(out.contains(" A, B ▸  90–95 1 "), "{out}");
        assert!(out.contains(" không xếp loại 1 "), "{out}");
        assert_eq!(
            render_chart(&[], &bands, Lang::En, false),
            "The session has no units.\n"
        );
    }
}
