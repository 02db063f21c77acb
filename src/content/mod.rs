//! Reading `content/` into a checked `Playbook`: walk, split, parse, validate, index.

pub mod check;
pub mod date;
pub mod fields;
pub mod front_matter;
pub mod index;
pub mod load;
pub mod model;
pub mod names;
pub mod parse;
pub mod schema;
pub mod walk;

pub use date::EntryDate;
pub use fields::FieldValue;
pub use index::Delta;
pub use load::load_playbook;
pub use model::{Entry, MAX_SLUG_BYTES, Playbook, slugify, too_long_for_a_file_name, url_slug};
pub use schema::{KindId, KindSpec, Practice, Schema};
