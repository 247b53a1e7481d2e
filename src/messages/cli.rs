//! What the command line says: its fixed words, and its confirmations, reports and refusals
//! as sentences of the language and their data. (The screen's words that the command line
//! shares, such as an item's status, are `screen::Labels`.)

use super::screen::labels;
use super::{Lang, Localised, pick};
use crate::domain::RankMode;
use std::path::Path;

/// The command line's fixed words in a language.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

#[derive(Debug)]
pub struct Words {
    /// Before every error line: `lỗi: …`.
    pub error: &'static str,
    /// Before every warning line: `cảnh báo: …`.
    pub warning: &'static str,
    /// The columns of `council summary`.
    pub summary_columns: [&'static str; 10],
    /// The two sides of `council diff`.
    pub diff_self: &'static str,
    pub diff_proposal: &'static str,
    pub diff_appraised: &'static str,
    pub diff_current: &'static str,
    /// What `council import` counts, by kind of row.
    pub plan_criteria: &'static str,
    pub plan_units: &'static str,
    pub plan_submissions: &'static str,
    pub plan_proposals: &'static str,
    pub plan_survey: &'static str,
    pub dry_run: &'static str,
    pub imported: &'static str,
    /// `council agenda show`: an entry that is a whole unit, and the leader's line.
    pub whole_unit: &'static str,
    pub chair: &'static str,
}

static VI: Words = Words {
    error: "lỗi",
    warning: "cảnh báo",
    summary_columns: [
        "Hạng",
        "Mã",
        "Đơn vị",
        "Nhóm",
        "Tự chấm",
        "Thẩm định",
        "Δ",
        "Chỉ số %",
        "Hạng nhóm",
        "Xếp loại",
    ],
    diff_self: "tự chấm",
    diff_proposal: "đề xuất",
    diff_appraised: "thẩm định",
    diff_current: "hiện tại",
    plan_criteria: "tiêu chí",
    plan_units: "đơn vị",
    plan_submissions: "bản tự chấm",
    plan_proposals: "đề xuất",
    plan_survey: "điều tra XHH",
    dry_run: "Chạy thử (không ghi gì):",
    imported: "Đã nhập:",
    whole_unit: "cả đơn vị",
    chair: "Chủ tọa",
};

static EN: Words = Words {
    error: "error",
    warning: "warning",
    summary_columns: [
        "Rank",
        "Code",
        "Unit",
        "Group",
        "Self",
        "Appraised",
        "Δ",
        "Index %",
        "Group rank",
        "Band",
    ],
    diff_self: "self",
    diff_proposal: "proposal",
    diff_appraised: "appraised",
    diff_current: "current",
    plan_criteria: "criteria",
    plan_units: "units",
    plan_submissions: "submissions",
    plan_proposals: "proposals",
    plan_survey: "survey",
    dry_run: "Dry run (nothing written):",
    imported: "Imported:",
    whole_unit: "whole unit",
    chair: "Chair",
};

/// A value rendered after the option it is about: `--score: 'abc' không phải là số điểm …`.
pub struct Prefixed<T>(pub &'static str, pub T);

impl<T: Localised> Localised for Prefixed<T> {
    fn text(&self, lang: Lang) -> String {
        format!("{}: {}", self.0, self.1.text(lang))
    }
}

/// The settings a folder's session.toml set (or would set, in a dry run).
pub fn session_file_settings(lang: Lang, dry_run: bool, keys: &str) -> String {
    let file = crate::io::import::SESSION_FILE;
    let verb = match (dry_run, lang) {
        (true, Lang::Vi) => "sẽ đặt",
        (false, Lang::Vi) => "đã đặt",
        (true, Lang::En) => "would set",
        (false, Lang::En) => "set",
    };
    format!("  {file}: {verb} {keys}")
}

/// A history event's name/// A history event's name (the CSV keeps the codes: submission, decide, …).
pub fn history_event(lang: Lang, code: &str) -> String {
    let labels = labels(lang);
    match code {
        "submission" => pick(lang, "tự chấm", "submission"),
        "proposal" => labels.history_proposed,
        "decide" => labels.history_decided,
        "undo" => labels.history_undo,
        "redo" => labels.history_redo,
        "flag" => labels.history_flag,
        "unflag" => labels.history_unflag,
        // The session's own entries.
        "import" => pick(lang, "nhập dữ liệu", "import"),
        "configure" => pick(lang, "thiết lập", "configure"),
        "member" => pick(lang, "thành viên", "members"),
        "finalise" => pick(lang, "chốt kết quả", "finalise"),
        other => other,
    }
    .to_string()
}

/// The closing line of a refused import or agenda file.
pub fn errors_and_unchanged(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Vi => format!("{count} lỗi; cơ sở dữ liệu không thay đổi"),
        Lang::En => format!("{count} error(s); the database is unchanged"),
    }
}

pub fn not_a_folder(lang: Lang, dir: &Path) -> String {
    let dir = dir.display();
    match lang {
        Lang::Vi => format!("{dir}: không phải thư mục"),
        Lang::En => format!("{dir}: not a folder"),
    }
}

pub fn holds_no_session(lang: Lang, db: &Path) -> String {
    let db = db.display();
    match lang {
        Lang::Vi => format!("{db}: chưa có phiên họp nào"),
        Lang::En => format!("{db}: holds no session yet"),
    }
}

/// One line of an import's plan: a kind of row, then how many are new, changed, unchanged.
pub fn plan_line(lang: Lang, name: &str, new: usize, changed: usize, unchanged: usize) -> String {
    match lang {
        Lang::Vi => {
            format!("  {name:<14} mới {new:>7}  thay đổi {changed:>7}  không đổi {unchanged:>7}")
        }
        Lang::En => {
            format!("  {name:<14} new {new:>7}  changed {changed:>7}  unchanged {unchanged:>7}")
        }
    }
}

/// The last line of an import's plan.
pub fn plan_totals(lang: Lang, warnings: usize) -> String {
    match lang {
        Lang::Vi => format!("  lỗi 0  cảnh báo {warnings}"),
        Lang::En => format!("  errors 0  warnings {warnings}"),
    }
}

/// What `council check` found in a valid folder.
pub struct Checked {
    pub criteria: usize,
    pub units: usize,
    pub self_scores: usize,
    pub proposals: usize,
    pub warnings: usize,
}

pub fn checked(lang: Lang, c: &Checked) -> String {
    let Checked {
        criteria,
        units,
        self_scores,
        proposals,
        warnings,
    } = c;
    match lang {
        Lang::Vi => format!(
            "Hợp lệ: {criteria} tiêu chí, {units} đơn vị, {self_scores} điểm tự chấm, {proposals} đề xuất, {warnings} cảnh báo"
        ),
        Lang::En => format!(
            "Valid: {criteria} criteria, {units} units, {self_scores} self-scores, {proposals} proposals, {warnings} warnings"
        ),
    }
}

/// `council decide --proposal` on an item the working group proposed nothing for.
pub fn no_proposal_to_accept(lang: Lang, unit: &str, criterion: &str) -> String {
    match lang {
        Lang::Vi => format!("{unit} {criterion}: tổ giúp việc chưa có đề xuất nào để chấp nhận"),
        Lang::En => format!("{unit} {criterion}: no working-group proposal to accept"),
    }
}

/// `--against` that is none of its forms.
pub fn bad_against(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Vi => format!("--against {text}: cần self, proposal hoặc version:N"),
        Lang::En => format!("--against {text}: expected self, proposal or version:N"),
    }
}

