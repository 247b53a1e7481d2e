//! What is wrong with a keys file (`keys.toml`), as the screen's message line says it.

use super::{Lang, pick};

/// A key entry that is empty.
pub fn empty_key(lang: Lang) -> &'static str {
    pick(lang, "phím trống", "empty key")
}

/// A key that does not exist: `hyper+q`.
pub fn unknown_key(lang: Lang, key: &str) -> String {
    match lang {
        Lang::Vi => format!("không có phím '{key}'"),
        Lang::En => format!("unknown key '{key}'"),
    }
}

/// A command name that does not exist, in a table other than `[screens]` when one is named.
pub fn unknown_command(lang: Lang, name: &str, table: Option<&str>) -> String {
    match (lang, table) {
        (Lang::Vi, None) => format!("không có lệnh '{name}'"),
        (Lang::Vi, Some(table)) => format!("không có lệnh '{name}' trong [{table}]"),
        (Lang::En, None) => format!("unknown command '{name}'"),
        (Lang::En, Some(table)) => format!("unknown command '{name}' in [{table}]"),
    }
}

/// A command given something that is not a key or a list of keys.
pub fn not_keys(lang: Lang, command: &str) -> String {
    match lang {
        Lang::Vi => format!("{command}: cần một danh sách phím"),
        Lang::En => format!("{command}: expected a list of keys"),
    }
}

/// A file that is not TOML at all (the parser's own message follows).
pub fn not_toml(lang: Lang, message: &str) -> String {
    match lang {
        Lang::Vi => format!("không phải TOML hợp lệ: {message}"),
        Lang::En => format!("not valid TOML: {message}"),
    }
}
