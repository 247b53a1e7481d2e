//! Writing the appraised result set: `results`, `summary` and `ranking`, as CSV or JSON.
//!
//! The column names and their order are a contract with the people who open these files.
//! CSV files are UTF-8 (with a BOM by default, so that spreadsheets read Vietnamese right),
//! comma-separated, CRLF-terminated (RFC 4180), decimals with a dot. Text cells that a
//! spreadsheet would run as a formula are neutralised with a leading `'`; numbers never are.
//! JSON files hold arrays of objects with the same keys; scores and percentages are strings
//! ("6.5") so that no reader turns them into binary floating point, ranks are integers and an
//! absent score is `null`. JSON carries the texts unaltered and never a BOM (RFC 8259).
//!
//! Files are written atomically (temporary file in the same folder, fsync, rename), and an
//! existing file is never replaced without `force`: every target is checked before any is
//! written.

use crate::domain::rollup::{all_node_totals, standings};
use crate::domain::score::round_half_up;
use crate::domain::time::Zone;
use crate::domain::{
    Bands, CriterionDef, ItemTexts, RankMode, Session, Source, Status, Totals, Unit,
};
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Columns of `results.csv`, in order.
pub const RESULT_COLUMNS: [&str; 17] = [
    "unit_code",
    "unit_name",
    "group",
    "criterion_code",
    "criterion_title",
    "max_points",
    "self_score",
    "proposed_score",
    "council_score",
    "delta",
    "source",
    "status",
    "reason",
    "decided_by",
    "decided_login",
    "decided_at",
    "evidence",
];

/// Columns of `summary.csv`, in order.
pub const SUMMARY_COLUMNS: [&str; 10] = [
    "unit_code",
    "unit_name",
    "group",
    "field_code",
    "field_title",
    "max_points",
    "self_total",
    "council_total",
    "delta",
    "index_pct",
];

/// Columns of `ranking.csv`, in order.
pub const RANKING_COLUMNS: [&str; 11] = [
    "unit_code",
    "unit_name",
    "group",
    "max_points",
    "self_total",
    "council_total",
    "delta",
    "index_pct",
    "rank",
    "group_rank",
    "band",
];

/// Separator between evidence references in one cell.
pub const EVIDENCE_SEPARATOR: &str = "; ";

/// One item of a `; `-separated list: a reference that holds a `;` itself (or starts with a
/// quote) is put in double quotes, its own quotes doubled, so that it reads back as one.
fn push_list_item(text: &mut String, item: &str) {
    if !item.contains(';') && !item.starts_with('"') {
        text.push_str(item);
        return;
    }
    text.push('"');
    text.push_str(&item.replace('"', "\"\""));
    text.push('"');
}

/// The references of an exported `evidence` cell, as [`push_list_item`] wrote them.
pub fn split_evidence(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut rest = cell;
    while !rest.is_empty() {
        let (item, after) = match rest.strip_prefix('"') {
            Some(quoted) => take_quoted(quoted),
            None => match rest.find(EVIDENCE_SEPARATOR) {
                Some(end) => (rest[..end].to_string(), &rest[end..]),
                None => (rest.to_string(), ""),
            },
        };
        items.push(item);
        rest = after.strip_prefix(EVIDENCE_SEPARATOR).unwrap_or(after);
    }
    items
}