pub fn needs_a_terminal(lang: Lang) -> &'static str {
    pick(
        lang,
        "màn hình hội đồng cần một cửa sổ dòng lệnh (terminal); các lệnh khác chạy được không cần nó, xem `council --help`",
        "the council screen needs a terminal; the other commands run without one, see `council --help`",
    )
}

pub fn no_session_yet(lang: Lang, db: &Path) -> String {
    let db = db.display();
    match lang {
        Lang::Vi => format!(
            "{db}: chưa có phiên họp; hãy nhập bằng `council import THƯ_MỤC` hoặc chạy `council data/sample`"
        ),
        Lang::En => format!(
            "{db}: no session yet; import one with `council import DIR` or run `council data/sample`"
        ),
    }
}

/// The screen's first run, importing its folder.
pub fn first_run(lang: Lang, folder: &Path, db: &Path) -> String {
    let (folder, db) = (folder.display(), db.display());
    match lang {
        Lang::Vi => format!("Nhập lần đầu {folder} → {db}"),
        Lang::En => format!("First run: importing {folder} → {db}"),
    }
}

/// `council finalize`: when, how long the log is and its head.
pub fn finalised(lang: Lang, at: &str, entries: i64, head: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("Đã chốt phiên họp lúc {at} ({entries} mục nhật ký, mã băm cuối {head})")
        }
        Lang::En => format!("Session finalised at {at} ({entries} log entries, head hash {head})"),
    }
}

pub fn finalised_by(lang: Lang, who: &str) -> String {
    match lang {
        Lang::Vi => format!("  người chốt: {who}"),
        Lang::En => format!("  by {who}"),
    }
}

