//! The three screens: overview, unit scorecard (with its detail pane), criterion across units.

use super::overlays::put_row;
use super::theme::Theme;
use super::{Col, delta_style, delta_text, draw_cells, first_line, pct_style, put, status_style};
use crate::app::history::EventKind;
use crate::app::view::{OverviewRow, detail_height, scroll_offset, table_height, wide};
use crate::app::{AppState, Pane, Screen};
use crate::domain::format_vi;
use crate::domain::score::format_pct_vi;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

fn opt(points: Option<Decimal>) -> String {
    points.map(format_vi).unwrap_or_default()
}

/// Lays out columns: fixed ones as given, the flexible one takes what is left (at least
/// `min_flex`); optional columns are dropped, last first, until the flexible one fits.
/// Returns the columns and which of the requested ones were kept.
fn layout_columns(
    total: u16,
    cols: &[(Col, bool, u8)],
    flex_index: usize,
    min_flex: u16,
) -> (Vec<Col>, Vec<bool>) {
    // (column, flexible?, priority: 0 = always, higher = dropped sooner)

    // Width of the kept columns other than the flexible one, with their separators.
    let fixed_width = |kept: &[bool]| -> u16 {
        cols.iter()
            .zip(kept)
            .enumerate()
            .filter(|(i, (_, k))| **k && *i != flex_index)
            .map(|(_, ((c, _, _), _))| c.width + 1)
            .sum()
    };
    let mut kept: Vec<bool> = vec![true; cols.len()];
    loop {
        let fixed = fixed_width(&kept);
        if fixed + min_flex <= total {
            break;
        }
        let drop = cols
            .iter()
            .enumerate()
            .filter(|(i, (_, _, p))| kept[*i] && *p > 0)
            .max_by_key(|(i, (_, _, p))| (*p, *i))
            .map(|(i, _)| i);
        match drop {
            Some(i) => kept[i] = false,
            None => break,
        }
    }
    let fixed = fixed_width(&kept);
    let out = cols
        .iter()
        .zip(&kept)
        .enumerate()
        .filter(|(_, (_, k))| **k)
        .map(|(i, ((c, _, _), _))| {
            if i == flex_index {
                Col {
                    width: total.saturating_sub(fixed).max(1),
                    right: c.right,
                }
            } else {
                *c
            }
        })
        .collect();
    (out, kept)
}

fn keep<T>(items: Vec<T>, kept: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| **k)
        .map(|(t, _)| t)
        .collect()
}

/// Draws the header row of a table: the kept column names in the header style.
fn draw_header(
    buf: &mut Buffer,
    area: Rect,
    cols: &[Col],
    names: Vec<impl ToString>,
    kept: &[bool],
    theme: &Theme,
) {
    let header: Vec<(String, Style)> = keep(names, kept)
        .into_iter()
        .map(|name| (name.to_string(), theme.header))
        .collect();
    draw_cells(buf, area, area.y, cols, &header, None);
}

/// Width of the unit code column: the longest code (of the first 2000 units), within 3..=12.
/// The band column fits the session's band names (and "không xếp loại" where units can fall
/// below the last band), at least 4 cells.
fn band_width(state: &AppState) -> usize {
    let mut widest = state
        .bands
        .0
        .iter()
        .map(|(name, _)| name.width())
        .max()
        .unwrap_or(0);
    if state
        .bands
        .0
        .last()
        .is_some_and(|(_, threshold)| *threshold > rust_decimal::Decimal::ZERO)
    {
        widest = widest.max(crate::domain::rollup::UNCLASSIFIED.width());
    }
    widest.clamp(4, 14)
}

fn unit_code_width(state: &AppState) -> usize {
    state
        .session
        .units
        .iter()
        .take(2000)
        .map(|u| u.code.width())
        .max()
        .unwrap_or(4)
        .clamp(3, 12)
}

fn w(text: &str, at_least: usize) -> u16 {
    text.width().max(at_least) as u16
}

fn left(width: u16) -> Col {
    Col {
        width,
        right: false,
    }
}

fn right(width: u16) -> Col {
    Col { width, right: true }
}

