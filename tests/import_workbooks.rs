//! Session files given as workbooks (`units.xlsx` for `units.csv`, …) and CSV saved by a
//! Vietnamese-locale Excel: they read to the same batch as their CSV twins, and what is wrong
//! with them is reported at `file:sheet!cell`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, import, show, text};
use council::io::import::read_session_dir;
use rust_xlsxwriter::{Format, Workbook};
use std::fs;
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
const SESSION_FILES: [&str; 6] = [
    "criteria",
    "units",
    "self_scores",
    "evidence",
    "proposals",
    "survey",
];
/// The columns written as number cells (every other row; the rest as text with a decimal
/// comma, as people type them).
const POINTS_COLUMNS: [&str; 6] = [
    "max_points",
    "min_points",
    "step",
    "self_score",
    "proposed_score",
    "score",
];

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Writes a table as the first sheet of a workbook, under a merged title and the national
/// header, as real workbooks have them: the header row is row 5.
fn write_workbook(rows: &[Vec<String>], path: &Path) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "BẢNG CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
            &bold,
        )
        .unwrap();
    sheet
        .write_string(1, 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        .unwrap();
    sheet
        .write_string(2, 3, "Độc lập - Tự do - Hạnh phúc")
        .unwrap();
    let header = &rows[0];
    for (row, cells) in rows.iter().enumerate() {
        let at = row as u32 + 4;
        for (column, cell) in cells.iter().enumerate() {
            let points = row > 0 && POINTS_COLUMNS.contains(&header[column].as_str());
            let number = cell.replace(',', ".").parse::<f64>().ok();
            match number {
                Some(number) if points && row % 2 == 0 => {
                    sheet.write_number(at, column as u16, number).unwrap();
                }
                _ if points => {
                    sheet
                        .write_string(at, column as u16, cell.replace('.', ","))
                        .unwrap();
                }
                _ if !cell.is_empty() => {
                    sheet.write_string(at, column as u16, cell).unwrap();
                }
                _ => {}
            }
        }
    }
    workbook.save(path).unwrap();
}

/// data/sample with each named file as a workbook instead of its CSV.
fn sample_with_workbooks(dir: &Path, as_workbooks: &[&str]) -> PathBuf {
    let folder = dir.join("ho-so");
    fs::create_dir_all(&folder).unwrap();
    for name in SESSION_FILES {
        let csv = Path::new(SAMPLE).join(format!("{name}.csv"));
        if as_workbooks.contains(&name) {
            write_workbook(&read_csv(&csv), &folder.join(format!("{name}.xlsx")));
        } else {
            fs::copy(&csv, folder.join(format!("{name}.csv"))).unwrap();
        }
    }
    folder
}

#[test]
fn the_sample_as_workbooks_reads_as_its_csv_twin() {
    let csv = import(Path::new(SAMPLE));
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &SESSION_FILES);
    let read = import(&folder);
    assert_eq!(read.batch, csv.batch);
    assert_eq!(read.warning_count, csv.warning_count);
}

/// Rows of the criteria for a framework with both 1.1 and 1.10 (1.1 to 1.10, one point
/// each).
fn ten_criteria() -> String {
    let mut rows = String::from("code,title,max_points\n1,Chỉ đạo,10\n");
    for n in 1..=10 {
        rows.push_str(&format!("1.{n},Tiêu chí {n},1\n"));
    }
    rows
}

/// A folder of criteria.csv (`criteria`), units.csv and self_scores.xlsx written by `write`.
fn folder_with_self_scores(
    dir: &Path,
    criteria: &str,
    write: impl FnOnce(&mut rust_xlsxwriter::Worksheet),
) -> PathBuf {
    let folder = dir.join("ho-so");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("criteria.csv"), criteria).unwrap();
    fs::write(
        folder.join("units.csv"),
        "unit_code,unit_name\nSNV,Sở Nội vụ\n",
    )
    .unwrap();
    let mut workbook = Workbook::new();
    write(workbook.add_worksheet());
    workbook.save(folder.join("self_scores.xlsx")).unwrap();
    folder
}

