//! The criteria framework: a tree of fields → criteria → sub-criteria, built from dotted codes.

use super::text::Excerpt;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

/// The deepest level a framework may have (field = 1).
pub const MAX_DEPTH: usize = 5;

/// A dotted criterion code such as "2.1.3", compared numerically segment by segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code(Vec<u32>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    Empty,
    Malformed(Excerpt),
    TooDeep(Excerpt),
}

impl Code {
    pub fn parse(text: &str) -> Result<Code, CodeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CodeError::Empty);
        }
        let quoted = || super::text::excerpt(text, super::text::EXCERPT_CHARS);
        let malformed = || CodeError::Malformed(quoted());
        let mut segments = Vec::new();
        for part in text.split('.') {
            let valid = !part.is_empty()
                && part.len() <= 6
                && part.bytes().all(|b| b.is_ascii_digit())
                && !(part.len() > 1 && part.starts_with('0'))
                && part != "0";
            if !valid {
                return Err(malformed());
            }
            segments.push(part.parse::<u32>().map_err(|_| malformed())?);
        }
        if segments.len() > MAX_DEPTH {
            return Err(CodeError::TooDeep(quoted()));
        }
        Ok(Code(segments))
    }

    pub fn depth(&self) -> usize {
        self.0.len()
    }

    pub fn parent(&self) -> Option<Code> {
        (self.0.len() > 1).then(|| Code(self.0[..self.0.len() - 1].to_vec()))
    }

    /// The field (top-level) code this code belongs to.
    pub fn field(&self) -> Code {
        Code(vec![self.0[0]])
    }

    pub fn is_within(&self, ancestor: &Code) -> bool {
        self.0.len() >= ancestor.0.len() && self.0[..ancestor.0.len()] == ancestor.0[..]
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self
            .0
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        f.pad(&text)
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// How a node's points come about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CriterionKind {
    /// Self-scored by the unit, appraised by the council.
    #[default]
    Score,
    /// Points come from the sociological survey file, not self-scored.
    Survey,
    /// Capped extra points, outside the maximum.
    Bonus,
    /// Capped deducted points (min < 0), outside the maximum.
    Penalty,
}

impl CriterionKind {
    pub fn parse(text: &str) -> Option<CriterionKind> {
        match text.trim().to_lowercase().as_str() {
            "" | "score" | "diem" | "điểm" => Some(CriterionKind::Score),
            "survey" | "dieu_tra" | "điều tra" | "khảo sát" => Some(CriterionKind::Survey),
            "bonus" | "thuong" | "thưởng" | "điểm thưởng" => Some(CriterionKind::Bonus),
            "penalty" | "tru" | "trừ" | "điểm trừ" | "phạt" => {
                Some(CriterionKind::Penalty)
            }
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CriterionKind::Score => "score",
            CriterionKind::Survey => "survey",
            CriterionKind::Bonus => "bonus",
            CriterionKind::Penalty => "penalty",
        }
    }

    /// Bonus and penalty points sit outside the maximum.
    pub fn is_extra(self) -> bool {
        matches!(self, CriterionKind::Bonus | CriterionKind::Penalty)
    }
}

/// One row of the criteria file, before the tree is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionDef {
    pub code: Code,
    pub title: String,
    pub max_points: Decimal,
    pub min_points: Decimal,
    pub step: Option<Decimal>,
    pub kind: CriterionKind,
    pub rule: String,
}

/// Index of a node inside its framework.
pub type NodeId = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub def: CriterionDef,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// Position among the framework's leaves, for leaves.
    pub leaf_index: Option<usize>,
    /// Extra (bonus/penalty) nodes do not count towards their parent's maximum.
    pub extra: bool,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
    pub fn code(&self) -> &Code {
        &self.def.code
    }
}

/// Why a set of criterion rows does not form a valid framework. Each names the code it is about,
/// so an importer can point at the row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameworkError {
    Empty,
    DuplicateCode {
        code: Code,
    },
    MissingParent {
        code: Code,
        parent: Code,
    },
    MaxBelowMin {
        code: Code,
        max: Decimal,
        min: Decimal,
    },
    StepNotPositive {
        code: Code,
        step: Decimal,
    },
    StepDoesNotDivide {
        code: Code,
        step: Decimal,
        range: Decimal,
    },
    ParentMaxMismatch {
        code: Code,
        declared: Decimal,
        children_sum: Decimal,
    },
}

impl FrameworkError {
    pub fn code(&self) -> Option<&Code> {
        match self {
            FrameworkError::Empty => None,
            FrameworkError::DuplicateCode { code }
            | FrameworkError::MissingParent { code, .. }
            | FrameworkError::MaxBelowMin { code, .. }
            | FrameworkError::StepNotPositive { code, .. }
            | FrameworkError::StepDoesNotDivide { code, .. }
            | FrameworkError::ParentMaxMismatch { code, .. } => Some(code),
        }
    }
}

