//! `cargo bench --bench playbook [-- --sizes 1000,10000,100000 --edits 20 --no-hugo --serve-only
//! --shape standard,short,long,wide]`: generates playbooks (of each shape given, `standard` by
//! default: see `corpus::Shape`) and measures the release binary: full builds into an empty output
//! (on tmpfs and on disk: wall time, CPU time, peak memory), a rebuild with no change (and how
//! many files it rewrote), and in `serve`, the time from saving an edit to the new page being
//! served after the reload event (what a browser tab does), and to every page updated (serve
//! publishes an edit's big lists in a second step), for edits of the body, the title, the
//! tags and the date (`--serve-only` measures only that). When `hugo` is on the PATH, the
//! same corpus is also built as a Hugo site with templates for the same pages, side by side:
//! the two builds alternate, output on tmpfs, and each side's median is taken.
//! Prints Markdown tables. Not part of `cargo test`.

mod corpus;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary measured: this build's, or another one's (`PLAYBOOK_BENCH_BINARY`), to compare
/// two versions on the same corpus.
fn binary() -> String {
    std::env::var("PLAYBOOK_BENCH_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_playbook").to_string())
}
/// A fixed date, so that a rebuild with no change has nothing that depends on the clock.
const TODAY: &str = "2026-01-01";

/// One run of a command: wall seconds, CPU seconds (user + system), peak RSS in KiB.
#[derive(Clone, Copy)]
struct Measured {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
}

/// Runs `command` to its end and measures it; its own resource use, read with `wait4`.
#[allow(clippy::zombie_processes)] // wait4 reaps the child
fn measure(command: &mut Command) -> Measured {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the command");
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Measured {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        rss_kib: usage.ru_maxrss as u64,
    }
}

/// The median wall and CPU time of `runs` runs and the largest peak RSS; `prepare` runs
/// (untimed) before each.
fn median_of(
    runs: usize,
    mut prepare: impl FnMut(),
    mut command: impl FnMut() -> Command,
) -> Measured {
    let all: Vec<Measured> = (0..runs)
        .map(|_| {
            prepare();
            measure(&mut command())
        })
        .collect();
    summary(all)
}

/// The median wall and CPU time of `all` and the largest peak RSS.
fn summary(mut all: Vec<Measured>) -> Measured {
    let rss_kib = all.iter().map(|m| m.rss_kib).max().unwrap_or(0);
    let mut walls: Vec<f64> = all.iter().map(|m| m.wall).collect();
    let mut cpus: Vec<f64> = all.drain(..).map(|m| m.cpu).collect();
    Measured {
        wall: median(&mut walls),
        cpu: median(&mut cpus),
        rss_kib,
    }
}

fn playbook_build(root: &Path, output: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .arg("--root")
        .arg(root)
        .args(["build", "--today", TODAY, "--output"])
        .arg(output);
    command
}

/// An encrypted build (the passphrase from the environment, as in CI).
fn encrypted_build(root: &Path, output: &Path) -> Command {
    let mut command = playbook_build(root, output);
    command
        .arg("--encrypt")
        .env("PLAYBOOK_PASSPHRASE", "benchmark passphrase");
    command
}

fn hugo_build(root: &Path, output: &Path) -> Command {
    let mut command = Command::new("hugo");
    command
        .args(["--quiet", "--source"])
        .arg(root)
        .arg("--destination")
        .arg(output);
    command
}

