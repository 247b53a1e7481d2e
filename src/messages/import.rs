//! What an import says about its files: `file:line:column: ` and the problem, for errors and
//! warnings alike. Column names stay as written in the CSV files (`self_score`, `max_points`)
//! so that they can be found in the spreadsheet; text from the system or the CSV reader stays
//! as they wrote it.

use super::{Lang, Localised, english_display, pick};
use crate::io::import::SESSION_FILES;
use crate::io::{
    CodeCell, FileKind, FolderEntry, InputError, NotRead, NotUtf8, Problem, RequiredCell,
    RequiredFile, ScoredBy, Separator, UnknownColumn,
};

use super::workbook::{is_about_workbooks, workbook_problem};

english_display!(InputError, Problem);

impl Localised for InputError {
    fn text(&self, lang: Lang) -> String {
        let mut place = self.file.display().to_string();
        match (&self.sheet, self.line) {
            (Some(sheet), Some(row)) => {
                place.push(':');
                place.push_str(&sheet_cell(sheet, row, self.column));
            }
            (None, Some(line)) => {
                place.push_str(&format!(":{line}"));
                if let Some(column) = self.column {
                    place.push_str(&format!(":{column}"));
                }
            }
            (_, None) => {}
        }
        format!("{place}: {}", self.problem.text(lang))
    }
}

