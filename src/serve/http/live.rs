//! Live reload: what the server shares with the rebuild loop (the last good site, the errors of
//! a failed build, the open event streams and the page each is for, the hosts answered), the
//! Server-Sent Events sent on those streams, and the script each served HTML page gets to
//! follow them. A reload event names the files that changed (or says `all`), and a tab reloads
//! only when its page or a file it loaded is among them.

use std::collections::HashSet;
use std::io::Write;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, RwLock};

use tiny_http::Request;

use crate::build::incremental::Site;

/// The path of the event stream; `_` can never appear in a page path (slugs are `a-z0-9-`).
pub const EVENTS_PATH: &str = "/__playbook/events";

/// Events waiting for one tab; a tab this far behind (it stopped reading) is dropped.
const CLIENT_QUEUE: usize = 16;

/// A reload event names at most this many files; past it, it says `all`, and every tab reloads.
const MAX_NAMED_FILES: usize = 256;

/// Longest `page` a tab may give when it opens its event stream; a page path is far shorter.
const MAX_PAGE_PARAMETER: usize = 1024;

/// An open event stream: events go to its own writer thread, so that a tab that stops reading
/// never holds up the rebuild loop or the other tabs.
struct Client {
    sender: SyncSender<Arc<str>>,
    /// The site path of the page the tab shows, as it said (untrusted: it only makes that
    /// page render first, see `open_pages`).
    page: Option<String>,
}

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

    pub(super) fn accepts_host(&self, request: &Request) -> bool {
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

    /// The site paths of the pages the open tabs show (as they said when they connected).
    pub fn open_pages(&self) -> HashSet<String> {
        let clients = self.lock_clients();
        clients
            .iter()
            .filter_map(|client| client.page.clone())
            .collect()
    }

    /// Serves `site` from now on and tells the tabs whose page or files are among `changed`
    /// to reload (or, when only stylesheets changed, every tab to swap them).
    pub fn publish(&self, site: Arc<Site>, css_only: bool, changed: &[Arc<str>]) {
        let version = site.version;
        // The state changes under the clients' lock, so that a tab connecting meanwhile either
        // sees the new state in its first events or is there for the broadcast: never neither.
        let mut clients = self.lock_clients();
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
        self.errors
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        broadcast(
            &mut clients,
            &reload_event(version, css_only, Some(changed)),
        );
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
    clients.retain(|client| client.sender.try_send(event.clone()).is_ok());
}

/// The event of a new site: its version, whether only stylesheets changed, and the site paths
/// of the files that did (`"files"`), or `"all":true` when they are unknown (`None`, a tab
/// that just connected) or too many to list.
fn reload_event(version: u64, css_only: bool, changed: Option<&[Arc<str>]>) -> String {
    let files = match changed {
        Some(files) if files.len() <= MAX_NAMED_FILES => {
            let mut files: Vec<&str> = files.iter().map(|path| &**path).collect();
            files.sort_unstable();
            format!("\"files\":{}", serde_json::json!(files))
        }
        _ => "\"all\":true".to_string(),
    };
    format!("event: reload\ndata: {{\"version\":{version},\"css_only\":{css_only},{files}}}\n\n")
}

/// The site path of the page a tab says it shows, from the `page` parameter of its event
/// stream's target (`/__playbook/events?page=%2Fgoals%2F`): decoded once as a query value,
/// then mapped as a request path is (`resolve`). Anything odd or too long is no page.
fn page_parameter(target: &str) -> Option<String> {
    let (_, query) = target.split_once('?')?;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    if value.len() > MAX_PAGE_PARAMETER {
        return None;
    }
    let path = super::percent_decode(value)?;
    super::resolve(&path).ok()
}

fn errors_event(lines: &[String]) -> String {
    let data = serde_json::json!({ "lines": lines });
    format!("event: errors\ndata: {data}\n\n")
}

/// Takes over the connection: SSE headers by hand (tiny_http's streaming response buffers),
/// the current state at once, then whatever `broadcast` writes.
pub(super) fn open_event_stream(request: Request, state: &LiveState) {
    let page = page_parameter(request.url());
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    // Read the state and join the clients under one lock (see `publish`).
    let (sender, receiver) = sync_channel::<Arc<str>>(CLIENT_QUEUE);
    {
        let mut clients = state.lock_clients();
        let version = state.site().version;
        let errors = state.errors.read().map(|e| e.clone()).unwrap_or_default();
        // What changed since the tab's page was served is not known here: a tab whose
        // version is behind reloads.
        let mut first = format!("{head}retry: 500\n\n{}", reload_event(version, false, None));
        if !errors.is_empty() {
            first.push_str(&errors_event(&errors));
        }
        if sender.try_send(Arc::from(first)).is_ok() {
            clients.push(Client { sender, page });
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

/// The live-reload script, added to HTML as it is served (the built site never has it);
/// `not_found` when the page served is the 404 page.
fn reload_script(version: u64, not_found: bool) -> String {
    format!(
        r#"<script>/* playbook serve: live reload; not part of the built site */
(function () {{
  var version = {version};
  var notFound = {not_found};
  // The site path of a URL path, as the server maps it: decoded, `.` and empty parts gone,
  // a folder's index.html.
  function sitePath(path) {{
    try {{ path = decodeURIComponent(path); }} catch (e) {{}}
    var parts = path.split("/").filter(function (part) {{ return part && part !== "."; }});
    var key = parts.join("/");
    if (!key || path.charAt(path.length - 1) === "/") key = (key ? key + "/" : "") + "index.html";
    return key;
  }}
  // The files this tab shows: its page, and whatever it loaded from this server.
  function shown() {{
    var paths = [sitePath(location.pathname)];
    if (notFound) paths.push("404.html");
    document.querySelectorAll("script[src],link[href],img[src]").forEach(function (el) {{
      var url = new URL(el.src || el.href, location.href);
      if (url.origin === location.origin) paths.push(sitePath(url.pathname));
    }});
    return paths;
  }}
  // The page is passed so that the server renders it first after an edit.
  var events = new EventSource("{EVENTS_PATH}?page=" + encodeURIComponent(location.pathname));
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
    }} else if (data.all || shown().some(function (path) {{ return data.files.indexOf(path) >= 0; }})) {{
      location.reload();
    }} else {{
      // Nothing this tab shows changed: it stays, and a good build ends the errors.
      version = data.version;
      if (box) box.remove();
    }}
  }});
}})();
</script>"#
    )
}

