//! Per-unit phụ biểu in `phu-bieu/`: the sample session's self-scores, evidence and notes
//! written as one workbook per unit, the way units fill them in (the national header, a
//! merged title naming the unit, STT with Roman field numbers, subtotal rows, scores as
//! numbers and as text, a total row and a signature block), read as their CSV twin; and the
//! workbooks that are refused, at their cell, with the store untouched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, import, show, text};
use council::io::import::read_session_dir;
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

/// A cell of a hand-made phụ biểu.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}
use Cell::{Empty, Number, Text};

fn write_cell(sheet: &mut Worksheet, row: u32, column: u16, cell: Cell<'_>) {
    match cell {
        Text(text) => sheet.write_string(row, column, text).map(|_| ()).unwrap(),
        Number(number) => sheet.write_number(row, column, number).map(|_| ()).unwrap(),
        Empty => {}
    }
}

/// A phụ biểu on a sheet named Sheet1: the title on row 2, the header on row 4
/// (`Mã tiêu chí | Nội dung | Điểm tối đa | Điểm tự đánh giá | Giải trình`), then `rows`
/// (code, maximum, self-score) from row 5.
fn small_phu_bieu(path: &Path, title: &str, rows: &[(Cell<'_>, Cell<'_>, Cell<'_>)]) {
    small_phu_bieu_with_evidence(path, title, rows, &[]);
}

/// [`small_phu_bieu`] with a `Tài liệu kiểm chứng` column: (index in `rows`, its cell).
fn small_phu_bieu_with_evidence(
    path: &Path,
    title: &str,
    rows: &[(Cell<'_>, Cell<'_>, Cell<'_>)],
    evidence: &[(usize, &str)],
) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(1, 0, title).unwrap();
    for &(index, cell) in evidence {
        sheet.write_string(index as u32 + 4, 5, cell).unwrap();
    }
    let header = [
        "Mã tiêu chí",
        "Nội dung",
        "Điểm tối đa",
        "Điểm tự đánh giá",
        "Giải trình",
        "Tài liệu kiểm chứng",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(3, column as u16, *name).unwrap();
    }
    for (index, &(code, max, score)) in rows.iter().enumerate() {
        let row = index as u32 + 4;
        write_cell(sheet, row, 0, code);
        write_cell(sheet, row, 2, max);
        write_cell(sheet, row, 3, score);
    }
    workbook.save(path).unwrap();
}

/// Criteria 1 with leaves 1.1 to 1.10 (one point each), units SNV and STC, and phu-bieu/.
fn small_session(dir: &Path) -> PathBuf {
    let folder = dir.join("ho-so");
    fs::create_dir_all(folder.join("phu-bieu")).unwrap();
    let mut criteria = String::from("code,title,max_points\n1,Chỉ đạo,10\n");
    for n in 1..=10 {
        criteria.push_str(&format!("1.{n},Tiêu chí {n},1\n"));
    }
    fs::write(folder.join("criteria.csv"), criteria).unwrap();
    fs::write(
        folder.join("units.csv"),
        "unit_code,unit_name\nSNV,Sở Nội vụ\nSTC,Sở Tài chính\n",
    )
    .unwrap();
    folder
}

/// Every leaf of the small session at one point, 1.1 as the number 1.1 when `number_code`.
fn ten_leaves(number_code: bool) -> Vec<(Cell<'static>, Cell<'static>, Cell<'static>)> {
    const CODES: [&str; 10] = [
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10",
    ];
    let mut rows = vec![(Text("I"), Number(10.0), Empty)];
    for code in CODES {
        let cell = match (number_code, code) {
            (true, "1.1") => Number(1.1),
            _ => Text(code),
        };
        rows.push((cell, Number(1.0), Text("1")));
    }
    rows
}

fn refused(folder: &Path) -> String {
    match read_session_dir(folder, None) {
        Ok(_) => panic!("the folder should be refused"),
        Err(errors) => show(&errors),
    }
}

#[test]
fn a_small_phu_bieu_found_by_its_title_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    let path = folder.join("phu-bieu/bang-diem.xlsx");
    small_phu_bieu(&path, "Đơn vị: SỞ TÀI CHÍNH", &ten_leaves(false));
    let imported = import(&folder);
    let (unit, rows) = &imported.batch.submissions[0];
    assert_eq!(unit, "STC");
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|row| row.score == Some(1.into())));
}

