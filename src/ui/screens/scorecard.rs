//! One unit's scorecard: the criteria tree as a table, and the detail pane of the selected item
//! (rule, notes, evidence, the working group's note, the whole history).

use crate::app::history::EventKind;
use crate::app::view::{detail_height, scroll_offset, table_height, wide};
use crate::app::{AppState, Pane, Screen};
use crate::domain::format_vi;
use crate::ui::draw::{delta_style, delta_text, status_style};
use crate::ui::table::{draw_cells, draw_header, keep, layout_columns, left, opt, right, w};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

// ----- scorecard -----

pub(crate) fn render(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let full_height = area.height + 3;
    let (table_area, detail_area) = if wide(area.width) {
        let table_width = area.width * 3 / 5;
        (
            Rect::new(area.x, area.y, table_width, area.height),
            Rect::new(
                area.x + table_width + 1,
                area.y,
                area.width - table_width - 1,
                area.height,
            ),
        )
    } else {
        let detail = detail_height(full_height).min(area.height);
        (
            Rect::new(area.x, area.y, area.width, area.height - detail),
            Rect::new(area.x, area.y + area.height - detail, area.width, detail),
        )
    };
    scorecard_table(state, theme, table_area, full_height, buf);
    detail_pane(state, theme, detail_area, buf);
}

