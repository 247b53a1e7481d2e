//! `council-gen`: writes a synthetic but realistic PAR INDEX session folder (the CSV files that
//! `council import` reads), deterministically for a seed. Used for the bundled sample in
//! data/sample/, for tests of the importer (`--messy`) and for benchmarks (10,000 units).
#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use clap::Parser;
use council::domain::{
    Code, CriterionDef, CriterionKind, Framework, format_dot, format_vi, parse_score,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_normalization::UnicodeNormalization;

/// The bundled department-level criteria set, used when no --criteria file is given.
const BUNDLED_CRITERIA: &str = include_str!("../../data/sample/criteria.csv");

const GROUP_DEPARTMENTS: &str = "Sở, ban, ngành";
const GROUP_COMMUNES: &str = "Xã, phường";

/// The year the generated session appraises (document titles, dates in notes).
const YEAR: u32 = 2025;

#[derive(Debug, Parser)]
#[command(
    name = "council-gen",
    version,
    about = "Sinh dữ liệu phiên thẩm định Chỉ số CCHC mẫu (CSV) — generate a sample session folder",
    long_about = "Writes criteria.csv, units.csv, self_scores.csv, evidence.csv, proposals.csv and \
                  survey.csv into --out. The same arguments always give the same bytes."
)]
struct Args {
    /// Folder to write the session files into (created if missing; files are overwritten).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Number of units (about 60 % departments, 40 % communes).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
    units: u32,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Criteria file (criteria.csv format); defaults to the bundled data/sample/criteria.csv.
    #[arg(long, value_name = "FILE")]
    criteria: Option<PathBuf>,
    /// Write files that exercise the importer: BOM, CRLF, decimal commas, shuffled criteria,
    /// formula-like and decomposed (NFD) notes, and an extra penalty field.
    #[arg(long)]
    messy: bool,
    /// Average number of evidence rows per item (0 to 10, "1.5" or "1,5").
    #[arg(long, value_name = "X", default_value = "1.5", value_parser = parse_evidence_rate)]
    evidence_per_item: EvidenceRate,
}

/// Evidence rows per item, in thousandths.
#[derive(Debug, Clone, Copy)]
struct EvidenceRate(u64);

fn parse_evidence_rate(text: &str) -> Result<EvidenceRate, String> {
    let value = parse_score(text).map_err(|e| e.to_string())?;
    if value < Decimal::ZERO || value > Decimal::from(10) {
        return Err(format!("{text} is outside 0..10"));
    }
    let per_mille = (value * Decimal::from(1000))
        .trunc()
        .to_u64()
        .ok_or_else(|| format!("{text} is not a usable rate"))?;
    Ok(EvidenceRate(per_mille))
}

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with code 2.
    let args = Args::parse();
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("council-gen: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// splitmix64: tiny, fast and good enough for synthetic data; no dependency needed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    /// An independent stream for one purpose (e.g. one unit), so that a unit's data does not
    /// depend on how many units come before it.
    fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut mixer = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        mixer.0 ^= index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        mixer.next();
        mixer
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Rounds a quantity given in thousandths up or down at random, keeping its mean.
    fn round_per_mille(&mut self, thousandths: u64) -> u64 {
        thousandths / 1000 + u64::from(self.chance(thousandths % 1000))
    }
}

/// One scored leaf, with its step grid precomputed.
#[derive(Debug, Clone)]
struct Leaf {
    code: String,
    min: Decimal,
    step: Decimal,
    /// Number of steps from min to max.
    steps: u64,
    kind: CriterionKind,
    title: String,
    field_number: u32,
    field_title: String,
}

impl Leaf {
    fn points(&self, steps_above_min: u64) -> Decimal {
        self.min + self.step * Decimal::from(steps_above_min)
    }
}

#[derive(Debug, Clone)]
struct GenUnit {
    code: String,
    name: String,
    department: bool,
}

