//! `council configure | members | backup`, what `verify` checks outside the database
//! (witnesses, `--head`, `--manifest`), and what every writing command shares: the name it
//! writes under, the witness it leaves, the warning about a session open to other accounts.

use super::{Failure, Global, now, open_store, open_store_for_reading, output, parse_bands};
use crate::domain::chain::{check_sightings, sha256_hex};
use crate::domain::members::{Member, Permission, Role};
use crate::domain::settings::{BANDS, RANK_MODE, SettingChange};
use crate::io::witness::{self, Witness};
use crate::lang::Lang;
use crate::messages::Localised;
use crate::messages::cli::{self as say, words};
use crate::store::{Store, StoreError, VerifyReport};
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ConfigureArgs {
    /// Band thresholds on the index %, highest first, e.g. "A=90,B=80,C=70,D=0".
    #[arg(long, value_name = "BANDS")]
    pub bands: Option<String>,
    /// Dense ranking (1, 1, 2).
    #[arg(long, conflicts_with = "competition")]
    pub dense: bool,
    /// Competition ranking (1, 1, 3), the default.
    #[arg(long)]
    pub competition: bool,
    /// The issuing body at the top of the documents, e.g. "UBND TỈNH LÀO CAI".
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub issuer: Option<String>,
    /// The year of the scoring round, e.g. 2025.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// The council's name under the issuer.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub council_name: Option<String>,
    /// The chair's name in the signature blocks.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub chair: Option<String>,
    /// The secretary's name in the signature blocks.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub secretary: Option<String>,
    /// The meeting's date (2025-11-23 or 23/11/2025), for the report.
    #[arg(long, value_name = "DATE")]
    pub meeting_date: Option<String>,
    /// The meeting's place, for the report.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub meeting_place: Option<String>,
    /// Remove a setting, back to its default (rank_mode, bands, issuer, year, council_name,
    /// chair, secretary, meeting_date, meeting_place).
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
}

impl ConfigureArgs {
    /// The document settings given, by key (checked by the store).
    fn document_changes(&self) -> Vec<SettingChange> {
        use crate::domain::settings as keys;
        [
            (keys::ISSUER, &self.issuer),
            (keys::YEAR, &self.year),
            (keys::COUNCIL_NAME, &self.council_name),
            (keys::CHAIR, &self.chair),
            (keys::SECRETARY, &self.secretary),
            (keys::MEETING_DATE, &self.meeting_date),
            (keys::MEETING_PLACE, &self.meeting_place),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| (key.to_string(), Some(v.clone()))))
        .collect()
    }
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Add a member (or change a member's name and role).
    Add {
        /// The member's operating-system login.
        login: String,
        /// The name recorded on their decisions.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Print the members list.
    List,
    /// Remove a member.
    Remove { login: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Chair,
    Secretary,
    Member,
    Observer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Chair => Role::Chair,
            RoleArg::Secretary => Role::Secretary,
            RoleArg::Member => Role::Member,
            RoleArg::Observer => Role::Observer,
        }
    }
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The copy to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Default, Args)]
pub struct VerifyArgs {
    /// A head hash printed elsewhere (the minutes): it must be an entry of this session's log.
    #[arg(long, value_name = "HASH")]
    pub head: Option<String>,
    /// An exported manifest.json: its files and its head are checked against the session.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

/// A name with the account that wrote it, where the account says something the name does not.
pub fn who(name: &str, login: &str) -> String {
    if login.is_empty() || login == name {
        name.to_string()
    } else {
        format!("{name} ({login})")
    }
}

/// The name a write is recorded under: with a members list the member's own (refused when the
/// login may not write this, or `asked` names someone else), else `asked` or the login name.
pub fn writer_name(
    store: &Store,
    asked: Option<&str>,
    permission: Permission,
) -> Result<String, Failure> {
    Ok(store
        .authorise(asked, permission)?
        .unwrap_or_else(|| super::reviewer_name(asked)))
}

/// Leaves the chain's head in this user's witness file (a warning if it cannot), and warns
/// when the head a witness saw last is no longer in the log.
pub fn witness(store: &Store, name: &str, via: &str, lang: Lang) {
    let (Ok(id), Ok((seq, head))) = (store.session_id(), store.chain_head()) else {
        return;
    };
    if let Some(last) = witness::sightings(&id).0.last()
        && !store.has_entry(last.seq, &last.head).unwrap_or(true)
    {
        // Only this sighting is checked: the chain's length is all the other hashes need be.
        let length = usize::try_from(seq.min(last.seq)).unwrap_or(0);
        let problems = check_sightings(&vec![String::new(); length], std::slice::from_ref(last));
        let what = problems.first().map(|p| p.text(lang)).unwrap_or_default();
        let warning = words(lang).warning;
        output::eprint_line(&format!("{warning}: {what} — {}", say::run_verify(lang)));
    }
    let mut witness = Witness::new(&id, store.path(), name, via);
    if let Err(e) = witness.see(seq, &head, &now()) {
        output::eprint_line(&format!("{}: {}", words(lang).warning, e.text(lang)));
    }
}

/// The name the council screen records decisions under. With a members list it is the
/// member's own; `--as` naming someone else is refused. A login that may not decide (not on
/// the list, or an observer) can still follow: the store refuses its writes.
pub fn screen_name(store: &Store, asked: Option<&str>) -> Result<String, Failure> {
    use crate::domain::members::{Refusal, authorise};
    let members = store.members()?;
    let login = &store.account().login;
    match authorise(&members, login, asked, Permission::Decide) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => Ok(super::reviewer_name(asked)),
        Err(refusal @ Refusal::NotYourName { .. }) => Err(Failure::input(refusal)),
        Err(_) => Ok(members
            .iter()
            .find(|m| m.login == *login)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| super::reviewer_name(asked))),
    }
}

