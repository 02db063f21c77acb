//! One front-matter value checked against its field's type: the check of each type, why a
//! value is not taken (`Rejection`), and how values read as text and are described in messages.
//! A record is a mapping of its own: its fields go back through `check_mapping`.

use serde_yaml::Value;

use super::{FieldValue, Findings, Mention, check_mapping};
use crate::content::date::EntryDate;
use crate::error::did_you_mean;
use crate::schema::{FieldSpec, FieldType};
use crate::slug::{too_long_for_a_file_name, url_slug};
use crate::yaml::PathSeg;

/// Why a value was not taken.
enum Rejection {
    /// Not of the field's type at all: `expected <type>, found <value>`.
    WrongType,
    /// Of the type, but wrong; the whole message.
    Problem(String),
}

/// Checks one value against its field's type `ty` (the field's own, or its list's item type)
/// and reports why it is not taken, if it is not.
pub(super) fn check_value(
    value: &Value,
    spec: &FieldSpec,
    ty: &FieldType,
    path: &mut Vec<PathSeg>,
    findings: &mut Findings,
) -> Option<FieldValue> {
    let value = untag(value);
    let checked = match ty {
        FieldType::Text => scalar_text(value)
            .map(FieldValue::Text)
            .ok_or(Rejection::WrongType),
        FieldType::Bool => match value {
            Value::Bool(b) => Ok(FieldValue::Bool(*b)),
            _ => Err(Rejection::WrongType),
        },
        FieldType::Date => check_date(value, spec),
        FieldType::Integer { min, max } => check_integer(value, (*min, *max), spec, ty),
        FieldType::Enum(allowed) => check_enum(value, allowed, spec, ty),
        FieldType::Tag => check_tag(value),
        FieldType::Person | FieldType::Reference(_) => check_mention(value, ty, path, findings),
        FieldType::List(item) => return Some(check_list(value, spec, item, path, findings)),
        FieldType::Record(fields) => match value {
            Value::Mapping(map) => {
                let mut values = check_mapping(map, &[fields], path, findings);
                return Some(FieldValue::Record(values.remove(0)));
            }
            _ => Err(Rejection::WrongType),
        },
    };
    match checked {
        Ok(checked) => Some(checked),
        Err(Rejection::WrongType) => {
            let (expected, found) = (ty.describe(), describe_value(value));
            let message = format!("`{}`: expected {expected}, found {found}", spec.name);
            findings.error(path, message);
            None
        }
        Err(Rejection::Problem(message)) => {
            findings.error(path, message);
            None
        }
    }
}

/// A date written `YYYY-MM-DD` that names a real day.
fn check_date(value: &Value, spec: &FieldSpec) -> Result<FieldValue, Rejection> {
    match value.as_str().map(EntryDate::parse) {
        Some(Ok(date)) => Ok(FieldValue::Date(date)),
        Some(Err(message)) => Err(Rejection::Problem(format!("`{}`: {message}", spec.name))),
        None => Err(Rejection::WrongType),
    }
}

/// A whole number within the field's `(min, max)`, where it has them.
fn check_integer(
    value: &Value,
    (min, max): (Option<i64>, Option<i64>),
    spec: &FieldSpec,
    ty: &FieldType,
) -> Result<FieldValue, Rejection> {
    match value.as_i64() {
        Some(n) if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) => {
            Err(Rejection::Problem(format!(
                "`{}`: {n} is out of range: expected {}",
                spec.name,
                ty.describe()
            )))
        }
        Some(n) => Ok(FieldValue::Integer(n)),
        None => Err(Rejection::WrongType),
    }
}

/// One of the `allowed` words; a near miss is named as the likely typo.
fn check_enum(
    value: &Value,
    allowed: &[String],
    spec: &FieldSpec,
    ty: &FieldType,
) -> Result<FieldValue, Rejection> {
    match scalar_text(value) {
        Some(word) if allowed.contains(&word) => Ok(FieldValue::Text(word)),
        Some(word) => {
            let hint = did_you_mean(&word, allowed.iter().map(String::as_str));
            Err(Rejection::Problem(format!(
                "`{}`: `{word}` is not allowed; expected {}{hint}",
                spec.name,
                ty.describe()
            )))
        }
        None => Err(Rejection::WrongType),
    }
}

/// A tag that can give its page address.
fn check_tag(value: &Value) -> Result<FieldValue, Rejection> {
    let tag = scalar_text(value).ok_or(Rejection::WrongType)?;
    match address_problem("tag", &tag) {
        Some(problem) => Err(Rejection::Problem(problem)),
        None => Ok(FieldValue::Text(tag)),
    }
}