fn run(args: &Args) -> Result<String> {
    let (criteria_text, criteria_name) = match &args.criteria {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read criteria file {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (
            BUNDLED_CRITERIA.to_string(),
            "bundled criteria.csv".to_string(),
        ),
    };
    let mut defs = read_criteria(&criteria_text, &criteria_name)?;
    if args.messy {
        add_penalty_field(&mut defs)?;
    }
    let framework = Framework::build(defs.clone()).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{criteria_name}: {}", list.join("; "))
    })?;
    let leaves = leaves_of(&framework);

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let out = &args.out;

    if args.messy {
        write_messy_criteria(out, &defs, args.seed)?;
    } else {
        let path = out.join("criteria.csv");
        std::fs::write(&path, criteria_text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }

    let units = make_units(args.units);
    write_units(out, &units, args.messy)?;
    let mut counts = write_items(out, &units, &leaves, args)?;
    counts.survey = write_survey(out, &units, &leaves, args)?;

    Ok(format!(
        "council-gen: {} units × {} leaves → {}: {} self-scores, {} evidence rows, {} proposals ({} differ), {} survey scores",
        units.len(),
        leaves.len(),
        out.display(),
        counts.self_scores,
        counts.evidence,
        counts.proposals,
        counts.proposals_differing,
        counts.survey,
    ))
}

/// Reads criteria.csv rows into definitions, by column name.
fn read_criteria(text: &str, name: &str) -> Result<Vec<CriterionDef>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .with_context(|| format!("{name}: cannot read the header"))?
        .clone();
    let column = |wanted: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(wanted))
            .with_context(|| format!("{name}: no column '{wanted}'"))
    };
    let code_col = column("code")?;
    let title_col = column("title")?;
    let max_col = column("max_points")?;
    let min_col = column("min_points")?;
    let step_col = column("step")?;
    let kind_col = column("kind")?;
    let rule_col = column("rule")?;

    let mut defs = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{name}: malformed CSV"))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |index: usize| record.get(index).unwrap_or("").trim();
        let at = |what: &str| format!("{name}:{line}: {what}");
        let code = Code::parse(field(code_col)).with_context(|| at("bad code"))?;
        let max_points = parse_score(field(max_col)).with_context(|| at("bad max_points"))?;
        let min_points = if field(min_col).is_empty() {
            Decimal::ZERO
        } else {
            parse_score(field(min_col)).with_context(|| at("bad min_points"))?
        };
        let step = if field(step_col).is_empty() {
            None
        } else {
            Some(parse_score(field(step_col)).with_context(|| at("bad step"))?)
        };
        let Some(kind) = CriterionKind::parse(field(kind_col)) else {
            bail!(at(&format!("unknown kind '{}'", field(kind_col))));
        };
        defs.push(CriterionDef {
            code,
            title: field(title_col).to_string(),
            max_points,
            min_points,
            step,
            kind,
            rule: field(rule_col).to_string(),
        });
    }
    Ok(defs)
}

