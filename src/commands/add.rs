//! `playbook add KIND TITLE [--set FIELD=VALUE]... [--tag T]... [--body TEXT]`: a complete
//! entry in one line. Each `--set` value is read as its field's type (a list as `a,b`; one item
//! of a list of records, such as a feedback's `actions`, as `--set action=TEXT`), and the entry
//! is checked before it is written: a bad value is an error at the command line and no file is
//! written.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::new::{NewError, NewOptions, create_entry, entry_path};
use crate::config::Config;
use crate::content::check::check_references_to;
use crate::content::load::read_entries;
use crate::content::parse::parse_entry;
use crate::error::{Diagnostic, Severity, did_you_mean};
use crate::schema::{FieldSpec, FieldType, KindId, KindSpec, Schema};

pub struct AddOptions {
    pub new: NewOptions,
    /// `FIELD=VALUE`, in the order given.
    pub set: Vec<String>,
    pub tags: Vec<String>,
    pub body: String,
}

/// One front matter line and what it came from, for messages.
pub(super) struct Line {
    pub key: String,
    pub value: Value,
    /// `--set progress=60`, `--tag x`, or empty for what the command writes itself.
    pub origin: String,
}

/// Writes the entry and returns its path relative to the root; nothing is written when a value
/// is wrong (the usage error names the argument).
pub fn add_entry(options: &AddOptions) -> Result<Added, NewError> {
    let config = Config::load(&options.new.root)?;
    let (kind, rel, date) = entry_path(&config, &options.new)?;
    let lines = front_matter(&config.schema, kind, &date, options)?;
    let text = entry_text(&lines, &options.body);
    let (entry, diagnostics) = parse_entry(&config, kind, &rel, &text);
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) = diagnostics
        .iter()
        .partition(|d| d.severity == Severity::Error);
    let mut problems: Vec<String> = errors.iter().map(|d| told(d, &lines)).collect();
    if let Some(entry) = entry {
        let keys = existing_keys(&options.new.root, &config)?;
        let found = check_references_to(&entry, &keys);
        problems.extend(found.iter().map(|d| told(d, &lines)));
        if keys.contains(entry.key.as_str()) {
            problems.push(format!(
                "`{}` exists already: choose another title, or `playbook edit {}`",
                entry.key, entry.slug
            ));
        }
    }
    if !problems.is_empty() {
        return Err(NewError::Usage(problems.join("\nerror: ")));
    }
    create_entry(&options.new.root, &rel, &text)?;
    Ok(Added {
        path: rel,
        warnings: warnings.iter().map(|d| told(d, &lines)).collect(),
    })
}

/// The entry `add` wrote, and what the check only warned about (an unknown person, say), in
/// the words of the command line.
pub struct Added {
    pub path: PathBuf,
    pub warnings: Vec<String>,
}

/// The front matter lines: title, date, tags, then each `--set` as its field's type.
fn front_matter(
    schema: &Schema,
    kind: KindId,
    date: &str,
    options: &AddOptions,
) -> Result<Vec<Line>, NewError> {
    let spec = schema.kind(kind);
    let title = options.new.title.as_str();
    let mut lines = vec![
        line("title", Value::from(title), ""),
        line("date", Value::from(date), ""),
    ];
    if !options.tags.is_empty() {
        let tags = options
            .tags
            .iter()
            .map(|t| Value::from(t.as_str()))
            .collect();
        let argument = format!("--tag {}", options.tags.join(" --tag "));
        lines.push(line("tags", Value::Sequence(tags), &argument));
    }
    for argument in &options.set {
        let Some((name, raw)) = argument.split_once('=') else {
            return Err(NewError::Usage(format!(
                "--set {argument}: write FIELD=VALUE, e.g. --set progress=40"
            )));
        };
        let (name, raw) = (name.trim(), raw.trim());
        let argument = format!("--set {argument}");
        match field_of(schema, spec, name) {
            Some(Target::Field(field)) => {
                let value = typed(&field.ty, raw);
                match lines.iter_mut().find(|l| l.key == field.name) {
                    // A list set twice grows; anything else is set once.
                    Some(existing) => match (&mut existing.value, value) {
                        (Value::Sequence(items), Value::Sequence(more)) => items.extend(more),
                        _ => {
                            return Err(NewError::Usage(format!(
                                "{argument}: `{name}` is set twice"
                            )));
                        }
                    },
                    None => lines.push(line(&field.name, value, &argument)),
                }
            }
            Some(Target::Item { list, first }) => {
                let mut record = Mapping::new();
                record.insert(Value::from(first), Value::from(raw));
                let item = Value::Mapping(record);
                match lines.iter_mut().find(|l| l.key == list) {
                    Some(Line {
                        value: Value::Sequence(items),
                        ..
                    }) => items.push(item),
                    _ => lines.push(line(&list, Value::Sequence(vec![item]), &argument)),
                }
            }
            None => {
                let names: Vec<&str> = (spec.fields.iter().chain(&schema.common))
                    .map(|f| f.name.as_str())
                    .collect();
                return Err(NewError::Usage(format!(
                    "{argument}: a {} has no field `{name}`{}; its fields: {}",
                    spec.name,
                    did_you_mean(name, names.iter().copied()),
                    names.join(", ")
                )));
            }
        }
    }
    Ok(lines)
}

