//! The real binary in a real terminal (tmux) on a copy of data/sample: jump to the first
//! disputed item, set a score with a reason, export, and read the decision back from results.csv.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of the test's own, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, dir: &Path, command: &str, width: u16, height: u16) -> Tmux {
        let available = Command::new("tmux")
            .arg("-V")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            available,
            "tmux is needed for the end-to-end test (apt-get install tmux); .ci/run installs it"
        );
        let tmux = Tmux {
            socket: format!("council-e2e-{name}-{}", std::process::id()),
        };
        let status = Command::new("tmux")
            .args(["-L", &tmux.socket, "new-session", "-d", "-s", "e2e"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg("-c")
            .arg(dir)
            .arg(command)
            .env("TERM", "xterm-256color")
            .env("XDG_STATE_HOME", dir.join(".state"))
            .status()
            .unwrap();
        assert!(status.success());
        tmux
    }

    fn send(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "e2e"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn type_text(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "e2e", "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until it shows `text`, for up to 15 s.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the screen never showed {what}:\n{screen}"
            );
            std::thread::yield_now();
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn copy_sample(to: &Path) -> PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let folder = to.join("sample");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    folder
}

#[test]
fn decide_the_first_disputed_item_and_export_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let binary = env!("CARGO_BIN_EXE_council");
    let tmux = Tmux::start(
        "decide",
        tmp.path(),
        &format!("{binary} sample --as 'Thư ký HĐ'"),
        120,
        36,
    );

    tmux.wait_for("Tổng hợp");
    tmux.send(&["n"]);
    let screen = tmux.wait_until("the scorecard with a selected row", |screen| {
        screen.contains("Chi tiết") && screen.lines().any(|l| l.starts_with('▶'))
    });
    // The breadcrumb names the unit; the selected row is the first disputed leaf.
    let selected = screen
        .lines()
        .find(|l| l.starts_with('▶'))
        .expect("a selected row")
        .to_string();
    let code = selected.split_whitespace().nth(1).unwrap().to_string();

    tmux.send(&["e"]);
    tmux.wait_for("Điểm hội đồng");
    tmux.send(&["C-u"]);
    tmux.type_text("0");
    tmux.send(&["Enter"]);
    tmux.wait_for("Lý do");
    tmux.type_text("Không có tài liệu kiểm chứng hợp lệ");
    tmux.send(&["Enter"]);
    tmux.wait_for("Đã lưu");
    tmux.send(&["x"]);
    tmux.wait_for("ket-qua.xlsx");
    tmux.send(&["1"]);
    tmux.wait_for("Đã xuất");
    tmux.send(&["q"]);

    let results = std::fs::read(tmp.path().join("sample/export/results.csv")).unwrap();
    let body = results
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&results);
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let decided: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[column("source")] == "council")
        .collect();
    assert_eq!(decided.len(), 1, "exactly the one decision made on screen");
    let row = decided[0];
    assert_eq!(&row[column("criterion_code")], code.as_str());
    assert_eq!(&row[column("council_score")], "0");
    assert_eq!(
        &row[column("reason")],
        "Không có tài liệu kiểm chứng hợp lệ"
    );
    assert_eq!(&row[column("decided_by")], "Thư ký HĐ");
    assert_eq!(&row[column("status")], "adjusted");
}
