//! The command line: argument parsing (clap) and the headless commands.
//! Exit codes: 0 ok, 1 runtime error, 2 usage, 3 invalid input.

use crate::domain::rollup::standings;
use crate::domain::{Bands, DecisionAction, RankMode, parse_score};
use crate::io::InputError;
use crate::io::export::{ExportFormat, ExportOptions};
use crate::io::import::{ImportOptions, Refused};
use crate::store::{Counts, ImportPlan, Store, StoreError};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

mod agenda;

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
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Language of messages and labels.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    /// Name recorded on decisions (default: the login name).
    #[arg(long = "as", global = true, value_name = "NAME")]
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
    /// Recompute the decision log's hash chain and name any entry altered or deleted.
    Verify,
    /// The meeting's agenda: build it from the disputed items, show, import or clear it.
    #[command(subcommand)]
    Agenda(agenda::AgendaCommand),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The unit to diff.
    #[arg(long, required_unless_present = "all", conflicts_with = "all")]
    pub unit: Option<String>,
    /// Every unit, one after another.
    #[arg(long)]
    pub all: bool,
    /// self, proposal, or version:N (a submission version against the current one).
    #[arg(long, default_value = "self")]
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
    #[arg(long)]
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
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    #[arg(long)]
    pub unit: String,
    #[arg(long)]
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
    #[arg(long)]
    pub reason: Option<String>,
    /// Accept the unit's self-score.
    #[arg(long, conflicts_with = "proposal")]
    pub accept: bool,
    /// Accept the working group's proposal (its note is the reason unless --reason is given).
    #[arg(long)]
    pub proposal: bool,
    /// Who decides (default: --as, else the login name).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct RankingArgs {
    /// Dense ranking (1, 1, 2) instead of competition ranking (1, 1, 3).
    #[arg(long)]
    pub dense: bool,
    /// Band thresholds on index %, e.g. "A=90,B=80,C=70,D=0".
    #[arg(long, value_name = "BANDS")]
    pub bands: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output folder (default: export/ beside the database).
    #[arg(long, value_name = "DIR")]
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
            | StoreError::Stale { .. } => EXIT_INPUT,
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
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    // Detailed messages are formatted deep in the domain and store: tell them the language.
    crate::domain::text::set_message_lang(match cli.global.lang {
        Lang::Vi => crate::domain::text::MessageLang::Vi,
        Lang::En => crate::domain::text::MessageLang::En,
    });
    let texts = Texts::new(cli.global.lang);
    match dispatch(cli, &texts) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            for line in &failure.lines {
                eprintln!("{}: {line}", texts.error());
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
            ImportOptions { strict },
            texts,
        ),
        Some(Command::Check { dir, strict }) => {
            check(&dir, global.db.as_deref(), ImportOptions { strict }, texts)
        }
        Some(Command::Decide(args)) => decide(&args, &global),
        Some(Command::Export(args)) => export(&args, &global),
        Some(Command::Summary(args)) => summary(&args, &global, texts),
        Some(Command::Diff(args)) => diff(&args, &global),
        Some(Command::History(args)) => history(&args, &global),
        Some(Command::Finalize(args)) => finalize(&args, &global, texts),
        Some(Command::Verify) => verify(&global, texts),
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

/// Now, as recorded on decisions and imports.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
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

fn read_folder(
    dir: &Path,
    existing: Option<&crate::domain::Session>,
    options: ImportOptions,
    texts: &Texts,
) -> Result<crate::io::import::Imported, Failure> {
    if !dir.is_dir() {
        return Err(Failure::input(format!(
            "{}: {}",
            dir.display(),
            texts.pick("không phải thư mục", "not a folder")
        )));
    }
    crate::io::import::read_session(dir, existing, options)
        .map_err(|refused| print_refused(&refused, texts))
}

fn print_warnings(warnings: &[InputError], texts: &Texts) {
    for warning in warnings {
        eprintln!("{}: {warning}", texts.warning());
    }
}

