//! What the domain's refusals say: scores and codes that do not parse, frameworks that do not
//! hold together, scores out of a criterion's range, decisions and writes refused, bands and
//! settings, what witnesses saw that the log no longer says.

use super::{Lang, Localised, english_display, pick};
use crate::domain::FrameworkError;
use crate::domain::agenda::{AgendaCodeError, BudgetError, MAX_BUDGET_MINUTES};
use crate::domain::chain::{Sighting, SightingProblem};
use crate::domain::criteria::{CodeError, MAX_DEPTH, ScoreRangeError};
use crate::domain::members::{Permission, Refusal, Role};
use crate::domain::rollup::BandsError;
use crate::domain::score::{Numbers, ScoreParseError};
use crate::domain::session::DecisionError;
use crate::domain::settings::{MAX_LINE_CHARS, SettingError, ValueProblem, known_keys};
use crate::domain::text::Excerpt;

english_display!(
    Excerpt,
    ScoreParseError,
    CodeError,
    FrameworkError,
    ScoreRangeError,
    DecisionError,
    Refusal,
    BandsError,
    SettingError,
    SightingProblem,
    AgendaCodeError,
    BudgetError,
);

impl Localised for Excerpt {
    fn text(&self, lang: Lang) -> String {
        match (self.cut_from, lang) {
            (None, _) => self.shown.clone(),
            (Some(size), Lang::Vi) => format!("{}… ({size} byte)", self.shown),
            (Some(size), Lang::En) => format!("{}… ({size} bytes)", self.shown),
        }
    }
}

impl Localised for ScoreParseError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ScoreParseError::Empty => pick(
                lang,
                "ô trống ở chỗ cần một số điểm",
                "empty value where a number of points was expected",
            )
            .to_string(),
            ScoreParseError::NotANumber(text) => {
                let text = text.text(lang);
                match lang {
                    Lang::Vi => format!(
                        "'{text}' không phải là số điểm (cần các chữ số với nhiều nhất một dấu ',' hoặc '.', ví dụ 0,5)"
                    ),
                    Lang::En => format!(
                        "'{text}' is not a number of points (expected digits with at most one ',' or '.', e.g. 0,5)"
                    ),
                }
            }
            ScoreParseError::TooLong(text) => {
                let text = text.text(lang);
                match lang {
                    Lang::Vi => format!("'{text}' có quá nhiều chữ số"),
                    Lang::En => format!("'{text}' has too many digits"),
                }
            }
        }
    }
}

impl Localised for CodeError {
    fn text(&self, lang: Lang) -> String {
        match self {
            CodeError::Empty => pick(lang, "mã tiêu chí để trống", "empty criterion code").into(),
            CodeError::Malformed(text) => {
                let text = text.text(lang);
                match lang {
                    Lang::Vi => format!(
                        "'{text}' không phải là mã tiêu chí (cần các số nối bằng dấu chấm, ví dụ 2.1.3)"
                    ),
                    Lang::En => format!(
                        "'{text}' is not a criterion code (expected numbers joined by dots, e.g. 2.1.3)"
                    ),
                }
            }
            CodeError::TooDeep(text) => {
                let text = text.text(lang);
                match lang {
                    Lang::Vi => format!("'{text}' sâu quá {MAX_DEPTH} cấp"),
                    Lang::En => format!("'{text}' is deeper than {MAX_DEPTH} levels"),
                }
            }
        }
    }
}