fn remove(path: &Path) {
    if path.exists() {
        std::fs::remove_dir_all(path).expect("remove the previous output");
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

/// Files under `dir` with their inode and modification time, to count what a build rewrote.
fn identities(dir: &Path) -> HashMap<std::path::PathBuf, (u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir(dir)
        .into_iter()
        .filter_map(|path| {
            let metadata = std::fs::symlink_metadata(&path).ok()?;
            Some((
                path,
                (metadata.ino(), metadata.mtime(), metadata.mtime_nsec()),
            ))
        })
        .collect()
}

/// Every file under `dir`.
fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|item| item.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn count_pages(dir: &Path) -> usize {
    walkdir(dir)
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .count()
}

fn folder_bytes(dir: &Path) -> u64 {
    walkdir(dir)
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum()
}

fn get(addr: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text
}

/// What a benchmark edit changes in the entry besides its body (which always gets a marker
/// line, so that the served page can be checked): each kind reaches different pages and
/// indexes.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// Only the body: the entry's own page and the search index.
    Body,
    /// The title: every list that shows the entry's card.
    Title,
    /// A new tag each time: a new tag page, the tag index.
    Tags,
    /// Another date: the entry moves in every list, month and year.
    Date,
}

impl Edit {
    const ALL: [Edit; 4] = [Edit::Body, Edit::Title, Edit::Tags, Edit::Date];

    fn name(self) -> &'static str {
        match self {
            Edit::Body => "body",
            Edit::Title => "title",
            Edit::Tags => "tags",
            Edit::Date => "date",
        }
    }

    /// The entry `original` after edit number `i` of this kind.
    fn apply(self, original: &str, i: usize) -> String {
        let marker = format!("benchmark-edit-{i}");
        let front_line = |key: &str, change: &dyn Fn(&str) -> String| -> String {
            let mut done = false;
            original
                .lines()
                .map(|line| match line.strip_prefix(key) {
                    Some(rest) if !done => {
                        done = true;
                        format!("{key}{}", change(rest))
                    }
                    _ => line.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let edited = match self {
            Edit::Body => original.to_string(),
            Edit::Title => front_line("title: ", &|title| format!("{title} {marker}")),
            Edit::Tags => front_line("tags: [", &|rest| format!("{marker}, {rest}")),
            Edit::Date => front_line("date: ", &|_| {
                format!("{}-{:02}-15", 2020 + i % 6, 1 + i % 12)
            }),
        };
        format!("{edited}\n\n{marker}\n")
    }
}

/// Save → page served, and save → every page updated, in milliseconds: by kind of edit, one
/// figure per edit.
struct ServeLatencies {
    page: Vec<Vec<f64>>,
    settled: Vec<Vec<f64>>,
}

/// How long a wait for serve may last before the benchmark gives up.
const SERVE_WAIT: Duration = Duration::from_secs(120);

/// The reload events read from an event stream, as (version, data).
struct ReloadEvents {
    stream: TcpStream,
    text: String,
}

impl ReloadEvents {
    /// The next reload event, waiting until `deadline`.
    fn next(&mut self, deadline: Instant) -> (u64, String) {
        let header = "event: reload\ndata: ";
        loop {
            if let Some(start) = self.text.find(header) {
                let data_start = start + header.len();
                if let Some(end) = self.text[data_start..].find("\n\n") {
                    let data = self.text[data_start..data_start + end].to_string();
                    self.text.drain(..data_start + end);
                    let version = data
                        .split("\"version\":")
                        .nth(1)
                        .and_then(|rest| rest.split([',', '}']).next())
                        .and_then(|number| number.parse().ok())
                        .expect("a reload event has a version");
                    return (version, data);
                }
            }
            assert!(
                Instant::now() < deadline,
                "no reload event in {SERVE_WAIT:?}"
            );
            let mut buffer = vec![0; 65536];
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream closed"),
                Ok(n) => self.text.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {} // the read timeout: look at the clock again
            }
        }
    }
}

/// Whether a reload event may bring the edit of `page`: it names it, or names nothing (a
/// binary whose events do not list the changed files), or says every page changed.
fn may_bring(data: &str, page: &str) -> bool {
    !data.contains("\"files\":")
        || data.contains(&format!("\"{page}\""))
        || data.contains("\"all\":true")
}

/// Waits until serve has printed the line of the last update, and, when that update left big
/// pages for a second step, the line of that step: serve is idle, every page is up to date.
fn wait_until_settled(lines: &std::sync::mpsc::Receiver<String>, deadline: Instant) {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("serve reports each update");
        let update_done = line.contains(" changed: ") && !line.contains("big pages next");
        if update_done || line.contains(" big pages: ") {
            return;
        }
    }
}

/// Milliseconds from saving an edit (by rename, as editors do) to its page being served after
/// a reload event that may bring it (not the second step of the edit before), and to serve
/// having updated every page, for `edits` edits of each kind of `kinds`. Each edit waits for
/// the one before to be done, as a person's saves seconds apart do.
fn serve_edit_latencies(root: &Path, edits: usize, kinds: &[Edit]) -> ServeLatencies {
    let mut child = Command::new(binary())
        .arg("--root")
        .arg(root)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start playbook serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("read");
        if let Some(url) = line.split("http://").nth(1) {
            break url.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining stdout so that serve never blocks on a full pipe; the lines tell when an
    // update is done.
    let (sender, output) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /__playbook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut events = ReloadEvents {
        stream,
        text: String::new(),
    };
    let (mut seen, _) = events.next(Instant::now() + SERVE_WAIT);

    let rel = "content/advice/entry-1.md";
    let page = "advice/entry-1/index.html";
    let path = root.join(rel);
    let original = std::fs::read_to_string(&path).expect("read the entry");
    let mut latencies = ServeLatencies {
        page: Vec::new(),
        settled: Vec::new(),
    };
    for (k, kind) in kinds.iter().enumerate() {
        let (mut these, mut settled) = (Vec::new(), Vec::new());
        for i in 0..edits {
            std::thread::sleep(Duration::from_millis(150));
            let n = k * edits + i;
            let marker = format!("benchmark-edit-{n}");
            let temp = root.join("content/advice/.entry-1.md.swp");
            std::fs::write(&temp, kind.apply(&original, n)).unwrap();
            let saved = Instant::now();
            std::fs::rename(&temp, &path).unwrap();
            let deadline = saved + SERVE_WAIT;
            loop {
                let (version, data) = events.next(deadline);
                let news = version != seen;
                seen = version;
                if news
                    && may_bring(&data, page)
                    && get(&addr, &format!("/{page}")).contains(&marker)
                {
                    break;
                }
            }
            these.push(saved.elapsed().as_secs_f64() * 1000.0);
            wait_until_settled(&output, deadline);
            settled.push(saved.elapsed().as_secs_f64() * 1000.0);
        }
        latencies.page.push(these);
        latencies.settled.push(settled);
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    latencies
}

/// playbook and Hugo built from `root` into empty folders under `dir` (on tmpfs), one after the
/// other, `runs` times: the medians of each side, and the pages each made. Alternating puts
/// both under the same conditions when the machine's load changes during the run.
fn side_by_side(runs: usize, root: &Path, dir: &Path) -> ((Measured, usize), (Measured, usize)) {
    let (site, hugo_site) = (dir.join("playbook"), dir.join("hugo"));
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut pages, mut hugo_pages) = (0, 0);
    for _ in 0..runs {
        // One output at a time: tmpfs is memory.
        remove(&site);
        ours.push(measure(&mut playbook_build(root, &site)));
        pages = count_pages(&site);
        remove(&site);
        theirs.push(measure(&mut hugo_build(root, &hugo_site)));
        hugo_pages = count_pages(&hugo_site);
        remove(&hugo_site);
    }
    ((summary(ours), pages), (summary(theirs), hugo_pages))
}

/// What one corpus size measured.
struct Row {
    shape: &'static str,
    size: usize,
    input_bytes: u64,
    tmpfs: Measured,
    disk: Measured,
    again: Measured,
    rewritten: usize,
    files: usize,
    /// Save → page served, for each kind of `Edit::ALL`.
    latencies: Vec<Vec<f64>>,
    /// playbook and Hugo alternating: each one's median and pages.
    hugo: Option<((Measured, usize), (Measured, usize))>,
    encrypted: Measured,
}

fn main() {
    let mut sizes = vec![1_000, 10_000];
    let mut edits = 20;
    let mut serve_only = false;
    let mut shapes = vec![corpus::Shape::STANDARD];
    let mut hugo = Command::new("hugo")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--sizes" => {
                sizes = args[i + 1]
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect();
                i += 1;
            }
            "--edits" => {
                edits = args[i + 1].parse().unwrap_or(edits);
                i += 1;
            }
            "--shape" => {
                shapes = args[i + 1]
                    .split(',')
                    .map(|name| {
                        corpus::Shape::named(name.trim()).unwrap_or_else(|| {
                            panic!("unknown shape {name:?}: standard, short, long or wide")
                        })
                    })
                    .collect();
                i += 1;
            }
            "--no-hugo" => hugo = false,
            "--serve-only" => serve_only = true,
            _ => {} // `cargo bench` passes `--bench`
        }
        i += 1;
    }
    if !hugo {
        eprintln!("hugo is not on the PATH (or --no-hugo): measuring playbook alone");
    }
    let tmpfs = if Path::new("/dev/shm").is_dir() {
        Path::new("/dev/shm")
    } else {
        Path::new("/tmp")
    };
    let mut rows = Vec::new();
    let mut serve_rows = Vec::new();
    for (shape, &size) in shapes
        .iter()
        .flat_map(|shape| sizes.iter().map(move |size| (shape, size)))
    {
        eprintln!("{size} entries, {}…", shape.describe(size));
        // The corpus lives on tmpfs: read from disk, it can leave the page cache between runs
        // (this machine reclaims cold pages), and the figures would time the disk.
        let corpus = tempfile::tempdir_in(tmpfs).expect("tmpfs dir");
        let root = corpus.path();
        corpus::generate_shaped(root, size, shape).expect("generate");
        if serve_only {
            serve_rows.push((
                shape.name,
                size,
                serve_edit_latencies(root, edits, &Edit::ALL),
            ));
            continue;
        }
        corpus::write_hugo_site(root).expect("write the Hugo site");
        let runs = if size >= 100_000 { 1 } else { 3 };
        let shm = tempfile::tempdir_in(tmpfs).expect("tmpfs dir");
        let site = shm.path().join("site");
        let disk = tempfile::tempdir().expect("disk dir");
        let disk_site = disk.path().join("site");

        let tmpfs_build = median_of(runs, || remove(&site), || playbook_build(root, &site));
        let disk_build = median_of(
            runs,
            || remove(&disk_site),
            || playbook_build(root, &disk_site),
        );
        remove(&disk_site);
        let before = identities(&site);
        let again = median_of(runs, || {}, || playbook_build(root, &site));
        let after = identities(&site);
        let rewritten = after
            .iter()
            .filter(|(path, id)| before.get(*path) != Some(id))
            .count();
        let encrypted = median_of(runs, || remove(&site), || encrypted_build(root, &site));
        // tmpfs is memory: make room for Hugo's site (and Hugo, which needs much more).
        remove(&site);
        let hugo = hugo.then(|| side_by_side(runs, root, shm.path()));
        let latencies = serve_edit_latencies(root, edits, &Edit::ALL);
        let page_latencies = latencies.page.clone();
        serve_rows.push((shape.name, size, latencies));
        rows.push(Row {
            shape: shape.name,
            size,
            input_bytes: folder_bytes(&root.join("content")),
            tmpfs: tmpfs_build,
            disk: disk_build,
            again,
            rewritten,
            files: after.len(),
            latencies: page_latencies,
            hugo,
            encrypted,
        });
    }
    println!("Shapes (see `corpus::Shape`):\n");
    for shape in &shapes {
        for &size in &sizes {
            println!("- {size} entries, {}", shape.describe(size));
        }
    }
    println!();
    if !rows.is_empty() {
        print_tables(&mut rows);
    }
    print_serve_table(&mut serve_rows);
}

