//! `playbook new KIND TITLE`: writes a new entry with the kind's required fields filled in and
//! its optional fields commented out, ready to edit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::date::{EntryDate, iso_day, today};
use crate::content::{MAX_SLUG_BYTES, slugify};
use crate::error::closest;
use crate::error::{Diagnostic, Failure};
use crate::schema::{FieldSpec, FieldType, KindId, KindSpec};

pub struct NewOptions {
    pub root: PathBuf,
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD` or RFC 3339; default today.
    pub date: Option<String>,
}

#[derive(Debug)]
pub enum NewError {
    /// A KIND that names no kind (the message lists them), a TITLE without a letter or digit, a
    /// date that is not one: usage errors.
    Usage(String),
    Failure(Failure),
}

impl From<Failure> for NewError {
    fn from(failure: Failure) -> Self {
        NewError::Failure(failure)
    }
}

impl From<Diagnostic> for NewError {
    fn from(diagnostic: Diagnostic) -> Self {
        NewError::Failure(diagnostic.into())
    }
}

/// Creates the entry and returns its path relative to the root. Never overwrites.
pub fn new_entry(options: &NewOptions) -> Result<PathBuf, NewError> {
    let config = Config::load(&options.root)?;
    let (kind, rel, date) = entry_path(&config, options)?;
    let spec = config.schema.kind(kind);
    let text = match archetype(&options.root, spec)? {
        Some(template) => fill_archetype(&template, &options.title, &date, &spec.name),
        None => entry_text(&config, spec, &options.title, &date),
    };
    create_entry(&options.root, &rel, &text)?;
    Ok(rel)
}

/// The kind, the path (relative to the root) and the date of the entry `options` ask for; an
/// unknown kind, a title without a letter or digit and a date that is not one are usage errors.
pub fn entry_path(
    config: &Config,
    options: &NewOptions,
) -> Result<(KindId, PathBuf, String), NewError> {
    let schema = &config.schema;
    let Some(kind) = schema.kind_by_name(&options.kind) else {
        return Err(NewError::Usage(unknown_kind(config, &options.kind)));
    };
    let spec = schema.kind(kind);
    let date = match &options.date {
        Some(text) => {
            EntryDate::parse(text).map_err(|message| {
                NewError::Usage(format!("invalid --date `{text}`: {message}"))
            })?;
            text.trim().to_string()
        }
        None => iso_day(today()),
    };
    let slug = file_slug(&options.title);
    if slug.is_empty() {
        return Err(NewError::Usage(
            "the title needs letters or digits: the file name is made from them".into(),
        ));
    }
    let rel = Path::new("content")
        .join(&spec.folder)
        .join(format!("{slug}.md"));
    Ok((kind, rel, date))
}

/// The message for a KIND that names no kind: the nearest one, and every kind with its folder.
pub(super) fn unknown_kind(config: &Config, wanted: &str) -> String {
    let schema = &config.schema;
    let kinds: Vec<String> = schema
        .kinds
        .iter()
        .map(|k| format!("  {:<14} content/{}/", k.name, k.folder))
        .collect();
    let names = schema
        .kinds
        .iter()
        .flat_map(|k| [k.name.as_str(), k.folder.as_str()]);
    let hint = match closest(wanted, names) {
        Some(near) => format!("; did you mean `{near}`? The kinds are"),
        None => "; the kinds are".to_string(),
    };
    format!("unknown kind `{wanted}`{hint}:\n{}", kinds.join("\n"))
}

/// Writes `text` as the new file `rel` under `root`, its folders made as needed; refuses an
/// existing file.
pub fn create_entry(root: &Path, rel: &Path, text: &str) -> Result<(), NewError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|err| Diagnostic::io(dir, "create folder", &err))?;
    }
    // Written beside, then moved in by a step that refuses an existing file: nothing is ever
    // overwritten, and a run killed halfway leaves no half-written entry (only, at worst, a
    // hidden `.tmp` file that no build reads).
    let dir = path.parent().unwrap_or(root);
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(|err| Diagnostic::io(rel, "create", &err))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|err| Diagnostic::io(rel, "write", &err))?;
    match file.persist_noclobber(&path) {
        Ok(_) => Ok(()),
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Diagnostic::error(
                rel,
                "already exists; playbook new never overwrites: edit it, or choose another title",
            )
            .into())
        }
        Err(err) => Err(Diagnostic::io(rel, "create", &err.error).into()),
    }
}

/// The folder of a playbook's own templates for `new`, one per kind (Hugo's name for them).
pub const ARCHETYPES: &str = "archetypes";

/// The playbook's own template for new entries of `spec`: `archetypes/<kind>.md`, or
/// `archetypes/<kind-folder>.md` as Hugo names them, if there is one.
fn archetype(root: &Path, spec: &KindSpec) -> Result<Option<String>, Diagnostic> {
    for name in [&spec.name, &spec.folder] {
        let rel = Path::new(ARCHETYPES).join(format!("{name}.md"));
        let path = root.join(&rel);
        if path.is_file() {
            let text = crate::text::read_text_file(&path, &rel, 1024 * 1024, "an archetype")?;
            return Ok(Some(text));
        }
    }
    Ok(None)
}

/// An archetype with its placeholders filled: `{{ title }}` (written as a YAML string, quoted
/// when it must be), `{{ date }}` and `{{ kind }}`; Hugo's `{{ .Title }}`, `{{ .Date }}` and
/// `{{ .Type }}` too. Any other `{{ … }}` is left as written.
fn fill_archetype(template: &str, title: &str, date: &str, kind: &str) -> String {
    let mut filled = String::with_capacity(template.len() + title.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        let (before, token) = (&rest[..start], &rest[start..start + length + 2]);
        filled.push_str(before);
        match token[2..token.len() - 2].trim() {
            "title" | ".Title" => filled.push_str(&yaml_string(title)),
            "date" | ".Date" => filled.push_str(date),
            "kind" | ".Type" => filled.push_str(kind),
            _ => filled.push_str(token),
        }
        rest = &rest[start + length + 2..];
    }
    filled.push_str(rest);
    filled
}

/// The file name (without `.md`) made from a title: its slug, cut at a word to fit the longest
/// page address a build accepts.
pub(super) fn file_slug(title: &str) -> String {
    let mut slug = slugify(title);
    if slug.len() > MAX_SLUG_BYTES {
        // The slug is ASCII, so any byte index is a character boundary.
        slug.truncate(MAX_SLUG_BYTES + 1);
        let cut = slug
            .rfind('-')
            .filter(|&at| at > 0)
            .unwrap_or(MAX_SLUG_BYTES);
        slug.truncate(cut);
        slug.truncate(slug.trim_end_matches('-').len());
    }
    slug
}

/// The text of a new entry of `spec`.
pub fn entry_text(config: &Config, spec: &KindSpec, title: &str, date: &str) -> String {
    let person = example_person(config);
    let people_hint = if config.people.is_empty() {
        "person ids".to_string()
    } else {
        format!(
            "person ids: {}",
            config.people.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    };
    let mut text = String::from("---\n");
    let _ = writeln!(text, "title: {}", yaml_string(title));
    let _ = writeln!(text, "date: {date}");
    let _ = writeln!(text, "tags: []");
    let line = |text: &mut String, code: String, comment: &str| {
        let _ = writeln!(text, "{code:<32}# {comment}");
    };
    line(&mut text, format!("# people: [{person}]"), &people_hint);
    line(
        &mut text,
        "# related: []".into(),
        "other entries, as <kind-folder>/<slug>",
    );
    line(
        &mut text,
        "# practices: []".into(),
        "practices besides this kind's own",
    );
    line(
        &mut text,
        "# summary: \"\"".into(),
        "one line for lists (default: the first paragraph)",
    );
    for field in &spec.fields {
        let value = example_value(field, &person, date);
        if field.required {
            let comment = format!("required: {}", field.ty.describe());
            line(&mut text, format!("{}: {value}", field.name), &comment);
        } else {
            line(
                &mut text,
                format!("# {}: {value}", field.name),
                &field.ty.describe(),
            );
        }
        if let FieldType::List(item) = &field.ty
            && let FieldType::Record(fields) = &**item
        {
            let example: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.name, example_value(f, &person, date)))
                .collect();
            let _ = writeln!(text, "#   - {{ {} }}", example.join(", "));
        }
    }
    text.push_str("---\n\n");
    text.push_str(body_prompt(&spec.name));
    text.push('\n');
    text
}

fn example_person(config: &Config) -> String {
    config
        .boss
        .clone()
        .or_else(|| config.people.keys().next().cloned())
        .unwrap_or_else(|| "manager".to_string())
}

fn example_value(field: &FieldSpec, person: &str, date: &str) -> String {
    match &field.ty {
        FieldType::Text => "\"\"".into(),
        FieldType::Bool => "true".into(),
        FieldType::Date => date.split('T').next().unwrap_or(date).to_string(),
        FieldType::Integer { min, .. } => min.unwrap_or(0).to_string(),
        FieldType::Enum(values) => values.first().cloned().unwrap_or_default(),
        FieldType::Person => person.to_string(),
        FieldType::Tag => "\"\"".into(),
        FieldType::Reference(Some(folder)) => format!("{folder}/<slug>"),
        FieldType::Reference(None) => "<kind-folder>/<slug>".into(),
        FieldType::List(_) => "[]".into(),
        FieldType::Record(_) => "{}".into(),
    }
}

fn body_prompt(kind: &str) -> &'static str {
    match kind {
        "goal" => {
            "What is the goal, why does it matter to your manager, and how will you know it is met?"
        }
        "advice" => "What did you ask, what was the advice, and what will you do with it?",
        "feedback" => "What was said, in their words where you can, and what you will do about it.",
        "loyalty" => "What happened, and how you had their back (or they had yours).",
        "achievement" => "What you delivered, what changed because of it, and who noticed.",
        "contribution" => "What you took on or offered, and why it helps your manager or the team.",
        "conversation" => "What you talked about, what was decided, and what to follow up on.",
        _ => "Write what happened, in your own words.",
    }
}

/// A title as a YAML string, quoted only when it must be.
fn yaml_string(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}