fn import(
    dir: &Path,
    db: &Path,
    dry_run: bool,
    options: ImportOptions,
    texts: &Texts,
) -> Result<(), Failure> {
    if !dry_run && !db.exists() {
        let imported = read_folder(dir, None, options, texts)?;
        print_warnings(&imported.warnings, texts);
        let (_, plan) = Store::import_new(db, &imported.batch, &now())?;
        print_plan(&plan, false, imported.warning_count, texts);
        return Ok(());
    }
    // A dry run must not even create the database file.
    let store = if dry_run && !db.exists() {
        None
    } else {
        Some(Store::open(db)?)
    };
    let existing = match &store {
        Some(store) => store.load_session()?,
        None => None,
    };
    let imported = read_folder(dir, existing.as_ref(), options, texts)?;
    print_warnings(&imported.warnings, texts);
    let plan = match (store, dry_run) {
        (Some(store), true) => store.plan_import(&imported.batch)?,
        (None, _) => Store::in_memory()?.plan_import(&imported.batch)?,
        (Some(mut store), false) => store.apply_import(&imported.batch, &now())?,
    };
    print_plan(&plan, dry_run, imported.warning_count, texts);
    Ok(())
}

fn print_plan(plan: &ImportPlan, dry_run: bool, warnings: usize, texts: &Texts) {
    let heading = match (dry_run, texts.lang) {
        (true, Lang::Vi) => "Chạy thử (không ghi gì):",
        (true, Lang::En) => "Dry run (nothing written):",
        (false, Lang::Vi) => "Đã nhập:",
        (false, Lang::En) => "Imported:",
    };
    println!("{heading}");
    let rows: [(&str, &str, Counts); 5] = [
        ("tiêu chí", "criteria", plan.criteria),
        ("đơn vị", "units", plan.units),
        ("bản tự chấm", "submissions", plan.submissions),
        ("đề xuất", "proposals", plan.proposals),
        ("điều tra XHH", "survey", plan.survey),
    ];
    for (vi, en, counts) in rows {
        let name = texts.pick(vi, en);
        match texts.lang {
            Lang::Vi => println!(
                "  {name:<14} mới {:>7}  thay đổi {:>7}  không đổi {:>7}",
                counts.new, counts.changed, counts.unchanged
            ),
            Lang::En => println!(
                "  {name:<14} new {:>7}  changed {:>7}  unchanged {:>7}",
                counts.new, counts.changed, counts.unchanged
            ),
        }
    }
    println!(
        "  {} 0  {} {warnings}",
        texts.pick("lỗi", "errors"),
        texts.pick("cảnh báo", "warnings")
    );
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
            let session = Store::open_for_reading(db)?.load_session()?;
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
    let imported = read_folder(dir, existing.as_ref(), options, texts)?;
    print_warnings(&imported.warnings, texts);
    let batch = &imported.batch;
    let rows: usize = batch.submissions.iter().map(|(_, rows)| rows.len()).sum();
    match texts.lang {
        Lang::Vi => println!(
            "Hợp lệ: {} tiêu chí, {} đơn vị, {rows} điểm tự chấm, {} đề xuất, {} cảnh báo",
            batch.framework.as_ref().map_or(0, |f| f.nodes().len()),
            batch.units.len(),
            batch.proposals.len(),
            imported.warning_count
        ),
        Lang::En => println!(
            "Valid: {} criteria, {} units, {rows} self-scores, {} proposals, {} warnings",
            batch.framework.as_ref().map_or(0, |f| f.nodes().len()),
            batch.units.len(),
            batch.proposals.len(),
            imported.warning_count
        ),
    }
    Ok(())
}

/// For commands that only read: a session on a read-only disk can still be read.
fn open_store_for_reading(global: &Global) -> Result<Store, Failure> {
    Ok(Store::open_for_reading(&db_path(global))?)
}

fn open_store(global: &Global) -> Result<Store, Failure> {
    Ok(Store::open_existing(&db_path(global))?)
}