/// A person id or an entry reference, noted as a mention to be checked against the whole
/// playbook once it is loaded.
fn check_mention(
    value: &Value,
    ty: &FieldType,
    path: &[PathSeg],
    findings: &mut Findings,
) -> Result<FieldValue, Rejection> {
    let text = scalar_text(value);
    let address = match (&text, ty) {
        (Some(text), FieldType::Person) => address_problem("person id", text),
        _ => None,
    };
    match (text, address) {
        (_, Some(problem)) => Err(Rejection::Problem(problem)),
        (Some(text), None) if !text.trim().is_empty() => {
            let mention = Mention {
                path: path.to_vec(),
                value: text.trim().to_string(),
                folder: match ty {
                    FieldType::Reference(folder) => folder.clone(),
                    _ => None,
                },
            };
            if matches!(ty, FieldType::Person) {
                findings.people.push(mention);
            } else {
                findings.references.push(mention);
            }
            Ok(FieldValue::Text(text.trim().to_string()))
        }
        _ => Err(Rejection::WrongType),
    }
}

/// The items of a list, each checked against `item`; a single value is a list of one (and
/// keeps the field's own path). Items that fail are left out.
fn check_list(
    value: &Value,
    spec: &FieldSpec,
    item: &FieldType,
    path: &mut Vec<PathSeg>,
    findings: &mut Findings,
) -> FieldValue {
    let items: Vec<&Value> = match value {
        Value::Sequence(items) => items.iter().collect(),
        single => vec![single],
    };
    let is_sequence = value.is_sequence();
    let mut checked = Vec::with_capacity(items.len());
    for (index, item_value) in items.into_iter().enumerate() {
        if is_sequence {
            path.push(PathSeg::Index(index));
        }
        if let Some(v) = check_value(item_value, spec, item, path, findings) {
            checked.push(v);
        }
        if is_sequence {
            path.pop();
        }
    }
    FieldValue::List(checked)
}

/// `!tag value` is read as `value`.
fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// Text of a scalar: strings as they are, numbers and booleans as written (`target: 100`).
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match untag(value) {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Why a tag or person id cannot give its page address, if it cannot.
fn address_problem(what: &str, text: &str) -> Option<String> {
    let address = url_slug(text);
    if address.is_empty() {
        return Some(format!(
            "{what} `{text}` has no letter or digit to make its page address from"
        ));
    }
    too_long_for_a_file_name(what, &address)
}

fn describe_value(value: &Value) -> String {
    match untag(value) {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a long text".into(),
        Value::String(s) => format!("the text `{s}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(map) => match text_with_colon(map) {
            Some(text) => {
                format!("a mapping: text that holds `: ` must be in quotes, e.g. `\"{text}\"`")
            }
            None => "a mapping".into(),
        },
        Value::Tagged(_) => "a tagged value".into(),
    }
}

/// The text a one-pair mapping of plain words was most likely meant to be: `[Promotion to
/// senior: the plan]` reads as a list holding the mapping `Promotion to senior` → `the plan`.
fn text_with_colon(map: &serde_yaml::Mapping) -> Option<String> {
    let (key, value) = map.iter().next().filter(|_| map.len() == 1)?;
    let value = match value {
        Value::Null => String::new(),
        value => scalar_text(value)?,
    };
    Some(
        format!("{}: {value}", scalar_text(key)?)
            .trim_end()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::fields::tests::check;

    #[test]
    fn records_in_lists_are_checked_with_their_path() {
        let (_, findings) = check(
            "title: A\ndate: 2026-01-01\nfrom: d\nactions:\n  - {task: x, done: maybe}\n  - {done: true}\n",
            "feedback",
        );
        let paths: Vec<&Vec<PathSeg>> = findings.problems.iter().map(|p| &p.path).collect();
        assert_eq!(
            paths,
            [
                &vec![
                    PathSeg::Key("actions".into()),
                    PathSeg::Index(0),
                    PathSeg::Key("done".into())
                ],
                &vec![PathSeg::Key("actions".into()), PathSeg::Index(1)],
            ]
        );
    }

    #[test]
    fn a_single_value_is_a_list_of_one() {
        let (values, findings) = check(
            "title: A\ndate: 2026-01-01\ntags: roadmap\nwith: dana\n",
            "conversation",
        );
        assert!(findings.problems.is_empty());
        assert_eq!(values[0][2].as_ref().unwrap().texts(), ["roadmap"]);
    }
}
