//! playbook turns a folder of Markdown notes about working with one's manager into a private
//! static site. The pipeline, one module per stage:
//! `config` (playbook.yaml) → `content` (walk, split, parse, check, index) → `render` (pages
//! with the `theme`'s templates, Markdown by `markdown`) → `output` (atomic write); `build`
//! runs it, `error` carries every diagnostic with its file, line and column.

pub mod build;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod period;
pub mod render;
pub mod report;
pub mod schema;
pub mod seal;
pub mod serve;
pub mod slug;
#[cfg(test)]
mod testing;
pub mod text;
pub mod theme;
pub mod yaml;
