//! The command line parsed in the user's language. clap's own texts (help headings, usage
//! errors) are English only, so with `--lang vi` (the default) the command's help is rebuilt
//! here in Vietnamese and clap's errors are rendered here from their kind and context. Usage
//! errors exit with code 2, as clap's do.

use super::{Cli, Lang, output};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;

pub const EXIT_USAGE: i32 = 2;

/// The language asked for with `--lang vi|en` (`--lang=en` too), read before parsing so that
/// clap's help and errors can speak it; Vietnamese when absent or not understood.
pub fn lang_from_args(args: &[OsString]) -> Lang {
    let mut lang = Lang::Vi;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        match value.as_deref() {
            Some("vi") => lang = Lang::Vi,
            Some("en") => lang = Lang::En,
            _ => {}
        }
    }
    lang
}

/// Where the first word that is not an option (nor an option's value) is.
fn first_word(args: &[OsString]) -> Option<usize> {
    let takes_value = ["--db", "--lang", "--as", "--theme"];
    let mut at = 1;
    while let Some(arg) = args.get(at) {
        let text = arg.to_string_lossy();
        if !text.starts_with('-') {
            return Some(at);
        }
        at += if takes_value.contains(&text.as_ref()) {
            2
        } else {
            1
        };
    }
    None
}

/// Parses the command line; help, the version and usage errors are printed here, and their
/// exit code returned as the error.
pub fn parse(mut args: Vec<OsString>, lang: Lang) -> Result<Cli, i32> {
    // `council help decide` is `council decide --help` (clap's help subcommand speaks English).
    if let Some(at) = first_word(&args).filter(|&at| args[at] == "help") {
        args.remove(at);
        args.push("--help".into());
    }
    let matches = command(lang).try_get_matches_from(args);
    let result = matches.and_then(|m| Cli::from_arg_matches(&m));
    result.map_err(|error| report(&error, lang))
}

/// Prints what clap has to say and returns the exit code.
fn report(error: &clap::Error, lang: Lang) -> i32 {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut text = error.render().to_string();
            if lang == Lang::Vi {
                text = text.replace("[OPTIONS]", "[TÙY_CHỌN]");
            }
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let shown = output::print(&text);
            shown.err().map_or(super::EXIT_OK, |failure| failure.code)
        }
        _ => {
            let text = match lang {
                Lang::En => error.render().to_string(),
                Lang::Vi => vietnamese_error(error),
            };
            for line in text.trim_end().lines() {
                output::eprint_line(line);
            }
            EXIT_USAGE
        }
    }
}

fn context(error: &clap::Error, kind: ContextKind) -> String {
    match error.get(kind) {
        Some(ContextValue::Strings(values)) => values.join(", "),
        Some(value) => value.to_string(),
        None => String::new(),
    }
}

/// clap's error in Vietnamese: what is wrong, a suggestion where clap has one, the usage.
fn vietnamese_error(error: &clap::Error) -> String {
    let arg = context(error, ContextKind::InvalidArg);
    let value = context(error, ContextKind::InvalidValue);
    let mut lines = vec![format!("lỗi: {}", vietnamese_problem(error, &arg, &value))];
    let valid = context(error, ContextKind::ValidValue);
    if !valid.is_empty() {
        lines.push(format!("  [giá trị hợp lệ: {valid}]"));
    }
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = context(error, kind);
        if !suggested.is_empty() {
            lines.push(format!("  gợi ý: có phải ý bạn là '{suggested}'?"));
        }
    }
    let suggested_any = error.get(ContextKind::SuggestedArg).is_some();
    if error.get(ContextKind::Suggested).is_some() && !suggested_any && arg.starts_with('-') {
        lines.push(format!(
            "  mẹo: để truyền '{arg}' làm giá trị, viết liền '--tùy-chọn={arg}' hoặc đặt sau '--'"
        ));
    }
    let usage = context(error, ContextKind::Usage);
    if let Some(usage) = usage.strip_prefix("Usage: ") {
        lines.push(String::new());
        lines.push(format!(
            "Cách dùng: {}",
            usage.replace("[OPTIONS]", "[TÙY_CHỌN]")
        ));
    }
    lines.push(String::new());
    lines.push("Xem thêm: '--help'.".to_string());
    lines.join("\n")
}

