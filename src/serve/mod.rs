//! `playbook serve`, the writing mode: the build's incremental session (`build::incremental`)
//! renders into memory, `http` serves its last good site on loopback, `watch` reports the
//! changed sources, and each batch of changes goes back into the session; the open tabs reload
//! or show the errors while the last good build stays up. `http` knows nothing of building,
//! `watch` nothing of HTTP.

pub mod http;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
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
    /// A batch of changes left every file as it was.
    Unchanged {
        changes: &'a BTreeSet<Change>,
    },
    Updated {
        changes: &'a BTreeSet<Change>,
        files: usize,
        elapsed: Duration,
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
    tell(&Event::Serving { url: &url });
    ctrlc::set_handler(move || {
        tell(&Event::Stopped);
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
        apply(&changes, &mut session, &mut watcher, &state, tell);
    }
    Ok(())
}

/// Hands one batch of changes to the session and tells the tabs and the terminal what it did.
fn apply(
    changes: &BTreeSet<Change>,
    session: &mut Session,
    watcher: &mut watch::Watcher,
    state: &LiveState,
    tell: fn(&Event),
) {
    let started = Instant::now();
    // A folder that appeared (themes/, content/) is watched from now on.
    if let Err(err) = watcher.watch_new_folders() {
        tell(&Event::WatchFailed {
            error: &err.to_string(),
        });
    }
    match session.update(changes) {
        Ok(update) if update.changed_files == 0 && !state.has_errors() => {
            tell(&Event::Unchanged { changes });
        }
        Ok(update) => {
            let files = update.changed_files;
            state.publish(update.site, update.css_only);
            tell(&Event::Updated {
                changes,
                files,
                elapsed: started.elapsed(),
            });
        }
        Err(failure) => {
            tell(&Event::Failed {
                root: session.root(),
                changes,
                failure: &failure,
            });
            state.publish_errors(overlay_lines(&failure));
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
