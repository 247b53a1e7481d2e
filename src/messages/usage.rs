//! The command line's help and usage errors in Vietnamese. clap writes its own English (the
//! help from the doc comments of `cli`'s arguments, its usage errors); with `--lang vi` the
//! help is rebuilt from these tables and the errors are rendered here from what clap found.

/// The help template with Vietnamese headings (clap writes "Usage:" itself otherwise).
pub const VI_TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `council`'s description in English (clap's own is the doc comment, in Vietnamese).
pub const EN_ABOUT: &str =
    "The appraisal council session of the Public Administration Reform index (PAR INDEX)";

/// Headings and the words of the help.
pub const VI_ARGUMENTS: &str = "Tham số";
pub const VI_OPTIONS: &str = "Tùy chọn";
pub const VI_COMMANDS: &str = "Lệnh";
pub const VI_COMMAND: &str = "LỆNH";
pub const VI_OPTIONS_PLACEHOLDER: &str = "[TÙY_CHỌN]";
pub const VI_HELP_FLAG: &str = "In trợ giúp này";
pub const VI_VERSION_FLAG: &str = "In số phiên bản";

/// `[mặc định: vi]` after an option's help.
pub fn vi_default(values: &str) -> String {
    format!("[mặc định: {values}]")
}

/// `[giá trị: vi, en]` after an option's help.
pub fn vi_values(values: &str) -> String {
    format!("[giá trị: {values}]")
}