#[test]
fn malformed_phu_bieu_are_refused_at_their_cell() {
    let wrong_max = {
        let mut rows = ten_leaves(false);
        rows[3].1 = Text("1,5");
        rows
    };
    let invisible = {
        let mut rows = ten_leaves(false);
        rows[2].0 = Text("1.2\u{a0}");
        rows
    };
    let cases: [(&str, &str, Vec<_>, &str); 6] = [
        (
            "SNV.xlsx",
            "",
            invisible,
            "SNV.xlsx:Sheet1!A7: criterion_code: '1.2' contains an invisible character (U+00A0)",
        ),
        (
            "SNV.xlsx",
            "Đơn vị: Sở Nội vụ",
            wrong_max,
            "SNV.xlsx:Sheet1!C8: criterion 1.3 has the maximum 1.5 but the session's criteria say 1: the unit used another version",
        ),
        (
            "bang-diem.xlsx",
            "Đơn vị: Sở Xây dựng",
            ten_leaves(false),
            "bang-diem.xlsx:Sheet1!A1: whose phụ biểu this is is not known: the file name 'bang-diem' is no unit code",
        ),
        (
            "bang-diem.xlsx",
            "Sở Nội vụ và Sở Tài chính",
            ten_leaves(false),
            "bang-diem.xlsx:Sheet1!A2: the title names two units, SNV and STC",
        ),
        (
            "SNV.xlsx",
            "",
            ten_leaves(true),
            "SNV.xlsx:Sheet1!A6: the criterion code is the number 1.1: it could be 1.1 or 1.10; format the code column as text",
        ),
        (
            "SNV.xlsx",
            "",
            vec![(Text("Mã"), Text("Điểm"), Empty)],
            "SNV.xlsx:Sheet1!A1: no header row: none of the first 30 rows has the columns ma_tieu_chi, diem_toi_da, diem_tu_cham",
        ),
    ];
    for (file, title, rows, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let folder = small_session(tmp.path());
        let path = folder.join("phu-bieu").join(file);
        if expected.contains("no header row") {
            let mut workbook = Workbook::new();
            workbook
                .add_worksheet()
                .write_string(0, 0, "Bảng điểm")
                .unwrap();
            workbook.save(&path).unwrap();
        } else {
            small_phu_bieu(&path, title, &rows);
        }
        let errors = refused(&folder);
        assert!(errors.contains(expected), "{expected}\n{errors}");
    }
}

#[test]
fn a_unit_in_phu_bieu_and_in_self_scores_or_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score\nSNV,1.1,1\n",
    )
    .unwrap();
    small_phu_bieu(&folder.join("phu-bieu/SNV.xlsx"), "", &ten_leaves(false));
    let errors = refused(&folder);
    assert!(
        errors.contains(
            "phu-bieu/SNV.xlsx: unit SNV is given both in this phụ biểu and in self_scores.csv"
        ),
        "{errors}"
    );
    fs::remove_file(folder.join("self_scores.csv")).unwrap();
    let title = "BẢNG CHẤM ĐIỂM - Đơn vị: Sở Nội vụ";
    small_phu_bieu(
        &folder.join("phu-bieu/so-noi-vu.xlsx"),
        title,
        &ten_leaves(false),
    );
    let errors = refused(&folder);
    assert!(
        errors.contains("phu-bieu/so-noi-vu.xlsx: unit SNV already has the phụ biểu SNV.xlsx"),
        "{errors}"
    );
}

#[test]
fn subtotals_totals_and_survey_points_that_do_not_add_up_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    let mut rows = ten_leaves(false);
    rows[0].2 = Text("9,5");
    rows.push((Empty, Empty, Empty));
    rows.push((Text("Tổng cộng"), Empty, Number(11.0)));
    rows.push((Empty, Text("THỦ TRƯỞNG ĐƠN VỊ"), Empty));
    small_phu_bieu(&folder.join("phu-bieu/SNV.xlsx"), "", &rows);
    let warnings = show(&import(&folder).warnings);
    assert!(
        warnings
            .contains("SNV.xlsx:Sheet1!D5: 1's self-score reads 9.5 but its leaves add up to 10"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "SNV.xlsx:Sheet1!D17: the total row reads 11 but the self-scores add up to 10"
        ),
        "{warnings}"
    );
}

#[test]
fn a_new_phu_bieu_is_a_new_submission_and_a_bad_one_leaves_the_store_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    small_phu_bieu(&folder.join("phu-bieu/SNV.xlsx"), "", &ten_leaves(false));
    small_phu_bieu(&folder.join("phu-bieu/STC.xlsx"), "", &ten_leaves(false));
    let db = tmp.path().join("council.db");
    let db = db.to_str().unwrap();
    let first = council(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--db", db],
    );
    assert!(first.status.success(), "{}", text(&first.stderr));
    // A resubmission folder holding only phu-bieu/: SNV scores 1.2 at zero.
    let again = tmp.path().join("lan-2");
    fs::create_dir_all(again.join("phu-bieu")).unwrap();
    let mut rows = ten_leaves(false);
    rows[2].2 = Text("0");
    small_phu_bieu(&again.join("phu-bieu/SNV.xlsx"), "", &rows);
    let args = [
        "import",
        again.to_str().unwrap(),
        "--db",
        db,
        "--lang",
        "en",
    ];
    let second = council(tmp.path(), &args);
    assert!(second.status.success(), "{}", text(&second.stderr));
    let history = council(
        tmp.path(),
        &["history", "--unit", "SNV", "--db", db, "--format", "csv"],
    );
    let history = text(&history.stdout);
    let new_version = |l: &&str| l.starts_with("SNV,1.2,") && l.contains(",submission,0,v2");
    assert!(history.lines().any(|l| new_version(&l)), "{history}");
    // A bad one: nothing written.
    let before = fs::read(db).unwrap();
    rows[2].1 = Number(2.0);
    small_phu_bieu(&again.join("phu-bieu/SNV.xlsx"), "", &rows);
    let refused = council(tmp.path(), &args);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("SNV.xlsx:Sheet1!C7: criterion 1.2 has the maximum 2"),
        "{stderr}"
    );
    assert_eq!(fs::read(db).unwrap(), before);
    // council check reads them too.
    let check = council(
        tmp.path(),
        &["check", again.to_str().unwrap(), "--db", db, "--lang", "en"],
    );
    assert_eq!(check.status.code(), Some(3));
    assert!(text(&check.stderr).contains("Sheet1!C7"));
}

