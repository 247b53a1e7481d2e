//! One unit's scorecard: the criteria tree as a table (a ratatui `Table` over the visible
//! rows), and the detail pane of the selected item (rule, notes, evidence, the working
//! group's note, the whole history).

use crate::app::history::EventKind;
use crate::app::{AppState, Pane};
use crate::domain::{ItemDetail, ItemState, Node, NodeId};
use crate::ui::draw::{delta_style, delta_text, status_style};
use crate::ui::layout;
use crate::ui::table::{
    Cell, Col, VisibleTable, header_cells, keep, layout_columns, left, opt, right, w, window,
};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (table_area, detail_area) = layout::scorecard(area);
    table(state, theme, table_area, buf);
    detail_pane(state, theme, detail_area, buf);
}

/// Code, title, max, self, proposal, council, Δ, status, evidence; the title takes what is
/// left, and max, evidence and status go first when it gets too narrow.
fn columns(state: &AppState, width: u16) -> (Vec<Col>, Vec<bool>) {
    let labels = state.labels();
    // Indent, marker and code of the widest node.
    let code_width = state
        .session
        .framework
        .nodes()
        .iter()
        .map(|n| (n.code().depth() - 1) * 2 + 2 + n.code().to_string().len())
        .max()
        .unwrap_or(4)
        .clamp(4, 16) as u16;
    let spec = [
        (left(code_width), false, 0),
        (left(20), true, 0),
        (right(w(labels.col_max, 5)), false, 3),
        (right(w(labels.col_self, 5)), false, 0),
        (right(w(labels.col_proposal, 5)), false, 0),
        (right(w(labels.col_council, 5)), false, 0),
        (right(w(labels.col_delta, 6)), false, 0),
        (left(w(labels.col_status, 10)), false, 1),
        (right(w(labels.col_evidence, 2)), false, 2),
    ];
    layout_columns(width.saturating_sub(1), &spec, 1, 20)
}

fn table(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let card = &state.scorecard;
    if card.unit >= state.session.units.len() {
        return;
    }
    let (cols, kept) = columns(state, area.width);
    let names = vec![
        labels.col_code,
        labels.col_title,
        labels.col_max,
        labels.col_self,
        labels.col_proposal,
        labels.col_council,
        labels.col_delta,
        labels.col_status,
        labels.col_evidence,
    ];
    let height = area.height.saturating_sub(1) as usize;
    let (offset, end) = window(card.selected, card.offset, height, card.rows.len());
    let rows = card.rows[offset..end]
        .iter()
        .map(|&id| keep(node_cells(state, theme, id), &kept))
        .collect();
    // With the focus in the detail pane, the selection stays visible but dimmed.
    let selected_style = match card.pane {
        Pane::Table => theme.selected,
        Pane::Detail => theme.selected.add_modifier(Modifier::DIM),
    };
    VisibleTable {
        cols: &cols,
        header: header_cells(names, &kept, theme),
        rows,
        selected: card.selected.checked_sub(offset),
        selected_style,
    }
    .render(area, buf);
}

/// The code cell: indented by level, ▾ / ▸ for an open / closed branch.
fn code_text(state: &AppState, id: NodeId, node: &Node) -> String {
    let level = node.code().depth().saturating_sub(1);
    let marker = if node.is_leaf() {
        " "
    } else if state.scorecard.expanded.get(id).copied().unwrap_or(false) {
        "▾"
    } else {
        "▸"
    };
    format!("{}{marker}{}", "  ".repeat(level), node.code())
}

fn node_cells(state: &AppState, theme: &Theme, id: NodeId) -> Vec<Cell> {
    let node = state.session.framework.node(id);
    let code = code_text(state, id, node);
    match node.leaf_index {
        Some(leaf) => {
            let item = &state.session.unit_items(state.scorecard.unit)[leaf];
            leaf_cells(state, theme, node, item, code)
        }
        None => branch_cells(state, theme, id, node, code),
    }
}

