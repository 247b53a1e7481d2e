//! The screens, one module each, as in the app.

pub(crate) mod agenda;
pub(crate) mod compare;
pub(crate) mod dashboard;
pub(crate) mod diff;
pub(crate) mod field_chart;
pub(crate) mod overview;
pub(crate) mod present;
pub(crate) mod scorecard;
