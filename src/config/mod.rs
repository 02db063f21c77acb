//! `playbook.yaml`: the optional site configuration, its defaults, its strict keys and the
//! problems of its settings; `kinds` builds the schema from the kinds and fields it adds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::did_you_mean;
use crate::error::{Diagnostic, Failure};
use crate::period::Span;
use crate::schema::{Practice, Schema};
use crate::slug::{slugify, too_long_for_a_file_name};
use crate::text::read_text_file;
use crate::yaml::{PathSeg, guard_yaml, locate, yaml_diagnostic};

mod kinds;

pub const CONFIG_FILE: &str = "playbook.yaml";
/// A configuration is a page of settings; anything larger is a mistake.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A person the playbook talks about, keyed by the id used in entries.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// A kind added, or a default kind given more fields, under `kinds:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindConfig {
    pub folder: Option<String>,
    pub label: Option<String>,
    pub plural: Option<String>,
    pub practice: Option<Practice>,
    pub intro: Option<String>,
    #[serde(default)]
    pub fields: IndexMap<String, FieldConfig>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldTypeName {
    Text,
    Bool,
    Date,
    Integer,
    Enum,
    Person,
    Reference,
    List,
}

/// One field of a kind declared in `playbook.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConfig {
    #[serde(rename = "type")]
    pub ty: FieldTypeName,
    #[serde(default)]
    pub required: bool,
    pub label: Option<String>,
    /// Allowed words of an `enum` (or of a `list` of `enum`).
    pub values: Option<Vec<String>>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Item type of a `list` (default `text`).
    pub of: Option<FieldTypeName>,
    /// Kind folder a `reference` must point into.
    pub kind: Option<String>,
}

/// The publishing settings; used by `playbook publish`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishConfig {
    /// A folder, or an rsync destination (`user@host:path`).
    pub target: Option<String>,
    /// `required`: refuse to publish a build that is not encrypted.
    pub encrypt: Option<String>,
    /// `basic`: write host access rules (`.htaccess`, `.htpasswd`, `_headers`).
    pub auth: Option<String>,
    /// The user name of `auth: basic` (default `playbook`).
    pub user: Option<String>,
    /// Where `.htpasswd` is on the server, for `.htaccess` (default: in the target folder, when
    /// the target gives its absolute path).
    pub auth_file: Option<String>,
}

/// The review settings, under `review:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// The period `playbook review` covers when none is given: `year`, `half` or `quarter`
    /// (the one holding today).
    pub period: Option<String>,
}

/// One competency of the owner's career ladder, under `ladder:`; entries name it by `id` in
/// `competencies:`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// What the owner's level (or the one they aim for) expects of it.
    #[serde(default)]
    pub level: Option<String>,
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
    pub kinds: IndexMap<String, KindConfig>,
    pub encrypt: bool,
    /// Offer "Remember on this device" on an encrypted site's unlock form (the key then kept
    /// in the browser's localStorage until Lock is pressed).
    pub encrypt_remember: bool,
    pub publish: Option<PublishConfig>,
    pub review: ReviewConfig,
    /// The owner's career ladder; empty when there is none.
    pub ladder: Vec<Competency>,
    /// The default kinds with `kinds:` applied.
    #[serde(skip)]
    pub schema: Schema,
    /// The text read, to point at a setting in later errors.
    #[serde(skip)]
    text: String,
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
            kinds: IndexMap::new(),
            encrypt: false,
            encrypt_remember: false,
            publish: None,
            review: ReviewConfig::default(),
            ladder: Vec::new(),
            schema: Schema::default(),
            text: String::new(),
        }
    }
}

