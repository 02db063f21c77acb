//! `playbook serve`, the writing mode: build into memory, serve it on loopback, watch the
//! sources, rebuild what changed, and tell the open tabs (reload, or show the errors while the
//! last good build stays up). `http` knows nothing of building, `watch` nothing of HTTP.

pub mod http;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Instant, SystemTime};

use rayon::prelude::*;
use tera::Value;

use crate::config::Config;
use crate::content::Playbook;
use crate::content::load::{Parsed, Source, assemble, find_sources, read_entry, source_at};
use crate::error::{Diagnostic, Failure};
use crate::render::incremental::{dirty_entries, pages_to_render};
use crate::render::search::search_rows;
use crate::render::{Links, Page, Renderer, make_cards, plan_pages, static_files};
use crate::theme::{Theme, load_theme};
use http::{LiveState, Site};
use watch::Change;

/// What `serve` was asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
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

/// The last good build, as the next rebuild compares against it.
struct Built {
    playbook: Playbook,
    cards: Vec<Value>,
    search_rows: Vec<Arc<str>>,
    plan: Arc<Vec<Page>>,
    /// Output paths of its pages (not its static files).
    paths: Arc<HashSet<String>>,
}

/// The sources as last read: configuration, theme, and every entry file's parse, so that a
/// rebuild re-reads only what changed.
struct Session {
    root: PathBuf,
    config: Option<Config>,
    theme: Option<Theme>,
    walk_diagnostics: Vec<Diagnostic>,
    files: BTreeMap<PathBuf, (Stamp, Parsed)>,
    built: Option<Built>,
    version: u64,
    /// Whether the last rebuild failed: then other files may be broken too, and the next one
    /// checks every file.
    failed: bool,
}

/// What one rebuild did.
struct Rebuilt {
    site: Site,
    changed_pages: usize,
    css_only: bool,
}