/// A validated criteria tree. Nodes are stored in code order (depth-first pre-order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framework {
    nodes: Vec<Node>,
    by_code: HashMap<String, NodeId>,
    roots: Vec<NodeId>,
    leaves: Vec<NodeId>,
    maximum: Decimal,
}

/// Drops repeated codes (sorted `defs`), and checks that every parent exists and every
/// range is sound.
fn check_defs(defs: &mut Vec<CriterionDef>) -> Vec<FrameworkError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    defs.retain(|def| {
        if seen.insert(def.code.clone()) {
            true
        } else {
            errors.push(FrameworkError::DuplicateCode {
                code: def.code.clone(),
            });
            false
        }
    });
    let codes: std::collections::HashSet<Code> = defs.iter().map(|d| d.code.clone()).collect();
    for def in defs.iter() {
        if let Some(parent) = def.code.parent()
            && !codes.contains(&parent)
        {
            errors.push(FrameworkError::MissingParent {
                code: def.code.clone(),
                parent,
            });
        }
        check_range(def, &mut errors);
    }
    errors
}

/// The nodes of sorted, checked `defs`, their ids by code, and the roots. Sorted codes are a
/// pre-order walk of the tree, so parents come before children.
fn tree_of(defs: Vec<CriterionDef>) -> (Vec<Node>, HashMap<String, NodeId>, Vec<NodeId>) {
    let mut nodes: Vec<Node> = Vec::with_capacity(defs.len());
    let mut by_code: HashMap<String, NodeId> = HashMap::with_capacity(defs.len());
    let mut roots = Vec::new();
    for def in defs {
        let id = nodes.len();
        let parent = def
            .code
            .parent()
            .and_then(|p| by_code.get(&p.to_string()).copied());
        match parent {
            Some(p) => nodes[p].children.push(id),
            None => roots.push(id),
        }
        by_code.insert(def.code.to_string(), id);
        nodes.push(Node {
            def,
            parent,
            children: Vec::new(),
            leaf_index: None,
            extra: false,
        });
    }
    (nodes, by_code, roots)
}

/// Marks the extra (bonus and penalty) subtrees and checks that each parent's maximum is the
/// sum of its counted children's, bottom-up: children have larger ids than parents.
fn mark_extra_and_check_sums(nodes: &mut [Node]) -> Vec<FrameworkError> {
    let mut errors = Vec::new();
    for id in (0..nodes.len()).rev() {
        let node = &nodes[id];
        let extra = node.def.kind.is_extra()
            || (!node.children.is_empty() && node.children.iter().all(|&c| nodes[c].extra));
        nodes[id].extra = extra;
        if nodes[id].children.is_empty() {
            continue;
        }
        let counted: Vec<NodeId> = if extra {
            nodes[id].children.clone()
        } else {
            nodes[id]
                .children
                .iter()
                .copied()
                .filter(|&c| !nodes[c].extra)
                .collect()
        };
        let sum: Decimal = counted.iter().map(|&c| nodes[c].def.max_points).sum();
        if sum != nodes[id].def.max_points {
            errors.push(FrameworkError::ParentMaxMismatch {
                code: nodes[id].def.code.clone(),
                declared: nodes[id].def.max_points,
                children_sum: sum,
            });
        }
    }
    errors
}

