//! What an import says about workbooks: a session file given as a workbook, its typed cells,
//! and the per-unit phụ biểu of `phu-bieu/`. Places are `file:sheet!cell` (rendered in
//! import.rs).

use super::{Lang, Localised, pick};
use crate::domain::score::Numbers;
use crate::io::Problem;

/// Whether a problem is one of this module's.
pub(super) fn is_about_workbooks(problem: &Problem) -> bool {
    matches!(
        problem,
        Problem::WorkbookTooLarge(_)
            | Problem::WorkbookExpands(_)
            | Problem::NotAWorkbook
            | Problem::WorkbookEncrypted
            | Problem::WorkbookUnreadable(_)
            | Problem::WorkbookDamaged
            | Problem::WorkbookWithoutSheet
            | Problem::WorkbookTooManyCells(_)
            | Problem::TwoForms { .. }
            | Problem::NoHeaderRow { .. }
            | Problem::NumberCode { .. }
            | Problem::NumberCodeInCriteria(_)
            | Problem::CodeWasNumber(_)
            | Problem::DateCell(_)
            | Problem::PhuBieuNoUnit { .. }
            | Problem::PhuBieuTwoUnits { .. }
            | Problem::PhuBieuTitleNamesOther { .. }
            | Problem::PhuBieuUnitTwice { .. }
            | Problem::PhuBieuAndSelfScores { .. }
            | Problem::NotAPhuBieu(_)
            | Problem::WrongMaximum { .. }
            | Problem::SubtotalDiffers { .. }
            | Problem::TotalDiffers { .. }
            | Problem::SurveyPointsIgnored(_)
    )
}

/// One of this module's problems in words.
pub(super) fn workbook_problem(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::TwoForms { .. } | Problem::NoHeaderRow { .. } => layout(problem, lang),
        Problem::NumberCode { .. }
        | Problem::NumberCodeInCriteria(_)
        | Problem::CodeWasNumber(_)
        | Problem::DateCell(_) => typed_cell(problem, lang),
        Problem::PhuBieuNoUnit { .. }
        | Problem::PhuBieuTwoUnits { .. }
        | Problem::PhuBieuTitleNamesOther { .. }
        | Problem::PhuBieuUnitTwice { .. }
        | Problem::PhuBieuAndSelfScores { .. }
        | Problem::NotAPhuBieu(_) => phu_bieu_unit(problem, lang),
        Problem::WrongMaximum { .. }
        | Problem::SubtotalDiffers { .. }
        | Problem::TotalDiffers { .. }
        | Problem::SurveyPointsIgnored(_) => phu_bieu_points(problem, lang),
        _ => workbook(problem, lang),
    }
}

/// A workbook as a whole: its size, kind, sheets.
fn workbook(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::WorkbookTooLarge(size), _) => {
            let size = match size {
                Some(len) => format!("{len} byte"),
                None => pick(lang, "lớn thêm khi đang đọc", "larger while being read").into(),
            };
            match lang {
                Lang::Vi => format!("sổ tính quá lớn ({size}): không đọc sổ tính lớn hơn 200 MB"),
                Lang::En => format!("the workbook is too large ({size}): workbooks over 200 MB are not read"),
            }
        }
        (Problem::WorkbookExpands(size), Lang::Vi) => format!(
            "sổ tính giải nén ra {size} byte (hơn 2 GiB): không đọc (tệp có bị hỏng không?)"
        ),
        (Problem::WorkbookExpands(size), Lang::En) => format!(
            "the workbook unpacks to {size} bytes (over 2 GiB): not read (is the file damaged?)"
        ),
        (Problem::NotAWorkbook, _) => pick(
            lang,
            "không phải sổ tính .xlsx, .xls hay .ods: hãy mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx",
            "not an .xlsx, .xls or .ods workbook: open it in Excel or LibreOffice and save it as .xlsx",
        )
        .into(),
        (Problem::WorkbookEncrypted, _) => pick(
            lang,
            "sổ tính được bảo vệ bằng mật khẩu: hãy lưu một bản không có mật khẩu",
            "the workbook is protected with a password: save a copy without one",
        )
        .into(),
        (Problem::WorkbookUnreadable(said), Lang::Vi) => {
            format!("không đọc được sổ tính (tệp bị hỏng?): {said}")
        }
        (Problem::WorkbookUnreadable(said), Lang::En) => {
            format!("cannot read the workbook (is it damaged?): {said}")
        }
        (Problem::WorkbookDamaged, _) => pick(
            lang,
            "sổ tính bị hỏng, không đọc hết được: hãy mở bằng Excel hoặc LibreOffice và lưu lại",
            "the workbook is damaged and cannot be read through: open it in Excel or LibreOffice and save it again",
        )
        .into(),
        (Problem::WorkbookWithoutSheet, _) => pick(
            lang,
            "sổ tính không có trang tính nào",
            "the workbook has no worksheet",
        )
        .into(),
        (Problem::WorkbookTooManyCells(cap), Lang::Vi) => {
            format!("trang tính có hơn {cap} ô có dữ liệu: không đọc")
        }
        (Problem::WorkbookTooManyCells(cap), Lang::En) => {
            format!("the sheet has over {cap} cells with data: not read")
        }
        (other, _) => format!("{other:?}"),
    }
}