fn errors_of(folder: &Path) -> String {
    match read_session_dir(folder, None) {
        Ok(_) => panic!("the folder should be refused"),
        Err(errors) => show(&errors),
    }
}

#[test]
fn a_code_stored_as_a_number_is_read_when_it_can_be_only_one_code() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = folder_with_self_scores(tmp.path(), &ten_criteria(), |sheet| {
        for (column, name) in ["unit_code", "criterion_code", "self_score"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "SNV").unwrap();
        sheet.write_number(1, 1, 1.2).unwrap();
        sheet.write_number(1, 2, 1).unwrap();
        sheet.write_string(2, 0, "SNV").unwrap();
        sheet.write_number(2, 1, 1.1).unwrap();
        sheet.write_string(2, 2, "0,5").unwrap();
    });
    let errors = errors_of(&folder);
    // 1.2 is only 1.2 (there is no 1.20); 1.1 may be 1.1 or 1.10.
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(
        errors.contains("self_scores.xlsx:Sheet1!B3: ") && errors.contains("1.1 or 1.10"),
        "{errors}"
    );
    assert!(
        errors.contains("format the code column as text"),
        "{errors}"
    );
}

#[test]
fn the_header_is_found_below_title_rows_and_errors_name_the_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let criteria = "code,title,max_points\n1,Chỉ đạo,2\n1.1,Kế hoạch,2\n";
    let folder = folder_with_self_scores(tmp.path(), criteria, |sheet| {
        sheet.write_string(0, 0, "UBND TỈNH LÀO CAI").unwrap();
        sheet.write_string(1, 2, "Đơn vị: Sở Nội vụ").unwrap();
        let header = ["Mã đơn vị", "Mã tiêu chí", "Điểm tự chấm", "Ghi chú"];
        for (column, name) in header.iter().enumerate() {
            sheet.write_string(3, column as u16 + 1, *name).unwrap();
        }
        sheet.write_string(4, 1, "SNV").unwrap();
        sheet.write_string(4, 2, "1.1").unwrap();
        sheet.write_number(4, 3, 2.5).unwrap();
    });
    let warnings = show(&import(&folder).warnings);
    assert!(
        warnings.contains("self_scores.xlsx:Sheet1!D5: self_score: 2.5 is above the maximum 2"),
        "{warnings}"
    );
}

#[test]
fn a_sheet_without_the_header_row_is_refused_at_its_first_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let criteria = "code,title,max_points\n1,Chỉ đạo,2\n1.1,Kế hoạch,2\n";
    let folder = folder_with_self_scores(tmp.path(), criteria, |sheet| {
        sheet.write_string(0, 0, "Bảng điểm").unwrap();
        sheet.write_string(1, 0, "SNV").unwrap();
        sheet.write_string(1, 1, "1.1").unwrap();
    });
    let errors = errors_of(&folder);
    assert!(
        errors.contains("self_scores.xlsx:Sheet1!A1: no header row: none of the first 30 rows"),
        "{errors}"
    );
}

#[test]
fn two_forms_of_one_file_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &["units"]);
    fs::copy(
        Path::new(SAMPLE).join("units.csv"),
        folder.join("units.csv"),
    )
    .unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains("units.xlsx: this file and units.csv are two forms of one file"),
        "{errors}"
    );
}

