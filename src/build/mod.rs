//! `playbook build` and `check`: the options, where the output may go, the passphrase of an
//! encrypted build, and one run of the `pipeline` (config → theme and content → pages) into the
//! output's staging folder, swapped in when it is complete. `incremental` is the same pipeline
//! kept in memory between runs: `serve` hands it each batch of changes.

pub mod incremental;
pub mod pipeline;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::Playbook;
use crate::error::{Diagnostic, Failure};
use crate::output::Staging;
use crate::render::Links;
use crate::seal::{Found, Lock, Sealer, Secret, UNLOCK_SCRIPT};
use crate::theme::Theme;
use pipeline::{Collect, Discard, File, Prepared, Settings, Sink, Sources, render_site};

/// What `build` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The playbook: the folder holding `content/` and, optionally, `playbook.yaml`.
    pub root: PathBuf,
    /// Where the site goes; default `output_dir` of the config, under `root`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Absolute URL prefix; by default every link is relative.
    pub base_url: Option<String>,
    /// The day the dashboard counts from; default today (or `SOURCE_DATE_EPOCH`).
    pub today: Option<time::Date>,
    /// Encrypt every page (also `encrypt: true` in playbook.yaml).
    pub encrypt: bool,
    /// The passphrase of an encrypted build (see [`passphrase_wanted`]).
    pub passphrase: Secret,
    /// Accept a new passphrase that zxcvbn finds easy to guess.
    pub weak_passphrase_ok: bool,
    /// Encrypt under a new site key with one keyslot, for `passphrase`, whatever the output's
    /// lock holds (`playbook passphrase rekey`, which checks the current passphrase first).
    pub rekey: bool,
}

/// What an encrypted build asks of the command line before it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PassphraseWanted {
    /// The output holds no encrypted build yet: a mistyped passphrase would lock the owner
    /// out, so it is asked twice.
    pub first_use: bool,
}

/// Whether `options` make an encrypted build, and so need a passphrase; `None` also when the
/// configuration cannot be read or the output folder is refused (the build then says why,
/// without having asked first).
pub fn passphrase_wanted(options: &BuildOptions) -> Option<PassphraseWanted> {
    let config = Config::load(&options.root).ok()?;
    let output = output_folder(options, &config);
    check_output_location(&options.root, &output).ok()?;
    (options.encrypt || config.encrypt).then(|| PassphraseWanted {
        first_use: options.rekey || Lock::find(&output) == Found::Nothing,
    })
}

/// Where the site goes: `--output`, else `output_dir` of the config under the root.
pub(crate) fn output_folder(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(output) => output.clone(),
        // `--root .` (the default) keeps the printed path short: `public`, not `./public`.
        None if options.root == Path::new(".") => config.output_dir.clone(),
        None => options.root.join(&config.output_dir),
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub entries: usize,
    pub pages: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        Staging::write(self, path, bytes)
    }
}

/// An encrypted build's writer: each page becomes a shell around its sealed text under its
/// keyed name; the search index comes sealed from the renderer, the theme's files stay as
/// they are.
struct Sealing<'a> {
    inner: &'a dyn Sink,
    sealer: &'a Sealer,
    /// The theme's `locked.html` before and after the sealed text.
    shell: (String, String),
}

impl Sink for Sealing<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if path.ends_with(".html") {
            let name = self.sealer.page_name(path);
            let (head, tail) = &self.shell;
            let mut page =
                String::with_capacity(head.len() + bytes.len() * 4 / 3 + 48 + tail.len());
            page.push_str(head);
            // An error names the page as the owner knows it, not by its keyed name.
            self.sealer
                .seal_into(&name, bytes, &mut page)
                .map_err(|_| Diagnostic::error(path, "could not encrypt this page"))?;
            page.push_str(tail);
            return self.inner.write(&name, page.as_bytes());
        }
        self.inner.write(path, bytes)
    }
}

/// `playbook build`: the site, written atomically into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    stage(options)?.commit()
}

/// A build written beside the output folder and not yet in place: dropped, it leaves no
/// trace; committed, it replaces the output in one step.
pub struct Staged {
    staging: Staging,
    report: BuildReport,
    started: Instant,
}

impl Staged {
    /// Adds a file the pages do not make (publish's host rules): it is in the manifest and
    /// swapped in with the rest.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Failure> {
        Ok(self.staging.write(path, bytes)?)
    }

    /// Where the staged site is, until `commit` or drop.
    pub fn folder(&self) -> &Path {
        self.staging.folder()
    }

    pub fn commit(self) -> Result<BuildReport, Failure> {
        self.staging.commit()?;
        let mut report = self.report;
        report.elapsed = self.started.elapsed();
        Ok(report)
    }
}

/// The build, written into the output's staging folder but not swapped in.
pub fn stage(options: &BuildOptions) -> Result<Staged, Failure> {
    let started = Instant::now();
    let mut planned = plan(options, true)?;
    let (sources, playbook, warnings) = planned.load(options)?;
    let staging = Staging::begin(&planned.output)?;
    let rendered = planned.render(&sources.theme, &playbook, &staging)?;
    let report = report(&playbook, rendered, warnings, started, planned.output)?;
    drop_in_background((sources, playbook));
    Ok(Staged {
        staging,
        report,
        started,
    })
}

