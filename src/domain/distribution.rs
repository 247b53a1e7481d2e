//! How a set of values spreads: counts per bucket and per band. Pure arithmetic behind the
//! charts (the dashboard's index % distribution, the comparison's scores across units) and
//! `council summary --chart`.

use super::rollup::{Bands, UNCLASSIFIED};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// How wide the index % buckets are: 5 points.
pub const INDEX_BUCKET: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// One bucket: values from `low` up to (not including) `high`; the last bucket also holds
/// `high` itself (100 % goes into 95–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub low: Decimal,
    pub high: Decimal,
    pub count: usize,
}

/// One band and how many values it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandCount {
    pub name: String,
    /// None for the units below the last band ("không xếp loại").
    pub threshold: Option<Decimal>,
    pub count: usize,
}

/// The units' index %: counts per bucket, and per band.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexDistribution {
    /// Ascending, contiguous, `INDEX_BUCKET` wide; from the bucket of the lowest value (or of
    /// the lowest band threshold above 0, whichever is lower) to 100 (or the highest value).
    pub buckets: Vec<Bucket>,
    /// The bands in their order (best first), then "không xếp loại" when some unit is below
    /// the last band.
    pub bands: Vec<BandCount>,
    pub total: usize,
}

impl IndexDistribution {
    pub fn of(pcts: &[Decimal], bands: &Bands) -> IndexDistribution {
        let mut bands_count: Vec<BandCount> = bands
            .0
            .iter()
            .map(|(name, threshold)| BandCount {
                name: name.clone(),
                threshold: Some(*threshold),
                count: 0,
            })
            .collect();
        let mut unclassified = 0;
        for &pct in pcts {
            let name = bands.classify(pct);
            match bands_count.iter_mut().find(|b| b.name == name) {
                Some(band) => band.count += 1,
                None => unclassified += 1,
            }
        }
        if unclassified > 0 {
            bands_count.push(BandCount {
                name: UNCLASSIFIED.to_string(),
                threshold: None,
                count: unclassified,
            });
        }
        IndexDistribution {
            buckets: index_buckets(pcts, bands),
            bands: bands_count,
            total: pcts.len(),
        }
    }

    /// The bucket a value falls in.
    pub fn bucket_of(&self, pct: Decimal) -> Option<usize> {
        bucket_index(&self.buckets, pct)
    }
}

/// The index % buckets: 5 points wide, from the lowest value's bucket (or the lowest band
/// threshold above 0, so that the bands show) up to 100.
fn index_buckets(pcts: &[Decimal], bands: &Bands) -> Vec<Bucket> {
    if pcts.is_empty() {
        return Vec::new();
    }
    let lowest_threshold = bands
        .0
        .iter()
        .map(|(_, t)| *t)
        .filter(|t| *t > Decimal::ZERO)
        .min();
    let lowest = pcts.iter().copied().chain(lowest_threshold).min();
    let highest = pcts.iter().copied().max().unwrap_or(Decimal::ONE_HUNDRED);
    let low = floor_to(lowest.unwrap_or(Decimal::ZERO), INDEX_BUCKET);
    let high = ceil_to(highest.max(Decimal::ONE_HUNDRED), INDEX_BUCKET).max(low + INDEX_BUCKET);
    let n = ((high - low) / INDEX_BUCKET).to_usize().unwrap_or(1);
    counted(pcts, low, high, n)
}

/// `n` equal buckets from `low` to `high` (the last holds `high` itself), with the values
/// counted in.
pub fn counted(values: &[Decimal], low: Decimal, high: Decimal, n: usize) -> Vec<Bucket> {
    if n == 0 || high < low {
        return Vec::new();
    }
    let width = (high - low) / Decimal::from(n);
    let edge = |i: usize| {
        if i == n {
            high
        } else {
            low + width * Decimal::from(i)
        }
    };
    let mut buckets: Vec<Bucket> = (0..n)
        .map(|i| Bucket {
            low: edge(i),
            high: edge(i + 1),
            count: 0,
        })
        .collect();
    for &value in values {
        if let Some(i) = bucket_index(&buckets, value) {
            buckets[i].count += 1;
        }
    }
    buckets
}

/// The bucket holding a value: `low` ≤ value < `high`, or the last one for its `high`.
fn bucket_index(buckets: &[Bucket], value: Decimal) -> Option<usize> {
    let last = buckets.len().checked_sub(1)?;
    if value < buckets[0].low || value > buckets[last].high {
        return None;
    }
    let position = buckets.iter().position(|b| value < b.high);
    Some(position.unwrap_or(last))
}

/// The largest multiple of `step` at or below `value`.
pub fn floor_to(value: Decimal, step: Decimal) -> Decimal {
    (value / step).floor() * step
}

/// The smallest multiple of `step` at or above `value`.
pub fn ceil_to(value: Decimal, step: Decimal) -> Decimal {
    (value / step).ceil() * step
}

