//! Git-hosted pages: `git:<repository>#<branch>` targets, and the git commands `publish` and
//! `verify` share — a private temporary repository, the branch's tree, one orphan commit of the
//! site, a force-push — through the system's `git`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::process::Stdio;

use super::*;

/// How a git target starts: `git:../site.git#gh-pages`.
pub const PREFIX: &str = "git:";
/// Every publish commit is made by this author and committer, with this message and date: the
/// commit of an unchanged site is the same commit, and it tells nothing of who made it or when
/// (the host sees the push anyway).
const NAME: &str = "playbook";
const EMAIL: &str = "playbook@localhost";
const MESSAGE: &str = "playbook publish";
const DATE: &str = "2000-01-01T00:00:00+0000";

/// A `git:` target, read.
#[derive(Clone, Debug, PartialEq)]
pub struct GitTarget {
    /// As written, for messages: `git:../site.git#gh-pages`.
    pub shown: String,
    /// As git takes it: a URL, `host:path`, or an absolute path.
    pub repository: OsString,
    pub branch: String,
}

impl GitTarget {
    /// Reads `target` (`git:<repository>#<branch>`); a relative repository path is relative to
    /// `base`.
    pub fn parse(base: &Path, target: &str) -> Result<GitTarget, String> {
        let example = "write git:<repository>#<branch>, e.g. git:../site.git#gh-pages";
        let Some(spec) = target.strip_prefix(PREFIX) else {
            return Err(format!("`{target}` is not a git target: {example}"));
        };
        let Some((repository, branch)) = spec.rsplit_once('#') else {
            return Err(format!("`{target}` names no branch: {example}"));
        };
        if repository.is_empty() {
            return Err(format!("`{target}` names no repository: {example}"));
        }
        if repository.starts_with('-') {
            return Err(format!(
                "the repository of `{target}` cannot start with `-`"
            ));
        }
        if !valid_branch(branch) {
            return Err(format!(
                "`{branch}` in `{target}` is not a valid branch name (see git check-ref-format)"
            ));
        }
        // git's own rule: `scheme://…`, or a colon before any slash (`git@host:me/site.git`).
        let remote = repository.contains("://")
            || repository
                .split_once(':')
                .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'));
        let repository = if remote {
            OsString::from(repository)
        } else {
            std::path::absolute(base.join(repository))
                .map_err(|err| format!("cannot resolve the repository of `{target}`: {err}"))?
                .into_os_string()
        };
        Ok(GitTarget {
            shown: target.to_string(),
            repository,
            branch: branch.to_string(),
        })
    }

    fn reference(&self) -> String {
        format!("refs/heads/{}", self.branch)
    }

    /// A failure naming this target.
    pub fn failure(&self, message: impl Into<String>) -> Failure {
        Failure::one(Diagnostic::error(&self.shown, message))
    }
}

