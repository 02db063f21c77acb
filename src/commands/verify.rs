//! `playbook verify [TARGET]`: compares what is published — a folder, a git branch
//! (`git:<repository>#<branch>`) or a site over HTTP(S) — with the local output folder, file by
//! file by SHA-256, and names each file that changed, is missing or is extra on the target.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::commands::publish::git::{self, GitTarget, Scratch};
use crate::commands::publish::{differences, files_under, output_folder};
use crate::config::Config;
use crate::error::{Diagnostic, Failure};

/// The exit status of a verify that found a file changed, missing or extra (1 is an error:
/// the target or the output could not be read; 2 a usage error).
pub const DIFFERS: u8 = 3;

/// How long one HTTP(S) request may take, from connecting to the last byte.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct VerifyOptions {
    pub root: PathBuf,
    /// What to verify, as given on the command line (relative paths from the current
    /// folder); `None`: `publish.target` (relative paths from the playbook).
    pub target: Option<String>,
    /// The output folder (default: `output_dir`, else `public/` under the root).
    pub output: Option<PathBuf>,
}

/// What a verify found.
#[derive(Debug, Default)]
pub struct Verified {
    /// As given.
    pub target: String,
    /// How many files the output has.
    pub files: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    /// Whether files on the target that the output lacks can be seen: not over HTTP(S),
    /// where no listing exists.
    pub sees_extra: bool,
}

impl Verified {
    /// Whether every file matches.
    pub fn matches(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// The SHA-256 of each file, by path relative to the site.
type Digests = BTreeMap<String, [u8; 32]>;

enum Target {
    Folder(PathBuf),
    Git(GitTarget),
    /// The base URL, ending in `/`.
    Http(String),
}

impl Target {
    fn parse(base: &Path, target: &str) -> Result<Target, String> {
        let lower = target.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let base = match target.ends_with('/') {
                true => target.to_string(),
                false => format!("{target}/"),
            };
            return Ok(Target::Http(base));
        }
        if target.starts_with(git::PREFIX) {
            return GitTarget::parse(base, target).map(Target::Git);
        }
        if target
            .split_once(':')
            .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'))
        {
            return Err(format!(
                "verify cannot read `{target}` (an rsync destination, or an unknown kind of \
                 target): give a folder, git:<repository>#<branch>, or the site's URL, e.g. \
                 playbook verify https://me.example/playbook/"
            ));
        }
        Ok(Target::Folder(base.join(target)))
    }
}

pub fn verify(options: &VerifyOptions) -> Result<Verified, Failure> {
    let config = Config::load(&options.root)?;
    let (target, parsed) = match &options.target {
        Some(target) => (
            target.clone(),
            Target::parse(Path::new(""), target)
                .map_err(|message| Failure::one(Diagnostic::general(message)))?,
        ),
        None => {
            let Some(target) = config
                .publish
                .as_ref()
                .and_then(|publish| publish.target.clone())
                .filter(|target| !target.trim().is_empty())
            else {
                return Err(Failure::one(Diagnostic::general(
                    "nothing to verify: give a TARGET (a folder, git:<repository>#<branch>, or \
                     the site's URL), or set publish.target in playbook.yaml",
                )));
            };
            let parsed = Target::parse(&options.root, &target).map_err(|message| {
                Failure::one(config.error_at(&["publish", "target"], message))
            })?;
            (target, parsed)
        }
    };
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| output_folder(&options.root, &config));
    let local = local_digests(&output)?;
    let mut verified = Verified {
        target: target.clone(),
        files: local.len(),
        sees_extra: true,
        ..Verified::default()
    };
    let published = match &parsed {
        Target::Folder(folder) => folder_digests(folder, &target)?,
        Target::Git(git) => git_digests(git)?,
        Target::Http(base) => {
            verified.sees_extra = false;
            http_digests(base, &output, &local, &target)?
        }
    };
    let found = differences(&local, &published);
    verified.missing = found.only_ours;
    verified.changed = found.differ;
    verified.extra = found.only_theirs;
    Ok(verified)
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The SHA-256 of the file at `path`, read in pieces.
fn file_digest(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&buffer[..read]);
    }
}