#[test]
fn a_phu_bieu_claim_above_the_maximum_is_kept_with_a_warning_or_refused_with_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    let mut rows = ten_leaves(false);
    rows[5].2 = Number(2.0);
    small_phu_bieu(
        &folder.join("phu-bieu/snv.xlsx"),
        "Đơn vị: Sở Nội vụ",
        &rows,
    );
    let imported = import(&folder);
    let warnings = show(&imported.warnings);
    assert!(
        warnings.contains(
            "snv.xlsx:Sheet1!D10: Điểm tự chấm: 2 is above the maximum 1 of criterion 1.5"
        ),
        "{warnings}"
    );
    let strict = council::io::import::ImportOptions { strict: true };
    let strictly = council::io::import::read_session(&folder, None, strict).unwrap_err();
    assert!(show(&strictly.errors).contains("snv.xlsx:Sheet1!D10: "));
    // Named only by a look-alike of a code, and no title: refused with the hint.
    small_phu_bieu(&folder.join("phu-bieu/snv.xlsx"), "", &rows);
    let errors = refused(&folder);
    assert!(
        errors.contains("the file name 'snv' is no unit code (did you mean 'SNV'?)"),
        "{errors}"
    );
}

#[test]
fn a_note_and_an_explanation_are_one_note() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "STT",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Ghi chú",
        "Giải trình",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    let rows = [
        ("1.1", "Đủ", ""),
        ("1.2", "", "Chậm 2 ngày"),
        ("1.3", "Có", "Bổ sung"),
    ];
    for (row, (code, note, explanation)) in rows.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, *code).unwrap();
        sheet.write_number(row, 1, 1).unwrap();
        sheet.write_number(row, 2, 1).unwrap();
        sheet.write_string(row, 3, *note).unwrap();
        sheet.write_string(row, 4, *explanation).unwrap();
    }
    workbook.save(folder.join("phu-bieu/SNV.xlsx")).unwrap();
    let imported = import(&folder);
    let notes: Vec<&str> = (imported.batch.submissions[0].1.iter())
        .map(|row| row.note.as_str())
        .collect();
    assert_eq!(notes, ["Đủ", "Chậm 2 ngày", "Có\nBổ sung"]);
}

#[test]
fn a_header_of_two_rows_under_merged_cells_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let merged = Format::new().set_bold();
    sheet.merge_range(0, 0, 1, 0, "STT", &merged).unwrap();
    sheet.merge_range(0, 1, 1, 1, "Tiêu chí", &merged).unwrap();
    sheet.merge_range(0, 2, 0, 4, "Điểm", &merged).unwrap();
    for (column, name) in ["Tối đa", "Tự chấm", "Thẩm định"].iter().enumerate() {
        sheet.write_string(1, column as u16 + 2, *name).unwrap();
    }
    sheet.write_string(2, 0, "1.1").unwrap();
    sheet.write_number(2, 2, 1).unwrap();
    sheet.write_string(2, 3, "0,5").unwrap();
    workbook.save(folder.join("phu-bieu/STC.xlsx")).unwrap();
    let imported = import(&folder);
    let (unit, rows) = &imported.batch.submissions[0];
    assert_eq!(
        (unit.as_str(), rows[0].criterion_code.as_str()),
        ("STC", "1.1")
    );
    assert_eq!(rows[0].score, Some(rust_decimal::Decimal::new(5, 1)));
}

#[test]
fn a_phu_bieu_replaces_the_evidence_of_the_items_it_gives_evidence_for() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = small_session(tmp.path());
    fs::write(
        folder.join("evidence.csv"),
        "unit_code,criterion_code,ref,title\nSNV,1.1,1/KH-SNV,Cũ\nSNV,1.2,2/KH-SNV,Giữ lại\n",
    )
    .unwrap();
    let path = folder.join("phu-bieu/SNV.xlsx");
    small_phu_bieu_with_evidence(&path, "", &ten_leaves(false), &[(1, "9/QĐ-SNV Mới")]);
    let imported = import(&folder);
    let (_, rows) = &imported.batch.submissions[0];
    let evidence = |code: &str| {
        let row = rows.iter().find(|row| row.criterion_code == code).unwrap();
        let list = row.evidence.clone().unwrap_or_default();
        list.into_iter()
            .map(|e| format!("{} {}", e.reference, e.title))
            .collect::<Vec<_>>()
    };
    assert_eq!(evidence("1.1"), ["9/QĐ-SNV Mới"]);
    assert_eq!(evidence("1.2"), ["2/KH-SNV Giữ lại"]);
}
