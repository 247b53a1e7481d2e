//! The command line: argument parsing (clap) and the headless commands.
//! Exit codes: 0 ok, 1 runtime error, 2 usage, 3 invalid input.

use crate::domain::members::Permission;
use crate::domain::rollup::standings;
use crate::domain::{Bands, DecisionAction, RankMode, parse_score};
use crate::io::InputError;
use crate::io::export::{ExportFormat, ExportOptions};
use crate::io::import::{ImportOptions, Refused};
use crate::io::system::host;
use crate::service;
use crate::service::import::{CheckedFolder, ImportError};
use crate::store::{Counts, ImportPlan, Store, StoreError};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

mod agenda;
mod record;

pub use record::{BackupArgs, ConfigureArgs, MembersCommand, VerifyArgs};
pub mod output;
pub mod usage;

use crate::domain::score::Numbers;
use crate::domain::text::one_line;

pub const EXIT_OK: i32 = 0;
pub const EXIT_RUNTIME: i32 = 1;
pub const EXIT_INPUT: i32 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "council",
    version,
    about = "Phiên họp Hội đồng thẩm định Chỉ số CCHC (PAR INDEX)"
)]
pub struct Cli {
    /// Session database, or a session folder (its council.db is used, imported on first run).
    pub session: Option<PathBuf>,
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// The session database file.
    #[arg(long, global = true, value_name = "FILE", allow_hyphen_values = true)]
    pub db: Option<PathBuf>,
    /// Language of messages and labels.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    /// Name recorded on decisions (default: the login name).
    #[arg(
        long = "as",
        global = true,
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub reviewer: Option<String>,
    /// Colour theme of the council screen.
    #[arg(long, global = true, value_enum, default_value_t = Theme::Dark)]
    pub theme: Theme,
    /// Lead the meeting: followers' screens move with this one (starts in presentation mode).
    #[arg(long, global = true, conflicts_with = "follow")]
    pub lead: bool,
    /// Follow the meeting's leader; any movement key looks around on your own, `.` comes back.
    #[arg(long, global = true)]
    pub follow: bool,
    /// Leave the mouse to the terminal: no clicks or wheel on the council screen.
    #[arg(long, global = true)]
    pub no_mouse: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Theme {
    Dark,
    Light,
    HighContrast,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a session folder of CSV files (all or nothing).
    Import {
        dir: PathBuf,
        /// Report what would change without writing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse self-scores that break their criterion's rule (by default they are imported
        /// as the unit claimed them and marked invalid for the council to decide).
        #[arg(long)]
        strict: bool,
    },
    /// Validate a session folder without writing anything; with --db, as a resubmission to
    /// that session (criteria.csv and units.csv are then not needed).
    Check {
        dir: PathBuf,
        /// Refuse self-scores that break their criterion's rule.
        #[arg(long)]
        strict: bool,
    },
    /// Record a council decision on one item.
    Decide(DecideArgs),
    /// Export the appraised result set (results, summary, ranking).
    Export(ExportArgs),
    /// Print the ranking as a table.
    Summary(RankingArgs),
    /// Show a unit's appraised scorecard against its self-assessment as a unified diff.
    Diff(DiffArgs),
    /// Print every item's complete history (submissions, proposals, flags, decisions, undos).
    History(HistoryArgs),
    /// Lock the session for good; refuses while items are disputed and undecided.
    Finalize(FinalizeArgs),
    /// Recompute the session's hash chain and everything derived from it; name any entry or
    /// row altered, added or deleted, checking the heads that witnesses saw.
    Verify(VerifyArgs),
    /// The session's settings (rank mode, bands), shared by every screen and command.
    Configure(ConfigureArgs),
    /// Who may write to the session: `add LOGIN --name N --role R`, `list`, `remove LOGIN`.
    #[command(subcommand)]
    Members(MembersCommand),
    /// A consistent, complete copy of the session, even with screens open.
    Backup(BackupArgs),
    /// The meeting's agenda: build it from the disputed items, show, import or clear it.
    #[command(subcommand)]
    Agenda(agenda::AgendaCommand),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The unit to diff.
    #[arg(
        long,
        required_unless_present = "all",
        conflicts_with = "all",
        allow_hyphen_values = true
    )]
    pub unit: Option<String>,
    /// Every unit, one after another.
    #[arg(long)]
    pub all: bool,
    /// self, proposal, or version:N (a submission version against the current one).
    #[arg(long, default_value = "self", allow_hyphen_values = true)]
    pub against: String,
    /// Lines of context around each change.
    #[arg(long, default_value_t = 3)]
    pub context: usize,
    /// Colour the output: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColourChoice::Auto)]
    pub colour: ColourChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColourChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(long, allow_hyphen_values = true)]
    pub unit: Option<String>,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Text,
    Csv,
}

