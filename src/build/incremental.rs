//! The build kept in memory between runs, for `serve`: the sources as last read (config, theme,
//! every entry file's parse) and the last good build (playbook, cards, search rows, pages, and
//! the site itself). The first `Session::update` is the one-shot build's pipeline
//! (`pipeline::load` and `pipeline::render_site`) into memory; later ones re-read only the
//! files a batch of changes names, update the indexes for entries edited in place, and render
//! only the pages the edit touched.
//!
//! Serve renders an edit in two steps when some of those pages are big (`update_in_steps`):
//! first the edited entries' own pages, the pages open in a tab and every cheap page, which it
//! publishes at once; then the rest (`finish`). Between the two, the big pages of `built` are
//! `stale`: they show the edit's previous state until a later render, `finish` or any later
//! update, catches up.
//! Invariant: `built` is the last good build, and a failed update leaves it as it was; every
//! page of `built` whose bytes are out of date is in `stale`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::pipeline::{
    self, Collect, File, Prepared, Settings, Sources, Stamp, assemble_playbook, render_site,
};
use crate::config::Config;
use crate::content::check::check_edited_references;
use crate::content::load::read_entry;
use crate::content::walk::{find_sources, source_at};
use crate::content::{Delta, Entry, Playbook};
use crate::error::Failure;
use crate::render::incremental::{entries_shown, pages_to_render, same_pages};
use crate::render::search::search_rows;
use crate::render::{Page, PageKind, make_cards, plan_pages};
use crate::theme::load_theme;

/// A page that shows at most this many entries is cheap enough to render in an edit's first
/// step: at a few microseconds a card, a millisecond or so. Lists past it (the timeline, a
/// kind's list, a busy tag, the year's packets, the search index) wait for the second.
pub const CHEAP_PAGE_ENTRIES: usize = 200;

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
    /// Output paths of the files whose bytes changed, added or removed.
    pub changed: Vec<Arc<str>>,
    /// Only stylesheets changed: a page can swap them without reloading.
    pub css_only: bool,
    /// Pages left for `Session::finish`: the update's big pages, not rendered yet.
    pub deferred: usize,
}

/// The last good build, as the next update compares against it.
struct Built {
    playbook: Playbook,
    prepared: Prepared,
    /// Output paths of its pages (not its static files).
    paths: Arc<HashSet<String>>,
    site: Arc<Site>,
}

/// The incremental build of one playbook: the first `update` (with `Change::Everything`)
/// reads and renders everything, later ones what their changes touched.
pub struct Session {
    root: PathBuf,
    /// Serve's: drafts shown, relative links.
    settings: Settings,
    /// Unset until the configuration, theme and entries load.
    sources: Option<Sources>,
    /// Unset until the first good build.
    built: Option<Built>,
    /// Whether the last update failed: then other files may be broken too, and the next one
    /// checks every file.
    failed: bool,
    /// Output paths of the pages of `built` that an update deferred and no render caught up
    /// with yet: every later render renders them too.
    stale: HashSet<String>,
    /// The most entries a page shows and still goes into an edit's first step.
    cheap_page_entries: usize,
}

