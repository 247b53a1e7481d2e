//! View models and the arithmetic behind them: per-unit statistics, the rows of each screen,
//! scrolling. Everything here is plain data, computed on change, never per frame.

use crate::domain::distribution::Bucket;
use crate::domain::rollup::{Totals, all_node_totals, index_pct, rank_desc, unit_totals};
use crate::domain::text::fold_for_search;
use crate::domain::{Bands, NodeId, Progress, RankMode, Session, Status};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One unit's line of the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStats {
    pub totals: Totals,
    pub index_pct: Decimal,
    /// Rank within the unit's group (ties share a rank).
    pub rank: u32,
    pub band: String,
    pub progress: Progress,
    /// Index % of each counted field (see [`SessionStats::fields`]).
    pub field_pcts: Vec<Decimal>,
}

/// Statistics for the whole session, recomputed per unit when one of its items changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionStats {
    pub units: Vec<UnitStats>,
    /// Top-level fields that count towards the maximum, in code order.
    pub fields: Vec<NodeId>,
    /// Groups in order of first appearance.
    pub groups: Vec<String>,
    pub group_of_unit: Vec<usize>,
    pub disputed_total: usize,
    /// How ties rank (the session's setting).
    pub rank_mode: RankMode,
}

impl SessionStats {
    pub fn compute(session: &Session, bands: &Bands) -> SessionStats {
        SessionStats::compute_ranked(session, bands, RankMode::Competition)
    }

    /// As [`SessionStats::compute`], ranking ties by `rank_mode`.
    pub fn compute_ranked(session: &Session, bands: &Bands, rank_mode: RankMode) -> SessionStats {
        let fields: Vec<NodeId> = session
            .framework
            .roots()
            .iter()
            .copied()
            .filter(|&r| !session.framework.node(r).extra)
            .collect();
        let mut groups: Vec<String> = Vec::new();
        let mut group_index: HashMap<&str, usize> = HashMap::new();
        let mut group_of_unit = Vec::with_capacity(session.units.len());
        for unit in &session.units {
            let next = groups.len();
            let g = *group_index.entry(unit.group.as_str()).or_insert(next);
            if g == next {
                groups.push(unit.group.clone());
            }
            group_of_unit.push(g);
        }
        let mut stats = SessionStats {
            units: Vec::with_capacity(session.units.len()),
            fields,
            groups,
            group_of_unit,
            disputed_total: 0,
            rank_mode,
        };
        for u in 0..session.units.len() {
            let unit_stats = stats.unit_stats(session, u, bands);
            stats.units.push(unit_stats);
        }
        stats.rerank(rank_mode);
        stats.disputed_total = stats.units.iter().map(|s| s.progress.open()).sum();
        stats
    }

    fn unit_stats(&self, session: &Session, unit: usize, bands: &Bands) -> UnitStats {
        let items = session.unit_items(unit);
        let totals = unit_totals(&session.framework, items);
        let field_pcts = self
            .fields
            .iter()
            .map(|&f| {
                let range = session.framework.leaf_range(f);
                let appraised: Decimal = items[range].iter().map(|i| i.appraised_points()).sum();
                index_pct(appraised, session.framework.node(f).def.max_points)
            })
            .collect();
        let pct = totals.index_pct();
        UnitStats {
            totals,
            index_pct: pct,
            rank: 0,
            band: bands.classify(pct).to_string(),
            progress: Progress::of(items),
            field_pcts,
        }
    }

    /// Recomputes one unit after its items changed, then the ranks.
    pub fn refresh_unit(&mut self, session: &Session, unit: usize, bands: &Bands) {
        if unit >= self.units.len() {
            return;
        }
        let fresh = self.unit_stats(session, unit, bands);
        self.disputed_total =
            self.disputed_total - self.units[unit].progress.open() + fresh.progress.open();
        self.units[unit] = fresh;
        self.rerank(self.rank_mode);
    }

    fn rerank(&mut self, mode: RankMode) {
        for g in 0..self.groups.len() {
            let members: Vec<usize> = (0..self.units.len())
                .filter(|&u| self.group_of_unit[u] == g)
                .collect();
            let values: Vec<Decimal> = members
                .iter()
                .map(|&u| self.units[u].totals.appraised_total)
                .collect();
            for (&u, rank) in members.iter().zip(rank_desc(&values, mode)) {
                self.units[u].rank = rank;
            }
        }
    }
}

/// How the overview is sorted (within each group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnitSort {
    #[default]
    Rank,
    Name,
    Delta,
    Disputed,
}

impl UnitSort {
    pub fn next(self) -> UnitSort {
        match self {
            UnitSort::Rank => UnitSort::Name,
            UnitSort::Name => UnitSort::Delta,
            UnitSort::Delta => UnitSort::Disputed,
            UnitSort::Disputed => UnitSort::Rank,
        }
    }
}

