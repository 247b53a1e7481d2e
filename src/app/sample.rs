//! Fixtures for tests and benchmarks: a small, realistic session built in code, and a large
//! synthetic one. Only built for tests (`cfg(test)`) and with the `test-support` feature
//! (which the tests and benches turn on through the crate's dev-dependency on itself); the
//! shipped binary has none of it.

use crate::domain::{
    Code, CriterionDef, CriterionKind, DecisionAction, DecisionRecord, Evidence, Framework,
    ItemDetail, Session, Unit,
};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_default()
}

fn def(code: &str, title: &str, max: &str, step: Option<&str>, rule: &str) -> CriterionDef {
    CriterionDef {
        code: Code::parse(code).unwrap_or_else(|_| unreachable!("sample codes are valid")),
        title: title.to_string(),
        max_points: d(max),
        min_points: Decimal::ZERO,
        step: step.map(d),
        kind: CriterionKind::Score,
        rule: rule.to_string(),
    }
}

/// Three fields of 6 leaves: 1.1.1 1.1.2 1.2 2.1 2.2 3.1.
fn sample_framework() -> Framework {
    Framework::build(vec![
        def(
            "1",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            "10",
            None,
            "",
        ),
        def("1.1", "Kế hoạch cải cách hành chính năm", "4", None, ""),
        def(
            "1.1.1",
            "Ban hành kế hoạch cải cách hành chính đúng thời hạn",
            "2",
            Some("0.5"),
            "Ban hành đúng thời hạn: 2; chậm: 0",
        ),
        def(
            "1.1.2",
            "Mức độ hoàn thành kế hoạch",
            "2",
            Some("0.25"),
            "Hoàn thành 100%: 2; từ 80% đến dưới 100%: 1; dưới 80%: 0",
        ),
        def(
            "1.2",
            "Công tác kiểm tra cải cách hành chính",
            "6",
            Some("0.5"),
            "Kiểm tra ≥ 30% đơn vị: 6",
        ),
        def(
            "2",
            "Cải cách thủ tục hành chính",
            "6,5".replace(',', ".").as_str(),
            None,
            "",
        ),
        def(
            "2.1",
            "Công khai thủ tục hành chính đầy đủ, đúng quy định",
            "3",
            Some("0.5"),
            "100% thủ tục được công khai: 3; từ 80% đến dưới 100%: 1,5; dưới 80%: 0",
        ),
        def(
            "2.2",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "3.5",
            Some("0.25"),
            "100%: 3,5; 95% đến dưới 100%: 2; dưới 95%: 0",
        ),
        def("3", "Cải cách tổ chức bộ máy", "5", None, ""),
        def(
            "3.1",
            "Sắp xếp tổ chức bộ máy theo quy định",
            "5",
            Some("1"),
            "Đúng quy định: 5",
        ),
    ])
    .unwrap_or_else(|_| unreachable!("the sample framework is valid"))
}

/// Three departments and two communes.
fn sample_units() -> Vec<Unit> {
    vec![
        ("SNV", "Sở Nội vụ", "Sở, ban, ngành"),
        ("STC", "Sở Tài chính", "Sở, ban, ngành"),
        ("STP", "Sở Tư pháp", "Sở, ban, ngành"),
        ("XBH", "Xã Bảo Hà", "Xã, phường"),
        (
            "PCL",
            "Phường Cam Đường và các thôn bản vùng cao",
            "Xã, phường",
        ),
    ]
    .into_iter()
    .map(|(code, name, group)| Unit {
        code: code.into(),
        name: name.into(),
        group: group.into(),
    })
    .collect()
}