/// A quoted item (its opening quote already taken) and what follows its closing quote.
fn take_quoted(quoted: &str) -> (String, &str) {
    let mut item = String::new();
    let mut chars = quoted.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            item.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            item.push('"');
            chars.next();
        } else {
            return (item, &quoted[i + 1..]);
        }
    }
    (item, "")
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const WRITE_BUFFER: usize = 1 << 16;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    #[default]
    Csv,
    /// CSV that a Vietnamese-locale spreadsheet opens as numbers: `;` between columns and a
    /// decimal comma in numbers, always with a BOM (`--excel-vi`).
    CsvExcelVi,
    Json,
    /// One workbook, `ket-qua.xlsx` (see [`crate::io::xlsx`]).
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvExcelVi => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The workbook an xlsx export writes.
pub const WORKBOOK_FILE: &str = "ket-qua.xlsx";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub out_dir: PathBuf,
    pub format: ExportFormat,
    /// Start CSV files with a UTF-8 byte order mark (ignored for JSON).
    pub bom: bool,
    /// Replace existing files.
    pub force: bool,
    pub rank_mode: RankMode,
    pub bands: Bands,
    /// The zone times are written in (ISO 8601 with the offset); the machine's by default.
    pub zone: Zone,
    /// Which units get a sheet of their own in the workbook (xlsx only).
    pub unit_sheets: crate::io::xlsx::UnitSheets,
    /// The heading and signers of the workbook's sheets (the session's settings).
    pub letterhead: crate::domain::settings::Letterhead,
}

impl ExportOptions {
    /// CSV with a BOM, no overwriting, competition ranks, default bands.
    pub fn new(out_dir: impl Into<PathBuf>) -> ExportOptions {
        ExportOptions {
            out_dir: out_dir.into(),
            format: ExportFormat::Csv,
            bom: true,
            force: false,
            rank_mode: RankMode::default(),
            bands: Bands::default(),
            zone: Zone::default(),
            unit_sheets: crate::io::xlsx::UnitSheets::default(),
            letterhead: crate::domain::settings::Letterhead::default(),
        }
    }

    /// The files an export writes, in the order written.
    pub fn target_paths(&self) -> Vec<PathBuf> {
        if self.format == ExportFormat::Xlsx {
            return vec![self.out_dir.join(WORKBOOK_FILE)];
        }
        let ext = self.format.extension();
        ["results", "summary", "ranking"]
            .iter()
            .map(|stem| self.out_dir.join(format!("{stem}.{ext}")))
            .collect()
    }

    /// The target files that exist already: an export without `force` refuses if any do.
    /// Lets a screen ask for confirmation before exporting with `force`.
    pub fn existing_targets(&self) -> Vec<PathBuf> {
        self.target_paths()
            .into_iter()
            .filter(|p| fs::symlink_metadata(p).is_ok())
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    WouldOverwrite {
        paths: Vec<PathBuf>,
    },
    Io {
        path: PathBuf,
        action: FileAction,
        #[source]
        source: io::Error,
    },
    TextsMismatch {
        texts: usize,
        items: usize,
    },
}

/// What an export was doing with a file when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    Read,
    Create,
    CreateFolder,
    /// A temporary file for the target, written and then renamed into place.
    CreateTemporary,
    Write,
    Sync,
    Replace,
}

pub(crate) fn io_error<'p>(
    path: &'p Path,
    action: FileAction,
) -> impl FnOnce(io::Error) -> ExportError + 'p {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

// ---------------------------------------------------------------------------------------------
// Records

/// One row of `results`: a unit × leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord<'a> {
    pub unit: &'a Unit,
    pub leaf_index: usize,
    pub criterion: &'a CriterionDef,
    /// None: the unit submitted no score (the cell is empty).
    pub self_score: Option<Decimal>,
    /// None: the working group made no proposal.
    pub proposed_score: Option<Decimal>,
    /// The appraised score: council decision, else proposal, else self-score.
    pub council_score: Decimal,
    /// Appraised minus self.
    pub delta: Decimal,
    pub source: Source,
    pub status: Status,
    pub texts: &'a ItemTexts,
}

/// One row of `summary`: a unit × field (top-level node).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRecord<'a> {
    pub unit: &'a Unit,
    pub field: &'a CriterionDef,
    pub totals: Totals,
    pub index_pct: Decimal,
}

/// One row of `ranking`: a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingRecord<'a> {
    pub unit: &'a Unit,
    pub totals: Totals,
    pub index_pct: Decimal,
    pub rank: u32,
    pub group_rank: u32,
    pub band: String,
}