pub(crate) fn scorecard_table(
    state: &AppState,
    theme: &Theme,
    area: Rect,
    full_height: u16,
    buf: &mut Buffer,
) {
    let labels = state.labels();
    let session = &state.session;
    let fw = &session.framework;
    let card = &state.scorecard;
    if card.unit >= session.units.len() {
        return;
    }
    // Indent, marker and code of the widest node.
    let code_width = fw
        .nodes()
        .iter()
        .map(|n| (n.code().depth() - 1) * 2 + 2 + n.code().to_string().len())
        .max()
        .unwrap_or(4)
        .clamp(4, 16) as u16;
    let spec = vec![
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
    let (cols, kept) = layout_columns(area.width.saturating_sub(1), &spec, 1, 20);
    let header = vec![
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
    draw_header(buf, area, &cols, header, &kept, theme);

    let height = table_height(Screen::Scorecard, area.width.max(state.width), full_height)
        .min(area.height.saturating_sub(1) as usize);
    let offset = scroll_offset(card.selected, card.offset, height, card.rows.len());
    let end = (offset + height).min(card.rows.len());
    let items = session.unit_items(card.unit);
    for (i, &id) in card.rows[offset..end].iter().enumerate() {
        let y = area.y + 1 + i as u16;
        let node = fw.node(id);
        let level = node.code().depth().saturating_sub(1);
        let marker = if node.is_leaf() {
            " "
        } else if card.expanded.get(id).copied().unwrap_or(false) {
            "▾"
        } else {
            "▸"
        };
        let code = format!("{}{marker}{}", "  ".repeat(level), node.code());
        let selected = offset + i == card.selected;
        let row_style = if selected {
            Some(if card.pane == Pane::Table {
                theme.selected
            } else {
                theme.selected.add_modifier(ratatui::style::Modifier::DIM)
            })
        } else {
            None
        };
        let title_style = if node.is_leaf() {
            theme.base
        } else {
            theme.title
        };
        let cells = match node.leaf_index {
            Some(leaf) => {
                let item = &items[leaf];
                let status = item.status();
                let delta = item.delta();
                // Marked in text, not only colour: ✎ changed by the unit's resubmission,
                // ↻ decided on a self-score that has changed since (review it).
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
                    (title, title_style),
                    (format_vi(node.def.max_points), theme.muted),
                    (opt(item.self_score), theme.base),
                    (opt(item.proposal), theme.base),
                    (opt(item.council), theme.title),
                    (delta_text(delta), delta_style(theme, delta)),
                    (status_text, status_look),
                    (item.evidence_count.to_string(), theme.muted),
                ]
            }
            None => {
                let totals = card.totals.get(id).copied().unwrap_or_default();
                let delta = totals.delta();
                let disputed = card.disputed.get(id).copied().unwrap_or(0);
                let status = if disputed > 0 {
                    format!("{disputed} {}", labels.disputed_short)
                } else {
                    String::new()
                };
                vec![
                    (code, theme.title),
                    (node.def.title.clone(), title_style),
                    (format_vi(node.def.max_points), theme.muted),
                    (format_vi(totals.self_total), theme.title),
                    (format_vi(totals.proposed_total), theme.title),
                    (format_vi(totals.appraised_total), theme.title),
                    (delta_text(delta), delta_style(theme, delta)),
                    (status, theme.disputed),
                    (String::new(), theme.base),
                ]
            }
        };
        let cells = keep(cells, &kept);
        draw_cells(buf, area, y, &cols, &cells, row_style);
    }
}

/// The lines of an item's detail: rule, notes, evidence, proposal note, history.
pub(crate) fn detail_lines<'a>(
    state: &'a AppState,
    theme: &Theme,
    unit: usize,
    leaf: usize,
) -> Vec<Line<'a>> {
    let labels = state.labels();
    let session = &state.session;
    let node = session.framework.leaf(leaf);
    let item = session.item(unit, leaf);
    let mut lines = Vec::new();
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", node.code()), theme.title),
        Span::styled(node.def.title.clone(), theme.title),
    ]));
    let delta = item.delta();
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} {}", labels.col_max, format_vi(node.def.max_points)),
            theme.muted,
        ),
        Span::raw(" · "),
        Span::raw(format!("{} {}", labels.col_self, opt(item.self_score))),
        Span::raw(" · "),
        Span::raw(format!(
            "{} {}",
            labels.col_proposal,
            item.proposal
                .map(format_vi)
                .unwrap_or_else(|| labels.none.into())
        )),
        Span::raw(" · "),
        Span::styled(
            format!(
                "{} {}",
                labels.col_council,
                item.council
                    .map(format_vi)
                    .unwrap_or_else(|| labels.none.into())
            ),
            theme.title,
        ),
        Span::raw(" "),
        Span::styled(delta_text(delta), delta_style(theme, delta)),
        Span::raw(" · "),
        Span::styled(
            labels.status(item.status()),
            status_style(theme, item.status()),
        ),
    ]));
    if item.changed_in_resubmission {
        lines.push(Line::styled(labels.changed_in_resubmission, theme.disputed));
    }
    if item.decision_stale {
        lines.push(Line::styled(labels.decision_stale, theme.disputed));
    }
    let section = |title: &str| Line::styled(title.to_string(), theme.header);
    lines.push(section(labels.rule));
    lines.push(Line::raw(if node.def.rule.trim().is_empty() {
        labels.none.to_string()
    } else {
        node.def.rule.clone()
    }));
    let Some(detail) = state.detail_of(unit, leaf) else {
        lines.push(Line::styled(labels.loading, theme.muted));
        return lines;
    };
    let or_none = |text: &str| {
        if text.trim().is_empty() {
            labels.none.to_string()
        } else {
            text.to_string()
        }
    };
    lines.push(section(labels.unit_note));
    for l in or_none(&detail.note).lines() {
        lines.push(Line::raw(l.to_string()));
    }
    lines.push(section(&format!(
        "{} ({})",
        labels.evidence,
        detail.evidence.len()
    )));
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
    lines.push(section(labels.group_note));
    for l in or_none(&detail.proposal_note).lines() {
        lines.push(Line::raw(l.to_string()));
    }
    lines.push(section(labels.history));
    if detail.log.is_empty() {
        lines.push(Line::styled(labels.no_history, theme.muted));
    }
    // The whole story, newest first: submissions, proposal, flags, decisions, undos, redos.
    let unit_code = &session.units[unit].code;
    for entry in crate::app::history::timeline(detail, item, unit_code, labels) {
        let mark = if entry.in_force { "✓" } else { " " };
        let when = entry.when();
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
    lines
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