/// Three fields, two groups of units, a mix of agreed, disputed and decided items.
pub fn sample_session() -> Session {
    let mut session = Session::new(sample_framework(), sample_units());
    // Self-scores per unit, leaf order: 1.1.1 1.1.2 1.2 2.1 2.2 3.1
    let scores = [
        ["2", "2", "6", "3", "3.5", "5"],
        ["2", "1.5", "5", "3", "3", "5"],
        ["1.5", "2", "6", "1.5", "3.5", "4"],
        ["2", "1", "4", "3", "2", "5"],
        ["2", "2", "6", "3", "3.5", "5"],
    ];
    for (u, row) in scores.iter().enumerate() {
        for (l, score) in row.iter().enumerate() {
            let item = session.item_mut(u, l);
            item.self_score = Some(d(score));
            item.evidence_count = ((u + l) % 3) as u32;
        }
    }
    // Working group proposals: cuts on SNV 1.1.2 and 2.1, XBH 2.2; STC agrees on 1.2.
    session.item_mut(0, 1).proposal = Some(d("1"));
    session.item_mut(0, 3).proposal = Some(d("1.5"));
    session.item_mut(3, 4).proposal = Some(d("0"));
    session.item_mut(1, 2).proposal = Some(d("5"));
    // Council already decided STP 3.1 (cut) and XBH 1.1.2 (agreed); flagged PCL 1.2.
    session.item_mut(2, 5).council = Some(d("3"));
    session.item_mut(2, 5).log_seq = 1;
    session.item_mut(3, 1).council = Some(d("1"));
    session.item_mut(3, 1).log_seq = 1;
    session.item_mut(4, 2).flagged = true;
    session.item_mut(4, 2).log_seq = 1;
    session
}

/// The detail of SNV 1.1.2 in the sample session.
pub fn sample_detail() -> ItemDetail {
    ItemDetail {
        note: "Đã hoàn thành 18/20 nhiệm vụ trong kế hoạch".into(),
        evidence: vec![
            Evidence {
                reference: "376/KH-UBND".into(),
                title: "Kế hoạch cải cách hành chính năm 2025".into(),
                location: "tailieu/376.pdf".into(),
            },
            Evidence {
                reference: "12/BC-SNV".into(),
                title: "Báo cáo kết quả thực hiện".into(),
                location: String::new(),
            },
        ],
        proposal_note: "Chỉ hoàn thành 90% nhiệm vụ: 1 điểm".into(),
        submissions: Vec::new(),
        log: vec![DecisionRecord {
            login: String::new(),
            action: DecisionAction::Flag { on: true },
            by: "thu.ky".into(),
            at: "2026-11-23T08:45:00+07:00".into(),
        }],
    }
}

/// A synthetic session for benchmarks and tests: `units` units in four groups over a
/// framework of 8 fields × 4 criteria × 3 sub-criteria; some items disputed.
pub fn synthetic_session(units: usize) -> Session {
    let groups = ["Sở, ban, ngành", "Xã", "Phường", "Đặc khu"];
    let unit_list = (0..units)
        .map(|i| Unit {
            code: format!("U{i:05}"),
            name: format!("Đơn vị số {i} tỉnh Lào Cai"),
            group: groups[i % groups.len()].to_string(),
        })
        .collect();
    let mut session = Session::new(synthetic_framework(), unit_list);
    let leaves = session.leaf_count();
    for u in 0..units {
        for l in 0..leaves {
            let item = session.item_mut(u, l);
            item.self_score = Some(Decimal::ONE);
            if (u * 7 + l * 3) % 11 == 0 {
                item.proposal = Some(Decimal::new(5, 1));
            }
            item.evidence_count = ((u + l) % 3) as u32;
        }
    }
    session
}

/// 8 fields × 4 criteria × 3 sub-criteria.
fn synthetic_framework() -> Framework {
    let mut defs = Vec::new();
    let def = |code: String, title: String, max: Decimal| CriterionDef {
        code: Code::parse(&code)
            .unwrap_or_else(|_| Code::parse("1").unwrap_or_else(|_| unreachable!())),
        title,
        max_points: max,
        min_points: Decimal::ZERO,
        step: Some(Decimal::new(25, 2)),
        kind: CriterionKind::Score,
        rule: "Đúng hạn: điểm tối đa; chậm: 0".to_string(),
    };
    for f in 1..=8 {
        defs.push(def(
            f.to_string(),
            format!("Lĩnh vực {f}: cải cách hành chính"),
            Decimal::from(12),
        ));
        for c in 1..=4 {
            defs.push(def(
                format!("{f}.{c}"),
                format!("Tiêu chí {f}.{c} thủ tục"),
                Decimal::from(3),
            ));
            for s in 1..=3 {
                defs.push(def(
                    format!("{f}.{c}.{s}"),
                    format!("Ban hành kế hoạch {f}.{c}.{s} đúng thời hạn"),
                    Decimal::ONE,
                ));
            }
        }
    }
    match Framework::build(defs) {
        Ok(f) => f,
        Err(_) => unreachable!("the synthetic framework is valid"),
    }
}
