//! The columns each file may have, with their aliases, and how header cells are matched.

use crate::domain::text::{Excerpt, fold_for_search};

/// A column a file may have, by its English name and its aliases (already folded: lower case,
/// no diacritics, '_' between words).
pub(super) struct Column {
    pub(super) name: &'static str,
    pub(super) aliases: &'static [&'static str],
    pub(super) required: bool,
}

pub(super) const fn column(
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
) -> Column {
    Column {
        name,
        aliases,
        required,
    }
}

pub(super) const UNIT_CODE_ALIASES: &[&str] = &["unit", "ma_don_vi", "ma_dv", "don_vi_ma"];
pub(super) const CRITERION_CODE_ALIASES: &[&str] = &[
    "criterion",
    "criterion_code",
    "ma_tieu_chi",
    "tieu_chi",
    "code",
    "ma",
];
pub(super) const NOTE_ALIASES: &[&str] =
    &["notes", "ghi_chu", "giai_trinh", "thuyet_minh", "nhan_xet"];

pub(super) mod criteria_col {
    pub const CODE: usize = 0;
    pub const TITLE: usize = 1;
    pub const MAX: usize = 2;
    pub const MIN: usize = 3;
    pub const STEP: usize = 4;
    pub const KIND: usize = 5;
    pub const RULE: usize = 6;
}
pub(super) const CRITERIA_COLUMNS: &[Column] = &[
    column(
        "code",
        &["ma", "ma_so", "ma_tieu_chi", "criterion_code"],
        true,
    ),
    column(
        "title",
        &["ten", "ten_tieu_chi", "tieu_chi", "noi_dung", "name"],
        true,
    ),
    column(
        "max_points",
        &["max", "diem_toi_da", "toi_da", "diem_chuan"],
        true,
    ),
    column("min_points", &["min", "diem_toi_thieu", "toi_thieu"], false),
    column("step", &["buoc", "buoc_diem", "buoc_cham"], false),
    column("kind", &["loai", "type", "loai_diem"], false),
    column(
        "rule",
        &[
            "cach_tinh_diem",
            "cach_tinh",
            "cach_cham_diem",
            "cach_cham",
            "quy_tac",
            "huong_dan",
        ],
        false,
    ),
];

pub(super) mod units_col {
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const GROUP: usize = 2;
}
pub(super) const UNITS_COLUMNS: &[Column] = &[
    column(
        "unit_code",
        &["ma_don_vi", "ma_dv", "code", "ma", "unit"],
        true,
    ),
    column(
        "unit_name",
        &["ten_don_vi", "ten_dv", "name", "ten", "don_vi"],
        true,
    ),
    column("group", &["nhom", "nhom_don_vi", "khoi", "loai"], false),
];

/// The first two columns of self_scores, evidence, proposals and survey.
pub(super) const UNIT: usize = 0;
pub(super) const CRITERION: usize = 1;

pub(super) mod self_col {
    pub const SCORE: usize = 2;
    pub const NOTE: usize = 3;
}
pub(super) const SELF_SCORES_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "self_score",
        &[
            "score",
            "diem_tu_cham",
            "tu_cham",
            "diem_tu_danh_gia",
            "diem_tu_danh_gia_cham_diem",
            "diem",
        ],
        true,
    ),
    column("note", NOTE_ALIASES, false),
];

pub(super) mod evidence_col {
    pub const REF: usize = 2;
    pub const TITLE: usize = 3;
    pub const LOCATION: usize = 4;
}
pub(super) const EVIDENCE_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "ref",
        &[
            "reference",
            "so_hieu",
            "so_ky_hieu",
            "so_hieu_van_ban",
            "so_van_ban",
        ],
        true,
    ),
    column(
        "title",
        &["trich_yeu", "ten", "ten_tai_lieu", "tieu_de", "ten_van_ban"],
        false,
    ),
    column(
        "location",
        &[
            "file",
            "link",
            "url",
            "duong_dan",
            "vi_tri",
            "tep",
            "tep_tin",
        ],
        false,
    ),
];

pub(super) mod proposal_col {
    pub const SCORE: usize = 2;
    pub const NOTE: usize = 3;
}
pub(super) const PROPOSALS_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "proposed_score",
        &[
            "proposal",
            "score",
            "diem_de_xuat",
            "de_xuat",
            "diem_tham_dinh",
            "diem_tham_dinh_de_xuat",
            "diem",
        ],
        true,
    ),
    column("note", NOTE_ALIASES, false),
];

pub(super) mod survey_col {
    pub const SCORE: usize = 2;
}
pub(super) const SURVEY_COLUMNS: &[Column] = &[
    column("unit_code", UNIT_CODE_ALIASES, true),
    column("criterion_code", CRITERION_CODE_ALIASES, true),
    column(
        "score",
        &["survey_score", "diem", "diem_dieu_tra", "diem_khao_sat"],
        true,
    ),
];

/// A header cell folded for matching: lower case, no diacritics, words joined by '_'.
pub(super) fn header_key(cell: &str) -> String {
    // No column name or alias is long; a huge cell (a 100 MB line) need not be folded.
    if cell.len() > 200 {
        return "\u{0}".to_string();
    }
    let folded = fold_for_search(cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'));
    let mut key = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        } else {
            key.push(c);
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

/// A cell as quoted in a message: trimmed and cut short.
pub(super) fn quote(cell: &str) -> Excerpt {
    crate::domain::text::excerpt(cell.trim(), crate::domain::text::EXCERPT_CHARS)
}

pub(super) fn column_names<'c>(columns: impl Iterator<Item = &'c Column>) -> Vec<&'static str> {
    columns.map(|c| c.name).collect()
}
