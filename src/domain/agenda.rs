//! The meeting's agenda: an ordered list of items to discuss (a unit × criterion, or a whole
//! unit), built from the disputed items and edited by the secretariat. Pure: no SQL, no files.
//!
//! An item counts as *discussed* once it is decided: for a leaf, its status is agreed or
//! adjusted and the decision is not stale; for a parent criterion or a whole unit, none of its
//! leaves is still disputed or stale. Moving past an item does not mark it: what was skipped
//! stays in the "left" count, so nothing is forgotten.

use super::criteria::NodeId;
use super::session::{ItemState, Session};
use rust_decimal::Decimal;

/// How a built agenda is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgendaOrder {
    /// By unit (the session's order), then criterion code.
    #[default]
    Unit,
    /// Largest |Δ| first (Δ = proposal − self for undecided items, appraised − self for stale
    /// decisions); ties by unit, then criterion.
    Delta,
    /// Grouped by field (top-level criterion), then unit, then criterion: the member who owns a
    /// field speaks to all of it at once.
    Field,
}

impl AgendaOrder {
    pub fn parse(text: &str) -> Option<AgendaOrder> {
        match text.trim().to_lowercase().as_str() {
            "unit" | "don-vi" | "đơn vị" => Some(AgendaOrder::Unit),
            "delta" | "Δ" => Some(AgendaOrder::Delta),
            "field" | "linh-vuc" | "lĩnh vực" => Some(AgendaOrder::Field),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgendaOrder::Unit => "unit",
            AgendaOrder::Delta => "delta",
            AgendaOrder::Field => "field",
        }
    }
}

/// One agenda entry: a unit, and a criterion node within it (None: the whole unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgendaItem {
    pub unit: usize,
    pub node: Option<NodeId>,
}

impl AgendaItem {
    pub fn leaf(session: &Session, unit: usize, leaf: usize) -> AgendaItem {
        AgendaItem {
            unit,
            node: Some(session.framework.leaves()[leaf]),
        }
    }

    /// The unit's code and the criterion's code ("" for a whole unit).
    pub fn codes(&self, session: &Session) -> (String, Option<String>) {
        let unit = session
            .units
            .get(self.unit)
            .map(|u| u.code.clone())
            .unwrap_or_default();
        let criterion = self
            .node
            .map(|n| session.framework.node(n).code().to_string());
        (unit, criterion)
    }

    /// The leaf indices the item covers.
    pub fn leaves(&self, session: &Session) -> std::ops::Range<usize> {
        match self.node {
            Some(node) => session.framework.leaf_range(node),
            None => 0..session.leaf_count(),
        }
    }
}

/// Why a pair of codes does not name an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaCodeError {
    UnknownUnit(String),
    UnknownCriterion(String),
}

/// Finds the item named by a unit code and a criterion code (empty or None: the whole unit).
pub fn resolve(
    session: &Session,
    unit_code: &str,
    criterion_code: Option<&str>,
) -> Result<AgendaItem, AgendaCodeError> {
    let unit = session
        .unit_index(unit_code)
        .ok_or_else(|| AgendaCodeError::UnknownUnit(unit_code.trim().to_string()))?;
    let node = match criterion_code.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(code) => Some(
            session
                .framework
                .find(code)
                .ok_or_else(|| AgendaCodeError::UnknownCriterion(code.to_string()))?,
        ),
    };
    Ok(AgendaItem { unit, node })
}

/// Whether an item needs the council's attention: disputed, or decided on a self-score that
/// has since changed.
pub fn needs_discussion(item: &ItemState) -> bool {
    item.status().is_open() || (item.decision_stale && item.status().is_decided())
}

/// |Δ| used to order the agenda: proposal − self while undecided, appraised − self otherwise.
pub fn abs_delta(item: &ItemState) -> Decimal {
    let delta = if item.council.is_some() {
        item.delta()
    } else {
        item.proposed_points() - item.self_points()
    };
    delta.abs()
}

