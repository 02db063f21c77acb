//! The theme: the default one embedded in the binary, overridden file by file by a playbook's
//! own `themes/<name>/`; templates are compiled once per build.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::error::{Diagnostic, Failure, error_chain};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

/// Every file of `themes/default/`, compiled in; a test checks that none is missing.
pub const EMBEDDED_DEFAULT: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/card.html",
    "templates/card-section.html",
    "templates/dashboard.html",
    "templates/list.html",
    "templates/entry.html",
    "templates/panel.html",
    "templates/tags.html",
    "templates/people.html",
    "templates/person.html",
    "templates/timeline.html",
    "templates/years.html",
    "templates/timeline-item.html",
    "templates/practices.html",
    "templates/practice.html",
    "templates/prep.html",
    "templates/reviews.html",
    "templates/review.html",
    "templates/packet-groups.html",
    "templates/packet-item.html",
    "templates/packet-toward.html",
    "templates/ladder.html",
    "templates/search.html",
    "templates/404.html",
    "templates/head-meta.html",
    "templates/locked.html",
    "static/style.css",
    "static/search.js",
];

/// A static file copied as is into the output.
pub struct Asset {
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
}

pub struct Theme {
    pub tera: Tera,
    pub assets: Vec<Asset>,
    /// Where each template came from, to name it in errors.
    pub template_sources: BTreeMap<String, PathBuf>,
}

/// Loads theme `name`: the embedded default theme, overridden file by file by
/// `root/themes/<name>/templates/` and `static/`, so a theme may change a single template.
pub fn load_theme(root: &Path, config: &crate::config::Config) -> Result<Theme, Failure> {
    let name = config.theme.as_str();
    let mut files = ThemeFiles::embedded();
    let theme_dir = root.join("themes").join(name);
    if !theme_dir.is_dir() && name != "default" {
        return Err(Failure::one(config.error_at(
            &["theme"],
            format!("theme `{name}` not found: expected a folder themes/{name}/"),
        )));
    }
    let diagnostics = files.read_overrides(root, &theme_dir);
    files.compile(diagnostics)
}

/// A theme's files before its templates are compiled.
struct ThemeFiles {
    /// Each template by name, with where it came from.
    templates: BTreeMap<String, (PathBuf, Cow<'static, str>)>,
    /// Each static file by its path in the output.
    assets: BTreeMap<String, Cow<'static, [u8]>>,
}

impl ThemeFiles {
    /// The default theme compiled into the binary.
    fn embedded() -> ThemeFiles {
        let mut files = ThemeFiles {
            templates: BTreeMap::new(),
            assets: BTreeMap::new(),
        };
        for (file, bytes) in EMBEDDED_DEFAULT {
            let origin = PathBuf::from(format!("(embedded theme)/{file}"));
            match file.strip_prefix("templates/") {
                Some(template) => {
                    let text = std::str::from_utf8(bytes)
                        .expect("embedded templates are UTF-8: they are files of this repository");
                    files
                        .templates
                        .insert(template.to_string(), (origin, Cow::Borrowed(text)));
                }
                None => {
                    let asset = file.strip_prefix("static/").unwrap_or(file);
                    files
                        .assets
                        .insert(asset.to_string(), Cow::Borrowed(*bytes));
                }
            }
        }
        files
    }

    /// Reads `templates/` and `static/` of `theme_dir` over the files of the same name; what
    /// cannot be read is a diagnostic.
    fn read_overrides(&mut self, root: &Path, theme_dir: &Path) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for (section, is_template) in [("templates", true), ("static", false)] {
            let dir = theme_dir.join(section);
            if !dir.is_dir() {
                continue;
            }
            for item in WalkDir::new(&dir).sort_by_file_name().min_depth(1) {
                let item = match item {
                    Ok(item) if item.file_type().is_file() => item,
                    Ok(_) => continue,
                    Err(err) => {
                        let path = err.path().unwrap_or(&dir);
                        let rel = path.strip_prefix(root).unwrap_or(path);
                        diagnostics.push(Diagnostic::error(rel, error_chain(&err)));
                        continue;
                    }
                };
                if let Err(diagnostic) = self.read_override(root, &dir, &item, is_template) {
                    diagnostics.push(diagnostic);
                }
            }
        }
        diagnostics
    }

