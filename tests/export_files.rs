//! Export behaviour on disk: BOM, overwrite protection, formula neutralising, and an independent
//! recomputation of the summary and ranking from the written results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "golden/fixture.rs"]
mod fixture;

use council::domain::{Bands, ItemState, ItemTexts, RankMode, Session, Unit};
use council::io::export::{
    ExportError, ExportFormat, ExportOptions, RANKING_COLUMNS, RESULT_COLUMNS, SUMMARY_COLUMNS,
    export_session, write_atomically,
};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn export_fixture(opts: &ExportOptions) -> Result<Vec<std::path::PathBuf>, ExportError> {
    let session = fixture::session();
    let texts = fixture::item_texts(&session);
    export_session(&session, &texts, opts)
}

fn folder_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads a written CSV (BOM stripped by hand, so the test does not depend on reader options).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_starts_with_a_bom_unless_disabled_and_json_never_does() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = ExportOptions::new(dir.path().join("bom"));
    for path in export_fixture(&with_bom).unwrap() {
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(BOM), "{}", path.display());
        assert!(bytes[3..].starts_with(b"unit_code,unit_name,group,"));
    }
    let mut without = ExportOptions::new(dir.path().join("plain"));
    without.bom = false;
    for path in export_fixture(&without).unwrap() {
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"unit_code,"), "{}", path.display());
    }
    let mut json = ExportOptions::new(dir.path().join("json"));
    json.format = ExportFormat::Json;
    for path in export_fixture(&json).unwrap() {
        assert_eq!(path.extension().unwrap(), "json");
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"[\n{\"unit_code\":"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn headers_are_the_contracted_columns() {
    let dir = tempfile::tempdir().unwrap();
    let paths = export_fixture(&ExportOptions::new(dir.path())).unwrap();
    let names: Vec<_> = paths.iter().map(|p| p.file_name().unwrap()).collect();
    assert_eq!(names, ["results.csv", "summary.csv", "ranking.csv"]);
    let expected: [&[&str]; 3] = [&RESULT_COLUMNS, &SUMMARY_COLUMNS, &RANKING_COLUMNS];
    for (path, columns) in paths.iter().zip(expected) {
        let (header, rows) = read_csv(path);
        assert_eq!(header, columns);
        assert!(rows.iter().all(|r| r.len() == columns.len()));
    }
    assert_eq!(
        RESULT_COLUMNS.join(","),
        "unit_code,unit_name,group,criterion_code,criterion_title,max_points,self_score,\
         proposed_score,council_score,delta,source,status,reason,decided_by,decided_login,decided_at,evidence"
    );
    assert_eq!(
        SUMMARY_COLUMNS.join(","),
        "unit_code,unit_name,group,field_code,field_title,max_points,self_total,council_total,\
         delta,index_pct"
    );
    assert_eq!(
        RANKING_COLUMNS.join(","),
        "unit_code,unit_name,group,max_points,self_total,council_total,delta,index_pct,rank,\
         group_rank,band"
    );
}

#[test]
fn existing_files_are_kept_byte_identical_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ExportOptions::new(dir.path());
    let results = dir.path().join("results.csv");
    let ranking = dir.path().join("ranking.csv");
    std::fs::write(&results, b"old results\r\n").unwrap();
    std::fs::write(&ranking, b"\xEF\xBB\xBFold ranking").unwrap();

    let error = export_fixture(&opts).unwrap_err();
    match &error {
        ExportError::WouldOverwrite { paths } => {
            assert_eq!(paths, &[results.clone(), ranking.clone()])
        }
        other => panic!("expected WouldOverwrite, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("results.csv") && message.contains("ranking.csv"),
        "{message}"
    );
    assert!(!message.contains("summary.csv"), "{message}");
    assert_eq!(std::fs::read(&results).unwrap(), b"old results\r\n");
    assert_eq!(std::fs::read(&ranking).unwrap(), b"\xEF\xBB\xBFold ranking");
    // Nothing was written: no summary, no temporary files.
    assert_eq!(folder_listing(dir.path()), ["ranking.csv", "results.csv"]);
    assert_eq!(opts.existing_targets(), [results, ranking]);
}

#[test]
fn force_replaces_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = tempfile::tempdir().unwrap();
    export_fixture(&ExportOptions::new(fresh.path())).unwrap();

    let mut opts = ExportOptions::new(dir.path());
    for name in ["results.csv", "summary.csv", "ranking.csv"] {
        std::fs::write(dir.path().join(name), b"stale").unwrap();
    }
    opts.force = true;
    let written = export_fixture(&opts).unwrap();
    for path in &written {
        let expected = std::fs::read(fresh.path().join(path.file_name().unwrap())).unwrap();
        assert_eq!(std::fs::read(path).unwrap(), expected, "{}", path.display());
    }
    assert_eq!(
        folder_listing(dir.path()),
        ["ranking.csv", "results.csv", "summary.csv"]
    );
}

