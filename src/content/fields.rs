//! Front-matter values checked against the schema. Every problem of an entry is collected, each
//! with the YAML path it is about, so that all of them can be reported with their lines at once.

use serde_yaml::{Mapping, Value};

use super::date::EntryDate;
use super::model::{too_long_for_a_file_name, url_slug};
use super::schema::{FieldSpec, FieldType};
use crate::error::Severity;
use crate::yaml::PathSeg;

/// A value that passed its field's check.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// Text, an enum word, a person id or an entry reference.
    Text(String),
    Bool(bool),
    Date(EntryDate),
    Integer(i64),
    List(Vec<FieldValue>),
    /// Values aligned with the record's field specs.
    Record(Vec<Option<FieldValue>>),
}

impl FieldValue {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            FieldValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<&EntryDate> {
        match self {
            FieldValue::Date(date) => Some(date),
            _ => None,
        }
    }

    pub fn as_list(&self) -> &[FieldValue] {
        match self {
            FieldValue::List(items) => items,
            other => std::slice::from_ref(other),
        }
    }

    /// The texts of a list of texts (tags, person ids, references).
    pub fn texts(&self) -> Vec<String> {
        self.as_list()
            .iter()
            .filter_map(|v| v.as_text().map(str::to_string))
            .collect()
    }
}

/// Something wrong (or suspicious) at a YAML path of the front matter.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub path: Vec<PathSeg>,
    pub message: String,
    /// The problem is the key itself (an unknown field), not its value.
    pub at_key: bool,
}

/// A person id or an entry reference met while checking, to be checked against the people and
/// entries of the whole playbook once everything is loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub path: Vec<PathSeg>,
    pub value: String,
    /// For references: the kind folder the target must have, if the field says.
    pub folder: Option<String>,
}

/// What checking a front matter found besides its values.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<Problem>,
    pub people: Vec<Mention>,
    pub references: Vec<Mention>,
}

impl Findings {
    pub fn error(&mut self, path: &[PathSeg], message: String) {
        self.push(Severity::Error, path, message, false);
    }

    pub fn warning(&mut self, path: &[PathSeg], message: String) {
        self.push(Severity::Warning, path, message, false);
    }

    fn push(&mut self, severity: Severity, path: &[PathSeg], message: String, at_key: bool) {
        self.problems.push(Problem {
            severity,
            path: path.to_vec(),
            message,
            at_key,
        });
    }
}

/// Checks a mapping against groups of field specs (the shared fields, then the kind's own);
/// returns one vector of values per group, aligned with its specs.
pub fn check_mapping(
    map: &Mapping,
    groups: &[&[FieldSpec]],
    path: &mut Vec<PathSeg>,
    findings: &mut Findings,
) -> Vec<Vec<Option<FieldValue>>> {
    let mut values: Vec<Vec<Option<FieldValue>>> =
        groups.iter().map(|specs| vec![None; specs.len()]).collect();
    for (key, value) in map {
        let Some(name) = key.as_str() else {
            path.push(PathSeg::Key(scalar_text(key).unwrap_or_default()));
            findings.error(path, "field names must be text".into());
            path.pop();
            continue;
        };
        path.push(PathSeg::Key(name.to_string()));
        let found = groups.iter().enumerate().find_map(|(g, specs)| {
            specs
                .iter()
                .position(|spec| spec.name == name)
                .map(|i| (g, i))
        });
        match found {
            Some((g, i)) if !value.is_null() => {
                values[g][i] = check_value(value, &groups[g][i], &groups[g][i].ty, path, findings);
            }
            Some(_) => {}
            None => {
                let known = groups
                    .iter()
                    .flat_map(|specs| specs.iter().map(|s| s.name.as_str()));
                let hint = did_you_mean(name, known);
                let message = format!("unknown field `{name}` is ignored{hint}");
                findings.push(Severity::Warning, path, message, true);
            }
        }
        path.pop();
    }
    for (g, specs) in groups.iter().enumerate() {
        for (i, spec) in specs.iter().enumerate() {
            if spec.required
                && values[g][i].is_none()
                && !has_problem_under(findings, path, &spec.name)
            {
                findings.error(
                    path,
                    format!(
                        "missing required field `{}` ({})",
                        spec.name,
                        spec.ty.describe()
                    ),
                );
            }
        }
    }
    values
}

/// Whether a problem was already reported for `parent.name` (a wrong value is not also missing).
fn has_problem_under(findings: &Findings, parent: &[PathSeg], name: &str) -> bool {
    findings.problems.iter().any(|p| {
        p.path.len() > parent.len()
            && p.path[..parent.len()] == *parent
            && p.path[parent.len()] == PathSeg::Key(name.to_string())
    })
}

/// Why a value was not taken.
enum Rejection {
    /// Not of the field's type at all: `expected <type>, found <value>`.
    WrongType,
    /// Of the type, but wrong; the whole message.
    Problem(String),
}

/// Checks one value against its field's type `ty` (the field's own, or its list's item type)
/// and reports why it is not taken, if it is not.
fn check_value(
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
fn scalar_text(value: &Value) -> Option<String> {
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

/// `; did you mean `near`?` when a candidate is near enough to `word` to be a likely typo, or
/// nothing; for the end of a message.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default()
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::schema::Schema;

    fn check(yaml: &str, kind: &str) -> (Vec<Vec<Option<FieldValue>>>, Findings) {
        let schema = Schema::default();
        let kind = &schema.kinds[schema.kind_by_name(kind).unwrap()];
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        let mut findings = Findings::default();
        let values = check_mapping(
            value.as_mapping().unwrap(),
            &[&schema.common, &kind.fields],
            &mut Vec::new(),
            &mut findings,
        );
        (values, findings)
    }

    fn messages(findings: &Findings) -> Vec<String> {
        findings
            .problems
            .iter()
            .map(|p| p.message.clone())
            .collect()
    }

    #[test]
    fn a_valid_entry_has_no_problems() {
        let (values, findings) = check(
            "title: A\ndate: 2026-01-01\nfrom: dana\napplied: true\n",
            "advice",
        );
        assert!(findings.problems.is_empty(), "{:?}", findings.problems);
        assert_eq!(values[1][0], Some(FieldValue::Text("dana".into())));
        assert_eq!(findings.people[0].value, "dana");
    }

    #[test]
    fn every_problem_of_an_entry_is_collected() {
        let (_, findings) = check(
            "title: A\ndate: 2026-02-30\nprogress: 120\nstatus: actve\nowner: [me]\nstatuss: x\n",
            "goal",
        );
        let all = messages(&findings).join("\n");
        assert!(
            all.contains("`date`: `2026-02-30` is not a valid date"),
            "{all}"
        );
        assert!(all.contains("`progress`: 120 is out of range"), "{all}");
        assert!(
            all.contains("`actve` is not allowed; expected one of: active, met, dropped; did you mean `active`?"),
            "{all}"
        );
        assert!(
            all.contains("`owner`: expected one of: boss, me, team, found a list"),
            "{all}"
        );
        assert!(
            all.contains("unknown field `statuss` is ignored; did you mean `status`?"),
            "{all}"
        );
        assert!(
            !all.contains("missing required field `date`"),
            "a wrong date is not also missing: {all}"
        );
    }

    #[test]
    fn missing_required_fields_are_named() {
        let (_, findings) = check("title: A\n", "feedback");
        let all = messages(&findings).join("\n");
        assert!(all.contains("missing required field `date`"), "{all}");
        assert!(
            all.contains("missing required field `from` (a person id)"),
            "{all}"
        );
    }

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