/// A line of the overview table: a group heading or a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewRow {
    Group(usize),
    Unit(usize),
}

/// The overview's rows: grouped, each group sorted; units without disputes hidden on request,
/// and the units of folded groups (`folded_groups`, by group index) under their heading only.
pub fn overview_rows(
    session: &Session,
    stats: &SessionStats,
    sort: UnitSort,
    disputed_only: bool,
    order: &UnitOrder,
    folded_groups: &[bool],
) -> Vec<OverviewRow> {
    let mut per_group: Vec<Vec<usize>> = vec![Vec::new(); stats.groups.len()];
    for u in 0..session.units.len() {
        if disputed_only && stats.units[u].progress.open() == 0 {
            continue;
        }
        per_group[stats.group_of_unit[u]].push(u);
    }
    let mut rows = Vec::with_capacity(session.units.len() + per_group.len());
    for (g, mut members) in per_group.into_iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        rows.push(OverviewRow::Group(g));
        if folded_groups.get(g).copied().unwrap_or(false) {
            continue;
        }
        let s = &stats.units;
        let code = &order.by_code;
        match sort {
            UnitSort::Rank => sort_by_key(&mut members, |u| (s[u].rank, code[u])),
            UnitSort::Name => sort_by_key(&mut members, |u| order.by_name[u]),
            // Largest cuts first: that is where the council's attention goes.
            UnitSort::Delta => sort_by_key(&mut members, |u| (s[u].totals.delta(), code[u])),
            UnitSort::Disputed => sort_by_key(&mut members, |u| {
                (std::cmp::Reverse(s[u].progress.open()), code[u])
            }),
        }
        rows.extend(members.into_iter().map(OverviewRow::Unit));
    }
    rows
}

/// Sorts units by a key computed once per unit (each key ends in the unit's place by code,
/// so that no two are equal).
fn sort_by_key<K: Ord>(units: &mut [usize], key: impl Fn(usize) -> K) {
    let mut keyed: Vec<(K, usize)> = units.iter().map(|&u| (key(u), u)).collect();
    keyed.sort_unstable();
    for (slot, (_, u)) in units.iter_mut().zip(keyed) {
        *slot = u;
    }
}

/// Each unit's place among the units by code, and by folded name then code: computed once per
/// session, so that sorting 100,000 units compares numbers rather than strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitOrder {
    pub by_code: Vec<u32>,
    pub by_name: Vec<u32>,
}

impl UnitOrder {
    fn build(session: &Session, folded_names: &[String]) -> UnitOrder {
        let units = &session.units;
        let places = |mut order: Vec<usize>| {
            let mut place = vec![0u32; order.len()];
            for (i, u) in order.drain(..).enumerate() {
                place[u] = u32::try_from(i).unwrap_or(u32::MAX);
            }
            place
        };
        let mut by_code: Vec<usize> = (0..units.len()).collect();
        by_code.sort_unstable_by(|&a, &b| units[a].code.cmp(&units[b].code).then(a.cmp(&b)));
        let mut by_name: Vec<usize> = (0..units.len()).collect();
        by_name.sort_unstable_by(|&a, &b| {
            (folded_names[a].cmp(&folded_names[b]))
                .then_with(|| units[a].code.cmp(&units[b].code))
                .then(a.cmp(&b))
        });
        UnitOrder {
            by_code: places(by_code),
            by_name: places(by_name),
        }
    }
}

/// Leaves needing the council below each node of one unit (indexed by node id): disputed, or
/// decided on a self-score that has since changed.
pub fn disputed_per_node(session: &Session, unit: usize) -> Vec<u32> {
    let fw = &session.framework;
    let nodes = fw.nodes();
    let items = session.unit_items(unit);
    let mut counts = vec![0u32; nodes.len()];
    for id in (0..nodes.len()).rev() {
        if let Some(leaf) = nodes[id].leaf_index
            && super::finalise::needs_review(&items[leaf])
        {
            counts[id] += 1;
        }
        if let Some(parent) = nodes[id].parent {
            counts[parent] += counts[id];
        }
    }
    counts
}

/// The visible rows of a unit's criteria tree: pre-order, children of collapsed nodes hidden,
/// and with `disputed_only` only branches that hold a disputed leaf.
pub fn tree_rows(
    session: &Session,
    expanded: &[bool],
    disputed: &[u32],
    disputed_only: bool,
) -> Vec<NodeId> {
    let fw = &session.framework;
    let mut rows = Vec::new();
    let mut stack: Vec<NodeId> = fw.roots().iter().rev().copied().collect();
    while let Some(id) = stack.pop() {
        if disputed_only && disputed.get(id).copied().unwrap_or(0) == 0 {
            continue;
        }
        rows.push(id);
        if expanded.get(id).copied().unwrap_or(false) {
            stack.extend(fw.node(id).children.iter().rev().copied());
        }
    }
    rows
}