// ----- overview -----

pub(crate) fn overview(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let session = &state.session;
    if session.units.is_empty() {
        put(
            buf,
            area,
            area.x + 1,
            area.y + 1,
            labels.empty_session,
            area.width,
            theme.muted,
        );
        return;
    }
    let code_width = unit_code_width(state);
    let fields = &state.stats.fields;
    let mut spec = vec![
        (right(w(labels.col_rank, 4)), false, 0),
        (left(w(labels.col_code, code_width)), false, 0),
        (left(20), true, 0),
        (right(w(labels.col_self, 6)), false, 3),
        (right(w(labels.col_appraised, 6)), false, 0),
        (right(w(labels.col_delta, 7)), false, 0),
        (right(w(labels.col_index, 6)), false, 0),
        (left(w(labels.col_band, band_width(state))), false, 1),
        (right(w(labels.col_progress, 9)), false, 2),
    ];
    let name_index = 2;
    for _ in fields {
        spec.push((right(6), false, 4));
    }
    // Fields come and go as a block: at most what fits beside a readable name.
    let base_width: u16 = spec[..9].iter().map(|(c, _, _)| c.width + 1).sum();
    let room_for_fields = area.width.saturating_sub(base_width + 24) / 7;
    let shown_fields = (room_for_fields as usize).min(fields.len());
    spec.truncate(9 + shown_fields);
    // The name column need not be much wider than the longest name: figures stay close to it.
    let longest_name = session
        .units
        .iter()
        .take(2000)
        .map(|u| u.name.width())
        .max()
        .unwrap_or(20) as u16;
    let fixed: u16 = spec
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != name_index)
        .map(|(_, (c, _, _))| c.width + 1)
        .sum();
    let table_width = area.width.min(fixed + longest_name.clamp(14, 60) + 1);
    let (cols, kept) = layout_columns(table_width.saturating_sub(1), &spec, name_index, 14);

    let mut header = vec![
        labels.col_rank.to_string(),
        labels.col_code.to_string(),
        labels.col_unit.to_string(),
        labels.col_self.to_string(),
        labels.col_appraised.to_string(),
        labels.col_delta.to_string(),
        labels.col_index.to_string(),
        labels.col_band.to_string(),
        labels.col_progress.to_string(),
    ];
    for &f in fields.iter().take(shown_fields) {
        header.push(session.framework.node(f).code().to_string());
    }
    draw_header(buf, area, &cols, header, &kept, theme);

    let height = table_height(Screen::Overview, area.width, area.height + 3);
    let rows = &state.overview.rows;
    let offset = scroll_offset(
        state.overview.selected,
        state.overview.offset,
        height,
        rows.len(),
    );
    let end = (offset + height).min(rows.len());
    for (i, row) in rows[offset..end].iter().enumerate() {
        let y = area.y + 1 + i as u16;
        let selected = offset + i == state.overview.selected;
        match *row {
            OverviewRow::Group(g) => {
                let name = state.stats.groups.get(g).map(String::as_str).unwrap_or("");
                let count = state
                    .stats
                    .group_of_unit
                    .iter()
                    .filter(|&&x| x == g)
                    .count();
                let text = format!("▸ {name} ({count} {})", labels.units_count);
                put_row(buf, area, y, &text, theme.group);
            }
            OverviewRow::Unit(u) => {
                let unit = &session.units[u];
                let s = &state.stats.units[u];
                let delta = s.totals.delta();
                let p = &s.progress;
                let mut cells = vec![
                    (s.rank.to_string(), theme.base),
                    (unit.code.clone(), theme.base),
                    (unit.name.clone(), theme.base),
                    (format_vi(s.totals.self_total), theme.base),
                    (format_vi(s.totals.appraised_total), theme.title),
                    (delta_text(delta), delta_style(theme, delta)),
                    (
                        format_pct_vi(s.index_pct),
                        pct_style(state, theme, s.index_pct),
                    ),
                    (s.band.clone(), pct_style(state, theme, s.index_pct)),
                    (
                        format!("{}/{}/{}", p.decided(), p.disputed, p.pending),
                        if p.disputed > 0 {
                            theme.disputed
                        } else {
                            theme.base
                        },
                    ),
                ];
                for pct in s.field_pcts.iter().take(shown_fields) {
                    cells.push((format_pct_vi(*pct), pct_style(state, theme, *pct)));
                }
                let cells = keep(cells, &kept);
                draw_cells(
                    buf,
                    area,
                    y,
                    &cols,
                    &cells,
                    selected.then_some(theme.selected),
                );
            }
        }
    }
}