/// Whether `branch` is a branch name git accepts.
fn valid_branch(branch: &str) -> bool {
    !branch.is_empty()
        && !branch.starts_with('-')
        && git()
            .args(["check-ref-format", &format!("refs/heads/{branch}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
}

/// `git`, free of what the environment could slip in: no system configuration, no repository
/// or work tree from the environment, no hooks, no line-ending or signing settings.
fn git() -> Command {
    let mut command = Command::new("git");
    for variable in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_COMMON_DIR",
    ] {
        command.env_remove(variable);
    }
    command.env("GIT_CONFIG_NOSYSTEM", "1");
    command.args([
        "-c",
        "core.autocrlf=false",
        "-c",
        "core.safecrlf=false",
        "-c",
        "commit.gpgSign=false",
        "-c",
        "gc.auto=0",
        "-c",
        "maintenance.auto=false",
    ]);
    command
}

/// A private temporary bare repository, removed when dropped: what a publish commits and what
/// a verify reads are fetched and made here, never in a repository of the user's.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new(target: &GitTarget) -> Result<Scratch, Failure> {
        let dir = tempfile::tempdir()
            .map_err(|err| target.failure(format!("cannot make a temporary repository: {err}")))?;
        fs::create_dir(dir.path().join("hooks"))
            .map_err(|err| target.failure(format!("cannot make a temporary repository: {err}")))?;
        let scratch = Scratch { dir };
        let mut init = scratch.local();
        init.args(["init", "--quiet", "--bare", "--template="]);
        init.arg(scratch.git_dir());
        scratch.run(init, target, "make a temporary repository")?;
        Ok(scratch)
    }

    fn git_dir(&self) -> PathBuf {
        self.dir.path().join("repo.git")
    }

    /// git in this repository, with the user's global configuration too (credentials, URL
    /// rewrites, ssh settings) for talking to the host; hooks stay off.
    fn network(&self) -> Command {
        let mut command = git();
        command.current_dir(self.dir.path());
        command.arg("-c");
        let mut hooks = OsString::from("core.hooksPath=");
        hooks.push(self.dir.path().join("hooks"));
        command.arg(hooks);
        command.arg("--git-dir");
        command.arg(self.git_dir());
        command
    }

    /// git in this repository, reading no configuration of the user's.
    fn local(&self) -> Command {
        let mut command = self.network();
        command.env("GIT_CONFIG_GLOBAL", "/dev/null");
        command
    }

    /// Runs `command`; its output, or a failure naming `target` and git's reason.
    fn run(&self, command: Command, target: &GitTarget, action: &str) -> Result<Vec<u8>, Failure> {
        run_with_input(command, None, target, action)
    }

    /// The commit the target's branch points to, fetched here; `None` when the repository has
    /// no such branch. A repository that cannot be read is a failure.
    pub fn fetch_branch(&self, target: &GitTarget) -> Result<Option<String>, Failure> {
        let mut list = self.network();
        list.args(["ls-remote", "--heads"]);
        list.arg(&target.repository);
        list.arg(target.reference());
        let listed = self.run(list, target, "read the repository")?;
        let reference = target.reference();
        let exists = String::from_utf8_lossy(&listed)
            .lines()
            .any(|line| line.split('\t').nth(1) == Some(reference.as_str()));
        if !exists {
            return Ok(None);
        }
        let mut fetch = self.network();
        fetch.args(["fetch", "--quiet", "--no-tags", "--depth=1"]);
        fetch.arg(&target.repository);
        fetch.arg(format!("+{reference}:refs/published"));
        self.run(fetch, target, "fetch the branch")?;
        let mut parse = self.local();
        parse.args(["rev-parse", "--verify", "refs/published^{commit}"]);
        let commit = self.run(parse, target, "read the fetched branch")?;
        Ok(Some(String::from_utf8_lossy(&commit).trim().to_string()))
    }

    /// Whether `commit` is one `publish` made: playbook's author, committer and message.
    pub fn made_by_playbook(&self, commit: &str, target: &GitTarget) -> Result<bool, Failure> {
        let mut show = self.local();
        show.args(["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%s", commit]);
        let shown = self.run(show, target, "read the branch's commit")?;
        let who = format!("{NAME} <{EMAIL}>");
        Ok(String::from_utf8_lossy(&shown).lines().collect::<Vec<_>>() == [&who, &who, MESSAGE])
    }

    /// The files of a commit or tree: path → blob id (same id, same bytes).
    pub fn files(
        &self,
        tree: &str,
        target: &GitTarget,
    ) -> Result<BTreeMap<String, String>, Failure> {
        let mut list = self.local();
        list.args(["ls-tree", "-r", "-z", "--full-tree", tree]);
        let listed = self.run(list, target, "list the branch's files")?;
        let mut files = BTreeMap::new();
        for entry in listed.split(|byte| *byte == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            // `<mode> <type> <id>\t<path>`
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split(' ');
            if let (Some(_mode), Some("blob"), Some(id)) =
                (parts.next(), parts.next(), parts.next())
            {
                files.insert(path.to_string(), id.to_string());
            }
        }
        Ok(files)
    }

    /// The bytes of each blob in `ids`, in order.
    pub fn blobs(&self, ids: &[&str], target: &GitTarget) -> Result<Vec<Vec<u8>>, Failure> {
        let mut cat = self.local();
        cat.args(["cat-file", "--batch"]);
        let input: String = ids.iter().map(|id| format!("{id}\n")).collect();
        let out = run_with_input(
            cat,
            Some(input.into_bytes()),
            target,
            "read the branch's files",
        )?;
        let mut rest = &out[..];
        let mut blobs = Vec::with_capacity(ids.len());
        let damaged = || target.failure("git cat-file printed what playbook cannot read");
        for _ in ids {
            // `<id> blob <size>\n<bytes>\n`
            let end = rest.iter().position(|b| *b == b'\n').ok_or_else(damaged)?;
            let header = String::from_utf8_lossy(&rest[..end]).to_string();
            let size: usize = match header.split(' ').collect::<Vec<_>>()[..] {
                [_, "blob", size] => size.parse().map_err(|_| damaged())?,
                _ => return Err(target.failure(format!("git cannot read a blob: {header}"))),
            };
            let start = end + 1;
            let bytes = rest.get(start..start + size).ok_or_else(damaged)?;
            blobs.push(bytes.to_vec());
            rest = rest.get(start + size + 1..).unwrap_or_default();
        }
        Ok(blobs)
    }

    /// Writes the tree of `files` (relative, `/`-separated) under `dir`, byte for byte (no
    /// filters, no ignore rules); its id.
    pub fn write_tree(
        &self,
        dir: &Path,
        files: &BTreeSet<String>,
        target: &GitTarget,
    ) -> Result<String, Failure> {
        if let Some(odd) = files.iter().find(|f| f.contains(['\n', '\0'])) {
            return Err(target.failure(format!("git cannot hold the file name {odd:?}")));
        }
        let mut hash = self.local();
        hash.current_dir(dir);
        hash.args(["hash-object", "-w", "--no-filters", "--stdin-paths"]);
        let paths: String = files.iter().map(|file| format!("{file}\n")).collect();
        let ids = run_with_input(hash, Some(paths.into_bytes()), target, "store the site")?;
        let ids = String::from_utf8_lossy(&ids);
        let ids: Vec<&str> = ids.lines().collect();
        if ids.len() != files.len() {
            return Err(target.failure("git did not store every file of the site"));
        }
        let mut index = String::new();
        for (file, id) in files.iter().zip(ids) {
            index.push_str(&format!("100644 {id}\t{file}\0"));
        }
        let mut update = self.local();
        update.env("GIT_INDEX_FILE", self.dir.path().join("index"));
        update.args(["update-index", "--add", "-z", "--index-info"]);
        run_with_input(update, Some(index.into_bytes()), target, "store the site")?;
        let mut write = self.local();
        write.env("GIT_INDEX_FILE", self.dir.path().join("index"));
        write.arg("write-tree");
        let tree = self.run(write, target, "store the site")?;
        Ok(String::from_utf8_lossy(&tree).trim().to_string())
    }

    /// The orphan commit of `tree`: no parent, playbook's author, date and message.
    pub fn commit(&self, tree: &str, target: &GitTarget) -> Result<String, Failure> {
        let mut commit = self.local();
        for (variable, value) in [
            ("GIT_AUTHOR_NAME", NAME),
            ("GIT_AUTHOR_EMAIL", EMAIL),
            ("GIT_AUTHOR_DATE", DATE),
            ("GIT_COMMITTER_NAME", NAME),
            ("GIT_COMMITTER_EMAIL", EMAIL),
            ("GIT_COMMITTER_DATE", DATE),
        ] {
            commit.env(variable, value);
        }
        commit.args(["commit-tree", tree, "-m", MESSAGE]);
        let id = self.run(commit, target, "commit the site")?;
        Ok(String::from_utf8_lossy(&id).trim().to_string())
    }

    /// Force-pushes `commit` to the target's branch, as its only commit, provided the branch
    /// still is at `old` (`None`: still absent).
    pub fn push(&self, commit: &str, old: Option<&str>, target: &GitTarget) -> Result<(), Failure> {
        let reference = target.reference();
        let mut push = self.network();
        push.args(["push", "--quiet", "--no-verify"]);
        push.arg(format!(
            "--force-with-lease={reference}:{}",
            old.unwrap_or_default()
        ));
        push.arg(&target.repository);
        push.arg(format!("{commit}:{reference}"));
        self.run(push, target, "push the site").map(drop)
    }
}

