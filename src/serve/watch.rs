//! Watching the sources: notify's debouncer reports file events, and a pure `classify` turns
//! each path into the change a rebuild cares about; `Batches` hands them to serve's loop a
//! burst at a time. It knows nothing of HTTP.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::walk::is_ignored_file_name;

/// How long a path must stay quiet before its events are reported: long enough to merge an
/// editor's write-rename-chmod burst into one, short enough to feel instant.
const QUIET: Duration = Duration::from_millis(10);
const TICK: Duration = Duration::from_millis(2);

pub use crate::build::incremental::Change;

/// The change `path` makes, if any; editor temporary, swap and backup files make none.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap_or(""));
    let first = parts.next()?;
    if rel
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(is_ignored_file_name))
    {
        return None;
    }
    match first {
        "content" if rel.extension().is_some_and(|ext| ext == "md") => {
            Some(Change::Entry(rel.to_path_buf()))
        }
        // Anything else under content/ may be a folder (`v1.2` has an "extension" too): walk
        // again; the walk tells folders from other files.
        "content" => Some(Change::Content),
        "themes" => Some(Change::Theme),
        _ if rel == Path::new(CONFIG_FILE) => Some(Change::Config),
        _ => None,
    }
}

/// Whether an event kind can change what a build reads: creations, writes, renames, removals
/// and permission changes, but not reads or access-time updates.
fn is_change(kind: &EventKind) -> bool {
    use notify::event::{MetadataKind, ModifyKind};
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Any
        | EventKind::Other => true,
    }
}

/// Watches `content/`, `themes/` and `playbook.yaml` under `root`, sending each debounced
/// batch of changes. The output folder is never watched: serve keeps the site in memory.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// Watched folders and the identity they had when the watch began.
    watched: Vec<(PathBuf, u64)>,
}

/// What tells a folder from another made at the same path later: its inode where there is
/// one, else its creation time.
fn folder_identity(path: &Path) -> Option<u64> {
    let metadata = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(metadata.ino())
    }
    #[cfg(not(unix))]
    {
        metadata
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as u64)
            .or(Some(0))
    }
}

impl Watcher {
    pub fn new(root: &Path, sender: Sender<Vec<Change>>) -> notify::Result<Watcher> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let classify_root = root.clone();
        let mut debouncer =
            new_debouncer(QUIET, Some(TICK), move |result: DebounceEventResult| {
                let changes: Vec<Change> = match result {
                    Ok(events) => events
                        .iter()
                        // Reading a file is an event too (the rebuild's own reads among them): only
                        // changes count.
                        .filter(|event| is_change(&event.kind) || event.need_rescan())
                        .flat_map(|event| {
                            let rescan =
                                event.need_rescan() || matches!(event.kind, EventKind::Other);
                            let mut changes: Vec<Change> = event
                                .paths
                                .iter()
                                .filter_map(|path| {
                                    let path =
                                        std::path::absolute(path).unwrap_or_else(|_| path.clone());
                                    classify(&classify_root, &path)
                                })
                                .collect();
                            if rescan {
                                changes.push(Change::Everything);
                            }
                            changes
                        })
                        .collect(),
                    Err(errors) => {
                        use std::io::Write as _;
                        for error in errors {
                            let _ = writeln!(
                                std::io::stderr(),
                                "warning: watching the playbook: {error}; rebuilding everything"
                            );
                        }
                        vec![Change::Everything]
                    }
                };
                if !changes.is_empty() {
                    let _ = sender.send(changes);
                }
            })?;
        // The root itself is watched without recursion: an editor that saves playbook.yaml by
        // renaming a temporary file over it replaces the file, which only the folder sees.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            debouncer,
            root,
            watched: Vec::new(),
        };
        watcher.watch_new_folders()?;
        Ok(watcher)
    }

    /// Starts watching `content/` and `themes/` if they appeared since; call it before a
    /// rebuild, so that files written into a new folder are seen by the rebuild or by the
    /// watch, never by neither.
    pub fn watch_new_folders(&mut self) -> notify::Result<()> {
        for folder in ["content", "themes"] {
            let path = self.root.join(folder);
            // A folder deleted and made again is a new folder: its old watch died with it.
            let identity = folder_identity(&path);
            let known = self.watched.iter().position(|(p, _)| *p == path);
            match (identity, known) {
                (Some(id), Some(at)) if self.watched[at].1 == id => {}
                (Some(id), known) => {
                    if let Some(at) = known {
                        let _ = self.debouncer.unwatch(&path);
                        self.watched.remove(at);
                    }
                    self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                    self.watched.push((path, id));
                }
                (None, Some(at)) => {
                    self.watched.remove(at);
                }
                (None, None) => {}
            }
        }
        Ok(())
    }
}

