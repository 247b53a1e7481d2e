//! `council agenda build | show | import | clear`.

use super::{Failure, Global, now, open_store, output, print_input_errors, reviewer_name};
use crate::domain::Session;
use crate::domain::agenda::{
    AgendaEntry, AgendaOrder, build, format_m_ss, is_discussed, parse_budget_minutes,
};
use crate::domain::text::one_line;
use crate::lang::Lang;
use crate::messages::Localised;
use crate::messages::cli::{self as say, words};
use crate::messages::screen::labels;
use crate::store::{AgendaRow, Store, StoreError};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AgendaCommand {
    /// Build the agenda from the disputed items (and decisions made on since-changed scores).
    Build {
        #[arg(long, value_enum, default_value_t = OrderArg::Unit)]
        order: OrderArg,
        /// A time budget for every item, in minutes ("3", "1,5").
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        minutes: Option<String>,
        /// Replace an agenda that is already saved.
        #[arg(long)]
        force: bool,
    },
    /// Print the saved agenda, marking what has been discussed.
    Show,
    /// Read the agenda from a CSV file with columns unit_code, criterion_code (empty: whole
    /// unit) and, optionally, minutes (the item's time budget).
    Import {
        file: PathBuf,
        /// The time budget of the rows that give none, in minutes.
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        minutes: Option<String>,
        /// Replace an agenda that is already saved.
        #[arg(long)]
        force: bool,
    },
    /// Remove the saved agenda and reset the meeting (leader, clocks).
    Clear,
}

/// The order of a built agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// By unit (session order), then criterion code.
    Unit,
    /// Largest |proposal − self| first.
    Delta,
    /// Grouped by field (top-level criterion).
    Field,
}

/// `--minutes`: a time budget in minutes, as seconds; refused as a usage error (exit 2).
fn minutes_option(text: Option<&str>) -> Result<Option<u32>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    parse_budget_minutes(text).map(Some).map_err(|e| Failure {
        code: super::usage::EXIT_USAGE,
        lines: vec![super::Said::Later(Box::new(say::Prefixed("--minutes", e)))],
    })
}

impl From<OrderArg> for AgendaOrder {
    fn from(order: OrderArg) -> AgendaOrder {
        match order {
            OrderArg::Unit => AgendaOrder::Unit,
            OrderArg::Delta => AgendaOrder::Delta,
            OrderArg::Field => AgendaOrder::Field,
        }
    }
}

pub fn run(command: &AgendaCommand, global: &Global, lang: Lang) -> Result<(), Failure> {
    let minutes = match command {
        AgendaCommand::Build { minutes, .. } | AgendaCommand::Import { minutes, .. } => {
            minutes_option(minutes.as_deref())?
        }
        AgendaCommand::Show | AgendaCommand::Clear => None,
    };
    let mut store = open_store(global)?;
    super::record::witness(
        &store,
        &reviewer_name(global.reviewer.as_deref()),
        "agenda",
        lang,
    );
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    match command {
        AgendaCommand::Build { order, force, .. } => {
            let items: Vec<AgendaEntry> = build(&session, (*order).into())
                .into_iter()
                .map(|item| AgendaEntry {
                    item,
                    budget_seconds: minutes,
                })
                .collect();
            if items.is_empty() {
                return output::print_line(say::nothing_for_the_agenda(lang));
            }
            save(&mut store, &session, &items, *force, global, lang)
        }
        AgendaCommand::Import { file, force, .. } => {
            let mut items = crate::io::agenda::read_agenda_file(file, &session)
                .map_err(|errors| print_input_errors(&errors, lang))?;
            for entry in &mut items {
                entry.budget_seconds = entry.budget_seconds.or(minutes);
            }
            save(&mut store, &session, &items, *force, global, lang)
        }
        AgendaCommand::Show => output::print(&render(&store, &session, lang)?),
        AgendaCommand::Clear => {
            let removed = store.clear_agenda()?;
            output::print_line(&say::agenda_cleared(lang, removed))
        }
    }
}

