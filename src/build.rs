//! `playbook build`: config → theme → content → pages → output, with every page rendered and
//! written in parallel as soon as it is ready.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::load_playbook;
use crate::error::{Diagnostic, Failure};
use crate::output::Staging;
use crate::render::{Links, ROBOTS_TXT, Renderer, plan_pages};
use crate::theme::load_theme;

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

/// Whether a run writes the site or only proves that it could.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
}

/// `playbook build`: the site, written atomically into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    run(options, Mode::Write)
}

/// `playbook check`: everything `build` checks, every page rendered (a template can fail only
/// when it renders), nothing written.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Failure> {
    run(options, Mode::Check)
}

fn run(options: &BuildOptions, mode: Mode) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let root = options.root.as_path();
    let config = Config::load(root)?;
    let output = match &options.output {
        Some(output) => output.clone(),
        // `--root .` (the default) keeps the printed path short: `public`, not `./public`.
        None if root == Path::new(".") => config.output_dir.clone(),
        None => root.join(&config.output_dir),
    };
    if mode == Mode::Write {
        check_output_location(root, &output)?;
    }
    let base_url = options.base_url.clone().or_else(|| config.base_url.clone());
    let theme_name = config.theme.clone();

    // Theme and content problems are reported together.
    let (theme, content) = rayon::join(
        || load_theme(root, &theme_name),
        || load_playbook(root, config, options.drafts),
    );
    let (mut theme, (playbook, warnings)) = match (theme, content) {
        (Ok(theme), Ok(content)) => (theme, content),
        (theme, content) => {
            let mut diagnostics = Vec::new();
            if let Ok((_, warnings)) = &content {
                diagnostics.extend(warnings.iter().cloned());
            }
            for failure in [theme.err(), content.err()].into_iter().flatten() {
                diagnostics.extend(failure.0);
            }
            return Err(Failure(diagnostics));
        }
    };

    let pages = plan_pages(&playbook);
    let staging = match mode {
        Mode::Write => Some(Staging::begin(&output)?),
        Mode::Check => None,
    };
    let write = |path: &str, bytes: &[u8]| match &staging {
        Some(staging) => staging.write(path, bytes),
        None => Ok(()),
    };
    let assets = std::mem::take(&mut theme.assets);
    let renderer = Renderer::new(&mut theme, &playbook, Links::new(base_url.as_deref()));
    let rendered = pages
        .par_iter()
        .try_for_each(|page| write(&page.path, &renderer.render(page)?));
    if let Err(diagnostic) = rendered {
        let mut diagnostics = warnings;
        diagnostics.push(diagnostic);
        return Err(Failure(diagnostics));
    }
    for asset in &assets {
        write(&asset.path, &asset.bytes)?;
    }
    write("robots.txt", ROBOTS_TXT.as_bytes())?;
    if let Some(staging) = staging {
        staging.commit()?;
    }

    Ok(BuildReport {
        entries: playbook.entries.len(),
        pages: pages.len(),
        elapsed: started.elapsed(),
        output,
        warnings,
    })
}

/// The output must not swallow the sources: not the root itself, nor inside `content/` or
/// `themes/`, where the next build would read it back.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (root, output_abs) = (absolute(root), absolute(output));
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