/// Counts of values on a grid: one bucket per value from `low` to `high` by `step` when that
/// makes at most `most` buckets, else at most `most` equal buckets over the range. For the
/// scores of one criterion across units.
pub fn score_buckets(
    values: &[Decimal],
    (low, high): (Decimal, Decimal),
    step: Option<Decimal>,
    most: usize,
) -> Vec<Bucket> {
    let most = most.max(1);
    let (low, high) = (low.min(high), high.max(low));
    let span = high - low;
    let steps = step
        .filter(|s| *s > Decimal::ZERO)
        .and_then(|s| Some((s, (span / s).floor().to_usize()? + 1)))
        .filter(|(_, n)| *n <= most);
    if let Some((step, n)) = steps {
        // One bucket per value on the step (a value off the step counts at the one below).
        let mut buckets: Vec<Bucket> = (0..n)
            .map(|i| {
                let value = low + step * Decimal::from(i);
                Bucket {
                    low: value,
                    high: value,
                    count: 0,
                }
            })
            .collect();
        for &value in values.iter().filter(|v| (low..=high).contains(*v)) {
            let i = ((value - low) / step).floor().to_usize().unwrap_or(0);
            buckets[i.min(n - 1)].count += 1;
        }
        return buckets;
    }
    if span.is_zero() {
        let count = values.iter().filter(|v| **v == low).count();
        return vec![Bucket { low, high, count }];
    }
    // Equal ranges of a round width (0,25, 0,5, 1, 2, 2,5, 5, …), as few as fit in `most`.
    let buckets_of = |width: Decimal| {
        let start = floor_to(low, width);
        let n = (ceil_to(high - start, width) / width)
            .to_usize()
            .unwrap_or(usize::MAX);
        (start, n.max(1))
    };
    let round = NICE_WIDTHS
        .iter()
        .map(|&(m, e)| Decimal::new(m, e))
        .find(|&w| buckets_of(w).1 <= most);
    match round {
        Some(width) => {
            let (start, n) = buckets_of(width);
            counted(values, start, start + width * Decimal::from(n), n)
        }
        None => counted(values, low, high, most),
    }
}

/// Round bucket widths, smallest first, as (mantissa, scale): 0,25 … 100.
const NICE_WIDTHS: [(i64, u32); 12] = [
    (25, 2),
    (5, 1),
    (1, 0),
    (2, 0),
    (25, 1),
    (5, 0),
    (10, 0),
    (20, 0),
    (25, 0),
    (50, 0),
    (100, 0),
    (1000, 0),
];