#[derive(Debug, Args)]
pub struct FinalizeArgs {
    /// Finalise although items are still disputed (needs --reason).
    #[arg(long, requires = "reason")]
    pub force: bool,
    /// Why the session is finalised with open items.
    #[arg(long, allow_hyphen_values = true)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    #[arg(long, allow_hyphen_values = true)]
    pub unit: String,
    #[arg(long, allow_hyphen_values = true)]
    pub criterion: String,
    /// The council's score ("0,5" or "0.5"; negative for deduction items: --score -1,5).
    #[arg(
        long,
        allow_hyphen_values = true,
        required_unless_present_any = ["accept", "proposal"],
        conflicts_with_all = ["accept", "proposal"]
    )]
    pub score: Option<String>,
    /// Why; required when the score differs from the self-score.
    #[arg(long, allow_hyphen_values = true)]
    pub reason: Option<String>,
    /// Accept the unit's self-score.
    #[arg(long, conflicts_with = "proposal")]
    pub accept: bool,
    /// Accept the working group's proposal (its note is the reason unless --reason is given).
    #[arg(long)]
    pub proposal: bool,
    /// Who decides (default: --as, else the login name).
    #[arg(long, allow_hyphen_values = true)]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct RankingArgs {
    /// Dense ranking (1, 1, 2) instead of competition ranking (1, 1, 3), for this command
    /// (the session's setting otherwise).
    #[arg(long, conflicts_with = "competition")]
    pub dense: bool,
    /// Competition ranking (1, 1, 3), for this command.
    #[arg(long)]
    pub competition: bool,
    /// Band thresholds on index %, e.g. "A=90,B=80,C=70,D=0".
    #[arg(long, value_name = "BANDS", allow_hyphen_values = true)]
    pub bands: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output folder (default: export/ beside the database).
    #[arg(long, value_name = "DIR", allow_hyphen_values = true)]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write UTF-8 without the byte-order mark.
    #[arg(long)]
    pub no_bom: bool,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub ranking: RankingArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// A failed command: what to print and which exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub lines: Vec<String>,
}

impl Failure {
    fn runtime(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_RUNTIME,
            lines: vec![message.into()],
        }
    }
    fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_INPUT,
            lines: vec![message.into()],
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        let code = match error {
            StoreError::NotASession { .. }
            | StoreError::UnknownUnit(_)
            | StoreError::UnknownCriterion(_)
            | StoreError::Rejected(_)
            | StoreError::Stale { .. }
            | StoreError::NotPermitted(_)
            | StoreError::NotYours { .. } => EXIT_INPUT,
            _ => EXIT_RUNTIME,
        };
        Failure {
            code,
            lines: vec![error.to_string()],
        }
    }
}