/// Runs `command` with `input` on its standard input; its output, or a failure naming `target`
/// with git's own reason.
fn run_with_input(
    mut command: Command,
    input: Option<Vec<u8>>,
    target: &GitTarget,
    action: &str,
) -> Result<Vec<u8>, Failure> {
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|err| {
        target.failure(format!(
            "could not run git to {action} (is it installed?): {err}"
        ))
    })?;
    // Written from another thread: git may fill its output before it has read all its input.
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => Some(std::thread::spawn(move || stdin.write_all(&bytes))),
        _ => None,
    };
    // Reads standard output and error together, so that neither fills up.
    let output = child
        .wait_with_output()
        .map_err(|err| target.failure(format!("git failed to {action}: {err}")))?;
    let written = writer.map(|thread| thread.join());
    if !output.status.success() {
        // git's lines, on one: `fatal: '/x' does not appear to be a git repository; Could
        // not read from remote repository; …`
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr
            .lines()
            .map(|line| {
                let line = line.trim();
                ["fatal: ", "error: "].iter().fold(line, |line, prefix| {
                    line.strip_prefix(prefix).unwrap_or(line)
                })
            })
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(target.failure(match reason.is_empty() {
            true => format!("git could not {action} ({})", output.status),
            false => format!("git could not {action}: {reason}"),
        }));
    }
    if !matches!(written, None | Some(Ok(Ok(())))) {
        return Err(target.failure(format!("git failed to {action}: its pipes broke")));
    }
    Ok(output.stdout)
}