/// Where a session file's rows are: one form of it, its header row.
fn layout(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::TwoForms { other }, Lang::Vi) => format!(
            "tệp này và {other} là hai dạng của cùng một tệp: hãy giữ lại một (không biết nên đọc tệp nào)"
        ),
        (Problem::TwoForms { other }, Lang::En) => format!(
            "this file and {other} are two forms of one file: keep one (which to read is not known)"
        ),
        (Problem::NoHeaderRow { required, rows }, Lang::Vi) => format!(
            "không tìm thấy dòng tiêu đề: không dòng nào trong {rows} dòng đầu có các cột {}",
            required.join(", ")
        ),
        (Problem::NoHeaderRow { required, rows }, Lang::En) => format!(
            "no header row: none of the first {rows} rows has the columns {}",
            required.join(", ")
        ),
        (other, _) => format!("{other:?}"),
    }
}

/// A cell whose type (a number, a date) does not fit its column.
fn typed_cell(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::NumberCode { number, candidates }, _) if candidates.is_empty() => match lang {
            Lang::Vi => format!("mã tiêu chí {number} (ô số) không phải mã nào của bộ tiêu chí"),
            Lang::En => {
                format!("criterion code {number} (a number cell) is no code of the criteria")
            }
        },
        (Problem::NumberCode { number, candidates }, _) => {
            let candidates = candidates.join(pick(lang, " hoặc ", " or "));
            match lang {
                Lang::Vi => format!(
                    "mã tiêu chí là ô số {number}: có thể là {candidates}; hãy định dạng cột mã là văn bản (Text) và nhập lại mã"
                ),
                Lang::En => format!(
                    "the criterion code is the number {number}: it could be {candidates}; format the code column as text and type the codes again"
                ),
            }
        }
        (Problem::NumberCodeInCriteria(number), Lang::Vi) => format!(
            "mã là ô số {number}: không biết đã nhập {number} hay {number}0; hãy định dạng cột mã là văn bản (Text) và nhập lại mã"
        ),
        (Problem::NumberCodeInCriteria(number), Lang::En) => format!(
            "the code is the number {number}: whether it was typed {number} or {number}0 is not known; format the code column as text and type the codes again"
        ),
        (Problem::CodeWasNumber(number), Lang::Vi) => format!(
            "ô mã là ô số {number} (mã như 1.10 nhập vào ô số thành 1.1): hãy định dạng cột mã là văn bản (Text)"
        ),
        (Problem::CodeWasNumber(number), Lang::En) => format!(
            "the code cell is the number {number} (a code such as 1.10 in a number cell reads 1.1): format the code column as text"
        ),
        (Problem::DateCell(column), Lang::Vi) => format!(
            "{column}: ô có kiểu ngày tháng: bảng tính đã hiểu giá trị là ngày; hãy định dạng ô là văn bản hoặc số"
        ),
        (Problem::DateCell(column), Lang::En) => format!(
            "{column}: a date cell: the spreadsheet took the value for a date; format the cell as text or a number"
        ),
        (other, _) => format!("{other:?}"),
    }
}