impl Localised for FrameworkError {
    fn text(&self, lang: Lang) -> String {
        let n = |points| Numbers::of(lang).points(points);
        match (self, lang) {
            (FrameworkError::Empty, _) => pick(lang, "không có tiêu chí nào", "no criteria").into(),
            (FrameworkError::DuplicateCode { code }, Lang::Vi) => {
                format!("mã tiêu chí {code} xuất hiện nhiều hơn một lần")
            }
            (FrameworkError::DuplicateCode { code }, Lang::En) => {
                format!("criterion code {code} appears more than once")
            }
            (FrameworkError::MissingParent { code, parent }, Lang::Vi) => {
                format!("tiêu chí {code} không có tiêu chí cha {parent} trong tệp")
            }
            (FrameworkError::MissingParent { code, parent }, Lang::En) => {
                format!("criterion {code} has no parent {parent} in the file")
            }
            (FrameworkError::MaxBelowMin { code, max, min }, Lang::Vi) => format!(
                "tiêu chí {code}: điểm tối đa (max_points) {} nhỏ hơn điểm tối thiểu (min_points) {}",
                n(*max),
                n(*min)
            ),
            (FrameworkError::MaxBelowMin { code, max, min }, Lang::En) => format!(
                "criterion {code}: max_points {} is below min_points {}",
                n(*max),
                n(*min)
            ),
            (FrameworkError::StepNotPositive { code, step }, Lang::Vi) => {
                format!("tiêu chí {code}: bước điểm {} phải lớn hơn 0", n(*step))
            }
            (FrameworkError::StepNotPositive { code, step }, Lang::En) => {
                format!("criterion {code}: step {} must be positive", n(*step))
            }
            (FrameworkError::StepDoesNotDivide { code, step, range }, Lang::Vi) => format!(
                "tiêu chí {code}: bước điểm {} không chia hết khoảng tối đa − tối thiểu = {}",
                n(*step),
                n(*range)
            ),
            (FrameworkError::StepDoesNotDivide { code, step, range }, Lang::En) => format!(
                "criterion {code}: step {} does not divide max − min = {}",
                n(*step),
                n(*range)
            ),
            (FrameworkError::ParentMaxMismatch { .. }, _) => parent_max_mismatch(self, lang),
        }
    }
}

fn parent_max_mismatch(error: &FrameworkError, lang: Lang) -> String {
    let FrameworkError::ParentMaxMismatch {
        code,
        declared,
        children_sum,
    } = error
    else {
        return format!("{error:?}");
    };
    let (declared, sum) = (
        Numbers::of(lang).points(*declared),
        Numbers::of(lang).points(*children_sum),
    );
    match lang {
        Lang::Vi => format!(
            "tiêu chí {code}: điểm tối đa (max_points) là {declared} nhưng tổng điểm tối đa của các tiêu chí thành phần là {sum}"
        ),
        Lang::En => format!(
            "criterion {code}: max_points is {declared} but its children's maxima add up to {sum}"
        ),
    }
}

impl Localised for ScoreRangeError {
    fn text(&self, lang: Lang) -> String {
        let n = |points| Numbers::of(lang).points(points);
        match (self, lang) {
            (ScoreRangeError::AboveMax { code, score, max }, Lang::Vi) => {
                format!(
                    "{} vượt quá điểm tối đa {} của tiêu chí {code}",
                    n(*score),
                    n(*max)
                )
            }
            (ScoreRangeError::AboveMax { code, score, max }, Lang::En) => {
                format!(
                    "{} is above the maximum {} of criterion {code}",
                    n(*score),
                    n(*max)
                )
            }
            (ScoreRangeError::BelowMin { code, score, min }, Lang::Vi) => format!(
                "{} thấp hơn điểm tối thiểu {} của tiêu chí {code}",
                n(*score),
                n(*min)
            ),
            (ScoreRangeError::BelowMin { code, score, min }, Lang::En) => {
                format!(
                    "{} is below the minimum {} of criterion {code}",
                    n(*score),
                    n(*min)
                )
            }
            (
                ScoreRangeError::OffStep {
                    code,
                    score,
                    step,
                    min,
                },
                Lang::Vi,
            ) => format!(
                "{} không khớp bước điểm {} của tiêu chí {code} (tính từ {})",
                n(*score),
                n(*step),
                n(*min)
            ),
            (
                ScoreRangeError::OffStep {
                    code,
                    score,
                    step,
                    min,
                },
                Lang::En,
            ) => format!(
                "{} is not on criterion {code}'s step of {} (counted from {})",
                n(*score),
                n(*step),
                n(*min)
            ),
        }
    }
}