/// Saves a new agenda; an existing one is replaced only with --force.
fn save(
    store: &mut Store,
    session: &Session,
    items: &[AgendaEntry],
    force: bool,
    global: &Global,
    lang: Lang,
) -> Result<(), Failure> {
    let existing = store.agenda()?.len();
    if existing > 0 && !force {
        return Err(Failure::runtime(say::agenda_exists(lang, existing)));
    }
    let by = reviewer_name(global.reviewer.as_deref());
    let at = now();
    let rows: Vec<AgendaRow> = items
        .iter()
        .map(|entry| {
            let (unit_code, criterion_code) = entry.item.codes(session);
            AgendaRow {
                unit_code,
                criterion_code,
                added_by: by.clone(),
                added_at: at.clone(),
                budget_seconds: entry.budget_seconds,
            }
        })
        .collect();
    store.save_agenda(&rows)?;
    output::print_line(&say::agenda_saved(lang, rows.len(), existing))?;
    output::print(&render(store, session, lang)?)
}

/// The agenda as text: position, ✓ when discussed, codes, title, status.
/// An agenda item as its line shows it: whether it was discussed, its title, its status.
fn item_line(
    session: &Session,
    item: &crate::domain::agenda::AgendaItem,
    lang: Lang,
) -> (bool, String, String) {
    let discussed = is_discussed(session, item);
    let title = match item.node {
        Some(node) => one_line(&session.framework.node(node).def.title),
        None => one_line(&session.units[item.unit].name),
    };
    let status = match item.node {
        Some(node) if session.framework.node(node).is_leaf() => {
            let leaf = session.framework.leaf_range(node).start;
            let status = session.item(item.unit, leaf).status();
            labels(lang).status(status).to_string()
        }
        Some(_) => String::new(),
        None => words(lang).whole_unit.to_string(),
    };
    (discussed, title, status)
}

/// One line of the agenda: ▶ on the item now discussed, its number, ✓ once discussed, its
/// codes, title and status.
fn agenda_line(
    i: usize,
    row: &crate::store::AgendaRow,
    (now, mark): (bool, &str),
    title: &str,
    status: &str,
) -> String {
    let now_mark = if now { "▶" } else { " " };
    let budget = row
        .budget_seconds
        .map(|s| format!("  ⏱ {}", format_m_ss(i64::from(s))))
        .unwrap_or_default();
    format!(
        "{now_mark}{:>3}. {mark} {} {}  {title}{}{budget}",
        i + 1,
        row.unit_code,
        row.criterion_code.as_deref().unwrap_or("—"),
        if status.is_empty() {
            String::new()
        } else {
            format!("  [{status}]")
        }
    )
}

pub fn render(store: &Store, session: &Session, lang: Lang) -> Result<String, Failure> {
    let rows = store.agenda()?;
    if rows.is_empty() {
        return Ok(format!("{}\n", say::no_agenda_yet(lang)));
    }
    let meeting = store.meeting()?;
    let mut out = String::new();
    let mut lines = Vec::new();
    let mut left = 0;
    for (i, row) in rows.iter().enumerate() {
        let resolved =
            crate::domain::agenda::resolve(session, &row.unit_code, row.criterion_code.as_deref());
        let (mark, title, status) = match resolved {
            Ok(item) => {
                let (discussed, title, status) = item_line(session, &item, lang);
                if !discussed {
                    left += 1;
                }
                (if discussed { "✓" } else { " " }, title, status)
            }
            Err(e) => ("?", one_line(&e.text(lang)), String::new()),
        };
        let now = meeting.position.as_ref().and_then(|p| p.agenda_position) == Some(i);
        lines.push(agenda_line(i, row, (now, mark), &title, &status));
    }
    out.push_str(&format!(
        "{}\n",
        say::agenda_heading(lang, rows.len(), left)
    ));
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(position) = meeting.position {
        out.push_str(&format!(
            "{}: {}\n",
            words(lang).chair,
            one_line(&position.leader)
        ));
    }
    Ok(out)
}