static NO_TEXTS: ItemTexts = ItemTexts {
    reason: String::new(),
    decided_by: String::new(),
    decided_login: String::new(),
    decided_at: String::new(),
    evidence_refs: Vec::new(),
};

/// Every unit × leaf, units in session order, leaves in framework order. `texts` is laid out
/// like `session.items`; items without texts (e.g. `texts` empty) get empty texts.
pub fn result_records<'a>(
    session: &'a Session,
    texts: &'a [ItemTexts],
) -> impl Iterator<Item = ResultRecord<'a>> + 'a {
    let leaf_count = session.leaf_count();
    session.items.iter().enumerate().map(move |(i, item)| {
        let (unit_index, leaf_index) = (i / leaf_count, i % leaf_count);
        let (council_score, source) = item.appraised();
        ResultRecord {
            unit: &session.units[unit_index],
            leaf_index,
            criterion: &session.framework.leaf(leaf_index).def,
            self_score: item.self_score,
            proposed_score: item.proposal,
            council_score,
            delta: council_score - item.self_points(),
            source,
            status: item.status(),
            texts: texts.get(i).unwrap_or(&NO_TEXTS),
        }
    })
}

/// Every unit × field, units in session order, fields in framework order.
pub fn summary_records(session: &Session) -> Vec<SummaryRecord<'_>> {
    let framework = &session.framework;
    let roots = framework.roots();
    let mut records = Vec::with_capacity(session.units.len() * roots.len());
    for (u, unit) in session.units.iter().enumerate() {
        let totals = all_node_totals(framework, session.unit_items(u));
        for &root in roots {
            let field_totals = totals[root];
            records.push(SummaryRecord {
                unit,
                field: &framework.node(root).def,
                totals: field_totals,
                index_pct: field_totals.index_pct(),
            });
        }
    }
    records
}

/// Every unit with its totals, ranks and band; ordered by overall rank, ties in session order.
pub fn ranking_records<'a>(
    session: &'a Session,
    mode: RankMode,
    bands: &Bands,
) -> Vec<RankingRecord<'a>> {
    let mut table = standings(session, mode, bands);
    // A stable sort keeps tied units in session order.
    table.sort_by_key(|s| s.rank);
    table
        .into_iter()
        .map(|s| RankingRecord {
            unit: &session.units[s.unit],
            totals: s.totals,
            index_pct: s.index_pct,
            rank: s.rank,
            group_rank: s.group_rank,
            band: s.band,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cells: one row's values in a reused buffer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Text,
    /// A decimal, written with a dot; a string in JSON.
    Decimal,
    /// A whole number that JSON may carry as a number (ranks).
    Integer,
    /// No value: an empty CSV cell, JSON null.
    Absent,
}

/// The cells of one row, stored end to end in one string to avoid allocating per cell.
struct Cells {
    text: String,
    ends: Vec<(usize, CellKind)>,
    /// CSV: prefix formula-like text with `'`.
    neutralise: bool,
}

/// Whether a spreadsheet would treat a cell starting like this as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

impl Cells {
    fn new(neutralise: bool) -> Cells {
        Cells {
            text: String::with_capacity(512),
            ends: Vec::with_capacity(32),
            neutralise,
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn end(&mut self, kind: CellKind) {
        self.ends.push((self.text.len(), kind));
    }

    fn text(&mut self, value: &str) {
        if self.neutralise && looks_like_formula(value) {
            self.text.push('\'');
        }
        self.text.push_str(value);
        self.end(CellKind::Text);
    }

    fn joined(&mut self, parts: &[String], separator: &str) {
        if self.neutralise && parts.first().is_some_and(|p| looks_like_formula(p)) {
            self.text.push('\'');
        }
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.text.push_str(separator);
            }
            push_list_item(&mut self.text, part);
        }
        self.end(CellKind::Text);
    }

    /// Same text as [`crate::domain::format_dot`], without allocating.
    fn decimal(&mut self, value: Decimal) {
        if value.is_zero() {
            self.text.push('0');
        } else {
            // Writing into a String cannot fail.
            let _ = write!(self.text, "{}", value.normalize());
        }
        self.end(CellKind::Decimal);
    }

    fn optional_decimal(&mut self, value: Option<Decimal>) {
        match value {
            Some(v) => self.decimal(v),
            None => self.end(CellKind::Absent),
        }
    }

    /// Same text as [`crate::domain::score::format_pct_dot`]: always two decimals.
    fn percentage(&mut self, value: Decimal) {
        let mut rounded = round_half_up(value, 2);
        rounded.rescale(2);
        let _ = write!(self.text, "{rounded}");
        self.end(CellKind::Decimal);
    }

    fn integer(&mut self, value: u32) {
        let _ = write!(self.text, "{value}");
        self.end(CellKind::Integer);
    }

    /// The unit's code, name and group.
    fn unit(&mut self, unit: &Unit) {
        self.text(&unit.code);
        self.text(&unit.name);
        self.text(&unit.group);
    }

    /// Maximum, self, appraised, delta and index of a set of totals.
    fn totals(&mut self, totals: &Totals, index_pct: Decimal) {
        self.decimal(totals.max);
        self.decimal(totals.self_total);
        self.decimal(totals.appraised_total);
        self.decimal(totals.delta());
        self.percentage(index_pct);
    }

    fn iter(&self) -> impl Iterator<Item = (&str, CellKind)> {
        let mut start = 0;
        self.ends.iter().map(move |&(end, kind)| {
            let cell = &self.text[start..end];
            start = end;
            (cell, kind)
        })
    }
}

/// Where rows go: a CSV or a JSON file.
trait RowSink {
    fn row(&mut self, cells: &Cells) -> io::Result<()>;
    fn finish(self) -> io::Result<()>;
}

struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
    /// Numbers with a decimal comma (the `;`-separated Vietnamese dialect).
    decimal_comma: bool,
    /// A number's cell with its dot turned into a comma, reused.
    number: String,
}

