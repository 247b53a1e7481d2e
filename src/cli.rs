//! The command line: argument parsing (clap) and the headless commands.
//! Exit codes: 0 ok, 1 runtime error, 2 usage, 3 invalid input.

use crate::domain::members::Permission;
use crate::domain::rollup::standings;
use crate::domain::{Bands, DecisionAction, RankMode, parse_score};
use crate::io::InputError;
use crate::io::export::{ExportFormat, ExportOptions};
use crate::io::import::{ImportOptions, Refused};
use crate::io::system::host;
use crate::lang::Lang;
use crate::service;
use crate::service::import::{CheckedFolder, ImportError};
use crate::store::{Counts, ImportPlan, Store, StoreError};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

mod agenda;
mod chart;
mod record;

pub use record::{BackupArgs, ConfigureArgs, MembersCommand, VerifyArgs};
pub mod output;
pub mod usage;

use crate::domain::score::Numbers;
use crate::domain::text::one_line;
use crate::messages::Localised;
use crate::messages::cli::{self as say, Prefixed, words};
use crate::messages::screen::labels;

pub const EXIT_OK: i32 = 0;
pub const EXIT_RUNTIME: i32 = 1;
pub const EXIT_INPUT: i32 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "council",
    version,
    about = crate::messages::usage::EN_ABOUT
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

/// `--lang vi|en` is the crate's one [`Lang`], read by clap.
impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &Lang::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
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
    /// Write the Word report of the appraisal (bao-cao.docx).
    Report(ReportArgs),
    /// Print the ranking as a table (--chart: the index % distribution and the band counts).
    Summary(SummaryArgs),
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
pub struct SummaryArgs {
    #[command(flatten)]
    pub ranking: RankingArgs,
    /// Print the units' index % in 5-point ranges and the units per band as text bars
    /// instead of the table (unicode blocks, or ASCII when the locale is not UTF-8).
    #[arg(long)]
    pub chart: bool,
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
    /// CSV that a Vietnamese-locale spreadsheet opens as numbers: `;` between columns,
    /// decimal comma (with the BOM).
    #[arg(long, conflicts_with = "no_bom")]
    pub excel_vi: bool,
    /// Which units get a sheet of their own in the workbook: auto (every unit, up to 1000
    /// units), all, none.
    #[arg(long, value_enum, default_value_t = UnitSheetsArg::Auto)]
    pub unit_sheets: UnitSheetsArg,
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
    /// One workbook, ket-qua.xlsx.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report to write (default: export/bao-cao.docx beside the database).
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub out: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub ranking: RankingArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitSheetsArg {
    Auto,
    All,
    None,
}

/// A failed command: what to print and which exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub lines: Vec<Said>,
}

/// One line of a failure: a text already in the run's language, or a structured value that
/// is rendered in it when printed.
pub enum Said {
    Text(String),
    Store(StoreError),
    Later(Box<dyn Localised>),
}

impl Said {
    fn text(&self, lang: Lang) -> String {
        match self {
            Said::Text(text) => text.clone(),
            Said::Store(error) => error.text(lang),
            Said::Later(value) => value.text(lang),
        }
    }
}

impl std::fmt::Debug for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl<T: Localised + 'static> From<T> for Said {
    fn from(value: T) -> Said {
        Said::Later(Box::new(value))
    }
}

impl From<String> for Said {
    fn from(text: String) -> Said {
        Said::Text(text)
    }
}

impl From<&str> for Said {
    fn from(text: &str) -> Said {
        Said::Text(text.to_string())
    }
}

impl Failure {
    fn runtime(message: impl Into<Said>) -> Failure {
        Failure {
            code: EXIT_RUNTIME,
            lines: vec![message.into()],
        }
    }
    fn input(message: impl Into<Said>) -> Failure {
        Failure {
            code: EXIT_INPUT,
            lines: vec![message.into()],
        }
    }
    /// Lines already in the run's language.
    fn lines(code: i32, lines: Vec<String>) -> Failure {
        Failure {
            code,
            lines: lines.into_iter().map(Said::Text).collect(),
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
            lines: vec![Said::Store(error)],
        }
    }
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let lang = cli.global.lang;
    match dispatch(cli, lang).and_then(|()| output::finish()) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            for line in &failure.lines {
                let line = line.text(lang);
                // An indented line continues the one before it (a list of items).
                if line.starts_with(' ') {
                    output::eprint_line(&line);
                } else {
                    output::eprint_line(&format!("{}: {line}", words(lang).error));
                }
            }
            failure.code
        }
    }
}

