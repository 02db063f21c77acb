//! Parsing one entry's text into an `Entry`: split the front matter, guard and parse its YAML,
//! check it against the kind's fields, and render the body. Every problem is located at a line
//! and column of the file; nothing here looks at other entries.

use std::path::Path;

use super::date::EntryDate;
use super::fields::{FieldValue, Findings, check_mapping};
use super::front_matter::split_front_matter;
use super::model::{Entry, Reference};
use crate::config::Config;
use crate::error::did_you_mean;
use crate::error::{Diagnostic, Severity};
use crate::markdown;
use crate::schema::{FieldSpec, KindId, Practice, field};
use crate::slug::{slugify, too_long_for_a_file_name, url_slug};
use crate::yaml::{PathSeg, guard_yaml, locate, yaml_diagnostic};

/// serde_yaml spends quadratic time on aliased anchors; a front matter this size is plenty.
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
const SUMMARY_CHARS: usize = 220;

/// Parses one entry's text into an entry of `kind`: the entry when it has no error, and every
/// error and warning found, each with its line and column in the file.
pub fn parse_entry(
    config: &Config,
    kind: KindId,
    rel: &Path,
    text: &str,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let front = match parse_front_matter(rel, text) {
        Ok(front) => front,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let schema = &config.schema;
    let mut findings = Findings::default();
    let mut values = check_mapping(
        &front.map,
        &[&schema.common, &schema.kind(kind).fields],
        &mut Vec::new(),
        &mut findings,
    );
    let fields = values.pop().unwrap_or_default();
    let common = CommonFields {
        specs: &schema.common,
        values: values.pop().unwrap_or_default(),
    };
    check_people(config, &mut findings);
    let title = entry_title(&common, &mut findings);
    let slug = entry_slug(&common, rel, &mut findings);
    let diagnostics = locate_findings(&findings, &front, rel);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return (None, diagnostics);
    }
    let Some(date) = common
        .get(field::DATE)
        .and_then(FieldValue::as_date)
        .copied()
    else {
        return (None, diagnostics);
    };
    let head = EntryHead {
        kind,
        rel,
        title,
        slug,
        date,
    };
    let entry = build_entry(config, head, &common, fields, &findings, &front);
    (Some(entry), diagnostics)
}

/// A front matter that parsed as a YAML mapping, with what is needed to locate its values.
struct FrontMatter<'t> {
    yaml: &'t str,
    body: &'t str,
    /// The number of file lines before `yaml`.
    offset: usize,
    map: serde_yaml::Mapping,
}

impl FrontMatter<'_> {
    /// The file line and column of the value at `path`.
    fn at(&self, path: &[PathSeg]) -> (usize, usize) {
        let (line, column) = locate(self.yaml, path);
        (line + self.offset, column)
    }
}

/// Splits `text` and parses its front matter, refusing an empty file, a missing or empty front
/// matter, one too large or too costly to parse, broken YAML, and YAML that is not a mapping.
fn parse_front_matter<'t>(rel: &Path, text: &'t str) -> Result<FrontMatter<'t>, Diagnostic> {
    let fail = |message: &str, line: usize| Diagnostic::error(rel, message).at(line, 1);
    if text.trim().is_empty() {
        return Err(fail(
            "the file is empty: an entry starts with front matter (`---`, `title:`, `date:`, `---`)",
            1,
        ));
    }
    let split = split_front_matter(text).map_err(|err| fail(err.message(), 1))?;
    if split.yaml.trim().is_empty() {
        return Err(fail(
            "front matter is empty: it needs at least `title:` and `date:`",
            1,
        ));
    }
    if split.yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(fail(
            "front matter is larger than 64 KiB",
            split.yaml_first_line,
        ));
    }
    let offset = split.yaml_first_line - 1;
    guard_yaml(rel, split.yaml, offset)?;
    let value: serde_yaml::Value = serde_yaml::from_str(split.yaml)
        .map_err(|err| yaml_diagnostic(rel, &err, split.yaml, offset))?;
    let serde_yaml::Value::Mapping(map) = value else {
        return Err(fail(
            "front matter must be `key: value` lines (a YAML mapping), e.g. `title: …`",
            split.yaml_first_line,
        ));
    };
    Ok(FrontMatter {
        yaml: split.yaml,
        body: split.body,
        offset,
        map,
    })
}

/// The values of the fields every kind has, by name.
struct CommonFields<'a> {
    specs: &'a [FieldSpec],
    values: Vec<Option<FieldValue>>,
}

impl CommonFields<'_> {
    fn get(&self, name: &str) -> Option<&FieldValue> {
        let position = self.specs.iter().position(|f| f.name == name)?;
        self.values.get(position)?.as_ref()
    }

    fn texts(&self, name: &str) -> Vec<String> {
        self.get(name).map(FieldValue::texts).unwrap_or_default()
    }
}

fn key(name: &str) -> [PathSeg; 1] {
    [PathSeg::Key(name.to_string())]
}

/// Warns of people not under `people:` in playbook.yaml, when that list is given.
fn check_people(config: &Config, findings: &mut Findings) {
    if config.people.is_empty() {
        return;
    }
    for mention in findings.people.clone() {
        if !config.people.contains_key(&mention.value) {
            let ids = config.people.keys().map(String::as_str);
            let hint = did_you_mean(&mention.value, ids);
            let message = format!(
                "unknown person `{}`: not under `people:` in playbook.yaml{hint}",
                mention.value
            );
            findings.warning(&mention.path, message);
        }
    }
}