impl Framework {
    /// Builds and validates the tree. The order of `defs` does not matter. All problems are
    /// reported, not just the first.
    pub fn build(mut defs: Vec<CriterionDef>) -> Result<Framework, Vec<FrameworkError>> {
        if defs.is_empty() {
            return Err(vec![FrameworkError::Empty]);
        }
        defs.sort_by(|a, b| a.code.cmp(&b.code));
        let errors = check_defs(&mut defs);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (mut nodes, by_code, roots) = tree_of(defs);
        let mut errors = mark_extra_and_check_sums(&mut nodes);
        if !errors.is_empty() {
            errors.reverse();
            return Err(errors);
        }
        let mut leaves = Vec::new();
        for (id, node) in nodes.iter_mut().enumerate() {
            if node.children.is_empty() {
                node.leaf_index = Some(leaves.len());
                leaves.push(id);
            }
        }
        let maximum = roots
            .iter()
            .filter(|&&r| !nodes[r].extra)
            .map(|&r| nodes[r].def.max_points)
            .sum();
        Ok(Framework {
            nodes,
            by_code,
            roots,
            leaves,
            maximum,
        })
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
    pub fn roots(&self) -> &[NodeId] {
        &self.roots
    }
    /// Leaf node ids in code order.
    pub fn leaves(&self) -> &[NodeId] {
        &self.leaves
    }
    pub fn leaf(&self, leaf_index: usize) -> &Node {
        &self.nodes[self.leaves[leaf_index]]
    }
    pub fn find(&self, code: &str) -> Option<NodeId> {
        self.by_code.get(code.trim()).copied()
    }
    /// The leaf index of a leaf code; None for unknown codes and for parents.
    pub fn leaf_index_of(&self, code: &str) -> Option<usize> {
        self.find(code).and_then(|id| self.nodes[id].leaf_index)
    }
    /// The session's maximum (100 for the PAR INDEX): fields that are not bonus/penalty.
    pub fn maximum(&self) -> Decimal {
        self.maximum
    }
    /// Leaf indices under a node (the node itself if it is a leaf), as a contiguous range:
    /// nodes are in pre-order, so a subtree's leaves are adjacent.
    pub fn leaf_range(&self, id: NodeId) -> std::ops::Range<usize> {
        let mut first = id;
        while let Some(&c) = self.nodes[first].children.first() {
            first = c;
        }
        let mut last = id;
        while let Some(&c) = self.nodes[last].children.last() {
            last = c;
        }
        let start = self.nodes[first].leaf_index.unwrap_or(0);
        let end = self.nodes[last].leaf_index.map_or(start, |i| i + 1);
        start..end
    }
    /// The top-level ancestor (field) of a node.
    pub fn field_of(&self, mut id: NodeId) -> NodeId {
        while let Some(p) = self.nodes[id].parent {
            id = p;
        }
        id
    }
    /// Definitions in code order, e.g. for storing.
    pub fn defs(&self) -> impl Iterator<Item = &CriterionDef> {
        self.nodes.iter().map(|n| &n.def)
    }
}

fn check_range(def: &CriterionDef, errors: &mut Vec<FrameworkError>) {
    if def.max_points < def.min_points {
        errors.push(FrameworkError::MaxBelowMin {
            code: def.code.clone(),
            max: def.max_points,
            min: def.min_points,
        });
        return;
    }
    if let Some(step) = def.step {
        if step <= Decimal::ZERO {
            errors.push(FrameworkError::StepNotPositive {
                code: def.code.clone(),
                step,
            });
        } else {
            let range = def.max_points - def.min_points;
            if !(range % step).is_zero() {
                errors.push(FrameworkError::StepDoesNotDivide {
                    code: def.code.clone(),
                    step,
                    range,
                });
            }
        }
    }
}

/// Why a score does not fit a leaf.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreRangeError {
    AboveMax {
        code: String,
        score: Decimal,
        max: Decimal,
    },
    BelowMin {
        code: String,
        score: Decimal,
        min: Decimal,
    },
    OffStep {
        code: String,
        score: Decimal,
        step: Decimal,
        min: Decimal,
    },
}

impl CriterionDef {
    /// A score must lie in [min, max] and sit on the step.
    pub fn check_score(&self, score: Decimal) -> Result<(), ScoreRangeError> {
        // The code is written out only for an error: an import checks a million scores.
        let code = || self.code.to_string();
        if score > self.max_points {
            return Err(ScoreRangeError::AboveMax {
                code: code(),
                score,
                max: self.max_points,
            });
        }
        if score < self.min_points {
            return Err(ScoreRangeError::BelowMin {
                code: code(),
                score,
                min: self.min_points,
            });
        }
        if let Some(step) = self.step
            && step > Decimal::ZERO
            && !((score - self.min_points) % step).is_zero()
        {
            return Err(ScoreRangeError::OffStep {
                code: code(),
                score,
                step,
                min: self.min_points,
            });
        }
        Ok(())
    }

