//! Colours: dark, light and high contrast; with NO_COLOR none at all (meaning is also carried by
//! text marks such as ▲ ▼ and by bold/reverse).

use crate::app::ThemeName;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub header: Style,
    pub group: Style,
    pub selected: Style,
    pub muted: Style,
    pub key: Style,
    pub up: Style,
    pub down: Style,
    pub disputed: Style,
    pub agreed: Style,
    pub adjusted: Style,
    pub good: Style,
    pub middling: Style,
    pub poor: Style,
    pub error: Style,
    pub success: Style,
    pub info: Style,
    pub border: Style,
    pub focus_border: Style,
    pub input: Style,
}

impl Theme {
    pub fn new(name: ThemeName, no_color: bool) -> Theme {
        if no_color {
            return Theme::monochrome();
        }
        match name {
            ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::HighContrast => Theme::high_contrast(),
        }
    }

    fn dark() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new().fg(Color::White),
            title: Style::new().fg(Color::White).add_modifier(bold),
            header: Style::new().fg(Color::Cyan).add_modifier(bold),
            group: Style::new().fg(Color::LightBlue).add_modifier(bold),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            muted: Style::new().fg(Color::Gray),
            key: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(bold),
            up: Style::new().fg(Color::LightGreen).add_modifier(bold),
            down: Style::new().fg(Color::LightRed).add_modifier(bold),
            disputed: Style::new().fg(Color::Yellow).add_modifier(bold),
            agreed: Style::new().fg(Color::LightGreen),
            adjusted: Style::new().fg(Color::LightMagenta),
            good: Style::new().fg(Color::LightGreen),
            middling: Style::new().fg(Color::Yellow),
            poor: Style::new().fg(Color::LightRed),
            error: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(bold),
            success: Style::new()
                .fg(Color::Black)
                .bg(Color::LightGreen)
                .add_modifier(bold),
            info: Style::new().fg(Color::Cyan),
            border: Style::new().fg(Color::Gray),
            focus_border: Style::new().fg(Color::Yellow).add_modifier(bold),
            input: Style::new().fg(Color::White).bg(Color::DarkGray),
        }
    }

    fn light() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new().fg(Color::Black).bg(Color::White),
            title: Style::new().fg(Color::Black).add_modifier(bold),
            header: Style::new().fg(Color::Blue).add_modifier(bold),
            group: Style::new().fg(Color::Blue).add_modifier(bold),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            muted: Style::new().fg(Color::DarkGray),
            key: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(bold),
            up: Style::new().fg(Color::Green).add_modifier(bold),
            down: Style::new().fg(Color::Red).add_modifier(bold),
            disputed: Style::new().fg(Color::Magenta).add_modifier(bold),
            agreed: Style::new().fg(Color::Green),
            adjusted: Style::new().fg(Color::Blue),
            good: Style::new().fg(Color::Green),
            middling: Style::new().fg(Color::Magenta),
            poor: Style::new().fg(Color::Red),
            error: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(bold),
            success: Style::new()
                .fg(Color::White)
                .bg(Color::Green)
                .add_modifier(bold),
            info: Style::new().fg(Color::Blue),
            border: Style::new().fg(Color::DarkGray),
            focus_border: Style::new().fg(Color::Blue).add_modifier(bold),
            input: Style::new().fg(Color::Black).bg(Color::Gray),
        }
    }

    fn high_contrast() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new().fg(Color::White).bg(Color::Black),
            title: Style::new().fg(Color::White).add_modifier(bold),
            header: Style::new()
                .fg(Color::White)
                .add_modifier(bold | Modifier::UNDERLINED),
            group: Style::new().fg(Color::LightCyan).add_modifier(bold),
            selected: Style::new()
                .bg(Color::White)
                .fg(Color::Black)
                .add_modifier(bold),
            muted: Style::new().fg(Color::White),
            key: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(bold),
            up: Style::new().fg(Color::LightGreen).add_modifier(bold),
            down: Style::new().fg(Color::LightRed).add_modifier(bold),
            disputed: Style::new().fg(Color::LightYellow).add_modifier(bold),
            agreed: Style::new().fg(Color::LightGreen).add_modifier(bold),
            adjusted: Style::new().fg(Color::LightCyan).add_modifier(bold),
            good: Style::new().fg(Color::LightGreen).add_modifier(bold),
            middling: Style::new().fg(Color::LightYellow).add_modifier(bold),
            poor: Style::new().fg(Color::LightRed).add_modifier(bold),
            error: Style::new()
                .fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(bold),
            success: Style::new()
                .fg(Color::Black)
                .bg(Color::LightGreen)
                .add_modifier(bold),
            info: Style::new().fg(Color::LightCyan).add_modifier(bold),
            border: Style::new().fg(Color::White),
            focus_border: Style::new().fg(Color::LightYellow).add_modifier(bold),
            input: Style::new().fg(Color::Black).bg(Color::White),
        }
    }

    /// No colours: emphasis by bold, underline and reverse only.
    pub fn monochrome() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            base: plain,
            title: bold,
            header: bold.add_modifier(Modifier::UNDERLINED),
            group: bold,
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            muted: plain,
            key: Style::new().add_modifier(Modifier::REVERSED),
            up: bold,
            down: bold,
            disputed: bold,
            agreed: plain,
            adjusted: plain,
            good: plain,
            middling: plain,
            poor: plain,
            error: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            success: bold,
            info: plain,
            border: plain,
            focus_border: bold,
            input: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }
}