impl Localised for DecisionError {
    fn text(&self, lang: Lang) -> String {
        let n = |points| Numbers::of(lang).points(points);
        match (self, lang) {
            (DecisionError::OutOfRange(range), _) => range.text(lang),
            (DecisionError::ReasonRequired { score, self_score }, Lang::Vi) => {
                format!(
                    "cần ghi lý do: {} khác điểm tự chấm {}",
                    n(*score),
                    n(*self_score)
                )
            }
            (DecisionError::ReasonRequired { score, self_score }, Lang::En) => format!(
                "a reason is required: {} differs from the self-score {}",
                n(*score),
                n(*self_score)
            ),
            (DecisionError::NotALeaf(code), Lang::Vi) => format!(
                "tiêu chí {code} không phải tiêu chí thành phần cuối cùng; chỉ chấm điểm các tiêu chí thành phần cuối cùng"
            ),
            (DecisionError::NotALeaf(code), Lang::En) => {
                format!("criterion {code} is not a leaf; only leaves are scored")
            }
            (DecisionError::SurveyItem(code), Lang::Vi) => format!(
                "tiêu chí {code} là nội dung điều tra xã hội học: điểm lấy từ kết quả điều tra"
            ),
            (DecisionError::SurveyItem(code), Lang::En) => {
                format!("criterion {code} is a survey item: its points come from the survey")
            }
        }
    }
}

/// A member's role in words.
pub fn role(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Chair => pick(lang, "chủ tọa", "chair"),
        Role::Secretary => pick(lang, "thư ký", "secretary"),
        Role::Member => pick(lang, "thành viên", "member"),
        Role::Observer => pick(lang, "quan sát viên", "observer"),
    }
}

impl Localised for Refusal {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::NotAMember { login }, Lang::Vi) => format!(
                "tài khoản '{login}' không có trong danh sách thành viên của phiên họp: chỉ thành viên mới được ghi (xem `council members list`)"
            ),
            (Refusal::NotAMember { login }, Lang::En) => format!(
                "the login '{login}' is not on this session's members list: only members can write to it (see `council members list`)"
            ),
            (
                Refusal::NotYourName {
                    login,
                    member,
                    asked,
                },
                Lang::Vi,
            ) => format!(
                "tài khoản '{login}' là thành viên '{member}' trong danh sách của phiên họp: không thể ghi dưới tên '{asked}'"
            ),
            (
                Refusal::NotYourName {
                    login,
                    member,
                    asked,
                },
                Lang::En,
            ) => format!(
                "the login '{login}' is the member '{member}' on this session's list: it cannot write as '{asked}'"
            ),
            (
                Refusal::RoleCannot {
                    login,
                    role: r,
                    permission,
                },
                _,
            ) => role_cannot(lang, login, role(lang, *r), *permission),
        }
    }
}

fn role_cannot(lang: Lang, login: &str, role: &str, permission: Permission) -> String {
    match (permission, lang) {
        (Permission::Decide, Lang::Vi) => format!(
            "tài khoản '{login}' là {role} của phiên họp: chỉ được theo dõi, không được quyết định"
        ),
        (Permission::Decide, Lang::En) => format!(
            "the login '{login}' has the role {role} in this session: it can follow but not decide"
        ),
        (Permission::Manage, Lang::Vi) => format!(
            "tài khoản '{login}' là {role} của phiên họp: chỉ chủ tọa hoặc thư ký mới được làm việc này"
        ),
        (Permission::Manage, Lang::En) => format!(
            "the login '{login}' has the role {role} in this session: only the chair or the secretary can do this"
        ),
    }
}