#[test]
fn write_atomically_refuses_then_replaces_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("manifest.toml");
    write_atomically(&path, false, |f| f.write_all(b"first")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    let refused = write_atomically(&path, false, |f| f.write_all(b"second"));
    assert!(
        matches!(refused, Err(ExportError::WouldOverwrite { ref paths }) if paths.as_slice() == std::slice::from_ref(&path))
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    write_atomically(&path, true, |f| f.write_all(b"third")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"third");
    // A failing writer leaves the old file and no temporary file behind.
    let failed = write_atomically(&path, true, |f| {
        f.write_all(b"partial")?;
        Err(std::io::Error::other("disk full"))
    });
    let message = failed.unwrap_err().to_string();
    assert!(
        message.contains("manifest.toml") && message.contains("disk full"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"third");
    assert_eq!(folder_listing(dir.path()), ["manifest.toml"]);
}

#[test]
fn mismatched_texts_are_refused_and_empty_texts_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let session = fixture::session();
    let texts = vec![ItemTexts::default(); 2];
    let error = export_session(&session, &texts, &ExportOptions::new(dir.path())).unwrap_err();
    assert!(matches!(
        error,
        ExportError::TextsMismatch {
            texts: 2,
            items: 15
        }
    ));
    assert!(folder_listing(dir.path()).is_empty());
    export_session(&session, &[], &ExportOptions::new(dir.path())).unwrap();
    let (_, rows) = read_csv(&dir.path().join("results.csv"));
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|r| r[12].is_empty() && r[15].is_empty()));
}

fn hostile_session() -> (Session, Vec<ItemTexts>) {
    let mut session = fixture::session();
    session.units[0] = Unit {
        code: "@U1".into(),
        name: "=SUM(A1:A9)".into(),
        group: "+nhóm".into(),
    };
    session.units[1].name = "\tTab đầu".into();
    session.units[2].name = "\rCR đầu".into();
    let mut texts = fixture::item_texts(&session);
    texts[1].reason = "-1 điểm vì nộp muộn".into();
    texts[1].decided_by = "=1+1".into();
    (session, texts)
}

