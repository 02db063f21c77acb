//! Headless Chromium driven over WebDriver (Debian's `chromedriver`), with a few plain HTTP
//! calls: the Rust WebDriver clients need tokio, and headless_chrome downloads its protocol
//! description while it builds, which an offline machine cannot do. Needs `chromium` and
//! `chromium-driver` (`.ci/run` installs them); `PLAYBOOK_CHROMIUM` and
//! `PLAYBOOK_CHROMEDRIVER` point elsewhere.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use serde_json::{Value, json};

use super::server::WAIT;

fn tool(variable: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        path.is_file(),
        "browser tests need {} (apt-get install {package}, or set {variable})",
        path.display()
    );
    path
}

/// One browser tab; the browser and its driver stop when this is dropped.
pub struct Browser {
    driver: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start() -> Browser {
        let chromium = tool("PLAYBOOK_CHROMIUM", "/usr/bin/chromium", "chromium");
        let chromedriver = tool(
            "PLAYBOOK_CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromium-driver",
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + WAIT;
        while !browser
            .call("GET", "/status", None)
            .map(|v| v["value"]["ready"] == json!(true))
            .unwrap_or(false)
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            // As a phone's scrollbars, which take no width: a page is as wide as the window.
            "--hide-scrollbars",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            format!("--user-data-dir={}", browser._profile.path().display()),
        ]);
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": chromium, "args": args }
            }}
        });
        let created = browser
            .call("POST", "/session", Some(capabilities))
            .expect("a browser session");
        browser.session = created["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser
    }

    /// One WebDriver command; `None` when the driver is not answering. The answer is read to
    /// its Content-Length: chromedriver keeps the connection open a while after it.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(&self.addr).ok()?;
        stream.set_read_timeout(Some(WAIT)).ok()?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .ok()?;
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok()?;
            }
        }
        let mut bytes = vec![0; length];
        reader.read_exact(&mut bytes).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn open(&self, url: &str) {
        let path = format!("/session/{}/url", self.session);
        self.call("POST", &path, Some(json!({ "url": url })))
            .expect("navigate");
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn eval(&self, script: &str) -> Value {
        let path = format!("/session/{}/execute/sync", self.session);
        let answer = self
            .call("POST", &path, Some(json!({ "script": script, "args": [] })))
            .expect("execute");
        answer["value"].clone()
    }

    /// The WebDriver id of the first element matching `css`.
    fn element(&self, css: &str) -> String {
        let path = format!("/session/{}/element", self.session);
        let found = self
            .call(
                "POST",
                &path,
                Some(json!({ "using": "css selector", "value": css })),
            )
            .expect("find element");
        let value = &found["value"];
        let id = value
            .as_object()
            .and_then(|object| object.values().next())
            .and_then(Value::as_str);
        id.unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    /// Types `text` into the element matching `css` (`\u{E007}` is Enter).
    pub fn type_into(&self, css: &str, text: &str) {
        let path = format!(
            "/session/{}/element/{}/value",
            self.session,
            self.element(css)
        );
        self.call("POST", &path, Some(json!({ "text": text })))
            .expect("type");
    }

    pub fn click(&self, css: &str) {
        let path = format!(
            "/session/{}/element/{}/click",
            self.session,
            self.element(css)
        );
        self.call("POST", &path, Some(json!({}))).expect("click");
    }

    pub fn resize(&self, width: u32, height: u32) {
        let path = format!("/session/{}/window/rect", self.session);
        self.call(
            "POST",
            &path,
            Some(json!({ "width": width, "height": height })),
        )
        .expect("resize");
    }

    /// Waits until `script` returns a string containing `needle`; returns the last value.
    pub fn wait_for(&self, script: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.eval(script);
            let text = value.as_str().unwrap_or_default().to_string();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {needle:?}; last: {value}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