fn decide(args: &DecideArgs, global: &Global) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let state = store.item_state(&args.unit, &args.criterion)?;
    let reason = args.reason.clone().unwrap_or_default();
    let (score, reason) = if args.accept {
        (state.self_points(), reason)
    } else if args.proposal {
        let proposal = state.proposal.ok_or_else(|| {
            Failure::input(format!(
                "{} {}: no working-group proposal to accept",
                args.unit, args.criterion
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
    let by = reviewer_name(args.by.as_deref().or(global.reviewer.as_deref()));
    let action = DecisionAction::Decide { score, reason };
    let state = store.record(&args.unit, &args.criterion, &action, &by, &now(), None)?;
    println!(
        "{} {} → {} ({})",
        args.unit.trim(),
        args.criterion.trim(),
        crate::domain::format_vi(state.appraised_points()),
        state.status().as_str()
    );
    Ok(())
}

fn ranking_options(args: &RankingArgs) -> Result<(RankMode, Bands), Failure> {
    let mode = if args.dense {
        RankMode::Dense
    } else {
        RankMode::Competition
    };
    let bands = match &args.bands {
        Some(text) => Bands::parse(text).map_err(|e| Failure {
            code: 2,
            lines: vec![format!("--bands: {e}")],
        })?,
        None => Bands::default(),
    };
    Ok((mode, bands))
}

fn export(args: &ExportArgs, global: &Global) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let (rank_mode, bands) = ranking_options(&args.ranking)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_export_dir(store.path()));
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
    };
    let written = write_export(&store, &options).map_err(Failure::runtime)?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(())
}

/// Exports the session as `council export` does, shared with the council screen: results,
/// summary and ranking; for a finalised session also manifest.json, but only after the
/// decision log verifies (a manifest must never vouch for a tampered log).
pub fn write_export(store: &Store, options: &ExportOptions) -> Result<Vec<PathBuf>, String> {
    let session = store
        .load_session()
        .map_err(|e| e.to_string())?
        .ok_or_else(|| StoreError::Empty.to_string())?;
    let texts = store.load_item_texts(&session).map_err(|e| e.to_string())?;
    let finalisation = store.finalisation().map_err(|e| e.to_string())?;
    if finalisation.is_some() {
        let report = store.verify().map_err(|e| e.to_string())?;
        if !report.is_intact() {
            return Err(format!(
                "the decision log does not verify; not exporting a finalised record: {}",
                report.problems.join("; ")
            ));
        }
        let manifest = options.out_dir.join("manifest.json");
        if !options.force && manifest.exists() {
            return Err(format!(
                "{}: exists; use --force to overwrite",
                manifest.display()
            ));
        }
    }
    let mut written =
        crate::io::export::export_session(&session, &texts, options).map_err(|e| e.to_string())?;
    if let Some(finalisation) = finalisation {
        let manifest = crate::io::export::write_manifest(&written, &finalisation.into(), options)
            .map_err(|e| e.to_string())?;
        written.push(manifest);
    }
    Ok(written)
}

/// export/ beside the database.
pub fn default_export_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("export"))
        .unwrap_or_else(|| PathBuf::from("export"))
}

fn summary(args: &RankingArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    let (mode, bands) = ranking_options(args)?;
    let mut table = standings(&session, mode, &bands);
    table.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit.cmp(&b.unit)));
    print!("{}", render_summary(&session, &table, texts));
    Ok(())
}