/// Totals of every node for one unit.
pub fn unit_node_totals(session: &Session, unit: usize) -> Vec<Totals> {
    all_node_totals(&session.framework, session.unit_items(unit))
}

/// One unit's figures for one criterion (any level), for the comparison screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    pub unit: usize,
    pub self_points: Decimal,
    pub proposal: Option<Decimal>,
    /// The council's decision (leaf), or the appraised total (parent).
    pub council: Option<Decimal>,
    pub appraised: Decimal,
    pub delta: Decimal,
    pub status: Option<Status>,
    pub disputed: u32,
}

/// How the comparison is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompareSort {
    #[default]
    Unit,
    DeltaAscending,
    DeltaDescending,
}

impl CompareSort {
    pub fn next(self) -> CompareSort {
        match self {
            CompareSort::Unit => CompareSort::DeltaAscending,
            CompareSort::DeltaAscending => CompareSort::DeltaDescending,
            CompareSort::DeltaDescending => CompareSort::Unit,
        }
    }
}

/// Min, max and mean of the appraised scores across units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spread {
    pub min: Decimal,
    pub max: Decimal,
    pub mean: Decimal,
}

/// Every unit's figures for a criterion (those with something disputed, on request), the
/// spread of the appraised scores and how many units have each (of every unit).
pub fn compare_rows(
    session: &Session,
    node: NodeId,
    sort: CompareSort,
    disputed_only: bool,
) -> (Vec<CompareRow>, Spread, Vec<Bucket>) {
    let fw = &session.framework;
    let range = fw.leaf_range(node);
    let is_leaf = fw.node(node).is_leaf();
    let mut rows: Vec<CompareRow> = (0..session.units.len())
        .map(|u| {
            let items = &session.unit_items(u)[range.clone()];
            let self_points: Decimal = items.iter().map(|i| i.self_points()).sum();
            let appraised: Decimal = items.iter().map(|i| i.appraised_points()).sum();
            let disputed = items
                .iter()
                .filter(|i| super::finalise::needs_review(i))
                .count() as u32;
            let (proposal, council, status) = match (is_leaf, items.first()) {
                (true, Some(item)) => (item.proposal, item.council, Some(item.status())),
                _ => (
                    Some(items.iter().map(|i| i.proposed_points()).sum()),
                    Some(appraised),
                    None,
                ),
            };
            CompareRow {
                unit: u,
                self_points,
                proposal,
                council,
                appraised,
                delta: appraised - self_points,
                status,
                disputed,
            }
        })
        .collect();
    let spread = if rows.is_empty() {
        Spread::default()
    } else {
        let sum: Decimal = rows.iter().map(|r| r.appraised).sum();
        let mean = crate::domain::score::round_half_up(sum / Decimal::from(rows.len()), 2);
        Spread {
            min: rows.iter().map(|r| r.appraised).min().unwrap_or_default(),
            max: rows.iter().map(|r| r.appraised).max().unwrap_or_default(),
            mean,
        }
    };
    let buckets = super::charts::compare_buckets(session, node, &rows);
    if disputed_only {
        rows.retain(|r| r.disputed > 0);
    }
    match sort {
        CompareSort::Unit => {}
        CompareSort::DeltaAscending => rows.sort_by_key(|r| r.delta),
        CompareSort::DeltaDescending => rows.sort_by_key(|r| std::cmp::Reverse(r.delta)),
    }
    (rows, spread, buckets)
}

/// Folded search keys, built once per session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    /// "code name" of each unit, folded.
    pub units: Vec<String>,
    /// Unit names alone, folded (for sorting by name).
    pub unit_names: Vec<String>,
    /// The units' places by code and by name, for sorting.
    pub unit_order: UnitOrder,
    /// "code title" of each node, folded.
    pub nodes: Vec<String>,
}

impl SearchIndex {
    pub fn build(session: &Session) -> SearchIndex {
        let unit_names: Vec<String> = session
            .units
            .iter()
            .map(|u| fold_for_search(&u.name))
            .collect();
        SearchIndex {
            unit_order: UnitOrder::build(session, &unit_names),
            unit_names,
            units: session
                .units
                .iter()
                .map(|u| fold_for_search(&format!("{} {}", u.code, u.name)))
                .collect(),
            nodes: session
                .framework
                .nodes()
                .iter()
                .map(|n| fold_for_search(&format!("{} {}", n.def.code, n.def.title)))
                .collect(),
        }
    }
}

/// How wide the units' codes and names are on screen (the widest of the first 2000 units,
/// enough to size the columns), measured once per session rather than on every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitWidths {
    pub code: usize,
    pub name: usize,
}