/// Appends a deduction field (điểm trừ) after the last field: outside the maximum, so every
/// parent's sum still holds.
fn add_penalty_field(defs: &mut Vec<CriterionDef>) -> Result<()> {
    let last_field = defs
        .iter()
        .filter(|d| d.code.depth() == 1)
        .filter_map(|d| d.code.to_string().parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let field_code = (last_field + 1).to_string();
    let rule = "Bị cấp có thẩm quyền phê bình, nhắc nhở về CCHC: trừ 0,5 điểm/lần, tối đa 2 điểm";
    for (code, title) in [
        (field_code.clone(), "Điểm trừ"),
        (
            format!("{field_code}.1"),
            "Bị phê bình, nhắc nhở về công tác cải cách hành chính",
        ),
    ] {
        defs.push(CriterionDef {
            code: Code::parse(&code).context("penalty field code")?,
            title: title.to_string(),
            max_points: Decimal::ZERO,
            min_points: Decimal::from(-2),
            step: Some(Decimal::new(5, 1)),
            kind: CriterionKind::Penalty,
            rule: rule.to_string(),
        });
    }
    Ok(())
}

/// The step a leaf is scored on: its own, else the coarsest usual step that divides its range.
fn effective_step(def: &CriterionDef) -> Decimal {
    let range = def.max_points - def.min_points;
    if let Some(step) = def.step.filter(|s| *s > Decimal::ZERO) {
        return step;
    }
    [
        Decimal::ONE,
        Decimal::new(5, 1),
        Decimal::new(25, 2),
        Decimal::new(1, 1),
        Decimal::new(5, 2),
        Decimal::new(1, 2),
    ]
    .into_iter()
    .find(|s| (range % s).is_zero())
    .unwrap_or(if range.is_zero() { Decimal::ONE } else { range })
}

fn leaves_of(framework: &Framework) -> Vec<Leaf> {
    framework
        .leaves()
        .iter()
        .map(|&id| {
            let def = &framework.node(id).def;
            let field = &framework.node(framework.field_of(id)).def;
            let step = effective_step(def);
            let steps = ((def.max_points - def.min_points) / step)
                .trunc()
                .to_u64()
                .unwrap_or(0);
            Leaf {
                code: def.code.to_string(),
                min: def.min_points,
                step,
                steps,
                kind: def.kind,
                title: def.title.to_lowercase(),
                field_number: field.code.to_string().parse().unwrap_or(0),
                field_title: field.title.clone(),
            }
        })
        .collect()
}

const DEPARTMENTS: &[(&str, &str)] = &[
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SXD", "Sở Xây dựng"),
    ("STP", "Sở Tư pháp"),
    ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("VPUBND", "Văn phòng UBND tỉnh"),
    ("TTT", "Thanh tra tỉnh"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh"),
    ("SNGV", "Sở Ngoại vụ"),
];

const COMMUNES: &[(&str, &str)] = &[
    ("XBH", "Xã Bảo Hà"),
    ("PCL", "Phường Cốc Lếu"),
    ("PLC", "Phường Lào Cai"),
    ("PCD", "Phường Cam Đường"),
    ("PSP", "Phường Sa Pa"),
    ("XBX", "Xã Bát Xát"),
    ("XBHA", "Xã Bắc Hà"),
    ("XMK", "Xã Mường Khương"),
    ("XSMC", "Xã Si Ma Cai"),
    ("XVB", "Xã Văn Bàn"),
    ("XBY", "Xã Bảo Yên"),
    ("XBT", "Xã Bảo Thắng"),
];

/// About 60 % departments and 40 % communes; real names first, then numbered ones.
fn make_units(count: u32) -> Vec<GenUnit> {
    let count = count as usize;
    let departments = (count * 3 + 2) / 5;
    let communes = count - departments;
    let mut units = Vec::with_capacity(count);
    for index in 0..departments {
        let (code, name) = match DEPARTMENTS.get(index) {
            Some((code, name)) => (code.to_string(), name.to_string()),
            None => {
                let number = index + 1 - DEPARTMENTS.len();
                (
                    format!("BQLDA{number}"),
                    format!("Ban Quản lý dự án số {number}"),
                )
            }
        };
        units.push(GenUnit {
            code,
            name,
            department: true,
        });
    }
    for index in 0..communes {
        let (code, name) = match COMMUNES.get(index) {
            Some((code, name)) => (code.to_string(), name.to_string()),
            None => {
                let number = index + 1 - COMMUNES.len();
                (format!("P{number}"), format!("Phường {number}"))
            }
        };
        units.push(GenUnit {
            code,
            name,
            department: false,
        });
    }
    units
}

type CsvOut = csv::Writer<BufWriter<File>>;

/// Opens a CSV file for writing; messy files get a BOM and CRLF line ends.
fn create_csv(dir: &Path, name: &str, messy: bool) -> Result<CsvOut> {
    let path = dir.join(name);
    let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut buffered = BufWriter::with_capacity(1 << 17, file);
    if messy {
        buffered
            .write_all("\u{feff}".as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let terminator = if messy {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    Ok(csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(buffered))
}

fn finish_csv(writer: CsvOut, dir: &Path, name: &str) -> Result<()> {
    let path = dir.join(name);
    let inner = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
    // Flushes the buffer; dropping it would hide a write error.
    inner
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
    Ok(())
}

fn write_row<const N: usize>(writer: &mut CsvOut, name: &str, row: [&str; N]) -> Result<()> {
    writer
        .write_record(row)
        .with_context(|| format!("cannot write {name}"))
}

/// A score as text: the dot normally; with --messy, the Vietnamese decimal comma half the time
/// (the csv writer then quotes it) and, rarely, padded with spaces.
fn score_text(points: Decimal, messy: bool, rng: &mut Rng) -> String {
    if !messy {
        return format_dot(points);
    }
    let text = if rng.chance(500) {
        format_vi(points)
    } else {
        format_dot(points)
    };
    if rng.chance(10) {
        format!(" {text} ")
    } else {
        text
    }
}

fn write_messy_criteria(dir: &Path, defs: &[CriterionDef], seed: u64) -> Result<()> {
    const NAME: &str = "criteria.csv";
    let mut rng = Rng::derive(seed, 1, 0);
    let mut order: Vec<usize> = (0..defs.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut writer = create_csv(dir, NAME, true)?;
    write_row(
        &mut writer,
        NAME,
        [
            "code",
            "title",
            "max_points",
            "min_points",
            "step",
            "kind",
            "rule",
        ],
    )?;
    for index in order {
        let def = &defs[index];
        let step = def
            .step
            .map(|s| score_text(s, true, &mut rng))
            .unwrap_or_default();
        write_row(
            &mut writer,
            NAME,
            [
                &def.code.to_string(),
                &def.title,
                &score_text(def.max_points, true, &mut rng),
                &score_text(def.min_points, true, &mut rng),
                &step,
                def.kind.as_str(),
                &def.rule,
            ],
        )?;
    }
    finish_csv(writer, dir, NAME)
}

fn write_units(dir: &Path, units: &[GenUnit], messy: bool) -> Result<()> {
    const NAME: &str = "units.csv";
    let mut writer = create_csv(dir, NAME, messy)?;
    write_row(&mut writer, NAME, ["unit_code", "unit_name", "group"])?;
    for unit in units {
        let group = if unit.department {
            GROUP_DEPARTMENTS
        } else {
            GROUP_COMMUNES
        };
        write_row(&mut writer, NAME, [&unit.code, &unit.name, group])?;
    }
    finish_csv(writer, dir, NAME)
}

#[derive(Debug, Default)]
struct Counts {
    self_scores: u64,
    evidence: u64,
    proposals: u64,
    proposals_differing: u64,
    survey: u64,
}

// Random streams, one family per purpose.
const STREAM_UNIT: u64 = 2;
const STREAM_SURVEY: u64 = 3;
const STREAM_PLAN: u64 = 4;

/// The few deliberate gaps that make the sample show every state: one unit left some items
/// without a self-score, another has one field the working group has not proposed yet.
struct Gaps {
    unit_missing_scores: usize,
    missing_leaves: Vec<usize>,
    unit_without_proposals: usize,
    field_without_proposals: u32,
}

fn plan_gaps(seed: u64, units: usize, leaves: &[Leaf]) -> Gaps {
    let mut rng = Rng::derive(seed, STREAM_PLAN, 0);
    // Chosen among the first units so that small samples show them too.
    let visible = units.min(20) as u64;
    let unit_missing_scores = rng.below(visible) as usize;
    let scored: Vec<usize> = (0..leaves.len())
        .filter(|&i| leaves[i].kind != CriterionKind::Survey)
        .collect();
    let mut missing_leaves = Vec::new();
    if !scored.is_empty() {
        let wanted = 1 + rng.below(2) as usize;
        while missing_leaves.len() < wanted.min(scored.len()) {
            let leaf = *rng.pick(&scored);
            if !missing_leaves.contains(&leaf) {
                missing_leaves.push(leaf);
            }
        }
    }
    let mut unit_without_proposals = rng.below(visible) as usize;
    if unit_without_proposals == unit_missing_scores && units > 1 {
        unit_without_proposals = (unit_without_proposals + 1) % visible as usize;
    }
    let fields: Vec<u32> = {
        let mut f: Vec<u32> = scored.iter().map(|&i| leaves[i].field_number).collect();
        f.dedup();
        f
    };
    let field_without_proposals = if fields.is_empty() {
        0
    } else {
        *rng.pick(&fields)
    };
    Gaps {
        unit_missing_scores,
        missing_leaves,
        unit_without_proposals,
        field_without_proposals,
    }
}

/// Per field: a phrase naming its subject, for document titles.
fn field_topic(leaf: &Leaf) -> String {
    let known = match leaf.field_number {
        1 => Some("cải cách hành chính"),
        2 => Some("xây dựng và thi hành pháp luật"),
        3 => Some("kiểm soát thủ tục hành chính"),
        4 => Some("sắp xếp, kiện toàn tổ chức bộ máy"),
        5 => Some("quản lý công chức, viên chức"),
        6 => Some("quản lý tài chính, tài sản công"),
        7 => Some("chuyển đổi số"),
        8 => Some("thực hiện nhiệm vụ phát triển kinh tế - xã hội"),
        _ => None,
    };
    match (known, leaf.kind) {
        (_, CriterionKind::Penalty) => "chấp hành kỷ luật, kỷ cương hành chính".to_string(),
        (Some(topic), _) => topic.to_string(),
        (None, _) => leaf.field_title.to_lowercase(),
    }
}

const NOTES_FULL: &[&str] = &[
    "Đã thực hiện đầy đủ theo kế hoạch",
    "Hoàn thành 100% nhiệm vụ đúng thời hạn",
    "Ban hành đúng thời hạn quy định",
    "Đơn vị tự đánh giá đạt điểm tối đa",
    "Có tài liệu kiểm chứng kèm theo",
    "Đã cập nhật đầy đủ trên phần mềm chấm điểm",
    "Thực hiện nghiêm túc, đúng quy định",
];

const NOTES_PARTIAL: &[&str] = &[
    "Còn 01 nhiệm vụ chưa hoàn thành do nguyên nhân khách quan",
    "Hoàn thành 85% kế hoạch",
    "Một số báo cáo gửi chậm so với quy định",
    "Tỷ lệ đạt 92,5%, chưa đạt mức tối đa",
    "Đang triển khai, dự kiến hoàn thành trong quý I/2026",
    "Đã gửi báo cáo giải trình bổ sung về nguyên nhân chậm",
];

const EXPLANATIONS: &[&str] = &[
    "trong năm đơn vị không phát sinh nhiệm vụ này",
    "tài liệu đã gửi kèm Báo cáo CCHC năm 2025",
    "hồ sơ lưu trên Hệ thống quản lý văn bản và điều hành",
    "kết quả được tổng hợp từ Cổng Dịch vụ công của tỉnh",
    "số liệu do Văn phòng UBND tỉnh cung cấp",
];

const PROPOSAL_LOWER: &[&str] = &[
    "Tài liệu kiểm chứng chưa chứng minh được kết quả tự chấm",
    "Đơn vị áp dụng chưa đúng cách tính điểm",
    "Số liệu không khớp với báo cáo tổng hợp của Sở Nội vụ",
    "Báo cáo giải trình chưa thuyết phục",
    "Tài liệu kiểm chứng là bản dự thảo, chưa có chữ ký, đóng dấu",
];

/// Reasons that only fit some leaves: (word in the leaf's title, reason).
const PROPOSAL_LOWER_SPECIFIC: &[(&str, &str)] = &[
    (
        "ban hành kế hoạch",
        "Kế hoạch ban hành muộn so với quy định (ngày 15/02)",
    ),
    (
        "mức độ thực hiện",
        "Thiếu báo cáo kết quả thực hiện kế hoạch",
    ),
    (
        "đúng hạn",
        "Tỷ lệ hồ sơ giải quyết đúng hạn thực tế đạt 93,2%",
    ),
    (
        "xin lỗi",
        "Chưa có văn bản xin lỗi đối với 03 hồ sơ quá hạn",
    ),
    (
        "tỷ lệ",
        "Số liệu trên hệ thống thấp hơn số liệu đơn vị báo cáo",
    ),
    ("báo cáo", "Báo cáo quý III gửi chậm 05 ngày"),
];

const PROPOSAL_HIGHER: &[&str] = &[
    "Đơn vị chấm thiếu; tài liệu kiểm chứng đủ điều kiện đạt mức cao hơn",
    "Theo số liệu của Văn phòng UBND tỉnh, đơn vị đạt mức cao hơn",
];

const MESSY_NOTES: &[&str] = &[
    "=1+1",
    "@SUM(A1:A3)",
    "-thiếu tài liệu kiểm chứng",
    "+ bổ sung sau",
    "=HYPERLINK(\"http://example.invalid\")",
];

const SELF: &str = "self_scores.csv";
const EVIDENCE: &str = "evidence.csv";
const PROPOSALS: &str = "proposals.csv";

/// The three item files being written, and what has been written.
struct ItemFiles {
    self_scores: CsvOut,
    evidence: CsvOut,
    proposals: CsvOut,
    counts: Counts,
}

/// What one unit's items are drawn with.
struct UnitDraw<'a> {
    unit: &'a GenUnit,
    rng: Rng,
    /// How often this unit gives itself the full points, in thousandths.
    full_rate: u64,
    /// Who issues its documents, and the last number issued.
    issuer: &'a str,
    document_number: u64,
}

/// Writes self_scores.csv, evidence.csv and proposals.csv in one pass over units × leaves.
fn write_items(dir: &Path, units: &[GenUnit], leaves: &[Leaf], args: &Args) -> Result<Counts> {
    let messy = args.messy;
    let mut files = ItemFiles {
        self_scores: create_csv(dir, SELF, messy)?,
        evidence: create_csv(dir, EVIDENCE, messy)?,
        proposals: create_csv(dir, PROPOSALS, messy)?,
        counts: Counts::default(),
    };
    write_row(
        &mut files.self_scores,
        SELF,
        ["unit_code", "criterion_code", "self_score", "note"],
    )?;
    write_row(
        &mut files.evidence,
        EVIDENCE,
        ["unit_code", "criterion_code", "ref", "title", "location"],
    )?;
    write_row(
        &mut files.proposals,
        PROPOSALS,
        ["unit_code", "criterion_code", "proposed_score", "note"],
    )?;
    let gaps = plan_gaps(args.seed, units.len(), leaves);
    let topics: Vec<String> = leaves.iter().map(field_topic).collect();
    for (unit_index, unit) in units.iter().enumerate() {
        let mut rng = Rng::derive(args.seed, STREAM_UNIT, unit_index as u64);
        let full_rate = 730 + rng.below(230);
        let issuer = if unit.department {
            unit.code.as_str()
        } else {
            "UBND"
        };
        let document_number = 1 + rng.below(40);
        let mut draw = UnitDraw {
            unit,
            rng,
            full_rate,
            issuer,
            document_number,
        };
        for (leaf_index, leaf) in leaves.iter().enumerate() {
            if leaf.kind == CriterionKind::Survey {
                continue;
            }
            let missing =
                unit_index == gaps.unit_missing_scores && gaps.missing_leaves.contains(&leaf_index);
            let no_proposal = unit_index == gaps.unit_without_proposals
                && leaf.field_number == gaps.field_without_proposals;
            let topic = &topics[leaf_index];
            files.item(&mut draw, (leaf, topic), (missing, no_proposal), args)?;
        }
    }
    finish_csv(files.self_scores, dir, SELF)?;
    finish_csv(files.evidence, dir, EVIDENCE)?;
    finish_csv(files.proposals, dir, PROPOSALS)?;
    Ok(files.counts)
}

impl ItemFiles {
    /// One unit × leaf: its evidence rows, its self-score row and its proposal row, drawn in
    /// that order.
    fn item(
        &mut self,
        draw: &mut UnitDraw<'_>,
        (leaf, topic): (&Leaf, &str),
        (missing, no_proposal): (bool, bool),
        args: &Args,
    ) -> Result<()> {
        let messy = args.messy;
        let rng = &mut draw.rng;
        let self_steps = if rng.chance(draw.full_rate) {
            leaf.steps
        } else {
            rng.below(leaf.steps)
        };
        let self_points = leaf.points(self_steps);
        let evidence_count = if missing {
            0
        } else {
            evidence_count(rng, args.evidence_per_item)
        };
        self.evidence_rows(draw, (leaf, topic), evidence_count)?;
        let rng = &mut draw.rng;
        let unit = draw.unit;
        if !missing {
            let note = self_note(rng, self_steps == leaf.steps, evidence_count, messy);
            let score = score_text(self_points, messy, rng);
            let code = if messy && rng.chance(5) {
                format!(" {} ", leaf.code)
            } else {
                leaf.code.clone()
            };
            write_row(
                &mut self.self_scores,
                SELF,
                [&unit.code, &code, &score, &note],
            )?;
            self.counts.self_scores += 1;
        }
        if no_proposal {
            return Ok(());
        }
        let (proposed_steps, note) = if missing {
            (0, "Đơn vị không tự chấm điểm tiêu chí này".to_string())
        } else {
            propose(rng, leaf, self_steps)
        };
        if !missing && proposed_steps != self_steps {
            self.counts.proposals_differing += 1;
        }
        let score = score_text(leaf.points(proposed_steps), messy, rng);
        write_row(
            &mut self.proposals,
            PROPOSALS,
            [&unit.code, &leaf.code, &score, &note],
        )?;
        self.counts.proposals += 1;
        Ok(())
    }

    /// An item's evidence rows: each document listed once.
    fn evidence_rows(
        &mut self,
        draw: &mut UnitDraw<'_>,
        (leaf, topic): (&Leaf, &str),
        count: u64,
    ) -> Result<()> {
        let (unit, issuer) = (draw.unit, draw.issuer);
        let mut item_refs: Vec<String> = Vec::with_capacity(count as usize);
        for number in 0..count {
            draw.document_number += 1 + draw.rng.below(9);
            let (mut reference, mut title) =
                evidence_document(&mut draw.rng, issuer, draw.document_number, topic);
            // An item lists a document once: a provincial number drawn twice, or one
            // equal to a commune's own (both read "…/KH-UBND"), is replaced.
            while item_refs.contains(&reference) {
                draw.document_number += 1;
                (reference, title) =
                    evidence_document(&mut draw.rng, issuer, draw.document_number, topic);
            }
            item_refs.push(reference.clone());
            let location = if number == 0 {
                format!("tailieu/{}/{}.pdf", unit.code, leaf.code)
            } else {
                format!("tailieu/{}/{}_{}.pdf", unit.code, leaf.code, number + 1)
            };
            write_row(
                &mut self.evidence,
                EVIDENCE,
                [&unit.code, &leaf.code, &reference, &title, &location],
            )?;
            self.counts.evidence += 1;
        }
        Ok(())
    }
}

/// 0 to a few rows: one item in ten has none, the others average rate ÷ 0.9 so that the
/// overall mean is the rate.
fn evidence_count(rng: &mut Rng, rate: EvidenceRate) -> u64 {
    if rate.0 == 0 || rng.chance(100) {
        return 0;
    }
    let mean_when_any = rate.0 * 1000 / 900;
    let jittered = mean_when_any * (500 + rng.below(1001)) / 1000;
    rng.round_per_mille(jittered)
}

fn evidence_document(rng: &mut Rng, issuer: &str, number: u64, topic: &str) -> (String, String) {
    match rng.below(6) {
        0 | 1 => (
            format!("{number}/KH-{issuer}"),
            format!("Kế hoạch {topic} năm {YEAR}"),
        ),
        2 => (
            format!("{number}/QĐ-{issuer}"),
            format!("Quyết định ban hành quy chế {topic}"),
        ),
        3 | 4 => (
            format!("{number}/BC-{issuer}"),
            format!("Báo cáo kết quả {topic} năm {YEAR}"),
        ),
        _ => {
            // Provincial documents the unit cites.
            let provincial = 100 + rng.below(400);
            (
                format!("{provincial}/KH-UBND"),
                format!("Kế hoạch của UBND tỉnh về {topic} năm {YEAR}"),
            )
        }
    }
}

fn self_note(rng: &mut Rng, full: bool, evidence_count: u64, messy: bool) -> String {
    let note = if evidence_count == 0 {
        format!("Báo cáo giải trình: {}", rng.pick(EXPLANATIONS))
    } else if messy && rng.chance(30) {
        rng.pick(MESSY_NOTES).to_string()
    } else if rng.chance(25) {
        if full {
            format!(
                "Đã ban hành kế hoạch và triển khai đến 100% phòng, đơn vị.\nHoàn thành trước ngày {:02}/12/{YEAR}.",
                1 + rng.below(28)
            )
        } else {
            "Kết quả thực hiện:\n- Quý I, II: đúng hạn\n- Quý III: chậm 02 ngày, đã khắc phục"
                .to_string()
        }
    } else if rng.chance(350) {
        let pool = if full { NOTES_FULL } else { NOTES_PARTIAL };
        rng.pick(pool).to_string()
    } else {
        String::new()
    };
    if messy && rng.chance(50) {
        // Decomposed Vietnamese, as some Mac and web tools write it.
        note.nfd().collect()
    } else {
        note
    }
}

/// The working group's proposal: equal to the self-score nine times in ten; otherwise
/// usually a step or two lower, sometimes one higher.
fn propose(rng: &mut Rng, leaf: &Leaf, self_steps: u64) -> (u64, String) {
    let max_steps = leaf.steps;
    if max_steps == 0 || !rng.chance(100) {
        return (self_steps, String::new());
    }
    let lower = |rng: &mut Rng| {
        let down = 1 + rng.below(self_steps.min(2));
        let specific: Vec<&str> = PROPOSAL_LOWER_SPECIFIC
            .iter()
            .filter(|(word, _)| leaf.title.contains(word))
            .map(|(_, reason)| *reason)
            .collect();
        let reason = if !specific.is_empty() && rng.chance(700) {
            rng.pick(&specific)
        } else {
            rng.pick(PROPOSAL_LOWER)
        };
        (self_steps - down, reason.to_string())
    };
    if self_steps > 0 && (rng.chance(850) || self_steps == max_steps) {
        lower(rng)
    } else if self_steps < max_steps {
        (self_steps + 1, rng.pick(PROPOSAL_HIGHER).to_string())
    } else {
        lower(rng)
    }
}

fn write_survey(dir: &Path, units: &[GenUnit], leaves: &[Leaf], args: &Args) -> Result<u64> {
    const NAME: &str = "survey.csv";
    let mut writer = create_csv(dir, NAME, args.messy)?;
    write_row(&mut writer, NAME, ["unit_code", "criterion_code", "score"])?;
    let mut written = 0;
    for (unit_index, unit) in units.iter().enumerate() {
        let mut rng = Rng::derive(args.seed, STREAM_SURVEY, unit_index as u64);
        // The share of the maximum the unit's respondents give it, in thousandths.
        let satisfaction = 760 + rng.below(200);
        for leaf in leaves.iter().filter(|l| l.kind == CriterionKind::Survey) {
            let share = (satisfaction + rng.below(121)).saturating_sub(60).min(1000);
            let steps = rng.round_per_mille(share * leaf.steps).min(leaf.steps);
            let score = score_text(leaf.points(steps), args.messy, &mut rng);
            write_row(&mut writer, NAME, [&unit.code, &leaf.code, &score])?;
            written += 1;
        }
    }
    finish_csv(writer, dir, NAME)?;
    Ok(written)
}
