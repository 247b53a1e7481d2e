//! What the store's errors, refusals and `verify` findings say, and the words of the session's
//! own entries in the history. Text passed through from SQLite or the operating system stays
//! as they wrote it.

use super::{Lang, Localised, english_display, pick};
use crate::domain::score::Numbers;
use crate::domain::time::local_date_time;
use crate::store::{
    ContentDifference, DecisionDifference, EntryRef, HistoryRow, NotASession, OpenItem, Rejection,
    SessionEntry, StateField, StoreError, Unavailable, UnitPart, VerifyProblem,
};

english_display!(
    StoreError,
    NotASession,
    Unavailable,
    Rejection,
    VerifyProblem,
    EntryRef,
    SessionEntry,
);

impl Localised for StoreError {
    fn text(&self, lang: Lang) -> String {
        match self {
            StoreError::NotASession { path, reason } => {
                let (path, reason) = (path.display(), reason.text(lang));
                match lang {
                    Lang::Vi => format!(
                        "{path}: không phải cơ sở dữ liệu phiên họp của hội đồng ({reason})"
                    ),
                    Lang::En => format!("{path}: not a council session database ({reason})"),
                }
            }
            StoreError::Missing { path } => {
                let path = path.display();
                match lang {
                    Lang::Vi => format!("{path}: không có cơ sở dữ liệu phiên họp này"),
                    Lang::En => format!("{path}: no such session database"),
                }
            }
            StoreError::Unavailable { path, reason } => {
                let (path, reason) = (path.display(), reason.text(lang));
                match lang {
                    Lang::Vi => {
                        format!("{path}: không dùng được cơ sở dữ liệu phiên họp: {reason}")
                    }
                    Lang::En => format!("{path}: cannot use the session database: {reason}"),
                }
            }
            StoreError::Rejected(rejection) => rejection.text(lang),
            StoreError::NotPermitted(refusal) => refusal.text(lang),
            StoreError::Stale { .. } | StoreError::NotYours { .. } => conflict(self, lang),
            other => session_state(other, lang),
        }
    }
}

/// Another reviewer's entry in the way of this one.
fn conflict(error: &StoreError, lang: Lang) -> String {
    match error {
        StoreError::Stale {
            unit,
            criterion,
            by,
            at,
            ..
        } => {
            let at = local_date_time(at);
            match lang {
                Lang::Vi => {
                    format!("{unit} {criterion} đã được {by} thay đổi lúc {at} sau khi bạn mở ra")
                }
                Lang::En => {
                    format!("{unit} {criterion} was changed by {by} at {at} since you opened it")
                }
            }
        }
        StoreError::NotYours {
            unit,
            criterion,
            by,
            at,
            redo,
        } => not_yours(lang, &format!("{unit} {criterion}"), by, at, *redo),
        other => format!("{other:?}"),
    }
}