impl Session {
    fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            config: None,
            theme: None,
            walk_diagnostics: Vec::new(),
            files: BTreeMap::new(),
            built: None,
            version: 0,
            failed: false,
        }
    }

    /// Brings the cached sources up to date with `changes` and renders the site.
    fn rebuild(&mut self, changes: &BTreeSet<Change>, previous: &Site) -> Result<Rebuilt, Failure> {
        let everything = self.config.is_none()
            || changes.contains(&Change::Everything)
            || changes.contains(&Change::Config);
        if everything {
            self.config = None;
            self.config = Some(Config::load(&self.root)?);
        }
        let config = self.config.as_ref().expect("set just above when missing");
        if everything || changes.contains(&Change::Theme) || self.theme.is_none() {
            self.theme = None;
            self.theme = Some(load_theme(&self.root, config)?);
        }
        let named: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Entry(rel) => Some(rel),
                _ => None,
            })
            .collect();
        // A Markdown file that is not an entry file (one directly under content/) is a
        // problem only a walk reports.
        let stray = named
            .iter()
            .any(|rel| source_at(&self.root, &config.schema, rel).is_none());
        let rescan = everything || stray || changes.contains(&Change::Content);
        if rescan {
            // A new config may change kinds and fields: then every entry is parsed again; the
            // files this batch names are read again whatever their size and time say.
            self.rescan(everything, &named)?;
        } else {
            for rel in &named {
                self.refresh(rel);
            }
        }
        let last_failed = std::mem::replace(&mut self.failed, true);

        // Entries edited in ways no index sees keep the last playbook's indexes and checks:
        // none of the edited files has an error, and no other file changed since a good build.
        let reused = match &self.built {
            Some(built) if !rescan && !last_failed => named
                .iter()
                .map(|rel| {
                    self.files
                        .get(*rel)
                        .and_then(|(_, parsed)| parsed.entry.clone())
                })
                .collect::<Option<Vec<_>>>()
                .and_then(|updated| built.playbook.with_updated(&updated)),
            _ => None,
        };
        let playbook = match reused {
            Some(playbook) => playbook,
            None => {
                let config = self.config.clone().expect("loaded above");
                assemble(
                    config,
                    self.files.values().map(|(_, parsed)| parsed),
                    self.walk_diagnostics.clone(),
                    true,
                )?
                .0
            }
        };
        // After a config or theme change every page is rendered; otherwise only the pages the
        // edit touched, and the rest of the previous site is kept as it is.
        let full = everything || changes.contains(&Change::Theme);
        let before = if full { None } else { self.built.take() };
        let links = Links::new(None);
        let cards = make_cards(
            &playbook,
            &links,
            before.as_ref().map(|b| (&b.playbook, b.cards.as_slice())),
        );
        let rows = search_rows(
            &playbook,
            &links,
            before
                .as_ref()
                .map(|b| (&b.playbook, b.search_rows.as_slice())),
        );
        let dirty = before
            .as_ref()
            .and_then(|b| dirty_entries(&b.playbook, &playbook, &b.cards, &cards));
        // When no card changed, the pages and their order are the previous build's.
        let same_pages = dirty.as_ref().is_some_and(|d| d.same_pages());
        let plan = match &before {
            Some(b) if same_pages => b.plan.clone(),
            _ => Arc::new(plan_pages(&playbook)),
        };
        let to_render: Vec<&Page> = match (&dirty, &before) {
            (Some(dirty), Some(b)) => pages_to_render(&b.playbook, &playbook, dirty, &plan),
            _ => plan.iter().collect(),
        };

        // The theme is lent to the render and given back, so templates compile once.
        let mut theme = self.theme.take().expect("loaded above");
        let rendered: Result<Vec<File>, Diagnostic> = {
            let renderer = Renderer::with_cards(&mut theme, &playbook, links, cards.clone())
                .with_search_rows(rows.clone());
            to_render
                .par_iter()
                .map(|page| {
                    Ok((
                        Arc::from(page.path.as_str()),
                        Arc::from(renderer.render(page)?),
                    ))
                })
                .collect()
        };
        let assets: Vec<File> = static_files(&theme)
            .map(|(path, bytes)| (Arc::from(path), Arc::from(bytes)))
            .collect();
        self.theme = Some(theme);
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(diagnostic) => {
                // Keep what the next rebuild compares against.
                self.built = before;
                return Err(Failure::one(diagnostic));
            }
        };

        drop(to_render);
        let paths = match &before {
            Some(b) if same_pages => b.paths.clone(),
            _ => Arc::new(
                plan.iter()
                    .map(|page| page.path.clone())
                    .collect::<HashSet<String>>(),
            ),
        };
        let mut pages = match (&dirty, &before) {
            (Some(_), Some(_)) if same_pages => previous.pages.clone(),
            (Some(_), Some(b)) => {
                let mut pages = previous.pages.clone();
                pages.retain(|path, _| paths.contains(&**path) || !b.paths.contains(&**path));
                pages
            }
            _ => assets.into_iter().collect(),
        };
        let mut changed = Vec::new();
        for (path, bytes) in rendered {
            if previous.pages.get(&*path).is_none_or(|old| *old != bytes) {
                changed.push(path.clone());
            }
            pages.insert(path, bytes);
        }
        // Counted once every page is in: what the previous site had and this one has not.
        let removed = if same_pages {
            0
        } else {
            previous
                .pages
                .keys()
                .filter(|path| !pages.contains_key(*path))
                .count()
        };
        if dirty.is_none() {
            // A full render: the stylesheet and other assets count as changed if their bytes did.
            changed.extend(
                pages
                    .iter()
                    .filter(|(path, bytes)| {
                        !path.ends_with(".html") && previous.pages.get(*path) != Some(bytes)
                    })
                    .map(|(path, _)| path.clone()),
            );
        }
        self.built = Some(Built {
            playbook,
            cards,
            search_rows: rows,
            plan,
            paths,
        });
        self.version += 1;
        self.failed = false;
        let css_only = !changed.is_empty()
            && removed == 0
            && changed.iter().all(|path| path.ends_with(".css"));
        Ok(Rebuilt {
            site: Site {
                pages,
                version: self.version,
            },
            changed_pages: changed.len() + removed,
            css_only,
        })
    }

    /// Walks `content/` again, re-reading only the files whose size or mtime changed (or all
    /// of them with `reparse`).
    fn rescan(&mut self, reparse: bool, named: &[&PathBuf]) -> Result<(), Failure> {
        let config = self
            .config
            .as_ref()
            .expect("config is loaded before a rescan");
        let (sources, diagnostics) = find_sources(&self.root, &config.schema)?;
        self.walk_diagnostics = diagnostics;
        let mut files = BTreeMap::new();
        for source in sources {
            let Some(stamp) = stamp(&source.path) else {
                continue;
            };
            let cached = self
                .files
                .remove(&source.rel)
                .filter(|(old, _)| *old == stamp && !reparse && !named.contains(&&source.rel));
            let parsed = match cached {
                Some((_, parsed)) => parsed,
                None => read_entry(&source, config),
            };
            files.insert(source.rel.clone(), (stamp, parsed));
        }
        self.files = files;
        Ok(())
    }

    /// Re-reads one entry file, or forgets it when it is gone.
    fn refresh(&mut self, rel: &Path) {
        let Some(config) = &self.config else { return };
        let source: Option<Source> = source_at(&self.root, &config.schema, rel);
        match source
            .as_ref()
            .and_then(|s| stamp(&s.path).map(|st| (s, st)))
        {
            Some((source, stamp)) => {
                let parsed = read_entry(source, config);
                self.files.insert(rel.to_path_buf(), (stamp, parsed));
            }
            None => {
                self.files.remove(rel);
            }
        }
    }
}

