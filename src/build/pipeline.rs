//! The one pipeline `build`, `check` and `serve` share: the sources loaded (theme and entry
//! files side by side), the entries checked and indexed, the pages planned and rendered into a
//! `Sink`. A one-shot build runs it once; serve's `Session` runs it first and then keeps its
//! sources and results to render only what each edit touches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Playbook;
use crate::content::load::{Parsed, assemble, read_entry};
use crate::content::walk::find_sources;
use crate::error::{Diagnostic, Failure};
use crate::render::search::search_rows;
use crate::render::{Card, Links, Page, Renderer, make_cards, plan_pages, static_files};
use crate::theme::{Theme, load_theme};

/// Where rendered files go: the output folder's staging area, memory (serve), or nowhere
/// (check). Called from many threads at once.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// The sink of `check`.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A file of the site: its output path and bytes.
pub type File = (Arc<str>, Arc<[u8]>);

/// The sink of serve: every file, kept in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<File>>);

impl Collect {
    pub fn into_files(self) -> Vec<File> {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for Collect {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let file = (Arc::from(path), Arc::from(bytes));
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file);
        Ok(())
    }
}

/// How pages are rendered: serve's defaults show drafts, link relatively and count from today.
#[derive(Clone, Debug)]
pub struct Settings {
    pub drafts: bool,
    pub links: Links,
    /// The day the dashboard counts from; default today.
    pub today: Option<time::Date>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            drafts: true,
            links: Links::new(None),
            today: None,
        }
    }
}

/// A file's identity for serve's parse cache: unchanged size and mtime mean unchanged content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// The sources as read: configuration, theme, and every entry file's parse.
pub struct Sources {
    pub config: Config,
    pub theme: Theme,
    /// What the walk of `content/` found wrong (stray files, unknown folders).
    pub walk_diagnostics: Vec<Diagnostic>,
    pub files: Files,
}

/// Entry files by path relative to the root, each with its parse and its `Stamp` (a default
/// one when not `stamped`).
pub type Files = BTreeMap<PathBuf, (Stamp, Parsed)>;

/// Walks `content/` and reads every entry file in parallel; with `stamped`, notes each file's
/// size and time for serve to tell later which ones changed.
pub fn read_files(
    root: &Path,
    config: &Config,
    stamped: bool,
) -> Result<(Files, Vec<Diagnostic>), Failure> {
    let (found, diagnostics) = find_sources(root, &config.schema)?;
    let files = found
        .par_iter()
        .map(|source| {
            let stamp = match stamped {
                true => Stamp::of(&source.path).unwrap_or_default(),
                false => Stamp::default(),
            };
            (source.rel.clone(), (stamp, read_entry(source, config)))
        })
        .collect();
    Ok((files, diagnostics))
}

/// Checks and indexes the entries of `sources`; on success, the playbook and its warnings.
pub fn assemble_playbook(
    sources: &Sources,
    drafts: bool,
) -> Result<(Playbook, Vec<Diagnostic>), Failure> {
    let parsed = sources.files.values().map(|(_, parsed)| parsed);
    let walked = sources.walk_diagnostics.clone();
    assemble(sources.config.clone(), parsed, walked, drafts)
}

/// Loads everything with `config`: the theme and the entry files side by side, then the checks
/// across entries and the indexes. Theme and content problems are reported together.
pub fn load(
    root: &Path,
    config: Config,
    settings: &Settings,
    stamped: bool,
) -> Result<(Sources, Playbook, Vec<Diagnostic>), Failure> {
    let (theme, files) = rayon::join(
        || load_theme(root, &config),
        || read_files(root, &config, stamped),
    );
    let (files, walk_diagnostics) = match (theme.as_ref(), files) {
        (_, Ok(files)) => files,
        (Ok(_), Err(failure)) => return Err(failure),
        (Err(theme), Err(content)) => {
            let diagnostics = theme.0.iter().cloned().chain(content.0);
            return Err(Failure(diagnostics.collect()));
        }
    };
    match theme {
        Ok(theme) => {
            let sources = Sources {
                config,
                theme,
                walk_diagnostics,
                files,
            };
            let (playbook, warnings) = assemble_playbook(&sources, settings.drafts)?;
            Ok((sources, playbook, warnings))
        }
        Err(theme) => {
            // The content's own problems are told with the theme's.
            let parsed = files.values().map(|(_, parsed)| parsed);
            let content = assemble(config, parsed, walk_diagnostics, settings.drafts);
            let diagnostics = match content {
                Ok((_, warnings)) => warnings.into_iter().chain(theme.0).collect(),
                Err(failure) => theme.0.into_iter().chain(failure.0).collect(),
            };
            Err(Failure(diagnostics))
        }
    }
}

/// What every render of a playbook shares: its cards, its search rows, and its pages.
pub struct Prepared {
    pub cards: Vec<Card>,
    pub search_rows: Vec<Arc<str>>,
    pub plan: Arc<Vec<Page>>,
}

impl Prepared {
    /// The cards, search rows and pages of `playbook`, all made anew.
    pub fn new(playbook: &Playbook, settings: &Settings) -> Prepared {
        Prepared {
            cards: make_cards(playbook, &settings.links, None),
            search_rows: search_rows(playbook, &settings.links, None),
            plan: Arc::new(plan_pages(playbook)),
        }
    }
}

/// Renders into `sink` the pages of `prepared.plan` that `only` names, in parallel, or all of
/// them and the theme's static files and robots.txt (the whole site) without `only`; a page
/// not started yet is skipped once `stop` says so (serve's second step gives way to the next
/// edit): the pages rendered are those `sink` got. Gives back what it was prepared with, for
/// serve to keep.
pub fn render(
    theme: &Theme,
    playbook: &Playbook,
    settings: &Settings,
    prepared: Prepared,
    only: Option<&[&Page]>,
    sink: &dyn Sink,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Prepared, Diagnostic> {
    let Prepared {
        cards,
        search_rows,
        plan,
    } = prepared;
    let links = settings.links.clone();
    let mut renderer = Renderer::new(theme, playbook, links, cards, search_rows);
    if let Some(today) = settings.today {
        renderer = renderer.with_today(today);
    }
    let write = |page: &Page| match stop() {
        true => Ok(()),
        false => sink.write(&page.path, &renderer.render(page)?),
    };
    match only {
        Some(pages) => pages.par_iter().try_for_each(|page| write(page))?,
        None => {
            renderer.render_cards()?;
            plan.par_iter().try_for_each(write)?;
            for (path, bytes) in static_files(theme) {
                sink.write(path, bytes)?;
            }
        }
    }
    let (cards, search_rows) = renderer.into_parts();
    Ok(Prepared {
        cards,
        search_rows,
        plan,
    })
}

/// The whole site of `playbook` into `sink`: the pipeline's render, with nothing prepared
/// beforehand.
pub fn render_site(
    theme: &Theme,
    playbook: &Playbook,
    settings: &Settings,
    sink: &dyn Sink,
) -> Result<Prepared, Diagnostic> {
    let prepared = Prepared::new(playbook, settings);
    render(theme, playbook, settings, prepared, None, sink, &|| false)
}
