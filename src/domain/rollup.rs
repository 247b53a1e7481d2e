//! Totals, index percentages, ranks and bands.
//!
//! How points enter the totals:
//! - every leaf contributes its self, proposed and appraised points to each ancestor's totals,
//!   bonus and penalty leaves included (a penalty's points are negative);
//! - maxima: a parent's maximum is the sum of its children's, except that bonus/penalty children
//!   of an ordinary parent do not count, and bonus/penalty fields do not count towards the
//!   session's maximum (100 for the PAR INDEX);
//! - survey leaves carry the survey score as their self-score; the council may still decide them.
//! - index % = appraised total ÷ maximum × 100, rounded half away from zero to 2 decimals.

use super::criteria::{Framework, NodeId};
use super::score::round_half_up;
use super::session::{ItemState, Session, Status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Sums over the leaves below a node, for one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub max: Decimal,
    pub self_total: Decimal,
    pub proposed_total: Decimal,
    pub appraised_total: Decimal,
}

impl Totals {
    /// Appraised minus self.
    pub fn delta(&self) -> Decimal {
        self.appraised_total - self.self_total
    }
    pub fn index_pct(&self) -> Decimal {
        index_pct(self.appraised_total, self.max)
    }
    pub fn self_pct(&self) -> Decimal {
        index_pct(self.self_total, self.max)
    }
}

/// total ÷ max × 100, half-up to 2 decimals; 0 when max is 0.
pub fn index_pct(total: Decimal, max: Decimal) -> Decimal {
    if max.is_zero() {
        return Decimal::ZERO;
    }
    let mut pct = round_half_up(total * Decimal::ONE_HUNDRED / max, 2);
    pct.rescale(2);
    pct
}

/// Totals of one node for one unit's items (in leaf order).
pub fn node_totals(framework: &Framework, node: NodeId, items: &[ItemState]) -> Totals {
    let mut totals = Totals {
        max: framework.node(node).def.max_points,
        ..Default::default()
    };
    for item in &items[framework.leaf_range(node)] {
        totals.self_total += item.self_points();
        totals.proposed_total += item.proposed_points();
        totals.appraised_total += item.appraised_points();
    }
    totals
}

/// Totals of every node for one unit, indexed by node id; one pass over the tree.
pub fn all_node_totals(framework: &Framework, items: &[ItemState]) -> Vec<Totals> {
    let nodes = framework.nodes();
    let mut totals: Vec<Totals> = nodes
        .iter()
        .map(|n| Totals {
            max: n.def.max_points,
            ..Default::default()
        })
        .collect();
    // Children have larger ids than their parents: walk backwards and add into the parent.
    for id in (0..nodes.len()).rev() {
        if let Some(leaf) = nodes[id].leaf_index {
            let item = &items[leaf];
            totals[id].self_total = item.self_points();
            totals[id].proposed_total = item.proposed_points();
            totals[id].appraised_total = item.appraised_points();
        }
        if let Some(parent) = nodes[id].parent {
            let child = totals[id];
            let p = &mut totals[parent];
            p.self_total += child.self_total;
            p.proposed_total += child.proposed_total;
            p.appraised_total += child.appraised_total;
        }
    }
    totals
}

/// A unit's overall totals: every leaf's points over the session maximum.
pub fn unit_totals(framework: &Framework, items: &[ItemState]) -> Totals {
    let mut totals = Totals {
        max: framework.maximum(),
        ..Default::default()
    };
    for item in items {
        totals.self_total += item.self_points();
        totals.proposed_total += item.proposed_points();
        totals.appraised_total += item.appraised_points();
    }
    totals
}

/// How many of a unit's items stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub pending: usize,
    pub disputed: usize,
    /// Self-scores that break their leaf's rule, undecided (they count as disputed too).
    pub invalid: usize,
    pub agreed: usize,
    pub adjusted: usize,
    pub missing: usize,
}