impl Session {
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            settings: Settings::default(),
            sources: None,
            built: None,
            failed: false,
            stale: HashSet::new(),
            cheap_page_entries: CHEAP_PAGE_ENTRIES,
        }
    }

    /// A session that calls big every page showing more than `entries` entries: the unit
    /// tests' small playbooks have big pages too.
    #[cfg(test)]
    fn with_cheap_page_entries(self, entries: usize) -> Session {
        Session {
            cheap_page_entries: entries,
            ..self
        }
    }

    /// The playbook's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Brings the sources up to date with `changes` and renders what they touched. On failure
    /// the last good build stays as it was.
    pub fn update(&mut self, changes: &BTreeSet<Change>) -> Result<Update, Failure> {
        self.update_with(changes, None)
    }

    /// `update`, but when the edit touched big pages it renders only the urgent ones (the
    /// edited entries' pages, those of `open_pages`, and those that show few entries, see
    /// `CHEAP_PAGE_ENTRIES`) and defers the rest to `finish`: the edit is on show in the time
    /// of a few pages. A first build, a configuration or theme change, or an entry added or
    /// removed (every page's navigation counts entries) still renders all at once.
    pub fn update_in_steps(
        &mut self,
        changes: &BTreeSet<Change>,
        open_pages: &HashSet<String>,
    ) -> Result<Update, Failure> {
        self.update_with(changes, Some(open_pages))
    }

    /// Renders the pages the last update deferred; once `interrupted` says that more changes
    /// came in, it starts no other page and keeps those it rendered (the next update renders
    /// the rest; `Update::deferred` counts them). On failure the pages stay stale, and the
    /// next update renders them.
    pub fn finish(&mut self, interrupted: &(dyn Fn() -> bool + Sync)) -> Result<Update, Failure> {
        let (Some(built), Some(sources)) = (self.built.as_mut(), self.sources.as_ref()) else {
            return Err(Failure::one(crate::error::Diagnostic::general(
                "nothing was built yet to finish".to_string(),
            )));
        };
        let plan = built.prepared.plan.clone();
        let playbook = &built.playbook;
        let pages: Vec<&Page> = plan
            .iter()
            .filter(|page| self.stale.contains(&page.path))
            .collect();
        // `pipeline::render` takes the cards and gives them back; an error keeps them, so they
        // are made again (the error is rare, the cards deterministic).
        let prepared = std::mem::replace(
            &mut built.prepared,
            Prepared {
                cards: Vec::new(),
                search_rows: Vec::new(),
                plan: plan.clone(),
            },
        );
        let collect = Collect::default();
        let rendered = pipeline::render(
            &sources.theme,
            playbook,
            &self.settings,
            prepared,
            Some(&pages),
            &collect,
            interrupted,
        );
        built.prepared = match rendered {
            Ok(prepared) => prepared,
            Err(diagnostic) => {
                built.prepared = Prepared::new(playbook, &self.settings);
                return Err(Failure::one(diagnostic));
            }
        };
        let rendered = collect.into_files();
        for (path, _) in &rendered {
            self.stale.remove(&**path);
        }
        let kept = built.site.pages.clone();
        let (site, changed, css_only) = merge(&built.site, kept, rendered, Some(Vec::new()));
        // The same bytes keep their version: serve publishes nothing then.
        if !changed.is_empty() {
            built.site = Arc::new(site);
        }
        Ok(Update {
            site: built.site.clone(),
            changed,
            css_only,
            deferred: self.stale.len(),
        })
    }

    fn update_with(
        &mut self,
        changes: &BTreeSet<Change>,
        open_pages: Option<&HashSet<String>>,
    ) -> Result<Update, Failure> {
        let last_failed = std::mem::replace(&mut self.failed, true);
        let everything = changes.contains(&Change::Everything) || changes.contains(&Change::Config);
        let (sources, playbook, delta) = match self.sources.take().filter(|_| !everything) {
            // The first run, or the configuration changed: the one-shot build's pipeline.
            None => {
                let config = Config::load(&self.root)?;
                let (sources, playbook, _) =
                    pipeline::load(&self.root, config, &self.settings, true)?;
                (self.sources.insert(sources), playbook, None)
            }
            Some(mut sources) => {
                if changes.contains(&Change::Theme) {
                    // A theme that fails to load leaves no sources: the next update reads
                    // everything.
                    sources.theme = load_theme(&self.root, &sources.config)?;
                }
                let sources = self.sources.insert(sources);
                let (playbook, delta) = refresh(
                    &self.root,
                    sources,
                    self.built.as_ref(),
                    changes,
                    last_failed,
                )?;
                // After a theme change every page is rendered.
                let delta = delta.filter(|_| !changes.contains(&Change::Theme));
                (sources, playbook, delta)
            }
        };
        let steps = Steps {
            stale: &self.stale,
            open_pages,
            cheap_page_entries: self.cheap_page_entries,
        };
        let rendered = render(
            sources,
            playbook,
            self.built.as_ref(),
            delta.as_ref(),
            &self.settings,
            steps,
        )?;
        let update = Update {
            site: rendered.built.site.clone(),
            changed: rendered.changed,
            css_only: rendered.css_only,
            deferred: rendered.deferred.len(),
        };
        // Freeing the last build (a page plan and path set of 100,000 entries and more) is
        // no reason to keep the tabs waiting.
        super::drop_in_background(self.built.replace(rendered.built));
        self.stale = rendered.deferred;
        self.failed = false;
        Ok(update)
    }
}

