//! The commands besides `build` and `check`: each takes an options struct and calls the library.

pub mod calendar;
pub mod init;
pub mod new;
pub mod publish;
pub mod review;
pub mod status;