fn vietnamese_problem(error: &clap::Error, arg: &str, value: &str) -> String {
    match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("'{arg}' cần một giá trị"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("giá trị '{value}' không hợp lệ cho '{arg}'")
        }
        ErrorKind::UnknownArgument => format!("tham số không hợp lệ '{arg}'"),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh '{}'",
            context(error, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::NoEquals => format!("'{arg}' cần dấu '=' trước giá trị"),
        ErrorKind::TooManyValues => format!("'{arg}' nhận quá nhiều giá trị ('{value}')"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("'{arg}' không đủ giá trị")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(error, ContextKind::PriorArg);
            if prior.is_empty() {
                format!("'{arg}' không dùng được nhiều lần")
            } else {
                format!("không dùng '{arg}' cùng với '{prior}'")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc: {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "cần chọn một lệnh".to_string()
        }
        ErrorKind::InvalidUtf8 => "tham số không phải văn bản UTF-8".to_string(),
        _ => "dòng lệnh không hợp lệ".to_string(),
    }
}

/// The command with its help in the given language.
pub fn command(lang: Lang) -> Command {
    let command = Cli::command().disable_help_subcommand(true);
    match lang {
        Lang::En => command.about(
            "The appraisal council session of the Public Administration Reform index (PAR INDEX)",
        ),
        Lang::Vi => vietnamese(command, ""),
    }
}

/// The help template with Vietnamese headings (clap writes "Usage:" itself otherwise).
const VI_TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// Rewrites one command (and its subcommands) in Vietnamese: about, headings, help texts,
/// value names, defaults and possible values, and the help and version flags.
fn vietnamese(command: Command, path: &str) -> Command {
    let name = command.get_name().to_string();
    let path = if path.is_empty() {
        String::new()
    } else if path == "council" {
        name.clone()
    } else {
        format!("{path} {name}")
    };
    let about = vi_about(&path);
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut command = command
        .help_template(VI_TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading("Tùy chọn")
                .help("In trợ giúp này"),
        )
        .mut_args(|arg| vietnamese_arg(arg, &path));
    if let Some(about) = about {
        command = command.about(about);
    }
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading("Tùy chọn")
                .help("In số phiên bản"),
        );
    }
    let parent = if path.is_empty() {
        "council".to_string()
    } else {
        path
    };
    for sub in subcommands {
        command = command.mut_subcommand(&sub, |c| vietnamese(c, &parent));
    }
    command
}