/// The bucket of a value among buckets of one value each (`low` = `high`) or of ranges.
pub fn bucket_for(buckets: &[Bucket], value: Decimal) -> Option<usize> {
    if buckets.iter().all(|b| b.low == b.high) {
        return buckets.iter().rposition(|b| b.low <= value);
    }
    bucket_index(buckets, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn lows(buckets: &[Bucket]) -> Vec<String> {
        buckets
            .iter()
            .map(|b| b.low.normalize().to_string())
            .collect()
    }

    #[test]
    fn index_buckets_run_from_the_lowest_band_to_100_and_100_counts_in_the_last() {
        let pcts = [d("90.70"), d("88.37"), d("81.40"), d("100"), d("69.77")];
        let dist = IndexDistribution::of(&pcts, &Bands::default());
        assert_eq!(
            lows(&dist.buckets),
            ["65", "70", "75", "80", "85", "90", "95"]
        );
        let counts: Vec<usize> = dist.buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 0, 0, 1, 1, 1, 1]);
        let bands: Vec<(&str, usize)> = dist
            .bands
            .iter()
            .map(|b| (b.name.as_str(), b.count))
            .collect();
        assert_eq!(bands, [("A", 2), ("B", 2), ("C", 0), ("D", 1)]);
        assert_eq!(dist.bucket_of(d("100")), Some(6));
        assert_eq!(dist.bucket_of(d("85")), Some(4));
        assert_eq!(dist.total, 5);
    }

    #[test]
    fn the_lowest_positive_threshold_shows_even_without_units_there() {
        let dist = IndexDistribution::of(&[d("95")], &Bands::default());
        assert_eq!(lows(&dist.buckets), ["70", "75", "80", "85", "90", "95"]);
        assert!(
            IndexDistribution::of(&[], &Bands::default())
                .buckets
                .is_empty()
        );
    }

    #[test]
    fn units_below_the_last_band_are_counted_as_unclassified() {
        let bands = Bands(vec![("Đạt".into(), d("50"))]);
        let dist = IndexDistribution::of(&[d("49.99"), d("60")], &bands);
        let names: Vec<(&str, usize)> = dist
            .bands
            .iter()
            .map(|b| (b.name.as_str(), b.count))
            .collect();
        assert_eq!(names, [("Đạt", 1), (UNCLASSIFIED, 1)]);
        assert_eq!(dist.buckets[0].low, d("45"));
    }

    #[test]
    fn scores_on_a_step_get_one_bucket_per_value() {
        let values = [d("2"), d("1.5"), d("2"), d("1"), d("2")];
        let buckets = score_buckets(&values, (d("0"), d("2")), Some(d("0.5")), 12);
        assert_eq!(lows(&buckets), ["0", "0.5", "1", "1.5", "2"]);
        let counts: Vec<usize> = buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, [0, 0, 1, 1, 3]);
        assert_eq!(bucket_for(&buckets, d("1.5")), Some(3));
    }

    #[test]
    fn too_many_steps_or_no_step_give_equal_ranges() {
        let values = [d("0"), d("12.5"), d("25"), d("24")];
        let buckets = score_buckets(&values, (d("0"), d("25")), Some(d("0.25")), 5);
        assert_eq!(lows(&buckets), ["0", "5", "10", "15", "20"]);
        let counts: Vec<usize> = buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 0, 1, 0, 2]);
        assert_eq!(bucket_for(&buckets, d("25")), Some(4));
        let flat = score_buckets(&[d("3")], (d("3"), d("3")), None, 5);
        assert_eq!(flat.len(), 1);
        assert_eq!(flat[0].count, 1);
    }

    fn counts(buckets: &[Bucket]) -> Vec<usize> {
        buckets.iter().map(|b| b.count).collect()
    }

    fn band_counts(dist: &IndexDistribution) -> Vec<(&str, usize)> {
        dist.bands
            .iter()
            .map(|b| (b.name.as_str(), b.count))
            .collect()
    }

    #[test]
    fn no_units_no_buckets_and_every_band_at_zero() {
        let dist = IndexDistribution::of(&[], &Bands::default());
        assert!(dist.buckets.is_empty());
        assert_eq!(dist.total, 0);
        assert_eq!(band_counts(&dist), [("A", 0), ("B", 0), ("C", 0), ("D", 0)]);
        assert_eq!(dist.bucket_of(d("80")), None);
    }

    #[test]
    fn all_units_in_one_bucket() {
        let pcts = [d("91"), d("92.5"), d("94.99"), d("90")];
        let dist = IndexDistribution::of(&pcts, &Bands::default());
        assert_eq!(lows(&dist.buckets), ["70", "75", "80", "85", "90", "95"]);
        assert_eq!(counts(&dist.buckets), [0, 0, 0, 0, 4, 0]);
        assert_eq!(band_counts(&dist), [("A", 4), ("B", 0), ("C", 0), ("D", 0)]);
        assert_eq!(dist.total, 4);
    }

    #[test]
    fn a_unit_exactly_on_a_threshold_is_in_that_band_and_the_bucket_it_starts() {
        let pcts = [d("80.00"), d("79.99"), d("90"), d("89.99")];
        let dist = IndexDistribution::of(&pcts, &Bands::default());
        assert_eq!(band_counts(&dist), [("A", 1), ("B", 2), ("C", 1), ("D", 0)]);
        assert_eq!(
            dist.bucket_of(d("80.00")).map(|i| dist.buckets[i].low),
            Some(d("80"))
        );
        assert_eq!(
            dist.bucket_of(d("79.99")).map(|i| dist.buckets[i].low),
            Some(d("75"))
        );
        assert_eq!(counts(&dist.buckets), [0, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn below_the_last_band_is_unclassified_and_still_in_the_distribution() {
        let bands = Bands(vec![("Tốt".into(), d("85")), ("Khá".into(), d("70"))]);
        let pcts = [d("69.99"), d("12.5"), d("70"), d("85")];
        let dist = IndexDistribution::of(&pcts, &bands);
        assert_eq!(
            band_counts(&dist),
            [("Tốt", 1), ("Khá", 1), (UNCLASSIFIED, 2)]
        );
        assert_eq!(dist.bands[2].threshold, None);
        // The buckets reach down to the lowest unit: every unit is counted in one.
        assert_eq!(dist.buckets[0].low, d("10"));
        assert_eq!(counts(&dist.buckets).iter().sum::<usize>(), 4);
        // With a last band at 0 nobody is unclassified.
        let all = IndexDistribution::of(&pcts, &Bands::default());
        assert!(all.bands.iter().all(|b| b.name != UNCLASSIFIED));
    }

    #[test]
    fn bonus_points_above_100_extend_the_buckets_and_100_starts_the_last() {
        let dist = IndexDistribution::of(&[d("100"), d("102.5")], &Bands::default());
        assert_eq!(
            dist.buckets.last().map(|b| (b.low, b.high)),
            Some((d("100"), d("105")))
        );
        assert_eq!(counts(&dist.buckets)[dist.buckets.len() - 2..], [0, 2]);
    }
}
