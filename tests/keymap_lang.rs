//! The keys.toml problems shown on the council screen follow `--lang` like every message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::Keymap;
use council::lang::Lang;
use council::messages::Localised;

#[test]
fn keys_toml_problems_are_vietnamese_by_default_of_the_command_line() {
    let config = "[keys]\nnonsense = [\"x\"]\nquit = [\"ctrl+nope\"]\nhelp = 3\n";
    let vi = Keymap::default()
        .with_config(config)
        .unwrap_err()
        .text(Lang::Vi);
    assert!(vi.contains("không có lệnh 'nonsense'"), "{vi}");
    assert!(vi.contains("quit: không có phím 'ctrl+nope'"), "{vi}");
    assert!(vi.contains("help: cần một danh sách phím"), "{vi}");
    assert!(!vi.contains("unknown") && !vi.contains("expected"), "{vi}");
    let broken = Keymap::default()
        .with_config("[keys\n")
        .unwrap_err()
        .text(Lang::Vi);
    assert!(broken.starts_with("không phải TOML hợp lệ"), "{broken}");
    let en = Keymap::default()
        .with_config(config)
        .unwrap_err()
        .text(Lang::En);
    assert!(en.contains("unknown command 'nonsense'"), "{en}");
    assert!(en.contains("quit: unknown key 'ctrl+nope'"), "{en}");
}