    /// A unit's claimed self-score brought into this leaf's range when it breaks the rule:
    /// clamped to min..=max, then down onto the step. None when the claim is valid, and for
    /// survey leaves (their points come from the survey, not from the unit).
    pub fn claim_in_range(&self, claim: Decimal) -> Option<Decimal> {
        if self.kind == CriterionKind::Survey || self.check_score(claim).is_ok() {
            return None;
        }
        let clamped = claim.clamp(self.min_points, self.max_points);
        let on_step = match self.step {
            Some(step) if step > Decimal::ZERO => {
                self.min_points + ((clamped - self.min_points) / step).floor() * step
            }
            _ => clamped,
        };
        Some(on_step.normalize())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::str::FromStr;

    pub(crate) fn def(code: &str, max: &str) -> CriterionDef {
        CriterionDef {
            code: Code::parse(code).unwrap(),
            title: format!("Tiêu chí {code}"),
            max_points: Decimal::from_str(max).unwrap(),
            min_points: Decimal::ZERO,
            step: None,
            kind: CriterionKind::Score,
            rule: String::new(),
        }
    }

    #[test]
    fn a_claim_that_breaks_the_rule_is_brought_into_range() {
        let d = |t: &str| Decimal::from_str(t).unwrap();
        let mut leaf = def("1.1", "4");
        leaf.step = Some(d("0.5"));
        assert_eq!(leaf.claim_in_range(d("3.5")), None);
        assert_eq!(leaf.claim_in_range(d("5")), Some(d("4")));
        assert_eq!(leaf.claim_in_range(d("-1")), Some(d("0")));
        assert_eq!(leaf.claim_in_range(d("2.7")), Some(d("2.5")));
        let mut penalty = def("9.1", "0");
        penalty.min_points = d("-2");
        penalty.step = Some(d("0.5"));
        assert_eq!(penalty.claim_in_range(d("-3")), Some(d("-2")));
        assert_eq!(penalty.claim_in_range(d("-1.2")), Some(d("-1.5")));
        let mut survey = def("8.1", "1");
        survey.kind = CriterionKind::Survey;
        assert_eq!(survey.claim_in_range(d("5")), None);
    }

    #[test]
    fn codes_parse_and_order_numerically() {
        assert!(Code::parse("1.2.3").is_ok());
        for bad in [
            "",
            "1..2",
            "1.a",
            ".1",
            "1.",
            "0",
            "01",
            "1.2.3.4.5.6",
            "1,2",
            "-1",
        ] {
            assert!(Code::parse(bad).is_err(), "{bad:?}");
        }
        let mut codes: Vec<Code> = ["1.10", "1.2", "2", "1", "1.2.1"]
            .iter()
            .map(|c| Code::parse(c).unwrap())
            .collect();
        codes.sort();
        let shown: Vec<String> = codes.iter().map(Code::to_string).collect();
        assert_eq!(shown, ["1", "1.2", "1.2.1", "1.10", "2"]);
    }

    #[test]
    fn builds_a_tree_from_rows_in_any_order() {
        let fw = Framework::build(vec![
            def("1.2", "4"),
            def("2", "5"),
            def("1", "10"),
            def("1.1", "6"),
            def("2.1", "5"),
        ])
        .unwrap();
        assert_eq!(fw.roots().len(), 2);
        assert_eq!(fw.leaves().len(), 3);
        assert_eq!(fw.leaf(0).code().to_string(), "1.1");
        assert_eq!(fw.maximum(), Decimal::from(15));
        assert_eq!(fw.leaf_range(fw.find("1").unwrap()), 0..2);
        assert_eq!(fw.leaf_range(fw.find("2.1").unwrap()), 2..3);
        assert_eq!(fw.leaf_index_of("1"), None);
        assert_eq!(fw.leaf_index_of("2.1"), Some(2));
    }

    #[test]
    fn reports_every_problem() {
        let errors = Framework::build(vec![
            def("1", "10"),
            def("1.1", "6"),
            def("1.1", "6"),
            def("3.1", "2"),
        ])
        .unwrap_err();
        assert!(errors.contains(&FrameworkError::DuplicateCode {
            code: Code::parse("1.1").unwrap()
        }));
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, FrameworkError::MissingParent { .. }))
        );
        let errors = Framework::build(vec![
            def("1", "10"),
            def("1.1", "6"),
            def("1.2", "3,5".replace(',', ".").as_str()),
        ])
        .unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "criterion 1: max_points is 10 but its children's maxima add up to 9.5"
        );
    }

    #[test]
    fn bonus_and_penalty_stay_outside_the_maximum() {
        let mut bonus = def("1.3", "2");
        bonus.kind = CriterionKind::Bonus;
        let mut penalty = def("1.4", "0");
        penalty.kind = CriterionKind::Penalty;
        penalty.min_points = Decimal::from(-2);
        let fw = Framework::build(vec![
            def("1", "10"),
            def("1.1", "6"),
            def("1.2", "4"),
            bonus,
            penalty,
        ])
        .unwrap();
        assert_eq!(fw.maximum(), Decimal::from(10));
        assert!(fw.node(fw.find("1.3").unwrap()).extra);
    }

    #[test]
    fn checks_step_and_range() {
        let mut d = def("1", "1");
        d.step = Some(Decimal::from_str("0.25").unwrap());
        assert!(d.check_score(Decimal::from_str("0.75").unwrap()).is_ok());
        assert!(matches!(
            d.check_score(Decimal::from_str("0.3").unwrap()),
            Err(ScoreRangeError::OffStep { .. })
        ));
        assert!(matches!(
            d.check_score(Decimal::from(2)),
            Err(ScoreRangeError::AboveMax { .. })
        ));
        assert!(matches!(
            d.check_score(Decimal::from(-1)),
            Err(ScoreRangeError::BelowMin { .. })
        ));
        d.step = Some(Decimal::from_str("0.3").unwrap());
        let errors = Framework::build(vec![d]).unwrap_err();
        assert!(matches!(
            errors[0],
            FrameworkError::StepDoesNotDivide { .. }
        ));
    }
}
