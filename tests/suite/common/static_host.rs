//! A static host on 127.0.0.1 that serves a built site under a sub-path (as a private host
//! might: `/private/playbook/`), to test that a site works from there. As GitHub Pages, Netlify
//! or Cloudflare Pages do, it serves `a.html` for `/a`, and the site's `404.html` (status 404)
//! for what it does not have. Stopped when dropped.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct StaticHost {
    /// `http://127.0.0.1:PORT/<prefix>`
    pub base: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticHost {
    pub fn start(dir: &Path, prefix: &str) -> StaticHost {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let (dir, prefix_owned, stopping) = (dir.to_path_buf(), prefix.to_string(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Bounded: each wait ends after 50 ms, and the loop ends when the host is dropped.
            while !stopping.load(Ordering::Relaxed) {
                if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(50)) {
                    let file = file_for(&dir, &prefix_owned, request.url());
                    let missing = dir.join("404.html");
                    let read = |path: PathBuf| std::fs::read(&path).ok().map(|b| (path, b));
                    let (found, status) = match file.and_then(read) {
                        Some(found) => (Some(found), 200),
                        None => (read(missing), 404),
                    };
                    let response = match found {
                        Some((path, bytes)) => {
                            let kind = match path.extension().and_then(|e| e.to_str()) {
                                Some("html") => "text/html; charset=utf-8",
                                Some("js") => "text/javascript",
                                Some("css") => "text/css",
                                _ => "application/octet-stream",
                            };
                            let header =
                                tiny_http::Header::from_bytes("Content-Type", kind).unwrap();
                            tiny_http::Response::from_data(bytes)
                                .with_header(header)
                                .with_status_code(status)
                        }
                        None => tiny_http::Response::from_data(b"not found".to_vec())
                            .with_status_code(404),
                    };
                    let _ = request.respond(response);
                }
            }
        });
        StaticHost {
            base: format!("http://127.0.0.1:{port}{prefix}"),
            stop,
            thread: Some(thread),
        }
    }
}

/// The file a request path names under `prefix`, if it is one (no `..`, query left out; `a`
/// is `a.html` when there is no `a`).
fn file_for(dir: &Path, prefix: &str, url: &str) -> Option<PathBuf> {
    let path = url.split('?').next()?.strip_prefix(prefix)?;
    if path.split('/').any(|part| part == "..") {
        return None;
    }
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let file = dir.join(&path);
    let page = dir.join(format!("{path}.html"));
    Some(if !file.is_file() && page.is_file() {
        page
    } else {
        file
    })
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
