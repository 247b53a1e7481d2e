//! Export speed against `sqlite3 -csv` dumping the same 600,000 result rows.
//! Run: `cargo test --release --test export_bench -- --ignored --nocapture`.
//! Ignored by default: timings mean nothing in a debug build or on a busy machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::domain::{
    Code, CriterionDef, CriterionKind, Framework, ItemState, ItemTexts, Session, Unit,
};
use council::io::export::{
    ExportFormat, ExportOptions, RESULT_COLUMNS, export_session, write_results,
};
use rust_decimal::Decimal;
use std::process::Command;
use std::time::{Duration, Instant};

const UNITS: usize = 10_000;

/// 8 fields × 3 criteria × 2–3 sub-criteria = 60 leaves.
fn framework() -> Framework {
    let mut defs = Vec::new();
    let def = |code: String, max: Decimal, title: String| CriterionDef {
        code: Code::parse(&code).unwrap(),
        title,
        max_points: max,
        min_points: Decimal::ZERO,
        step: Some(Decimal::new(25, 2)),
        kind: CriterionKind::Score,
        rule: String::new(),
    };
    let mut leaves = 0;
    for f in 1..=8 {
        let mut field_max = Decimal::ZERO;
        for c in 1..=3 {
            let subs = if leaves + 3 <= 60 - (8 - f) * 6 - (3 - c) * 2 {
                3
            } else {
                2
            };
            let sub_max = Decimal::new(15, 1);
            for s in 1..=subs {
                defs.push(def(
                    format!("{f}.{c}.{s}"),
                    sub_max,
                    format!("Tiêu chí thành phần {f}.{c}.{s}: thực hiện đúng thời hạn, đầy đủ"),
                ));
            }
            leaves += subs;
            let criterion_max = sub_max * Decimal::from(subs);
            defs.push(def(
                format!("{f}.{c}"),
                criterion_max,
                format!("Tiêu chí {f}.{c}"),
            ));
            field_max += criterion_max;
        }
        defs.push(def(format!("{f}"), field_max, format!("Lĩnh vực {f}")));
    }
    let framework = Framework::build(defs).unwrap();
    assert_eq!(framework.leaves().len(), 60);
    framework
}

fn session_and_texts() -> (Session, Vec<ItemTexts>) {
    let units = (0..UNITS)
        .map(|i| Unit {
            code: format!("DV{i:05}"),
            name: format!("UBND xã số {i} huyện Đông Hưng"),
            group: ["Sở", "Xã", "Phường"][i % 3].into(),
        })
        .collect();
    let mut session = Session::new(framework(), units);
    let mut texts = Vec::with_capacity(session.items.len());
    for (i, item) in session.items.iter_mut().enumerate() {
        let quarter = Decimal::new(25, 2);
        *item = ItemState {
            self_score: (i % 17 != 0).then(|| quarter * Decimal::from(i % 7)),
            proposal: (i % 5 == 0).then(|| quarter * Decimal::from(i % 5)),
            council: (i % 3 == 0).then(|| quarter * Decimal::from(i % 6)),
            ..Default::default()
        };
        let decided = i % 3 == 0;
        texts.push(ItemTexts {
            reason: if decided {
                "Thiếu tài liệu kiểm chứng, đề nghị bổ sung".into()
            } else {
                String::new()
            },
            decided_by: if decided {
                "Nguyễn Văn An".into()
            } else {
                String::new()
            },
            decided_at: if decided {
                "2026-11-23T09:15:00+07:00".into()
            } else {
                String::new()
            },
            evidence_refs: vec![format!("{}/KH-UBND", i % 900), "12/BC-SNV".into()],
            decided_login: String::new(),
        });
    }
    (session, texts)
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
#[ignore]
fn export_is_within_1_5x_of_sqlite3_csv() {
    let (session, texts) = session_and_texts();
    let dir = tempfile::tempdir().unwrap();

    let results_only = best_of(3, || {
        let file = std::fs::File::create(dir.path().join("plain.csv")).unwrap();
        write_results(file, &session, &texts, ExportFormat::Csv, true).unwrap();
    });
    let mut opts = ExportOptions::new(dir.path().join("export"));
    opts.force = true;
    let whole = best_of(3, || {
        export_session(&session, &texts, &opts).unwrap();
    });
    let mut json_opts = opts.clone();
    json_opts.format = ExportFormat::Json;
    let json = best_of(1, || {
        export_session(&session, &texts, &json_opts).unwrap();
    });

    // The same rows in SQLite, dumped by the sqlite3 shell.
    let db_path = dir.path().join("bench.db");
    {
        let mut db = rusqlite::Connection::open(&db_path).unwrap();
        let columns = RESULT_COLUMNS.map(|c| format!("\"{c}\"")).join(",");
        db.execute_batch(&format!("CREATE TABLE results({columns});"))
            .unwrap();
        let tx = db.transaction().unwrap();
        {
            let placeholders = vec!["?"; RESULT_COLUMNS.len()].join(",");
            let mut insert = tx
                .prepare(&format!("INSERT INTO results VALUES ({placeholders})"))
                .unwrap();
            let mut reader = csv::Reader::from_path(dir.path().join("plain.csv")).unwrap();
            for record in reader.records() {
                let record = record.unwrap();
                insert
                    .execute(rusqlite::params_from_iter(record.iter()))
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let dump_path = dir.path().join("sqlite.csv");
    let sqlite = best_of(3, || {
        let out = std::fs::File::create(&dump_path).unwrap();
        let status = Command::new("sqlite3")
            .arg("-csv")
            .arg("-header")
            .arg(&db_path)
            .arg("SELECT * FROM results;")
            .stdout(out)
            .status()
            .expect("sqlite3 must be installed for this benchmark");
        assert!(status.success());
    });
    let ours = std::fs::metadata(dir.path().join("plain.csv"))
        .unwrap()
        .len();
    let theirs = std::fs::metadata(&dump_path).unwrap().len();
    println!(
        "results.csv: {results_only:?} ({ours} bytes); export_session csv (3 files): {whole:?}; \
         json: {json:?}; sqlite3 -csv: {sqlite:?} ({theirs} bytes)"
    );
    assert!(
        results_only.as_secs_f64() <= 1.5 * sqlite.as_secs_f64(),
        "results export {results_only:?} vs sqlite3 {sqlite:?}"
    );
    assert!(
        whole.as_secs_f64() <= 1.5 * sqlite.as_secs_f64(),
        "whole export {whole:?} vs sqlite3 {sqlite:?}"
    );
}