/// Whose phụ biểu a workbook is.
fn phu_bieu_unit(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::PhuBieuNoUnit { stem, like }, _) => {
            let stem = stem.text(lang);
            let like = match (like, lang) {
                (Some(like), Lang::Vi) => format!(" (có phải '{}'?)", like.text(lang)),
                (Some(like), Lang::En) => format!(" (did you mean '{}'?)", like.text(lang)),
                (None, _) => String::new(),
            };
            match lang {
                Lang::Vi => format!(
                    "không biết phụ biểu của đơn vị nào: tên tệp '{stem}' không phải mã đơn vị{like} và không ô tiêu đề nào nêu tên một đơn vị (như \"Đơn vị: Sở Nội vụ\"); hãy đặt tên tệp theo mã đơn vị"
                ),
                Lang::En => format!(
                    "whose phụ biểu this is is not known: the file name '{stem}' is no unit code{like} and no title cell names a unit (as \"Đơn vị: Sở Nội vụ\" does); name the file after the unit code"
                ),
            }
        }
        (Problem::PhuBieuTwoUnits { first, second }, Lang::Vi) => format!(
            "tiêu đề nêu tên hai đơn vị, {first} và {second}: hãy đặt tên tệp theo mã đơn vị"
        ),
        (Problem::PhuBieuTwoUnits { first, second }, Lang::En) => format!(
            "the title names two units, {first} and {second}: name the file after the unit code"
        ),
        (Problem::PhuBieuTitleNamesOther { unit, named }, Lang::Vi) => format!(
            "tên tệp là mã đơn vị {unit} nhưng tiêu đề nêu tên đơn vị {named}: đọc là phụ biểu của {unit}"
        ),
        (Problem::PhuBieuTitleNamesOther { unit, named }, Lang::En) => format!(
            "the file is named for unit {unit} but the title names unit {named}: read as {unit}'s"
        ),
        (Problem::PhuBieuUnitTwice { unit, other }, Lang::Vi) => {
            format!("đơn vị {unit} đã có phụ biểu {other}: mỗi đơn vị chỉ một phụ biểu")
        }
        (Problem::PhuBieuUnitTwice { unit, other }, Lang::En) => {
            format!("unit {unit} already has the phụ biểu {other}: one per unit")
        }
        (Problem::PhuBieuAndSelfScores { unit, file }, Lang::Vi) => format!(
            "đơn vị {unit} có cả phụ biểu này và các dòng trong {file}: hãy bỏ một trong hai"
        ),
        (Problem::PhuBieuAndSelfScores { unit, file }, Lang::En) => format!(
            "unit {unit} is given both in this phụ biểu and in {file}: leave out one of them"
        ),
        (Problem::NotAPhuBieu(name), Lang::Vi) => format!(
            "bỏ qua '{}' trong phu-bieu/: không phải sổ tính .xlsx, .xls hay .ods",
            name.text(lang)
        ),
        (Problem::NotAPhuBieu(name), Lang::En) => format!(
            "'{}' in phu-bieu/ ignored: not an .xlsx, .xls or .ods workbook",
            name.text(lang)
        ),
        (other, _) => format!("{other:?}"),
    }
}

