//! The kinds and fields `playbook.yaml` adds under `kinds:`, applied to the default schema;
//! a declaration that cannot be applied is a problem at its path in the file.

use indexmap::IndexMap;

use super::{FieldConfig, FieldTypeName, KindConfig};
use crate::schema::{FieldSpec, FieldType, KindId, KindSpec, Practice, Schema, Section};
use crate::slug::{slugify, too_long_for_a_file_name};
use crate::yaml::PathSeg;

/// Where in playbook.yaml a problem is, and what it is.
type ConfigProblem = (Vec<PathSeg>, String);

/// The default schema with the kinds and fields of `kinds:` applied.
pub(super) fn build_schema(
    kinds: &IndexMap<String, KindConfig>,
) -> Result<Schema, Vec<ConfigProblem>> {
    let mut schema = Schema::default();
    let mut problems = Vec::new();
    for (name, kind) in kinds {
        let path = vec![PathSeg::Key("kinds".into()), PathSeg::Key(name.clone())];
        let id = match kind_to_configure(&mut schema, name, kind) {
            Ok(id) => id,
            Err(message) => {
                problems.push((path, message));
                continue;
            }
        };
        let spec = &mut schema.kinds[id];
        apply_kind_settings(spec, kind);
        configure_fields(&schema.common, spec, kind, &path, &mut problems);
    }
    problems.extend(dangling_references(&schema));
    if problems.is_empty() {
        Ok(schema)
    } else {
        Err(problems)
    }
}

/// The kind that `kinds: <name>` configures: a built-in one (whose folder cannot change), or a
/// new one added to `schema`.
fn kind_to_configure(schema: &mut Schema, name: &str, kind: &KindConfig) -> Result<KindId, String> {
    match schema.kind_by_name(name) {
        Some(id)
            if kind
                .folder
                .as_ref()
                .is_some_and(|f| *f != schema.kinds[id].folder) =>
        {
            Err(format!(
                "the folder of the built-in kind `{name}` is `{}` and cannot change",
                schema.kinds[id].folder
            ))
        }
        Some(id) => Ok(id),
        None => add_kind(schema, name, kind),
    }
}

/// Adds the new kind `name` to `schema`, when its name, its folder and its practice allow.
fn add_kind(schema: &mut Schema, name: &str, kind: &KindConfig) -> Result<KindId, String> {
    let folder = kind.folder.clone().unwrap_or_else(|| name.to_string());
    if slugify(name) != *name || slugify(&folder) != folder {
        return Err(format!(
            "kind `{name}` and its folder may hold only a-z, 0-9 and `-`"
        ));
    }
    if let Some(problem) = too_long_for_a_file_name("the kind's folder", &folder) {
        return Err(problem);
    }
    if schema.kind_by_folder(&folder).is_some()
        || Section::ALL
            .iter()
            .any(|section| section.folder() == folder)
    {
        return Err(format!("folder `{folder}` is already used by the site"));
    }
    let Some(practice) = kind.practice else {
        return Err(format!(
            "new kind `{name}` needs `practice:`, one of {}",
            practice_ids()
        ));
    };
    let label = kind.label.clone().unwrap_or_else(|| capitalise(name));
    schema.kinds.push(KindSpec {
        name: name.to_string(),
        folder,
        plural: kind.plural.clone().unwrap_or_else(|| label.clone()),
        label,
        practice,
        intro: kind.intro.clone().unwrap_or_default(),
        fields: Vec::new(),
    });
    Ok(schema.kinds.len() - 1)
}

/// The label, plural, intro and practice written under a kind replace its own.
fn apply_kind_settings(spec: &mut KindSpec, kind: &KindConfig) {
    if let Some(label) = &kind.label {
        spec.label = label.clone();
    }
    if let Some(plural) = &kind.plural {
        spec.plural = plural.clone();
    }
    if let Some(intro) = &kind.intro {
        spec.intro = intro.clone();
    }
    if let Some(practice) = kind.practice {
        spec.practice = practice;
    }
}

/// Adds the fields declared under a kind to `spec`, each replacing a field of the same name;
/// the fields every entry shares (`common`) cannot be declared again.
fn configure_fields(
    common: &[FieldSpec],
    spec: &mut KindSpec,
    kind: &KindConfig,
    path: &[PathSeg],
    problems: &mut Vec<ConfigProblem>,
) {
    for (field, config) in &kind.fields {
        let mut field_path = path.to_vec();
        field_path.extend([PathSeg::Key("fields".into()), PathSeg::Key(field.clone())]);
        if common.iter().any(|shared| shared.name == *field) {
            problems.push((
                field_path,
                format!("`{field}` is a field of every entry already; choose another name"),
            ));
            continue;
        }
        match field_spec(field, config) {
            Ok(new) => match spec.fields.iter_mut().find(|f| f.name == *field) {
                Some(existing) => *existing = new,
                None => spec.fields.push(new),
            },
            Err(message) => problems.push((field_path, message)),
        }
    }
}