/// `council finalize` refused: the open items are listed after this line.
pub fn still_disputed(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "còn {count} mục tranh chấp chưa quyết định; dùng --force --reason LÝ_DO để vẫn chốt:"
        ),
        Lang::En => format!(
            "{count} item(s) still disputed and undecided; use --force --reason R to finalise anyway:"
        ),
    }
}

/// `council verify` on an intact log.
pub fn log_intact(lang: Lang, entries: usize, head: &str) -> String {
    match lang {
        Lang::Vi => format!("Nhật ký nguyên vẹn: {entries} mục, mã băm cuối {head}"),
        Lang::En => format!("Session log intact: {entries} entries, head hash {head}"),
    }
}

/// A witness saw a head that is no longer in the log (the problem itself comes first).
pub fn run_verify(lang: Lang) -> &'static str {
    pick(lang, "hãy chạy `council verify`", "run `council verify`")
}

pub fn open_to_others(lang: Lang, path: &Path) -> String {
    let path = path.display();
    match lang {
        Lang::Vi => format!(
            "{path}: mọi tài khoản trên máy đều ghi được vào đây; chỉ nhóm của hội đồng nên ghi được (chmod o-w)"
        ),
        Lang::En => format!(
            "{path}: every account on this machine can write to it; only the council's group should (chmod o-w)"
        ),
    }
}

/// `council configure`: the rank mode in force.
pub fn rank_mode(lang: Lang, mode: RankMode) -> String {
    let mode = match mode {
        RankMode::Dense => pick(lang, "liền (1, 1, 2)", "dense (1, 1, 2)"),
        RankMode::Competition => pick(lang, "cạnh tranh (1, 1, 3)", "competition (1, 1, 3)"),
    };
    format!("{} {mode}", pick(lang, "Cách xếp hạng:", "Rank mode:"))
}

/// `council configure`: the bands in force.
pub fn bands(lang: Lang, bands: &str) -> String {
    format!("{} {bands}", pick(lang, "Xếp loại:", "Bands:"))
}

pub fn member_needs_login_and_name(lang: Lang) -> &'static str {
    pick(
        lang,
        "cần ghi tài khoản và tên (--name) của thành viên",
        "a member needs a login and a name (--name)",
    )
}

/// A change to the members list that leaves out the one who made it.
pub fn left_off_the_list(lang: Lang, login: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "tài khoản của bạn ({login}) không có trong danh sách: bạn không thể ghi vào phiên họp này nữa"
        ),
        Lang::En => format!(
            "your login ({login}) is not on the list: you can no longer write to this session"
        ),
    }
}

pub fn no_members_list(lang: Lang) -> &'static str {
    pick(
        lang,
        "Chưa có danh sách thành viên: ai mở được tệp phiên họp cũng ghi được.",
        "No members list: anyone who can open the session file can write to it.",
    )
}

pub fn backed_up(lang: Lang, out: &Path, entries: i64, head: &str) -> String {
    let out = out.display();
    match lang {
        Lang::Vi => format!("Đã sao lưu vào {out} ({entries} mục nhật ký, mã băm cuối {head})"),
        Lang::En => format!("Backed up to {out} ({entries} log entries, head hash {head})"),
    }
}

/// `council verify`: what the witnesses of this session were checked against.
pub fn witnesses_checked(lang: Lang, session_id: &str, heads: usize, folder: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "mã phiên họp {session_id}; đã đối chiếu {heads} mã băm do các tiến trình council ghi lại ({folder})"
        ),
        Lang::En => format!(
            "session id {session_id}; {heads} heads seen by council processes checked ({folder})"
        ),
    }
}

pub fn witness_lines_unreadable(lang: Lang, lines: usize) -> String {
    match lang {
        Lang::Vi => format!("{lines} dòng trong tệp chứng kiến không đọc được"),
        Lang::En => format!("{lines} line(s) of the witness file could not be read"),
    }
}

/// `--head` found in the log.
pub fn head_found(lang: Lang, head: &str, entry: usize, since: usize) -> String {
    match lang {
        Lang::Vi => format!("mã băm {head} là mục {entry} của nhật ký ({since} mục sau đó)"),
        Lang::En => format!("the head {head} is entry {entry} of the log ({since} entries since)"),
    }
}

/// `--head` not in the log.
pub fn head_not_in_log(lang: Lang, head: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "mã băm {head} không có trong nhật ký của phiên họp này: nhật ký đã bị viết lại, hoặc đây là một phiên họp khác"
        ),
        Lang::En => format!(
            "the head {head} is not in this session's log: the log was rewritten, or this is another session"
        ),
    }
}