/// The build in memory, for a dry run: every file's output path and bytes, and nothing
/// written anywhere (not even the clean-up of killed builds).
pub fn build_in_memory(options: &BuildOptions) -> Result<(Vec<File>, BuildReport), Failure> {
    let started = Instant::now();
    let mut planned = plan(options, false)?;
    let (sources, playbook, warnings) = planned.load(options)?;
    let files = Collect::default();
    let rendered = planned.render(&sources.theme, &playbook, &files)?;
    let report = report(&playbook, rendered, warnings, started, planned.output)?;
    drop_in_background((sources, playbook));
    Ok((files.into_files(), report))
}

/// A build about to run: where it goes and how it renders.
struct Planned {
    root: PathBuf,
    config: Config,
    output: PathBuf,
    settings: Settings,
    encrypt: bool,
    /// Set for an encrypted build, by `load`.
    sealer: Option<Arc<Sealer>>,
}

/// Reads the configuration and settles where the build goes and whether it is encrypted
/// (`load` checks the passphrase). With `recover`, first clears up after
/// builds that were killed (putting back an output a killed swap left aside), so that the lock
/// is read where it is and even a build that fails finds the previous output where it was;
/// without, writes nothing.
fn plan(options: &BuildOptions, recover: bool) -> Result<Planned, Failure> {
    let root = options.root.as_path();
    let config = Config::load(root)?;
    let output = output_folder(options, &config);
    check_output_location(root, &output)?;
    if recover {
        crate::output::recover_interrupted(&output);
    }
    let encrypt = options.encrypt || config.encrypt;
    if !encrypt && Lock::find(&output) != Found::Nothing {
        return Err(Failure::one(Diagnostic::error(
            &output,
            "this folder holds an encrypted build: set `encrypt: true` in playbook.yaml to keep \
             it encrypted (`playbook build --encrypt` does it for one build), or remove the \
             folder to build the site unencrypted",
        )));
    }
    let settings = Settings {
        drafts: options.drafts,
        links: Links::new(options.base_url.as_deref().or(config.base_url.as_deref())),
        today: options.today,
    };
    Ok(Planned {
        root: options.root.clone(),
        config,
        output,
        settings,
        encrypt,
        sealer: None,
    })
}

impl Planned {
    /// The pipeline's load: sources, the playbook and its warnings. An encrypted build's keys
    /// are derived meanwhile (checking the passphrase against the output's lock): a tenth of a
    /// second of key stretching on one core, which the load hides.
    fn load(
        &mut self,
        options: &BuildOptions,
    ) -> Result<(Sources, Playbook, Vec<Diagnostic>), Failure> {
        let (sealer, loaded) = rayon::join(
            || self.encrypt.then(|| self.sealer(options)).transpose(),
            || pipeline::load(&self.root, self.config.clone(), &self.settings, false),
        );
        let loaded = match (sealer, loaded) {
            (Ok(sealer), loaded) => {
                self.sealer = sealer.map(Arc::new);
                loaded
            }
            (Err(sealer), Ok(_)) => Err(sealer),
            (Err(sealer), Err(loaded)) => {
                Err(Failure(sealer.0.into_iter().chain(loaded.0).collect()))
            }
        }?;
        self.settings.links = self.settings.links.clone().sealed(self.sealer.clone());
        Ok(loaded)
    }

    /// The keys of an encrypted build, from the passphrase and the output's lock. A
    /// passphrase problem is told at the `encrypt:` setting, or plainly for `--encrypt`.
    fn sealer(&self, options: &BuildOptions) -> Result<Sealer, Failure> {
        let config = &self.config;
        let passphrase_error = |message: String| match config.encrypt {
            true => config.error_at(&["encrypt"], message),
            false => Diagnostic::general(message),
        };
        sealer_for(
            &self.output,
            options,
            config.encrypt_remember,
            passphrase_error,
        )
    }

    /// Renders the whole site into `sink`; an encrypted build's pages sealed, with the unlock
    /// script beside them. The outer error is the sink's; the inner one a page's.
    fn render(
        &self,
        theme: &Theme,
        playbook: &Playbook,
        sink: &dyn Sink,
    ) -> Result<Result<Prepared, Diagnostic>, Failure> {
        let Some(sealer) = &self.sealer else {
            return Ok(render_site(theme, playbook, &self.settings, sink));
        };
        sink.write(UNLOCK_SCRIPT, sealer.unlock_script().as_bytes())?;
        let shell = locked_shell(theme).map_err(Failure::one)?;
        let sealing = Sealing {
            inner: sink,
            sealer,
            shell,
        };
        Ok(render_site(theme, playbook, &self.settings, &sealing))
    }
}