/// A cell as Excel and LibreOffice name it, `Sheet1!F14`, the sheet's name in quotes when it
/// is more than letters, digits and `_` (`'Phụ biểu 1'!F14`); a whole row is `Sheet1!14:14`.
pub fn sheet_cell(sheet: &str, row: u64, column: Option<u64>) -> String {
    let plain = !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    let sheet = if plain {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    match column {
        Some(column) => format!("{sheet}!{}{row}", column_letters(column)),
        None => format!("{sheet}!{row}:{row}"),
    }
}

/// A 1-based column number in letters: 1 → A, 26 → Z, 27 → AA.
pub fn column_letters(column: u64) -> String {
    let mut letters = Vec::new();
    let mut n = column.max(1);
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

impl Localised for Problem {
    fn text(&self, lang: Lang) -> String {
        match self {
            Problem::NothingToRead { .. } | Problem::RequiredFileMissing(_) => folder(self, lang),
            Problem::TooLarge(_)
            | Problem::CannotRead(_)
            | Problem::DanglingLink { .. }
            | Problem::NotARegularFile(_)
            | Problem::NotUtf8(_)
            | Problem::UnclosedQuote
            | Problem::RecordTooLong
            | Problem::NotCsv(_) => file(self, lang),
            workbook if is_about_workbooks(workbook) => workbook_problem(workbook, lang),
            Problem::EmptyFile { .. }
            | Problem::ColumnTwice { .. }
            | Problem::MissingColumn { .. }
            | Problem::UnknownColumns { .. }
            | Problem::TooFewFields { .. }
            | Problem::TooManyFields { .. } => header(self, lang),
            Problem::EmptyCell(_)
            | Problem::Invisible { .. }
            | Problem::BadCode { .. }
            | Problem::UnknownUnit { .. }
            | Problem::UnknownCriterion(_)
            | Problem::BadKind(_) => code_cell(self, lang),
            Problem::NotALeaf { .. }
            | Problem::SurveyLeafScored { .. }
            | Problem::NotASurveyLeaf { .. }
            | Problem::SurveyEvidence(_) => misplaced(self, lang),
            Problem::DuplicateRow { .. }
            | Problem::DuplicateCriterion { .. }
            | Problem::DuplicateUnit { .. }
            | Problem::LookAlike { .. } => repeated(self, lang),
            Problem::BadScore { .. }
            | Problem::OutOfRange { .. }
            | Problem::ClaimKept { .. }
            | Problem::Framework(_)
            | Problem::NoCriteria => points(self, lang),
            Problem::EmptySelfScore
            | Problem::LeavesWithoutSelfScore { .. }
            | Problem::NoSelfScoreRows(_)
            | Problem::CarriedForward { .. }
            | Problem::RepeatedEvidence { .. }
            | Problem::EmptyScoresSkipped { .. } => rows(self, lang),
            Problem::MoreErrors(more) => match lang {
                Lang::Vi => format!("… và {more} lỗi khác"),
                Lang::En => format!("… {more} more errors"),
            },
            Problem::MoreWarnings(more) => match lang {
                Lang::Vi => format!("… và {more} cảnh báo khác"),
                Lang::En => format!("… {more} more warnings"),
            },
            Problem::Also(first, more) => format!("{}; {}", first.text(lang), more.text(lang)),
            Problem::System(said) => said.clone(),
            Problem::SessionFileTooLarge
            | Problem::SessionFileNotUtf8
            | Problem::SettingNotTextOrNumber(_)
            | Problem::Setting(_) => session_file(self, lang),
            agenda_problem => agenda(agenda_problem, lang),
        }
    }
}

/// The folder: nothing to read in it, or a file a new session needs.
fn folder(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::NothingToRead { found, more } => {
            let names = SESSION_FILES.join(", ");
            let found = found_instead(lang, found, *more);
            match lang {
                Lang::Vi => format!(
                    "không có gì để nhập: thư mục không có tệp nào của phiên họp ({names}, \
                     mỗi tệp có thể là .xlsx, .xls hay .ods; hoặc thư mục phu-bieu/); {found}"
                ),
                Lang::En => format!(
                    "nothing to import: the folder has none of the session files ({names}, \
                     each also as .xlsx, .xls or .ods; or a phu-bieu/ folder); {found}"
                ),
            }
        }
        Problem::RequiredFileMissing(file) => {
            let (name, columns) = match file {
                RequiredFile::Criteria => ("criteria.csv", "code, title, max_points"),
                RequiredFile::Units => ("units.csv", "unit_code, unit_name"),
                RequiredFile::SelfScores => {
                    ("self_scores.csv", "unit_code, criterion_code, self_score")
                }
            };
            let stem = name.trim_end_matches(".csv");
            let phu_bieu = match (file, lang) {
                (RequiredFile::SelfScores, Lang::Vi) => ", hoặc phụ biểu trong phu-bieu/",
                (RequiredFile::SelfScores, Lang::En) => ", or phụ biểu in phu-bieu/",
                _ => "",
            };
            match lang {
                Lang::Vi => format!(
                    "không tìm thấy tệp: phiên họp mới cần tệp {name} ({columns}; hoặc \
                     {stem}.xlsx, .xls, .ods){phu_bieu}"
                ),
                Lang::En => format!(
                    "file not found: a new session needs {name} ({columns}; or {stem}.xlsx, \
                     .xls, .ods){phu_bieu}"
                ),
            }
        }
        other => format!("{other:?}"),
    }
}

/// What a folder without the session files holds, each with why it was not read.
fn found_instead(lang: Lang, found: &[FolderEntry], more: usize) -> String {
    if found.is_empty() {
        return pick(lang, "thư mục trống", "the folder is empty").into();
    }
    let mut entries: Vec<String> = found
        .iter()
        .map(|entry| format!("{} ({})", entry.name.text(lang), not_read(lang, &entry.why)))
        .collect();
    if more > 0 {
        entries.push(match lang {
            Lang::Vi => format!("… và {more} mục khác"),
            Lang::En => format!("… and {more} more"),
        });
    }
    match lang {
        Lang::Vi => format!("thay vào đó có: {}", entries.join("; ")),
        Lang::En => format!("found instead: {}", entries.join("; ")),
    }
}

fn not_read(lang: Lang, why: &NotRead) -> String {
    match (why, lang) {
        (NotRead::DanglingLink, _) => pick(
            lang,
            "liên kết tới một thứ không tồn tại",
            "a link to something that does not exist",
        )
        .into(),
        (NotRead::NameCase(file), Lang::Vi) => {
            format!("tên tệp phân biệt chữ hoa, chữ thường: hãy đổi tên thành {file}")
        }
        (NotRead::NameCase(file), Lang::En) => {
            format!("names are case-sensitive: rename it {file}")
        }
        (NotRead::Workbook(stem), Lang::Vi) => format!(
            "là sổ tính dạng không đọc được: hãy lưu dưới dạng .xlsx với tên {stem}.xlsx, \
             hoặc CSV UTF-8 với tên {stem}.csv"
        ),
        (NotRead::Workbook(stem), Lang::En) => format!(
            "a workbook of a kind not read: save it as .xlsx named {stem}.xlsx, or as CSV \
             UTF-8 named {stem}.csv"
        ),
        (NotRead::NotCsv(file), Lang::Vi) => {
            format!("không phải tệp .csv: hãy lưu dưới dạng CSV UTF-8 với tên {file}")
        }
        (NotRead::NotCsv(file), Lang::En) => {
            format!("not a .csv file: save it as CSV UTF-8 named {file}")
        }
        (NotRead::NotASessionFile, _) => {
            pick(lang, "không phải tệp của phiên họp", "not a session file").into()
        }
    }
}

/// The file as a whole: its kind, size, encoding, quoting.
fn file(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::TooLarge(size), _) => {
            let size = match (size, lang) {
                (Some(len), Lang::Vi) => format!("{len} byte"),
                (Some(len), Lang::En) => format!("{len} bytes"),
                (None, _) => pick(lang, "lớn thêm khi đang đọc", "larger while being read").into(),
            };
            match lang {
                Lang::Vi => {
                    format!("tệp quá lớn ({size}): không đọc tệp của phiên họp lớn hơn 2 GiB")
                }
                Lang::En => {
                    format!("the file is too large ({size}): session files over 2 GiB are not read")
                }
            }
        }
        (Problem::CannotRead(error), Lang::Vi) => format!("không đọc được tệp: {error}"),
        (Problem::CannotRead(error), Lang::En) => format!("cannot read the file: {error}"),
        (Problem::DanglingLink { target, error }, Lang::Vi) => {
            format!("là liên kết tới '{target}', không đọc được ({error}); không đọc tệp này")
        }
        (Problem::DanglingLink { target, error }, Lang::En) => {
            format!("a link to '{target}', which cannot be read ({error}); not read")
        }
        (Problem::NotARegularFile(kind), _) => not_a_regular_file(lang, *kind),
        (Problem::NotUtf8(why), _) => not_utf8(lang, *why),
        (Problem::UnclosedQuote, _) => pick(
            lang,
            "một ô mở ngoặc kép ở đây nhưng không bao giờ đóng lại: phần còn lại của tệp sẽ bị đọc \
             vào ô này; hãy thêm dấu ngoặc kép đóng (\")",
            "a quoted field opens here and is never closed: the rest of the file would be read \
             into this one cell; add the closing quote (\")",
        )
        .into(),
        (Problem::RecordTooLong, _) => pick(
            lang,
            "dòng này dài hơn 128 MiB: không đọc dòng dài như vậy (tệp có phải văn bản CSV không?)",
            "this row is longer than 128 MiB: rows that long are not read (is the file CSV text?)",
        )
        .into(),
        (Problem::NotCsv(error), Lang::Vi) => format!("không đọc được tệp CSV: {error}"),
        (Problem::NotCsv(error), Lang::En) => format!("cannot read the CSV: {error}"),
        (other, _) => format!("{other:?}"),
    }
}