/// Save → page served, and save → every page updated, in `serve`, by kind of edit.
fn print_serve_table(rows: &mut [(&str, usize, ServeLatencies)]) {
    let titles = [
        "save → page served",
        "save → every page updated (the big lists' second step done)",
    ];
    for (table, title) in titles.iter().enumerate() {
        println!("\nserve: {title}, by what the edit changes (median / p90 / max):\n");
        print_latencies(rows, |latencies| match table {
            0 => &mut latencies.page,
            _ => &mut latencies.settled,
        });
    }
}

/// One table of `print_serve_table`: the latencies `pick` chooses.
fn print_latencies(
    rows: &mut [(&str, usize, ServeLatencies)],
    pick: impl Fn(&mut ServeLatencies) -> &mut Vec<Vec<f64>>,
) {
    let names: Vec<&str> = Edit::ALL.iter().map(|edit| edit.name()).collect();
    println!("| entries | shape | {} |", names.join(" | "));
    println!("|---:|---|{}", "---:|".repeat(names.len()));
    for (shape, size, latencies) in rows.iter_mut() {
        let cells: Vec<String> = pick(latencies)
            .iter_mut()
            .map(|l| {
                format!(
                    "{:.0} / {:.0} / {:.0} ms",
                    median(l),
                    percentile(l, 0.9),
                    percentile(l, 1.0)
                )
            })
            .collect();
        println!("| {size} | {shape} | {} |", cells.join(" | "));
    }
}