fn leaf_cells(
    state: &AppState,
    theme: &Theme,
    node: &Node,
    item: &ItemState,
    code: String,
) -> Vec<Cell> {
    let numbers = state.numbers();
    let labels = state.labels();
    let status = item.status();
    let delta = item.delta();
    // Marked in text, not only colour: ✎ changed by the unit's resubmission, ↻ decided on a
    // self-score that has changed since (review it).
    let (status_text, status_look) = if item.decision_stale {
        (labels.status_review.to_string(), theme.disputed)
    } else {
        (
            labels.status(status).to_string(),
            status_style(theme, status),
        )
    };
    let title = if item.changed_in_resubmission {
        format!("✎ {}", node.def.title)
    } else {
        node.def.title.clone()
    };
    vec![
        (code, theme.base),
        (title, theme.base),
        (numbers.points(node.def.max_points), theme.muted),
        (opt(item.self_score, numbers), theme.base),
        (opt(item.proposal, numbers), theme.base),
        (opt(item.council, numbers), theme.title),
        (delta_text(delta, numbers), delta_style(theme, delta)),
        (status_text, status_look),
        (item.evidence_count.to_string(), theme.muted),
    ]
}

/// A branch's roll-ups, and how many of its leaves need the council.
fn branch_cells(
    state: &AppState,
    theme: &Theme,
    id: NodeId,
    node: &Node,
    code: String,
) -> Vec<Cell> {
    let numbers = state.numbers();
    let card = &state.scorecard;
    let totals = card.totals.get(id).copied().unwrap_or_default();
    let delta = totals.delta();
    let disputed = card.disputed.get(id).copied().unwrap_or(0);
    let status = if disputed > 0 {
        format!("{disputed} {}", state.labels().disputed_short)
    } else {
        String::new()
    };
    vec![
        (code, theme.title),
        (node.def.title.clone(), theme.title),
        (numbers.points(node.def.max_points), theme.muted),
        (numbers.points(totals.self_total), theme.title),
        (numbers.points(totals.proposed_total), theme.title),
        (numbers.points(totals.appraised_total), theme.title),
        (delta_text(delta, numbers), delta_style(theme, delta)),
        (status, theme.disputed),
        (String::new(), theme.base),
    ]
}

/// The lines of an item's detail: rule, notes, evidence, proposal note, history.
pub(crate) fn detail_lines<'a>(
    state: &'a AppState,
    theme: &Theme,
    unit: usize,
    leaf: usize,
) -> Vec<Line<'a>> {
    let labels = state.labels();
    let node = state.session.framework.leaf(leaf);
    let item = state.session.item(unit, leaf);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", node.code()), theme.title),
            Span::styled(node.def.title.clone(), theme.title),
        ]),
        figures_line(state, theme, node, item),
    ];
    if item.changed_in_resubmission {
        lines.push(Line::styled(labels.changed_in_resubmission, theme.disputed));
    }
    if item.decision_stale {
        lines.push(Line::styled(labels.decision_stale, theme.disputed));
    }
    lines.push(Line::styled(labels.rule, theme.header));
    lines.push(Line::raw(if node.def.rule.trim().is_empty() {
        labels.none.to_string()
    } else {
        node.def.rule.clone()
    }));
    match state.detail_of(unit, leaf) {
        None => lines.push(Line::styled(labels.loading, theme.muted)),
        Some(detail) => {
            notes_lines(state, theme, detail, &mut lines);
            history_lines(state, theme, detail, unit, item, &mut lines);
        }
    }
    lines
}

