//! Reading `content/` into a checked `Playbook`: walk, split, parse, validate, index.

pub mod agenda;
pub mod check;
pub mod date;
pub mod fields;
pub mod front_matter;
pub mod index;
pub mod load;
pub mod model;
pub mod parse;
pub mod walk;

pub use crate::schema::{KindId, KindSpec, Practice, Schema};
pub use crate::slug::{MAX_SLUG_BYTES, slugify, too_long_for_a_file_name, url_slug};
pub use date::EntryDate;
pub use fields::FieldValue;
pub use index::Delta;
pub use load::load_playbook;
pub use model::{Entry, Playbook};
