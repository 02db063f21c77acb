//! `cargo bench --bench playbook [-- --sizes 1000,10000,100000 --edits 30]`: generates playbooks
//! and measures the release binary — full builds (output on tmpfs and on disk: wall time, CPU
//! time, peak memory), a rebuild with no change, and in `serve`, the time from saving an edit to
//! the new page being served after the reload event (what a browser tab does). Prints a
//! Markdown table. Not part of `cargo test`.

mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_playbook");

/// CPU seconds and peak RSS (KiB) of waited-for children so far.
fn children_usage() -> (f64, u64) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getrusage only writes into the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        (
            seconds(usage.ru_utime) + seconds(usage.ru_stime),
            usage.ru_maxrss as u64,
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        (0.0, 0)
    }
}

struct Run {
    wall: f64,
    cpu: f64,
}

fn build(root: &Path, output: &Path) -> Run {
    let (cpu_before, _) = children_usage();
    let started = Instant::now();
    let status = Command::new(BINARY)
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(output)
        .stdout(Stdio::null())
        .status()
        .expect("run playbook build");
    assert!(status.success(), "build failed");
    let wall = started.elapsed().as_secs_f64();
    let (cpu_after, _) = children_usage();
    Run {
        wall,
        cpu: cpu_after - cpu_before,
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

/// Median wall and CPU seconds of `runs` full builds into `output`.
fn time_builds(root: &Path, output: &Path, runs: usize) -> (f64, f64) {
    let (mut walls, mut cpus): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| build(root, output))
        .map(|r| (r.wall, r.cpu))
        .unzip();
    (median(&mut walls), median(&mut cpus))
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

/// Milliseconds from saving an edit (by rename, as editors do) to its page being served after
/// the reload event, for `edits` edits.
fn serve_edit_latencies(root: &Path, edits: usize) -> Vec<f64> {
    let mut child = Command::new(BINARY)
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
    // Keep draining stdout so that serve never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let mut events = TcpStream::connect(&addr).expect("connect");
    write!(
        events,
        "GET /__playbook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buffer = vec![0; 65536];
    let _ = events.read(&mut buffer);

    let rel = "content/advice/entry-1.md";
    let path = root.join(rel);
    let original = std::fs::read_to_string(&path).expect("read the entry");
    let mut latencies = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        let marker = format!("benchmark-edit-{i}");
        let temp = root.join("content/advice/.entry-1.md.swp");
        std::fs::write(&temp, format!("{original}\n{marker}\n")).unwrap();
        let saved = Instant::now();
        std::fs::rename(&temp, &path).unwrap();
        loop {
            let n = events.read(&mut buffer).expect("a reload event");
            if String::from_utf8_lossy(&buffer[..n]).contains("event: reload") {
                break;
            }
        }
        let page = get(&addr, "/advice/entry-1/index.html");
        latencies.push(saved.elapsed().as_secs_f64() * 1000.0);
        assert!(page.contains(&marker), "the served page has the edit");
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    latencies
}

fn main() {
    let mut sizes = vec![1_000, 10_000];
    let mut edits = 20;
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
            _ => {} // `cargo bench` passes `--bench`
        }
        i += 1;
    }
    let tmpfs = Path::new("/dev/shm");
    println!(
        "| entries | build, tmpfs (wall / CPU) | build, disk (wall / CPU) | no-change rebuild | peak RSS | serve: save → page served (median / p90 / max) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        let corpus = tempfile::tempdir().expect("temp dir");
        corpus::generate(corpus.path(), size).expect("generate");
        let runs = if size >= 100_000 { 1 } else { 3 };
        let shm = tempfile::tempdir_in(if tmpfs.is_dir() {
            tmpfs
        } else {
            Path::new("/tmp")
        })
        .expect("tmpfs dir");
        let disk = tempfile::tempdir_in(corpus.path()).expect("disk dir");
        let (tmp_wall, tmp_cpu) = time_builds(corpus.path(), &shm.path().join("site"), runs);
        let (_, peak_rss) = children_usage();
        let (disk_wall, disk_cpu) = time_builds(corpus.path(), &disk.path().join("site"), runs);
        let (again_wall, _) = time_builds(corpus.path(), &shm.path().join("site"), runs);
        let mut latencies = serve_edit_latencies(corpus.path(), edits);
        println!(
            "| {size} | {:.0} ms / {:.0} ms | {:.0} ms / {:.0} ms | {:.0} ms | {} MB | {:.0} / {:.0} / {:.0} ms |",
            tmp_wall * 1000.0,
            tmp_cpu * 1000.0,
            disk_wall * 1000.0,
            disk_cpu * 1000.0,
            again_wall * 1000.0,
            peak_rss / 1024,
            median(&mut latencies),
            percentile(&mut latencies, 0.9),
            percentile(&mut latencies, 1.0),
        );
    }
}