/// Whether an agenda item has been dealt with (see the module comment).
pub fn is_discussed(session: &Session, item: &AgendaItem) -> bool {
    if item.unit >= session.units.len() {
        return true;
    }
    let leaves = item.leaves(session);
    if let Some(node) = item.node
        && session.framework.node(node).is_leaf()
    {
        let state = session.item(item.unit, leaves.start);
        return state.status().is_decided() && !state.decision_stale;
    }
    !leaves
        .into_iter()
        .any(|leaf| needs_discussion(session.item(item.unit, leaf)))
}

/// The agenda built from every item that needs discussion, in the given order.
pub fn build(session: &Session, order: AgendaOrder) -> Vec<AgendaItem> {
    let framework = &session.framework;
    // (unit, leaf) in unit-major order: already the Unit order.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for unit in 0..session.units.len() {
        for (leaf, state) in session.unit_items(unit).iter().enumerate() {
            if needs_discussion(state) {
                found.push((unit, leaf));
            }
        }
    }
    match order {
        AgendaOrder::Unit => {}
        // Stable sorts keep the unit-major order among equals.
        AgendaOrder::Delta => {
            found.sort_by_key(|&(u, l)| std::cmp::Reverse(abs_delta(session.item(u, l))))
        }
        AgendaOrder::Field => {
            let field_position = |leaf: usize| {
                let field = framework.field_of(framework.leaves()[leaf]);
                framework.roots().iter().position(|&r| r == field)
            };
            found.sort_by_key(|&(_, l)| field_position(l));
        }
    }
    found
        .into_iter()
        .map(|(u, l)| AgendaItem::leaf(session, u, l))
        .collect()
}

/// An ordered agenda with the edits the secretariat makes to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    pub items: Vec<AgendaItem>,
}

impl Agenda {
    pub fn new(items: Vec<AgendaItem>) -> Agenda {
        Agenda { items }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, position: usize) -> Option<&AgendaItem> {
        self.items.get(position)
    }

    pub fn position_of(&self, item: &AgendaItem) -> Option<usize> {
        self.items.iter().position(|i| i == item)
    }

    /// The agenda position that best matches what the screen shows: the item itself, else the
    /// entry for its unit as a whole.
    pub fn position_for_screen(
        &self,
        session: &Session,
        unit: usize,
        leaf: Option<usize>,
    ) -> Option<usize> {
        if let Some(leaf) = leaf {
            let exact = AgendaItem::leaf(session, unit, leaf);
            if let Some(p) = self.position_of(&exact) {
                return Some(p);
            }
            // A parent criterion on the agenda covers its leaves.
            if let Some(p) = self.items.iter().position(|i| {
                i.unit == unit && i.node.is_some() && i.leaves(session).contains(&leaf)
            }) {
                return Some(p);
            }
        }
        self.position_of(&AgendaItem { unit, node: None })
    }

    /// Moves an entry one place up; returns its new position.
    pub fn move_up(&mut self, position: usize) -> Option<usize> {
        if position == 0 || position >= self.items.len() {
            return None;
        }
        self.items.swap(position, position - 1);
        Some(position - 1)
    }

    /// Moves an entry one place down; returns its new position.
    pub fn move_down(&mut self, position: usize) -> Option<usize> {
        if position + 1 >= self.items.len() {
            return None;
        }
        self.items.swap(position, position + 1);
        Some(position + 1)
    }

    pub fn remove(&mut self, position: usize) -> Option<AgendaItem> {
        (position < self.items.len()).then(|| self.items.remove(position))
    }

    /// Inserts an item after `after` (or at the end); an item already on the agenda is not
    /// added twice: `Err` holds where it is.
    pub fn add(&mut self, item: AgendaItem, after: Option<usize>) -> Result<usize, usize> {
        if let Some(existing) = self.position_of(&item) {
            return Err(existing);
        }
        let at = after.map_or(self.items.len(), |p| (p + 1).min(self.items.len()));
        self.items.insert(at, item);
        Ok(at)
    }

    /// How many entries are not yet discussed.
    pub fn remaining(&self, session: &Session) -> usize {
        self.items
            .iter()
            .filter(|i| !is_discussed(session, i))
            .count()
    }

    /// The positions after `from` (or from the start when None), up to `count` of them.
    pub fn following(&self, from: Option<usize>, count: usize) -> Vec<usize> {
        let start = from.map_or(0, |p| p + 1);
        (start..self.items.len()).take(count).collect()
    }
}

