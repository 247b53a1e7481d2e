//! `council agenda build | show | import | clear`.

use super::{
    EXIT_RUNTIME, Failure, Global, Texts, now, open_store, output, print_input_errors,
    reviewer_name,
};
use crate::domain::Session;
use crate::domain::agenda::{
    AgendaEntry, AgendaOrder, build, format_m_ss, is_discussed, parse_budget_minutes,
};
use crate::domain::text::one_line;
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
        #[arg(long, value_name = "N", value_parser = minutes_arg)]
        minutes: Option<u32>,
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
        #[arg(long, value_name = "N", value_parser = minutes_arg)]
        minutes: Option<u32>,
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

/// `--minutes`: a time budget in minutes, as seconds.
fn minutes_arg(text: &str) -> Result<u32, String> {
    parse_budget_minutes(text).map_err(|e| e.to_string())
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

pub fn run(command: &AgendaCommand, global: &Global, texts: &Texts) -> Result<(), Failure> {
    let mut store = open_store(global)?;
    super::record::witness(
        &store,
        &reviewer_name(global.reviewer.as_deref()),
        "agenda",
        texts,
    );
    let session = store.load_session()?.ok_or(StoreError::Empty)?;
    match command {
        AgendaCommand::Build {
            order,
            minutes,
            force,
        } => {
            let items: Vec<AgendaEntry> = build(&session, (*order).into())
                .into_iter()
                .map(|item| AgendaEntry {
                    item,
                    budget_seconds: *minutes,
                })
                .collect();
            if items.is_empty() {
                return output::print_line(texts.pick(
                    "Không có mục tranh chấp nào: chương trình họp không thay đổi",
                    "No disputed items: the agenda is unchanged",
                ));
            }
            save(&mut store, &session, &items, *force, global, texts)
        }
        AgendaCommand::Import {
            file,
            minutes,
            force,
        } => {
            let mut items = crate::io::agenda::read_agenda_file(file, &session)
                .map_err(|errors| print_input_errors(&errors, texts))?;
            for entry in &mut items {
                entry.budget_seconds = entry.budget_seconds.or(*minutes);
            }
            save(&mut store, &session, &items, *force, global, texts)
        }
        AgendaCommand::Show => output::print(&render(&store, &session, texts)?),
        AgendaCommand::Clear => {
            let removed = store.clear_agenda()?;
            output::print_line(&format!(
                "{} {removed} {}",
                texts.pick("Đã xoá chương trình họp:", "Agenda cleared:"),
                texts.pick("mục", "item(s)")
            ))
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
    texts: &Texts,
) -> Result<(), Failure> {
    let existing = store.agenda()?.len();
    if existing > 0 && !force {
        return Err(Failure {
            code: EXIT_RUNTIME,
            lines: vec![format!(
                "{} ({existing} {}); {}",
                texts.pick("Đã có chương trình họp", "An agenda is already saved"),
                texts.pick("mục", "items"),
                texts.pick(
                    "thêm --force để thay thế, hoặc xem bằng `council agenda show`",
                    "add --force to replace it, or see it with `council agenda show`"
                )
            )],
        });
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
    output::print_line(&format!(
        "{} {} {}{}",
        texts.pick("Đã lưu chương trình họp:", "Agenda saved:"),
        rows.len(),
        texts.pick("mục", "item(s)"),
        if existing > 0 {
            format!(" ({} {existing})", texts.pick("thay cho", "replacing"))
        } else {
            String::new()
        }
    ))?;
    output::print(&render(store, session, texts)?)
}

/// The agenda as text: position, ✓ when discussed, codes, title, status.
/// An agenda item as its line shows it: whether it was discussed, its title, its status.
fn item_line(
    session: &Session,
    item: &crate::domain::agenda::AgendaItem,
    texts: &Texts,
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
            texts.status(status).to_string()
        }
        Some(_) => String::new(),
        None => texts.pick("cả đơn vị", "whole unit").to_string(),
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

pub fn render(store: &Store, session: &Session, texts: &Texts) -> Result<String, Failure> {
    let rows = store.agenda()?;
    if rows.is_empty() {
        return Ok(format!(
            "{}\n",
            texts.pick(
                "Chưa có chương trình họp (council agenda build hoặc council agenda import TỆP)",
                "No agenda yet (council agenda build, or council agenda import FILE)"
            )
        ));
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
                let (discussed, title, status) = item_line(session, &item, texts);
                if !discussed {
                    left += 1;
                }
                (if discussed { "✓" } else { " " }, title, status)
            }
            Err(e) => ("?", one_line(&e.to_string()), String::new()),
        };
        let now = meeting.position.as_ref().and_then(|p| p.agenda_position) == Some(i);
        lines.push(agenda_line(i, row, (now, mark), &title, &status));
    }
    out.push_str(&format!(
        "{} ({} {}, {} {left})\n",
        texts.pick("Chương trình họp", "Agenda"),
        rows.len(),
        texts.pick("mục", "items"),
        texts.pick("còn", "left")
    ));
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(position) = meeting.position {
        out.push_str(&format!(
            "{}: {}\n",
            texts.pick("Chủ tọa", "Chair"),
            one_line(&position.leader)
        ));
    }
    Ok(out)
}
