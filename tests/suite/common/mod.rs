//! Test helpers: copy a named fixture playbook into a temp folder, run the real binary on it,
//! and read what it wrote.
#![allow(dead_code)] // each test file uses a different subset

pub mod browser;
pub mod git;
pub mod server;
pub mod sshd;
pub mod static_host;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use walkdir::WalkDir;

/// A playbook in a temporary folder, removed when dropped.
pub struct Playbook {
    dir: tempfile::TempDir,
}

impl Playbook {
    /// An empty folder.
    pub fn empty() -> Playbook {
        Playbook {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Playbook {
        let playbook = Playbook::empty();
        copy_tree(&fixtures_dir().join(name), playbook.path());
        playbook
    }

    /// A copy of the repository's own example playbook (content/ and playbook.yaml), without
    /// its themes/ folder unless asked.
    pub fn example() -> Playbook {
        let playbook = Playbook::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("content"), &playbook.path().join("content"));
        fs::copy(
            repo.join("playbook.yaml"),
            playbook.path().join("playbook.yaml"),
        )
        .expect("copy playbook.yaml");
        playbook
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(path, text).expect("write fixture file");
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).expect("remove fixture file");
    }

    /// Runs `playbook --root <this> <args…>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let root = self.path().to_str().expect("temp paths are UTF-8");
        let mut all = vec!["--root", root];
        all.extend_from_slice(args);
        run(&all)
    }

    /// `playbook --root <this> <args…>` with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let root = self.path().to_str().expect("temp paths are UTF-8");
        let mut command = Command::new(env!("CARGO_BIN_EXE_playbook"));
        command
            .args(["--root", root])
            .args(args)
            .env_remove("PLAYBOOK_ROOT")
            .env_remove("PLAYBOOK_PASSPHRASE")
            .env_remove("PLAYBOOK_NEW_PASSPHRASE")
            .envs(env.iter().copied());
        Run::from(command.output().expect("run playbook"))
    }

    /// `build`, asserting success.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }
}

impl Playbook {
    /// `playbook --root <this> <args…>` with `input` on its standard input (a pipe).
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write as _;
        let root = self.path().to_str().expect("temp paths are UTF-8");
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["--root", root])
            .args(args)
            .env_remove("PLAYBOOK_ROOT")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run playbook");
        let mut stdin = child.stdin.take().expect("a pipe");
        // A command that does not read its input (`add --body`) may be gone before it is
        // written: a broken pipe then is no failure.
        if let Err(err) = stdin.write_all(input.as_bytes()) {
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::BrokenPipe,
                "write stdin: {err}"
            );
        }
        drop(stdin);
        Run::from(child.wait_with_output().expect("wait for playbook"))
    }
}

/// Runs `playbook <args…>` as a user would, without `PLAYBOOK_ROOT` from the environment.
pub fn run(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_playbook"));
    command
        .args(args)
        .env_remove("PLAYBOOK_ROOT")
        .env_remove("PLAYBOOK_PASSPHRASE")
        .env_remove("PLAYBOOK_NEW_PASSPHRASE");
    Run::from(command.output().expect("run playbook"))
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `error: …` lines of stderr (source excerpts left out).
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_tree(from: &Path, to: &Path) {
    for item in WalkDir::new(from) {
        let item = item.expect("walk fixture");
        let target = to.join(item.path().strip_prefix(from).expect("inside"));
        if item.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create dir");
        } else {
            fs::copy(item.path(), &target).expect("copy file");
        }
    }
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(|item| item.expect("walk"))
        .filter(|item| item.file_type().is_file())
        .map(|item| {
            let rel = item.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, fs::read(item.path()).expect("read"))
        })
        .collect()
}

/// Relative paths of every `.html` file under `dir`.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect()
}

/// Asserts that `text` (a run's output) holds each of `wanted`, showing the text when not.
#[track_caller]
pub fn assert_holds(text: &str, wanted: &[&str]) {
    for piece in wanted {
        assert!(text.contains(piece), "`{piece}` missing from:\n{text}");
    }
}
