//! The message catalogue: every text a person reads, in both languages, in one place (as
//! gitui keeps its `strings.rs`). It sits above `domain`, `store`, `io` and `service` and below
//! the edges (`cli`, `app`, `ui`, `tui`), which render what they show for the run's [`Lang`].
//! (The official documents, the workbook and the Word report, keep their fixed Vietnamese in
//! io/xlsx.rs and io/report.rs: they are the documents' content, not messages.)
//!
//! - Fixed words are fields of one table per language (`screen::Labels`, `cli::Words`, …), so
//!   a word missing in one language does not compile.
//! - A sentence with data is a function of the language and the data.
//! - The layers below produce structured values (error enums with their codes, numbers and
//!   places), never sentences; the catalogue renders them through [`Localised`]. Their
//!   `Display` is the English rendering, for developers and logs.

pub mod cli;
pub mod commands;
pub mod domain;
pub mod files;
pub mod import;
pub mod keys;
pub mod screen;
pub mod store;
pub mod usage;

pub use crate::lang::Lang;

/// A value that a person reads, rendered in their language.
pub trait Localised {
    fn text(&self, lang: Lang) -> String;
}

/// `Display` for developers: the English rendering of a [`Localised`] value.
macro_rules! english_display {
    ($($type:ty),* $(,)?) => {$(
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::messages::Localised::text(self, $crate::lang::Lang::En))
            }
        }
    )*};
}
pub(crate) use english_display;

/// Picks the text of the language from a Vietnamese and an English one: the catalogue's own
/// shorthand for a sentence whose two forms are written side by side.
pub(crate) fn pick<T>(lang: Lang, vi: T, en: T) -> T {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}