fn not_a_regular_file(lang: Lang, kind: FileKind) -> String {
    let (vi, en) = match kind {
        FileKind::Folder => ("một thư mục", "a folder"),
        FileKind::Fifo => ("một FIFO (ống có tên)", "a FIFO (named pipe)"),
        FileKind::Device => ("một thiết bị", "a device"),
        FileKind::Socket => ("một socket", "a socket"),
        FileKind::Other => ("không phải tệp thông thường", "not a regular file"),
    };
    match lang {
        Lang::Vi => format!("{vi}, không phải tệp thông thường: chỉ đọc các tệp thông thường"),
        Lang::En => format!("{en}, not a regular file: only regular files are read"),
    }
}

fn not_utf8(lang: Lang, why: NotUtf8) -> String {
    let save = pick(
        lang,
        "tệp không phải văn bản UTF-8; hãy lưu tệp dưới dạng UTF-8",
        "not UTF-8 text; save the file as UTF-8",
    );
    let hint = match (why, lang) {
        (NotUtf8::Utf16(order), Lang::Vi) => format!(
            "gặp dấu thứ tự byte UTF-16 {order}: tệp là UTF-16, \
             như các chương trình bảng tính ghi khi chọn \"Unicode text\""
        ),
        (NotUtf8::Utf16(order), Lang::En) => format!(
            "found a UTF-16 {order} byte-order mark: the file is UTF-16, \
             as spreadsheet programs write \"Unicode text\""
        ),
        (NotUtf8::Nul, _) => pick(
            lang,
            "gặp byte NUL: tệp có vẻ là tệp nhị phân, không phải văn bản CSV",
            "found a NUL byte: this looks like a binary file, not CSV text",
        )
        .into(),
        (NotUtf8::Byte(byte), Lang::Vi) => format!(
            "gặp byte 0x{byte:02X}, không hợp lệ trong UTF-8 (tệp dùng bảng mã cũ như \
             Windows-1258, TCVN3 hay Latin-1?)"
        ),
        (NotUtf8::Byte(byte), Lang::En) => format!(
            "found byte 0x{byte:02X}, which is not valid UTF-8 (a legacy encoding such as \
             Windows-1258, TCVN3 or Latin-1?)"
        ),
    };
    format!("{save} ({hint})")
}

