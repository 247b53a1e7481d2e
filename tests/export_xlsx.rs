//! The workbook `ket-qua.xlsx` and the Vietnamese-locale CSV, through the real binary on the
//! bundled sample, read back with calamine (an independent reader) against results.csv.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use common::{council, text};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn run(dir: &Path, args: &[&str]) -> String {
    let out = council(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The sample imported, configured, and a few decisions made (one with a formula-like reason).
fn sample_session() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let folder = tmp.path().join("sample");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    run(tmp.path(), &["import", "sample"]);
    run(
        tmp.path(),
        &[
            "configure",
            "--issuer",
            "UBND TỈNH LÀO CAI",
            "--year",
            "2025",
            "--chair",
            "Nguyễn Văn A",
            "--secretary",
            "Trần Thị B",
        ],
    );
    for (unit, criterion, score, reason) in [
        ("SNV", "1.1.1", "0,5", "=1+1 bổ sung tài liệu"),
        ("STC", "2.1.1", "0", "Chưa ban hành"),
        ("XBH", "1.2", "0,75", "Báo cáo muộn"),
    ] {
        run(
            tmp.path(),
            &[
                "decide",
                "--unit",
                unit,
                "--criterion",
                criterion,
                "--score",
                score,
                "--reason",
                reason,
            ],
        );
    }
    tmp
}

fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A numeric cell as a Decimal at the decimals of the CSV's text; an empty cell as "".
fn number_at(cell: Option<&Data>, like: &str) -> String {
    let scale = like.split('.').nth(1).map_or(0, |d| d.len() as u32);
    match cell {
        Some(Data::Float(f)) => {
            let d = Decimal::from_f64_retain(*f).unwrap().round_dp(scale);
            let mut d = d.normalize();
            if like.contains('.') {
                d.rescale(scale);
            }
            d.to_string()
        }
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        other => panic!("not a number: {other:?} (expected {like})"),
    }
}