    /// Reads one file of the theme's `dir` over the one of the same name; files an editor
    /// leaves beside its work are skipped.
    fn read_override(
        &mut self,
        root: &Path,
        dir: &Path,
        item: &walkdir::DirEntry,
        is_template: bool,
    ) -> Result<(), Diagnostic> {
        let rel = item
            .path()
            .strip_prefix(root)
            .unwrap_or(item.path())
            .to_path_buf();
        let Ok(key) = item.path().strip_prefix(dir) else {
            return Ok(());
        };
        let key = key.to_string_lossy().replace('\\', "/");
        if crate::content::walk::is_ignored_file_name(&item.file_name().to_string_lossy()) {
            return Ok(());
        }
        if is_template {
            let text = std::fs::read_to_string(item.path())
                .map_err(|err| Diagnostic::io(&rel, "read template", &err))?;
            self.templates.insert(key, (rel, Cow::Owned(text)));
        } else {
            let bytes =
                std::fs::read(item.path()).map_err(|err| Diagnostic::io(&rel, "read", &err))?;
            self.assets.insert(key, Cow::Owned(bytes));
        }
        Ok(())
    }

    /// Compiles the templates together into the theme; fails with every problem, those of
    /// reading the files (`diagnostics`) first.
    fn compile(self, mut diagnostics: Vec<Diagnostic>) -> Result<Theme, Failure> {
        let mut tera = Tera::new();
        // Autoescape covers every template name ending in .html (tera's default), which is all
        // of ours.
        let sources: BTreeMap<String, PathBuf> = self
            .templates
            .iter()
            .map(|(name, (path, _))| (name.clone(), path.clone()))
            .collect();
        if let Err(err) = tera.add_raw_templates(
            self.templates
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_ref())),
        ) {
            diagnostics.extend(template_diagnostics(&sources, &err));
        }
        if !diagnostics.is_empty() {
            return Err(Failure(diagnostics));
        }
        Ok(Theme {
            tera,
            assets: self
                .assets
                .into_iter()
                .map(|(path, bytes)| Asset { path, bytes })
                .collect(),
            template_sources: sources,
        })
    }
}

/// A tera error as diagnostics on the template files and lines it names (checking the
/// templates together can find several problems at once).
pub fn template_diagnostics(
    sources: &BTreeMap<String, PathBuf>,
    err: &tera::Error,
) -> Vec<Diagnostic> {
    let path_of = |template: &str| {
        sources
            .get(template)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{template}")))
    };
    let one = |diagnostic| vec![diagnostic];
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            one(
                Diagnostic::error(path_of(report.filename()), report.message())
                    .at(span.start_line, span.start_col + 1),
            )
        }
        ErrorKind::MissingParent { current, .. } => {
            one(Diagnostic::error(path_of(current), err.to_string()))
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            one(Diagnostic::error(path_of(tpl), err.to_string()))
        }
        _ => {
            // Checks of all templates at once (unknown filters, blocks missing from parents)
            // come as one text of reports: `error: message` then ` --> name:line:col`.
            let text = error_chain(err);
            let mut found = Vec::new();
            let mut message = None;
            for line in text.lines() {
                if let Some(rest) = line.trim_start().strip_prefix("error: ") {
                    message = Some(rest.to_string());
                } else if let Some(place) = line.trim_start().strip_prefix("--> ")
                    && let Some(message) = message.take()
                {
                    let mut parts = place.rsplitn(3, ':');
                    let column = parts.next().and_then(|c| c.parse().ok());
                    let line = parts.next().and_then(|l| l.parse().ok());
                    let name = parts.next().unwrap_or(place);
                    let diagnostic = Diagnostic::error(path_of(name), message);
                    found.push(match (line, column) {
                        (Some(line), Some(column)) => diagnostic.at(line, column),
                        _ => diagnostic,
                    });
                }
            }
            if found.is_empty() {
                found.push(Diagnostic::error("templates", text));
            }
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_holds_every_file_of_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = EMBEDDED_DEFAULT
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        embedded.sort();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update EMBEDDED_DEFAULT in src/theme.rs");
    }
}