impl Progress {
    pub fn of(items: &[ItemState]) -> Progress {
        let mut p = Progress::default();
        for item in items {
            match item.status() {
                Status::Pending => p.pending += 1,
                Status::Disputed => p.disputed += 1,
                Status::Invalid => p.invalid += 1,
                Status::Agreed => p.agreed += 1,
                Status::Adjusted => p.adjusted += 1,
            }
            if item.self_score.is_none() {
                p.missing += 1;
            }
        }
        p
    }
    pub fn decided(&self) -> usize {
        self.agreed + self.adjusted
    }
    /// Items waiting for the council: disputed or invalid.
    pub fn open(&self) -> usize {
        self.disputed + self.invalid
    }
}

/// Shared ranks: "competition" gives 1, 1, 3; "dense" gives 1, 1, 2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RankMode {
    #[default]
    Competition,
    Dense,
}

/// Ranks values, highest first; equal values share a rank.
pub fn rank_desc(values: &[Decimal], mode: RankMode) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].cmp(&values[a]));
    let mut ranks = vec![0; values.len()];
    let mut previous: Option<Decimal> = None;
    let mut rank = 0u32;
    let mut distinct = 0u32;
    for (position, &i) in order.iter().enumerate() {
        if previous != Some(values[i]) {
            distinct += 1;
            rank = match mode {
                RankMode::Competition => position as u32 + 1,
                RankMode::Dense => distinct,
            };
            previous = Some(values[i]);
        }
        ranks[i] = rank;
    }
    ranks
}

/// Classification bands by index %, highest threshold first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands(pub Vec<(String, Decimal)>);

impl Default for Bands {
    fn default() -> Self {
        Bands(vec![
            ("A".into(), Decimal::from(90)),
            ("B".into(), Decimal::from(80)),
            ("C".into(), Decimal::from(70)),
            ("D".into(), Decimal::ZERO),
        ])
    }
}

/// Why a text does not give bands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BandsError {
    /// Not `NAME=THRESHOLD`.
    Shape(String),
    Threshold {
        band: String,
        error: super::score::ScoreParseError,
    },
    NoName(String),
    Repeated(String),
    /// A threshold not below the one before it: (name, threshold) of both.
    NotDescending {
        band: (String, Decimal),
        before: (String, Decimal),
    },
    Empty,
}

/// What a unit gets whose index % is below the last band's threshold (when that is above 0).
pub const UNCLASSIFIED: &str = "không xếp loại";

impl Bands {
    /// Parses "A=90,B=80,C=70,D=0": thresholds strictly descending as written (decimal commas
    /// inside the figures are not allowed here; use the dot), names unique.
    pub fn parse(text: &str) -> Result<Bands, BandsError> {
        let mut bands: Vec<(String, Decimal)> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let shape = || BandsError::Shape(part.to_string());
            let (name, threshold) = part.split_once('=').ok_or_else(shape)?;
            let threshold =
                super::score::parse_score(threshold).map_err(|error| BandsError::Threshold {
                    band: part.to_string(),
                    error,
                })?;
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(BandsError::NoName(part.to_string()));
            }
            if bands.iter().any(|(other, _)| *other == name) {
                return Err(BandsError::Repeated(name));
            }
            if let Some((before, above)) = bands.last()
                && threshold >= *above
            {
                return Err(BandsError::NotDescending {
                    band: (name, threshold),
                    before: (before.clone(), *above),
                });
            }
            bands.push((name, threshold));
        }
        if bands.is_empty() {
            return Err(BandsError::Empty);
        }
        Ok(Bands(bands))
    }

    /// The stored form: "A=90,B=80,C=70,D=0".
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|(name, threshold)| format!("{name}={}", super::score::format_dot(*threshold)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The band of an index %: the first whose threshold it reaches. Below the last one, the
    /// last band where its threshold is 0 or less (it takes everything below), else
    /// [`UNCLASSIFIED`].
    pub fn classify(&self, pct: Decimal) -> &str {
        if let Some((name, _)) = self.0.iter().find(|(_, threshold)| pct >= *threshold) {
            return name;
        }
        match self.0.last() {
            Some((name, threshold)) if *threshold <= Decimal::ZERO => name,
            _ => UNCLASSIFIED,
        }
    }
}