/// Where the meeting's leader is, as published for followers through the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaderPosition {
    pub leader: String,
    pub unit_code: Option<String>,
    /// The criterion node on the leader's screen (a leaf, a parent) or None.
    pub criterion_code: Option<String>,
    /// "overview", "scorecard", "compare" or "dashboard".
    pub screen: String,
    pub presenting: bool,
    pub agenda_position: Option<usize>,
    /// When the leader reached the current agenda item (Unix seconds).
    pub item_started_unix: Option<i64>,
}

/// A meeting clock: minutes and seconds ("07:05"), hours past an hour ("1:15:00").
pub fn format_mm_ss(seconds: i64) -> String {
    super::time::format_duration(seconds)
}

/// An agenda entry as saved or read from a file: the item and its time budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaEntry {
    pub item: AgendaItem,
    pub budget_seconds: Option<u32>,
}

/// The longest budget an agenda item can have: a day.
pub const MAX_BUDGET_MINUTES: u32 = 24 * 60;

/// Why a text is not a time budget (the text as given; messages/domain.rs says it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    NotMinutes(String),
    NotPositive(String),
    TooLong(String),
}

/// A time budget given in minutes ("3", "1,5", "0.5"), in whole seconds.
pub fn parse_budget_minutes(text: &str) -> Result<u32, BudgetError> {
    let trimmed = text.trim();
    let plain = trimmed.replace(',', ".");
    let digits_only = !plain.is_empty()
        && plain.chars().all(|c| c.is_ascii_digit() || c == '.')
        && plain.matches('.').count() <= 1
        && plain.chars().any(|c| c.is_ascii_digit());
    let minutes = digits_only
        .then(|| plain.parse::<Decimal>().ok())
        .flatten()
        .ok_or_else(|| BudgetError::NotMinutes(trimmed.to_string()))?;
    if minutes > Decimal::from(MAX_BUDGET_MINUTES) {
        return Err(BudgetError::TooLong(trimmed.to_string()));
    }
    let seconds = (minutes * Decimal::from(60)).round();
    match rust_decimal::prelude::ToPrimitive::to_u32(&seconds) {
        Some(seconds) if seconds > 0 => Ok(seconds),
        _ => Err(BudgetError::NotPositive(trimmed.to_string())),
    }
}

/// Where an item stands against its budget after `elapsed` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetClock {
    /// Seconds left.
    Left(i64),
    /// Seconds over.
    Over(i64),
}

impl BudgetClock {
    pub fn of(elapsed: i64, budget_seconds: u32) -> BudgetClock {
        let left = i64::from(budget_seconds) - elapsed.max(0);
        if left >= 0 {
            BudgetClock::Left(left)
        } else {
            BudgetClock::Over(-left)
        }
    }
}

