//! The HTTP side of `serve`: the last good build (shared with the build session), answered with tiny_http; live
//! reload over Server-Sent Events. It knows nothing of how sites are built.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// The path of the event stream; `_` can never appear in a page path (slugs are `a-z0-9-`).
pub const EVENTS_PATH: &str = "/__playbook/events";
/// Longest request target served; anything longer is not a page of ours.
const MAX_TARGET_BYTES: usize = 4096;
/// Threads answering requests; a client that never reads its answers holds one each.
const WORKERS: usize = 8;

pub use crate::build::incremental::Site;

/// Events waiting for one tab; a tab this far behind (it stopped reading) is dropped.
const CLIENT_QUEUE: usize = 16;

/// An open event stream: events go to its own writer thread, so that a tab that stops reading
/// never holds up the rebuild loop or the other tabs.
type Client = SyncSender<Arc<str>>;

/// What the server shares with the rebuild loop: the last good site, the errors of the last
/// build if it failed, and the open event streams.
#[derive(Default)]
pub struct LiveState {
    site: RwLock<Arc<Site>>,
    errors: RwLock<Vec<String>>,
    clients: Mutex<Vec<Client>>,
    /// `Host` headers accepted; unset accepts any (`--bind` to a non-loopback address).
    hosts: std::sync::OnceLock<Vec<String>>,
}

impl LiveState {
    pub fn new(site: Arc<Site>) -> LiveState {
        LiveState {
            site: RwLock::new(site),
            ..LiveState::default()
        }
    }

    /// Accepts only requests whose `Host` names the loopback address the server is bound to.
    /// A web page on a name that resolves to 127.0.0.1 (DNS rebinding) could otherwise read
    /// the playbook through the browser.
    pub fn only_loopback_hosts(&self, port: u16) {
        let hosts = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|host| format!("{host}:{port}"))
            .collect();
        let _ = self.hosts.set(hosts);
    }

    fn accepts_host(&self, request: &Request) -> bool {
        let Some(hosts) = self.hosts.get() else {
            return true;
        };
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .is_some_and(|h| {
                hosts
                    .iter()
                    .any(|allowed| h.value.as_str().eq_ignore_ascii_case(allowed))
            })
    }

    pub fn site(&self) -> Arc<Site> {
        self.site
            .read()
            .map_or_else(|e| e.into_inner().clone(), |s| s.clone())
    }

    /// Serves `site` from now on and tells every tab to reload (or, when only stylesheets
    /// changed, to swap them).
    pub fn publish(&self, site: Arc<Site>, css_only: bool) {
        let version = site.version;
        // The state changes under the clients' lock, so that a tab connecting meanwhile either
        // sees the new state in its first events or is there for the broadcast: never neither.
        let mut clients = self.lock_clients();
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
        self.errors
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        broadcast(&mut clients, &reload_event(version, css_only));
    }

    /// Whether the last build failed (its errors are on show).
    pub fn has_errors(&self) -> bool {
        !self.errors.read().map_or(true, |e| e.is_empty())
    }

    /// Keeps the last good site and shows `lines` in every tab.
    pub fn publish_errors(&self, lines: Vec<String>) {
        let event = errors_event(&lines);
        let mut clients = self.lock_clients();
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) = lines;
        broadcast(&mut clients, &event);
    }

    fn lock_clients(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A comment line on every stream, so that closed tabs are noticed and dropped.
    pub fn ping(&self) {
        broadcast(&mut self.lock_clients(), ": ping\n\n");
    }
}

/// Queues `event` for every open stream without waiting, dropping the streams that are gone
/// or too far behind.
fn broadcast(clients: &mut Vec<Client>, event: &str) {
    let event: Arc<str> = Arc::from(event);
    clients.retain(|client| client.try_send(event.clone()).is_ok());
}

fn reload_event(version: u64, css_only: bool) -> String {
    format!("event: reload\ndata: {{\"version\":{version},\"css_only\":{css_only}}}\n\n")
}

fn errors_event(lines: &[String]) -> String {
    let data = serde_json::json!({ "lines": lines });
    format!("event: errors\ndata: {data}\n\n")
}

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

/// The live-reload script, added to HTML as it is served (the built site never has it).
fn reload_script(version: u64) -> String {
    format!(
        r#"<script>/* playbook serve: live reload; not part of the built site */
(function () {{
  var version = {version};
  var events = new EventSource("{EVENTS_PATH}");
  function overlay() {{
    var box = document.getElementById("playbook-errors");
    if (!box) {{
      box = document.createElement("div");
      box.id = "playbook-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:24px";
      var title = document.createElement("h2");
      title.textContent = "Build failed \u2014 showing the last good build";
      title.style.cssText = "color:#ff8b7e;background:transparent;font:bold 18px system-ui,sans-serif;margin:0 0 12px";
      var pre = document.createElement("pre");
      // Explicit colours: the page's own stylesheet must not restyle the overlay.
      pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;border:0;background:transparent;color:#fff;font:inherit";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }}
    return box;
  }}
  events.addEventListener("errors", function (e) {{
    overlay().querySelector("pre").textContent = JSON.parse(e.data).lines.join("\n");
  }});
  events.addEventListener("reload", function (e) {{
    var data = JSON.parse(e.data);
    // Any other version is news: a restarted server counts from 1 again.
    if (data.version === version) return;
    var box = document.getElementById("playbook-errors");
    if (data.css_only) {{
      version = data.version;
      if (box) box.remove();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {{
        link.href = link.href.split("?")[0] + "?v=" + version;
      }});
    }} else {{
      location.reload();
    }}
  }});
}})();
</script>"#
    )
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

/// Adds the reload script before `</body>` (or at the end).
fn inject_script(html: &[u8], version: u64) -> Vec<u8> {
    let script = reload_script(version);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
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
        inject_base(&inject_script(page, site.version))
    } else if kind.starts_with("text/html") {
        inject_script(page, site.version)
    } else {
        page.to_vec()
    };
    respond_bytes(request, status, kind, body);
}

/// Takes over the connection: SSE headers by hand (tiny_http's streaming response buffers),
/// the current state at once, then whatever `broadcast` writes.
fn open_event_stream(request: Request, state: &LiveState) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    // Read the state and join the clients under one lock (see `publish`).
    let (sender, receiver) = sync_channel::<Arc<str>>(CLIENT_QUEUE);
    {
        let mut clients = state.lock_clients();
        let version = state.site().version;
        let errors = state.errors.read().map(|e| e.clone()).unwrap_or_default();
        let mut first = format!("{head}retry: 500\n\n{}", reload_event(version, false));
        if !errors.is_empty() {
            first.push_str(&errors_event(&errors));
        }
        if sender.try_send(Arc::from(first)).is_ok() {
            clients.push(sender);
        }
    }
    // The stream's own writer: it ends when the tab goes away or falls too far behind.
    std::thread::spawn(move || {
        for event in receiver {
            if writer
                .write_all(event.as_bytes())
                .and_then(|()| writer.flush())
                .is_err()
            {
                break;
            }
        }
    });
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

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let html = inject_script(b"<html><body><p>x</p></body></html>", 3);
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("<p>x</p><script>"));
        assert!(text.ends_with("</script></body></html>"));
        assert!(text.contains("var version = 3;"));
    }
}