/// Re-reads the entry files `changes` name (or walks `content/` again when they call for it)
/// and makes the new playbook: the last one's indexes updated for entries edited in place
/// (same files, same keys, no other file changed since a good build; only their references
/// are checked), or checked and indexed anew. Also how its entries map onto the last build's.
fn refresh(
    root: &Path,
    sources: &mut Sources,
    last: Option<&Built>,
    changes: &BTreeSet<Change>,
    last_failed: bool,
) -> Result<(Playbook, Option<Delta>), Failure> {
    let named: Vec<&PathBuf> = changes
        .iter()
        .filter_map(|change| match change {
            Change::Entry(rel) => Some(rel),
            _ => None,
        })
        .collect();
    let rescanned = refresh_files(root, sources, changes, &named)?;
    let edited = match last {
        Some(built) if !rescanned && !last_failed => {
            updated_entries(sources, &named).and_then(|edited| {
                let sound = check_edited_references(&built.playbook, &edited).is_empty();
                sound.then(|| built.playbook.with_edited(&edited)).flatten()
            })
        }
        _ => None,
    };
    Ok(match edited {
        Some((playbook, delta)) => (playbook, Some(delta)),
        None => {
            let (playbook, _) = assemble_playbook(sources, true)?;
            let delta = last.map(|built| Delta::between(&built.playbook, &playbook));
            (playbook, delta)
        }
    })
}

/// Re-reads the entry files `changes` name, or walks `content/` again when they call for it;
/// returns whether it walked.
fn refresh_files(
    root: &Path,
    sources: &mut Sources,
    changes: &BTreeSet<Change>,
    named: &[&PathBuf],
) -> Result<bool, Failure> {
    // A Markdown file that is not an entry file (one directly under content/) is a problem
    // only a walk reports.
    let stray = named
        .iter()
        .any(|rel| source_at(root, &sources.config.schema, rel).is_none());
    let rescan = stray || changes.contains(&Change::Content);
    if rescan {
        rescan_files(root, sources, named)?;
    } else {
        for rel in named {
            refresh_file(root, sources, rel);
        }
    }
    Ok(rescan)
}

/// Walks `content/` again, re-reading only the files whose size or mtime changed, and those
/// this batch names whatever their size and time say.
fn rescan_files(root: &Path, sources: &mut Sources, named: &[&PathBuf]) -> Result<(), Failure> {
    let config = &sources.config;
    let (found, diagnostics) = find_sources(root, &config.schema)?;
    sources.walk_diagnostics = diagnostics;
    let mut files = BTreeMap::new();
    for source in found {
        let Some(stamp) = Stamp::of(&source.path) else {
            continue;
        };
        let cached = sources
            .files
            .remove(&source.rel)
            .filter(|(old, _)| *old == stamp && !named.contains(&&source.rel));
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
        .and_then(|s| Stamp::of(&s.path).map(|st| (s, st)))
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
fn updated_entries(sources: &Sources, named: &[&PathBuf]) -> Option<Vec<Arc<Entry>>> {
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

/// A good update's build, and how its site differs from the last one.
struct Rendered {
    built: Built,
    changed: Vec<Arc<str>>,
    css_only: bool,
    /// Output paths of the pages left stale for `Session::finish`.
    deferred: HashSet<String>,
}

/// How a render picks its pages besides those the edit touched.
#[derive(Clone, Copy)]
struct Steps<'a> {
    /// Pages a former render deferred: rendered now too.
    stale: &'a HashSet<String>,
    /// Whether to render in two steps, and the pages open in tabs, urgent whatever they cost.
    open_pages: Option<&'a HashSet<String>>,
    /// The most entries a page of the first step shows.
    cheap_page_entries: usize,
}

/// `pages` with the `stale` pages of `plan` added.
fn with_stale<'p>(
    mut pages: Vec<&'p Page>,
    plan: &'p [Page],
    stale: &HashSet<String>,
) -> Vec<&'p Page> {
    if stale.is_empty() {
        return pages;
    }
    let chosen: HashSet<&str> = pages.iter().map(|page| page.path.as_str()).collect();
    pages.extend(
        plan.iter()
            .filter(|page| stale.contains(&page.path) && !chosen.contains(page.path.as_str())),
    );
    pages
}

