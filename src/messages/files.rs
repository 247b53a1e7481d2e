//! What exporting a session and keeping a witness say when a file cannot be written.

use super::{Lang, Localised, english_display, pick};
use crate::io::export::{ExportError, FileAction};
use crate::io::witness::WitnessError;
use crate::service::export::ExportFailure;
use crate::service::report::ReportFailure;

english_display!(ExportError, WitnessError, ExportFailure, ReportFailure);

impl Localised for ExportFailure {
    fn text(&self, lang: Lang) -> String {
        match self {
            ExportFailure::Store(error) => error.text(lang),
            ExportFailure::DoesNotVerify(problems) => {
                let problems = super::store::problems_line(lang, problems);
                match lang {
                    Lang::Vi => format!(
                        "phiên họp không qua được kiểm tra; không xuất kết quả đã chốt: {problems}"
                    ),
                    Lang::En => format!(
                        "the session does not verify; not exporting a finalised record: {problems}"
                    ),
                }
            }
            ExportFailure::ManifestExists(path) => {
                let path = path.display();
                match lang {
                    Lang::Vi => format!("{path}: đã có; dùng --force để ghi đè"),
                    Lang::En => format!("{path}: exists; use --force to overwrite"),
                }
            }
            ExportFailure::Export(error) => error.text(lang),
        }
    }
}

impl Localised for ReportFailure {
    fn text(&self, lang: Lang) -> String {
        match self {
            ReportFailure::Store(error) => error.text(lang),
            ReportFailure::Folder { folder, error } => format!("{}: {error}", folder.display()),
            ReportFailure::Export(error) => error.text(lang),
        }
    }
}

impl Localised for ExportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ExportError::WouldOverwrite { paths } => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let list = list.join(", ");
                let (s, them) = if paths.len() == 1 {
                    ("s", "it")
                } else {
                    ("", "them")
                };
                match lang {
                    Lang::Vi => format!("{list} đã có; xuất lại với --force để ghi đè"),
                    Lang::En => format!(
                        "{list} already exist{s}; export again with --force to replace {them}"
                    ),
                }
            }
            ExportError::Io {
                path,
                action,
                source,
            } => {
                let (path, action) = (path.display(), file_action(lang, *action));
                match lang {
                    Lang::Vi => format!("không {action} được {path}: {source}"),
                    Lang::En => format!("cannot {action} {path}: {source}"),
                }
            }
            ExportError::TextsMismatch { texts, items } => match lang {
                Lang::Vi => format!(
                    "nội dung các mục không khớp phiên họp: {texts} nội dung cho {items} mục"
                ),
                Lang::En => format!(
                    "the item texts do not match the session: {texts} texts for {items} items"
                ),
            },
        }
    }
}

fn file_action(lang: Lang, action: FileAction) -> &'static str {
    match action {
        FileAction::Read => pick(lang, "đọc", "read"),
        FileAction::Create => pick(lang, "tạo", "create"),
        FileAction::CreateFolder => pick(lang, "tạo thư mục", "create folder"),
        FileAction::CreateTemporary => pick(lang, "tạo tệp tạm cho", "create a temporary file for"),
        FileAction::Write => pick(lang, "ghi", "write"),
        FileAction::Sync => pick(lang, "ghi xuống đĩa", "sync"),
        FileAction::Replace => pick(lang, "thay", "replace"),
    }
}

impl Localised for WitnessError {
    fn text(&self, lang: Lang) -> String {
        match self {
            WitnessError::NoStateFolder => pick(
                lang,
                "không có thư mục trạng thái (chưa đặt XDG_STATE_HOME hay HOME): không lưu được các mã băm đã thấy",
                "no state folder (neither XDG_STATE_HOME nor HOME is set): the heads seen are not kept",
            )
            .into(),
            WitnessError::CannotKeep { file, error } => {
                let file = file.display();
                match lang {
                    Lang::Vi => format!("{file}: không ghi được tệp chứng kiến: {error}"),
                    Lang::En => format!("{file}: cannot keep the witness: {error}"),
                }
            }
            WitnessError::Json(error) => error.clone(),
        }
    }
}
