//! A private tmux server for screen tests: the real binary in detached sessions, read with
//! capture-pane and polled with a deadline rather than slept on.

use super::text;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Its own socket, killed when the test ends, pass or fail.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(name: &str) -> Tmux {
        let available = Command::new("tmux").arg("-V").output();
        assert!(
            available.is_ok_and(|o| o.status.success()),
            "tmux is required for the screen tests (CI installs it: apt-get install tmux)"
        );
        Tmux {
            socket: format!("council-{name}-{}", std::process::id()),
        }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux {args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    /// The council screen on `dir`'s council.db in a detached session of 120×40, with the
    /// test's own state folder.
    pub fn open(&self, session: &str, dir: &Path, flags: &str) {
        self.open_as(session, dir, "thư ký", flags, (120, 40));
    }

    /// As [`Tmux::open`], for the login name `user` at a size of (columns, rows).
    pub fn open_as(&self, session: &str, dir: &Path, user: &str, flags: &str, size: (u16, u16)) {
        self.open_with(session, dir, user, "", flags, size);
    }

    /// As [`Tmux::open_as`], with more environment (`NAME='value' …`) for the screen.
    pub fn open_with(
        &self,
        session: &str,
        dir: &Path,
        user: &str,
        env: &str,
        flags: &str,
        size: (u16, u16),
    ) {
        let command = format!(
            "cd '{dir}' && env USER='{user}' XDG_STATE_HOME='{dir}/.state' TERM=xterm-256color {env} '{}' --db council.db {flags}",
            env!("CARGO_BIN_EXE_council"),
            dir = dir.display(),
        );
        let (width, height) = (size.0.to_string(), size.1.to_string());
        self.run(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &width,
            "-y",
            &height,
            &command,
        ]);
    }

    pub fn keys(&self, session: &str, keys: &str) {
        self.run(&["send-keys", "-t", session, "-l", keys]);
    }

    pub fn enter(&self, session: &str) {
        self.run(&["send-keys", "-t", session, "Enter"]);
    }

    pub fn screen(&self, session: &str) -> String {
        self.run(&["capture-pane", "-p", "-t", session])
    }

    /// Polls the screen until `check` holds; fails with the last screen after `seconds`.
    pub fn wait_for(
        &self,
        session: &str,
        what: &str,
        seconds: u64,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let screen = self.screen(session);
            if check(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("{session}: waited {seconds} s for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
