//! The store's own tests of the one chain: undo ownership by account, migrations of older
//! sessions into the chain, settings and members in the chain, and verify's findings.

use super::tests::imported;
use super::*;
use crate::domain::DecisionAction;
use crate::domain::chain::{ChainFields, FORMAT_LEGACY, GENESIS, entry_hash};
use crate::domain::members::{Member, Role};
use rust_decimal::Decimal;

const AT: &str = "2026-11-23T10:00:00+07:00";

fn accept(score: i64) -> DecisionAction {
    DecisionAction::Decide {
        score: Decimal::from(score),
        reason: String::new(),
    }
}

/// What verify finds, one line per problem (in English).
fn verify_lines(store: &Store) -> String {
    let report = store.verify().unwrap();
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

#[test]
fn the_same_name_under_another_account_cannot_undo() {
    let (_dir, mut store) = imported();
    store.set_account("nva", 1001);
    store
        .record("SNV", "1.1", &accept(6), "An", AT, None)
        .unwrap();
    store.set_account("mallory", 1002);
    assert!(matches!(
        store.record("SNV", "1.1", &DecisionAction::Undo, "An", AT, None),
        Err(StoreError::NotYours { .. })
    ));
    store.set_account("nva", 1001);
    let state = store
        .record("SNV", "1.1", &DecisionAction::Undo, "An", AT, None)
        .unwrap();
    assert_eq!(state.council, None);
    // Every entry carries its account.
    let logins: Vec<String> = store
        .connection()
        .prepare("SELECT login FROM decision_log WHERE unit_code = 'SNV' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(logins, ["nva", "nva"]);
    assert!(store.verify().unwrap().is_intact());
}

/// A schema-2 session as that version wrote it: two decisions with legacy hashes.
fn version_two_session(path: &std::path::Path, finalised: bool) {
    let (_dir, store) = imported();
    let source = store.path().to_path_buf();
    drop(store);
    // Rebuild it as schema 2: the same content, a legacy log.
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("schema.sql")).unwrap();
    conn.execute_batch(include_str!("schema_v2.sql")).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS source",
        [source.display().to_string()],
    )
    .unwrap();
    for table in [
        "criteria",
        "units",
        "submissions",
        "self_scores",
        "proposals",
    ] {
        conn.execute_batch(&format!("INSERT INTO {table} SELECT * FROM source.{table}"))
            .unwrap();
    }
    conn.execute_batch("DETACH DATABASE source").unwrap();
    let mut previous = GENESIS.to_string();
    for (seq, criterion, score) in [(1, "1.1", "6"), (2, "1.2", "4")] {
        let fields = ChainFields {
            seq,
            unit_code: "SNV",
            criterion_code: criterion,
            action: "decide",
            score,
            basis: score,
            reason: "",
            by: "An",
            at: AT,
            format: FORMAT_LEGACY,
            session: "",
            login: "",
            uid: None,
            content: "",
        };
        let hash = entry_hash(&previous, &fields);
        conn.execute(
            "INSERT INTO decision_log VALUES (?1, 'SNV', ?2, 'decide', ?3, ?3, '', 'An', ?4, ?5, ?6)",
            rusqlite::params![seq, criterion, score, AT, previous, hash],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO decision_state SELECT 0, id, ?2, ?2, '', 'An', ?3, 0, ?1 FROM criteria WHERE code = ?4",
            rusqlite::params![seq, score, AT, criterion],
        )
        .unwrap();
        previous = hash;
    }
    conn.execute(
        "INSERT INTO meta VALUES ('chain_head', ?1), ('chain_seq', '2')",
        [&previous],
    )
    .unwrap();
    if finalised {
        conn.execute_batch(
            "INSERT INTO meta VALUES ('finalised_at', '2026-11-23T11:00:00+07:00'),
                 ('finalised_by', 'Chủ tọa'), ('finalised_reason', ''), ('finalised_open_items', '0');
             CREATE TRIGGER final_self_scores_update BEFORE UPDATE ON self_scores
             BEGIN SELECT RAISE(ABORT, 'the session is finalised: it can no longer be changed'); END;",
        )
        .unwrap();
    }
}

#[test]
fn a_version_two_session_joins_the_chain_and_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    version_two_session(&path, false);
    let mut store = Store::open_existing(&path, super::tests::host()).unwrap();
    let report = store.verify().unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    // The two old decisions, then the content as found.
    assert_eq!(report.entries, 3);
    assert_eq!(store.session_id().unwrap().len(), 32);
    let history = store.history(None).unwrap();
    assert!(
        history
            .iter()
            .any(|r| r.event == "import" && r.unit_code.is_empty())
    );
    // Changing what was there at the upgrade is noticed from now on.
    store
        .connection()
        .execute("UPDATE self_scores SET score = '1' WHERE score = '6'", [])
        .unwrap();
    let problems = verify_lines(&store);
    assert!(
        problems.contains("unit SNV: its submission versions"),
        "{problems}"
    );
    store
        .connection()
        .execute("UPDATE self_scores SET score = '6' WHERE score = '1'", [])
        .unwrap();
    // New entries follow the old ones on the one chain.
    store
        .record("SNV", "2.1", &accept(5), "An", AT, None)
        .unwrap();
    assert!(store.verify().unwrap().is_intact());
}