/// Names listed in a message: 'a', 'b' as written in the file, then how many more.
fn quoted_list(lang: Lang, names: impl Iterator<Item = String>, more: usize) -> String {
    let mut names: Vec<String> = names.collect();
    if more > 0 {
        names.push(match lang {
            Lang::Vi => format!("… và {more} cột khác"),
            Lang::En => format!("… and {more} more"),
        });
    }
    names.join(", ")
}

/// The header row and the rows' widths.
fn header(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::EmptyFile { required }, Lang::Vi) => format!(
            "tệp trống: cần một dòng tiêu đề với các cột {}",
            required.join(", ")
        ),
        (Problem::EmptyFile { required }, Lang::En) => format!(
            "the file is empty: expected a header row with the columns {}",
            required.join(", ")
        ),
        (
            Problem::ColumnTwice {
                name,
                first_as,
                first_column,
                again_as,
            },
            _,
        ) => {
            let (first_as, again_as) = (first_as.text(lang), again_as.text(lang));
            match lang {
                Lang::Vi => format!(
                    "cột '{name}' xuất hiện hai lần: là '{first_as}' (cột {first_column}) và là '{again_as}'"
                ),
                Lang::En => format!(
                    "column '{name}' appears twice: as '{first_as}' (column {first_column}) and as '{again_as}'"
                ),
            }
        }
        (Problem::MissingColumn { .. }, _) => missing_column(problem, lang),
        (Problem::UnknownColumns { named, more, known }, _) => {
            let unknown = quoted_list(lang, named.iter().map(|c| unknown_column(lang, c)), *more);
            let known = known.join(", ");
            match lang {
                Lang::Vi => {
                    format!("bỏ qua các cột không xác định: {unknown} (các cột được biết: {known})")
                }
                Lang::En => {
                    format!("unknown columns ignored: {unknown} (known columns: {known})")
                }
            }
        }
        (Problem::TooFewFields { expected, found }, Lang::Vi) => {
            format!("thiếu ô: cần {expected} ô (như dòng tiêu đề), có {found}")
        }
        (Problem::TooFewFields { expected, found }, Lang::En) => {
            format!("too few fields: expected {expected} (as in the header), found {found}")
        }
        (Problem::TooManyFields { expected, found }, Lang::Vi) => {
            format!("thừa ô: cần {expected} ô (như dòng tiêu đề), có {found}")
        }
        (Problem::TooManyFields { expected, found }, Lang::En) => {
            format!("too many fields: expected {expected} (as in the header), found {found}")
        }
        (other, _) => format!("{other:?}"),
    }
}

fn unknown_column(lang: Lang, column: &UnknownColumn) -> String {
    match (column, lang) {
        (UnknownColumn::Named(name), _) => format!("'{}'", name.text(lang)),
        (UnknownColumn::Unnamed(number), Lang::Vi) => format!("(cột {number} không có tên)"),
        (UnknownColumn::Unnamed(number), Lang::En) => format!("(unnamed column {number})"),
    }
}

fn missing_column(problem: &Problem, lang: Lang) -> String {
    let Problem::MissingColumn {
        name,
        aliases,
        found,
        more,
        separator,
    } = problem
    else {
        return format!("{problem:?}");
    };
    let aliases = match (aliases.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Vi) => format!(" (hoặc {})", aliases.join(", ")),
        (false, Lang::En) => format!(" (or {})", aliases.join(", ")),
    };
    let found = quoted_list(
        lang,
        found.iter().map(|c| format!("'{}'", c.text(lang))),
        *more,
    );
    let hint = separator.map_or(String::new(), |s| separator_hint(lang, s));
    match lang {
        Lang::Vi => {
            format!("thiếu cột bắt buộc '{name}'{aliases}; dòng tiêu đề có: {found}{hint}")
        }
        Lang::En => {
            format!("missing required column '{name}'{aliases}; the header has: {found}{hint}")
        }
    }
}