/// What clap found wrong with a command line, with its words (arguments, values, names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageProblem<'a> {
    MissingValue { arg: &'a str },
    InvalidValue { arg: &'a str, value: &'a str },
    UnknownArgument { arg: &'a str },
    UnknownCommand { name: &'a str },
    NoEquals { arg: &'a str },
    TooManyValues { arg: &'a str, value: &'a str },
    TooFewValues { arg: &'a str },
    Repeated { arg: &'a str },
    Conflict { arg: &'a str, prior: &'a str },
    MissingArgument { arg: &'a str },
    MissingCommand,
    NotUtf8,
    Other,
}

/// The first line of a usage error: `lỗi: …`.
pub fn vi_problem(problem: &UsageProblem) -> String {
    let what = match problem {
        UsageProblem::MissingValue { arg } => format!("'{arg}' cần một giá trị"),
        UsageProblem::InvalidValue { arg, value } => {
            format!("giá trị '{value}' không hợp lệ cho '{arg}'")
        }
        UsageProblem::UnknownArgument { arg } => format!("tham số không hợp lệ '{arg}'"),
        UsageProblem::UnknownCommand { name } => format!("không có lệnh '{name}'"),
        UsageProblem::NoEquals { arg } => format!("'{arg}' cần dấu '=' trước giá trị"),
        UsageProblem::TooManyValues { arg, value } => {
            format!("'{arg}' nhận quá nhiều giá trị ('{value}')")
        }
        UsageProblem::TooFewValues { arg } => format!("'{arg}' không đủ giá trị"),
        UsageProblem::Repeated { arg } => format!("'{arg}' không dùng được nhiều lần"),
        UsageProblem::Conflict { arg, prior } => format!("không dùng '{arg}' cùng với '{prior}'"),
        UsageProblem::MissingArgument { arg } => format!("thiếu tham số bắt buộc: {arg}"),
        UsageProblem::MissingCommand => "cần chọn một lệnh".to_string(),
        UsageProblem::NotUtf8 => "tham số không phải văn bản UTF-8".to_string(),
        UsageProblem::Other => "dòng lệnh không hợp lệ".to_string(),
    };
    format!("lỗi: {what}")
}

/// The values an option takes, after the problem.
pub fn vi_valid_values(values: &str) -> String {
    format!("  [giá trị hợp lệ: {values}]")
}

/// clap's suggestion of what was meant.
pub fn vi_did_you_mean(suggested: &str) -> String {
    format!("  gợi ý: có phải ý bạn là '{suggested}'?")
}

/// How to pass a value that starts with a hyphen.
pub fn vi_hyphen_tip(arg: &str) -> String {
    format!("  mẹo: để truyền '{arg}' làm giá trị, viết liền '--tùy-chọn={arg}' hoặc đặt sau '--'")
}

/// The usage line, from clap's (whose "[OPTIONS]" is translated too).
pub fn vi_usage(usage: &str) -> String {
    format!(
        "Cách dùng: {}",
        usage.replace("[OPTIONS]", VI_OPTIONS_PLACEHOLDER)
    )
}

pub const VI_SEE_HELP: &str = "Xem thêm: '--help'.";

/// A command's description in Vietnamese, by its path ("" is `council` itself).
pub fn vi_about(path: &str) -> Option<&'static str> {
    Some(match path {
        "" => "Phiên họp Hội đồng thẩm định Chỉ số CCHC (PAR INDEX)",
        "import" => "Nhập một thư mục phiên họp gồm các tệp CSV (nhập tất cả hoặc không gì cả)",
        "check" => "Kiểm tra một thư mục phiên họp mà không động đến cơ sở dữ liệu nào",
        "decide" => "Ghi một quyết định của hội đồng cho một mục",
        "export" => "Xuất kết quả thẩm định (kết quả, tổng hợp, xếp hạng)",
        "report" => "Ghi báo cáo kết quả thẩm định bằng Word (bao-cao.docx)",
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
    (
        "export",
        "excel_vi",
        "CSV mà Excel tiếng Việt mở thành số: dấu ; giữa các cột, dấu phẩy thập phân (có BOM)",
        None,
    ),
    (
        "export",
        "unit_sheets",
        "Trang tính riêng cho từng đơn vị trong sổ tính: auto (mọi đơn vị, tối đa 1000 đơn vị), all, none",
        Some("CÁCH"),
    ),
    (
        "report",
        "out",
        "Tệp báo cáo (mặc định: export/bao-cao.docx cạnh cơ sở dữ liệu)",
        Some("TỆP"),
    ),
    ("report", "force", "Ghi đè tệp đã có", None),
    (
        "report",
        "dense",
        "Xếp hạng liền (1, 1, 2) thay vì xếp hạng thi đấu (1, 1, 3)",
        None,
    ),
    (
        "report",
        "competition",
        "Xếp hạng thi đấu (1, 1, 3), cho lệnh này",
        None,
    ),
    (
        "report",
        "bands",
        "Ngưỡng xếp loại theo chỉ số %, ví dụ \"A=90,B=80,C=70,D=0\"",
        Some("XẾP_LOẠI"),
    ),
    (
        "configure",
        "issuer",
        "Cơ quan ban hành ở đầu văn bản, ví dụ \"UBND TỈNH LÀO CAI\"",
        Some("CHUỖI"),
    ),
    ("configure", "year", "Năm đánh giá, ví dụ 2025", Some("NĂM")),
    (
        "configure",
        "council_name",
        "Tên hội đồng dưới cơ quan ban hành",
        Some("CHUỖI"),
    ),
    (
        "configure",
        "chair",
        "Tên chủ tịch hội đồng ở phần ký",
        Some("TÊN"),
    ),
    (
        "configure",
        "secretary",
        "Tên thư ký hội đồng ở phần ký",
        Some("TÊN"),
    ),
    (
        "configure",
        "meeting_date",
        "Ngày họp (2025-11-23 hoặc 23/11/2025), cho báo cáo",
        Some("NGÀY"),
    ),
    (
        "configure",
        "meeting_place",
        "Địa điểm họp, cho báo cáo",
        Some("CHUỖI"),
    ),
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
        "summary",
        "chart",
        "In phân bố chỉ số % (khoảng 5 điểm) và số đơn vị theo xếp loại thành thanh chữ thay cho bảng (khối unicode, hoặc ASCII khi locale không phải UTF-8)",
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
        "Bỏ một thiết lập, trở về mặc định (rank_mode, bands, issuer, year, council_name, chair, secretary, meeting_date, meeting_place)",
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
pub fn vi_arg(path: &str, id: &str) -> (&'static str, Option<&'static str>) {
    VI_ARGS
        .iter()
        .find(|(p, i, _, _)| (*p == "*" || *p == path) && *i == id)
        .map_or(("", None), |&(_, _, help, value_name)| (help, value_name))
}