#[test]
fn csv_saved_by_a_vietnamese_excel_reads_as_the_comma_file() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("ho-so");
    fs::create_dir_all(&folder).unwrap();
    for name in SESSION_FILES {
        let rows = read_csv(&Path::new(SAMPLE).join(format!("{name}.csv")));
        let mut out = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let header = rows[0].clone();
        for row in rows {
            let row: Vec<String> = (row.iter().zip(&header))
                .map(
                    |(cell, column)| match POINTS_COLUMNS.contains(&column.as_str()) {
                        true => cell.replace('.', ","),
                        false => cell.clone(),
                    },
                )
                .collect();
            out.write_record(&row).unwrap();
        }
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(out.into_inner().unwrap());
        fs::write(folder.join(format!("{name}.csv")), bytes).unwrap();
    }
    assert_eq!(import(&folder).batch, import(Path::new(SAMPLE)).batch);
}

#[test]
fn a_refused_workbook_leaves_the_store_untouched_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sample_session(tmp.path());
    let folder = folder_with_self_scores(tmp.path(), &ten_criteria(), |sheet| {
        sheet.write_string(0, 0, "Bảng điểm").unwrap();
    });
    fs::remove_file(folder.join("criteria.csv")).unwrap();
    fs::remove_file(folder.join("units.csv")).unwrap();
    let stderr = import_refused(tmp.path(), &folder, &db);
    assert!(
        stderr.contains("self_scores.xlsx:Sheet1!A1: no header row"),
        "{stderr}"
    );
}

/// data/sample imported into a session in `dir`: its database.
fn sample_session(dir: &Path) -> PathBuf {
    let db = dir.join("council.db");
    let imported = council(dir, &["import", SAMPLE, "--db", db.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    db
}

/// `council import folder` into `db` in English: refused with exit 3 and the database
/// byte for byte as it was; its errors.
fn import_refused(dir: &Path, folder: &Path, db: &Path) -> String {
    let before = fs::read(db).unwrap();
    let args = [
        "import",
        folder.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--lang",
        "en",
    ];
    let out = council(dir, &args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(fs::read(db).unwrap(), before, "{stderr}");
    stderr
}

#[test]
fn what_is_not_a_readable_workbook_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &[]);
    fs::remove_file(folder.join("units.csv")).unwrap();
    fs::write(
        folder.join("units.xlsx"),
        "unit_code,unit_name\nSNV,Sở Nội vụ\n",
    )
    .unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains("units.xlsx: not an .xlsx, .xls or .ods workbook"),
        "{errors}"
    );
    fs::write(folder.join("units.xlsx"), b"PK\x03\x04 broken").unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains("units.xlsx: cannot read the workbook"),
        "{errors}"
    );
    fs::remove_file(folder.join("units.xlsx")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("units.ods")).unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains("units.ods: a device, not a regular file"),
        "{errors}"
    );
}

#[test]
fn invisible_characters_and_dates_in_cells_are_refused_at_the_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let criteria = "code,title,max_points\n1,Chỉ đạo,2\n1.1,Kế hoạch,1\n1.2,Báo cáo,1\n";
    let folder = folder_with_self_scores(tmp.path(), criteria, |sheet| {
        for (column, name) in ["unit_code", "criterion_code", "self_score"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "SNV\u{200B}").unwrap();
        sheet.write_string(1, 1, "1.1").unwrap();
        sheet.write_number(1, 2, 1).unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet.write_string(2, 0, "SNV").unwrap();
        sheet.write_string(2, 1, "1.2").unwrap();
        sheet.write_number_with_format(2, 2, 45658, &date).unwrap();
    });
    let errors = errors_of(&folder);
    assert!(
        errors.contains("self_scores.xlsx:Sheet1!A2: ") && errors.contains("U+200B"),
        "{errors}"
    );
    assert!(
        errors.contains("self_scores.xlsx:Sheet1!C3: self_score: a date cell"),
        "{errors}"
    );
}