/// The trimmed title; an error if it is given but empty.
fn entry_title(common: &CommonFields, findings: &mut Findings) -> String {
    let title = common
        .get(field::TITLE)
        .and_then(FieldValue::as_text)
        .unwrap_or_default()
        .trim()
        .to_string();
    if common.get(field::TITLE).is_some() && title.is_empty() {
        findings.error(&key(field::TITLE), "`title` is empty".into());
    }
    title
}

/// The slug: `slug:` if given, else the file name's; an error if it is not one or too long.
fn entry_slug(common: &CommonFields, rel: &Path, findings: &mut Findings) -> String {
    if let Some(slug) = common.get(field::SLUG).and_then(FieldValue::as_text) {
        if slugify(slug) != slug {
            let message = format!(
                "`slug: {slug}` may hold only a-z, 0-9 and single `-` between them (e.g. `{}`)",
                slugify(slug)
            );
            findings.error(&key(field::SLUG), message);
        } else if let Some(problem) = too_long_for_a_file_name("`slug:`", slug) {
            findings.error(&key(field::SLUG), problem);
        }
        return slug.to_string();
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let slug = slugify(&stem);
    if slug.is_empty() {
        findings.error(
            &[],
            "the file name gives an empty slug: use letters or digits in it, or set `slug:`".into(),
        );
    } else if let Some(problem) = too_long_for_a_file_name("the file name", &slug) {
        findings.error(&[], format!("{problem}, or set a shorter `slug:`"));
    }
    slug
}

/// The findings as diagnostics at lines and columns of the file, duplicates dropped.
fn locate_findings(findings: &Findings, front: &FrontMatter, rel: &Path) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = findings
        .problems
        .iter()
        .map(|problem| {
            let (line, mut column) = front.at(&problem.path);
            if problem.at_key {
                // The key starts where the line's indentation ends.
                let text = front
                    .yaml
                    .lines()
                    .nth(line - front.offset - 1)
                    .unwrap_or("");
                column = text.len() - text.trim_start().len() + 1;
            }
            Diagnostic {
                severity: problem.severity,
                path: rel.to_path_buf(),
                line: Some(line),
                column: Some(column),
                message: problem.message.clone(),
            }
        })
        .collect();
    diagnostics.dedup();
    diagnostics
}

/// What is known of a sound entry before it is put together.
struct EntryHead<'a> {
    kind: KindId,
    rel: &'a Path,
    title: String,
    slug: String,
    date: EntryDate,
}

/// Puts a sound entry together: its people, practices, tags and references, and its body
/// rendered to HTML with a summary.
fn build_entry(
    config: &Config,
    head: EntryHead,
    common: &CommonFields,
    fields: Vec<Option<FieldValue>>,
    findings: &Findings,
    front: &FrontMatter,
) -> Entry {
    let spec = config.schema.kind(head.kind);
    let mut people: Vec<String> = Vec::new();
    for mention in &findings.people {
        if !people.contains(&mention.value) {
            people.push(mention.value.clone());
        }
    }
    let mut practices = vec![spec.practice];
    for id in &common.texts(field::PRACTICES) {
        if let Some(practice) = Practice::from_id(id)
            && !practices.contains(&practice)
        {
            practices.push(practice);
        }
    }
    let tags = common.texts(field::TAGS);
    let references = findings
        .references
        .iter()
        .map(|mention| {
            let (line, column) = front.at(&mention.path);
            let field = match mention.path.first() {
                Some(PathSeg::Key(name)) => name.clone(),
                _ => String::new(),
            };
            Reference {
                field,
                target: mention.value.clone(),
                folder: mention.folder.clone(),
                line,
                column,
            }
        })
        .collect();
    let written_summary = common
        .get(field::SUMMARY)
        .and_then(FieldValue::as_text)
        .map(str::trim)
        .filter(|summary| !summary.is_empty());
    // Search looks at the title, the tags and people and the summary before a body's words
    // (see `render::search`): the words need not repeat them.
    let names = people.iter().map(|id| config.person_name(id));
    let known = [head.title.as_str(), written_summary.unwrap_or_default()]
        .into_iter()
        .chain(tags.iter().map(String::as_str))
        .chain(names)
        .collect::<Vec<&str>>()
        .join("\n");
    let rendered = markdown::render(
        front.body,
        written_summary.is_none().then_some(SUMMARY_CHARS),
        &known,
    );
    let summary = written_summary.map_or(rendered.summary, str::to_string);
    Entry {
        kind: head.kind,
        key: format!("{}/{}", spec.folder, head.slug),
        slug: head.slug,
        source: head.rel.to_path_buf(),
        title: head.title,
        date: head.date,
        tag_slugs: tags.iter().map(|tag| url_slug(tag)).collect(),
        tags,
        person_slugs: people.iter().map(|id| url_slug(id)).collect(),
        people,
        practices,
        related: common.texts(field::RELATED),
        competencies: common.texts(field::COMPETENCIES),
        draft: common
            .get(field::DRAFT)
            .and_then(FieldValue::as_bool)
            .unwrap_or(false),
        summary,
        search_words: rendered.words,
        html: rendered.html,
        fields,
        references,
    }
}