/// Warns when the session file or its folder can be written by any account.
pub fn warn_if_open_to_others(db: &Path, lang: Lang) {
    for path in crate::io::system::open_to_others(db) {
        let warning = words(lang).warning;
        output::eprint_line(&format!("{warning}: {}", say::open_to_others(lang, &path)));
    }
}

pub fn configure(args: &ConfigureArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let mut changes: Vec<SettingChange> = Vec::new();
    if let Some(bands) = &args.bands {
        changes.push((BANDS.into(), Some(parse_bands(bands)?.to_text())));
    }
    if args.dense || args.competition {
        let mode = if args.dense { "dense" } else { "competition" };
        changes.push((RANK_MODE.into(), Some(mode.into())));
    }
    changes.extend(args.document_changes());
    changes.extend(args.unset.iter().map(|key| (key.trim().to_string(), None)));
    let settings = if changes.is_empty() {
        open_store_for_reading(global)?.settings()?
    } else {
        let mut store = open_store(global)?;
        let by = writer_name(&store, global.reviewer.as_deref(), Permission::Manage)?;
        store.set_actor_name(&by);
        let settings = store.configure(&changes, &now())?;
        witness(&store, &by, "configure", lang);
        settings
    };
    output::print_line(&say::rank_mode(lang, settings.rank_mode()))?;
    output::print_line(&say::bands(lang, &settings.bands().to_text()))?;
    // Keys added later (issuer, year, …) print as they are stored.
    for (key, value) in &settings.0 {
        if key != RANK_MODE && key != BANDS {
            output::print_line(&format!("{key}: {value}"))?;
        }
    }
    Ok(())
}

pub fn members(command: &MembersCommand, global: &Global, lang: Lang) -> Result<(), Failure> {
    let list = match command {
        MembersCommand::List => open_store_for_reading(global)?.members()?,
        MembersCommand::Add { login, name, role } => {
            let mut store = open_store(global)?;
            let member = Member {
                login: login.trim().to_string(),
                name: name.trim().to_string(),
                role: Role::from(*role),
            };
            if member.login.is_empty() || member.name.is_empty() {
                return Err(Failure::input(say::member_needs_login_and_name(lang)));
            }
            change_members(&mut store, global, lang, |store, at| {
                store.add_member(&member, at)
            })?
        }
        MembersCommand::Remove { login } => {
            let mut store = open_store(global)?;
            change_members(&mut store, global, lang, |store, at| {
                store.remove_member(login.trim(), at)
            })?
        }
    };
    print_members(&list, lang)
}

fn change_members(
    store: &mut Store,
    global: &Global,
    lang: Lang,
    change: impl FnOnce(&mut Store, &str) -> Result<(), StoreError>,
) -> Result<Vec<Member>, Failure> {
    if let Some(name) = &global.reviewer {
        store.set_actor_name(name);
    }
    change(store, &now())?;
    let list = store.members()?;
    let name = writer_name(store, global.reviewer.as_deref(), Permission::Manage)
        .unwrap_or_else(|_| super::reviewer_name(global.reviewer.as_deref()));
    witness(store, &name, "members", lang);
    let login = &store.account().login;
    if !list.is_empty() && !list.iter().any(|m| m.login == *login) {
        output::eprint_line(&format!(
            "{}: {}",
            words(lang).warning,
            say::left_off_the_list(lang, login)
        ));
    }
    Ok(list)
}