/// Reference fields whose kind folder is none of the schema's, once every kind is in.
fn dangling_references(schema: &Schema) -> Vec<ConfigProblem> {
    let folders = schema.folders();
    let mut problems = Vec::new();
    for kind in &schema.kinds {
        for field in &kind.fields {
            if let Some(folder) = referenced_folder(&field.ty)
                && !folders.contains(&folder)
            {
                problems.push((
                    vec![PathSeg::Key("kinds".into())],
                    format!(
                        "field `{}` of `{}` refers to kind folder `{folder}`, which does not exist",
                        field.name, kind.name
                    ),
                ));
            }
        }
    }
    problems
}

/// The kind folder a reference field (or a list of references) must point into.
fn referenced_folder(ty: &FieldType) -> Option<&str> {
    match ty {
        FieldType::Reference(folder) => folder.as_deref(),
        FieldType::List(item) => referenced_folder(item),
        _ => None,
    }
}

fn field_type(name: FieldTypeName, config: &FieldConfig) -> Result<FieldType, String> {
    Ok(match name {
        FieldTypeName::Text => FieldType::Text,
        FieldTypeName::Bool => FieldType::Bool,
        FieldTypeName::Date => FieldType::Date,
        FieldTypeName::Integer => FieldType::Integer {
            min: config.min,
            max: config.max,
        },
        FieldTypeName::Enum => match &config.values {
            Some(values) if !values.is_empty() => FieldType::Enum(values.clone()),
            _ => return Err("an `enum` field needs `values: [..]`".into()),
        },
        FieldTypeName::Person => FieldType::Person,
        FieldTypeName::Reference => FieldType::Reference(config.kind.clone()),
        FieldTypeName::List => return Err("a list cannot hold lists".into()),
    })
}

fn field_spec(name: &str, config: &FieldConfig) -> Result<FieldSpec, String> {
    if slugify(&name.replace('_', "-")) != name.replace('_', "-") {
        return Err(format!(
            "field name `{name}` may hold only a-z, 0-9, `-` and `_`"
        ));
    }
    if let (Some(min), Some(max)) = (config.min, config.max)
        && min > max
    {
        return Err(format!("`min: {min}` is larger than `max: {max}`"));
    }
    let ty = match config.ty {
        FieldTypeName::List => FieldType::List(Box::new(field_type(
            config.of.unwrap_or(FieldTypeName::Text),
            config,
        )?)),
        other => field_type(other, config)?,
    };
    let label = config
        .label
        .clone()
        .unwrap_or_else(|| capitalise(&name.replace(['_', '-'], " ")));
    let mut spec = FieldSpec::new(name, &label, ty);
    spec.required = config.required;
    Ok(spec)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn practice_ids() -> String {
    Practice::ALL
        .iter()
        .map(|p| p.id())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn kinds_and_fields_can_be_added() {
        let config = Config::parse(
            "kinds:\n  praise:\n    practice: celebrate-and-support\n    fields:\n      \
             from: { type: person, required: true }\n      channel: { type: enum, values: [slack, email] }\n  \
             goal:\n    fields:\n      quarter: { type: text }\n",
        )
        .unwrap();
        let praise = &config.schema.kinds[config.schema.kind_by_folder("praise").unwrap()];
        assert_eq!(praise.label, "Praise");
        assert!(praise.fields[0].required);
        assert_eq!(
            praise.fields[1].ty,
            FieldType::Enum(vec!["slack".into(), "email".into()])
        );
        let goal = &config.schema.kinds[config.schema.kind_by_folder("goals").unwrap()];
        assert!(goal.field("quarter").is_some());
    }

    #[test]
    fn bad_kind_declarations_point_at_their_line() {
        let failure =
            Config::parse("title: T\nkinds:\n  praise:\n    fields:\n      x: { type: enum }\n")
                .unwrap_err();
        let lines: Vec<String> = failure.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "error: playbook.yaml:3:3: new kind `praise` needs `practice:`, one of learn-their-goals, \
              show-loyalty, make-yourself-useful, get-feedback, ask-for-advice, communicate, \
              own-your-work, celebrate-and-support, collaborate"
            ]
        );
        let failure =
            Config::parse("kinds:\n  goal:\n    fields:\n      x: { type: enum }\n").unwrap_err();
        assert_eq!(
            failure.0[0].to_string(),
            "error: playbook.yaml:4:10: an `enum` field needs `values: [..]`"
        );
    }

    #[test]
    fn a_kind_may_not_take_a_section_folder_of_the_site() {
        for section in Section::ALL {
            let folder = section.folder();
            let yaml =
                format!("kinds:\n  mine:\n    folder: {folder}\n    practice: communicate\n");
            let failure = Config::parse(&yaml).unwrap_err();
            assert!(
                failure.0[0]
                    .to_string()
                    .contains(&format!("folder `{folder}` is already used by the site")),
                "{}",
                failure.0[0]
            );
        }
    }
}
