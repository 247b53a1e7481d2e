//! Per-unit phụ biểu in `phu-bieu/`: the sample session's self-scores, evidence and notes
//! written as one workbook per unit, the way units fill them in (the national header, a
//! merged title naming the unit, STT with Roman field numbers, subtotal rows, scores as
//! numbers and as text, a total row and a signature block), read as their CSV twin; and the
//! workbooks that are refused, at their cell, with the store untouched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text};
use council::io::InputError;
use council::io::import::{Imported, read_session_dir};
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

type Rows = Vec<HashMap<String, String>>;

fn read_csv(path: &Path) -> Rows {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (header.iter().zip(record.iter()))
                .map(|(column, cell)| (column.to_string(), cell.to_string()))
                .collect()
        })
        .collect()
}

/// The sample's files, read once.
struct Sample {
    criteria: Rows,
    units: Rows,
    self_scores: Rows,
    evidence: Rows,
}

impl Sample {
    fn read() -> Sample {
        let read = |name: &str| read_csv(&Path::new(SAMPLE).join(name));
        Sample {
            criteria: read("criteria.csv"),
            units: read("units.csv"),
            self_scores: read("self_scores.csv"),
            evidence: read("evidence.csv"),
        }
    }

    fn unit_name(&self, code: &str) -> String {
        let unit = self.units.iter().find(|u| u["unit_code"] == code).unwrap();
        unit["unit_name"].clone()
    }

    fn is_leaf(&self, code: &str) -> bool {
        let prefix = format!("{code}.");
        !self.criteria.iter().any(|c| c["code"].starts_with(&prefix))
    }
}

/// How one phụ biểu is written.
struct Layout {
    /// The title names the unit (`Đơn vị: Sở Nội vụ`).
    title_names_unit: bool,
    /// Parent rows carry their subtotal (one as a formula with its cached value).
    subtotals: bool,
}

fn header_row(sheet: &mut Worksheet, row: u32) {
    let header = [
        "STT",
        "Tiêu chí",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Tài liệu kiểm chứng",
        "Ghi chú của đơn vị",
        "Ý kiến thẩm định",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(row, column as u16, *name).unwrap();
    }
}

/// The national header, the title and the header row: the criteria start on row 8.
fn top_rows(sheet: &mut Worksheet, unit_name: &str, layout: &Layout) {
    let bold = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 2, "UBND TỈNH LÀO CAI", &bold)
        .unwrap();
    sheet
        .merge_range(0, 4, 0, 7, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold)
        .unwrap();
    sheet
        .merge_range(1, 4, 1, 7, "Độc lập - Tự do - Hạnh phúc", &bold)
        .unwrap();
    let title = match layout.title_names_unit {
        true => format!(
            "BẢNG CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH – Đơn vị: {} – Năm 2025",
            unit_name.to_uppercase()
        ),
        false => "BẢNG CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025".to_string(),
    };
    sheet.merge_range(3, 0, 3, 7, &title, &bold).unwrap();
    header_row(sheet, 6);
}

/// Writes `unit`'s phụ biểu from the sample's rows.
fn write_phu_bieu(sample: &Sample, unit: &str, path: &Path, layout: &Layout) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Phụ biểu 1").unwrap();
    top_rows(sheet, &sample.unit_name(unit), layout);
    let scores: HashMap<&str, &HashMap<String, String>> = (sample.self_scores.iter())
        .filter(|r| r["unit_code"] == unit)
        .map(|r| (r["criterion_code"].as_str(), r))
        .collect();
    let score_of = |code: &str| -> f64 {
        (scores.iter())
            .filter(|(leaf, _)| {
                code.is_empty() || **leaf == code || leaf.starts_with(&format!("{code}."))
            })
            .map(|(_, r)| r["self_score"].replace(',', ".").parse::<f64>().unwrap())
            .sum()
    };
    let mut row = 7;
    let mut fields = 0;
    for criterion in &sample.criteria {
        let code = criterion["code"].as_str();
        let leaf = sample.is_leaf(code);
        if leaf && !scores.contains_key(code) && criterion["kind"] != "survey" {
            continue; // the unit left it out
        }
        let stt = match code.contains('.') {
            true => code.to_string(),
            false => {
                fields += 1;
                ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][fields - 1].to_string()
            }
        };
        sheet.write_string(row, 0, &stt).unwrap();
        sheet.write_string(row, 1, &criterion["title"]).unwrap();
        let max = criterion["max_points"]
            .replace(',', ".")
            .parse::<f64>()
            .unwrap();
        sheet.write_number(row, 2, max).unwrap();
        if leaf {
            write_leaf(sheet, row, sample, unit, scores.get(code).copied());
        } else if layout.subtotals && code == "1" {
            let formula = Formula::new("=SUM(D9:D22)").set_result(score_of(code).to_string());
            sheet.write_formula(row, 3, formula).unwrap();
        } else if layout.subtotals {
            sheet.write_number(row, 3, score_of(code)).unwrap();
        }
        row += 1;
    }
    sheet.write_string(row, 1, "Tổng cộng").unwrap();
    sheet.write_number(row, 3, score_of("")).unwrap();
    sheet.write_string(row + 2, 5, "THỦ TRƯỞNG ĐƠN VỊ").unwrap();
    sheet
        .write_string(row + 3, 5, "(Ký, ghi rõ họ tên)")
        .unwrap();
    workbook.save(path).unwrap();
}