/// A phụ biểu's points checked against the framework and against themselves.
fn phu_bieu_points(problem: &Problem, lang: Lang) -> String {
    let n = |points| Numbers::of(lang).points(points);
    match (problem, lang) {
        (
            Problem::WrongMaximum {
                code,
                found,
                expected,
            },
            Lang::Vi,
        ) => format!(
            "điểm tối đa của tiêu chí {code} là {} nhưng bộ tiêu chí của phiên họp ghi {}: đơn vị đã dùng một phiên bản khác của bộ tiêu chí",
            n(*found),
            n(*expected)
        ),
        (
            Problem::WrongMaximum {
                code,
                found,
                expected,
            },
            Lang::En,
        ) => format!(
            "criterion {code} has the maximum {} but the session's criteria say {}: the unit used another version of the criteria",
            n(*found),
            n(*expected)
        ),
        (Problem::SubtotalDiffers { code, found, sum }, Lang::Vi) => format!(
            "điểm tự chấm của {code} ghi {} nhưng tổng các tiêu chí thành phần là {}: nhập theo từng tiêu chí thành phần",
            n(*found),
            n(*sum)
        ),
        (Problem::SubtotalDiffers { code, found, sum }, Lang::En) => format!(
            "{code}'s self-score reads {} but its leaves add up to {}: the leaves are imported",
            n(*found),
            n(*sum)
        ),
        (Problem::TotalDiffers { found, sum }, Lang::Vi) => format!(
            "dòng tổng cộng ghi {} nhưng tổng điểm tự chấm các tiêu chí là {}: nhập theo từng tiêu chí",
            n(*found),
            n(*sum)
        ),
        (Problem::TotalDiffers { found, sum }, Lang::En) => format!(
            "the total row reads {} but the self-scores add up to {}: the leaves are imported",
            n(*found),
            n(*sum)
        ),
        (Problem::SurveyPointsIgnored(code), Lang::Vi) => format!(
            "bỏ qua điểm của tiêu chí điều tra xã hội học {code}: điểm này lấy từ survey.csv"
        ),
        (Problem::SurveyPointsIgnored(code), Lang::En) => {
            format!("points of survey criterion {code} ignored: they come from survey.csv")
        }
        (other, _) => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::excerpt;
    use rust_decimal::Decimal;

    /// Every problem this module renders, once.
    fn problems() -> Vec<Problem> {
        let code = || "1.1".to_string();
        vec![
            Problem::WorkbookTooLarge(Some(300 << 20)),
            Problem::WorkbookTooLarge(None),
            Problem::WorkbookExpands(3 << 30),
            Problem::NotAWorkbook,
            Problem::WorkbookEncrypted,
            Problem::WorkbookUnreadable("invalid zip".into()),
            Problem::WorkbookDamaged,
            Problem::WorkbookWithoutSheet,
            Problem::WorkbookTooManyCells(50_000_000),
            Problem::TwoForms {
                other: "units.csv".into(),
            },
            Problem::NoHeaderRow {
                required: vec!["unit_code", "self_score"],
                rows: 30,
            },
            Problem::NumberCode {
                number: code(),
                candidates: vec![code(), "1.10".into()],
            },
            Problem::NumberCode {
                number: "9".into(),
                candidates: Vec::new(),
            },
            Problem::NumberCodeInCriteria(code()),
            Problem::CodeWasNumber(code()),
            Problem::DateCell("self_score"),
            Problem::PhuBieuNoUnit {
                stem: excerpt("snv", 60),
                like: Some(excerpt("SNV", 60)),
            },
            Problem::PhuBieuTwoUnits {
                first: "SNV".into(),
                second: "STC".into(),
            },
            Problem::PhuBieuTitleNamesOther {
                unit: "SNV".into(),
                named: "STC".into(),
            },
            Problem::PhuBieuUnitTwice {
                unit: "SNV".into(),
                other: "SNV.xlsx".into(),
            },
            Problem::PhuBieuAndSelfScores {
                unit: "SNV".into(),
                file: "self_scores.csv".into(),
            },
            Problem::WrongMaximum {
                code: code(),
                found: Decimal::new(25, 1),
                expected: Decimal::new(2, 0),
            },
            Problem::SubtotalDiffers {
                code: code(),
                found: Decimal::new(15, 1),
                sum: Decimal::new(1, 0),
            },
            Problem::TotalDiffers {
                found: Decimal::new(80, 0),
                sum: Decimal::new(795, 1),
            },
            Problem::SurveyPointsIgnored("8.1.1".into()),
            Problem::NotAPhuBieu(excerpt("notes.txt", 60)),
        ]
    }

    #[test]
    fn every_workbook_problem_is_said_in_both_languages() {
        for problem in problems() {
            let (vi, en) = (problem.text(Lang::Vi), problem.text(Lang::En));
            for text in [&vi, &en] {
                // Not the Debug fallback.
                assert!(!text.contains('{') && !text.contains("Problem"), "{text}");
            }
            assert_ne!(vi, en, "{problem:?}");
        }
        let maximum = problems()
            .into_iter()
            .find(|p| matches!(p, Problem::WrongMaximum { .. }))
            .unwrap();
        assert!(maximum.text(Lang::Vi).contains("2,5"));
        assert!(maximum.text(Lang::En).contains("2.5"));
    }
}