impl Localised for BandsError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (BandsError::Shape(band), Lang::Vi) => {
                format!("mức xếp loại '{band}' cần viết dạng A=90")
            }
            (BandsError::Shape(band), Lang::En) => format!("band '{band}' should look like A=90"),
            (BandsError::Threshold { band, error }, Lang::Vi) => {
                format!("mức xếp loại '{band}': {}", error.text(lang))
            }
            (BandsError::Threshold { band, error }, Lang::En) => {
                format!("band '{band}': {}", error.text(lang))
            }
            (BandsError::NoName(band), Lang::Vi) => format!("mức xếp loại '{band}' chưa có tên"),
            (BandsError::NoName(band), Lang::En) => format!("band '{band}' has no name"),
            (BandsError::Repeated(name), Lang::Vi) => {
                format!("mức xếp loại '{name}' bị ghi hai lần")
            }
            (BandsError::Repeated(name), Lang::En) => format!("band '{name}' is given twice"),
            (
                BandsError::NotDescending {
                    band: (name, threshold),
                    before: (before, above),
                },
                Lang::Vi,
            ) => format!(
                "các mức xếp loại phải ghi từ cao xuống thấp, mỗi ngưỡng thấp hơn ngưỡng trước: {name}={threshold} không thấp hơn {before}={above}"
            ),
            (
                BandsError::NotDescending {
                    band: (name, threshold),
                    before: (before, above),
                },
                Lang::En,
            ) => format!(
                "bands must be given highest first, each threshold below the one before: {name}={threshold} is not below {before}={above}"
            ),
            (BandsError::Empty, _) => {
                pick(lang, "chưa ghi mức xếp loại nào", "no bands given").into()
            }
        }
    }
}

impl Localised for SettingError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (SettingError::UnknownKey(key), Lang::Vi) => format!(
                "không có thiết lập '{key}' (các thiết lập: {})",
                known_keys()
            ),
            (SettingError::UnknownKey(key), Lang::En) => {
                format!("unknown setting '{key}' (known: {})", known_keys())
            }
            (SettingError::Value { key, problem }, _) => {
                format!("{key}: {}", value_problem(lang, problem))
            }
        }
    }
}

fn value_problem(lang: Lang, problem: &ValueProblem) -> String {
    match (problem, lang) {
        (ValueProblem::Empty, _) => pick(
            lang,
            "giá trị trống: dùng --unset để bỏ một thiết lập",
            "empty value: use --unset to remove a setting",
        )
        .into(),
        (ValueProblem::Control(code), Lang::Vi) => {
            format!("ký tự điều khiển (U+{code:04X}) trong một dòng của văn bản")
        }
        (ValueProblem::Control(code), Lang::En) => {
            format!("a control character (U+{code:04X}) in one line of a document")
        }
        (ValueProblem::TooLong(chars), Lang::Vi) => {
            format!("{chars} ký tự: tối đa {MAX_LINE_CHARS}")
        }
        (ValueProblem::TooLong(chars), Lang::En) => {
            format!("{chars} characters: at most {MAX_LINE_CHARS}")
        }
        (ValueProblem::Year(value), Lang::Vi) => {
            format!("năm '{value}': cần là một năm, ví dụ 2025")
        }
        (ValueProblem::Year(value), Lang::En) => {
            format!("year '{value}': expected a year such as 2025")
        }
        (ValueProblem::Date(value), Lang::Vi) => {
            format!("ngày '{value}': cần dạng 2025-11-23 hoặc 23/11/2025")
        }
        (ValueProblem::Date(value), Lang::En) => {
            format!("date '{value}': expected 2025-11-23 or 23/11/2025")
        }
        (ValueProblem::RankMode(value), Lang::Vi) => {
            format!("cách xếp hạng '{value}': cần là competition hoặc dense")
        }
        (ValueProblem::RankMode(value), Lang::En) => {
            format!("rank mode '{value}': expected competition or dense")
        }
        (ValueProblem::Bands(error), _) => error.text(lang),
    }
}

/// Who saw a head: "Nguyễn Văn A's screen", or the name of whoever ran a command.
fn witness(lang: Lang, sighting: &Sighting) -> String {
    let name = &sighting.name;
    match (sighting.by_screen(), lang) {
        (true, Lang::Vi) => format!("màn hình của {name}"),
        (true, Lang::En) => format!("{name}'s screen"),
        (false, _) => name.clone(),
    }
}