/// What the session holds (or does not) that stops a command.
fn session_state(error: &StoreError, lang: Lang) -> String {
    match (error, lang) {
        (StoreError::Empty, _) => pick(
            lang,
            "phiên họp chưa có tiêu chí nào: hãy nhập thư mục phiên họp trước",
            "the session has no criteria yet: import a session folder first",
        )
        .into(),
        (StoreError::UnknownUnit(code), Lang::Vi) => format!("không có đơn vị mã '{code}'"),
        (StoreError::UnknownUnit(code), Lang::En) => format!("unknown unit '{code}'"),
        (StoreError::UnknownCriterion(code), Lang::Vi) => format!(
            "không có tiêu chí mã '{code}' (hoặc đó không phải tiêu chí thành phần cuối cùng)"
        ),
        (StoreError::UnknownCriterion(code), Lang::En) => {
            format!("unknown criterion '{code}' (or not a leaf)")
        }
        (StoreError::Finalised, _) => pick(
            lang,
            "phiên họp đã chốt kết quả; không thể thay đổi nữa",
            "the session is finalised; it can no longer be changed",
        )
        .into(),
        (StoreError::OpenDisputes(items), Lang::Vi) => format!(
            "còn {} nội dung đang có ý kiến khác nhau và chưa quyết định: {}",
            items.len(),
            open_list(lang, items)
        ),
        (StoreError::OpenDisputes(items), Lang::En) => format!(
            "{} item(s) are still disputed and undecided: {}",
            items.len(),
            open_list(lang, items)
        ),
        (StoreError::Sql(error), Lang::Vi) => format!("lỗi cơ sở dữ liệu: {error}"),
        (StoreError::Sql(error), Lang::En) => format!("database error: {error}"),
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// An undo or redo refused: who acted on `item` since, and when.
fn not_yours(lang: Lang, item: &str, by: &str, at: &str, redo: bool) -> String {
    let at = local_date_time(at);
    match (redo, lang) {
        (true, Lang::Vi) => format!(
            "{item}: {by} đã thay đổi lúc {at} sau khi bạn hoàn tác; chỉ làm lại được khi chưa ai thay đổi sau đó"
        ),
        (true, Lang::En) => format!(
            "{item}: {by} acted at {at} after your undo; redo only restores your decision while nobody has acted since"
        ),
        (false, Lang::Vi) => format!(
            "{item}: {by} đã quyết định lúc {at} và quyết định đó đang có hiệu lực; chỉ hoàn tác được quyết định của chính mình"
        ),
        (false, Lang::En) => format!(
            "{item}: {by} decided at {at} and that decision is in force; undo only withdraws your own decision"
        ),
    }
}

/// The first 20 open items, then how many more.
fn open_list(lang: Lang, items: &[OpenItem]) -> String {
    let mut names: Vec<String> = items
        .iter()
        .take(20)
        .map(|i| format!("{} {}", i.unit_code, i.criterion_code))
        .collect();
    if items.len() > 20 {
        let more = items.len() - 20;
        names.push(match lang {
            Lang::Vi => format!("… và {more} nội dung khác"),
            Lang::En => format!("… {more} more"),
        });
    }
    names.join(", ")
}

impl Localised for NotASession {
    fn text(&self, lang: Lang) -> String {
        match self {
            NotASession::NotSqlite => pick(
                lang,
                "tệp không phải cơ sở dữ liệu SQLite",
                "the file is not an SQLite database",
            )
            .into(),
            NotASession::Damaged => pick(
                lang,
                "tệp bị hỏng (database disk image is malformed)",
                "the file is damaged (database disk image is malformed)",
            )
            .into(),
            NotASession::OtherApplication => pick(
                lang,
                "đây là cơ sở dữ liệu SQLite của một ứng dụng khác",
                "it is an SQLite database of something else",
            )
            .into(),
            NotASession::Newer { version } => {
                let known = crate::store::SCHEMA_VERSION;
                match lang {
                    Lang::Vi => format!(
                        "do phiên bản council mới hơn ghi (lược đồ {version}, bản này chỉ biết {known})"
                    ),
                    Lang::En => format!(
                        "written by a newer council (schema {version}, this one knows {known})"
                    ),
                }
            }
        }
    }
}

impl Localised for Unavailable {
    fn text(&self, lang: Lang) -> String {
        let said = match self {
            Unavailable::ReadOnly => pick(
                lang,
                "tệp hoặc thư mục chứa tệp chỉ cho phép đọc",
                "the file or its folder is read-only",
            ),
            Unavailable::DiskFull => pick(lang, "ổ đĩa đã đầy", "the disk is full"),
            Unavailable::CannotOpen => pick(
                lang,
                "không mở được (thư mục không tồn tại hoặc chỉ cho phép đọc, hoặc không còn chỗ cho các tệp -wal/-shm)",
                "it cannot be opened (a missing or read-only folder, or no room for its -wal/-shm files)",
            ),
            Unavailable::DiskIo => pick(
                lang,
                "lỗi đọc/ghi đĩa (ổ đĩa đầy, hoặc tệp nằm trên ổ chỉ đọc hay ổ bị hỏng?)",
                "disk I/O error (is the disk full, or the file on a read-only or failing disk?)",
            ),
            Unavailable::PermissionDenied => {
                pick(lang, "không có quyền truy cập", "permission denied")
            }
            Unavailable::ReadOnlyOtherVersion => pick(
                lang,
                "chỉ đọc được, và không phải phiên họp của phiên bản council này",
                "read-only, and not a session of this council version",
            ),
            Unavailable::Locked => pick(
                lang,
                "phiên họp vẫn bị khoá; hãy thử lại",
                "the session stayed locked; try again",
            ),
            Unavailable::CannotCreate(error) => {
                return match lang {
                    Lang::Vi => format!("không tạo được cơ sở dữ liệu: {error}"),
                    Lang::En => format!("cannot create the database: {error}"),
                };
            }
            Unavailable::Other(said) => return said.clone(),
        };
        said.to_string()
    }
}

impl Localised for Rejection {
    fn text(&self, lang: Lang) -> String {
        match self {
            Rejection::Decision(error) => error.text(lang),
            Rejection::Setting(error) => error.text(lang),
            Rejection::DoesNotVerify(problems) => {
                let problems = problems_line(lang, problems);
                match lang {
                    Lang::Vi => {
                        format!("phiên họp không qua được kiểm tra; không chốt kết quả: {problems}")
                    }
                    Lang::En => format!("the session does not verify; not finalising: {problems}"),
                }
            }
            Rejection::CorruptNumber(_)
            | Rejection::CorruptEvidence(_)
            | Rejection::CorruptValue(_)
            | Rejection::CorruptCode(_)
            | Rejection::CorruptCriteria(_) => corrupt(self, lang),
            other => refused_write(other, lang),
        }
    }
}

/// Problems on one line, as a refusal quotes them.
pub fn problems_line(lang: Lang, problems: &[VerifyProblem]) -> String {
    problems
        .iter()
        .map(|p| p.text(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A write refused by the session's rules.
fn refused_write(rejection: &Rejection, lang: Lang) -> String {
    match (rejection, lang) {
        (Rejection::NothingToUndo { unit, criterion }, Lang::Vi) => {
            format!("{unit} {criterion}: không có quyết định nào để hoàn tác")
        }
        (Rejection::NothingToUndo { unit, criterion }, Lang::En) => {
            format!("{unit} {criterion}: no decision to undo")
        }
        (Rejection::NothingToRedo { unit, criterion }, Lang::Vi) => {
            format!("{unit} {criterion}: không có gì để làm lại")
        }
        (Rejection::NothingToRedo { unit, criterion }, Lang::En) => {
            format!("{unit} {criterion}: nothing to redo")
        }
        (Rejection::NoChairOrSecretary, _) => pick(
            lang,
            "danh sách thành viên cần có chủ tọa hoặc thư ký (chỉ họ được sửa danh sách): hãy thêm một người trước",
            "the members list needs a chair or a secretary, who alone can change it: add one first",
        )
        .into(),
        (Rejection::NotOnTheList(login), Lang::Vi) => {
            format!("'{login}' không có trong danh sách thành viên")
        }
        (Rejection::NotOnTheList(login), Lang::En) => format!("'{login}' is not on the members list"),
        (Rejection::OnTheAgendaTwice { unit, criterion }, Lang::Vi) => {
            format!("{unit} {criterion} có hai lần trong chương trình họp")
        }
        (Rejection::OnTheAgendaTwice { unit, criterion }, Lang::En) => {
            format!("{unit} {criterion} is on the agenda twice")
        }
        (Rejection::NoSuchVersion { unit, version }, Lang::Vi) => {
            format!("{unit} không có bản tự chấm lần {version}")
        }
        (Rejection::NoSuchVersion { unit, version }, Lang::En) => {
            format!("{unit} has no submission version {version}")
        }
        (other, _) => refused_file(other, lang),
    }
}

/// A file the store will not create or replace.
fn refused_file(rejection: &Rejection, lang: Lang) -> String {
    match (rejection, lang) {
        (Rejection::Exists(path), Lang::Vi) => format!("{} đã có", path.display()),
        (Rejection::Exists(path), Lang::En) => format!("{} already exists", path.display()),
        (Rejection::OtherFramework { differing }, Lang::Vi) => format!(
            "criteria.csv khác bộ tiêu chí của phiên họp (khác từ tiêu chí {differing}); \
             mỗi phiên họp chỉ có một bộ tiêu chí: hãy nhập vào một cơ sở dữ liệu mới"
        ),
        (Rejection::OtherFramework { differing }, Lang::En) => format!(
            "criteria.csv does not match the session's criteria (first difference at \
             {differing}); a session keeps one framework: import it into a new database"
        ),
        (Rejection::BackupExists(path), Lang::Vi) => {
            format!("{}: đã có; dùng --force để ghi đè", path.display())
        }
        (Rejection::BackupExists(path), Lang::En) => {
            format!("{}: exists; use --force to replace it", path.display())
        }
        (Rejection::BackupOverSession, _) => pick(
            lang,
            "bản sao lưu không thể ghi đè lên chính phiên họp",
            "the backup cannot replace the session itself",
        )
        .into(),
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// A value the store never writes: the database was changed by something else.
fn corrupt(rejection: &Rejection, lang: Lang) -> String {
    match (rejection, lang) {
        (Rejection::CorruptNumber(text), Lang::Vi) => {
            format!("số hỏng '{text}' trong cơ sở dữ liệu")
        }
        (Rejection::CorruptNumber(text), Lang::En) => {
            format!("corrupt number '{text}' in the database")
        }
        (Rejection::CorruptEvidence(error), Lang::Vi) => {
            format!("danh sách tài liệu kiểm chứng hỏng trong cơ sở dữ liệu: {error}")
        }
        (Rejection::CorruptEvidence(error), Lang::En) => {
            format!("corrupt evidence list in the database: {error}")
        }
        (Rejection::CorruptValue(error), Lang::Vi) => {
            format!("giá trị hỏng trong cơ sở dữ liệu: {error}")
        }
        (Rejection::CorruptValue(error), Lang::En) => {
            format!("corrupt value in the database: {error}")
        }
        (Rejection::CorruptCode(error), _) => error.text(lang),
        (Rejection::CorruptCriteria(errors), _) => {
            let errors: Vec<String> = errors.iter().map(|e| e.text(lang)).collect();
            let errors = errors.join("; ");
            match lang {
                Lang::Vi => format!("bộ tiêu chí đã lưu không nhất quán: {errors}"),
                Lang::En => format!("stored criteria are inconsistent: {errors}"),
            }
        }
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// A log entry's kind in words (the log keeps the codes).
pub fn action(lang: Lang, code: &str) -> &str {
    let (vi, en) = match code {
        "decide" => ("quyết định", "decide"),
        "undo" => ("hoàn tác", "undo"),
        "redo" => ("làm lại", "redo"),
        "flag" => ("đánh dấu tranh chấp", "flag"),
        "unflag" => ("bỏ đánh dấu", "unflag"),
        "import" => ("nhập dữ liệu", "import"),
        "configure" => ("thiết lập", "configure"),
        "member" => ("thành viên", "members"),
        "finalise" => ("chốt kết quả", "finalise"),
        "submission" => ("bản tự chấm", "submission"),
        "proposal" => ("đề xuất", "proposal"),
        other => (other, other),
    };
    pick(lang, vi, en)
}

impl Localised for EntryRef {
    fn text(&self, lang: Lang) -> String {
        let (seq, by) = (self.seq, &self.by);
        let at = local_date_time(&self.at);
        let action = action(lang, &self.action);
        let (unit, criterion) = (&self.unit, &self.criterion);
        match (self.unit.is_empty(), lang) {
            (true, Lang::Vi) => format!("mục {seq} ({action} do {by} ghi lúc {at})"),
            (true, Lang::En) => format!("entry {seq} ({action} by {by} at {at})"),
            (false, Lang::Vi) => {
                format!("mục {seq} ({unit} {criterion}, {action} do {by} ghi lúc {at})")
            }
            (false, Lang::En) => {
                format!("entry {seq} ({unit} {criterion}, {action} by {by} at {at})")
            }
        }
    }
}

impl Localised for VerifyProblem {
    fn text(&self, lang: Lang) -> String {
        match self {
            VerifyProblem::Missing { .. }
            | VerifyProblem::OutOfOrder(_)
            | VerifyProblem::Unlinked { .. }
            | VerifyProblem::Altered(_)
            | VerifyProblem::MoreAltered(_)
            | VerifyProblem::UnknownKind { .. }
            | VerifyProblem::Unreadable(_) => chain_problem(self, lang),
            VerifyProblem::HeadForgotten { .. }
            | VerifyProblem::HeadCount { .. }
            | VerifyProblem::HeadReplaced { .. } => head_problem(self, lang),
            VerifyProblem::DecisionDiffers {
                unit,
                criterion,
                difference,
            } => {
                let detail = decision_difference(lang, difference);
                match lang {
                    Lang::Vi => format!(
                        "{unit} {criterion}: quyết định hiện hành khác với nhật ký ({detail})"
                    ),
                    Lang::En => format!(
                        "{unit} {criterion}: current decision differs from the log ({detail})"
                    ),
                }
            }
            VerifyProblem::MoreLikeIt(more) => match lang {
                Lang::Vi => format!("… và {more} dòng tương tự"),
                Lang::En => format!("… and {more} more like it"),
            },
            VerifyProblem::ContentDiffers { difference, entry } => {
                content_difference(lang, difference, &entry.text(lang))
            }
            _ => outside_council(self, lang),
        }
    }
}

/// The chain itself: order, links, hashes, what an entry holds.
fn chain_problem(problem: &VerifyProblem, lang: Lang) -> String {
    match (problem, lang) {
        (VerifyProblem::Missing { from, to }, Lang::Vi) => {
            format!("thiếu các mục {from}–{to} (đã bị xoá)")
        }
        (VerifyProblem::Missing { from, to }, Lang::En) => {
            format!("entries {from}–{to} are missing (deleted)")
        }
        (VerifyProblem::OutOfOrder(seq), Lang::Vi) => format!("mục {seq} sai thứ tự"),
        (VerifyProblem::OutOfOrder(seq), Lang::En) => format!("entry {seq} is out of order"),
        (
            VerifyProblem::Unlinked {
                seq,
                unit,
                criterion,
            },
            Lang::Vi,
        ) => format!(
            "mục {seq} ({unit} {criterion}): không nối tiếp mục liền trước (một mục trước đó đã bị sửa hoặc xoá)"
        ),
        (
            VerifyProblem::Unlinked {
                seq,
                unit,
                criterion,
            },
            Lang::En,
        ) => format!(
            "entry {seq} ({unit} {criterion}): does not follow the entry before it (an entry before it was altered or deleted)"
        ),
        (VerifyProblem::Altered(entry), Lang::Vi) => {
            format!("{} đã bị sửa sau khi ghi", entry.text(lang))
        }
        (VerifyProblem::Altered(entry), Lang::En) => {
            format!("{} was altered after it was recorded", entry.text(lang))
        }
        (VerifyProblem::MoreAltered(more), Lang::Vi) => {
            format!("… và {more} mục khác đã bị sửa (đổi mã phiên họp làm sai tất cả các mục)")
        }
        (VerifyProblem::MoreAltered(more), Lang::En) => {
            format!("… and {more} more entries altered (a changed session id alters them all)")
        }
        (VerifyProblem::UnknownKind { seq, kind }, Lang::Vi) => {
            format!("mục {seq} có loại không xác định '{kind}'")
        }
        (VerifyProblem::UnknownKind { seq, kind }, Lang::En) => {
            format!("entry {seq} has an unknown kind '{kind}'")
        }
        (VerifyProblem::Unreadable(entry), Lang::Vi) => {
            format!("{}: không đọc được nội dung", entry.text(lang))
        }
        (VerifyProblem::Unreadable(entry), Lang::En) => {
            format!("{}: its content cannot be read", entry.text(lang))
        }
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// The head the session recorded against the chain's last entry.
fn head_problem(problem: &VerifyProblem, lang: Lang) -> String {
    match (problem, lang) {
        (VerifyProblem::HeadForgotten { last }, Lang::Vi) => format!(
            "phiên họp không còn ghi nhận mục cuối của nhật ký (nhật ký có {last} mục): đã bị xoá ngoài council"
        ),
        (VerifyProblem::HeadForgotten { last }, Lang::En) => format!(
            "the session no longer records its last entry (the log has {last}): it was removed outside council"
        ),
        (VerifyProblem::HeadCount { last, recorded }, Lang::Vi) => format!(
            "nhật ký kết thúc ở mục {last} nhưng phiên họp ghi nhận {recorded} mục: các mục ở cuối đã bị xoá hoặc thêm ngoài công cụ"
        ),
        (VerifyProblem::HeadCount { last, recorded }, Lang::En) => format!(
            "the log ends at entry {last} but the session recorded {recorded} entries: entries at the end were deleted or added behind the tool's back"
        ),
        (VerifyProblem::HeadReplaced { last }, Lang::Vi) => format!(
            "mục {last} (mục cuối) không phải mục cuối mà phiên họp đã ghi nhận (mã băm khác): đã bị thay ngoài công cụ"
        ),
        (VerifyProblem::HeadReplaced { last }, Lang::En) => format!(
            "entry {last}, the last, is not the entry the session recorded as its last (its hash differs): it was replaced behind the tool's back"
        ),
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// Settings, members and the finalisation changed without an entry of the log.
fn outside_council(problem: &VerifyProblem, lang: Lang) -> String {
    let none = || pick(lang, "không có", "none").to_string();
    match (problem, lang) {
        (VerifyProblem::ContentOutsideLog, _) => pick(
            lang,
            "bộ tiêu chí, đơn vị và điểm của phiên họp không có trong mục nhập dữ liệu nào của nhật ký: đã được ghi ngoài council",
            "the session's criteria, units and scores are in no import entry of the log: they were written outside council",
        )
        .into(),
        (VerifyProblem::SettingDiffers { key, here, logged }, _) => {
            let here = here.clone().unwrap_or_else(none);
            let logged = logged.clone().unwrap_or_else(none);
            match lang {
                Lang::Vi => format!(
                    "thiết lập {key} là '{here}' ở đây nhưng '{logged}' trong nhật ký: đã bị sửa ngoài council"
                ),
                Lang::En => format!(
                    "setting {key} is '{here}' here but '{logged}' in the log: changed outside council"
                ),
            }
        }
        (VerifyProblem::MemberDiffers(login), Lang::Vi) => format!(
            "thành viên {login} khác với danh sách thành viên trong nhật ký: đã bị sửa ngoài council"
        ),
        (VerifyProblem::MemberDiffers(login), Lang::En) => format!(
            "member {login} differs from the log's members list: changed outside council"
        ),
        _ => finalisation_problem(problem, lang),
    }
}

/// The finalisation against its entry of the log.
fn finalisation_problem(problem: &VerifyProblem, lang: Lang) -> String {
    match (problem, lang) {
        (VerifyProblem::FinalisedOutside, _) => pick(
            lang,
            "phiên họp được đánh dấu đã chốt nhưng nhật ký không có mục chốt kết quả nào: đã chốt ngoài council",
            "the session is marked finalised, but no finalisation is in the log: finalised outside council",
        )
        .into(),
        (VerifyProblem::Unfinalised(entry), Lang::Vi) => format!(
            "phiên họp bị bỏ chốt ngoài council: nhật ký đã chốt ở {}",
            entry.text(lang)
        ),
        (VerifyProblem::Unfinalised(entry), Lang::En) => format!(
            "session un-finalised outside council: the log finalised it in {}",
            entry.text(lang)
        ),
        (VerifyProblem::FinalisationDiffers(entry), Lang::Vi) => format!(
            "thông tin chốt kết quả của phiên họp khác với {}",
            entry.text(lang)
        ),
        (VerifyProblem::FinalisationDiffers(entry), Lang::En) => format!(
            "the session's record of its finalisation differs from {}",
            entry.text(lang)
        ),
        (VerifyProblem::LockRemoved { tables, entry }, Lang::Vi) => format!(
            "phiên họp bị bỏ chốt ngoài council: khoá của {} đã bị gỡ (đã chốt ở {})",
            tables.join(", "),
            entry.text(lang)
        ),
        (VerifyProblem::LockRemoved { tables, entry }, Lang::En) => format!(
            "session un-finalised outside council: the lock on {} was removed (finalised in {})",
            tables.join(", "),
            entry.text(lang)
        ),
        (VerifyProblem::AddedAfterFinalise { first, entry }, Lang::Vi) => format!(
            "các mục từ {first} trở đi được thêm sau khi chốt ({}), ngoài council",
            entry.text(lang)
        ),
        (VerifyProblem::AddedAfterFinalise { first, entry }, Lang::En) => format!(
            "entries from {first} on were added after the finalisation ({}), outside council",
            entry.text(lang)
        ),
        // Not routed here: a developer's rendering rather than none.
        (other, _) => format!("{other:?}"),
    }
}

/// How an item's current decision differs from its log, in the words of the list.
fn decision_difference(lang: Lang, difference: &DecisionDifference) -> String {
    let none = || pick(lang, "không có", "none").to_string();
    match difference {
        DecisionDifference::Fields(fields) => fields
            .iter()
            .map(|field| state_field(lang, field))
            .collect::<Vec<_>>()
            .join("; "),
        DecisionDifference::RowMissing { logged } => {
            let logged = logged.clone().unwrap_or_else(none);
            match lang {
                Lang::Vi => format!("dòng của nội dung này đã mất; nhật ký ghi {logged}"),
                Lang::En => format!("its row is missing; the log says {logged}"),
            }
        }
        DecisionDifference::NotInLog => pick(
            lang,
            "nhật ký không có mục nào cho nội dung này",
            "the log has no entry for it",
        )
        .into(),
    }
}

fn state_field(lang: Lang, field: &StateField) -> String {
    let word = match field {
        StateField::Score { here, logged } => {
            // Stored points as a message says them (2,5 in Vietnamese); a tampered value that
            // is not a number is quoted as it is.
            let shown = |text: &Option<String>| match text {
                None => pick(lang, "không có", "none").to_string(),
                Some(t) => t
                    .parse::<rust_decimal::Decimal>()
                    .map(|points| Numbers::of(lang).points(points))
                    .unwrap_or_else(|_| t.clone()),
            };
            let (a, b) = (shown(here), shown(logged));
            return match lang {
                Lang::Vi => format!("điểm {a} ở đây, {b} trong nhật ký"),
                Lang::En => format!("score {a} here, {b} in the log"),
            };
        }
        StateField::Reason => pick(lang, "lý do", "reason"),
        StateField::Who => pick(lang, "người quyết định", "who decided"),
        StateField::Time => pick(lang, "thời gian", "time"),
        StateField::Basis => pick(lang, "điểm tự chấm làm căn cứ", "self-score basis"),
        StateField::Flag => pick(lang, "đánh dấu tranh chấp", "flag"),
        StateField::LatestEntry => pick(lang, "mục nhật ký cuối", "latest entry"),
    };
    word.to_string()
}

/// What of the session's content differs from what `entry` (in words) recorded.
fn content_difference(lang: Lang, difference: &ContentDifference, entry: &str) -> String {
    match (difference, lang) {
        (ContentDifference::CriterionChanged(code), Lang::Vi) => format!(
            "tiêu chí {code}: điểm tối đa, điểm tối thiểu, bước, loại, tên hoặc cách tính điểm khác với những gì {entry} đã ghi"
        ),
        (ContentDifference::CriterionChanged(code), Lang::En) => format!(
            "criterion {code}: its maximum, minimum, step, kind, title or rule differs from what {entry} recorded"
        ),
        (ContentDifference::CriterionRemoved(code), Lang::Vi) => {
            format!("tiêu chí {code} đã bị xoá ngoài council (có trong {entry})")
        }
        (ContentDifference::CriterionRemoved(code), Lang::En) => {
            format!("criterion {code} was removed outside council (it is in {entry})")
        }
        (ContentDifference::CriterionAdded(code), Lang::Vi) => {
            format!("tiêu chí {code} đã được thêm ngoài council (không có trong {entry})")
        }
        (ContentDifference::CriterionAdded(code), Lang::En) => {
            format!("criterion {code} was added outside council (it is not in {entry})")
        }
        (ContentDifference::UnitRemoved(unit), Lang::Vi) => {
            format!("đơn vị {unit}: dữ liệu đã bị xoá ngoài council (có trong {entry})")
        }
        (ContentDifference::UnitRemoved(unit), Lang::En) => {
            format!("unit {unit}: its rows were removed outside council (they are in {entry})")
        }
        (ContentDifference::UnitAdded(unit), Lang::Vi) => {
            format!("đơn vị {unit}: dữ liệu đã được thêm ngoài council (không có trong {entry})")
        }
        (ContentDifference::UnitAdded(unit), Lang::En) => {
            format!("unit {unit}: rows were added outside council (they are not in {entry})")
        }
        (ContentDifference::Unit { unit, part }, Lang::Vi) => format!(
            "đơn vị {unit}: {} khác với những gì {entry} đã ghi",
            unit_part(lang, *part)
        ),
        (ContentDifference::Unit { unit, part }, Lang::En) => format!(
            "unit {unit}: {} differ from what {entry} recorded",
            unit_part(lang, *part)
        ),
        (ContentDifference::Total, Lang::Vi) => {
            format!("nội dung phiên họp khác với những gì {entry} đã ghi")
        }
        (ContentDifference::Total, Lang::En) => {
            format!("the session's content differs from what {entry} recorded")
        }
    }
}

fn unit_part(lang: Lang, part: UnitPart) -> &'static str {
    match part {
        UnitPart::Identity => pick(
            lang,
            "tên, nhóm hoặc lần nộp hiện hành",
            "its name, group or current submission version",
        ),
        UnitPart::Submissions => pick(
            lang,
            "các lần nộp, điểm tự chấm, ghi chú hoặc tài liệu kiểm chứng",
            "its submission versions, self-scores, notes or evidence",
        ),
        UnitPart::Proposals => pick(
            lang,
            "đề xuất của tổ giúp việc",
            "its working-group proposals",
        ),
        UnitPart::Survey => pick(lang, "điểm điều tra xã hội học", "its survey points"),
    }
}

impl Localised for SessionEntry {
    fn text(&self, lang: Lang) -> String {
        match self {
            SessionEntry::Migration => pick(
                lang,
                "nội dung phiên họp tại thời điểm nâng cấp lên lược đồ 3",
                "the session's content as found when it was upgraded to schema 3",
            )
            .into(),
            SessionEntry::Import(counts) => import_counts(lang, counts),
            SessionEntry::Configure(changes) => changes
                .iter()
                .map(|(key, value)| match (value, lang) {
                    (Some(value), _) => format!("{key}={value}"),
                    (None, Lang::Vi) => format!("bỏ {key}"),
                    (None, Lang::En) => format!("{key} unset"),
                })
                .collect::<Vec<_>>()
                .join("; "),
            SessionEntry::MemberAdded { login, name, role } => {
                let role = role.map_or("", |r| super::domain::role(lang, r));
                match lang {
                    Lang::Vi => format!("thêm {login}: {name}, {role}"),
                    Lang::En => format!("add {login}: {name}, {role}"),
                }
            }
            SessionEntry::MemberRemoved(login) => match lang {
                Lang::Vi => format!("bỏ {login}"),
                Lang::En => format!("remove {login}"),
            },
            SessionEntry::Reason { reason, open: 0 } => reason.clone(),
            SessionEntry::Reason { reason, open } => match lang {
                Lang::Vi => format!("{reason} (còn {open} nội dung tranh chấp)"),
                Lang::En => format!("{reason} ({open} item(s) still disputed)"),
            },
        }
    }
}

/// "tiêu chí 98 mới 0 thay đổi, đơn vị …": an import's counts.
fn import_counts(lang: Lang, counts: &[(u64, u64); 5]) -> String {
    let names = match lang {
        Lang::Vi => [
            "tiêu chí",
            "đơn vị",
            "bản tự chấm",
            "đề xuất",
            "điều tra XHH",
        ],
        Lang::En => ["criteria", "units", "submissions", "proposals", "survey"],
    };
    names
        .iter()
        .zip(counts)
        .map(|(name, (new, changed))| match lang {
            Lang::Vi => format!("{name} {new} mới {changed} thay đổi"),
            Lang::En => format!("{name} {new} new {changed} changed"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A history line's text: the note, reason or evidence of an item's event, or what a
/// session-wide entry did.
pub fn history_text(lang: Lang, row: &HistoryRow) -> String {
    match &row.session {
        Some(entry) => entry.text(lang),
        None => row.text.clone(),
    }
}