/// Spreadsheets set to some locales write ';' or tabs between columns.
fn separator_hint(lang: Lang, separator: Separator) -> String {
    let found = match separator {
        Separator::Semicolon => "';'",
        Separator::Tab => pick(lang, "dấu tab", "tabs"),
    };
    match lang {
        Lang::Vi => format!(
            " (tệp có vẻ dùng {found} để ngăn cách các cột: hãy lưu dưới dạng CSV ngăn cách bằng dấu phẩy)"
        ),
        Lang::En => {
            format!(" (the file seems to use {found} between columns: save it as CSV with commas)")
        }
    }
}

/// A code cell, or another cell that must say something.
fn code_cell(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::EmptyCell(cell), _) => empty_cell(lang, *cell).into(),
        (Problem::Invisible { .. }, _) => invisible(problem, lang),
        (Problem::BadCode { cell, error }, _) => {
            format!("{}: {}", code_column(lang, *cell), error.text(lang))
        }
        (Problem::UnknownUnit { code, like }, _) => {
            let code = code.text(lang);
            let hint = match (like, lang) {
                (None, _) => String::new(),
                (Some(other), Lang::Vi) => format!(" (có phải '{}'?)", other.text(lang)),
                (Some(other), Lang::En) => format!(" (did you mean '{}'?)", other.text(lang)),
            };
            match lang {
                Lang::Vi => format!(
                    "không có mã đơn vị '{code}': mã này không có trong units.csv hay trong phiên họp{hint}"
                ),
                Lang::En => format!(
                    "unknown unit code '{code}': it is not in units.csv or the session{hint}"
                ),
            }
        }
        (Problem::UnknownCriterion(code), Lang::Vi) => format!(
            "không có mã tiêu chí '{}': mã này không có trong bộ tiêu chí",
            code.text(lang)
        ),
        (Problem::UnknownCriterion(code), Lang::En) => format!(
            "unknown criterion code '{}': it is not in the criteria",
            code.text(lang)
        ),
        (Problem::BadKind(found), Lang::Vi) => format!(
            "kind: cần một trong các loại điểm, điều tra, thưởng, trừ (hoặc score, \
             survey, bonus, penalty), nhưng gặp '{}'",
            found.text(lang)
        ),
        (Problem::BadKind(found), Lang::En) => format!(
            "kind: expected score, survey, bonus or penalty (or điểm, điều tra, \
             thưởng, trừ), found '{}'",
            found.text(lang)
        ),
        (other, _) => format!("{other:?}"),
    }
}

/// A code with a character that cannot be seen, named after its column.
fn invisible(problem: &Problem, lang: Lang) -> String {
    let Problem::Invisible {
        cell,
        code,
        character,
        at_start,
    } = problem
    else {
        return format!("{problem:?}");
    };
    let code = code.text(lang);
    let said = match (at_start, lang) {
        (true, Lang::Vi) => {
            format!("'{code}' bắt đầu bằng một ký tự không nhìn thấy ({character}); hãy gõ lại mã")
        }
        (true, Lang::En) => {
            format!("'{code}' begins with an invisible character ({character}); retype the code")
        }
        (false, Lang::Vi) => {
            format!("'{code}' chứa một ký tự không nhìn thấy ({character}); hãy gõ lại mã")
        }
        (false, Lang::En) => {
            format!("'{code}' contains an invisible character ({character}); retype the code")
        }
    };
    format!("{}: {said}", code_column(lang, *cell))
}

/// A code cell as a message names it: its column (criteria.csv's code is "mã (code)").
fn code_column(lang: Lang, cell: CodeCell) -> &'static str {
    match cell {
        CodeCell::UnitCode => "unit_code",
        CodeCell::CriterionCode => "criterion_code",
        CodeCell::Code => pick(lang, "mã (code)", "code"),
    }
}