/// Localised fixed texts of the command line.
pub struct Texts {
    lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts { lang }
    }
    fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
    fn error(&self) -> &'static str {
        self.pick("lỗi", "error")
    }
    fn warning(&self) -> &'static str {
        self.pick("cảnh báo", "warning")
    }
    /// How numbers are written: 7,5 in Vietnamese, 7.5 in English.
    pub fn numbers(&self) -> Numbers {
        match self.lang {
            Lang::Vi => Numbers::Comma,
            Lang::En => Numbers::Dot,
        }
    }
    /// The screen's labels in this language, shared so that both say the same words.
    fn labels(&self) -> &'static crate::app::labels::Labels {
        match self.lang {
            Lang::Vi => &crate::app::labels::VI,
            Lang::En => &crate::app::labels::EN,
        }
    }
    /// An item's status in words, as the screen says it (files keep the English codes).
    pub fn status(&self, status: crate::domain::Status) -> &'static str {
        self.labels().status(status)
    }
    /// A history event's name (the CSV keeps the codes: submission, decide, …).
    fn event(&self, code: &str) -> String {
        let labels = self.labels();
        match code {
            "submission" => self.pick("tự chấm", "submission").to_string(),
            "proposal" => labels.history_proposed.to_string(),
            "decide" => labels.history_decided.to_string(),
            "undo" => labels.history_undo.to_string(),
            "redo" => labels.history_redo.to_string(),
            "flag" => labels.history_flag.to_string(),
            "unflag" => labels.history_unflag.to_string(),
            // The session's own entries.
            "import" => self.pick("nhập dữ liệu", "import").to_string(),
            "configure" => self.pick("thiết lập", "configure").to_string(),
            "member" => self.pick("thành viên", "members").to_string(),
            "finalise" => self.pick("chốt kết quả", "finalise").to_string(),
            other => other.to_string(),
        }
    }
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    // Detailed messages are formatted deep in the domain and store: tell them the language.
    crate::domain::text::set_message_lang(match cli.global.lang {
        Lang::Vi => crate::domain::text::MessageLang::Vi,
        Lang::En => crate::domain::text::MessageLang::En,
    });
    let texts = Texts::new(cli.global.lang);
    match dispatch(cli, &texts).and_then(|()| output::finish()) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            for line in &failure.lines {
                // An indented line continues the one before it (a list of items).
                if line.starts_with(' ') {
                    output::eprint_line(line);
                } else {
                    output::eprint_line(&format!("{}: {line}", texts.error()));
                }
            }
            failure.code
        }
    }
}

fn dispatch(cli: Cli, texts: &Texts) -> Result<(), Failure> {
    let global = cli.global.clone();
    match cli.command {
        None => open_screen(cli.session, &global, texts),
        Some(Command::Import {
            dir,
            dry_run,
            strict,
        }) => import(
            &dir,
            &db_path(&global),
            dry_run,
            global.reviewer.as_deref(),
            ImportOptions { strict },
            texts,
        ),
        Some(Command::Check { dir, strict }) => {
            check(&dir, global.db.as_deref(), ImportOptions { strict }, texts)
        }
        Some(Command::Decide(args)) => decide(&args, &global, texts),
        Some(Command::Export(args)) => export(&args, &global),
        Some(Command::Summary(args)) => summary(&args, &global, texts),
        Some(Command::Diff(args)) => diff(&args, &global, texts),
        Some(Command::History(args)) => history(&args, &global, texts),
        Some(Command::Finalize(args)) => finalize(&args, &global, texts),
        Some(Command::Verify(args)) => verify(&args, &global, texts),
        Some(Command::Configure(args)) => record::configure(&args, &global, texts),
        Some(Command::Members(command)) => record::members(&command, &global, texts),
        Some(Command::Backup(args)) => record::backup(&args, &global, texts),
        Some(Command::Agenda(command)) => agenda::run(&command, &global, texts),
    }
}

fn db_path(global: &Global) -> PathBuf {
    global
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from("council.db"))
}

