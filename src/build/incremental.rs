//! The build kept in memory between runs, for `serve`: the sources as last read (config, theme,
//! every entry file's parse) and the last good build (playbook, cards, search rows, pages, and
//! the site itself). Each `Session::update` re-reads only the files a batch of changes names,
//! re-indexes only when an index would change, and renders only the pages the edit touched.
//! Invariant: `built` is the last good build, and a failed update leaves it as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use tera::Value;

use crate::config::Config;
use crate::content::check::check_edited_references;
use crate::content::load::{Parsed, assemble, read_entry};
use crate::content::walk::{find_sources, source_at};
use crate::content::{Delta, Playbook};
use crate::error::{Diagnostic, Failure};
use crate::render::incremental::{pages_to_render, same_pages};
use crate::render::search::search_rows;
use crate::render::{Links, Page, Renderer, make_cards, plan_pages, static_files};
use crate::theme::{Theme, load_theme};

/// One complete build, in memory.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// Output path (`goals/x/index.html`) → bytes; shared keys make a copy of the map cheap.
    pub pages: HashMap<Arc<str>, Arc<[u8]>>,
    /// Counts the good builds of a session, from 1.
    pub version: u64,
}

/// What an update needs to know about one changed path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// A Markdown file under `content/`, relative to the root: re-read it (or drop it if gone).
    Entry(PathBuf),
    /// Something else under `content/` (a folder created, renamed or removed): walk again.
    Content,
    /// `playbook.yaml`: everything depends on it.
    Config,
    /// A file of the playbook's theme folder.
    Theme,
    /// Events were lost (or this is the first run): read everything.
    Everything,
}

/// What one good update did.
pub struct Update {
    pub site: Arc<Site>,
    /// Files whose bytes changed, added or removed.
    pub changed_files: usize,
    /// Only stylesheets changed: a page can swap them without reloading.
    pub css_only: bool,
}

/// A file's identity for the parse cache: unchanged size and mtime mean unchanged content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
    })
}

/// A file of the site: its output path and bytes.
type File = (Arc<str>, Arc<[u8]>);

/// The sources as last read, so that an update re-reads only what changed.
struct Sources {
    config: Config,
    theme: Theme,
    walk_diagnostics: Vec<Diagnostic>,
    files: BTreeMap<PathBuf, (Stamp, Parsed)>,
}

/// The last good build, as the next update compares against it.
struct Built {
    playbook: Playbook,
    cards: Vec<Value>,
    search_rows: Vec<Arc<str>>,
    plan: Arc<Vec<Page>>,
    /// Output paths of its pages (not its static files).
    paths: Arc<HashSet<String>>,
    site: Arc<Site>,
}

/// The incremental build of one playbook: the first `update` (with `Change::Everything`)
/// reads and renders everything, later ones what their changes touched.
pub struct Session {
    root: PathBuf,
    /// Unset until the configuration and theme load.
    sources: Option<Sources>,
    /// Unset until the first good build.
    built: Option<Built>,
    /// Whether the last update failed: then other files may be broken too, and the next one
    /// checks every file.
    failed: bool,
}

impl Session {
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            sources: None,
            built: None,
            failed: false,
        }
    }

    /// The playbook's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Brings the sources up to date with `changes` and renders what they touched. On failure
    /// the last good build stays as it was.
    pub fn update(&mut self, changes: &BTreeSet<Change>) -> Result<Update, Failure> {
        let last_failed = std::mem::replace(&mut self.failed, true);
        let everything = self.sources.is_none()
            || changes.contains(&Change::Everything)
            || changes.contains(&Change::Config);
        let named: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Entry(rel) => Some(rel),
                _ => None,
            })
            .collect();
        let (sources, rescanned) =
            refresh_sources(&self.root, &mut self.sources, everything, changes, &named)?;
        // Entries edited in place (same files, same keys, no other file changed since a good
        // build) update the last playbook's indexes; only their references are checked.
        let edited = match &self.built {
            Some(built) if !rescanned && !last_failed => {
                updated_entries(sources, &named).and_then(|edited| {
                    let sound = check_edited_references(&built.playbook, &edited).is_empty();
                    sound.then(|| built.playbook.with_edited(&edited)).flatten()
                })
            }
            _ => None,
        };
        let (playbook, delta) = match edited {
            Some((playbook, delta)) => (playbook, Some(delta)),
            None => {
                let playbook = assemble_playbook(sources)?;
                let last = self.built.as_ref();
                let delta = last.map(|built| Delta::between(&built.playbook, &playbook));
                (playbook, delta)
            }
        };
        // After a config or theme change every page is rendered; otherwise only the pages the
        // edit touched, and the rest of the last site is kept as it is.
        let full = everything || changes.contains(&Change::Theme);
        let delta = delta.filter(|_| !full);
        let built = render(sources, playbook, self.built.as_ref(), delta.as_ref())?;
        let update = Update {
            site: built.site.clone(),
            changed_files: built.changed_files,
            css_only: built.css_only,
        };
        self.built = Some(built.built);
        self.failed = false;
        Ok(update)
    }
}