/// The diagnostics as the browser overlay shows them: the lines the terminal prints.
fn overlay_lines(failure: &Failure) -> Vec<String> {
    let mut lines: Vec<String> = failure.0.iter().map(ToString::to_string).collect();
    lines.push(format!("playbook: {failure}"));
    lines
}

/// The page served when even the first build failed: the overlay fills it.
fn placeholder_site() -> Site {
    let page: Arc<[u8]> = Arc::from(
        &b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>playbook: build failed</title></head>\
           <body><p>The build failed; fix the errors and this page reloads.</p></body></html>"[..],
    );
    Site {
        pages: [
            (Arc::from("index.html"), page.clone()),
            (Arc::from("404.html"), page),
        ]
        .into(),
        version: 0,
    }
}

fn describe(changes: &BTreeSet<Change>) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|change| match change {
            Change::Entry(path) => path.display().to_string(),
            Change::Content => "content/".to_string(),
            Change::Config => crate::config::CONFIG_FILE.to_string(),
            Change::Theme => "theme".to_string(),
            Change::Everything => "everything".to_string(),
        })
        .collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

fn clock() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second())
}

/// Runs until Ctrl-C or SIGTERM.
pub fn serve(options: &ServeOptions) -> Result<(), Failure> {
    let root = options.root.as_path();
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine on that address can read \
             your playbook",
            options.bind
        );
    }
    let mut session = Session::new(root);
    let started = Instant::now();
    let state = match session.rebuild(&BTreeSet::from([Change::Everything]), &Site::default()) {
        Ok(rebuilt) => {
            say(&format!(
                "built {} files in {} ms",
                rebuilt.site.pages.len(),
                started.elapsed().as_millis()
            ));
            Arc::new(LiveState::new(rebuilt.site))
        }
        Err(failure) => {
            crate::report::print_diagnostics(root, &failure.0);
            crate::report::print_failure_summary(&failure);
            let state = Arc::new(LiveState::new(placeholder_site()));
            state.publish_errors(overlay_lines(&failure));
            state
        }
    };

    let address = SocketAddr::new(options.bind, options.port);
    let (bound, _threads) = http::start(address, state.clone()).map_err(|err| {
        let message = if err.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} is in use (another server, or playbook serve already running?): choose \
                 another with --port, or --port 0 for any free one",
                options.port
            )
        } else {
            format!("cannot listen on {address}: {err}")
        };
        Failure::one(Diagnostic::general(message))
    })?;
    // Watch before announcing the URL: a save right after it must not be missed.
    let (sender, receiver) = mpsc::channel();
    let mut watcher = watch::Watcher::new(root, sender).map_err(|err| {
        Failure::one(Diagnostic::general(format!(
            "cannot watch the playbook: {err}"
        )))
    })?;
    if options.bind.is_loopback() {
        state.only_loopback_hosts(bound.port());
    }
    let url = format!("http://{bound}/");
    say(&format!("serving at {url} (drafts shown; Ctrl-C to stop)"));
    ctrlc::set_handler(|| {
        say("stopped");
        std::process::exit(0);
    })
    .map_err(|err| Failure::one(Diagnostic::general(format!("cannot handle Ctrl-C: {err}"))))?;
    if options.open {
        open_browser(&url);
    }

    while let Ok(first) = receiver.recv() {
        // Merge whatever else arrived meanwhile: one rebuild for one burst of saves.
        let mut changes: BTreeSet<Change> = first.into_iter().collect();
        while let Ok(more) = receiver.try_recv() {
            changes.extend(more);
        }
        let started = Instant::now();
        // A folder that appeared (themes/, content/) is watched from now on.
        if let Err(err) = watcher.watch_new_folders() {
            say(&format!(
                "warning: cannot watch a new folder, so its edits may be missed: {err}"
            ));
        }
        let previous = state.site();
        match session.rebuild(&changes, &previous) {
            Ok(rebuilt) if rebuilt.changed_pages == 0 && !state.has_errors() => {
                say(&format!(
                    "{} {} changed: no page changed",
                    clock(),
                    describe(&changes)
                ));
            }
            Ok(rebuilt) => {
                let (pages, css_only) = (rebuilt.changed_pages, rebuilt.css_only);
                state.publish(rebuilt.site, css_only);
                say(&format!(
                    "{} {} changed: {pages} {} updated in {} ms",
                    clock(),
                    describe(&changes),
                    if pages == 1 { "file" } else { "files" },
                    started.elapsed().as_millis()
                ));
            }
            Err(failure) => {
                say(&format!(
                    "{} {} changed: {failure}; still serving the last good build",
                    clock(),
                    describe(&changes)
                ));
                crate::report::print_diagnostics(root, &failure.0);
                state.publish_errors(overlay_lines(&failure));
            }
        }
    }
    Ok(())
}

/// One line on standard output; a closed output (the terminal went away) is not a reason to
/// stop serving, nor to stop stopping.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Best effort: a browser that does not open is not an error, the URL is printed anyway.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
