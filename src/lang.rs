//! The language of a run. Every text a person reads comes in one of these; whatever speaks is
//! handed a `Lang` (there is no language set for the whole process). A bottom module: it knows
//! nothing of the rest of the crate.

/// Vietnamese first (`--lang vi`, the default), English with `--lang en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Both languages, Vietnamese first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The code `--lang` takes: `vi`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language of a `--lang` code.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }
}