/// One argument in Vietnamese: its heading, help, value name, and defaults and possible values
/// in words (clap would write "[default: vi] [possible values: vi, en]").
fn vietnamese_arg(arg: Arg, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_string();
    if id == "help" || id == "version" {
        return arg;
    }
    let heading = if arg.is_positional() {
        "Tham số"
    } else {
        "Tùy chọn"
    };
    let (help, value_name) = vi_arg(path, &id);
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let is_flag = !arg.get_action().takes_values();
    if !defaults.is_empty() && !is_flag {
        notes.push(format!("[mặc định: {}]", defaults.join(", ")));
    }
    if !values.is_empty() && !is_flag {
        notes.push(format!("[giá trị: {}]", values.join(", ")));
    }
    let help = match (help, notes.is_empty()) {
        (help, true) => help.to_string(),
        ("", false) => notes.join(" "),
        (help, false) => format!("{help} {}", notes.join(" ")),
    };
    let mut arg = arg.help_heading(heading).help(help);
    if !is_flag {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if let Some(value_name) = value_name {
        arg = arg.value_name(value_name);
    }
    arg
}

/// A command's description in Vietnamese, by its path ("" is `council` itself).
fn vi_about(path: &str) -> Option<&'static str> {
    Some(match path {
        "" => "Phiên họp Hội đồng thẩm định Chỉ số CCHC (PAR INDEX)",
        "import" => "Nhập một thư mục phiên họp gồm các tệp CSV (nhập tất cả hoặc không gì cả)",
        "check" => "Kiểm tra một thư mục phiên họp mà không động đến cơ sở dữ liệu nào",
        "decide" => "Ghi một quyết định của hội đồng cho một mục",
        "export" => "Xuất kết quả thẩm định (kết quả, tổng hợp, xếp hạng)",
        "summary" => "In bảng xếp hạng",
        "diff" => "So sánh phiếu chấm đã thẩm định của một đơn vị với bản tự chấm (unified diff)",
        "history" => {
            "In toàn bộ lịch sử từng mục (tự chấm, đề xuất, đánh dấu, quyết định, hoàn tác)"
        }
        "finalize" => "Chốt phiên họp; từ chối khi còn mục tranh chấp chưa quyết định",
        "verify" => {
            "Tính lại chuỗi băm của phiên họp và mọi thứ suy ra từ nó; chỉ ra mục hay dòng nào bị sửa, thêm hoặc xoá, đối chiếu với các mã băm đã được chứng kiến"
        }
        "configure" => {
            "Thiết lập của phiên họp (cách xếp hạng, mức xếp loại), dùng chung cho mọi màn hình và lệnh"
        }
        "members" => {
            "Ai được ghi vào phiên họp: `add TÀI_KHOẢN --name TÊN --role VAI_TRÒ`, `list`, `remove TÀI_KHOẢN`"
        }
        "members add" => "Thêm một thành viên (hoặc đổi tên và vai trò của thành viên)",
        "members list" => "In danh sách thành viên",
        "members remove" => "Bỏ một thành viên",
        "backup" => "Một bản sao đầy đủ, nhất quán của phiên họp, kể cả khi các màn hình đang mở",
        "agenda" => "Chương trình họp: lập từ các mục tranh chấp, xem, nhập hoặc xoá",
        "agenda build" => "Lập chương trình họp từ các mục tranh chấp (và quyết định cần xem lại)",
        "agenda show" => "In chương trình họp đã lưu, đánh dấu các mục đã bàn",
        "agenda import" => {
            "Đọc chương trình họp từ tệp CSV có cột unit_code, criterion_code (để trống: cả đơn vị) và, nếu muốn, minutes (thời lượng của mục, tính bằng phút)"
        }
        "agenda clear" => "Xoá chương trình họp đã lưu và đặt lại phiên họp (chủ tọa, đồng hồ)",
        _ => return None,
    })
}