fn ms(seconds: f64) -> String {
    let ms = (seconds * 1000.0).round() as u64;
    if ms >= 1000 {
        format!("{},{:03} ms", ms / 1000, ms % 1000)
    } else {
        format!("{ms} ms")
    }
}

fn mb(kib: u64) -> String {
    format!("{} MB", kib / 1024)
}

fn print_tables(rows: &mut [Row]) {
    println!(
        "| entries | shape | input | build, tmpfs (wall / CPU) | build, disk (wall / CPU) | peak RSS | rebuild, no change (files rewritten) | serve: save → page served (median / p90 / max) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    for row in rows.iter_mut() {
        println!(
            "| {} | {} | {} | {} / {} | {} / {} | {} | {} ({} of {}) | {:.0} / {:.0} / {:.0} ms |",
            row.size,
            row.shape,
            mb(row.input_bytes / 1024),
            ms(row.tmpfs.wall),
            ms(row.tmpfs.cpu),
            ms(row.disk.wall),
            ms(row.disk.cpu),
            mb(row.tmpfs.rss_kib.max(row.disk.rss_kib)),
            ms(row.again.wall),
            row.rewritten,
            row.files,
            median(&mut row.latencies[0]),
            percentile(&mut row.latencies[0], 0.9),
            percentile(&mut row.latencies[0], 1.0),
        );
    }
    let standard: Vec<&Row> = rows.iter().filter(|row| row.shape == "standard").collect();
    if let [first, .., last] = &standard[..] {
        let growth = |a: f64, b: f64| b / a;
        println!(
            "\nFrom {} to {} entries (×{:.0}): input ×{:.1}, build time ×{:.1} (tmpfs wall), peak RSS ×{:.1}.",
            first.size,
            last.size,
            last.size as f64 / first.size as f64,
            growth(first.input_bytes as f64, last.input_bytes as f64),
            growth(first.tmpfs.wall, last.tmpfs.wall),
            growth(first.tmpfs.rss_kib as f64, last.tmpfs.rss_kib as f64),
        );
    }
    println!(
        "\nAn encrypted build (`build --encrypt`), output on tmpfs, empty output folder each run:\n"
    );
    println!("| entries | shape | wall / CPU | peak RSS |");
    println!("|---:|---|---:|---:|");
    for row in rows.iter() {
        println!(
            "| {} | {} | {} / {} | {} |",
            row.size,
            row.shape,
            ms(row.encrypted.wall),
            ms(row.encrypted.cpu),
            mb(row.encrypted.rss_kib)
        );
    }
    if rows.iter().all(|row| row.hugo.is_none()) {
        return;
    }
    println!(
        "\nThe same corpus, output on tmpfs, empty output folder each run, playbook and Hugo alternating (medians):\n"
    );
    println!(
        "| entries | shape | input | playbook (wall / CPU / RSS, pages) | Hugo (wall / CPU / RSS, pages) | playbook is faster by (wall / CPU) |"
    );
    println!("|---:|---|---:|---:|---:|---:|");
    for row in rows.iter() {
        if let Some(((ours, pages), (hugo, hugo_pages))) = row.hugo {
            println!(
                "| {} | {} | {} | {} / {} / {}, {} | {} / {} / {}, {} | ×{:.1} / ×{:.1} |",
                row.size,
                row.shape,
                mb(row.input_bytes / 1024),
                ms(ours.wall),
                ms(ours.cpu),
                mb(ours.rss_kib),
                pages,
                ms(hugo.wall),
                ms(hugo.cpu),
                mb(hugo.rss_kib),
                hugo_pages,
                hugo.wall / ours.wall,
                hugo.cpu / ours.cpu,
            );
        }
    }
}
