//! A small session for the export tests: 2 fields, 5 leaves (one a penalty with a negative
//! minimum), 3 units in 2 groups with a tie, a missing self-score, proposals and decisions.
//! Expected figures, worked out by hand, are in tests/golden/README.md.

use council::domain::{
    Code, CriterionDef, CriterionKind, Framework, ItemState, ItemTexts, Session, Unit,
};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn def(code: &str, title: &str, max: &str, min: &str, kind: CriterionKind) -> CriterionDef {
    CriterionDef {
        code: Code::parse(code).unwrap(),
        title: title.into(),
        max_points: d(max),
        min_points: d(min),
        step: None,
        kind,
        rule: String::new(),
    }
}

fn unit(code: &str, name: &str, group: &str) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        group: group.into(),
    }
}

pub fn framework() -> Framework {
    use CriterionKind::{Penalty, Score};
    Framework::build(vec![
        def("1", "Công tác chỉ đạo, điều hành", "4", "0", Score),
        def("1.1", "Kế hoạch CCHC năm", "2", "0", Score),
        def("1.2", "Báo cáo CCHC", "2", "0", Score),
        def("1.2.1", "Báo cáo quý đúng hạn", "1", "0", Score),
        def("1.2.2", "Báo cáo năm đúng hạn", "1", "0", Score),
        def("2", "Cải cách thủ tục hành chính", "6", "0", Score),
        def("2.1", "Công khai thủ tục hành chính", "6", "0", Score),
        def("2.2", "Điểm trừ: vi phạm thời hạn", "0", "-2", Penalty),
    ])
    .unwrap()
}

/// (self, proposal, council) per leaf, leaves 1.1, 1.2.1, 1.2.2, 2.1, 2.2.
type Row = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

pub fn session() -> Session {
    let units = vec![
        unit("S01", "Sở Nội vụ", "Sở"),
        unit("S02", "Sở Tư pháp", "Sở"),
        unit("X01", "UBND xã Đông Hưng", "Xã"),
    ];
    let mut session = Session::new(framework(), units);
    let rows: [[Row; 5]; 3] = [
        [
            (Some("2"), Some("1.5"), Some("1.5")),
            (Some("1"), None, None),
            (Some("1"), Some("0.5"), None),
            (Some("5.5"), None, Some("6")),
            (Some("-1"), None, Some("-1")),
        ],
        [
            (None, Some("1"), None),
            (Some("1"), None, Some("1")),
            (Some("0.5"), None, None),
            (Some("4.5"), Some("4.5"), None),
            (Some("0"), Some("-0.5"), None),
        ],
        [
            (Some("1.5"), None, None),
            (Some("1"), None, None),
            (None, None, None),
            (Some("4"), None, Some("4")),
            (Some("-0.5"), None, Some("0")),
        ],
    ];
    for (u, unit_rows) in rows.iter().enumerate() {
        for (l, (self_score, proposal, council)) in unit_rows.iter().enumerate() {
            *session.item_mut(u, l) = ItemState {
                self_score: self_score.map(d),
                proposal: proposal.map(d),
                council: council.map(d),
                ..Default::default()
            };
        }
    }
    session
}

fn texts(reason: &str, by: &str, at: &str, evidence: &[&str]) -> ItemTexts {
    ItemTexts {
        reason: reason.into(),
        decided_by: by.into(),
        decided_login: String::new(),
        decided_at: at.into(),
        evidence_refs: evidence.iter().map(|e| e.to_string()).collect(),
    }
}

pub fn item_texts(session: &Session) -> Vec<ItemTexts> {
    let mut all = vec![ItemTexts::default(); session.items.len()];
    let at = "2026-11-23T09:15:00+07:00";
    let mut set = |u: usize, l: usize, t: ItemTexts| all[session.item_index(u, l)] = t;
    set(
        0,
        0,
        texts(
            "Thiếu tài liệu kiểm chứng, chưa đúng hạn",
            "Nguyễn Văn An",
            at,
            &["376/KH-UBND", "12/BC-SNV"],
        ),
    );
    set(0, 2, texts("Tổ giúp việc: báo cáo nộp muộn", "", "", &[]));
    set(
        0,
        3,
        texts(
            "=HYPERLINK(\"http://x.example\",\"bấm vào\")",
            "@thư ký",
            at,
            &["=cmd|' /C calc'!A0"],
        ),
    );
    set(0, 4, texts("", "Nguyễn Văn An", at, &["-5/QĐ-UBND"]));
    set(1, 0, texts("Bổ sung\nkế hoạch (lần 2)", "", "", &[]));
    set(1, 1, texts("", "Trần Thị Bình", at, &["15/KH-STP"]));
    set(
        2,
        4,
        texts("Đã khắc phục \"vi phạm\"", "Trần Thị Bình", at, &[]),
    );
    all
}