/// Adds the reload script before `</body>` (or at the end); `not_found` when `html` is the
/// 404 page served for a missing one.
pub(super) fn inject_script(html: &[u8], version: u64, not_found: bool) -> Vec<u8> {
    let script = reload_script(version, not_found);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let html = inject_script(b"<html><body><p>x</p></body></html>", 3, false);
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("<p>x</p><script>"));
        assert!(text.ends_with("</script></body></html>"));
        assert!(text.contains("var version = 3;"));
    }

    #[test]
    fn a_reload_event_names_the_changed_files_or_says_all() {
        let files: Vec<Arc<str>> = vec![Arc::from("timeline/index.html"), Arc::from("index.html")];
        let event = reload_event(4, false, Some(&files));
        assert_eq!(
            event,
            "event: reload\ndata: {\"version\":4,\"css_only\":false,\
             \"files\":[\"index.html\",\"timeline/index.html\"]}\n\n"
        );
        assert!(reload_event(4, false, None).contains("\"all\":true}"));
        let many: Vec<Arc<str>> = (0..=MAX_NAMED_FILES)
            .map(|i| Arc::from(format!("tags/t{i}/index.html")))
            .collect();
        assert!(reload_event(5, false, Some(&many)).contains("\"all\":true}"));
    }

    #[test]
    fn the_page_a_tab_gives_is_a_site_path_or_nothing() {
        let page = |target: &str| page_parameter(target);
        assert_eq!(
            page("/__playbook/events?page=%2F").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            page("/__playbook/events?x=1&page=%2Ftimeline%2F").as_deref(),
            Some("timeline/index.html")
        );
        assert_eq!(
            page("/__playbook/events?page=/goals/a%2520b/").as_deref(),
            Some("goals/a b/index.html")
        );
        assert_eq!(page("/__playbook/events"), None);
        assert_eq!(page("/__playbook/events?page=%2F..%2Fetc"), None);
        assert_eq!(page("/__playbook/events?page=%zz"), None);
        let long = format!(
            "/__playbook/events?page=/{}",
            "a".repeat(MAX_PAGE_PARAMETER)
        );
        assert_eq!(page(&long), None);
    }
}
