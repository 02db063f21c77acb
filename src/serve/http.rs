//! The HTTP side of `serve`: the last good build (shared with the build session), answered with tiny_http; live
//! reload over Server-Sent Events (`live`). It knows nothing of how sites are built.

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

pub use live::{EVENTS_PATH, LiveState};
use live::{inject_script, open_event_stream};

mod live;

/// Longest request target served; anything longer is not a page of ours.
const MAX_TARGET_BYTES: usize = 4096;
/// Threads answering requests; a client that never reads its answers holds one each.
const WORKERS: usize = 8;

pub use crate::build::incremental::Site;

/// Why a request target maps to no file of the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    /// Malformed or hostile: `..`, NUL, backslashes, bad percent-encoding, too long.
    BadRequest,
}

/// The site path a request target names: absolute-form targets lose their scheme and host,
/// the query and fragment go, percent-escapes are decoded, and a folder gets `index.html`.
/// Anything that could climb out of the site is rejected, whatever its encoding.
pub fn resolve(target: &str) -> Result<String, Rejected> {
    if target.len() > MAX_TARGET_BYTES {
        return Err(Rejected::BadRequest);
    }
    let path = match target.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') => {
            rest.find('/').map_or("/", |at| &rest[at..])
        }
        _ => target,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(Rejected::BadRequest);
    }
    let decoded = percent_decode(path).ok_or(Rejected::BadRequest)?;
    if decoded.contains(['\0', '\\']) {
        return Err(Rejected::BadRequest);
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(Rejected::BadRequest),
            part if part.starts_with('.') => return Err(Rejected::BadRequest),
            part => parts.push(part),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds `<base href="/">` after `<head>` (or at the start).
fn inject_base(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(6)
        .position(|w| w.eq_ignore_ascii_case(b"<head>"))
        .map_or(0, |at| at + 6);
    let mut out = Vec::with_capacity(html.len() + 20);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(b"<base href=\"/\">");
    out.extend_from_slice(&html[at..]);
    out
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are ASCII")
}

fn respond_bytes(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"));
    // A client that went away is not the server's problem.
    let _ = request.respond(response);
}

fn handle(request: Request, state: &LiveState) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("method not allowed\n")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    if !state.accepts_host(&request) {
        let body = b"this server answers only to its loopback address\n".to_vec();
        respond_bytes(request, 403, "text/plain; charset=utf-8", body);
        return;
    }
    let target = request.url().to_string();
    if target.split(['?', '#']).next() == Some(EVENTS_PATH) {
        if *request.method() == Method::Get {
            open_event_stream(request, state);
        } else {
            respond_bytes(request, 200, "text/event-stream", Vec::new());
        }
        return;
    }
    let key = match resolve(&target) {
        Ok(key) => key,
        Err(Rejected::BadRequest) => {
            respond_bytes(
                request,
                400,
                "text/plain; charset=utf-8",
                b"bad request\n".to_vec(),
            );
            return;
        }
    };
    let site = state.site();
    let (status, key, page) = match site.pages.get(key.as_str()) {
        Some(page) => (200, key, Some(page)),
        None => match site.pages.get(format!("{key}/index.html").as_str()) {
            // A folder asked without its slash: send the browser to the folder, so that the
            // page's relative links resolve.
            Some(_) => {
                // Built from the resolved path, never from the raw target (`//host`, absolute
                // forms): the redirect stays on this server.
                let location = format!("/{key}/");
                let response =
                    Response::empty(StatusCode(301)).with_header(header("Location", &location));
                let _ = request.respond(response);
                return;
            }
            None => (404, "404.html".to_string(), site.pages.get("404.html")),
        },
    };
    let Some(page) = page else {
        respond_bytes(
            request,
            404,
            "text/plain; charset=utf-8",
            b"not found\n".to_vec(),
        );
        return;
    };
    let kind = content_type(&key);
    let body = if status == 404 {
        // The 404 page's relative links are written for the site's root; served at any depth,
        // it needs them resolved from there.
        inject_base(&inject_script(page, site.version, true))
    } else if kind.starts_with("text/html") {
        inject_script(page, site.version, false)
    } else {
        page.to_vec()
    };
    respond_bytes(request, status, kind, body);
}

/// Binds `addr` and answers requests on a few threads; returns the bound address (the real
/// port when 0 was asked).
///
/// Request heads are bounded before they get here: the vendored tiny_http answers 431 (414 for
/// the request line alone) past 64 KiB or 100 header lines and closes the connection with the
/// rest unread (vendor/tiny_http/PATCHED.md). Unbounded, one 256 MiB header made the server
/// hold twice that in memory.
pub fn start(
    addr: SocketAddr,
    state: Arc<LiveState>,
) -> std::io::Result<(SocketAddr, Vec<JoinHandle<()>>)> {
    let server = Server::http(addr).map_err(|err| {
        let message = err.to_string();
        match err.downcast::<std::io::Error>() {
            Ok(io) => *io,
            Err(_) => std::io::Error::other(message),
        }
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| std::io::Error::other("the server has no IP address"))?;
    let server = Arc::new(server);
    let mut threads = Vec::new();
    for _ in 0..WORKERS {
        let (server, state) = (server.clone(), state.clone());
        threads.push(std::thread::spawn(move || {
            loop {
                match server.recv() {
                    Ok(request) => handle(request, &state),
                    // A failed connection is that connection's problem; keep answering.
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        }));
    }
    let pinger = state.clone();
    threads.push(std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(15));
            pinger.ping();
        }
    }));
    Ok((bound, threads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_get_their_index_and_queries_go() {
        assert_eq!(resolve("/").unwrap(), "index.html");
        assert_eq!(resolve("/goals/").unwrap(), "goals/index.html");
        assert_eq!(
            resolve("/goals/x/index.html?v=2#top").unwrap(),
            "goals/x/index.html"
        );
        assert_eq!(resolve("/style.css").unwrap(), "style.css");
        assert_eq!(resolve("/goals").unwrap(), "goals");
        assert_eq!(
            resolve("http://127.0.0.1:1111/tags/").unwrap(),
            "tags/index.html"
        );
        assert_eq!(resolve("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn every_way_out_of_the_site_is_rejected() {
        for target in [
            "/../etc/passwd",
            "/goals/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/goals/%2e%2e/%2e%2e/x",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/index.html%00.css",
            "/%zz",
            "/%c0%ae%c0%ae/",
            "http://evil.example/../etc/passwd",
            "/.git/config",
            "relative/path",
            "*",
        ] {
            assert_eq!(resolve(target), Err(Rejected::BadRequest), "{target}");
        }
        assert_eq!(
            resolve(&format!("/{}", "a".repeat(5000))),
            Err(Rejected::BadRequest)
        );
    }
}
