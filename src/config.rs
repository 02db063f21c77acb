//! `playbook.yaml`: the optional site configuration, its defaults and its strict keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::front_matter::yaml_diagnostic;
use crate::error::Diagnostic;

pub const CONFIG_FILE: &str = "playbook.yaml";

/// A person the playbook talks about, keyed by the id used in entries.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// The whole of `playbook.yaml`; every key is optional.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub owner: Option<String>,
    /// Person id of the manager the playbook is about.
    pub boss: Option<String>,
    pub people: BTreeMap<String, Person>,
    pub output_dir: PathBuf,
    pub theme: String,
    pub base_url: Option<String>,
    pub stale_after_days: u32,
    /// Kind additions and overrides; read by a later stage of the schema work.
    pub kinds: Option<serde_yaml::Value>,
    pub encrypt: bool,
    pub publish: Option<serde_yaml::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "My playbook".to_string(),
            owner: None,
            boss: None,
            people: BTreeMap::new(),
            output_dir: PathBuf::from("public"),
            theme: "default".to_string(),
            base_url: None,
            stale_after_days: 45,
            kinds: None,
            encrypt: false,
            publish: None,
        }
    }
}

impl Config {
    /// Reads `playbook.yaml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => return Err(Diagnostic::io(Path::new(CONFIG_FILE), "read", &err)),
        };
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str(text).map_err(|err| yaml_diagnostic(Path::new(CONFIG_FILE), &err, 0))
    }

    /// Display name of a person id: the configured name, else the id itself.
    pub fn person_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.people.get(id).map_or(id, |p| p.name.as_str())
    }
}
