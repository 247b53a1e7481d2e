//! `council`: the appraisal council session of a PAR INDEX scoring round.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod domain;
pub mod io;
pub mod lang;
pub mod messages;
pub mod service;
pub mod store;
pub mod tui;
pub mod ui;