/// The watcher's batches of changes, as serve's loop takes them: a burst merged into one, and
/// a count of those sent that a long render can look at to stop early.
pub struct Batches {
    receiver: Receiver<BTreeSet<Change>>,
    /// Batches sent so far, counted as they arrive (by a thread of their own).
    sent: Arc<AtomicUsize>,
    taken: usize,
}

impl Batches {
    pub fn new(watched: Receiver<Vec<Change>>) -> Batches {
        let (sender, receiver) = mpsc::channel();
        let sent = Arc::new(AtomicUsize::new(0));
        let counter = sent.clone();
        std::thread::spawn(move || {
            for batch in watched {
                if sender.send(batch.into_iter().collect()).is_err() {
                    break;
                }
                counter.fetch_add(1, Ordering::Release);
            }
        });
        Batches {
            receiver,
            sent,
            taken: 0,
        }
    }

    /// Whether changes came in that were not taken yet, as any thread can ask.
    pub fn arrived(&self) -> impl Fn() -> bool + Sync + use<> {
        let (sent, taken) = (self.sent.clone(), self.taken);
        move || sent.load(Ordering::Acquire) > taken
    }

    /// The next batch, waiting for it, with whatever else arrived meanwhile.
    pub fn take(&mut self) -> Option<BTreeSet<Change>> {
        let first = self.receiver.recv().ok()?;
        Some(self.merge(first))
    }

    /// The next batch, if one is there, with whatever else arrived meanwhile.
    pub fn try_take(&mut self) -> Result<BTreeSet<Change>, TryRecvError> {
        let first = self.receiver.try_recv()?;
        Ok(self.merge(first))
    }

    /// `first` and every batch waiting after it: one rebuild for one burst of saves.
    fn merge(&mut self, mut changes: BTreeSet<Change>) -> BTreeSet<Change> {
        self.taken += 1;
        while let Ok(more) = self.receiver.try_recv() {
            self.taken += 1;
            changes.extend(more);
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> Option<Change> {
        classify(Path::new("/pb"), &Path::new("/pb").join(path))
    }

    #[test]
    fn entries_config_and_theme_files_are_changes() {
        assert_eq!(
            at("content/advice/x.md"),
            Some(Change::Entry("content/advice/x.md".into()))
        );
        assert_eq!(
            at("content/advice/2026/x.md"),
            Some(Change::Entry("content/advice/2026/x.md".into()))
        );
        assert_eq!(at("content/advice"), Some(Change::Content));
        assert_eq!(
            at("content/advice/v1.2"),
            Some(Change::Content),
            "a folder with a dot"
        );
        assert_eq!(at("playbook.yaml"), Some(Change::Config));
        assert_eq!(
            at("themes/default/templates/list.html"),
            Some(Change::Theme)
        );
        assert_eq!(at("content"), Some(Change::Content));
        assert_eq!(at("themes"), Some(Change::Theme));
    }

    #[test]
    fn editor_leftovers_and_other_files_are_not() {
        for path in [
            "content/advice/.x.md.swp",
            "content/advice/x.md~",
            "content/advice/4913",
            "content/advice/.#x.md",
            "content/advice/x.md.tmp",
            "content/advice/.goutputstream-ABC",
            "public/index.html",
            "target/debug/playbook",
            ".git/index",
            "README.md",
            "themes/default/.x.swp",
        ] {
            assert_eq!(at(path), None, "{path}");
        }
    }

    #[test]
    fn paths_outside_the_root_are_ignored() {
        assert_eq!(
            classify(Path::new("/pb"), Path::new("/elsewhere/content/a.md")),
            None
        );
    }

    #[test]
    fn a_burst_of_batches_is_taken_as_one_and_counted() {
        let (sender, watched) = mpsc::channel();
        let mut batches = Batches::new(watched);
        let entry = |name: &str| Change::Entry(PathBuf::from(format!("content/goals/{name}.md")));
        sender.send(vec![entry("a")]).unwrap();
        sender.send(vec![entry("b"), Change::Theme]).unwrap();
        // The forwarding thread counts a batch once it is passed on.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while batches.sent.load(Ordering::Acquire) < 2 {
            assert!(std::time::Instant::now() < deadline, "both batches arrive");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(batches.arrived()());
        let taken = batches.try_take().expect("a batch");
        assert_eq!(
            taken,
            BTreeSet::from([entry("a"), entry("b"), Change::Theme])
        );
        assert!(!batches.arrived()());
        assert_eq!(batches.try_take(), Err(TryRecvError::Empty));
    }
}