/// " (login nva, council decide)": the account, and the command where it was not a screen.
fn witness_note(lang: Lang, sighting: &Sighting) -> String {
    let mut parts = Vec::new();
    if let Some(login) = sighting.other_login() {
        parts.push(match lang {
            Lang::Vi => format!("tài khoản {login}"),
            Lang::En => format!("login {login}"),
        });
    }
    if let Some(command) = sighting.command() {
        parts.push(format!("council {command}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

impl Localised for SightingProblem {
    fn text(&self, lang: Lang) -> String {
        let (SightingProblem::Differs(s) | SightingProblem::Removed { sighting: s, .. }) = self;
        let (who, seq, note) = (witness(lang, s), s.seq, witness_note(lang, s));
        let at = crate::domain::time::local_date_time(&s.at);
        match (self, lang) {
            (SightingProblem::Differs(_), Lang::Vi) => format!(
                "mục {seq} khác với những gì {who} đã thấy lúc {at}{note}: nhật ký đã bị viết lại"
            ),
            (SightingProblem::Differs(_), Lang::En) => format!(
                "entry {seq} differs from what {who} saw at {at}{note}: the log was rewritten"
            ),
            (SightingProblem::Removed { last, .. }, Lang::Vi) => format!(
                "nhật ký kết thúc ở mục {last} nhưng {who} đã thấy mục {seq} lúc {at}{note}: các mục sau đó đã bị xoá (hoặc đây là một bản sao cũ hơn)"
            ),
            (SightingProblem::Removed { last, .. }, Lang::En) => format!(
                "the log ends at entry {last} but {who} saw entry {seq} at {at}{note}: later entries were removed (or this is an older copy)"
            ),
        }
    }
}

impl Localised for AgendaCodeError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (AgendaCodeError::UnknownUnit(code), Lang::Vi) => {
                format!("không có đơn vị mã '{code}'")
            }
            (AgendaCodeError::UnknownUnit(code), Lang::En) => format!("unknown unit '{code}'"),
            (AgendaCodeError::UnknownCriterion(code), Lang::Vi) => {
                format!("không có tiêu chí mã '{code}'")
            }
            (AgendaCodeError::UnknownCriterion(code), Lang::En) => {
                format!("unknown criterion '{code}'")
            }
        }
    }
}

impl Localised for BudgetError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (BudgetError::NotMinutes(text), Lang::Vi) => {
                format!("'{text}' không phải một số phút (ví dụ 3 hoặc 1,5)")
            }
            (BudgetError::NotMinutes(text), Lang::En) => {
                format!("'{text}' is not a number of minutes (e.g. 3 or 1,5)")
            }
            (BudgetError::NotPositive(text), Lang::Vi) => {
                format!("'{text}': thời lượng phải lớn hơn 0 phút")
            }
            (BudgetError::NotPositive(text), Lang::En) => {
                format!("'{text}': a time budget must be more than 0 minutes")
            }
            (BudgetError::TooLong(text), Lang::Vi) => {
                format!("'{text}': thời lượng tối đa là {MAX_BUDGET_MINUTES} phút")
            }
            (BudgetError::TooLong(text), Lang::En) => {
                format!("'{text}': a time budget is at most {MAX_BUDGET_MINUTES} minutes")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::excerpt;

    #[test]
    fn excerpts_say_how_long_the_whole_is_in_either_language() {
        let long = excerpt(&"9".repeat(1000), 3);
        assert_eq!(long.text(Lang::En), "999… (1000 bytes)");
        assert_eq!(long.text(Lang::Vi), "999… (1000 byte)");
        assert_eq!(excerpt("ngắn", 10).text(Lang::Vi), "ngắn");
    }

    #[test]
    fn numbers_in_messages_follow_the_language() {
        let error = ScoreRangeError::AboveMax {
            code: "1.1".into(),
            score: rust_decimal::Decimal::new(75, 1),
            max: rust_decimal::Decimal::from(6),
        };
        assert_eq!(
            error.text(Lang::Vi),
            "7,5 vượt quá điểm tối đa 6 của tiêu chí 1.1"
        );
        assert_eq!(
            error.text(Lang::En),
            "7.5 is above the maximum 6 of criterion 1.1"
        );
    }
}
