//! Front-matter values checked against the schema. Every problem of an entry is collected, each
//! with the YAML path it is about, so that all of them can be reported with their lines at once.
//! `check_mapping` goes through the fields of a mapping; `value` checks each value by its type.

use serde_yaml::Mapping;

use super::date::EntryDate;
use crate::error::{Severity, did_you_mean};
use crate::schema::FieldSpec;
use crate::yaml::PathSeg;
use value::{check_value, scalar_text};

mod value;

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
                let hint = match name {
                    // Every entry has it, once there is a ladder to name.
                    crate::schema::field::COMPETENCIES => {
                        ": list your career ladder under `ladder:` in playbook.yaml first".into()
                    }
                    _ => did_you_mean(name, known),
                };
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

#[cfg(test)]
mod tests {
    use serde_yaml::Value;

    use super::*;
    use crate::schema::Schema;

    pub(super) fn check(yaml: &str, kind: &str) -> (Vec<Vec<Option<FieldValue>>>, Findings) {
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
}