/// The theme's `locked.html`, split where each page's sealed text goes.
fn locked_shell(theme: &Theme) -> Result<(String, String), Diagnostic> {
    const MARK: &str = "\u{0}sealed\u{0}";
    let mut context = tera::Context::new();
    context.insert("sealed", MARK);
    let html = theme.tera.render("locked.html", &context).map_err(|err| {
        crate::theme::template_diagnostics(&theme.template_sources, &err)
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("templates", err.to_string()))
    })?;
    match html.split_once(MARK) {
        Some((head, tail)) => Ok((head.to_string(), tail.to_string())),
        None => Err(Diagnostic::error(
            "templates/locked.html",
            "the template must show `{{ sealed }}` once: it is where each page's encrypted text goes",
        )),
    }
}

/// The keys of an encrypted build into `output`: the site key of the output's lock, opened
/// with the passphrase through any of its keyslots (which are kept); or, for an output without
/// a lock (or for a rekey), a new random site key with one keyslot, for a passphrase strong
/// enough. A passphrase that was not had is told by `passphrase_error`; one that does not
/// open the output's lock, at the output folder.
fn sealer_for(
    output: &Path,
    options: &BuildOptions,
    remember: bool,
    passphrase_error: impl Fn(String) -> Diagnostic,
) -> Result<Sealer, Failure> {
    let passphrase =
        given_passphrase(&options.passphrase).map_err(|why| Failure::one(passphrase_error(why)))?;
    let at_output = |message: String| Failure::one(Diagnostic::error(output, message));
    match Lock::find(output) {
        Found::Lock(lock) if !options.rekey => {
            Sealer::open(&lock, passphrase, remember).map_err(at_output)
        }
        Found::Unreadable if !options.rekey => {
            Err(at_output(crate::seal::UNREADABLE_LOCK.to_string()))
        }
        _ => {
            if !options.weak_passphrase_ok {
                crate::seal::check_strength(passphrase)
                    .map_err(|why| Failure::one(Diagnostic::general(why)))?;
            }
            Sealer::create(passphrase, remember).map_err(at_output)
        }
    }
}

/// The passphrase `secret` holds, or why there is none.
pub(crate) fn given_passphrase(secret: &Secret) -> Result<&str, String> {
    match secret {
        Secret::Given(passphrase) if passphrase.is_empty() => {
            Err("the passphrase is empty".to_string())
        }
        Secret::Given(passphrase) => Ok(passphrase),
        Secret::Refused(why) => Err(why.clone()),
        Secret::Missing => Err(
            "an encrypted build needs a passphrase: set PLAYBOOK_PASSPHRASE, \
                                or run playbook in a terminal to be asked"
                .to_string(),
        ),
    }
}

/// Frees `value` on another thread. Freeing a large playbook piece by piece takes most of a
/// second at 100,000 entries; a command that ends next need not wait for it (the system
/// reclaims the memory at exit), and a longer-lived caller gets it freed all the same.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// `playbook check`: everything `build` checks, every page rendered (a template can fail only
/// when it renders), nothing written.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let config = Config::load(&options.root)?;
    let settings = Settings {
        drafts: options.drafts,
        links: Links::new(options.base_url.as_deref().or(config.base_url.as_deref())),
        today: options.today,
    };
    let (sources, playbook, warnings) = pipeline::load(&options.root, config, &settings, false)?;
    let rendered = render_site(&sources.theme, &playbook, &settings, &Discard);
    let report = report(&playbook, rendered, warnings, started, PathBuf::new())?;
    drop_in_background((sources, playbook));
    Ok(report)
}

/// What a build or check did, or, when a page failed to render, its warnings and the error.
fn report(
    playbook: &Playbook,
    rendered: Result<Prepared, Diagnostic>,
    warnings: Vec<Diagnostic>,
    started: Instant,
    output: PathBuf,
) -> Result<BuildReport, Failure> {
    match rendered {
        Ok(prepared) => {
            let report = BuildReport {
                entries: playbook.entries.len(),
                pages: prepared.plan.len(),
                elapsed: started.elapsed(),
                output,
                warnings,
            };
            drop_in_background(prepared);
            Ok(report)
        }
        Err(diagnostic) => {
            let mut diagnostics = warnings;
            diagnostics.push(diagnostic);
            Err(Failure(diagnostics))
        }
    }
}

/// `path` as the file system resolves it: the deepest part that exists canonicalised (symbolic
/// links followed), the rest appended with `.` and `..` applied, so that `public/../content`
/// and a link into `content/` are both seen for what they are.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match existing.components().next_back() {
            Some(last @ (Component::Normal(_) | Component::ParentDir | Component::CurDir)) => {
                rest.push(last.as_os_str().to_os_string());
                existing.pop();
            }
            _ => break existing,
        }
    };
    let mut real = base;
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                real.pop();
            }
            Some(".") => {}
            _ => real.push(part),
        }
    }
    real
}

/// The output must not swallow the sources: not the root itself, nor inside `content/` or
/// `themes/`, where the next build would read it back.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let (root, output_abs) = (real_path(root), real_path(output));
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            output,
            format!("refusing to build here: {why}; choose another --output"),
        ))
    };
    if root.starts_with(&output_abs) {
        return refuse("this folder holds the playbook itself");
    }
    for source in ["content", "themes"] {
        if output_abs.starts_with(root.join(source)) {
            return refuse(&format!("it is inside {source}/, which playbook reads"));
        }
    }
    Ok(())
}