/// Help texts and value names in Vietnamese: (command path, argument id, help, value name);
/// the path "*" is any command (the global options).
const VI_ARGS: &[(&str, &str, &str, Option<&str>)] = &[
    ("*", "db", "Tệp cơ sở dữ liệu của phiên họp", Some("TỆP")),
    (
        "*",
        "lang",
        "Ngôn ngữ của thông báo và nhãn",
        Some("NGÔN_NGỮ"),
    ),
    (
        "*",
        "reviewer",
        "Tên ghi trên các quyết định (mặc định: tên đăng nhập)",
        Some("TÊN"),
    ),
    (
        "*",
        "theme",
        "Bảng màu của màn hình hội đồng",
        Some("BẢNG_MÀU"),
    ),
    (
        "*",
        "lead",
        "Chủ trì phiên họp: màn hình của người theo dõi đi theo màn hình này (mở ở chế độ trình chiếu)",
        None,
    ),
    (
        "*",
        "follow",
        "Theo dõi chủ tọa; phím di chuyển bất kỳ để xem riêng, `.` để quay lại",
        None,
    ),
    (
        "*",
        "no_mouse",
        "Không dùng chuột trên màn hình hội đồng (để chuột cho thiết bị đầu cuối: chọn và dán chữ)",
        None,
    ),
    (
        "",
        "session",
        "Cơ sở dữ liệu phiên họp, hoặc thư mục phiên họp (dùng council.db trong đó, nhập ở lần chạy đầu)",
        Some("PHIÊN_HỌP"),
    ),
    ("import", "dir", "Thư mục phiên họp", Some("THƯ_MỤC")),
    ("check", "dir", "Thư mục phiên họp", Some("THƯ_MỤC")),
    (
        "import",
        "dry_run",
        "Báo cáo những gì sẽ thay đổi mà không ghi gì",
        None,
    ),
    (
        "import",
        "strict",
        "Từ chối điểm tự chấm vi phạm quy tắc chấm của tiêu chí (vượt tối đa, dưới tối thiểu, lệch bước)",
        None,
    ),
    (
        "check",
        "strict",
        "Từ chối điểm tự chấm vi phạm quy tắc chấm của tiêu chí (vượt tối đa, dưới tối thiểu, lệch bước)",
        None,
    ),
    ("decide", "unit", "Mã đơn vị", Some("ĐƠN_VỊ")),
    ("decide", "criterion", "Mã tiêu chí", Some("TIÊU_CHÍ")),
    (
        "decide",
        "score",
        "Điểm của hội đồng (\"0,5\" hoặc \"0.5\"; số âm cho mục điểm trừ: --score -1,5)",
        Some("ĐIỂM"),
    ),
    (
        "decide",
        "reason",
        "Lý do; bắt buộc khi điểm khác điểm tự chấm",
        Some("LÝ_DO"),
    ),
    (
        "decide",
        "accept",
        "Chấp nhận điểm tự chấm của đơn vị",
        None,
    ),
    (
        "decide",
        "proposal",
        "Chấp nhận đề xuất của tổ giúp việc (ghi chú của tổ là lý do nếu không có --reason)",
        None,
    ),
    (
        "decide",
        "by",
        "Người quyết định (mặc định: --as, hoặc tên thành viên, hoặc tên đăng nhập)",
        Some("TÊN"),
    ),
    (
        "export",
        "out",
        "Thư mục xuất (mặc định: export/ cạnh cơ sở dữ liệu)",
        Some("THƯ_MỤC"),
    ),
    ("export", "format", "Định dạng tệp", Some("ĐỊNH_DẠNG")),
    ("export", "no_bom", "Ghi UTF-8 không có dấu BOM", None),
    ("export", "force", "Ghi đè những gì đã có", None),
    ("agenda build", "force", "Ghi đè những gì đã có", None),
    ("agenda import", "force", "Ghi đè những gì đã có", None),
    (
        "export",
        "dense",
        "Xếp hạng liền (1, 1, 2) thay vì xếp hạng thi đấu (1, 1, 3)",
        None,
    ),
    (
        "summary",
        "dense",
        "Xếp hạng liền (1, 1, 2) thay vì xếp hạng thi đấu (1, 1, 3)",
        None,
    ),
    (
        "export",
        "bands",
        "Ngưỡng xếp loại theo chỉ số %, ví dụ \"A=90,B=80,C=70,D=0\"",
        Some("XẾP_LOẠI"),
    ),
    (
        "summary",
        "bands",
        "Ngưỡng xếp loại theo chỉ số %, ví dụ \"A=90,B=80,C=70,D=0\"",
        Some("XẾP_LOẠI"),
    ),
    ("diff", "unit", "Đơn vị cần so sánh", Some("ĐƠN_VỊ")),
    ("diff", "all", "Mọi đơn vị, lần lượt", None),
    (
        "diff",
        "against",
        "self (tự chấm), proposal (đề xuất) hoặc version:N (một lần nộp so với bản hiện tại)",
        Some("GỐC"),
    ),
    (
        "diff",
        "context",
        "Số dòng ngữ cảnh quanh mỗi thay đổi",
        Some("SỐ_DÒNG"),
    ),
    (
        "diff",
        "colour",
        "Tô màu: auto (trên terminal), always (luôn), never (không)",
        Some("MÀU"),
    ),
    ("history", "unit", "Chỉ một đơn vị", Some("ĐƠN_VỊ")),
    (
        "history",
        "format",
        "Định dạng: text (văn bản) hoặc csv",
        Some("ĐỊNH_DẠNG"),
    ),
    (
        "finalize",
        "force",
        "Chốt dù còn mục tranh chấp (cần --reason)",
        None,
    ),
    (
        "finalize",
        "reason",
        "Lý do chốt khi còn mục chưa giải quyết",
        Some("LÝ_DO"),
    ),
    (
        "agenda build",
        "order",
        "Thứ tự: unit (theo đơn vị), delta (chênh lệch lớn trước), field (theo lĩnh vực)",
        Some("THỨ_TỰ"),
    ),
    (
        "agenda import",
        "file",
        "Tệp CSV của chương trình họp",
        Some("TỆP"),
    ),
    (
        "agenda build",
        "minutes",
        "Thời lượng dành cho mỗi mục, tính bằng phút (\"3\", \"1,5\")",
        Some("SỐ_PHÚT"),
    ),
    (
        "agenda import",
        "minutes",
        "Thời lượng của các dòng không ghi cột minutes, tính bằng phút",
        Some("SỐ_PHÚT"),
    ),
    (
        "export",
        "competition",
        "Xếp hạng thi đấu (1, 1, 3), cho lệnh này",
        None,
    ),
    (
        "summary",
        "competition",
        "Xếp hạng thi đấu (1, 1, 3), cho lệnh này",
        None,
    ),
    (
        "verify",
        "head",
        "Mã băm cuối in ở nơi khác (biên bản): phải là một mục của nhật ký phiên họp này",
        Some("MÃ_BĂM"),
    ),
    (
        "verify",
        "manifest",
        "Tệp manifest.json đã xuất: đối chiếu các tệp và mã băm cuối với phiên họp",
        Some("TỆP"),
    ),
    (
        "configure",
        "bands",
        "Ngưỡng xếp loại theo chỉ số %, từ cao xuống thấp, ví dụ \"A=90,B=80,C=70,D=0\"",
        Some("XẾP_LOẠI"),
    ),
    ("configure", "dense", "Xếp hạng liền (1, 1, 2)", None),
    (
        "configure",
        "competition",
        "Xếp hạng thi đấu (1, 1, 3), mặc định",
        None,
    ),
    (
        "configure",
        "unset",
        "Bỏ một thiết lập, trở về mặc định (rank_mode, bands)",
        Some("KHOÁ"),
    ),
    (
        "members add",
        "login",
        "Tài khoản hệ điều hành của thành viên",
        Some("TÀI_KHOẢN"),
    ),
    (
        "members add",
        "name",
        "Tên ghi trên các quyết định của thành viên",
        Some("TÊN"),
    ),
    ("members add", "role", "Vai trò", Some("VAI_TRÒ")),
    (
        "members remove",
        "login",
        "Tài khoản hệ điều hành của thành viên",
        Some("TÀI_KHOẢN"),
    ),
    ("backup", "out", "Tệp bản sao cần ghi", Some("TỆP")),
    ("backup", "force", "Ghi đè tệp đã có", None),
];