#[test]
fn a_criteria_workbook_refuses_a_code_stored_as_a_fraction() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &[]);
    fs::remove_file(folder.join("criteria.csv")).unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["code", "title", "max_points"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    // 1 as a number is 1; 1.1 as a number may have been typed 1.1 or 1.10.
    for (row, (code, max)) in [(1.0, 1.0), (1.1, 1.0)].iter().enumerate() {
        sheet.write_number(row as u32 + 1, 0, *code).unwrap();
        sheet.write_string(row as u32 + 1, 1, "Tiêu chí").unwrap();
        sheet.write_number(row as u32 + 1, 2, *max).unwrap();
    }
    workbook.save(folder.join("criteria.xlsx")).unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains(
            "criteria.xlsx:Sheet1!A3: the code is the number 1.1: whether it was typed 1.1 or 1.10"
        ),
        "{errors}"
    );
    assert!(!errors.contains("Sheet1!A2"), "{errors}");
}

#[test]
fn a_number_code_that_reads_as_a_parent_says_the_cell_was_a_number() {
    let tmp = tempfile::tempdir().unwrap();
    // 1.1 has sub-criteria 1.1.1 and 1.1.2; the unit typed 1.10 into a number cell.
    let criteria =
        "code,title,max_points\n1,Chỉ đạo,2\n1.1,Kế hoạch,2\n1.1.1,Ban hành,1\n1.1.2,Thực hiện,1\n";
    let folder = folder_with_self_scores(tmp.path(), criteria, |sheet| {
        for (column, name) in ["unit_code", "criterion_code", "self_score"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "SNV").unwrap();
        sheet.write_number(1, 1, 1.10).unwrap();
        sheet.write_number(1, 2, 1).unwrap();
    });
    let errors = errors_of(&folder);
    assert!(
        errors.contains("self_scores.xlsx:Sheet1!B2: criterion 1.1 is not a leaf")
            && errors.contains("the code cell is the number 1.1 (a code such as 1.10"),
        "{errors}"
    );
}

#[test]
fn a_workbook_that_would_unpack_to_gigabytes_is_refused_before_it_is_unpacked() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &[]);
    fs::remove_file(folder.join("units.csv")).unwrap();
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "unit_code")
        .unwrap();
    let mut bytes = workbook.save_to_buffer().unwrap();
    // Each entry of the zip's central directory says it unpacks to 3.75 GiB.
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let size = at + found + 24;
        bytes[size..size + 4].copy_from_slice(&0xF000_0000u32.to_le_bytes());
        at = size;
    }
    fs::write(folder.join("units.xlsx"), bytes).unwrap();
    let errors = errors_of(&folder);
    assert!(
        errors.contains("units.xlsx: the workbook unpacks to"),
        "{errors}"
    );
}

#[test]
fn errors_in_a_workbook_read_on_another_thread_name_their_cell_too() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = sample_with_workbooks(tmp.path(), &[]);
    fs::remove_file(folder.join("evidence.csv")).unwrap();
    let rows: Vec<Vec<String>> = [
        "unit_code,criterion_code,ref,title",
        "SNV,1.1.1,495/KH-UBND,Kế hoạch",
        "SNV,1.1.2,,Báo cáo",
    ]
    .iter()
    .map(|line| line.split(',').map(str::to_string).collect())
    .collect();
    // The header is on row 5 (title rows above it), so the empty ref is C7.
    write_workbook(&rows, &folder.join("evidence.xlsx"));
    let errors = errors_of(&folder);
    assert!(errors.contains("evidence.xlsx:Sheet1!C7: "), "{errors}");
}