fn empty_cell(lang: Lang, cell: RequiredCell) -> &'static str {
    match cell {
        RequiredCell::UnitCode => pick(
            lang,
            "unit_code: cần mã đơn vị, nhưng ô để trống",
            "unit_code: expected a unit code, found an empty cell",
        ),
        RequiredCell::CriterionCode => pick(
            lang,
            "criterion_code: cần mã tiêu chí, nhưng ô để trống",
            "criterion_code: expected a criterion code, found an empty cell",
        ),
        RequiredCell::Title => pick(
            lang,
            "title: cần tên tiêu chí, nhưng ô để trống",
            "title: expected the criterion's title, found an empty cell",
        ),
        RequiredCell::UnitName => pick(
            lang,
            "unit_name: cần tên đơn vị, nhưng ô để trống",
            "unit_name: expected the unit's name, found an empty cell",
        ),
        RequiredCell::Ref => pick(
            lang,
            "ref: cần số hiệu tài liệu kiểm chứng (ví dụ 376/KH-UBND), nhưng ô để trống",
            "ref: expected the document's number (số hiệu, e.g. 376/KH-UBND), found an empty cell",
        ),
    }
}

/// A row about a criterion that the file may not speak of.
fn misplaced(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (
            Problem::NotALeaf {
                code,
                children,
                more,
            },
            _,
        ) => {
            let children = children.join(", ");
            let more = if *more { ", …" } else { "" };
            match lang {
                Lang::Vi => format!(
                    "tiêu chí {code} không phải tiêu chí thành phần cuối cùng: tiêu chí này có các \
                     tiêu chí thành phần ({children}{more}) và điểm của nó là tổng điểm của chúng; \
                     hãy chấm điểm các tiêu chí thành phần"
                ),
                Lang::En => format!(
                    "criterion {code} is not a leaf: it has sub-criteria ({children}{more}) and its \
                     points are their sum; score the sub-criteria instead"
                ),
            }
        }
        (Problem::SurveyLeafScored { code, by }, _) => {
            let (vi, en) = match by {
                ScoredBy::Proposals => ("điểm đề xuất", "proposals"),
                _ => ("điểm tự chấm", "self-scores"),
            };
            match lang {
                Lang::Vi => format!(
                    "tiêu chí {code} là tiêu chí điều tra xã hội học: điểm lấy từ survey.csv, không lấy \
                     từ {vi}"
                ),
                Lang::En => format!(
                    "criterion {code} is a survey criterion: its points come from survey.csv, not from \
                     {en}"
                ),
            }
        }
        (Problem::NotASurveyLeaf { code, kind }, Lang::Vi) => format!(
            "tiêu chí {code} không phải tiêu chí điều tra xã hội học (loại {kind}): điểm \
             lấy từ self_scores.csv, không lấy từ survey.csv"
        ),
        (Problem::NotASurveyLeaf { code, kind }, Lang::En) => format!(
            "criterion {code} is not a survey criterion (its kind is {kind}): its points \
             come from self_scores.csv, not survey.csv"
        ),
        (Problem::SurveyEvidence(code), Lang::Vi) => format!(
            "tiêu chí {code} là tiêu chí điều tra xã hội học: đơn vị không nộp tài liệu kiểm chứng cho tiêu chí này"
        ),
        (Problem::SurveyEvidence(code), Lang::En) => {
            format!("criterion {code} is a survey criterion: units give no evidence for it")
        }
        (other, _) => format!("{other:?}"),
    }
}

/// A row or a code given twice, or two codes that read as one.
fn repeated(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::DuplicateRow { unit, code, first }, Lang::Vi) => {
            format!("trùng dòng của đơn vị '{unit}', tiêu chí {code}: đã có ở dòng {first}")
        }
        (Problem::DuplicateRow { unit, code, first }, Lang::En) => format!(
            "duplicate row for unit '{unit}', criterion {code}: it is already on line {first}"
        ),
        (Problem::DuplicateCriterion { code, first }, Lang::Vi) => {
            format!("trùng mã tiêu chí {code}: mã này đã có ở dòng {first}")
        }
        (Problem::DuplicateCriterion { code, first }, Lang::En) => {
            format!("duplicate criterion code {code}: it is already on line {first}")
        }
        (Problem::DuplicateUnit { code, first }, Lang::Vi) => format!(
            "trùng mã đơn vị '{}': mã này đã có ở dòng {first}",
            code.text(lang)
        ),
        (Problem::DuplicateUnit { code, first }, Lang::En) => format!(
            "duplicate unit_code '{}': it is already on line {first}",
            code.text(lang)
        ),
        (
            Problem::LookAlike {
                code,
                other,
                other_line,
            },
            _,
        ) => {
            let (code, other) = (code.text(lang), other.text(lang));
            let place = match (other_line, lang) {
                (Some(line), Lang::Vi) => format!("ở dòng {line}"),
                (Some(line), Lang::En) => format!("on line {line}"),
                (None, _) => pick(lang, "trong phiên họp", "in the session").into(),
            };
            match lang {
                Lang::Vi => format!(
                    "mã đơn vị '{code}' chỉ khác '{other}' ({place}) ở chữ hoa, chữ thường hoặc dấu: \
                     hãy dùng đúng một mã cho một đơn vị, hoặc các mã khác nhau rõ ràng"
                ),
                Lang::En => format!(
                    "unit_code '{code}' differs from '{other}' ({place}) only by case or diacritics: \
                     use the same code for the same unit, or codes that differ by more"
                ),
            }
        }
        (other, _) => format!("{other:?}"),
    }
}