/// Re-reads configuration, theme and entry files as `changes` require (all of them when
/// `everything`); returns the sources and whether `content/` was walked again.
fn refresh_sources<'s>(
    root: &Path,
    slot: &'s mut Option<Sources>,
    everything: bool,
    changes: &BTreeSet<Change>,
    named: &[&PathBuf],
) -> Result<(&'s Sources, bool), Failure> {
    let mut sources = match slot.take() {
        Some(sources) if !everything => sources,
        _ => {
            let config = Config::load(root)?;
            let theme = load_theme(root, &config)?;
            Sources {
                config,
                theme,
                walk_diagnostics: Vec::new(),
                files: BTreeMap::new(),
            }
        }
    };
    if !everything && changes.contains(&Change::Theme) {
        // A theme that fails to load leaves no sources: the next update reads everything.
        sources.theme = load_theme(root, &sources.config)?;
    }
    let sources = slot.insert(sources);
    let rescanned = refresh_files(root, sources, everything, changes, named)?;
    Ok((sources, rescanned))
}

/// Re-reads the entry files `changes` name, or walks `content/` again when they call for it.
fn refresh_files(
    root: &Path,
    sources: &mut Sources,
    everything: bool,
    changes: &BTreeSet<Change>,
    named: &[&PathBuf],
) -> Result<bool, Failure> {
    // A Markdown file that is not an entry file (one directly under content/) is a problem
    // only a walk reports.
    let stray = named
        .iter()
        .any(|rel| source_at(root, &sources.config.schema, rel).is_none());
    let rescan = everything || stray || changes.contains(&Change::Content);
    if rescan {
        // The files this batch names are read again whatever their size and time say.
        rescan_files(root, sources, everything, named)?;
    } else {
        for rel in named {
            refresh_file(root, sources, rel);
        }
    }
    Ok(rescan)
}

/// Walks `content/` again, re-reading only the files whose size or mtime changed (or all of
/// them with `reparse`).
fn rescan_files(
    root: &Path,
    sources: &mut Sources,
    reparse: bool,
    named: &[&PathBuf],
) -> Result<(), Failure> {
    let config = &sources.config;
    let (found, diagnostics) = find_sources(root, &config.schema)?;
    sources.walk_diagnostics = diagnostics;
    let mut files = BTreeMap::new();
    for source in found {
        let Some(stamp) = stamp(&source.path) else {
            continue;
        };
        let cached = sources
            .files
            .remove(&source.rel)
            .filter(|(old, _)| *old == stamp && !reparse && !named.contains(&&source.rel));
        let parsed = match cached {
            Some((_, parsed)) => parsed,
            None => read_entry(&source, config),
        };
        files.insert(source.rel.clone(), (stamp, parsed));
    }
    sources.files = files;
    Ok(())
}

/// Re-reads one entry file, or forgets it when it is gone.
fn refresh_file(root: &Path, sources: &mut Sources, rel: &Path) {
    let source = source_at(root, &sources.config.schema, rel);
    match source
        .as_ref()
        .and_then(|s| stamp(&s.path).map(|st| (s, st)))
    {
        Some((source, stamp)) => {
            let parsed = read_entry(source, &sources.config);
            sources.files.insert(rel.to_path_buf(), (stamp, parsed));
        }
        None => {
            sources.files.remove(rel);
        }
    }
}

/// The entries of the files `named`, if every one of them parsed.
fn updated_entries(
    sources: &Sources,
    named: &[&PathBuf],
) -> Option<Vec<Arc<crate::content::Entry>>> {
    named
        .iter()
        .map(|rel| {
            sources
                .files
                .get(*rel)
                .and_then(|(_, parsed)| parsed.entry.clone())
        })
        .collect()
}

/// Checks and indexes every entry, as `build` does (drafts included).
fn assemble_playbook(sources: &Sources) -> Result<Playbook, Failure> {
    let parsed = sources.files.values().map(|(_, parsed)| parsed);
    let walked = sources.walk_diagnostics.clone();
    Ok(assemble(sources.config.clone(), parsed, walked, true)?.0)
}