impl<W: Write> CsvSink<W> {
    fn start(mut out: W, columns: &[&str], bom: bool, excel_vi: bool) -> io::Result<CsvSink<W>> {
        if bom {
            out.write_all(UTF8_BOM)?;
        }
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if excel_vi { b';' } else { b',' })
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(WRITE_BUFFER)
            .from_writer(out);
        writer.write_record(columns)?;
        Ok(CsvSink {
            writer,
            decimal_comma: excel_vi,
            number: String::new(),
        })
    }
}

impl<W: Write> RowSink for CsvSink<W> {
    fn row(&mut self, cells: &Cells) -> io::Result<()> {
        if !self.decimal_comma {
            self.writer
                .write_record(cells.iter().map(|(cell, _)| cell.as_bytes()))?;
            return Ok(());
        }
        for (cell, kind) in cells.iter() {
            if kind == CellKind::Decimal {
                self.number.clear();
                self.number
                    .extend(cell.chars().map(|c| if c == '.' { ',' } else { c }));
                self.writer.write_field(self.number.as_bytes())?;
            } else {
                self.writer.write_field(cell.as_bytes())?;
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }
    fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

struct JsonSink<W: Write> {
    out: BufWriter<W>,
    /// `"key":` for each column, escaped once.
    keys: Vec<String>,
    rows: usize,
}

impl<W: Write> JsonSink<W> {
    fn start(out: W, columns: &[&str]) -> io::Result<JsonSink<W>> {
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, out);
        out.write_all(b"[")?;
        let keys = columns
            .iter()
            .map(|c| serde_json::to_string(c).map(|k| format!("{k}:")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(JsonSink { out, keys, rows: 0 })
    }
}

impl<W: Write> RowSink for JsonSink<W> {
    fn row(&mut self, cells: &Cells) -> io::Result<()> {
        // One object per line keeps big files readable and diffable.
        self.out
            .write_all(if self.rows == 0 { b"\n{" } else { b",\n{" })?;
        self.rows += 1;
        for (i, ((cell, kind), key)) in cells.iter().zip(&self.keys).enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(key.as_bytes())?;
            match kind {
                CellKind::Text | CellKind::Decimal => serde_json::to_writer(&mut self.out, cell)?,
                CellKind::Integer => self.out.write_all(cell.as_bytes())?,
                CellKind::Absent => self.out.write_all(b"null")?,
            }
        }
        self.out.write_all(b"}")
    }
    fn finish(mut self) -> io::Result<()> {
        self.out.write_all(b"\n]\n")?;
        self.out.flush()
    }
}

fn with_sink<W: Write>(
    out: W,
    format: ExportFormat,
    bom: bool,
    columns: &[&str],
    rows: impl FnOnce(&mut dyn FnMut(&Cells) -> io::Result<()>, &mut Cells) -> io::Result<()>,
) -> io::Result<()> {
    match format {
        ExportFormat::Csv | ExportFormat::CsvExcelVi => {
            // A Vietnamese spreadsheet needs the BOM to read UTF-8 at all.
            let excel_vi = format == ExportFormat::CsvExcelVi;
            let mut sink = CsvSink::start(out, columns, bom || excel_vi, excel_vi)?;
            rows(&mut |cells| sink.row(cells), &mut Cells::new(true))?;
            sink.finish()
        }
        ExportFormat::Json => {
            let mut sink = JsonSink::start(out, columns)?;
            rows(&mut |cells| sink.row(cells), &mut Cells::new(false))?;
            sink.finish()
        }
        ExportFormat::Xlsx => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "a workbook is written whole by io::xlsx, not row by row",
        )),
    }
}

/// Writes `results` (one row per unit × leaf) to any writer, times in the machine's zone.
pub fn write_results<W: Write>(
    out: W,
    session: &Session,
    texts: &[ItemTexts],
    format: ExportFormat,
    bom: bool,
) -> io::Result<()> {
    write_results_in(out, session, texts, format, bom, Zone::Local)
}

/// [`write_results`] with the times (`decided_at`) written in `zone`.
pub fn write_results_in<W: Write>(
    out: W,
    session: &Session,
    texts: &[ItemTexts],
    format: ExportFormat,
    bom: bool,
    zone: Zone,
) -> io::Result<()> {
    // Per-leaf cells are the same for every unit: format them once.
    let leaf_codes: Vec<String> = session
        .framework
        .leaves()
        .iter()
        .map(|&id| session.framework.node(id).code().to_string())
        .collect();
    with_sink(out, format, bom, &RESULT_COLUMNS, |emit, cells| {
        for record in result_records(session, texts) {
            cells.clear();
            cells.unit(record.unit);
            cells.text(&leaf_codes[record.leaf_index]);
            cells.text(&record.criterion.title);
            cells.decimal(record.criterion.max_points);
            cells.optional_decimal(record.self_score);
            cells.optional_decimal(record.proposed_score);
            cells.decimal(record.council_score);
            cells.decimal(record.delta);
            cells.text(record.source.as_str());
            cells.text(record.status.as_str());
            cells.text(&record.texts.reason);
            cells.text(&record.texts.decided_by);
            cells.text(&record.texts.decided_login);
            cells.text(&zone.iso(&record.texts.decided_at));
            cells.joined(&record.texts.evidence_refs, EVIDENCE_SEPARATOR);
            emit(cells)?;
        }
        Ok(())
    })
}

/// Writes `summary` (one row per unit × field) to any writer.
pub fn write_summary<W: Write>(
    out: W,
    session: &Session,
    format: ExportFormat,
    bom: bool,
) -> io::Result<()> {
    let records = summary_records(session);
    with_sink(out, format, bom, &SUMMARY_COLUMNS, |emit, cells| {
        for record in &records {
            cells.clear();
            cells.unit(record.unit);
            cells.text(&record.field.code.to_string());
            cells.text(&record.field.title);
            cells.totals(&record.totals, record.index_pct);
            emit(cells)?;
        }
        Ok(())
    })
}

/// Writes `ranking` (one row per unit, by rank) to any writer.
pub fn write_ranking<W: Write>(
    out: W,
    session: &Session,
    mode: RankMode,
    bands: &Bands,
    format: ExportFormat,
    bom: bool,
) -> io::Result<()> {
    let records = ranking_records(session, mode, bands);
    with_sink(out, format, bom, &RANKING_COLUMNS, |emit, cells| {
        for record in &records {
            cells.clear();
            cells.unit(record.unit);
            cells.totals(&record.totals, record.index_pct);
            cells.integer(record.rank);
            cells.integer(record.group_rank);
            cells.text(&record.band);
            emit(cells)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Files

/// Writes results, summary and ranking into `opts.out_dir` (created if missing); returns the
/// paths written. Without `force`, refuses before writing anything if any target exists.
/// All three files are written to temporary files first and renamed into place only when all
/// three are complete, so a failure leaves no half-written export behind.
pub fn export_session(
    session: &Session,
    texts: &[ItemTexts],
    opts: &ExportOptions,
) -> Result<Vec<PathBuf>, ExportError> {
    export_session_with_notes(session, texts, &mut |_| Ok(Vec::new()), opts)
}

/// The units' own notes, one unit at a time (leaf order): the workbook's unit sheets show
/// them, and a session's notes are too many to hold at once.
pub type UnitNotes<'a> = dyn FnMut(usize) -> Result<Vec<String>, String> + 'a;

/// [`export_session`] with the units' notes for the workbook's unit sheets.
pub fn export_session_with_notes(
    session: &Session,
    texts: &[ItemTexts],
    notes: &mut UnitNotes<'_>,
    opts: &ExportOptions,
) -> Result<Vec<PathBuf>, ExportError> {
    if !texts.is_empty() && texts.len() != session.items.len() {
        return Err(ExportError::TextsMismatch {
            texts: texts.len(),
            items: session.items.len(),
        });
    }
    if !opts.force {
        let existing = opts.existing_targets();
        if !existing.is_empty() {
            return Err(ExportError::WouldOverwrite { paths: existing });
        }
    }
    fs::create_dir_all(&opts.out_dir).map_err(io_error(&opts.out_dir, FileAction::CreateFolder))?;
    let targets = opts.target_paths();
    if opts.format == ExportFormat::Xlsx {
        let data = crate::io::xlsx::WorkbookData {
            session,
            texts,
            notes,
        };
        crate::io::xlsx::write_workbook_file(&targets[0], data, opts)?;
        sync_folder(&opts.out_dir);
        return Ok(targets);
    }
    let (format, bom) = (opts.format, opts.bom);
    let results = PendingFile::write(&targets[0], |f| {
        write_results_in(f, session, texts, format, bom, opts.zone)
    })?;
    let summary = PendingFile::write(&targets[1], |f| write_summary(f, session, format, bom))?;
    let ranking = PendingFile::write(&targets[2], |f| {
        write_ranking(f, session, opts.rank_mode, &opts.bands, format, bom)
    })?;
    for pending in [results, summary, ranking] {
        pending.commit(opts.force)?;
    }
    sync_folder(&opts.out_dir);
    Ok(targets)
}

/// Writes one file atomically: into a temporary file in the same folder, fsync, rename.
/// Without `force`, an existing file is left as it was and the error names it.
/// `write` gets the temporary file; buffer inside it if you write in small pieces.
pub fn write_atomically<F>(path: &Path, force: bool, write: F) -> Result<(), ExportError>
where
    F: FnOnce(&mut File) -> io::Result<()>,
{
    if !force && fs::symlink_metadata(path).is_ok() {
        return Err(ExportError::WouldOverwrite {
            paths: vec![path.to_path_buf()],
        });
    }
    PendingFile::write(path, write)?.commit(force)?;
    sync_folder(parent_folder(path));
    Ok(())
}

fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes the renames durable. Best effort: some systems cannot open a folder for syncing, and
/// the files themselves are already synced.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// A complete, synced temporary file waiting to be renamed onto its target. Dropped without
/// being committed, it removes itself.
pub(crate) struct PendingFile {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl PendingFile {
    pub(crate) fn write<F>(target: &Path, write: F) -> Result<PendingFile, ExportError>
    where
        F: FnOnce(&mut File) -> io::Result<()>,
    {
        let folder = parent_folder(target);
        let name = target
            .file_name()
            .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
        let (mut file, temp) = loop {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let temp = folder.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
            {
                Ok(file) => break (file, temp),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_error(target, FileAction::CreateTemporary)(e)),
            }
        };
        let pending = PendingFile {
            temp,
            target: target.to_path_buf(),
            committed: false,
        };
        write(&mut file).map_err(io_error(target, FileAction::Write))?;
        file.sync_all()
            .map_err(io_error(target, FileAction::Sync))?;
        Ok(pending)
    }

    pub(crate) fn commit(mut self, force: bool) -> Result<(), ExportError> {
        if force {
            fs::rename(&self.temp, &self.target)
                .map_err(io_error(&self.target, FileAction::Replace))?;
            self.committed = true;
            return Ok(());
        }
        // A hard link never replaces an existing file, so a file that appeared since the check
        // is still safe; where links are not supported, fall back to check-then-rename.
        match fs::hard_link(&self.temp, &self.target) {
            Ok(()) => {
                self.committed = true;
                // The target is complete; a leftover temporary name is only untidy.
                let _ = fs::remove_file(&self.temp);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(ExportError::WouldOverwrite {
                    paths: vec![self.target.clone()],
                })
            }
            Err(_) if fs::symlink_metadata(&self.target).is_ok() => {
                Err(ExportError::WouldOverwrite {
                    paths: vec![self.target.clone()],
                })
            }
            Err(_) => {
                fs::rename(&self.temp, &self.target)
                    .map_err(io_error(&self.target, FileAction::Create))?;
                self.committed = true;
                Ok(())
            }
        }
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::score::{format_dot, format_pct_dot};
    use proptest::prelude::*;

    fn evidence_cell(refs: &[String]) -> String {
        let mut cells = Cells::new(false);
        cells.joined(refs, EVIDENCE_SEPARATOR);
        cells.iter().map(|(c, _)| c.to_string()).collect()
    }

    #[test]
    fn a_ref_with_a_semicolon_is_quoted_and_reads_back_as_one() {
        let refs: Vec<String> = ["12; QĐ-UBND", "280/QĐ-UBND", "\"Q\" 5"]
            .map(String::from)
            .to_vec();
        let cell = evidence_cell(&refs);
        assert_eq!(cell, "\"12; QĐ-UBND\"; 280/QĐ-UBND; \"\"\"Q\"\" 5\"");
        assert_eq!(split_evidence(&cell), refs);
        assert_eq!(split_evidence("1/KH; 2/QĐ"), ["1/KH", "2/QĐ"]);
    }

    proptest! {
        #[test]
        fn evidence_cells_round_trip(refs in proptest::collection::vec("[a-c;\" /Đ]{1,8}", 1..5)) {
            // Refs are stored trimmed and never empty.
            let refs: Vec<String> = refs.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
            prop_assume!(!refs.is_empty());
            prop_assert_eq!(split_evidence(&evidence_cell(&refs)), refs);
        }
    }

    #[test]
    fn formula_like_text_is_neutralised_in_csv_only() {
        let mut csv_cells = Cells::new(true);
        let mut json_cells = Cells::new(false);
        for cells in [&mut csv_cells, &mut json_cells] {
            cells.text("=HYPERLINK(\"x\")");
            cells.text("-1");
            cells.text("Sở Nội vụ");
            cells.decimal(Decimal::new(-5, 1));
            cells.joined(&["@ref".into(), "b".into()], EVIDENCE_SEPARATOR);
            cells.end(CellKind::Absent);
        }
        let csv: Vec<&str> = csv_cells.iter().map(|(c, _)| c).collect();
        assert_eq!(
            csv,
            [
                "'=HYPERLINK(\"x\")",
                "'-1",
                "Sở Nội vụ",
                "-0.5",
                "'@ref; b",
                ""
            ]
        );
        let json: Vec<&str> = json_cells.iter().map(|(c, _)| c).collect();
        assert_eq!(
            json,
            [
                "=HYPERLINK(\"x\")",
                "-1",
                "Sở Nội vụ",
                "-0.5",
                "@ref; b",
                ""
            ]
        );
        for text in ["+1", "\tx", "\rx", "@a", "=1"] {
            assert!(looks_like_formula(text), "{text:?}");
        }
        for text in ["", "a=1", " =1", "1", "'=1"] {
            assert!(!looks_like_formula(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn cells_format_numbers_like_the_domain(units in -10_000_000i64..10_000_000, scale in 0u32..6) {
            let value = Decimal::new(units, scale);
            let mut cells = Cells::new(true);
            cells.decimal(value);
            cells.percentage(value);
            let texts: Vec<&str> = cells.iter().map(|(c, _)| c).collect();
            prop_assert_eq!(texts[0], format_dot(value));
            prop_assert_eq!(texts[1], format_pct_dot(value));
        }
    }
}

/// What manifest.json says about the finalised session beside the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestInfo {
    pub finalised_at: String,
    pub finalised_by: String,
    pub finalised_login: String,
    pub finalised_reason: String,
    pub decision_log_entries: i64,
    pub chain_head_sha256: String,
    pub session_id: String,
}

/// Writes manifest.json beside exported files: each file's SHA-256 and size, the session's id,
/// the chain's head hash and the options the files were exported with, so that the hand-over
/// can be checked later (`council verify --manifest`).
pub fn write_manifest(
    files: &[PathBuf],
    info: &ManifestInfo,
    opts: &ExportOptions,
) -> Result<PathBuf, ExportError> {
    let mut entries = Vec::new();
    for path in files {
        let bytes = fs::read(path).map_err(|source| ExportError::Io {
            path: path.clone(),
            action: FileAction::Read,
            source,
        })?;
        entries.push(serde_json::json!({
            "file": path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "sha256": crate::domain::chain::sha256_hex(&bytes),
            "bytes": bytes.len(),
        }));
    }
    // How the files were made, so that `council verify --manifest` can make them again.
    let export = serde_json::json!({
        "format": opts.format.extension(),
        "excel_vi": opts.format == ExportFormat::CsvExcelVi,
        "unit_sheets": opts.unit_sheets.as_str(),
        "bom": opts.bom,
        "rank_mode": match opts.rank_mode {
            RankMode::Competition => "competition",
            RankMode::Dense => "dense",
        },
        "bands": opts.bands.to_text(),
        // The offset the times were written with (seconds east of UTC).
        "utc_offset": match opts.zone {
            crate::domain::time::Zone::Fixed(offset) => offset.local_minus_utc(),
            crate::domain::time::Zone::Local => chrono::Local::now().offset().local_minus_utc(),
        },
    });
    let manifest = serde_json::json!({
        "session_id": info.session_id,
        "finalised_at": opts.zone.iso(&info.finalised_at),
        "finalised_by": info.finalised_by,
        "finalised_login": info.finalised_login,
        "finalised_reason": info.finalised_reason,
        "decision_log_entries": info.decision_log_entries,
        "chain_head_sha256": info.chain_head_sha256,
        "export": export,
        "files": entries,
    });
    let path = opts.out_dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    write_atomically(&path, opts.force, |file| file.write_all(text.as_bytes()))?;
    Ok(path)
}