pub(super) fn line(key: &str, value: Value, origin: &str) -> Line {
    Line {
        key: key.to_string(),
        value,
        origin: origin.to_string(),
    }
}

/// What a `--set` name sets.
enum Target<'a> {
    Field(&'a FieldSpec),
    /// One item of a list of records (`action` of `actions`), its first field set.
    Item {
        list: String,
        first: String,
    },
}

/// The field `name` names among the kind's and the common ones, or the list of records whose
/// singular it is.
fn field_of<'a>(schema: &'a Schema, spec: &'a KindSpec, name: &str) -> Option<Target<'a>> {
    let mut fields = spec.fields.iter().chain(&schema.common);
    if let Some(field) = fields.find(|f| f.name == name) {
        return Some(Target::Field(field));
    }
    let list = format!("{name}s");
    let field = spec.fields.iter().find(|f| f.name == list)?;
    let FieldType::List(item) = &field.ty else {
        return None;
    };
    let FieldType::Record(fields) = &**item else {
        return None;
    };
    Some(Target::Item {
        list,
        first: fields.first()?.name.clone(),
    })
}

/// `raw` as a YAML value of type `ty`: lists split at commas, numbers and booleans parsed when
/// they are (anything else stays text, for the check to report in the field's words).
pub(super) fn typed(ty: &FieldType, raw: &str) -> Value {
    match ty {
        FieldType::List(item) => Value::Sequence(
            raw.split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| typed(item, part))
                .collect(),
        ),
        FieldType::Integer { .. } => raw
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(raw)),
        FieldType::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" => Value::from(true),
            "false" | "no" => Value::from(false),
            _ => Value::from(raw),
        },
        _ => Value::from(raw),
    }
}

/// The entry's text: one front matter line per key (lists and records in flow style, so that
/// a line of the text is a line of `lines`), then the body.
pub(super) fn entry_text(lines: &[Line], body: &str) -> String {
    let mut text = String::from("---\n");
    for line in lines {
        text.push_str(&format!(
            "{}: {}\n",
            line.key,
            yaml_text(&line.value, false)
        ));
    }
    text.push_str("---\n");
    let body = body.trim();
    if !body.is_empty() {
        text.push_str(body);
        text.push('\n');
    }
    text
}

/// `value` as YAML on one line; strings inside a flow collection are always double-quoted (as
/// JSON writes them), since a comma or a bracket would end them.
fn yaml_text(value: &Value, in_flow: bool) -> String {
    match value {
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(|item| yaml_text(item, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", yaml_text(k, true), yaml_text(v, true)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        // A line break would make a block of several lines: a line of the text is a line of
        // `lines` (messages point back through it).
        Value::String(text) if in_flow || text.contains(['\n', '\r']) => {
            serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
        }
        other => serde_yaml::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

/// A diagnostic of the generated text, told by the argument that wrote its line.
fn told(diagnostic: &Diagnostic, lines: &[Line]) -> String {
    // Line 1 is `---`; the front matter's lines follow in order.
    let argument = diagnostic
        .line
        .and_then(|n| n.checked_sub(2))
        .and_then(|i| lines.get(i))
        .map(|line| line.origin.as_str())
        .filter(|argument| !argument.is_empty());
    match argument {
        Some(argument) => format!("{argument}: {}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// The keys of the playbook's entries (`<kind-folder>/<slug>`), those that fail to parse too.
fn existing_keys(root: &Path, config: &Config) -> Result<HashSet<String>, NewError> {
    let (parsed, _) = read_entries(root, config)?;
    Ok(parsed.into_iter().map(|parsed| parsed.key).collect())
}