#[test]
fn formula_like_text_is_neutralised_but_numbers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let (session, texts) = hostile_session();
    export_session(&session, &texts, &ExportOptions::new(dir.path())).unwrap();
    let (_, results) = read_csv(&dir.path().join("results.csv"));
    let first = &results[0];
    assert_eq!(&first[..3], ["'@U1", "'=SUM(A1:A9)", "'+nhóm"]);
    assert_eq!(results[1][12], "'-1 điểm vì nộp muộn");
    assert_eq!(results[1][13], "'=1+1");
    assert_eq!(
        results[3][12],
        "'=HYPERLINK(\"http://x.example\",\"bấm vào\")"
    );
    assert_eq!(results[5][1], "'\tTab đầu");
    assert_eq!(results[10][1], "'\rCR đầu");
    // Negative numbers we write stay numbers: self -1 and delta -0.5.
    assert_eq!(results[0][9], "-0.5");
    assert_eq!(results[4][6], "-1");
    assert_eq!(results[4][8], "-1");
    assert_eq!(results[9][7], "-0.5");
    for row in &results {
        for column in [5, 6, 7, 8, 9] {
            assert!(!row[column].starts_with('\''), "{row:?}");
            if !row[column].is_empty() {
                Decimal::from_str(&row[column]).unwrap();
            }
        }
    }
    let (_, summary) = read_csv(&dir.path().join("summary.csv"));
    assert_eq!(summary[0][1], "'=SUM(A1:A9)");
    assert_eq!(summary[0][8], "-1");
    let (_, ranking) = read_csv(&dir.path().join("ranking.csv"));
    assert_eq!(&ranking[0][..3], ["'@U1", "'=SUM(A1:A9)", "'+nhóm"]);
    assert_eq!(ranking[0][6], "-0.5");

    // JSON keeps texts exactly as they are.
    let mut json = ExportOptions::new(dir.path().join("json"));
    json.format = ExportFormat::Json;
    export_session(&session, &texts, &json).unwrap();
    let parsed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("json/results.json")).unwrap())
            .unwrap();
    assert_eq!(parsed[0]["unit_name"], "=SUM(A1:A9)");
    assert_eq!(parsed[0]["delta"], "-0.5");
    assert_eq!(parsed[5]["self_score"], serde_json::Value::Null);
}

/// A bigger session with many ties: scores drawn from a fixed pseudo-random sequence.
fn generated_session() -> Session {
    let framework = fixture::framework();
    let groups = ["Sở", "Xã", "Phường"];
    let units: Vec<Unit> = (0..40)
        .map(|i| Unit {
            code: format!("U{i:02}"),
            name: format!("Đơn vị {i}"),
            group: groups[i % 3].into(),
        })
        .collect();
    let mut session = Session::new(framework, units);
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let leaf_count = session.leaf_count();
    for u in 0..session.units.len() {
        for l in 0..leaf_count {
            let def = &session.framework.leaf(l).def;
            let steps = ((def.max_points - def.min_points) * Decimal::TWO)
                .to_string()
                .parse::<u64>()
                .unwrap();
            // Present with probability (odds − 1) / odds when `mostly`, else 1 / odds.
            let mut draw = |odds: u64, mostly: bool| {
                let present = (next(odds) == 0) != mostly;
                let score = def.min_points + Decimal::new(5, 1) * Decimal::from(next(steps + 1));
                present.then_some(score)
            };
            let self_score = draw(8, true);
            let proposal = draw(3, false);
            let council = draw(3, false);
            *session.item_mut(u, l) = ItemState {
                self_score,
                proposal,
                council,
                ..Default::default()
            };
        }
    }
    session
}

#[derive(Default, Clone, Copy)]
struct Sums {
    max: Decimal,
    self_total: Decimal,
    council_total: Decimal,
}

fn pct(total: Decimal, max: Decimal) -> String {
    if max.is_zero() {
        return "0.00".into();
    }
    let mut value = (total * Decimal::ONE_HUNDRED / max)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    value.rescale(2);
    value.to_string()
}

fn number(cell: &str) -> Decimal {
    if cell.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(cell).unwrap()
    }
}