/// A file of a manifest whose SHA-256 is not the one listed.
pub fn manifest_file_changed(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Vi => format!("{name}: đã bị sửa sau khi xuất (SHA-256 khác tệp kê khai)"),
        Lang::En => {
            format!("{name}: changed after the export (its SHA-256 differs from the manifest's)")
        }
    }
}

pub fn manifest_records_no_options(lang: Lang) -> &'static str {
    pick(
        lang,
        "tệp kê khai không ghi cách xuất: chỉ đối chiếu các tệp với tệp kê khai",
        "the manifest does not record how it was exported: its files were checked against it only",
    )
}

/// A file of a manifest that exporting the session now does not give.
pub fn manifest_file_differs_now(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Vi => format!("{name}: không khớp với kết quả xuất từ phiên họp này lúc này"),
        Lang::En => format!("{name}: does not match what this session exports now"),
    }
}

pub fn manifest_files_checked(lang: Lang, files: usize) -> String {
    match lang {
        Lang::Vi => format!("{files} tệp trong tệp kê khai đã được đối chiếu với phiên họp"),
        Lang::En => format!("{files} files of the manifest checked against the session"),
    }
}

pub fn manifest_of_another_session(lang: Lang, id: &str, session_id: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("tệp kê khai thuộc phiên họp {id}, không phải phiên họp này ({session_id})")
        }
        Lang::En => format!("the manifest belongs to session {id}, not to this one ({session_id})"),
    }
}

/// A manifest written at an earlier entry of the log.
pub fn manifest_written_at(lang: Lang, entry: usize, entries: usize) -> String {
    match lang {
        Lang::Vi => format!("tệp kê khai được ghi ở mục {entry}; nhật ký nay có {entries} mục"),
        Lang::En => {
            format!("the manifest was written at entry {entry}; the log now has {entries} entries")
        }
    }
}

pub fn manifest_head_not_in_log(lang: Lang, head: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("mã băm cuối của tệp kê khai ({head}) không có trong nhật ký của phiên họp")
        }
        Lang::En => format!("the manifest's head ({head}) is not in the session's log"),
    }
}

/// `council agenda build` with nothing disputed.
pub fn nothing_for_the_agenda(lang: Lang) -> &'static str {
    pick(
        lang,
        "Không có mục tranh chấp nào: chương trình họp không thay đổi",
        "No disputed items: the agenda is unchanged",
    )
}

pub fn agenda_cleared(lang: Lang, removed: usize) -> String {
    match lang {
        Lang::Vi => format!("Đã xoá chương trình họp: {removed} mục"),
        Lang::En => format!("Agenda cleared: {removed} item(s)"),
    }
}

/// An agenda is saved already and `--force` was not given.
pub fn agenda_exists(lang: Lang, entries: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "Đã có chương trình họp ({entries} mục); thêm --force để thay thế, hoặc xem bằng `council agenda show`"
        ),
        Lang::En => format!(
            "An agenda is already saved ({entries} items); add --force to replace it, or see it with `council agenda show`"
        ),
    }
}

/// An agenda saved, replacing `replaced` entries (0: there was none).
pub fn agenda_saved(lang: Lang, entries: usize, replaced: usize) -> String {
    let replacing = match (lang, replaced) {
        (_, 0) => String::new(),
        (Lang::Vi, n) => format!(" (thay cho {n})"),
        (Lang::En, n) => format!(" (replacing {n})"),
    };
    match lang {
        Lang::Vi => format!("Đã lưu chương trình họp: {entries} mục{replacing}"),
        Lang::En => format!("Agenda saved: {entries} item(s){replacing}"),
    }
}

pub fn no_agenda_yet(lang: Lang) -> &'static str {
    pick(
        lang,
        "Chưa có chương trình họp (council agenda build hoặc council agenda import TỆP)",
        "No agenda yet (council agenda build, or council agenda import FILE)",
    )
}

/// The heading of `council agenda show`.
pub fn agenda_heading(lang: Lang, entries: usize, left: usize) -> String {
    match lang {
        Lang::Vi => format!("Chương trình họp ({entries} mục, còn {left})"),
        Lang::En => format!("Agenda ({entries} items, left {left})"),
    }
}

/// The one line a panic becomes.
pub fn internal_error(lang: Lang, payload: &str, place: &str) -> String {
    match lang {
        Lang::Vi => format!("lỗi nội bộ: {payload}{place}; xin báo lỗi này kèm lệnh đã chạy"),
        Lang::En => {
            format!("internal error: {payload}{place}; please report it with the command you ran")
        }
    }
}