/// Whether `page` goes into an edit's first step: an edited entry's own page (`edited`, by
/// position in `playbook`), a page open in a tab, or a cheap one.
fn urgent(
    page: &Page,
    playbook: &Playbook,
    edited: &HashSet<usize>,
    open_pages: &HashSet<String>,
    cheap_page_entries: usize,
) -> bool {
    let own = matches!(page.kind, PageKind::Entry(index) if edited.contains(&index));
    own || open_pages.contains(&page.path)
        || entries_shown(page.kind, playbook) <= cheap_page_entries
}

/// Renders the pages of `playbook` that `delta` from the `last` build touched (the whole site
/// without a `delta`, or when the counts in every page's navigation changed) into memory,
/// with the stale ones; in two `steps`, only the urgent ones of those, the others deferred.
fn render(
    sources: &Sources,
    playbook: Playbook,
    last: Option<&Built>,
    delta: Option<&Delta>,
    settings: &Settings,
    steps: Steps,
) -> Result<Rendered, Failure> {
    let mut deferred = HashSet::new();
    let before = last.zip(delta);
    let collect = Collect::default();
    let theme = &sources.theme;
    // An edit that changes the plan but no entry's page (a new tag, a tag dropped, a new
    // period) changes a few list pages: those are the site's changes, and the 100,000 paths
    // of a big site need no second look.
    let mut lists_changed = None;
    let (prepared, same_pages, incremental) = match before {
        None => {
            let prepared = render_site(theme, &playbook, settings, &collect);
            (prepared.map_err(Failure::one)?, false, false)
        }
        Some((b, delta)) => {
            let same = same_pages(&b.playbook, &playbook, delta);
            let carried = carry(&b.prepared, &playbook, delta, same, settings);
            let plan = carried.plan.clone();
            let old = (&b.playbook, b.prepared.cards.as_slice());
            let only = pages_to_render(old.0, &playbook, delta, (old.1, &carried.cards), &plan)
                .map(|pages| with_stale(pages, &plan, steps.stale));
            let only = match (only, steps.open_pages) {
                (Some(pages), Some(open)) => {
                    let edited: HashSet<usize> =
                        delta.changed.iter().filter_map(|&(_, new)| new).collect();
                    let (now, later): (Vec<&Page>, Vec<&Page>) =
                        pages.into_iter().partition(|page| {
                            urgent(page, &playbook, &edited, open, steps.cheap_page_entries)
                        });
                    deferred = later.into_iter().map(|page| page.path.clone()).collect();
                    Some(now)
                }
                (only, _) => only,
            };
            if !same && only.is_some() {
                lists_changed = list_pages_changed(&b.prepared.plan, &plan, delta);
            }
            let rendered = pipeline::render(
                theme,
                &playbook,
                settings,
                carried,
                only.as_deref(),
                &collect,
                &|| false,
            );
            (rendered.map_err(Failure::one)?, same, only.is_some())
        }
    };
    let paths = match (same_pages, last, &lists_changed) {
        (true, Some(b), _) => b.paths.clone(),
        (_, Some(b), Some(lists)) => {
            let mut paths = (*b.paths).clone();
            lists.removed.iter().for_each(|path| _ = paths.remove(path));
            paths.extend(lists.added.iter().cloned());
            Arc::new(paths)
        }
        _ => Arc::new(prepared.plan.iter().map(|page| page.path.clone()).collect()),
    };
    let previous = last.map(|b| b.site.clone()).unwrap_or_default();
    let mut kept = match (incremental, last) {
        (true, Some(b)) if !same_pages && lists_changed.is_none() => {
            let mut pages = previous.pages.clone();
            pages.retain(|path, _| paths.contains(&**path) || !b.paths.contains(&**path));
            pages
        }
        (true, _) => previous.pages.clone(),
        (false, _) => HashMap::new(),
    };
    // Which files the new site drops: none when it has the same pages, those known when only
    // list pages changed, else found by a look at every file.
    let removed = match (incremental, same_pages, lists_changed) {
        (true, true, _) => Some(Vec::new()),
        (true, false, Some(lists)) => Some(lists.removed),
        _ => None,
    };
    for path in removed.iter().flatten() {
        kept.remove(path.as_str());
    }
    let rendered = collect.into_files();
    let (site, changed, css_only) = merge(&previous, kept, rendered, removed);
    let built = Built {
        playbook,
        prepared,
        paths,
        site: Arc::new(site),
    };
    Ok(Rendered {
        built,
        changed,
        css_only,
        deferred,
    })
}