/// One unit's line of the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStanding {
    pub unit: usize,
    pub totals: Totals,
    pub index_pct: Decimal,
    pub rank: u32,
    pub group_rank: u32,
    pub band: String,
}

/// Ranks every unit by appraised total (all units share the framework's maximum, so this is
/// the order of the unrounded index %), overall and within its group.
pub fn standings(session: &Session, mode: RankMode, bands: &Bands) -> Vec<UnitStanding> {
    let totals: Vec<Totals> = (0..session.units.len())
        .map(|u| unit_totals(&session.framework, session.unit_items(u)))
        .collect();
    let appraised: Vec<Decimal> = totals.iter().map(|t| t.appraised_total).collect();
    let ranks = rank_desc(&appraised, mode);
    let mut group_ranks = vec![0; totals.len()];
    let mut groups: Vec<&str> = session.units.iter().map(|u| u.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let members: Vec<usize> = (0..session.units.len())
            .filter(|&u| session.units[u].group == group)
            .collect();
        let values: Vec<Decimal> = members.iter().map(|&u| appraised[u]).collect();
        for (&u, r) in members.iter().zip(rank_desc(&values, mode)) {
            group_ranks[u] = r;
        }
    }
    totals
        .into_iter()
        .enumerate()
        .map(|(unit, totals)| {
            let pct = totals.index_pct();
            UnitStanding {
                unit,
                totals,
                index_pct: pct,
                rank: ranks[unit],
                group_rank: group_ranks[unit],
                band: bands.classify(pct).to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::tests::def;
    use crate::domain::session::Unit;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn ranks_share_ties() {
        let values = [d("90"), d("95"), d("90"), d("80")];
        assert_eq!(rank_desc(&values, RankMode::Competition), vec![2, 1, 2, 4]);
        assert_eq!(rank_desc(&values, RankMode::Dense), vec![2, 1, 2, 3]);
        assert!(rank_desc(&[], RankMode::Dense).is_empty());
    }

    #[test]
    fn index_rounds_half_up() {
        assert_eq!(index_pct(d("92.175"), d("100")), d("92.18"));
        assert_eq!(index_pct(d("1"), d("3")), d("33.33"));
        assert_eq!(index_pct(d("2"), d("3")), d("66.67"));
        assert_eq!(index_pct(d("6.5"), d("6.5")).to_string(), "100.00");
        assert_eq!(index_pct(d("1"), d("0")), d("0"));
    }

    #[test]
    fn bands_classify_by_threshold() {
        let bands = Bands::default();
        assert_eq!(bands.classify(d("90")), "A");
        assert_eq!(bands.classify(d("89.99")), "B");
        assert_eq!(bands.classify(d("70")), "C");
        assert_eq!(bands.classify(d("12")), "D");
        let custom = Bands::parse("Tốt=85, Khá=70 ,Trung bình=50,Yếu=0").unwrap();
        assert_eq!(custom.classify(d("84.99")), "Khá");
        assert!(Bands::parse("A90").is_err());
        assert_eq!(custom.to_text(), "Tốt=85,Khá=70,Trung bình=50,Yếu=0");
    }

    #[test]
    fn bands_must_descend_and_a_high_last_threshold_leaves_units_unclassified() {
        for text in ["A=90,B=95", "A=90,B=90", "A=90,A=80", "=90", ""] {
            assert!(Bands::parse(text).is_err(), "{text}");
        }
        let bands = Bands::parse("Đạt=50").unwrap();
        assert_eq!(bands.classify(d("50")), "Đạt");
        assert_eq!(bands.classify(d("49.99")), UNCLASSIFIED);
        // A last threshold of 0 takes everything below it, a negative index too.
        assert_eq!(Bands::default().classify(d("-3")), "D");
    }

    #[test]
    fn totals_roll_up_the_tree() {
        let fw = crate::domain::criteria::Framework::build(vec![
            def("1", "10"),
            def("1.1", "6"),
            def("1.2", "4"),
            def("2", "5"),
            def("2.1", "5"),
        ])
        .unwrap();
        let units = vec![
            Unit {
                code: "S1".into(),
                name: "Sở 1".into(),
                group: "sở".into(),
            },
            Unit {
                code: "X1".into(),
                name: "Xã 1".into(),
                group: "xã".into(),
            },
            Unit {
                code: "S2".into(),
                name: "Sở 2".into(),
                group: "sở".into(),
            },
        ];
        let mut session = Session::new(fw, units);
        let set = |s: &mut Session,
                   u,
                   l,
                   self_score: &str,
                   proposal: Option<&str>,
                   council: Option<&str>| {
            let item = s.item_mut(u, l);
            item.self_score = Some(d(self_score));
            item.proposal = proposal.map(d);
            item.council = council.map(d);
        };
        set(&mut session, 0, 0, "6", Some("5"), None);
        set(&mut session, 0, 1, "4", None, Some("3"));
        set(&mut session, 0, 2, "5", None, None);
        set(&mut session, 1, 0, "6", None, None);
        set(&mut session, 1, 1, "4", None, None);
        set(&mut session, 1, 2, "3", None, None);
        set(&mut session, 2, 0, "6", None, None);
        set(&mut session, 2, 1, "2", None, None);
        set(&mut session, 2, 2, "5", None, None);
        let all = all_node_totals(&session.framework, session.unit_items(0));
        let field1 = all[session.framework.find("1").unwrap()];
        assert_eq!(field1.self_total, d("10"));
        assert_eq!(field1.proposed_total, d("9"));
        assert_eq!(field1.appraised_total, d("8"));
        assert_eq!(field1.delta(), d("-2"));
        assert_eq!(
            field1,
            node_totals(
                &session.framework,
                session.framework.find("1").unwrap(),
                session.unit_items(0)
            )
        );
        let table = standings(&session, RankMode::Competition, &Bands::default());
        assert_eq!(table[0].totals.appraised_total, d("13"));
        assert_eq!(table[0].index_pct, d("86.67"));
        assert_eq!((table[0].rank, table[1].rank, table[2].rank), (1, 1, 1));
        assert_eq!(
            (
                table[0].group_rank,
                table[1].group_rank,
                table[2].group_rank
            ),
            (1, 1, 1)
        );
        assert_eq!(table[0].band, "B");
    }

    proptest! {
        #[test]
        fn competition_rank_counts_strictly_better(values in proptest::collection::vec(0i64..20, 0..30)) {
            let decimals: Vec<Decimal> = values.iter().map(|&v| Decimal::from(v)).collect();
            let ranks = rank_desc(&decimals, RankMode::Competition);
            for (i, &v) in values.iter().enumerate() {
                let better = values.iter().filter(|&&w| w > v).count() as u32;
                prop_assert_eq!(ranks[i], better + 1);
            }
            let dense = rank_desc(&decimals, RankMode::Dense);
            for (i, &v) in values.iter().enumerate() {
                let mut better: Vec<i64> = values.iter().copied().filter(|&w| w > v).collect();
                better.sort_unstable();
                better.dedup();
                prop_assert_eq!(dense[i], better.len() as u32 + 1);
            }
        }

        #[test]
        fn index_is_within_half_a_hundredth(total in 0i64..100_000, max in 1i64..100_000) {
            let total = Decimal::new(total, 2);
            let max = Decimal::new(max, 2);
            let pct = index_pct(total, max);
            let exact = total * Decimal::ONE_HUNDRED / max;
            prop_assert!((pct - exact).abs() <= Decimal::new(5, 3));
            prop_assert_eq!(pct.scale(), 2);
        }

        #[test]
        fn parsing_round_trips_formatting(units in -1_000_000i64..1_000_000, scale in 0u32..4) {
            let value = Decimal::new(units, scale);
            let vi = crate::domain::score::format_vi(value);
            let dot = crate::domain::score::format_dot(value);
            prop_assert_eq!(crate::domain::score::parse_score(&vi).unwrap(), value);
            prop_assert_eq!(crate::domain::score::parse_score(&dot).unwrap(), value);
        }
    }
}