#[test]
fn a_finalised_version_two_session_stays_locked_with_its_finalisation_in_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2-final.db");
    version_two_session(&path, true);
    let store = Store::open_existing(&path, super::tests::host()).unwrap();
    let report = store.verify().unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    assert_eq!(
        report.entries, 4,
        "two decisions, the content, the finalisation"
    );
    let refused = store
        .connection()
        .execute("UPDATE self_scores SET score = '0'", [])
        .unwrap_err()
        .to_string();
    assert!(refused.contains("finalised"), "{refused}");
    let finalisation = store.finalisation().unwrap().unwrap();
    assert_eq!(finalisation.by, "Chủ tọa");
    assert_eq!(finalisation.entries, 4);
}

#[test]
fn settings_and_members_go_through_the_chain() {
    let (_dir, mut store) = imported();
    store
        .configure(&[("bands".into(), Some("Tốt=85, Khá=70,Yếu=0".into()))], AT)
        .unwrap();
    assert_eq!(
        store.settings().unwrap().bands().to_text(),
        "Tốt=85,Khá=70,Yếu=0"
    );
    assert!(matches!(
        store.configure(&[("colour".into(), Some("red".into()))], AT),
        Err(StoreError::Rejected(_))
    ));
    // A list without a chair or a secretary could never be changed again.
    let observer = Member {
        login: "khach".into(),
        name: "Khách".into(),
        role: Role::Observer,
    };
    assert!(matches!(
        store.add_member(&observer, AT),
        Err(StoreError::Rejected(_))
    ));
    store.set_account("nva", 1001);
    let chair = Member {
        login: "nva".into(),
        name: "Nguyễn Văn A".into(),
        role: Role::Chair,
    };
    store.add_member(&chair, AT).unwrap();
    store.add_member(&observer, AT).unwrap();
    assert!(store.verify().unwrap().is_intact());
    // Changing either table behind the tool's back is named.
    store
        .connection()
        .execute_batch(
            "UPDATE settings SET value = 'A=50' WHERE key = 'bands';
             UPDATE members SET role = 'chair' WHERE login = 'khach';",
        )
        .unwrap();
    let problems = verify_lines(&store);
    assert!(
        problems.contains("setting bands is 'A=50' here"),
        "{problems}"
    );
    assert!(problems.contains("member khach differs"), "{problems}");
}

#[test]
fn with_a_members_list_only_its_members_write_under_their_own_names() {
    let (_dir, mut store) = imported();
    store.set_account("nva", 1001);
    store
        .add_member(
            &Member {
                login: "nva".into(),
                name: "Nguyễn Văn A".into(),
                role: Role::Member,
            },
            AT,
        )
        .map(|_| ())
        .unwrap_err();
    store
        .add_member(
            &Member {
                login: "nva".into(),
                name: "Nguyễn Văn A".into(),
                role: Role::Secretary,
            },
            AT,
        )
        .unwrap();
    assert!(matches!(
        store.record("SNV", "1.1", &accept(6), "Chủ tọa", AT, None),
        Err(StoreError::NotPermitted(_))
    ));
    store
        .record("SNV", "1.1", &accept(6), "Nguyễn Văn A", AT, None)
        .unwrap();
    store.set_account("other", 1002);
    assert!(matches!(
        store.record("SNV", "1.2", &accept(4), "Nguyễn Văn A", AT, None),
        Err(StoreError::NotPermitted(_))
    ));
    assert!(matches!(
        store.finalize("Nguyễn Văn A", AT, Some("x")),
        Err(StoreError::NotPermitted(_))
    ));
}

#[test]
fn an_invalid_self_score_blocks_finalising_like_a_dispute() {
    let (_dir, store) = imported();
    let open = |store: &Store| -> Vec<String> {
        store
            .open_disputes()
            .unwrap()
            .into_iter()
            .map(|i| format!("{} {}", i.unit_code, i.criterion_code))
            .collect()
    };
    assert!(!open(&store).contains(&"XBH 1.1".to_string()));
    // A claim of 7 on a 6-point criterion.
    store
        .connection()
        .execute(
            "UPDATE self_scores SET score = '7' WHERE criterion_id = 1 AND submission_id =
                 (SELECT current_submission FROM units WHERE code = 'XBH')",
            [],
        )
        .unwrap();
    assert!(
        open(&store).contains(&"XBH 1.1".to_string()),
        "{:?}",
        open(&store)
    );
}