/// An argument's help and value name in Vietnamese, by command path and argument id.
fn vi_arg(path: &str, id: &str) -> (&'static str, Option<&'static str>) {
    VI_ARGS
        .iter()
        .find(|(p, i, _, _)| (*p == "*" || *p == path) && *i == id)
        .map_or(("", None), |&(_, _, help, value_name)| (help, value_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_from_args(&args(&["council", "summary"])), Lang::Vi);
        assert_eq!(
            lang_from_args(&args(&["council", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            lang_from_args(&args(&["council", "x", "--lang=en"])),
            Lang::En
        );
        assert_eq!(
            lang_from_args(&args(&["council", "--lang", "xx"])),
            Lang::Vi
        );
        // After "--" it is a value, not an option.
        assert_eq!(
            lang_from_args(&args(&["council", "--", "--lang=en"])),
            Lang::Vi
        );
    }

    #[test]
    fn every_argument_and_command_has_vietnamese_help() {
        fn walk(command: &Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if !["help", "version"].contains(&id) && vi_arg(path, id).0.is_empty() {
                    missing.push(format!("{path} --{id}"));
                }
            }
            for sub in command.get_subcommands() {
                let sub_path = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                if vi_about(&sub_path).is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Vietnamese help for {missing:?}");
    }

    #[test]
    fn the_vietnamese_command_is_valid() {
        command(Lang::Vi).debug_assert();
        command(Lang::En).debug_assert();
    }
}