impl UnitWidths {
    pub fn measure(session: &Session) -> UnitWidths {
        use unicode_width::UnicodeWidthStr;
        let widest = |width: fn(&crate::domain::Unit) -> usize| {
            session.units.iter().take(2000).map(width).max()
        };
        UnitWidths {
            code: widest(|u| u.code.width()).unwrap_or(4),
            name: widest(|u| u.name.width()).unwrap_or(20),
        }
    }
}

/// The first row to show so that `selected` is visible in a window of `height` rows, moving
/// as little as possible from `offset`.
pub fn scroll_offset(selected: usize, offset: usize, height: usize, len: usize) -> usize {
    if height == 0 || len == 0 {
        return 0;
    }
    let mut offset = offset.min(len.saturating_sub(height));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset
}

/// Rows each screen's table shows, as the ui laid them out for the terminal's size (the
/// runner reports it with `Action::Viewport`), so that paging moves exactly one screenful.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    pub overview: usize,
    pub scorecard: usize,
    pub compare: usize,
    pub diff: usize,
}

impl Viewport {
    pub fn rows(&self, screen: super::Screen) -> usize {
        match screen {
            super::Screen::Overview => self.overview,
            super::Screen::Scorecard => self.scorecard,
            super::Screen::Compare => self.compare,
            super::Screen::Diff => self.diff,
            // Nothing to page through.
            super::Screen::Dashboard => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_keeps_the_selection_visible() {
        assert_eq!(scroll_offset(0, 0, 10, 100), 0);
        assert_eq!(scroll_offset(9, 0, 10, 100), 0);
        assert_eq!(scroll_offset(10, 0, 10, 100), 1);
        assert_eq!(scroll_offset(5, 20, 10, 100), 5);
        assert_eq!(scroll_offset(99, 0, 10, 100), 90);
        // Shrinking list: the window does not run past the end.
        assert_eq!(scroll_offset(3, 50, 10, 12), 2);
        assert_eq!(scroll_offset(3, 5, 0, 12), 0);
    }

    /// The overview's order as it was defined before the units' places were computed once:
    /// each sort's key, ties by code.
    fn reference_order(session: &Session, stats: &SessionStats, sort: UnitSort) -> Vec<usize> {
        let names: Vec<String> = session
            .units
            .iter()
            .map(|u| fold_for_search(&u.name))
            .collect();
        let s = &stats.units;
        let mut per_group: Vec<Vec<usize>> = vec![Vec::new(); stats.groups.len()];
        for u in 0..session.units.len() {
            per_group[stats.group_of_unit[u]].push(u);
        }
        let code = |a: usize, b: usize| session.units[a].code.cmp(&session.units[b].code);
        for members in &mut per_group {
            members.sort_by(|&a, &b| match sort {
                UnitSort::Rank => s[a].rank.cmp(&s[b].rank).then_with(|| code(a, b)),
                UnitSort::Name => names[a].cmp(&names[b]).then_with(|| code(a, b)),
                UnitSort::Delta => {
                    (s[a].totals.delta().cmp(&s[b].totals.delta())).then_with(|| code(a, b))
                }
                UnitSort::Disputed => {
                    (s[b].progress.open().cmp(&s[a].progress.open())).then_with(|| code(a, b))
                }
            });
        }
        per_group.into_iter().flatten().collect()
    }

    #[test]
    fn every_sort_orders_units_by_its_key_then_by_code() {
        let mut session = crate::app::sample::synthetic_session(60);
        let names = ["Đà Nẵng", "Da Nang", "An Giang", "Ấp Bắc"];
        for (i, unit) in session.units.iter_mut().enumerate() {
            // Codes in the opposite order to the units', names repeating (with and without
            // accents), so that ties are broken by code and never by position.
            unit.code = format!("U{:03}", 100 - i);
            unit.name = names[i % names.len()].to_string();
        }
        for u in 0..session.units.len() {
            for leaf in (u % 5..session.leaf_count()).step_by(7) {
                session.item_mut(u, leaf).council = Some(Decimal::ZERO);
            }
        }
        let stats = SessionStats::compute(&session, &Bands::default());
        let order = SearchIndex::build(&session).unit_order;
        for sort in [
            UnitSort::Rank,
            UnitSort::Name,
            UnitSort::Delta,
            UnitSort::Disputed,
        ] {
            let rows = overview_rows(&session, &stats, sort, false, &order, &[]);
            let units: Vec<usize> = rows
                .iter()
                .filter_map(|r| match r {
                    OverviewRow::Unit(u) => Some(*u),
                    OverviewRow::Group(_) => None,
                })
                .collect();
            assert_eq!(units, reference_order(&session, &stats, sort), "{sort:?}");
        }
    }
}