fn dispatch(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let global = cli.global.clone();
    match cli.command {
        None => open_screen(cli.session, &global, lang),
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
            lang,
        ),
        Some(Command::Check { dir, strict }) => {
            check(&dir, global.db.as_deref(), ImportOptions { strict }, lang)
        }
        Some(Command::Decide(args)) => decide(&args, &global, lang),
        Some(Command::Export(args)) => export(&args, &global),
        Some(Command::Report(args)) => report(&args, &global),
        Some(Command::Summary(args)) => summary(&args, &global, lang),
        Some(Command::Diff(args)) => diff(&args, &global, lang),
        Some(Command::History(args)) => history(&args, &global, lang),
        Some(Command::Finalize(args)) => finalize(&args, &global, lang),
        Some(Command::Verify(args)) => verify(&args, &global, lang),
        Some(Command::Configure(args)) => record::configure(&args, &global, lang),
        Some(Command::Members(command)) => record::members(&command, &global, lang),
        Some(Command::Backup(args)) => record::backup(&args, &global, lang),
        Some(Command::Agenda(command)) => agenda::run(&command, &global, lang),
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

fn print_input_errors(errors: &[InputError], lang: Lang) -> Failure {
    let lines = errors.iter().map(|e| e.text(lang)).collect();
    Failure::lines(EXIT_INPUT, lines).with_summary(lang, errors.len())
}

/// A refused folder: its warnings now, its errors and their total count on the way out.
fn print_refused(refused: &Refused, lang: Lang) -> Failure {
    print_warnings(&refused.warnings, lang);
    let lines = refused.errors.iter().map(|e| e.text(lang)).collect();
    Failure::lines(EXIT_INPUT, lines).with_summary(lang, refused.count)
}

impl Failure {
    fn with_summary(mut self, lang: Lang, count: usize) -> Failure {
        self.lines
            .push(Said::Text(say::errors_and_unchanged(lang, count)));
        self
    }
}

/// A folder that was not imported, as the command line says it.
fn import_failure(error: ImportError, lang: Lang) -> Failure {
    match error {
        ImportError::NotAFolder(dir) => Failure::input(say::not_a_folder(lang, &dir)),
        ImportError::Refused(refused) => print_refused(&refused, lang),
        ImportError::Store(error) => error.into(),
    }
}

fn print_warnings(warnings: &[InputError], lang: Lang) {
    for warning in warnings {
        output::eprint_line(&format!("{}: {}", words(lang).warning, warning.text(lang)));
    }
}

fn import(
    dir: &Path,
    db: &Path,
    dry_run: bool,
    by: Option<&str>,
    options: ImportOptions,
    lang: Lang,
) -> Result<(), Failure> {
    let warn = |folder: &CheckedFolder| print_warnings(&folder.warnings, lang);
    let failed = |error| import_failure(error, lang);
    if !dry_run && !db.exists() {
        let name = reviewer_name(by);
        let (store, plan, folder) =
            service::import::import_new(dir, db, (&name, &now()), options, host(), warn)
                .map_err(failed)?;
        record::witness(&store, &name, "import", lang);
        print_plan(&plan, false, folder.warning_count, lang)?;
        return print_session_file_settings(&folder.rows.settings, false, lang);
    }
    // A dry run must not even create the database file.
    if dry_run && !db.exists() {
        let (plan, folder) =
            service::import::plan_new(dir, options, host(), warn).map_err(failed)?;
        print_plan(&plan, true, folder.warning_count, lang)?;
        return print_session_file_settings(&folder.rows.settings, true, lang);
    }
    let mut store = Store::open(db, host())?;
    if !dry_run {
        record::warn_if_open_to_others(db, lang);
        let name = record::writer_name(&store, by, Permission::Manage)?;
        store.set_actor_name(&name);
    }
    let (plan, folder) =
        service::import::import_into(&mut store, dir, (dry_run, &now()), options, warn)
            .map_err(failed)?;
    if !dry_run {
        record::witness(&store, &reviewer_name(by), "import", lang);
    }
    print_plan(&plan, dry_run, folder.warning_count, lang)?;
    print_session_file_settings(&folder.rows.settings, dry_run, lang)
}

/// Which settings the folder's session.toml set (or would set, in a dry run).
fn print_session_file_settings(
    settings: &[crate::domain::settings::SettingChange],
    dry_run: bool,
    lang: Lang,
) -> Result<(), Failure> {
    if settings.is_empty() {
        return Ok(());
    }
    let keys: Vec<&str> = settings.iter().map(|(key, _)| key.as_str()).collect();
    output::print_line(&say::session_file_settings(lang, dry_run, &keys.join(", ")))
}

fn print_plan(
    plan: &ImportPlan,
    dry_run: bool,
    warnings: usize,
    lang: Lang,
) -> Result<(), Failure> {
    let words = words(lang);
    output::print_line(if dry_run {
        words.dry_run
    } else {
        words.imported
    })?;
    let rows: [(&str, Counts); 5] = [
        (words.plan_criteria, plan.criteria),
        (words.plan_units, plan.units),
        (words.plan_submissions, plan.submissions),
        (words.plan_proposals, plan.proposals),
        (words.plan_survey, plan.survey),
    ];
    for (name, counts) in rows {
        let (new, changed, unchanged) = (counts.new, counts.changed, counts.unchanged);
        output::print_line(&say::plan_line(lang, name, new, changed, unchanged))?;
    }
    output::print_line(&say::plan_totals(lang, warnings))
}

/// Validates a folder, writing nothing: alone, as a new session; with `db`, as a
/// resubmission to that session.
fn check(dir: &Path, db: Option<&Path>, options: ImportOptions, lang: Lang) -> Result<(), Failure> {
    let existing = match db {
        Some(db) => {
            let session = Store::open_for_reading(db, host())?.load_session()?;
            Some(session.ok_or_else(|| Failure::input(say::holds_no_session(lang, db)))?)
        }
        None => None,
    };
    let imported = service::import::read_folder(dir, existing.as_ref(), options)
        .map_err(|error| import_failure(error, lang))?;
    print_warnings(&imported.warnings, lang);
    let batch = &imported.rows;
    let rows = batch.submitted_items();
    let checked = say::Checked {
        criteria: batch.framework.as_ref().map_or(0, |f| f.nodes().len()),
        units: batch.units.len(),
        self_scores: rows,
        proposals: batch.proposals.len(),
        warnings: imported.warning_count,
    };
    output::print_line(&say::checked(lang, &checked))
}

/// For commands that only read: a session on a read-only disk can still be read.
fn open_store_for_reading(global: &Global) -> Result<Store, Failure> {
    Ok(Store::open_for_reading(&db_path(global), host())?)
}

fn open_store(global: &Global) -> Result<Store, Failure> {
    let db = db_path(global);
    let store = Store::open_existing(&db, host())?;
    record::warn_if_open_to_others(&db, global.lang);
    Ok(store)
}

fn decide(args: &DecideArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let state = store.item_state(&args.unit, &args.criterion)?;
    let reason = args.reason.clone().unwrap_or_default();
    let (score, reason) = if args.accept {
        (state.self_points(), reason)
    } else if args.proposal {
        let proposal = state.proposal.ok_or_else(|| {
            Failure::input(say::no_proposal_to_accept(
                lang,
                &args.unit,
                &args.criterion,
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
        let score = parse_score(text).map_err(|e| Failure::input(Prefixed("--score", e)))?;
        (score, reason)
    };
    let asked = args.by.as_deref().or(global.reviewer.as_deref());
    let by = record::writer_name(&store, asked, Permission::Decide)?;
    let action = DecisionAction::Decide { score, reason };
    let state = store.record(&args.unit, &args.criterion, &action, &by, &now(), None)?;
    record::witness(&store, &by, "decide", lang);
    output::print_line(&format!(
        "{} {} → {} ({})",
        args.unit.trim(),
        args.criterion.trim(),
        Numbers::of(lang).points(state.appraised_points()),
        labels(lang).status(state.status())
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
        lines: vec![Said::Later(Box::new(Prefixed("--bands", e)))],
    })
}

fn export(args: &ExportArgs, global: &Global) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let (rank_mode, bands) = ranking_options(&args.ranking, &store)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| service::export::default_export_dir(store.path()));
    let format = match (args.format, args.excel_vi) {
        (Format::Csv, false) => ExportFormat::Csv,
        (Format::Csv, true) => ExportFormat::CsvExcelVi,
        (Format::Json, false) => ExportFormat::Json,
        (Format::Xlsx, false) => ExportFormat::Xlsx,
        (_, true) => {
            return Err(Failure {
                code: 2,
                lines: vec!["--excel-vi: --format csv".into()],
            });
        }
    };
    let mut options = ExportOptions::new(out_dir);
    options.format = format;
    options.bom = !args.no_bom;
    options.force = args.force;
    options.rank_mode = rank_mode;
    options.bands = bands;
    options.zone = crate::domain::time::Zone::Local;
    options.unit_sheets = match args.unit_sheets {
        UnitSheetsArg::Auto => crate::io::xlsx::UnitSheets::Auto,
        UnitSheetsArg::All => crate::io::xlsx::UnitSheets::All,
        UnitSheetsArg::None => crate::io::xlsx::UnitSheets::None,
    };
    options.letterhead = crate::domain::settings::Letterhead::from_settings(&store.settings()?);
    let written = service::export::write_export(&store, &options).map_err(Failure::runtime)?;
    for path in written {
        output::print_line(&path.display().to_string())?;
    }
    Ok(())
}

/// `council report`: the Word report of the appraisal.
fn report(args: &ReportArgs, global: &Global) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let ranking = ranking_options(&args.ranking, &store)?;
    let path = args.out.clone().unwrap_or_else(|| {
        service::export::default_export_dir(store.path()).join(crate::io::report::REPORT_FILE)
    });
    service::report::write_report(&store, &path, ranking, args.force).map_err(Failure::runtime)?;
    output::print_line(&path.display().to_string())
}

fn summary(args: &SummaryArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let (mode, bands) = ranking_options(&args.ranking, &store)?;
    let mut table = standings(&session, mode, &bands);
    if args.chart {
        let pcts: Vec<_> = table.iter().map(|line| line.index_pct).collect();
        let utf8 = chart::locale_is_utf8(|name| std::env::var(name).ok());
        return output::print(&chart::render_chart(&pcts, &bands, lang, utf8));
    }
    table.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit.cmp(&b.unit)));
    output::print(&render_summary(&session, &table, lang))
}

