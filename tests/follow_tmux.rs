//! Follow mode end to end: the real binary as leader and as follower, each in its own tmux
//! session on one database; a third process decides. The screens are read with capture-pane,
//! polled for a few seconds rather than slept on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::tmux::Tmux;
use common::{council, text, write_session};

fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

#[test]
fn followers_move_with_the_leader_and_see_decisions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let folder = write_session(dir);
    let import = council(
        dir,
        &["import", folder.to_str().unwrap(), "--db", "council.db"],
    );
    assert!(import.status.success(), "{}", text(&import.stderr));
    // Disputed, in unit order: SNV 1.2, then STC 1.1.
    let build = council(dir, &["agenda", "build", "--db", "council.db"]);
    assert!(build.status.success(), "{}", text(&build.stderr));

    let tmux = Tmux::start("follow");
    // A projector's size.
    tmux.open_as("lead", dir, "chu.toa", "--lead", (100, 35));
    tmux.open_as("one", dir, "uy.vien.1", "--follow", (100, 35));
    tmux.open_as("two", dir, "uy.vien.2", "--follow", (100, 35));

    // The leader starts on the presenter's screen with the agenda bar.
    tmux.wait_for("lead", "the presenter's agenda bar", 10, |s| {
        s.contains("Đang bàn") && s.contains("● Chủ tọa")
    });
    for follower in ["one", "two"] {
        tmux.wait_for(follower, "the follower's status", 10, |s| {
            header(s).contains("Theo chủ tọa chu.toa")
        });
    }

    // ] : the leader goes to the first agenda item; both followers follow within a second or so.
    tmux.keys("lead", "]");
    tmux.wait_for("lead", "the leader on SNV 1.2", 5, |s| {
        s.contains("Đang bàn 1/2: SNV 1.2")
    });
    for follower in ["one", "two"] {
        tmux.wait_for(follower, "the follower on SNV", 3, |s| {
            header(s).contains("SNV Sở Nội vụ") && s.contains("Đang bàn 1/2")
        });
    }
    tmux.keys("lead", "]");
    for follower in ["one", "two"] {
        tmux.wait_for(follower, "the follower on STC", 3, |s| {
            header(s).contains("STC Sở Tài chính") && s.contains("Đang bàn 2/2")
        });
    }

    // A decision by a third process shows on every screen: the agenda has one item left.
    let decide = council(
        dir,
        &[
            "decide",
            "--db",
            "council.db",
            "--unit",
            "STC",
            "--criterion",
            "1.1",
            "--accept",
        ],
    );
    assert!(decide.status.success(), "{}", text(&decide.stderr));
    for session in ["one", "two"] {
        tmux.wait_for(session, "the decision (1 item left)", 3, |s| {
            s.contains("còn 1 ")
        });
    }

    // A follower that looks around is detached and stays put while the leader moves…
    tmux.keys("one", "k");
    tmux.wait_for("one", "the detached notice", 3, |s| {
        header(s).contains("đang xem riêng — nhấn . để theo chủ tọa")
    });
    tmux.keys("lead", "[");
    tmux.wait_for("two", "the attached follower back on SNV", 3, |s| {
        header(s).contains("SNV Sở Nội vụ")
    });
    let detached = tmux.screen("one");
    assert!(header(&detached).contains("STC Sở Tài chính"), "{detached}");
    // … and one key brings it back to the leader's item.
    tmux.keys("one", ".");
    tmux.wait_for("one", "the follower back with the leader", 3, |s| {
        header(s).contains("SNV Sở Nội vụ") && header(s).contains("Theo chủ tọa")
    });

    // The leader decides: the followers see it.
    tmux.keys("lead", "a");
    for session in ["one", "two"] {
        tmux.wait_for(session, "the leader's decision (0 left)", 3, |s| {
            s.contains("còn 0 ")
        });
    }
    for session in ["lead", "one", "two"] {
        tmux.keys(session, "q");
    }
}