/// "Tối đa 2 · Tự chấm 2 · Đề xuất 1 · Hội đồng — ▼ 1 · tranh chấp".
fn figures_line<'a>(state: &AppState, theme: &Theme, node: &Node, item: &ItemState) -> Line<'a> {
    let numbers = state.numbers();
    let labels = state.labels();
    let or_none = |score: Option<rust_decimal::Decimal>| {
        score
            .map(|p| numbers.points(p))
            .unwrap_or_else(|| labels.none.into())
    };
    let delta = item.delta();
    Line::from(vec![
        Span::styled(
            format!("{} {}", labels.col_max, numbers.points(node.def.max_points)),
            theme.muted,
        ),
        Span::raw(" · "),
        Span::raw(format!(
            "{} {}",
            labels.col_self,
            opt(item.self_score, numbers)
        )),
        Span::raw(" · "),
        Span::raw(format!(
            "{} {}",
            labels.col_proposal,
            or_none(item.proposal)
        )),
        Span::raw(" · "),
        Span::styled(
            format!("{} {}", labels.col_council, or_none(item.council)),
            theme.title,
        ),
        Span::raw(" "),
        Span::styled(delta_text(delta, numbers), delta_style(theme, delta)),
        Span::raw(" · "),
        Span::styled(
            labels.status(item.status()),
            status_style(theme, item.status()),
        ),
    ])
}

/// The unit's note, its evidence and the working group's note.
fn notes_lines(state: &AppState, theme: &Theme, detail: &ItemDetail, lines: &mut Vec<Line>) {
    let labels = state.labels();
    let or_none = |text: &str| {
        if text.trim().is_empty() {
            labels.none.to_string()
        } else {
            text.to_string()
        }
    };
    lines.push(Line::styled(labels.unit_note, theme.header));
    for l in or_none(&detail.note).lines() {
        lines.push(Line::raw(l.to_string()));
    }
    lines.push(Line::styled(
        format!("{} ({})", labels.evidence, detail.evidence.len()),
        theme.header,
    ));
    for e in &detail.evidence {
        let mut text = format!("• {}", e.reference);
        if !e.title.is_empty() {
            text.push_str(&format!(" — {}", e.title));
        }
        if !e.location.is_empty() {
            text.push_str(&format!(" [{}]", e.location));
        }
        lines.push(Line::raw(text));
    }
    lines.push(Line::styled(labels.group_note, theme.header));
    for l in or_none(&detail.proposal_note).lines() {
        lines.push(Line::raw(l.to_string()));
    }
}

/// The whole story, newest first: submissions, proposal, flags, decisions, undos, redos.
fn history_lines(
    state: &AppState,
    theme: &Theme,
    detail: &ItemDetail,
    unit: usize,
    item: &ItemState,
    lines: &mut Vec<Line>,
) {
    let labels = state.labels();
    lines.push(Line::styled(labels.history, theme.header));
    if detail.log.is_empty() {
        lines.push(Line::styled(labels.no_history, theme.muted));
    }
    let unit_code = &state.session.units[unit].code;
    for entry in crate::app::history::timeline(detail, item, unit_code, labels) {
        let mark = if entry.in_force { "✓" } else { " " };
        let when = entry.when_in(state.zone);
        let when = if when.is_empty() {
            " ".repeat(16)
        } else {
            when
        };
        let what_style = match entry.kind {
            EventKind::Decide => theme.title,
            EventKind::Submission | EventKind::Proposal => theme.base,
            _ => theme.muted,
        };
        let mut spans = vec![
            Span::styled(format!("{mark} {when} "), theme.muted),
            Span::styled(format!("{} ", entry.who), theme.info),
            Span::styled(entry.what, what_style),
        ];
        if !entry.why.is_empty() {
            spans.push(Span::raw(format!(" — {}", entry.why)));
        }
        lines.push(Line::from(spans));
    }
}

pub(crate) fn detail_pane(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let labels = state.labels();
    let focused = state.scorecard.pane == Pane::Detail;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focus_border
        } else {
            theme.border
        })
        .title(Span::styled(format!(" {} ", labels.detail), theme.header));
    let lines = match state.current_item() {
        Some((unit, leaf)) => detail_lines(state, theme, unit, leaf),
        None => vec![Line::styled(labels.select_leaf, theme.muted)],
    };
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((
            state.scorecard.detail_scroll.min(u16::MAX as usize) as u16,
            0,
        ))
        .render(area, buf);
}