/// The ranking as aligned text, widths measured in terminal cells.
pub fn render_summary(
    session: &crate::domain::Session,
    table: &[crate::domain::UnitStanding],
    lang: Lang,
) -> String {
    let numbers = Numbers::of(lang);
    let mut rows = vec![summary_header(lang)];
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

fn summary_header(lang: Lang) -> Vec<String> {
    words(lang)
        .summary_columns
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
fn open_screen(session: Option<PathBuf>, global: &Global, lang: Lang) -> Result<(), Failure> {
    if !crate::tui::has_terminal() {
        return Err(Failure::runtime(say::needs_a_terminal(lang)));
    }
    let (db, folder) = resolve_session(session, global);
    if !db.exists() {
        let Some(folder) = folder else {
            return Err(Failure::input(say::no_session_yet(lang, &db)));
        };
        output::eprint_line(&say::first_run(lang, &folder, &db));
        let imported = import(
            &folder,
            &db,
            false,
            global.reviewer.as_deref(),
            ImportOptions::default(),
            lang,
        );
        // Several screens opened at once on a new folder: the first import placed the
        // session (all or nothing, the last step), and the others open it.
        if imported.is_err() && !db.exists() {
            imported?;
        }
    }
    let store = Store::open_existing(&db, host())?;
    record::warn_if_open_to_others(&db, lang);
    let reviewer = record::screen_name(&store, global.reviewer.as_deref())?;
    crate::tui::run(
        store,
        crate::tui::TuiOptions {
            reviewer,
            lang: global.lang,
            theme: app_theme(global.theme),
            lead: global.lead,
            follow: global.follow,
            mouse: !global.no_mouse,
        },
    )
    // With its causes: "mở màn hình hội đồng: …".
    .map_err(|e| Failure::runtime(format!("{e:#}")))
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
    lang: Lang,
) -> Result<(crate::domain::diff::Against, Option<u32>), Failure> {
    use crate::domain::diff::Against;
    let text = text.trim();
    let usage = || Failure::lines(2, vec![say::bad_against(lang, text)]);
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

fn diff(args: &DiffArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
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
    let against = parse_against(&args.against, lang)?;
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
        out.push_str(&unit_diff.text(unit, against, lang)?);
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
        lang: Lang,
    ) -> Result<String, Failure> {
        use crate::domain::diff::{
            Against, appraised_lines, baseline_lines, submission_lines, unified,
        };
        let (session, numbers, words) = (self.session, Numbers::of(lang), words(lang));
        let code = &session.units[unit].code;
        Ok(match version {
            Some(v) => {
                let old = self.store.submission_items(session, code, Some(v))?;
                let new = self.store.submission_items(session, code, None)?;
                unified(
                    &format!("{code} v{v}"),
                    &format!("{code} {}", words.diff_current),
                    &submission_lines(session, &old, numbers),
                    &submission_lines(session, &new, numbers),
                    self.context,
                )
            }
            None => {
                let base = match against {
                    Against::SelfScores => words.diff_self,
                    Against::Proposals => words.diff_proposal,
                };
                unified(
                    &format!("{code} {base}"),
                    &format!("{code} {}", words.diff_appraised),
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

fn history(args: &HistoryArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let rows = store.history(args.unit.as_deref())?;
    match args.format {
        HistoryFormat::Csv if output::stdout_is_terminal() => {
            // On a terminal the CSV is shown, so it is made terminal-safe like any text.
            let mut shown = Vec::new();
            write_history_csv(&mut shown, &rows, lang)?;
            output::print(&String::from_utf8_lossy(&shown))
        }
        HistoryFormat::Csv => write_history_csv(std::io::stdout().lock(), &rows, lang),
        HistoryFormat::Text => {
            let numbers = Numbers::of(lang);
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
                    say::history_event(lang, &row.event),
                    one_line(&record::who(&row.by, &row.login)),
                    score,
                    one_line(&crate::messages::store::history_text(lang, row))
                ))?;
            }
            Ok(())
        }
    }
}

/// The history as CSV: the exact texts, times in local ISO 8601 with the offset, the event
/// codes in English (a contract for whoever reads the file); a session entry's text in the
/// run's language.
fn write_history_csv(
    out: impl std::io::Write,
    rows: &[crate::store::HistoryRow],
    lang: Lang,
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
                &crate::messages::store::history_text(lang, row),
            ])
            .map_err(failed)?;
    }
    writer.flush().map_err(output::io_failure)
}

fn finalize(args: &FinalizeArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let by = record::writer_name(&store, global.reviewer.as_deref(), Permission::Manage)?;
    let reason = if args.force {
        args.reason.as_deref()
    } else {
        None
    };
    match store.finalize(&by, &now(), reason) {
        Ok(done) => {
            record::witness(&store, &by, "finalize", lang);
            let at = crate::domain::time::local_date_time(&done.at);
            output::print_line(&say::finalised(lang, &at, done.entries, &done.head_hash))?;
            output::print_line(&say::finalised_by(
                lang,
                &record::who(&done.by, &done.login),
            ))
        }
        Err(StoreError::OpenDisputes(open)) => {
            let mut lines = vec![say::still_disputed(lang, open.len())];
            lines.extend(
                open.iter()
                    .map(|i| format!("  {} {}", i.unit_code, i.criterion_code)),
            );
            Err(Failure::lines(EXIT_INPUT, lines))
        }
        Err(other) => Err(other.into()),
    }
}

fn verify(args: &VerifyArgs, global: &Global, lang: Lang) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let report = store.verify()?;
    let mut found = record::Findings {
        problems: report.problems.iter().map(|p| p.text(lang)).collect(),
        notes: Vec::new(),
    };
    record::verify_outside(&store, &report, args, lang, &mut found)?;
    if found.problems.is_empty() {
        output::print_line(&say::log_intact(lang, report.entries, &report.head_hash))?;
        for note in found.notes {
            output::print_line(&format!("  {note}"))?;
        }
        Ok(())
    } else {
        Err(Failure::lines(EXIT_RUNTIME, found.problems))
    }
}