fn print_members(list: &[Member], lang: Lang) -> Result<(), Failure> {
    if list.is_empty() {
        output::print_line(say::no_members_list(lang))?;
        return Ok(());
    }
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let login_width = list.iter().map(|m| width(&m.login)).max().unwrap_or(0);
    let name_width = list.iter().map(|m| width(&m.name)).max().unwrap_or(0);
    for member in list {
        let (login, name) = (&member.login, &member.name);
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(width(s))));
        output::print_line(&format!(
            "{}  {}  {}",
            pad(login, login_width),
            pad(name, name_width),
            crate::messages::domain::role(lang, member.role)
        ))?;
    }
    Ok(())
}

pub fn backup(args: &BackupArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let (entries, head) = store.backup_to(&args.out, args.force)?;
    output::print_line(&say::backed_up(lang, &args.out, entries, &head))?;
    Ok(())
}

/// What `verify` found, in the run's language: the problems (the store's first), and lines
/// saying what was checked.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// What `verify` checks beyond the database: the witnesses of this session in the user's
/// state folder, a head given with `--head`, a manifest given with `--manifest`.
pub fn verify_outside(
    store: &Store,
    report: &VerifyReport,
    args: &VerifyArgs,
    lang: Lang,
    found: &mut Findings,
) -> Result<(), Failure> {
    let notes = &mut found.notes;
    let (sightings, unreadable) = witness::sightings(&report.session_id);
    found.problems.extend(
        check_sightings(&report.hashes, &sightings)
            .iter()
            .map(|p| p.text(lang)),
    );
    let folder = witness::witness_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let heads = sightings.len();
    notes.push(say::witnesses_checked(
        lang,
        &report.session_id,
        heads,
        &folder,
    ));
    if unreadable > 0 {
        notes.push(say::witness_lines_unreadable(lang, unreadable));
    }
    if let Some(head) = &args.head {
        check_head(report, head, lang, found);
    }
    if let Some(manifest) = &args.manifest {
        check_manifest(store, report, manifest, lang, found)?;
    }
    Ok(())
}

fn check_head(report: &VerifyReport, head: &str, lang: Lang, found: &mut Findings) {
    let head = head.trim();
    match report.entry_with_hash(head) {
        Some(entry) => {
            let since = report.entries.saturating_sub(entry);
            found.notes.push(say::head_found(lang, head, entry, since));
        }
        None => found.problems.push(say::head_not_in_log(lang, head)),
    }
}

/// A manifest's files must be what it says, its head the session's, and (where it records the
/// options it was exported with) its files what exporting the session gives now.
fn check_manifest(
    store: &Store,
    report: &VerifyReport,
    path: &Path,
    lang: Lang,
    found: &mut Findings,
) -> Result<(), Failure> {
    let manifest: serde_json::Value = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
        .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
    let head_problems = manifest_head_problems(&manifest, report, lang);
    found.problems.extend(head_problems);
    let listed = listed_files(&manifest);
    check_listed_files(path, &listed, lang, found);
    let Some(fresh) = regenerated(store, &manifest, lang)? else {
        found
            .notes
            .push(say::manifest_records_no_options(lang).to_string());
        return Ok(());
    };
    for (name, sha) in &listed {
        if fresh.get(name) != Some(sha) {
            found
                .problems
                .push(say::manifest_file_differs_now(lang, name));
        }
    }
    found
        .notes
        .push(say::manifest_files_checked(lang, listed.len()));
    Ok(())
}

/// (file name, SHA-256) as the manifest lists them.
fn listed_files(manifest: &serde_json::Value) -> Vec<(String, String)> {
    manifest
        .get("files")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
        .map(|entry| {
            let field = |key: &str| entry.get(key).and_then(|v| v.as_str()).unwrap_or("");
            (field("file").to_string(), field("sha256").to_string())
        })
        .collect()
}

/// Each listed file beside the manifest must still have the SHA-256 the manifest gives.
fn check_listed_files(path: &Path, listed: &[(String, String)], lang: Lang, found: &mut Findings) {
    let folder = path.parent().unwrap_or(Path::new("."));
    for (name, sha) in listed {
        match std::fs::read(folder.join(name)) {
            Ok(bytes) if sha256_hex(&bytes) == *sha => {}
            Ok(_) => found.problems.push(say::manifest_file_changed(lang, name)),
            Err(e) => found
                .problems
                .push(format!("{}: {e}", folder.join(name).display())),
        }
    }
}