/// Publishes `site` as the only commit of the target's branch; what it adds, changes and
/// removes is counted against the branch's current tree (none: everything is added).
pub fn sync(
    site: &Site,
    target: &GitTarget,
    encrypted: bool,
    force: bool,
) -> Result<Published, Failure> {
    let scratch = Scratch::new(target)?;
    let old = scratch.fetch_branch(target)?;
    let old_files = match &old {
        Some(commit) => scratch.files(commit, target)?,
        None => BTreeMap::new(),
    };
    if let Some(commit) = &old
        && !force
        && !scratch.made_by_playbook(commit, target)?
    {
        return Err(target.failure(format!(
            "refusing to publish here: branch {} holds commits playbook did not make; choose \
             another branch, or pass --force to replace them (the branch keeps only playbook's \
             commit)",
            target.branch
        )));
    }
    if !encrypted && !force && old_files.contains_key(crate::seal::UNLOCK_SCRIPT) {
        return Err(refuse_plain_over_encrypted(&target.shown));
    }
    let (dir, _copy) = site
        .on_disk()
        .map_err(|err| target.failure(format!("cannot copy the site for git: {err}")))?;
    let tree = scratch.write_tree(&dir, &site.files(), target)?;
    let new_files = scratch.files(&tree, target)?;
    let found = super::differences(&new_files, &old_files);
    let published = Published {
        added: found.only_ours,
        changed: found.differ,
        removed: found.only_theirs,
        ..Published::default()
    };
    if site.dry_run() {
        return Ok(published);
    }
    let commit = scratch.commit(&tree, target)?;
    if old.as_deref() != Some(commit.as_str()) {
        scratch.push(&commit, old.as_deref(), target)?;
    }
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_git_target_names_a_repository_and_a_valid_branch() {
        let base = Path::new("/p/playbook");
        let parsed = GitTarget::parse(base, "git:../site.git#gh-pages").unwrap();
        assert_eq!(parsed.repository, OsString::from("/p/playbook/../site.git"));
        assert_eq!(parsed.branch, "gh-pages");
        let remote = GitTarget::parse(base, "git:git@github.com:me/me.github.io.git#main").unwrap();
        assert_eq!(
            remote.repository,
            OsString::from("git@github.com:me/me.github.io.git")
        );
        let url = GitTarget::parse(base, "git:https://host.example/me/site.git#pages").unwrap();
        assert_eq!(
            url.repository,
            OsString::from("https://host.example/me/site.git")
        );
        for bad in [
            "git:../site.git",
            "git:#main",
            "git:../site.git#",
            "git:../site.git#a..b",
            "git:../site.git#-x",
            "git:../site.git#a b",
            "git:-u#main",
        ] {
            assert!(GitTarget::parse(base, bad).is_err(), "{bad}");
        }
    }
}
