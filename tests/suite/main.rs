//! The integration tests, one module per capability, in one test binary: each file directly
//! under `tests/` would be a binary of its own that links the whole crate again.

mod common;

mod bad_input;
mod browser;
mod build;
mod commands;
mod contrast;
mod encrypt;
mod fuzz;
mod import;
mod links;
mod prep;
mod publish;
mod review;
mod serve;
mod status;
mod verify;
mod writing;
