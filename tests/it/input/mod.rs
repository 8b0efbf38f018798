//! Loading scenarios: the lecture files, validation messages, the bad-input corpus (in memory
//! and through the binary), the size limits and the fuzz regressions.

mod bad;
mod bad_cli;
mod fuzz_regressions;
mod lecture;
mod limits;
mod lists;
mod manifest_fields;
mod validation;