/// Four .xls files found by the workbook_import fuzz target: one makes calamine panic (its
/// cfb.rs slices past its sector table), one sends it round a sector chain that loops (13 GB
/// of memory for a 7 KB file), one names a cell in column 60,000 (calamine asked for 25 GB
/// for the sheet's rectangle, and the failed allocation ended the process), one declares
/// its sheet's dimensions upside down (calamine's subtraction wraps: 1.2 TB asked for). The
/// real binary refuses each by name, exit 3, at once, no crash line, and the store is untouched.
#[test]
fn a_workbook_that_stops_loops_or_floods_its_reader_is_refused_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sample_session(tmp.path());
    let kept = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/malformed_extra/fuzz_crashes/workbook_import");
    for name in [
        "calamine-cfb-panic",
        "calamine-cfb-chain-loop",
        "calamine-xls-wide-sheet",
        "calamine-xls-dimensions",
    ] {
        let folder = tmp.path().join(name);
        fs::create_dir(&folder).unwrap();
        // The fuzz input's first byte picked the form (.xls); the rest is the file.
        let input = fs::read(kept.join(name)).unwrap();
        fs::write(folder.join("self_scores.xls"), &input[1..]).unwrap();
        let stderr = import_refused(tmp.path(), &folder, &db);
        assert!(
            stderr.contains("self_scores.xls: the workbook is damaged"),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("internal error"), "{name}: {stderr}");
    }
}

/// Copies the fixture workbook `name` to `to`, the entry `entry` changed by `change`.
fn forge(name: &str, to: &Path, entry: &str, change: impl Fn(&mut String)) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks");
    let mut source = zip::ZipArchive::new(fs::File::open(fixtures.join(name)).unwrap()).unwrap();
    let mut forged = zip::ZipWriter::new(fs::File::create(to).unwrap());
    for index in 0..source.len() {
        let mut file = source.by_index(index).unwrap();
        let file_name = file.name().unwrap().to_string();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut body).unwrap();
        if file_name == entry {
            let mut text = String::from_utf8(body).unwrap();
            change(&mut text);
            body = text.into_bytes();
        }
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        forged.start_file(file_name, stored).unwrap();
        std::io::Write::write_all(&mut forged, &body).unwrap();
    }
    forged.finish().unwrap();
}

/// A folder with the workbook fixtures' criteria.csv and units.csv.
fn fixture_folder(tmp: &Path) -> PathBuf {
    let folder = tmp.join("session");
    fs::create_dir(&folder).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks");
    for name in ["criteria.csv", "units.csv"] {
        fs::copy(fixtures.join(name), folder.join(name)).unwrap();
    }
    folder
}

/// `council check` on `folder` in English: exit 3, and its errors.
fn refused(tmp: &Path, folder: &Path) -> String {
    let out = council(tmp, &["check", folder.to_str().unwrap(), "--lang", "en"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    stderr
}

/// An xlsx whose shared-strings table says it holds 99,999,999,999,999 strings: calamine
/// reserves room for them before reading one, and that allocation failure ended the process
/// (signal 6, no message). It is refused by name, exit 3.
#[test]
fn a_workbook_declaring_more_strings_than_it_holds_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = fixture_folder(tmp.path());
    forge(
        "self_scores.xlsx",
        &folder.join("self_scores.xlsx"),
        "xl/sharedStrings.xml",
        |xml| {
            let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + xml[at..].find('"').unwrap();
            xml.replace_range(at..end, "99999999999999");
        },
    );
    let stderr = refused(tmp.path(), &folder);
    assert!(
        stderr.contains("self_scores.xlsx: the workbook is damaged"),
        "{stderr}"
    );
}

/// An .ods of a few kilobytes whose one row is repeated 99,000 times across 1,000 columns:
/// calamine builds that rectangle before handing over a cell (13 GB, then the process was
/// killed). It is refused with the sheet's limit, exit 3, without reading it.
#[test]
fn an_ods_repeating_a_row_past_the_sheet_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = fixture_folder(tmp.path());
    forge(
        "self_scores.ods",
        &folder.join("self_scores.ods"),
        "content.xml",
        |xml| {
            let row = "<table:table-row table:number-rows-repeated=\"99000\"><table:table-cell table:number-columns-repeated=\"1000\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>";
            *xml = xml.replacen("</table:table>", &format!("{row}</table:table>"), 1);
        },
    );
    let stderr = refused(tmp.path(), &folder);
    assert!(
        stderr.contains("self_scores.ods: the sheet has over 16777216 cells"),
        "{stderr}"
    );
}