/// A budget's time as people say it: "1:20", "0:35", past an hour "1:15:00".
pub fn format_m_ss(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Code, CriterionDef, CriterionKind, Framework, Unit};
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn def(code: &str, max: &str) -> CriterionDef {
        CriterionDef {
            code: Code::parse(code).unwrap(),
            title: format!("Tiêu chí {code}"),
            max_points: d(max),
            min_points: Decimal::ZERO,
            step: None,
            kind: CriterionKind::Score,
            rule: String::new(),
        }
    }

    /// Two fields (1: leaves 1.1, 1.2; 2: leaves 2.1, 2.2), three units.
    fn session() -> Session {
        let framework = Framework::build(vec![
            def("1", "4"),
            def("1.1", "2"),
            def("1.2", "2"),
            def("2", "6"),
            def("2.1", "3"),
            def("2.2", "3"),
        ])
        .unwrap();
        let units = ["B", "A", "C"]
            .iter()
            .map(|c| Unit {
                code: c.to_string(),
                name: format!("Đơn vị {c}"),
                group: String::new(),
            })
            .collect();
        let mut s = Session::new(framework, units);
        for item in &mut s.items {
            item.self_score = Some(d("2"));
        }
        // B: 2.2 cut by 2 (|Δ| 2); 1.1 cut by 0.5.
        s.item_mut(0, 3).proposal = Some(d("0"));
        s.item_mut(0, 0).proposal = Some(d("1.5"));
        // A: 2.1 raised by 1; 1.2 flagged (Δ 0).
        s.item_mut(1, 2).proposal = Some(d("3"));
        s.item_mut(1, 1).flagged = true;
        // C: 1.1 decided, but on a self-score that has since changed (stale).
        s.item_mut(2, 0).council = Some(d("1"));
        s.item_mut(2, 0).decision_stale = true;
        // C: 2.1 decided and current: not on the agenda.
        s.item_mut(2, 2).council = Some(d("2"));
        s
    }

    fn names(session: &Session, items: &[AgendaItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| {
                let (u, c) = i.codes(session);
                format!("{u} {}", c.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn builds_in_unit_order_from_disputed_and_stale_items() {
        let s = session();
        let agenda = build(&s, AgendaOrder::Unit);
        assert_eq!(
            names(&s, &agenda),
            ["B 1.1", "B 2.2", "A 1.2", "A 2.1", "C 1.1"]
        );
    }

    #[test]
    fn builds_largest_delta_first() {
        let s = session();
        let agenda = build(&s, AgendaOrder::Delta);
        // |Δ|: B 2.2 = 2, A 2.1 = 1, C 1.1 = 1 (appraised − self), B 1.1 = 0.5, A 1.2 = 0.
        assert_eq!(
            names(&s, &agenda),
            ["B 2.2", "A 2.1", "C 1.1", "B 1.1", "A 1.2"]
        );
    }

    #[test]
    fn builds_grouped_by_field() {
        let s = session();
        let agenda = build(&s, AgendaOrder::Field);
        assert_eq!(
            names(&s, &agenda),
            ["B 1.1", "A 1.2", "C 1.1", "B 2.2", "A 2.1"]
        );
    }

    #[test]
    fn orders_parse_from_their_names() {
        for order in [AgendaOrder::Unit, AgendaOrder::Delta, AgendaOrder::Field] {
            assert_eq!(AgendaOrder::parse(order.as_str()), Some(order));
        }
        assert_eq!(AgendaOrder::parse(" Field "), Some(AgendaOrder::Field));
        assert_eq!(AgendaOrder::parse("size"), None);
    }

    #[test]
    fn resolves_codes_to_items() {
        let s = session();
        let item = resolve(&s, " A ", Some("2.1")).unwrap();
        assert_eq!(item, AgendaItem::leaf(&s, 1, 2));
        assert_eq!(resolve(&s, "C", Some("")).unwrap().node, None);
        assert_eq!(resolve(&s, "C", None).unwrap().unit, 2);
        let field = resolve(&s, "B", Some("2")).unwrap();
        assert_eq!(field.leaves(&s), 2..4);
        assert_eq!(
            resolve(&s, "Z", None),
            Err(AgendaCodeError::UnknownUnit("Z".into()))
        );
        assert_eq!(
            resolve(&s, "A", Some("9.9")),
            Err(AgendaCodeError::UnknownCriterion("9.9".into()))
        );
    }

    #[test]
    fn editing_moves_removes_and_adds_without_duplicates() {
        let s = session();
        let mut agenda = Agenda::new(build(&s, AgendaOrder::Unit));
        assert_eq!(agenda.move_up(0), None);
        assert_eq!(agenda.move_down(0), Some(1));
        assert_eq!(names(&s, &agenda.items)[..2], ["B 2.2", "B 1.1"]);
        assert_eq!(agenda.move_up(1), Some(0));
        assert_eq!(agenda.move_down(4), None);
        let removed = agenda.remove(4).unwrap();
        assert_eq!(names(&s, &[removed]), ["C 1.1"]);
        assert_eq!(agenda.remove(4), None);
        let whole_unit = AgendaItem {
            unit: 2,
            node: None,
        };
        assert_eq!(agenda.add(whole_unit, Some(0)), Ok(1));
        assert_eq!(agenda.add(whole_unit, None), Err(1));
        assert_eq!(agenda.add(removed, None), Ok(5));
        assert_eq!(agenda.len(), 6);
        assert_eq!(agenda.following(Some(3), 2), vec![4, 5]);
        assert_eq!(agenda.following(Some(4), 2), vec![5]);
        assert_eq!(agenda.following(None, 2), vec![0, 1]);
    }

    #[test]
    fn an_item_is_discussed_once_decided_and_current() {
        let mut s = session();
        let agenda = Agenda::new(build(&s, AgendaOrder::Unit));
        assert_eq!(agenda.remaining(&s), 5);
        // Deciding B 2.2 (adjusted) discusses it.
        s.item_mut(0, 3).council = Some(d("1"));
        assert!(is_discussed(&s, &AgendaItem::leaf(&s, 0, 3)));
        assert_eq!(agenda.remaining(&s), 4);
        // A stale decision is not discussed until it is decided again.
        assert!(!is_discussed(&s, &AgendaItem::leaf(&s, 2, 0)));
        s.item_mut(2, 0).decision_stale = false;
        assert!(is_discussed(&s, &AgendaItem::leaf(&s, 2, 0)));
        // A whole unit is discussed when none of its leaves needs discussion.
        let unit_b = AgendaItem {
            unit: 0,
            node: None,
        };
        assert!(!is_discussed(&s, &unit_b));
        s.item_mut(0, 0).council = Some(d("2"));
        assert!(is_discussed(&s, &unit_b));
        // A pending leaf added by hand is discussed only when decided.
        let pending = AgendaItem::leaf(&s, 2, 1);
        assert!(!is_discussed(&s, &pending));
    }

    #[test]
    fn the_screen_maps_to_the_closest_agenda_entry() {
        let s = session();
        let field_two = s.framework.find("2").unwrap();
        let agenda = Agenda::new(vec![
            AgendaItem::leaf(&s, 0, 0),
            AgendaItem {
                unit: 1,
                node: Some(field_two),
            },
            AgendaItem {
                unit: 2,
                node: None,
            },
        ]);
        assert_eq!(agenda.position_for_screen(&s, 0, Some(0)), Some(0));
        assert_eq!(agenda.position_for_screen(&s, 0, Some(1)), None);
        assert_eq!(agenda.position_for_screen(&s, 1, Some(3)), Some(1));
        assert_eq!(agenda.position_for_screen(&s, 2, Some(3)), Some(2));
        assert_eq!(agenda.position_for_screen(&s, 2, None), Some(2));
    }

    #[test]
    fn budgets_read_minutes_with_a_comma_or_a_dot() {
        assert_eq!(parse_budget_minutes("3"), Ok(180));
        assert_eq!(parse_budget_minutes(" 1,5 "), Ok(90));
        assert_eq!(parse_budget_minutes("0.5"), Ok(30));
        assert_eq!(parse_budget_minutes("1440"), Ok(86_400));
        for bad in ["", "ba", "1e3", "-2", "1.2.3", "½", "1 000", "."] {
            assert!(
                matches!(parse_budget_minutes(bad), Err(BudgetError::NotMinutes(_))),
                "{bad}"
            );
        }
        assert_eq!(
            parse_budget_minutes("0"),
            Err(BudgetError::NotPositive("0".into()))
        );
        assert_eq!(
            parse_budget_minutes("0,001"),
            Err(BudgetError::NotPositive("0,001".into()))
        );
        assert_eq!(
            parse_budget_minutes("1441"),
            Err(BudgetError::TooLong("1441".into()))
        );
    }

    #[test]
    fn the_budget_clock_counts_down_then_over() {
        assert_eq!(BudgetClock::of(100, 180), BudgetClock::Left(80));
        assert_eq!(BudgetClock::of(180, 180), BudgetClock::Left(0));
        assert_eq!(BudgetClock::of(215, 180), BudgetClock::Over(35));
        assert_eq!(BudgetClock::of(-5, 60), BudgetClock::Left(60));
        assert_eq!(format_m_ss(80), "1:20");
        assert_eq!(format_m_ss(35), "0:35");
        assert_eq!(format_m_ss(4500), "1:15:00");
    }

    #[test]
    fn clock_text_is_minutes_and_seconds() {
        assert_eq!(format_mm_ss(0), "00:00");
        assert_eq!(format_mm_ss(425), "07:05");
        assert_eq!(format_mm_ss(4500), "1:15:00");
        assert_eq!(format_mm_ss(-3), "00:00");
    }
}
