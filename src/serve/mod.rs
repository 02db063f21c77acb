//! `playbook serve`, the writing mode: the build's incremental session (`build::incremental`)
//! renders into memory, `http` serves its last good site on loopback, `watch` reports the
//! changed sources, and each batch of changes goes back into the session; the open tabs reload
//! or show the errors while the last good build stays up. `http` knows nothing of building,
//! `watch` nothing of HTTP.
//!
//! An edit that touches big lists is published twice, like Hugo's fast render mode: first its
//! own page, the pages open in tabs and the cheap pages, then, unless more changes came in
//! meanwhile (their update renders the rest too), the big lists (`Session::finish`), which
//! stop early when a change comes in while they render.

pub mod http;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, TryRecvError};
use std::time::{Duration, Instant};

use crate::build::incremental::Session;
use crate::error::{Diagnostic, Failure};
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

/// The diagnostics as the browser overlay shows them: the lines the terminal prints.
fn overlay_lines(failure: &Failure) -> Vec<String> {
    let mut lines: Vec<String> = failure.0.iter().map(ToString::to_string).collect();
    lines.push(format!("playbook: {failure}"));
    lines
}

/// The page served when even the first build failed: the overlay fills it.
fn placeholder_site() -> Arc<Site> {
    let page: Arc<[u8]> = Arc::from(
        &b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>playbook: build failed</title></head>\
           <body><p>The build failed; fix the errors and this page reloads.</p></body></html>"[..],
    );
    Arc::new(Site {
        pages: [
            (Arc::from("index.html"), page.clone()),
            (Arc::from("404.html"), page),
        ]
        .into(),
        version: 0,
    })
}

/// What serve tells the person at the terminal; the command line prints it
/// (`report::print_serve_event`).
#[derive(Debug)]
pub enum Event<'a> {
    /// Serving on an address others can reach.
    NotLoopback(IpAddr),
    /// The first build, and how long it took.
    Built {
        files: usize,
        elapsed: Duration,
    },
    /// The first build failed: the server shows a placeholder page and the errors.
    FirstBuildFailed {
        root: &'a Path,
        failure: &'a Failure,
    },
    Serving {
        url: &'a str,
    },
    Stopped,
    /// A new folder could not be watched.
    WatchFailed {
        error: &'a str,
    },
    /// A batch of changes left every file of the first step as it was.
    Unchanged {
        changes: &'a BTreeSet<Change>,
        /// Big pages left for a second step.
        deferred: usize,
    },
    Updated {
        changes: &'a BTreeSet<Change>,
        files: usize,
        elapsed: Duration,
        /// Big pages left for a second step.
        deferred: usize,
    },
    /// The second step of an update: the big pages it deferred.
    Finished {
        files: usize,
        elapsed: Duration,
        /// Pages it left when changes came in: their update renders them.
        left: usize,
    },
    /// The second step failed; its pages stay as they were until the next update.
    FinishFailed {
        root: &'a Path,
        failure: &'a Failure,
    },
    /// A batch of changes broke the build; the last good one stays up.
    Failed {
        root: &'a Path,
        changes: &'a BTreeSet<Change>,
        failure: &'a Failure,
    },
}

/// Runs until Ctrl-C or SIGTERM.
pub fn serve(options: &ServeOptions, tell: fn(&Event)) -> Result<(), Failure> {
    let root = options.root.as_path();
    if !options.bind.is_loopback() {
        tell(&Event::NotLoopback(options.bind));
    }
    let mut session = Session::new(root);
    let started = Instant::now();
    let state = match session.update(&BTreeSet::from([Change::Everything])) {
        Ok(update) => {
            tell(&Event::Built {
                files: update.site.pages.len(),
                elapsed: started.elapsed(),
            });
            Arc::new(LiveState::new(update.site))
        }
        Err(failure) => {
            tell(&Event::FirstBuildFailed {
                root,
                failure: &failure,
            });
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
    let (sender, watched) = mpsc::channel();
    let mut watcher = watch::Watcher::new(root, sender).map_err(|err| {
        Failure::one(Diagnostic::general(format!(
            "cannot watch the playbook: {err}"
        )))
    })?;
    if options.bind.is_loopback() {
        state.only_loopback_hosts(bound.port());
    }
    let url = format!("http://{bound}/");
    tell(&Event::Serving { url: &url });
    ctrlc::set_handler(move || {
        tell(&Event::Stopped);
        std::process::exit(0);
    })
    .map_err(|err| Failure::one(Diagnostic::general(format!("cannot handle Ctrl-C: {err}"))))?;
    if options.open {
        open_browser(&url);
    }

    let mut batches = watch::Batches::new(watched);
    // Whether the last update left big pages for a second step.
    let mut deferred = false;
    loop {
        // Changes that came in meanwhile go first: their update renders the deferred pages too.
        let changes = match deferred {
            true => match batches.try_take() {
                Err(TryRecvError::Empty) => {
                    deferred = finish(&mut session, &state, tell, &batches.arrived());
                    continue;
                }
                taken => taken.ok(),
            },
            false => batches.take(),
        };
        let Some(changes) = changes else { break };
        deferred = apply(&changes, &mut session, &mut watcher, &state, tell);
    }
    Ok(())
}

/// Renders and publishes the pages the last update deferred; returns whether some are left
/// (changes came in, and their update renders them).
fn finish(
    session: &mut Session,
    state: &LiveState,
    tell: fn(&Event),
    interrupted: &(dyn Fn() -> bool + Sync),
) -> bool {
    let started = Instant::now();
    match session.finish(interrupted) {
        Ok(update) => {
            if !update.changed.is_empty() {
                state.publish(update.site, update.css_only, &update.changed);
            }
            tell(&Event::Finished {
                files: update.changed.len(),
                elapsed: started.elapsed(),
                left: update.deferred,
            });
            update.deferred > 0
        }
        Err(failure) => {
            tell(&Event::FinishFailed {
                root: session.root(),
                failure: &failure,
            });
            state.publish_errors(overlay_lines(&failure));
            false
        }
    }
}

/// Hands one batch of changes to the session and tells the tabs and the terminal what it did;
/// returns whether it left pages for `finish`.
fn apply(
    changes: &BTreeSet<Change>,
    session: &mut Session,
    watcher: &mut watch::Watcher,
    state: &LiveState,
    tell: fn(&Event),
) -> bool {
    let started = Instant::now();
    // A folder that appeared (themes/, content/) is watched from now on.
    if let Err(err) = watcher.watch_new_folders() {
        tell(&Event::WatchFailed {
            error: &err.to_string(),
        });
    }
    match session.update_in_steps(changes, &state.open_pages()) {
        Ok(update) if update.changed.is_empty() && !state.has_errors() => {
            tell(&Event::Unchanged {
                changes,
                deferred: update.deferred,
            });
            update.deferred > 0
        }
        Ok(update) => {
            let files = update.changed.len();
            state.publish(update.site, update.css_only, &update.changed);
            tell(&Event::Updated {
                changes,
                files,
                elapsed: started.elapsed(),
                deferred: update.deferred,
            });
            update.deferred > 0
        }
        Err(failure) => {
            tell(&Event::Failed {
                root: session.root(),
                changes,
                failure: &failure,
            });
            state.publish_errors(overlay_lines(&failure));
            false
        }
    }
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
