//! Positions in YAML text, for the front matter of entries and for playbook.yaml alike.
//!
//! serde_yaml parses, but its `Value` keeps no positions and its errors count lines from the
//! start of the YAML: `locate` finds a value's line and column again by its path, `diagnostic`
//! moves serde_yaml's errors to file lines, and `guard` refuses, before serde_yaml sees it, text
//! that would cost it far more than its size. Nothing here knows about entries or the config.

pub mod diagnostic;
pub mod guard;
pub mod locate;

pub use diagnostic::yaml_diagnostic;
pub use guard::{MAX_ALIASES, MAX_NESTING, guard_yaml};
pub use locate::{PathSeg, locate};