/// The ranking as aligned text, widths measured in terminal cells.
pub fn render_summary(
    session: &crate::domain::Session,
    table: &[crate::domain::UnitStanding],
    texts: &Texts,
) -> String {
    use crate::domain::score::{format_pct_vi, format_vi};
    let header: Vec<String> = [
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
    .collect();
    let mut rows = vec![header];
    for line in table {
        let unit = &session.units[line.unit];
        rows.push(vec![
            line.rank.to_string(),
            unit.code.clone(),
            unit.name.clone(),
            unit.group.clone(),
            format_vi(line.totals.self_total),
            format_vi(line.totals.appraised_total),
            format_vi(line.totals.delta()),
            format_pct_vi(line.index_pct),
            line.group_rank.to_string(),
            line.band.clone(),
        ]);
    }
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let numeric = [
        true, false, false, false, true, true, true, true, true, false,
    ];
    let mut out = String::new();
    for row in &rows {
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
        eprintln!(
            "{} {} → {}",
            texts.pick("Nhập lần đầu", "First run: importing"),
            folder.display(),
            db.display()
        );
        import(&folder, &db, false, ImportOptions::default(), texts)?;
    }
    let store = Store::open_existing(&db)?;
    crate::tui::run(
        store,
        crate::tui::TuiOptions {
            reviewer: reviewer_name(global.reviewer.as_deref()),
            lang: global.lang,
            theme: global.theme,
            lead: global.lead,
            follow: global.follow,
        },
    )
    .map_err(|e| Failure::runtime(e.to_string()))
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

fn diff(args: &DiffArgs, global: &Global) -> Result<(), Failure> {
    use crate::domain::diff::{
        Against, appraised_lines, baseline_lines, submission_lines, unified,
    };
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
    let against = args.against.trim();
    let version = match against.strip_prefix("version:") {
        Some(n) => Some(n.trim().parse::<u32>().map_err(|_| Failure {
            code: 2,
            lines: vec![format!(
                "--against {against}: expected self, proposal or version:N"
            )],
        })?),
        None if against == "self" || against == "proposal" => None,
        None => {
            return Err(Failure {
                code: 2,
                lines: vec![format!(
                    "--against {against}: expected self, proposal or version:N"
                )],
            });
        }
    };
    let texts = store.load_item_texts(&session)?;
    let colour = match args.colour {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut out = String::new();
    for unit in units {
        let code = &session.units[unit].code;
        let text = match version {
            Some(v) => {
                let old =
                    submission_lines(&session, &store.submission_items(&session, code, Some(v))?);
                let new =
                    submission_lines(&session, &store.submission_items(&session, code, None)?);
                unified(
                    &format!("{code} v{v}"),
                    &format!("{code} current"),
                    &old,
                    &new,
                    args.context,
                )
            }
            None => {
                let against = if against == "proposal" {
                    Against::Proposals
                } else {
                    Against::SelfScores
                };
                let old = baseline_lines(&session, unit, against);
                let new = appraised_lines(&session, &texts, unit, against);
                unified(
                    &format!("{code} {}", against.label()),
                    &format!("{code} appraised"),
                    &old,
                    &new,
                    args.context,
                )
            }
        };
        out.push_str(&text);
    }
    if colour {
        for line in out.lines() {
            let paint = match line.as_bytes().first() {
                Some(b'-') if !line.starts_with("---") => "\x1b[31m",
                Some(b'+') if !line.starts_with("+++") => "\x1b[32m",
                Some(b'@') => "\x1b[36m",
                _ => "",
            };
            if paint.is_empty() {
                println!("{line}")
            } else {
                println!("{paint}{line}\x1b[0m")
            }
        }
    } else {
        print!("{out}");
    }
    Ok(())
}

fn history(args: &HistoryArgs, global: &Global) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let rows = store.history(args.unit.as_deref())?;
    match args.format {
        HistoryFormat::Csv => {
            let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
            let io_error = |e: csv::Error| Failure::runtime(e.to_string());
            writer
                .write_record([
                    "unit_code",
                    "criterion_code",
                    "at",
                    "by",
                    "event",
                    "score",
                    "text",
                ])
                .map_err(io_error)?;
            for row in &rows {
                writer
                    .write_record([
                        &row.unit_code,
                        &row.criterion_code,
                        &row.at,
                        &row.by,
                        &row.event,
                        &row.score,
                        &row.text,
                    ])
                    .map_err(io_error)?;
            }
            writer
                .flush()
                .map_err(|e| Failure::runtime(e.to_string()))?;
        }
        HistoryFormat::Text => {
            for row in &rows {
                let text = row.text.split_whitespace().collect::<Vec<_>>().join(" ");
                println!(
                    "{} {:<8} {:<25} {:<10} {:<8} {:>6}  {}",
                    row.unit_code, row.criterion_code, row.at, row.event, row.by, row.score, text
                );
            }
        }
    }
    Ok(())
}

fn finalize(args: &FinalizeArgs, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    let by = reviewer_name(global.reviewer.as_deref());
    let reason = if args.force {
        args.reason.as_deref()
    } else {
        None
    };
    match store.finalize(&by, &now(), reason) {
        Ok(done) => {
            println!(
                "{} {} ({} {}, {} {})",
                texts.pick("Đã chốt phiên họp lúc", "Session finalised at"),
                done.at,
                done.entries,
                texts.pick("mục nhật ký", "log entries"),
                texts.pick("mã băm cuối", "head hash"),
                done.head_hash
            );
            Ok(())
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

fn verify(global: &Global, texts: &Texts) -> Result<(), Failure> {
    let store = open_store_for_reading(global)?;
    let report = store.verify()?;
    if report.is_intact() {
        println!(
            "{}: {} {}, {} {}",
            texts.pick("Nhật ký nguyên vẹn", "Decision log intact"),
            report.entries,
            texts.pick("mục", "entries"),
            texts.pick("mã băm cuối", "head hash"),
            report.head_hash
        );
        Ok(())
    } else {
        Err(Failure {
            code: EXIT_RUNTIME,
            lines: report.problems,
        })
    }
}