/// The reviewer's name: --as, else the login name.
pub fn reviewer_name(explicit: Option<&str>) -> String {
    let from_env = || {
        ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok())
    };
    // Some shells (containers, service accounts) set none of these; ask the system.
    let from_system = || {
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    explicit
        .map(str::to_string)
        .filter(|name| !name.trim().is_empty())
        .or_else(|| from_env().filter(|name| !name.trim().is_empty()))
        .or_else(|| from_system().filter(|name| !name.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Now, as recorded on decisions and imports: UTC (shown in local time).
pub fn now() -> String {
    crate::domain::time::now_stamp()
}

fn print_input_errors(errors: &[InputError], texts: &Texts) -> Failure {
    Failure {
        code: EXIT_INPUT,
        lines: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
    }
    .with_summary(texts, errors.len())
}

/// A refused folder: its warnings now, its errors and their total count on the way out.
fn print_refused(refused: &Refused, texts: &Texts) -> Failure {
    print_warnings(&refused.warnings, texts);
    Failure {
        code: EXIT_INPUT,
        lines: refused.errors.iter().map(|e| e.to_string()).collect(),
    }
    .with_summary(texts, refused.count)
}

impl Failure {
    fn with_summary(mut self, texts: &Texts, count: usize) -> Failure {
        self.lines.push(match texts.lang {
            Lang::Vi => format!("{count} lỗi; cơ sở dữ liệu không thay đổi"),
            Lang::En => format!("{count} error(s); the database is unchanged"),
        });
        self
    }
}

/// A folder that was not imported, as the command line says it.
fn import_failure(error: ImportError, texts: &Texts) -> Failure {
    match error {
        ImportError::NotAFolder(dir) => Failure::input(format!(
            "{}: {}",
            dir.display(),
            texts.pick("không phải thư mục", "not a folder")
        )),
        ImportError::Refused(refused) => print_refused(&refused, texts),
        ImportError::Store(error) => error.into(),
    }
}

fn print_warnings(warnings: &[InputError], texts: &Texts) {
    for warning in warnings {
        output::eprint_line(&format!("{}: {warning}", texts.warning()));
    }
}

fn import(
    dir: &Path,
    db: &Path,
    dry_run: bool,
    by: Option<&str>,
    options: ImportOptions,
    texts: &Texts,
) -> Result<(), Failure> {
    let warn = |folder: &CheckedFolder| print_warnings(&folder.warnings, texts);
    let failed = |error| import_failure(error, texts);
    if !dry_run && !db.exists() {
        let name = reviewer_name(by);
        let (store, plan, folder) =
            service::import::import_new(dir, db, (&name, &now()), options, host(), warn)
                .map_err(failed)?;
        record::witness(&store, &name, "import", texts);
        return print_plan(&plan, false, folder.warning_count, texts);
    }
    // A dry run must not even create the database file.
    if dry_run && !db.exists() {
        let (plan, folder) =
            service::import::plan_new(dir, options, host(), warn).map_err(failed)?;
        return print_plan(&plan, true, folder.warning_count, texts);
    }
    let mut store = Store::open(db, host())?;
    if !dry_run {
        record::warn_if_open_to_others(db, texts);
        let name = record::writer_name(&store, by, Permission::Manage)?;
        store.set_actor_name(&name);
    }
    let (plan, folder) =
        service::import::import_into(&mut store, dir, (dry_run, &now()), options, warn)
            .map_err(failed)?;
    if !dry_run {
        record::witness(&store, &reviewer_name(by), "import", texts);
    }
    print_plan(&plan, dry_run, folder.warning_count, texts)
}

fn print_plan(
    plan: &ImportPlan,
    dry_run: bool,
    warnings: usize,
    texts: &Texts,
) -> Result<(), Failure> {
    let heading = match (dry_run, texts.lang) {
        (true, Lang::Vi) => "Chạy thử (không ghi gì):",
        (true, Lang::En) => "Dry run (nothing written):",
        (false, Lang::Vi) => "Đã nhập:",
        (false, Lang::En) => "Imported:",
    };
    output::print_line(heading)?;
    let rows: [(&str, &str, Counts); 5] = [
        ("tiêu chí", "criteria", plan.criteria),
        ("đơn vị", "units", plan.units),
        ("bản tự chấm", "submissions", plan.submissions),
        ("đề xuất", "proposals", plan.proposals),
        ("điều tra XHH", "survey", plan.survey),
    ];
    for (vi, en, counts) in rows {
        let name = texts.pick(vi, en);
        output::print_line(&match texts.lang {
            Lang::Vi => format!(
                "  {name:<14} mới {:>7}  thay đổi {:>7}  không đổi {:>7}",
                counts.new, counts.changed, counts.unchanged
            ),
            Lang::En => format!(
                "  {name:<14} new {:>7}  changed {:>7}  unchanged {:>7}",
                counts.new, counts.changed, counts.unchanged
            ),
        })?;
    }
    output::print_line(&format!(
        "  {} 0  {} {warnings}",
        texts.pick("lỗi", "errors"),
        texts.pick("cảnh báo", "warnings")
    ))
}

/// Validates a folder, writing nothing: alone, as a new session; with `db`, as a
/// resubmission to that session.
fn check(
    dir: &Path,
    db: Option<&Path>,
    options: ImportOptions,
    texts: &Texts,
) -> Result<(), Failure> {
    let existing = match db {
        Some(db) => {
            let session = Store::open_for_reading(db, host())?.load_session()?;
            Some(session.ok_or_else(|| {
                Failure::input(format!(
                    "{}: {}",
                    db.display(),
                    texts.pick("chưa có phiên họp nào", "holds no session yet")
                ))
            })?)
        }
        None => None,
    };
    let imported = service::import::read_folder(dir, existing.as_ref(), options)
        .map_err(|error| import_failure(error, texts))?;
    print_warnings(&imported.warnings, texts);
    let batch = &imported.rows;
    let rows = batch.submitted_items();
    output::print_line(&match texts.lang {
        Lang::Vi => format!(
            "Hợp lệ: {} tiêu chí, {} đơn vị, {rows} điểm tự chấm, {} đề xuất, {} cảnh báo",
            batch.framework.as_ref().map_or(0, |f| f.nodes().len()),
            batch.units.len(),
            batch.proposals.len(),
            imported.warning_count
        ),
        Lang::En => format!(
            "Valid: {} criteria, {} units, {rows} self-scores, {} proposals, {} warnings",
            batch.framework.as_ref().map_or(0, |f| f.nodes().len()),
            batch.units.len(),
            batch.proposals.len(),
            imported.warning_count
        ),
    })
}

/// For commands that only read: a session on a read-only disk can still be read.
fn open_store_for_reading(global: &Global) -> Result<Store, Failure> {
    Ok(Store::open_for_reading(&db_path(global), host())?)
}

fn open_store(global: &Global) -> Result<Store, Failure> {
    let db = db_path(global);
    let store = Store::open_existing(&db, host())?;
    record::warn_if_open_to_others(&db, &Texts::new(global.lang));
    Ok(store)
}

fn decide(args: &DecideArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let state = store.item_state(&args.unit, &args.criterion)?;
    let reason = args.reason.clone().unwrap_or_default();
    let (score, reason) = if args.accept {
        (state.self_points(), reason)
    } else if args.proposal {
        let proposal = state.proposal.ok_or_else(|| {
            Failure::input(format!(
                "{} {}: {}",
                args.unit,
                args.criterion,
                texts.pick(
                    "tổ giúp việc chưa có đề xuất nào để chấp nhận",
                    "no working-group proposal to accept"
                )
            ))
        })?;
        let reason = if reason.trim().is_empty() {
            store
                .item_detail(&args.unit, &args.criterion)?
                .proposal_note
        } else {
            reason
        };
        (proposal, reason)
    } else {
        let text = args.score.as_deref().unwrap_or_default();
        let score = parse_score(text).map_err(|e| Failure::input(format!("--score: {e}")))?;
        (score, reason)
    };
    let asked = args.by.as_deref().or(global.reviewer.as_deref());
    let by = record::writer_name(&store, asked, Permission::Decide)?;
    let action = DecisionAction::Decide { score, reason };
    let state = store.record(&args.unit, &args.criterion, &action, &by, &now(), None)?;
    record::witness(&store, &by, "decide", texts);
    output::print_line(&format!(
        "{} {} → {} ({})",
        args.unit.trim(),
        args.criterion.trim(),
        texts.numbers().points(state.appraised_points()),
        texts.status(state.status())
    ))
}

/// The rank mode and bands of a command: its flags, else the session's settings.
fn ranking_options(args: &RankingArgs, store: &Store) -> Result<(RankMode, Bands), Failure> {
    let settings = store.settings()?;
    let mode = if args.dense {
        RankMode::Dense
    } else if args.competition {
        RankMode::Competition
    } else {
        settings.rank_mode()
    };
    let bands = match &args.bands {
        Some(text) => parse_bands(text)?,
        None => settings.bands(),
    };
    Ok((mode, bands))
}

/// `--bands`, refused as a usage error (exit 2) when it does not parse.
fn parse_bands(text: &str) -> Result<Bands, Failure> {
    Bands::parse(text).map_err(|e| Failure {
        code: 2,
        lines: vec![format!("--bands: {e}")],
    })
}

fn export(args: &ExportArgs, global: &Global) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let (rank_mode, bands) = ranking_options(&args.ranking, &store)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| service::export::default_export_dir(store.path()));
    let options = ExportOptions {
        out_dir,
        format: match args.format {
            Format::Csv => ExportFormat::Csv,
            Format::Json => ExportFormat::Json,
        },
        bom: !args.no_bom,
        force: args.force,
        rank_mode,
        bands,
        zone: crate::domain::time::Zone::Local,
    };
    let written = service::export::write_export(&store, &options).map_err(Failure::runtime)?;
    for path in written {
        output::print_line(&path.display().to_string())?;
    }
    Ok(())
}

fn summary(args: &RankingArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let (mode, bands) = ranking_options(args, &store)?;
    let mut table = standings(&session, mode, &bands);
    table.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit.cmp(&b.unit)));
    output::print(&render_summary(&session, &table, texts))
}