/// Points that do not parse or break their criterion's rule, and frameworks that do not hold.
fn points(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::BadScore { column, error }, _) => format!("{column}: {}", error.text(lang)),
        (Problem::OutOfRange { column, error }, _) => format!("{column}: {}", error.text(lang)),
        (Problem::ClaimKept { column, error }, _) => {
            let error = error.text(lang);
            match lang {
                Lang::Vi => format!(
                    "{column}: {error}: vẫn nhập đúng như đơn vị tự chấm và đánh dấu không hợp lệ cho đến \
                     khi Hội đồng quyết định (--strict sẽ từ chối)"
                ),
                Lang::En => format!(
                    "{column}: {error}: imported as the unit claimed it and marked invalid until the council \
                     decides (--strict refuses it)"
                ),
            }
        }
        (Problem::Framework(error), _) => error.text(lang),
        (Problem::NoCriteria, _) => pick(
            lang,
            "không có tiêu chí nào: tệp có dòng tiêu đề nhưng không có dòng dữ liệu",
            "no criteria: the file has a header but no rows",
        )
        .into(),
        (other, _) => format!("{other:?}"),
    }
}

/// What the rows leave out or repeat (warnings).
fn rows(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::EmptySelfScore, _) => pick(
            lang,
            "self_score để trống: nội dung này tính 0 điểm và được đánh dấu là thiếu",
            "self_score is empty: the item counts 0 and is marked missing",
        )
        .into(),
        (Problem::LeavesWithoutSelfScore { unit, count, named }, Lang::Vi) => format!(
            "đơn vị {unit}: {count} tiêu chí thành phần chưa có điểm tự chấm ({named}): tính 0 điểm, đánh dấu là thiếu"
        ),
        (Problem::LeavesWithoutSelfScore { unit, count, named }, Lang::En) => format!(
            "unit {unit}: {count} leaves without a self-score ({named}): counted 0, marked missing"
        ),
        (Problem::NoSelfScoreRows(unit), Lang::Vi) => format!(
            "đơn vị {unit}: không có dòng nào trong self_scores.csv: mọi tiêu chí thành phần tính 0 điểm, đánh dấu là thiếu"
        ),
        (Problem::NoSelfScoreRows(unit), Lang::En) => format!(
            "unit {unit}: no rows in self_scores.csv: all its leaves count 0, marked missing"
        ),
        (Problem::CarriedForward { unit, codes }, _) => {
            let (count, named) = (codes.len(), codes.join(", "));
            match lang {
                Lang::Vi => format!(
                    "đơn vị {unit}: {count} tiêu chí thành phần không có trong tệp này giữ điểm, \
                     ghi chú và tài liệu của lần nộp trước: {named}"
                ),
                Lang::En => format!(
                    "unit {unit}: {count} items not in this file keep the score, note and evidence \
                     of its previous version: {named}"
                ),
            }
        }
        (Problem::RepeatedEvidence { .. }, _) => repeated_evidence(problem, lang),
        (Problem::EmptyScoresSkipped { count, file }, _) => {
            let said = match (file, lang) {
                (ScoredBy::Survey, Lang::Vi) => {
                    "dòng có score để trống đã được bỏ qua (chưa có kết quả điều tra)"
                }
                (ScoredBy::Survey, Lang::En) => {
                    "rows with an empty score were skipped (not surveyed yet)"
                }
                (_, Lang::Vi) => {
                    "dòng có proposed_score để trống đã được bỏ qua (không có điểm đề xuất)"
                }
                (_, Lang::En) => "rows with an empty proposed_score were skipped (no proposal)",
            };
            format!("{count} {said}")
        }
        (other, _) => format!("{other:?}"),
    }
}

