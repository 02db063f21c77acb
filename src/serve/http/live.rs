//! Live reload: what the server shares with the rebuild loop (the last good site, the errors of
//! a failed build, the open event streams, the hosts answered), the Server-Sent Events sent on
//! those streams, and the script each served HTML page gets to follow them.

use std::io::Write;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, RwLock};

use tiny_http::Request;

use crate::build::incremental::Site;

/// The path of the event stream; `_` can never appear in a page path (slugs are `a-z0-9-`).
pub const EVENTS_PATH: &str = "/__playbook/events";

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

/// Takes over the connection: SSE headers by hand (tiny_http's streaming response buffers),
/// the current state at once, then whatever `broadcast` writes.
pub(super) fn open_event_stream(request: Request, state: &LiveState) {
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

/// Adds the reload script before `</body>` (or at the end).
pub(super) fn inject_script(html: &[u8], version: u64) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let html = inject_script(b"<html><body><p>x</p></body></html>", 3);
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("<p>x</p><script>"));
        assert!(text.ends_with("</script></body></html>"));
        assert!(text.contains("var version = 3;"));
    }
}