/// The manifest's session id and head against the session's.
fn manifest_head_problems(
    manifest: &serde_json::Value,
    report: &VerifyReport,
    lang: Lang,
) -> Vec<String> {
    let text = |key: &str| manifest.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let (id, head) = (text("session_id"), text("chain_head_sha256"));
    let (session_id, entries) = (&report.session_id, report.entries);
    let mut problems = Vec::new();
    if !id.is_empty() && id != session_id {
        problems.push(say::manifest_of_another_session(lang, id, session_id));
    }
    if head != report.head_hash {
        problems.push(match report.entry_with_hash(head) {
            Some(n) => say::manifest_written_at(lang, n, entries),
            None => say::manifest_head_not_in_log(lang, head),
        });
    }
    problems
}

/// The SHA-256 of each file that exporting the session with the manifest's recorded options
/// gives now; None for a manifest that records no options.
fn regenerated(
    store: &Store,
    manifest: &serde_json::Value,
    lang: Lang,
) -> Result<Option<std::collections::BTreeMap<String, String>>, Failure> {
    use crate::io::export::{ExportFormat, ExportOptions, export_session_with_notes};
    let Some(export) = manifest.get("export") else {
        return Ok(None);
    };
    let text = |key: &str| export.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let temp = std::env::temp_dir().join(format!(
        "council-verify-{}-{}",
        std::process::id(),
        crate::io::system::random_id()
    ));
    let mut options = ExportOptions::new(&temp);
    let excel_vi = export.get("excel_vi").and_then(|v| v.as_bool()) == Some(true);
    options.format = match text("format") {
        "json" => ExportFormat::Json,
        "xlsx" => ExportFormat::Xlsx,
        _ if excel_vi => ExportFormat::CsvExcelVi,
        _ => ExportFormat::Csv,
    };
    options.bom = export.get("bom").and_then(|v| v.as_bool()).unwrap_or(true);
    options.rank_mode = if text("rank_mode") == "dense" {
        crate::domain::RankMode::Dense
    } else {
        crate::domain::RankMode::Competition
    };
    options.bands = crate::domain::Bands::parse(text("bands")).unwrap_or_default();
    // The times as they were written: in the zone of the machine that exported them.
    let offset = export
        .get("utc_offset")
        .and_then(|v| v.as_i64())
        .and_then(|s| i32::try_from(s).ok())
        .and_then(chrono::FixedOffset::east_opt);
    if let Some(offset) = offset {
        options.zone = crate::domain::time::Zone::Fixed(offset);
    }
    if let Some(sheets) = crate::io::xlsx::UnitSheets::parse(text("unit_sheets")) {
        options.unit_sheets = sheets;
    }
    options.letterhead = crate::domain::settings::Letterhead::from_settings(&store.settings()?);
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let item_texts = store.load_item_texts(&session)?;
    let mut notes = |unit: usize| {
        store
            .unit_notes(&session, unit, crate::io::xlsx::MAX_CELL_CHARS)
            .map_err(|e| e.text(lang))
    };
    let written = std::fs::create_dir_all(&temp)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            export_session_with_notes(&session, &item_texts, &mut notes, &options)
                .map_err(|e| e.text(lang))
        });
    let hashes = written.and_then(|files| {
        files
            .iter()
            .map(|file| {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                std::fs::read(file)
                    .map(|bytes| (name, sha256_hex(&bytes)))
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()
    });
    let _ = std::fs::remove_dir_all(&temp);
    hashes.map(Some).map_err(Failure::runtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_opens_only_under_the_members_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("council.db"), crate::io::system::host()).unwrap();
        assert_eq!(
            screen_name(&store, Some("Ai cũng được")).unwrap(),
            "Ai cũng được"
        );
        let me = Member {
            login: store.account().login.clone(),
            name: "Nguyễn Văn A".into(),
            role: Role::Secretary,
        };
        store.add_member(&me, "2026-11-23T07:00:00Z").unwrap();
        assert_eq!(screen_name(&store, None).unwrap(), "Nguyễn Văn A");
        let refused = screen_name(&store, Some("Chủ tọa")).unwrap_err();
        assert_eq!(refused.code, super::super::EXIT_INPUT);
        // An observer still opens the screen, under the member's name.
        let observer = Member {
            role: Role::Observer,
            ..me.clone()
        };
        let chair = Member {
            login: "chutoa".into(),
            name: "Chủ tọa".into(),
            role: Role::Chair,
        };
        store.add_member(&chair, "2026-11-23T07:00:00Z").unwrap();
        store.add_member(&observer, "2026-11-23T07:00:00Z").unwrap();
        assert_eq!(screen_name(&store, None).unwrap(), "Nguyễn Văn A");
    }
}
