//! A unit's scorecard as text lines, one per leaf, so that two states of it can be diffed
//! (appraised against self-assessed, against the working group, or submission versions).

use super::score::Numbers;
use super::session::{ItemState, ItemTexts, Session};
use rust_decimal::Decimal;
use similar::{ChangeTag, TextDiff};

/// What the appraised scorecard is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    SelfScores,
    Proposals,
}

impl Against {
    pub fn label(self) -> &'static str {
        match self {
            Against::SelfScores => "self",
            Against::Proposals => "proposal",
        }
    }

    /// The item's score on this side: a proposal falls back to the self-score.
    fn baseline(self, item: &ItemState) -> Option<Decimal> {
        match self {
            Against::SelfScores => item.self_score,
            Against::Proposals => item.proposal.or(item.self_score),
        }
    }
}

/// The line of one leaf of the session's framework.
fn leaf_line(
    session: &Session,
    leaf: usize,
    score: Option<Decimal>,
    why: &str,
    numbers: Numbers,
) -> String {
    let node = session.framework.leaf(leaf);
    line(
        &node.code().to_string(),
        &node.def.title,
        score,
        why,
        numbers,
    )
}

fn line(code: &str, title: &str, score: Option<Decimal>, why: &str, numbers: Numbers) -> String {
    let score = score
        .map(|s| numbers.points(s))
        .unwrap_or_else(|| "—".to_string());
    let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
    if why.is_empty() {
        format!("{code} {title}: {score}")
    } else {
        format!("{code} {title}: {score} — {why}")
    }
}

/// The baseline lines: self-scores, or proposals (falling back to the self-score where there is
/// no proposal).
pub fn baseline_lines(
    session: &Session,
    unit: usize,
    against: Against,
    numbers: Numbers,
) -> Vec<String> {
    session
        .unit_items(unit)
        .iter()
        .enumerate()
        .map(|(leaf, item)| leaf_line(session, leaf, against.baseline(item), "", numbers))
        .collect()
}

/// The appraised lines: the appraised score, with the reason where it differs from the baseline.
pub fn appraised_lines(
    session: &Session,
    texts: &[ItemTexts],
    unit: usize,
    against: Against,
    numbers: Numbers,
) -> Vec<String> {
    let first = session.item_index(unit, 0);
    session
        .unit_items(unit)
        .iter()
        .enumerate()
        .map(|(leaf, item)| {
            let appraised = item.appraised_points();
            let differs = against.baseline(item) != Some(appraised);
            let why = if differs {
                texts.get(first + leaf).map_or("", |t| t.reason.as_str())
            } else {
                ""
            };
            leaf_line(session, leaf, Some(appraised), why, numbers)
        })
        .collect()
}

/// Lines of one submission version: score and note per leaf.
pub fn submission_lines(
    session: &Session,
    items: &[(Option<Decimal>, String)],
    numbers: Numbers,
) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .map(|(leaf, (score, note))| leaf_line(session, leaf, *score, note, numbers))
        .collect()
}

/// A unified diff (plain text) of two line lists.
pub fn unified(
    old_name: &str,
    new_name: &str,
    old: &[String],
    new: &[String],
    context: usize,
) -> String {
    let old_text = join_lines(old);
    let new_text = join_lines(new);
    let diff = TextDiff::from_lines(&old_text, &new_text);
    diff.unified_diff()
        .context_radius(context)
        .header(old_name, new_name)
        .to_string()
}