fn string_at(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

struct Exported {
    dir: tempfile::TempDir,
    workbook: PathBuf,
    csv: PathBuf,
}

fn exported() -> Exported {
    let dir = sample_session();
    run(dir.path(), &["export", "--out", "csv"]);
    run(dir.path(), &["export", "--format", "xlsx", "--out", "xlsx"]);
    Exported {
        workbook: dir.path().join("xlsx/ket-qua.xlsx"),
        csv: dir.path().join("csv"),
        dir,
    }
}

#[test]
fn the_unit_sheets_hold_the_numbers_of_results_csv_as_numbers_and_the_codes_as_text() {
    let exported = exported();
    let mut book: Xlsx<_> = open_workbook(&exported.workbook).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "Xếp hạng");
    assert_eq!(names[1], "Lĩnh vực");
    assert_eq!(names.last().unwrap(), "Thay đổi");
    assert_eq!(names.len(), 20 + 3, "{names:?}");
    let results = csv_rows(&exported.csv.join("results.csv"));
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/self_scores.csv");
    let notes: HashMap<(String, String), String> = csv_rows(&sample)
        .into_iter()
        .map(|r| {
            (
                (r["unit_code"].clone(), r["criterion_code"].clone()),
                r["note"].clone(),
            )
        })
        .collect();
    let mut compared = 0;
    for unit in names[2..names.len() - 1].iter() {
        let range = book.worksheet_range(unit).unwrap();
        let header: Vec<String> = (0..9).map(|c| string_at(&range, 6, c)).collect();
        assert_eq!(header[0], "STT");
        assert_eq!(header[4], "Điểm thẩm định");
        assert_eq!(header[8], "Ý kiến thẩm định");
        let by_code: HashMap<String, u32> = (7..range.end().unwrap().0 + 1)
            .filter_map(|r| match range.get_value((r, 0)) {
                Some(Data::String(code)) => Some((code.clone(), r)),
                _ => None,
            })
            .collect();
        for row in results.iter().filter(|r| &r["unit_code"] == unit) {
            let r = by_code[&row["criterion_code"]];
            for (col, key) in [
                (2, "max_points"),
                (3, "self_score"),
                (4, "council_score"),
                (5, "delta"),
            ] {
                assert_eq!(
                    number_at(range.get_value((r, col)), &row[key]),
                    row[key],
                    "{unit} {} {key}",
                    row["criterion_code"]
                );
            }
            // The CSV neutralises a formula-like text with a `'`; the workbook needs none.
            let reason = &row["reason"];
            let reason = match reason.strip_prefix('\'') {
                Some(rest) if council::io::export::looks_like_formula(rest) => rest,
                _ => reason,
            };
            assert_eq!(string_at(&range, r, 8), reason);
            let key = (unit.clone(), row["criterion_code"].clone());
            let note = notes.get(&key).cloned().unwrap_or_default();
            assert_eq!(string_at(&range, r, 7), note, "{key:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, results.len());
}

#[test]
fn the_ranking_and_fields_sheets_match_ranking_and_summary_csv() {
    let exported = exported();
    let mut book: Xlsx<_> = open_workbook(&exported.workbook).unwrap();
    let ranking = book.worksheet_range("Xếp hạng").unwrap();
    let headers: Vec<String> = (0..12).map(|c| string_at(&ranking, 0, c)).collect();
    assert_eq!(
        headers,
        [
            "STT",
            "Mã đơn vị",
            "Đơn vị",
            "Nhóm",
            "Điểm tối đa",
            "Tự chấm",
            "Thẩm định",
            "Chênh lệch",
            "Chỉ số (%)",
            "Xếp hạng",
            "Hạng trong nhóm",
            "Xếp loại"
        ]
    );
    let csv = csv_rows(&exported.csv.join("ranking.csv"));
    for (i, row) in csv.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(string_at(&ranking, r, 1), row["unit_code"]);
        for (col, key) in [
            (4, "max_points"),
            (5, "self_total"),
            (6, "council_total"),
            (7, "delta"),
            (8, "index_pct"),
            (9, "rank"),
            (10, "group_rank"),
        ] {
            assert_eq!(
                number_at(ranking.get_value((r, col)), &row[key]),
                row[key],
                "{key}"
            );
        }
        assert_eq!(string_at(&ranking, r, 11), row["band"]);
    }
    let fields = book.worksheet_range("Lĩnh vực").unwrap();
    let summary = csv_rows(&exported.csv.join("summary.csv"));
    let field_count = 8;
    for (i, row) in summary.iter().enumerate() {
        let (r, col) = ((i / field_count) as u32 + 1, (i % field_count) as u32 + 4);
        assert_eq!(string_at(&fields, r, 1), row["unit_code"]);
        assert!(string_at(&fields, 0, col).starts_with(&format!("{}. ", row["field_code"])));
        assert_eq!(
            number_at(fields.get_value((r, col)), &row["index_pct"]),
            row["index_pct"]
        );
    }
}

#[test]
fn a_unit_sheet_is_the_appraisal_phu_bieu_and_text_is_never_a_formula() {
    let exported = exported();
    let mut book: Xlsx<_> = open_workbook(&exported.workbook).unwrap();
    let snv = book.worksheet_range("SNV").unwrap();
    assert_eq!(string_at(&snv, 0, 0), "UBND TỈNH LÀO CAI");
    assert_eq!(string_at(&snv, 0, 5), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(string_at(&snv, 1, 5), "Độc lập - Tự do - Hạnh phúc");
    assert_eq!(
        string_at(&snv, 3, 0),
        "KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    );
    assert_eq!(string_at(&snv, 4, 0), "Đơn vị: Sở Nội vụ");
    let end = snv.end().unwrap().0;
    let column_b: Vec<String> = (0..=end).map(|r| string_at(&snv, r, 1)).collect();
    let total = column_b.iter().position(|t| t == "Tổng cộng").unwrap() as u32;
    assert_eq!(number_at(snv.get_value((total, 2)), "100"), "100");
    let all: Vec<String> = snv
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    for expected in [
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Nguyễn Văn A",
        "Trần Thị B",
        "=1+1 bổ sung tài liệu",
        "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC",
    ] {
        assert!(all.iter().any(|s| s == expected), "{expected} in {all:?}");
    }
    assert!(
        !all.iter().any(|s| s.starts_with('\'')),
        "no visible apostrophe"
    );
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().next().is_none(),
            "{name} has a formula"
        );
    }

    let changes = book.worksheet_range("Thay đổi").unwrap();
    assert_eq!(string_at(&changes, 0, 8), "Lý do");
    let changed: Vec<(String, String)> = (1..=changes.end().unwrap().0)
        .map(|r| (string_at(&changes, r, 1), string_at(&changes, r, 3)))
        .collect();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert!(changed.contains(&("SNV".into(), "1.1.1".into())));
    assert!(matches!(
        changes.get_value((1, 11)),
        Some(Data::DateTime(_))
    ));
}

#[test]
fn the_same_session_exports_the_same_bytes_and_a_finalised_export_is_verified() {
    let exported = exported();
    let dir = exported.dir.path();
    run(dir, &["export", "--format", "xlsx", "--out", "again"]);
    assert_eq!(
        std::fs::read(&exported.workbook).unwrap(),
        std::fs::read(dir.join("again/ket-qua.xlsx")).unwrap()
    );
    run(
        dir,
        &["finalize", "--force", "--reason", "Hội đồng thống nhất"],
    );
    let written = run(dir, &["export", "--format", "xlsx", "--out", "final"]);
    assert!(
        written.contains("ket-qua.xlsx") && written.contains("manifest.json"),
        "{written}"
    );
    let manifest = std::fs::read_to_string(dir.join("final/manifest.json")).unwrap();
    assert!(manifest.contains("\"ket-qua.xlsx\""), "{manifest}");
    run(dir, &["verify", "--manifest", "final/manifest.json"]);
    // A workbook edited after the export is named.
    let mut bytes = std::fs::read(dir.join("final/ket-qua.xlsx")).unwrap();
    let last = bytes.len() - 30;
    bytes[last] ^= 1;
    std::fs::write(dir.join("final/ket-qua.xlsx"), bytes).unwrap();
    let out = council(
        dir,
        &[
            "verify",
            "--manifest",
            "final/manifest.json",
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("ket-qua.xlsx") || text(&out.stderr).contains("ket-qua.xlsx")
    );
}

#[test]
fn unit_sheets_can_be_left_out_and_an_existing_workbook_is_kept() {
    let exported = exported();
    let dir = exported.dir.path();
    let out = council(dir, &["export", "--format", "xlsx", "--out", "xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ket-qua.xlsx"));
    run(
        dir,
        &[
            "export",
            "--format",
            "xlsx",
            "--out",
            "xlsx",
            "--unit-sheets",
            "none",
            "--force",
        ],
    );
    let book: Xlsx<_> = open_workbook(&exported.workbook).unwrap();
    assert_eq!(book.sheet_names(), ["Xếp hạng", "Lĩnh vực", "Thay đổi"]);
}

#[test]
fn excel_vi_csv_has_semicolons_decimal_commas_a_bom_and_crlf() {
    let dir = sample_session();
    run(dir.path(), &["export", "--out", "vi", "--excel-vi"]);
    let results = std::fs::read_to_string(dir.path().join("vi/results.csv")).unwrap();
    assert!(results.starts_with("\u{feff}unit_code;unit_name;group;criterion_code;"));
    assert!(results.contains("\r\n"));
    let snv = results
        .lines()
        .find(|l| l.starts_with("SNV;") && l.contains(";1.1.1;"))
        .unwrap();
    // Codes keep their dots; scores have a decimal comma; the reason is still neutralised.
    assert!(
        snv.contains(";0,5;0;0;0,5;0,5;council;adjusted;'=1+1 bổ sung tài liệu;"),
        "{snv}"
    );
    let ranking = std::fs::read_to_string(dir.path().join("vi/ranking.csv")).unwrap();
    let first = ranking.lines().nth(1).unwrap();
    let pct = first.split(';').nth(7).unwrap();
    assert!(pct.contains(',') && !pct.contains('.'), "{first}");
    let out = council(
        dir.path(),
        &["export", "--out", "j", "--excel-vi", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
}