/// A leaf row's score (as a number or as text with a decimal comma), evidence and note;
/// survey leaves are left empty.
fn write_leaf(
    sheet: &mut Worksheet,
    row: u32,
    sample: &Sample,
    unit: &str,
    scored: Option<&HashMap<String, String>>,
) {
    let Some(scored) = scored else {
        return;
    };
    let score = &scored["self_score"];
    match row % 2 {
        0 => sheet
            .write_number(row, 3, score.replace(',', ".").parse::<f64>().unwrap())
            .unwrap(),
        _ => sheet.write_string(row, 3, score.replace('.', ",")).unwrap(),
    };
    let code = &scored["criterion_code"];
    let documents: Vec<String> = (sample.evidence.iter())
        .filter(|e| e["unit_code"] == unit && e["criterion_code"] == *code)
        .map(|e| format!("{} {}", e["ref"], e["title"]))
        .collect();
    if !documents.is_empty() {
        sheet.write_string(row, 5, documents.join("\n")).unwrap();
    }
    if !scored["note"].is_empty() {
        sheet.write_string(row, 6, &scored["note"]).unwrap();
    }
}

/// The sample with its self-scores and evidence as phụ biểu: every unit's, the first few
/// found by the name in their title (files `pb-01.xlsx`, …), the others by file name.
fn phu_bieu_folder(dir: &Path, sample: &Sample) -> PathBuf {
    let folder = dir.join("phu-bieu-session");
    fs::create_dir_all(folder.join("phu-bieu")).unwrap();
    for name in ["criteria.csv", "units.csv", "proposals.csv", "survey.csv"] {
        fs::copy(Path::new(SAMPLE).join(name), folder.join(name)).unwrap();
    }
    for (index, unit) in sample.units.iter().enumerate() {
        let code = &unit["unit_code"];
        let by_title = index < 3;
        let layout = Layout {
            title_names_unit: by_title || index % 2 == 0,
            subtotals: index % 3 != 1,
        };
        let file = match by_title {
            true => format!("pb-{index:02}.xlsx"),
            false => format!("{code}.xlsx"),
        };
        write_phu_bieu(sample, code, &folder.join("phu-bieu").join(file), &layout);
    }
    folder
}

/// The sample as CSV, its evidence without locations (a phụ biểu has none).
fn csv_twin(dir: &Path) -> PathBuf {
    let folder = dir.join("csv-session");
    fs::create_dir_all(&folder).unwrap();
    for name in [
        "criteria.csv",
        "units.csv",
        "self_scores.csv",
        "proposals.csv",
        "survey.csv",
    ] {
        fs::copy(Path::new(SAMPLE).join(name), folder.join(name)).unwrap();
    }
    let mut out = csv::Writer::from_path(folder.join("evidence.csv")).unwrap();
    out.write_record(["unit_code", "criterion_code", "ref", "title"])
        .unwrap();
    for row in read_csv(&Path::new(SAMPLE).join("evidence.csv")) {
        let cells = ["unit_code", "criterion_code", "ref", "title"].map(|c| row[c].clone());
        out.write_record(cells).unwrap();
    }
    out.flush().unwrap();
    folder
}

fn import(dir: &Path) -> Imported {
    match read_session_dir(dir, None) {
        Ok(imported) => imported,
        Err(errors) => panic!("{}", show(&errors)),
    }
}

fn show(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn phu_bieu_read_as_their_csv_twin() {
    let sample = Sample::read();
    let tmp = tempfile::tempdir().unwrap();
    let mut from_workbooks = import(&phu_bieu_folder(tmp.path(), &sample));
    let mut from_csv = import(&csv_twin(tmp.path()));
    // Units come in file order: the phụ biểu by file name.
    from_workbooks
        .batch
        .submissions
        .sort_by(|a, b| a.0.cmp(&b.0));
    from_csv.batch.submissions.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(from_workbooks.batch, from_csv.batch);
    let warnings = show(&from_workbooks.warnings);
    assert!(
        !warnings.contains("differ") && !warnings.contains("reads"),
        "{warnings}"
    );
}

#[test]
fn the_store_of_phu_bieu_is_the_store_of_the_csv_twin() {
    let sample = Sample::read();
    let tmp = tempfile::tempdir().unwrap();
    let folders = [phu_bieu_folder(tmp.path(), &sample), csv_twin(tmp.path())];
    let mut exports = Vec::new();
    for (index, folder) in folders.iter().enumerate() {
        let db = tmp.path().join(format!("{index}.db"));
        let db = db.to_str().unwrap();
        let out = council(
            tmp.path(),
            &["import", folder.to_str().unwrap(), "--db", db],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let dir = tmp.path().join(format!("export-{index}"));
        let out = council(
            tmp.path(),
            &[
                "export",
                "--db",
                db,
                "--out",
                dir.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        exports.push(dir);
    }
    let names: Vec<_> = fs::read_dir(&exports[0])
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(!names.is_empty());
    for name in names {
        let read = |dir: &Path| fs::read_to_string(dir.join(&name)).unwrap_or_default();
        assert_eq!(read(&exports[0]), read(&exports[1]), "{name:?}");
    }
}
