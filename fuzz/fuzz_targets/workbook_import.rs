//! Fuzz target `workbook_import`: see the function of that name in checks.rs for what it asserts.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::workbook_import(data));