#[test]
fn summary_and_ranking_agree_with_a_recomputation_from_results() {
    for (name, session) in [
        ("fixture", fixture::session()),
        ("generated", generated_session()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        export_session(&session, &[], &ExportOptions::new(dir.path())).unwrap();
        let (_, results) = read_csv(&dir.path().join("results.csv"));
        let (_, summary) = read_csv(&dir.path().join("summary.csv"));
        let (_, ranking) = read_csv(&dir.path().join("ranking.csv"));
        assert_eq!(results.len(), session.items.len(), "{name}");

        // Per unit × field and per unit, from the results alone. The fixture's only extra leaf
        // is a penalty with maximum 0, so summing every leaf's maximum gives the right maxima.
        let mut by_field: Vec<((String, String), Sums)> = Vec::new();
        let mut by_unit: Vec<(String, String, Sums)> = Vec::new();
        for row in &results {
            let field = row[3].split('.').next().unwrap().to_string();
            let (unit, group) = (row[0].clone(), row[2].clone());
            let (max, self_score, council) = (number(&row[5]), number(&row[6]), number(&row[8]));
            assert_eq!(number(&row[9]), council - self_score, "{name} {row:?}");
            let key = (unit.clone(), field);
            if by_field.last().is_none_or(|(k, _)| *k != key) {
                by_field.push((key, Sums::default()));
            }
            if by_unit.last().is_none_or(|(u, ..)| *u != unit) {
                by_unit.push((unit, group, Sums::default()));
            }
            for sums in [
                &mut by_field.last_mut().unwrap().1,
                &mut by_unit.last_mut().unwrap().2,
            ] {
                sums.max += max;
                sums.self_total += self_score;
                sums.council_total += council;
            }
        }
        assert_eq!(summary.len(), by_field.len(), "{name}");
        for (row, ((unit, field), sums)) in summary.iter().zip(&by_field) {
            assert_eq!((&row[0], &row[3]), (unit, field), "{name}");
            assert_eq!(number(&row[5]), sums.max, "{name} {row:?}");
            assert_eq!(number(&row[6]), sums.self_total, "{name} {row:?}");
            assert_eq!(number(&row[7]), sums.council_total, "{name} {row:?}");
            assert_eq!(
                number(&row[8]),
                sums.council_total - sums.self_total,
                "{name}"
            );
            assert_eq!(row[9], pct(sums.council_total, sums.max), "{name} {row:?}");
        }

        let bands = Bands::default();
        let ranking_by_unit: HashMap<&str, &Vec<String>> =
            ranking.iter().map(|r| (r[0].as_str(), r)).collect();
        assert_eq!(ranking_by_unit.len(), by_unit.len(), "{name}");
        let mut previous_rank = 0;
        for row in &ranking {
            let rank: u32 = row[8].parse().unwrap();
            assert!(rank >= previous_rank, "{name}: ranking is ordered by rank");
            previous_rank = rank;
        }
        for (unit, group, sums) in &by_unit {
            let row = ranking_by_unit[unit.as_str()];
            let better = by_unit
                .iter()
                .filter(|(.., other)| other.council_total > sums.council_total)
                .count();
            let better_in_group = by_unit
                .iter()
                .filter(|(_, g, other)| g == group && other.council_total > sums.council_total)
                .count();
            let index = pct(sums.council_total, sums.max);
            assert_eq!(number(&row[3]), sums.max, "{name} {row:?}");
            assert_eq!(number(&row[4]), sums.self_total, "{name} {row:?}");
            assert_eq!(number(&row[5]), sums.council_total, "{name} {row:?}");
            assert_eq!(number(&row[6]), sums.council_total - sums.self_total);
            assert_eq!(row[7], index, "{name} {row:?}");
            assert_eq!(row[8], (better + 1).to_string(), "{name} {row:?}");
            assert_eq!(row[9], (better_in_group + 1).to_string(), "{name} {row:?}");
            assert_eq!(row[10], bands.classify(Decimal::from_str(&index).unwrap()));
        }
        if name == "generated" {
            // The generated data must actually exercise ties.
            let ranks: Vec<&str> = ranking.iter().map(|r| r[8].as_str()).collect();
            assert!(ranks.windows(2).any(|w| w[0] == w[1]), "{ranks:?}");
        }
    }
}

#[test]
fn dense_ranks_are_exported_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = fixture::session();
    // Lift X01 above S02: S01 8, X01 7, S02 6.5 → no tie; then tie S01 and X01 at 8.
    session.item_mut(2, 3).council = Some(fixture::d("5.5"));
    let mut opts = ExportOptions::new(dir.path());
    opts.rank_mode = RankMode::Dense;
    export_session(&session, &[], &opts).unwrap();
    let (_, ranking) = read_csv(&dir.path().join("ranking.csv"));
    let ranks: Vec<(&str, &str, &str)> = ranking
        .iter()
        .map(|r| (r[0].as_str(), r[8].as_str(), r[9].as_str()))
        .collect();
    assert_eq!(
        ranks,
        [("S01", "1", "1"), ("X01", "1", "1"), ("S02", "2", "2")]
    );
}