impl Config {
    /// Reads `playbook.yaml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Failure> {
        let path = root.join(CONFIG_FILE);
        if let Err(err) = std::fs::metadata(&path)
            && err.kind() == std::io::ErrorKind::NotFound
        {
            return Ok(Config::default());
        }
        let text = read_text_file(
            &path,
            Path::new(CONFIG_FILE),
            MAX_CONFIG_BYTES,
            "playbook.yaml",
        )?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Failure> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let mut config = Config::from_yaml(text)?;
        let mut diagnostics = config.setting_problems();
        match kinds::build_schema(&config.kinds) {
            Ok(mut schema) => {
                let ids: Vec<&str> = config.ladder.iter().map(|c| c.id.as_str()).collect();
                if let Err(clash) = schema.add_ladder(&ids) {
                    diagnostics.push(config.error_at(&["kinds", &clash], format!(
                        "kind `{clash}` has a field `competencies`, which every entry has once `ladder:` is given: rename it"
                    )));
                }
                config.schema = schema;
            }
            Err(problems) => diagnostics.extend(
                problems
                    .into_iter()
                    .map(|(path, message)| config.error_at_path(&path, message)),
            ),
        }
        if diagnostics.is_empty() {
            Ok(config)
        } else {
            Err(Failure(diagnostics))
        }
    }

    /// The settings as written; an error for a file too large, broken YAML, or an unknown key
    /// or a wrong type.
    fn from_yaml(text: &str) -> Result<Config, Failure> {
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                "file is larger than 1 MiB, the most playbook.yaml may be",
            )
            .at(1, 1)
            .into());
        }
        guard_yaml(Path::new(CONFIG_FILE), text, 0)?;
        let yaml_error = |err| yaml_diagnostic(Path::new(CONFIG_FILE), &err, text, 0);
        // Syntax first, so that a broken line is not reported as a wrong type further up.
        serde_yaml::from_str::<serde_yaml::Value>(text).map_err(yaml_error)?;
        let mut config: Config = serde_yaml::from_str(text).map_err(yaml_error)?;
        config.text = text.to_string();
        Ok(config)
    }

    /// What is wrong with the values of the settings, `kinds:` aside: the publish settings,
    /// the theme, the boss, then the person ids.
    fn setting_problems(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.publish_problems();
        diagnostics.extend(self.theme_problem());
        diagnostics.extend(self.boss_problem());
        diagnostics.extend(self.person_id_problems());
        diagnostics.extend(self.review_problem());
        diagnostics.extend(self.ladder_problems());
        diagnostics
    }

    /// `review.period` is a span of time `review` knows.
    fn review_problem(&self) -> Option<Diagnostic> {
        let period = self.review.period.as_deref()?;
        let problem = period.parse::<Span>().err()?;
        Some(self.error_at(&["review", "period"], format!("review.period: {problem}")))
    }

    /// Competency ids name anchors and are written in entries: a-z, 0-9 and `-`, each once;
    /// every competency has a name.
    fn ladder_problems(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (index, competency) in self.ladder.iter().enumerate() {
            let at = |key: &str, message: String| {
                let path = [
                    PathSeg::Key("ladder".into()),
                    PathSeg::Index(index),
                    PathSeg::Key(key.into()),
                ];
                self.error_at_path(&path, message)
            };
            let id = competency.id.as_str();
            if let Some(problem) = too_long_for_a_file_name("competency id", id) {
                diagnostics.push(at("id", problem));
            } else if id.is_empty() || slugify(id) != id {
                diagnostics.push(at(
                    "id",
                    format!(
                        "competency id `{id}` may hold only a-z, 0-9 and `-` (e.g. `{}`)",
                        slugify(if id.is_empty() { &competency.name } else { id })
                    ),
                ));
            } else if !seen.insert(id) {
                diagnostics.push(at(
                    "id",
                    format!("competency id `{id}` is given twice under `ladder:`"),
                ));
            }
            if competency.name.trim().is_empty() {
                diagnostics.push(at("name", format!("competency `{id}` has an empty name")));
            }
        }
        diagnostics
    }

    /// The span `review` covers by default: `review.period`, else a year.
    pub fn review_span(&self) -> Span {
        self.review
            .period
            .as_deref()
            .and_then(|period| period.parse().ok())
            .unwrap_or(Span::Year)
    }

    /// `publish.encrypt` and `publish.auth` each know one value.
    fn publish_problems(&self) -> Vec<Diagnostic> {
        let Some(publish) = &self.publish else {
            return Vec::new();
        };
        let allowed = [
            ("encrypt", &publish.encrypt, "required"),
            ("auth", &publish.auth, "basic"),
        ];
        let mut diagnostics = Vec::new();
        for (key, value, only) in allowed {
            if let Some(value) = value.as_deref().filter(|value| *value != only) {
                diagnostics.push(self.error_at(
                    &["publish", key],
                    format!("publish.{key} `{value}` is not known: the one value is `{only}`"),
                ));
            }
        }
        diagnostics
    }

    /// The theme is named by its folder under themes/.
    fn theme_problem(&self) -> Option<Diagnostic> {
        (slugify(&self.theme) != self.theme).then(|| {
            self.error_at(
                &["theme"],
                format!(
                    "theme `{}` must be a folder name under themes/ (a-z, 0-9, `-`)",
                    self.theme
                ),
            )
        })
    }

    /// The boss is one of `people:`, when there are any.
    fn boss_problem(&self) -> Option<Diagnostic> {
        let boss = self.boss.as_ref()?;
        if self.people.is_empty() || self.people.contains_key(boss) {
            return None;
        }
        Some(self.error_at(
            &["boss"],
            format!(
                "`boss: {boss}` is not one of the ids under `people:`{}",
                did_you_mean(boss, self.people.keys().map(String::as_str))
            ),
        ))
    }

    /// Person ids name pages, so they are short and hold only a-z, 0-9 and `-`.
    fn person_id_problems(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for id in self.people.keys() {
            let at = |message| self.error_at(&["people", id], message);
            if let Some(problem) = too_long_for_a_file_name("person id", id) {
                diagnostics.push(at(problem));
            } else if slugify(id) != *id {
                diagnostics.push(at(format!(
                    "person id `{id}` may hold only a-z, 0-9 and `-` (e.g. `{}`)",
                    slugify(id)
                )));
            }
        }
        diagnostics
    }

    /// An error about the setting at `keys` (`["publish", "target"]`), at its line and column
    /// in playbook.yaml; at its first line when the setting is not written there.
    pub fn error_at(&self, keys: &[&str], message: impl Into<String>) -> Diagnostic {
        let path: Vec<PathSeg> = keys.iter().map(|k| PathSeg::Key(k.to_string())).collect();
        self.error_at_path(&path, message)
    }

    /// An error about the setting at `path`, at its line and column in playbook.yaml.
    fn error_at_path(&self, path: &[PathSeg], message: impl Into<String>) -> Diagnostic {
        let (line, column) = locate(&self.text, path);
        Diagnostic::error(CONFIG_FILE, message).at(line, column)
    }

    /// Display name of a person id: the configured name, else the id itself.
    pub fn person_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.people.get(id).map_or(id, |p| p.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_with_a_line() {
        let failure = Config::parse("title: T\nstale_after_days: soon\n").unwrap_err();
        assert!(
            failure.0[0]
                .to_string()
                .starts_with("error: playbook.yaml:2:"),
            "{}",
            failure.0[0]
        );
        let failure = Config::parse("titel: T\n").unwrap_err();
        assert!(
            failure.0[0].to_string().contains("unknown field `titel`"),
            "{}",
            failure.0[0]
        );
    }
}
