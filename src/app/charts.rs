//! The charts' data: the dashboard (the units' index % distribution, how many units per band,
//! the meeting's progress), a unit's index % per field (self against appraised), and a
//! criterion's appraised scores across units. Plain data, computed when the session changes;
//! the ui draws it with ratatui's `BarChart` (and `Fill` for the progress bar).

use super::view::{CompareRow, SessionStats};
use crate::domain::distribution::{
    BandCount, Bucket, IndexDistribution, bucket_for, score_buckets,
};
use crate::domain::rollup::index_pct;
use crate::domain::score::Numbers;
use crate::domain::{Bands, NodeId, Progress, Session, Totals};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

/// The whole session at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub distribution: IndexDistribution,
    /// Every item's status, summed over the units.
    pub progress: Progress,
    pub items: usize,
    /// Decisions made on a self-score that has changed since (they need review).
    pub stale: usize,
}

impl Dashboard {
    pub fn compute(session: &Session, stats: &SessionStats, bands: &Bands, stale: usize) -> Self {
        let pcts: Vec<Decimal> = stats.units.iter().map(|s| s.index_pct).collect();
        let progress = stats
            .units
            .iter()
            .fold(Progress::default(), |sum, s| add(sum, &s.progress));
        Dashboard {
            distribution: IndexDistribution::of(&pcts, bands),
            progress,
            items: session.units.len() * session.leaf_count(),
            stale,
        }
    }

    /// The share of items decided, 0 to 1 (1 for a session without items).
    pub fn decided_ratio(&self) -> f64 {
        if self.items == 0 {
            return 1.0;
        }
        (self.progress.decided() as f64 / self.items as f64).clamp(0.0, 1.0)
    }
}

fn add(sum: Progress, p: &Progress) -> Progress {
    Progress {
        pending: sum.pending + p.pending,
        disputed: sum.disputed + p.disputed,
        invalid: sum.invalid + p.invalid,
        agreed: sum.agreed + p.agreed,
        adjusted: sum.adjusted + p.adjusted,
        missing: sum.missing + p.missing,
    }
}

/// One field of a unit: its index % on the self-scores and on the appraised scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPcts {
    pub field: NodeId,
    pub self_pct: Decimal,
    pub appraised_pct: Decimal,
}

/// The counted fields of a unit (from its node totals, indexed by node id).
pub fn field_pcts(fields: &[NodeId], totals: &[Totals]) -> Vec<FieldPcts> {
    fields
        .iter()
        .filter_map(|&field| {
            let t = totals.get(field)?;
            Some(FieldPcts {
                field,
                self_pct: index_pct(t.self_total, t.max),
                appraised_pct: index_pct(t.appraised_total, t.max),
            })
        })
        .collect()
}

/// At most this many bars in the comparison's chart: one per score on the criterion's step
/// when there are few, else round ranges.
pub const COMPARE_BARS: usize = 12;

/// How many units have each appraised score of a criterion (every unit, whatever the filter).
pub fn compare_buckets(session: &Session, node: NodeId, rows: &[CompareRow]) -> Vec<Bucket> {
    let fw = &session.framework;
    let n = fw.node(node);
    let values: Vec<Decimal> = rows.iter().map(|r| r.appraised).collect();
    let lowest: Decimal = fw.leaves()[fw.leaf_range(node)]
        .iter()
        .map(|&leaf| fw.node(leaf).def.min_points)
        .sum();
    let low = values.iter().copied().chain([lowest]).min();
    let high = values.iter().copied().chain([n.def.max_points]).max();
    let (Some(low), Some(high)) = (low, high) else {
        return Vec::new();
    };
    let step = if n.is_leaf() { n.def.step } else { None };
    score_buckets(&values, (low, high), step, COMPARE_BARS)
}

/// The bar a unit's appraised score falls in.
pub fn bucket_of(buckets: &[Bucket], appraised: Decimal) -> Option<usize> {
    bucket_for(buckets, appraised)
}

/// One line per band, for a chart's labels: " A ≥90  2" (`at_least` is "≥", or ">=" in plain
/// ASCII), names, thresholds and counts in aligned columns; "không xếp loại" has no threshold.
pub fn band_rows(bands: &[BandCount], numbers: Numbers, at_least: &str) -> Vec<String> {
    let names: Vec<String> = bands
        .iter()
        .map(|b| match b.threshold {
            Some(t) => format!("{} {at_least}{}", b.name, numbers.points(t)),
            None => b.name.clone(),
        })
        .collect();
    let name_width = names.iter().map(|n| n.width()).max().unwrap_or(0);
    let count_width = bands
        .iter()
        .map(|b| b.count.to_string().len())
        .max()
        .unwrap_or(1);
    names
        .iter()
        .zip(bands)
        .map(|(name, band)| {
            let pad = " ".repeat(name_width - name.width());
            format!(" {name}{pad} {:>count_width$}", band.count)
        })
        .collect()
}