/// The list pages (all but entries' pages) that a plan adds to the last one and drops from it.
struct ListsChanged {
    added: Vec<String>,
    removed: Vec<String>,
}

/// How the `new` plan's list pages differ from the `old` one's, when no entry came or went
/// (`delta`), so that the entries' pages, nearly all of a big site's, are the same; `None`
/// when entries came or went.
fn list_pages_changed(old: &[Page], new: &[Page], delta: &Delta) -> Option<ListsChanged> {
    let same_entries = (delta.changed.iter()).all(|(o, n)| o.is_some() && n.is_some());
    if !same_entries {
        return None;
    }
    let lists = |plan: &[Page]| -> HashSet<String> {
        (plan.iter())
            .filter(|page| !matches!(page.kind, PageKind::Entry(_)))
            .map(|page| page.path.clone())
            .collect()
    };
    let (old, new) = (lists(old), lists(new));
    Some(ListsChanged {
        added: new.difference(&old).cloned().collect(),
        removed: old.difference(&new).cloned().collect(),
    })
}

/// Cards, search rows and the page plan of `new`, carried over from the last build's
/// (`prepared`) for every entry that did not change; the plan holds when the build has the
/// `same_pages` and nobody moved.
fn carry(
    prepared: &Prepared,
    new: &Playbook,
    delta: &Delta,
    same_pages: bool,
    settings: &Settings,
) -> Prepared {
    let links = &settings.links;
    let same_plan = same_pages && delta.old_of_new.is_none();
    Prepared {
        cards: make_cards(new, links, Some((&prepared.cards, delta))),
        search_rows: search_rows(new, links, Some((&prepared.search_rows, delta))),
        plan: match same_plan {
            true => prepared.plan.clone(),
            false => Arc::new(plan_pages(new)),
        },
    }
}

/// The site of `kept` files and `rendered` ones; the paths of the files that differ from
/// `previous` (changed, added, removed), and whether only stylesheets do. The files removed
/// are those `removed` names, or, without it, every file of `previous` not in the new site.
fn merge(
    previous: &Site,
    mut pages: HashMap<Arc<str>, Arc<[u8]>>,
    rendered: Vec<File>,
    removed: Option<Vec<String>>,
) -> (Site, Vec<Arc<str>>, bool) {
    let mut changed = Vec::new();
    for (path, bytes) in rendered {
        if previous.pages.get(&*path).is_none_or(|old| *old != bytes) {
            changed.push(path.clone());
        }
        pages.insert(path, bytes);
    }
    // What the previous site had and this one has not.
    let updated = changed.len();
    match removed {
        Some(removed) => changed.extend(removed.into_iter().map(Arc::from)),
        None => {
            let removed = (previous.pages.keys()).filter(|path| !pages.contains_key(*path));
            changed.extend(removed.cloned());
        }
    }
    let css_only = updated > 0
        && changed.len() == updated
        && changed.iter().all(|path| path.ends_with(".css"));
    let site = Site {
        pages,
        version: previous.version + 1,
    };
    (site, changed, css_only)
}

#[cfg(test)]
mod tests;