fn join_lines(lines: &[String]) -> String {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// One row of a side-by-side diff view, with word-level emphasis inside changed rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub tag: DiffTag,
    /// Segments of the line; `true` marks the words that changed.
    pub segments: Vec<(bool, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffTag {
    Same,
    Removed,
    Added,
}

impl DiffRow {
    pub fn text(&self) -> String {
        self.segments.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// All lines, in order, marked same / removed / added with word-level emphasis.
///
/// Both sides list the same leaves in the same order, so line i of one side is line i of the
/// other: a changed leaf is its removed line followed by its added line. Pairing them costs
/// one small word diff per changed leaf, where a line diff of 10,000 changed leaves took over a
/// minute. Sides of different lengths fall back to a line diff.
pub fn rows(old: &[String], new: &[String]) -> Vec<DiffRow> {
    if old.len() != new.len() {
        return line_diff_rows(old, new);
    }
    let mut rows = Vec::with_capacity(old.len());
    for (before, after) in old.iter().zip(new) {
        if before == after {
            rows.push(DiffRow {
                tag: DiffTag::Same,
                segments: vec![(false, before.clone())],
            });
        } else {
            let (removed, added) = changed_pair(before, after);
            rows.push(removed);
            rows.push(added);
        }
    }
    rows
}

/// The removed and the added row of one changed line, the words that differ emphasised.
fn changed_pair(before: &str, after: &str) -> (DiffRow, DiffRow) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let words = TextDiff::from_words(before, after);
    for change in words.iter_all_changes() {
        let text = change.value().to_string();
        match change.tag() {
            ChangeTag::Equal => {
                push_segment(&mut removed, false, &text);
                push_segment(&mut added, false, &text);
            }
            ChangeTag::Delete => push_segment(&mut removed, true, &text),
            ChangeTag::Insert => push_segment(&mut added, true, &text),
        }
    }
    (
        DiffRow {
            tag: DiffTag::Removed,
            segments: removed,
        },
        DiffRow {
            tag: DiffTag::Added,
            segments: added,
        },
    )
}

/// Appends text to the last segment when its emphasis is the same, else starts a new one.
fn push_segment(segments: &mut Vec<(bool, String)>, emphasised: bool, text: &str) {
    match segments.last_mut() {
        Some((last, so_far)) if *last == emphasised => so_far.push_str(text),
        _ => segments.push((emphasised, text.to_string())),
    }
}

fn line_diff_rows(old: &[String], new: &[String]) -> Vec<DiffRow> {
    let old_text = join_lines(old);
    let new_text = join_lines(new);
    let diff = TextDiff::from_lines(&old_text, &new_text);
    let mut rows = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let tag = match change.tag() {
                ChangeTag::Equal => DiffTag::Same,
                ChangeTag::Delete => DiffTag::Removed,
                ChangeTag::Insert => DiffTag::Added,
            };
            let segments = change
                .iter_strings_lossy()
                .map(|(emphasised, text)| (emphasised, text.trim_end_matches('\n').to_string()))
                .filter(|(_, text)| !text.is_empty())
                .collect();
            rows.push(DiffRow { tag, segments });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::tests::def;
    use crate::domain::{Framework, Unit};
    use std::str::FromStr;

    fn session() -> Session {
        let fw = Framework::build(vec![def("1", "10"), def("1.1", "6"), def("1.2", "4")]).unwrap();
        let mut s = Session::new(
            fw,
            vec![Unit {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                group: String::new(),
            }],
        );
        s.item_mut(0, 0).self_score = Some(Decimal::from(6));
        s.item_mut(0, 1).self_score = Some(Decimal::from(4));
        s.item_mut(0, 1).proposal = Some(Decimal::from(3));
        s.item_mut(0, 1).council = Some(Decimal::from_str("2.5").unwrap());
        s
    }

    #[test]
    fn unified_diff_shows_only_changed_leaves() {
        let s = session();
        let texts = vec![
            ItemTexts::default(),
            ItemTexts {
                reason: "Ban hành\nmuộn".into(),
                ..Default::default()
            },
        ];
        let old = baseline_lines(&s, 0, Against::SelfScores, Numbers::Comma);
        let new = appraised_lines(&s, &texts, 0, Against::SelfScores, Numbers::Comma);
        let diff = unified("SNV self", "SNV appraised", &old, &new, 3);
        assert!(diff.contains("-1.2 Tiêu chí 1.2: 4\n"), "{diff}");
        assert!(
            diff.contains("+1.2 Tiêu chí 1.2: 2,5 — Ban hành muộn\n"),
            "{diff}"
        );
        assert!(diff.contains(" 1.1 Tiêu chí 1.1: 6\n"), "{diff}");
        let against_proposal = baseline_lines(&s, 0, Against::Proposals, Numbers::Comma);
        assert_eq!(against_proposal[1], "1.2 Tiêu chí 1.2: 3");
    }

    #[test]
    fn rows_mark_words_that_changed() {
        let rows = rows(
            &["1.2 A: 4".to_string()],
            &["1.2 A: 2,5 — muộn".to_string()],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].tag, DiffTag::Removed);
        assert_eq!(rows[1].tag, DiffTag::Added);
        assert!(
            rows[1]
                .segments
                .iter()
                .any(|(emphasised, text)| *emphasised && text.contains("2,5"))
        );
        assert!(
            rows[1]
                .segments
                .iter()
                .any(|(emphasised, text)| !*emphasised && text.contains("1.2"))
        );
        assert_eq!(rows[1].text(), "1.2 A: 2,5 — muộn");
    }

    #[test]
    fn each_changed_leaf_is_its_removed_line_then_its_added_line() {
        let old: Vec<String> = ["1.1 A: 1", "1.2 B: 1", "1.3 C: 1"]
            .map(String::from)
            .into();
        let new: Vec<String> = ["1.1 A: 0", "1.2 B: 1", "1.3 C: 0 — thiếu"]
            .map(String::from)
            .into();
        let rows = rows(&old, &new);
        let tags: Vec<DiffTag> = rows.iter().map(|r| r.tag).collect();
        use DiffTag::*;
        assert_eq!(tags, [Removed, Added, Same, Removed, Added]);
        assert_eq!(rows[0].text(), "1.1 A: 1");
        assert_eq!(rows[1].text(), "1.1 A: 0");
        assert_eq!(rows[4].text(), "1.3 C: 0 — thiếu");
        assert!(
            rows[4]
                .segments
                .iter()
                .any(|(e, t)| *e && t.contains("thiếu"))
        );
    }
}
