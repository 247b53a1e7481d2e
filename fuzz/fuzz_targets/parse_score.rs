//! Fuzz target `parse_score`: see the function of that name in checks.rs for what it asserts.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::parse_score(text));