// ----- scorecard -----

pub(crate) fn scorecard(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
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

fn scorecard_table(
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
    lines
}

fn detail_pane(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
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

// ----- criterion across units -----

pub(crate) fn compare(state: &AppState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = state.labels();
    let session = &state.session;
    let fw = &session.framework;
    let cmp = &state.compare;
    let node = fw.node(cmp.node);
    let title = format!(
        " {} {} · {} {}",
        node.code(),
        node.def.title,
        labels.col_max,
        format_vi(node.def.max_points)
    );
    put_row(buf, area, area.y, &title, theme.title);
    let spread = format!(
        " {}: {} {} · {} {} · {} {} · {} {}",
        labels.spread,
        labels.spread_min,
        format_vi(cmp.spread.min),
        labels.spread_max,
        format_vi(cmp.spread.max),
        labels.spread_mean,
        format_vi(cmp.spread.mean),
        cmp.rows.len(),
        labels.units_count
    );
    put_row(buf, area, area.y + 1, &spread, theme.info);
    let table = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(2),
    );
    let code_width = unit_code_width(state);
    let leaf = node.leaf_index;
    let council_label = if leaf.is_some() {
        labels.col_council
    } else {
        labels.col_appraised
    };
    let name_width = (table.width / 4).clamp(14, 36);
    let spec = vec![
        (left(w(labels.col_code, code_width)), false, 0),
        (left(name_width), false, 0),
        (right(w(labels.col_self, 5)), false, 0),
        (right(w(labels.col_proposal, 5)), false, 0),
        (right(w(council_label, 5)), false, 0),
        (right(w(labels.col_delta, 6)), false, 0),
        (left(w(labels.col_status, 10)), false, 2),
        (left(10), true, 1),
    ];
    let (cols, kept) = layout_columns(table.width.saturating_sub(1), &spec, 7, 10);
    let header = vec![
        labels.col_code,
        labels.col_unit,
        labels.col_self,
        labels.col_proposal,
        council_label,
        labels.col_delta,
        labels.col_status,
        labels.col_note,
    ];
    draw_header(buf, table, &cols, header, &kept, theme);
    let height = table_height(Screen::Compare, table.width, area.height + 3)
        .min(table.height.saturating_sub(1) as usize);
    let offset = scroll_offset(cmp.selected, cmp.offset, height, cmp.rows.len());
    let end = (offset + height).min(cmp.rows.len());
    for (i, row) in cmp.rows[offset..end].iter().enumerate() {
        let y = table.y + 1 + i as u16;
        let unit = &session.units[row.unit];
        let (status, status_style_) = match row.status {
            Some(s) => (labels.status(s).to_string(), status_style(theme, s)),
            None if row.disputed > 0 => (
                format!("{} {}", row.disputed, labels.disputed_short),
                theme.disputed,
            ),
            None => (String::new(), theme.base),
        };
        let note = leaf
            .and_then(|l| state.notes.get(&(row.unit, l)))
            .map(|n| first_line(n).to_string())
            .unwrap_or_default();
        let cells = vec![
            (unit.code.clone(), theme.base),
            (unit.name.clone(), theme.base),
            (format_vi(row.self_points), theme.base),
            (opt(row.proposal), theme.base),
            (opt(row.council), theme.title),
            (delta_text(row.delta), delta_style(theme, row.delta)),
            (status, status_style_),
            (note, theme.muted),
        ];
        let cells = keep(cells, &kept);
        let selected = offset + i == cmp.selected;
        draw_cells(
            buf,
            table,
            y,
            &cols,
            &cells,
            selected.then_some(theme.selected),
        );
    }
}
