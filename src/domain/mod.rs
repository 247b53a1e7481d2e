//! The pure domain core: criteria trees, scores, items and decisions, roll-ups and ranking.
//! No SQL, no files, no terminal.

pub mod account;
pub mod agenda;
pub mod chain;
pub mod criteria;
pub mod diff;
pub mod distribution;
pub mod import;
pub mod members;
pub mod rollup;
pub mod score;
pub mod session;
pub mod settings;
pub mod text;
pub mod time;

pub use criteria::{Code, CriterionDef, CriterionKind, Framework, FrameworkError, Node, NodeId};
pub use rollup::{Bands, Progress, RankMode, Totals, UnitStanding};
pub use score::{format_dot, format_vi, parse_score};
pub use session::{
    DecisionAction, DecisionRecord, Evidence, ItemDetail, ItemState, ItemTexts, Session, Source,
    Status, Unit,
};