fn repeated_evidence(problem: &Problem, lang: Lang) -> String {
    let Problem::RepeatedEvidence {
        unit,
        code,
        reference,
        first,
    } = problem
    else {
        return format!("{problem:?}");
    };
    let reference = reference.text(lang);
    let first = match (first, lang) {
        (Some(line), Lang::Vi) => format!("ở dòng {line}"),
        (Some(line), Lang::En) => format!("on line {line}"),
        (None, _) => pick(lang, "ở một dòng trước", "on an earlier line").into(),
    };
    match lang {
        Lang::Vi => format!(
            "bỏ dòng tài liệu kiểm chứng lặp lại: đơn vị '{unit}', tiêu chí {code}, số hiệu \
             '{reference}' cùng trích yếu và đường dẫn đã có {first}"
        ),
        Lang::En => format!(
            "repeated evidence row dropped: unit '{unit}', criterion {code}, ref '{reference}' with \
             the same title and location is already {first}"
        ),
    }
}

/// session.toml's problems.
fn session_file(problem: &Problem, lang: Lang) -> String {
    match (problem, lang) {
        (Problem::SessionFileTooLarge, _) => pick(
            lang,
            "lớn hơn 1 MiB: không phải tệp thiết lập",
            "over 1 MiB: not a settings file",
        )
        .into(),
        (Problem::SessionFileNotUtf8, _) => {
            pick(lang, "không phải văn bản UTF-8", "not UTF-8 text").into()
        }
        (Problem::SettingNotTextOrNumber(key), Lang::Vi) => {
            format!("{key}: cần một chuỗi hoặc một số")
        }
        (Problem::SettingNotTextOrNumber(key), Lang::En) => {
            format!("{key}: expected a text or a number")
        }
        (Problem::Setting(error), _) => error.text(lang),
        (other, _) => format!("{other:?}"),
    }
}

/// An agenda file's problems.
fn agenda(problem: &Problem, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let say = |vi_text: &str, en_text: &str| if vi { vi_text } else { en_text }.to_string();
    match problem {
        Problem::AgendaNotUtf8 => say(
            "không phải văn bản UTF-8 (hãy lưu tệp dưới dạng CSV UTF-8)",
            "not UTF-8 text (save the file as CSV UTF-8)",
        ),
        Problem::AgendaDisappeared => say(
            "tệp đã biến mất trong khi đang mở",
            "the file disappeared while being opened",
        ),
        Problem::AgendaNotCsv(error) if vi => format!("không phải CSV hợp lệ: {error}"),
        Problem::AgendaNotCsv(error) => format!("not valid CSV: {error}"),
        Problem::AgendaHeader { separator } => {
            let head = say(
                "dòng tiêu đề phải có các cột unit_code, criterion_code",
                "the header must name the columns unit_code, criterion_code",
            );
            let comma = match (*separator, vi) {
                (false, _) => "",
                (true, true) => " (dấu phân cách phải là dấu phẩy)",
                (true, false) => " (the separator must be a comma)",
            };
            format!("{head}{comma}")
        }
        Problem::AgendaEmptyUnit => say("unit_code để trống", "unit_code is empty"),
        Problem::AgendaTwice {
            unit,
            criterion,
            first,
        } if vi => format!("{unit} {criterion} đã có trong chương trình (dòng {first})"),
        Problem::AgendaTwice {
            unit,
            criterion,
            first,
        } => format!("{unit} {criterion} is already on the agenda (line {first})"),
        Problem::AgendaUnknownUnit(code) if vi => format!("không có đơn vị mã '{code}'"),
        Problem::AgendaUnknownUnit(code) => format!("unknown unit '{code}'"),
        Problem::AgendaUnknownCriterion(code) if vi => format!("không có tiêu chí mã '{code}'"),
        Problem::AgendaUnknownCriterion(code) => format!("unknown criterion '{code}'"),
        Problem::AgendaEmptyFile => say(
            "tệp trống: cần dòng tiêu đề unit_code, criterion_code",
            "the file is empty: expected a header unit_code, criterion_code",
        ),
        Problem::AgendaBadMinutes(error) if vi => format!("cột minutes: {}", error.text(lang)),
        Problem::AgendaBadMinutes(error) => format!("minutes: {}", error.text(lang)),
        other => format!("{other:?}"),
    }
}