/// The ranking as aligned text, widths measured in terminal cells.
pub fn render_summary(
    session: &crate::domain::Session,
    table: &[crate::domain::UnitStanding],
    texts: &Texts,
) -> String {
    let numbers = texts.numbers();
    let mut rows = vec![summary_header(texts)];
    for line in table {
        let unit = &session.units[line.unit];
        rows.push(vec![
            line.rank.to_string(),
            one_line(&unit.code),
            one_line(&unit.name),
            one_line(&unit.group),
            numbers.points(line.totals.self_total),
            numbers.points(line.totals.appraised_total),
            numbers.points(line.totals.delta()),
            numbers.pct(line.index_pct),
            line.group_rank.to_string(),
            one_line(&line.band),
        ]);
    }
    let numeric = [
        true, false, false, false, true, true, true, true, true, false,
    ];
    aligned(&rows, &numeric)
}

fn summary_header(texts: &Texts) -> Vec<String> {
    [
        texts.pick("Hạng", "Rank"),
        texts.pick("Mã", "Code"),
        texts.pick("Đơn vị", "Unit"),
        texts.pick("Nhóm", "Group"),
        texts.pick("Tự chấm", "Self"),
        texts.pick("Thẩm định", "Appraised"),
        "Δ",
        texts.pick("Chỉ số %", "Index %"),
        texts.pick("Hạng nhóm", "Group rank"),
        texts.pick("Xếp loại", "Band"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Rows as columns two spaces apart, `numeric` ones right-aligned.
fn aligned(rows: &[Vec<String>], numeric: &[bool]) -> String {
    // Measured as shown: a control character takes the width of its visible escape.
    let width = |s: &str| {
        unicode_width::UnicodeWidthStr::width(
            crate::domain::text::terminal_safe(s, crate::domain::text::Breaks::Escape).as_ref(),
        )
    };
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = " ".repeat(widths[c] - width(cell));
                if numeric[c] {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Opens the council screen on a database or a session folder; the first run imports the
/// folder (by default data/sample when there is no council.db).
fn open_screen(session: Option<PathBuf>, global: &Global, texts: &Texts) -> Result<(), Failure> {
    if !crate::tui::has_terminal() {
        return Err(Failure::runtime(texts.pick(
            "màn hình hội đồng cần một cửa sổ dòng lệnh (terminal); các lệnh khác chạy được không cần nó, xem `council --help`",
            "the council screen needs a terminal; the other commands run without one, see `council --help`",
        )));
    }
    let (db, folder) = resolve_session(session, global);
    if !db.exists() {
        let Some(folder) = folder else {
            return Err(Failure::input(format!(
                "{}: {}",
                db.display(),
                texts.pick(
                    "chưa có phiên họp; hãy nhập bằng `council import THƯ_MỤC` hoặc chạy `council data/sample`",
                    "no session yet; import one with `council import DIR` or run `council data/sample`"
                )
            )));
        };
        output::eprint_line(&format!(
            "{} {} → {}",
            texts.pick("Nhập lần đầu", "First run: importing"),
            folder.display(),
            db.display()
        ));
        import(
            &folder,
            &db,
            false,
            global.reviewer.as_deref(),
            ImportOptions::default(),
            texts,
        )?;
    }
    let store = Store::open_existing(&db, host())?;
    record::warn_if_open_to_others(&db, texts);
    let reviewer = record::screen_name(&store, global.reviewer.as_deref())?;
    crate::tui::run(
        store,
        crate::tui::TuiOptions {
            reviewer,
            lang: app_lang(global.lang),
            theme: app_theme(global.theme),
            lead: global.lead,
            follow: global.follow,
            mouse: !global.no_mouse,
        },
    )
    // With its causes: "mở màn hình hội đồng: …".
    .map_err(|e| Failure::runtime(format!("{e:#}")))
}

/// The screen's language, from `--lang`.
fn app_lang(lang: Lang) -> crate::app::labels::Lang {
    match lang {
        Lang::Vi => crate::app::labels::Lang::Vi,
        Lang::En => crate::app::labels::Lang::En,
    }
}

/// The screen's colours, from `--theme`.
fn app_theme(theme: Theme) -> crate::app::ThemeName {
    match theme {
        Theme::Dark => crate::app::ThemeName::Dark,
        Theme::Light => crate::app::ThemeName::Light,
        Theme::HighContrast => crate::app::ThemeName::HighContrast,
    }
}

/// Where the database is and which folder seeds it on the first run.
fn resolve_session(session: Option<PathBuf>, global: &Global) -> (PathBuf, Option<PathBuf>) {
    match session {
        Some(path) if path.is_dir() => (
            global.db.clone().unwrap_or_else(|| path.join("council.db")),
            Some(path),
        ),
        Some(path) => (path, None),
        None => {
            let sample = PathBuf::from("data/sample");
            (db_path(global), sample.is_dir().then_some(sample))
        }
    }
}

/// What `--against` names: the self-scores, the proposals, or a submission version.
fn parse_against(
    text: &str,
    texts: &Texts,
) -> Result<(crate::domain::diff::Against, Option<u32>), Failure> {
    use crate::domain::diff::Against;
    let text = text.trim();
    let usage = || Failure {
        code: 2,
        lines: vec![format!(
            "--against {text}: {}",
            texts.pick(
                "cần self, proposal hoặc version:N",
                "expected self, proposal or version:N"
            )
        )],
    };
    match text.strip_prefix("version:") {
        Some(n) => Ok((
            Against::SelfScores,
            Some(n.trim().parse::<u32>().map_err(|_| usage())?),
        )),
        None if text == "self" => Ok((Against::SelfScores, None)),
        None if text == "proposal" => Ok((Against::Proposals, None)),
        None => Err(usage()),
    }
}

fn diff(args: &DiffArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let store = open_store_for_reading(global)?;
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let units: Vec<usize> = match &args.unit {
        Some(code) => vec![
            session
                .unit_index(code)
                .ok_or_else(|| StoreError::UnknownUnit(code.clone()))?,
        ],
        None => (0..session.units.len()).collect(),
    };
    let against = parse_against(&args.against, texts)?;
    let item_texts = store.load_item_texts(&session)?;
    let colour = match args.colour {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut out = String::new();
    for unit in units {
        let unit_diff = UnitDiff {
            store: &store,
            session: &session,
            item_texts: &item_texts,
            context: args.context,
        };
        out.push_str(&unit_diff.text(unit, against, texts)?);
    }
    if colour {
        print_painted_diff(&out)
    } else {
        output::print(&out)
    }
}

/// What one unit's diff is drawn from.
struct UnitDiff<'a> {
    store: &'a Store,
    session: &'a crate::domain::Session,
    item_texts: &'a [crate::domain::ItemTexts],
    context: usize,
}

impl UnitDiff<'_> {
    /// The unit's diff: a submission version against the current one, or the appraised
    /// scorecard against the self-scores or the proposals.
    fn text(
        &self,
        unit: usize,
        (against, version): (crate::domain::diff::Against, Option<u32>),
        texts: &Texts,
    ) -> Result<String, Failure> {
        use crate::domain::diff::{
            Against, appraised_lines, baseline_lines, submission_lines, unified,
        };
        let (session, numbers) = (self.session, texts.numbers());
        let code = &session.units[unit].code;
        Ok(match version {
            Some(v) => {
                let old = self.store.submission_items(session, code, Some(v))?;
                let new = self.store.submission_items(session, code, None)?;
                unified(
                    &format!("{code} v{v}"),
                    &format!("{code} {}", texts.pick("hiện tại", "current")),
                    &submission_lines(session, &old, numbers),
                    &submission_lines(session, &new, numbers),
                    self.context,
                )
            }
            None => {
                let base = match against {
                    Against::SelfScores => texts.pick("tự chấm", "self"),
                    Against::Proposals => texts.pick("đề xuất", "proposal"),
                };
                unified(
                    &format!("{code} {base}"),
                    &format!("{code} {}", texts.pick("thẩm định", "appraised")),
                    &baseline_lines(session, unit, against, numbers),
                    &appraised_lines(session, self.item_texts, unit, against, numbers),
                    self.context,
                )
            }
        })
    }
}

/// A diff in colour: removed lines red, added green, hunk headers cyan.
fn print_painted_diff(out: &str) -> Result<(), Failure> {
    for line in out.lines() {
        let paint = match line.as_bytes().first() {
            Some(b'-') if !line.starts_with("---") => "31",
            Some(b'+') if !line.starts_with("+++") => "32",
            Some(b'@') => "36",
            _ => "",
        };
        if paint.is_empty() {
            output::print_line(line)?;
        } else {
            output::print_painted_line(paint, line)?;
        }
    }
    Ok(())
}

fn history(args: &HistoryArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let rows = store.history(args.unit.as_deref())?;
    match args.format {
        HistoryFormat::Csv if output::stdout_is_terminal() => {
            // On a terminal the CSV is shown, so it is made terminal-safe like any text.
            let mut shown = Vec::new();
            write_history_csv(&mut shown, &rows)?;
            output::print(&String::from_utf8_lossy(&shown))
        }
        HistoryFormat::Csv => write_history_csv(std::io::stdout().lock(), &rows),
        HistoryFormat::Text => {
            let numbers = texts.numbers();
            for row in &rows {
                let score = match crate::domain::parse_score(&row.score) {
                    Ok(points) => numbers.points(points),
                    Err(_) => row.score.clone(),
                };
                output::print_line(&format!(
                    "{} {:<8} {:<16} {:<10} {:<8} {:>6}  {}",
                    row.unit_code,
                    row.criterion_code,
                    crate::domain::time::local_date_time(&row.at),
                    texts.event(&row.event),
                    one_line(&record::who(&row.by, &row.login)),
                    score,
                    one_line(&row.text)
                ))?;
            }
            Ok(())
        }
    }
}

/// The history as CSV: the exact texts, times in local ISO 8601 with the offset, the event
/// codes in English (a contract for whoever reads the file).
fn write_history_csv(
    out: impl std::io::Write,
    rows: &[crate::store::HistoryRow],
) -> Result<(), Failure> {
    let mut writer = csv::Writer::from_writer(out);
    let failed = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => output::io_failure(e),
        other => Failure::runtime(format!("{other:?}")),
    };
    writer
        .write_record([
            "unit_code",
            "criterion_code",
            "at",
            "by",
            "login",
            "event",
            "score",
            "text",
        ])
        .map_err(failed)?;
    for row in rows {
        writer
            .write_record([
                &row.unit_code,
                &row.criterion_code,
                &crate::domain::time::local_iso(&row.at),
                &row.by,
                &row.login,
                &row.event,
                &row.score,
                &row.text,
            ])
            .map_err(failed)?;
    }
    writer.flush().map_err(output::io_failure)
}

fn finalize(args: &FinalizeArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let by = record::writer_name(&store, global.reviewer.as_deref(), Permission::Manage)?;
    let reason = if args.force {
        args.reason.as_deref()
    } else {
        None
    };
    match store.finalize(&by, &now(), reason) {
        Ok(done) => {
            record::witness(&store, &by, "finalize", texts);
            output::print_line(&format!(
                "{} {} ({} {}, {} {})",
                texts.pick("Đã chốt phiên họp lúc", "Session finalised at"),
                crate::domain::time::local_date_time(&done.at),
                done.entries,
                texts.pick("mục nhật ký", "log entries"),
                texts.pick("mã băm cuối", "head hash"),
                done.head_hash
            ))?;
            output::print_line(&format!(
                "  {} {}",
                texts.pick("người chốt:", "by"),
                record::who(&done.by, &done.login)
            ))
        }
        Err(StoreError::OpenDisputes(open)) => {
            let mut lines = vec![match texts.lang {
                Lang::Vi => format!(
                    "còn {} mục tranh chấp chưa quyết định; dùng --force --reason LÝ_DO để vẫn chốt:",
                    open.len()
                ),
                Lang::En => format!(
                    "{} item(s) still disputed and undecided; use --force --reason R to finalise anyway:",
                    open.len()
                ),
            }];
            lines.extend(
                open.iter()
                    .map(|i| format!("  {} {}", i.unit_code, i.criterion_code)),
            );
            Err(Failure {
                code: EXIT_INPUT,
                lines,
            })
        }
        Err(other) => Err(other.into()),
    }
}

fn verify(args: &VerifyArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let mut report = store.verify()?;
    let notes = record::verify_outside(&store, &mut report, args, texts)?;
    if report.is_intact() {
        output::print_line(&format!(
            "{}: {} {}, {} {}",
            texts.pick("Nhật ký nguyên vẹn", "Session log intact"),
            report.entries,
            texts.pick("mục", "entries"),
            texts.pick("mã băm cuối", "head hash"),
            report.head_hash
        ))?;
        for note in notes {
            output::print_line(&format!("  {note}"))?;
        }
        Ok(())
    } else {
        Err(Failure {
            code: EXIT_RUNTIME,
            lines: report.problems,
        })
    }
}