/// A good update's build, and how its site differs from the last one.
struct Rendered {
    built: Built,
    site: Arc<Site>,
    changed_files: usize,
    css_only: bool,
}

/// Renders the pages of `playbook` that `delta` from the `last` build touched (all of them
/// without a `delta`), and the site they make.
fn render(
    sources: &Sources,
    playbook: Playbook,
    last: Option<&Built>,
    delta: Option<&Delta>,
) -> Result<Rendered, Failure> {
    let before = last.zip(delta);
    let links = Links::new(None);
    let cards = make_cards(
        &playbook,
        &links,
        before.map(|(b, delta)| (b.cards.as_slice(), delta)),
    );
    let rows = search_rows(
        &playbook,
        &links,
        before.map(|(b, delta)| (b.search_rows.as_slice(), delta)),
    );
    // The same pages as the last build, each at the same place: its plan holds.
    let same_pages = before.filter(|(b, delta)| same_pages(&b.playbook, &playbook, delta));
    let plan = match same_pages {
        Some((b, delta)) if delta.old_of_new.is_none() => b.plan.clone(),
        _ => Arc::new(plan_pages(&playbook)),
    };
    let to_render: Option<Vec<&Page>> = before.and_then(|(b, delta)| {
        pages_to_render(&b.playbook, &playbook, delta, (&b.cards, &cards), &plan)
    });
    let incremental = to_render.is_some();
    let to_render = to_render.unwrap_or_else(|| plan.iter().collect());
    let renderer = Renderer::with_cards(&sources.theme, &playbook, links, cards.clone())
        .with_search_rows(rows.clone());
    let rendered: Vec<File> = to_render
        .par_iter()
        .map(|page| {
            let bytes = renderer.render(page)?;
            Ok((Arc::from(page.path.as_str()), Arc::from(bytes)))
        })
        .collect::<Result<_, Diagnostic>>()
        .map_err(Failure::one)?;
    drop((renderer, to_render));
    let paths = match (same_pages, last) {
        (Some(_), Some(b)) => b.paths.clone(),
        _ => Arc::new(plan.iter().map(|page| page.path.clone()).collect()),
    };
    let previous = last.map(|b| b.site.clone()).unwrap_or_default();
    let kept = match (incremental, last) {
        (true, Some(b)) if same_pages.is_none() => {
            let mut pages = previous.pages.clone();
            pages.retain(|path, _| paths.contains(&**path) || !b.paths.contains(&**path));
            pages
        }
        (true, _) => previous.pages.clone(),
        (false, _) => static_files(&sources.theme)
            .map(|(path, bytes)| (Arc::from(path), Arc::from(bytes)))
            .collect(),
    };
    let removals = !(incremental && same_pages.is_some());
    let (site, changed_files, css_only) = merge(&previous, kept, rendered, !incremental, removals);
    let site = Arc::new(site);
    let built = Built {
        playbook,
        cards,
        search_rows: rows,
        plan,
        paths,
        site: site.clone(),
    };
    Ok(Rendered {
        built,
        site,
        changed_files,
        css_only,
    })
}

/// The site of `kept` files and `rendered` pages; how many files differ from `previous`, and
/// whether only stylesheets do. After a `full` render the assets count if their bytes changed;
/// files are looked for among the removed only if there can be `removals`.
fn merge(
    previous: &Site,
    mut pages: HashMap<Arc<str>, Arc<[u8]>>,
    rendered: Vec<File>,
    full: bool,
    removals: bool,
) -> (Site, usize, bool) {
    let mut changed = Vec::new();
    for (path, bytes) in rendered {
        if previous.pages.get(&*path).is_none_or(|old| *old != bytes) {
            changed.push(path.clone());
        }
        pages.insert(path, bytes);
    }
    // What the previous site had and this one has not.
    let removed = match removals {
        true => (previous.pages.keys())
            .filter(|path| !pages.contains_key(*path))
            .count(),
        false => 0,
    };
    if full {
        changed.extend(
            pages
                .iter()
                .filter(|(path, bytes)| {
                    !path.ends_with(".html") && previous.pages.get(*path) != Some(bytes)
                })
                .map(|(path, _)| path.clone()),
        );
    }
    let css_only =
        !changed.is_empty() && removed == 0 && changed.iter().all(|path| path.ends_with(".css"));
    let site = Site {
        pages,
        version: previous.version + 1,
    };
    (site, changed.len() + removed, css_only)
}

#[cfg(test)]
mod tests;