/// The digests of the files under `dir`, without playbook's marks.
fn digests_under(dir: &Path) -> Result<Digests, Failure> {
    files_under(dir)
        .into_iter()
        .map(|file| {
            let path = dir.join(&file);
            file_digest(&path)
                .map(|digest| (file, digest))
                .map_err(|err| Failure::one(Diagnostic::io(&path, "read", &err)))
        })
        .collect()
}

fn local_digests(output: &Path) -> Result<Digests, Failure> {
    if !output.is_dir() {
        return Err(Failure::one(Diagnostic::error(
            output,
            "there is no output folder to compare with: run `playbook build` (or `playbook \
             publish`) first, or name the folder with --output",
        )));
    }
    digests_under(output)
}

fn folder_digests(folder: &Path, target: &str) -> Result<Digests, Failure> {
    if !folder.is_dir() {
        return Err(Failure::one(Diagnostic::error(
            target,
            "there is no such folder: nothing is published there",
        )));
    }
    digests_under(folder)
}

fn git_digests(target: &GitTarget) -> Result<Digests, Failure> {
    let scratch = Scratch::new(target)?;
    let Some(commit) = scratch.fetch_branch(target)? else {
        return Err(target.failure(format!(
            "the repository has no branch {}: nothing is published there",
            target.branch
        )));
    };
    let files = scratch.files(&commit, target)?;
    let ids: Vec<&str> = files.values().map(String::as_str).collect();
    let blobs = scratch.blobs(&ids, target)?;
    Ok(files
        .into_keys()
        .zip(blobs)
        .map(|(file, bytes)| (file, sha256(&bytes)))
        .collect())
}

/// Fetches each of the output's files under `base`: a web host lists nothing, so only the
/// output's files can be asked for. A file is read up to one byte more than the output's copy
/// (anything longer differs), so that a host cannot make verify read without end.
fn http_digests(
    base: &str,
    output: &Path,
    local: &Digests,
    target: &str,
) -> Result<Digests, Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(HTTP_TIMEOUT))
        .http_status_as_error(false)
        .user_agent(format!("playbook-verify/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let fail = |message: String| Failure::one(Diagnostic::error(target, message));
    let mut published = Digests::new();
    for file in local.keys() {
        let url = format!("{base}{}", encode_path(file));
        let mut response = agent
            .get(&url)
            .call()
            .map_err(|err| fail(format!("cannot fetch {url}: {err}")))?;
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            404 | 410 => continue,
            _ => {
                return Err(fail(format!(
                    "the host answered {status} for {url}; verify cannot read the site"
                )));
            }
        }
        let size = fs::metadata(output.join(file))
            .map(|m| m.len())
            .unwrap_or(0);
        let read = response
            .body_mut()
            .with_config()
            .limit(size.saturating_add(1))
            .read_to_vec();
        let digest = match read {
            Ok(bytes) => sha256(&bytes),
            // Longer than the output's copy: it differs.
            Err(ureq::Error::BodyExceedsLimit(_)) => [0; 32],
            Err(err) => return Err(fail(format!("cannot read {url}: {err}"))),
        };
        published.insert(file.clone(), digest);
    }
    Ok(published)
}

/// A `/`-separated relative path as a URL path: each byte outside the unreserved set (and
/// `/`) percent-encoded.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_segment_by_segment() {
        assert_eq!(
            encode_path("advice/a b/index.html"),
            "advice/a%20b/index.html"
        );
        assert_eq!(encode_path("é?#.js"), "%C3%A9%3F%23.js");
    }

    #[test]
    fn targets_are_folders_git_branches_or_urls() {
        let base = Path::new("/p");
        assert!(matches!(Target::parse(base, "site"), Ok(Target::Folder(_))));
        assert!(matches!(
            Target::parse(base, "https://me.example/pb"),
            Ok(Target::Http(url)) if url == "https://me.example/pb/"
        ));
        assert!(matches!(
            Target::parse(base, "git:../s.git#main"),
            Ok(Target::Git(_))
        ));
        assert!(Target::parse(base, "me@host:/srv/site").is_err());
    }
}
