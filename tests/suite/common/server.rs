//! A running `playbook serve` for tests, with a raw HTTP client and an SSE reader; every wait
//! is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Playbook;

pub const WAIT: Duration = Duration::from_secs(10);

/// A running `playbook serve`; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(playbook: &Playbook) -> Server {
        Server::start_with(playbook, &["--port", "0"])
    }

    pub fn start_with(playbook: &Playbook, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .arg("--root")
            .arg(playbook.path())
            .arg("serve")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start playbook serve");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            addr: String::new(),
            lines,
        };
        let line = server.wait_for_line("serving at http://");
        let url = line
            .split("http://")
            .nth(1)
            .expect("url")
            .split('/')
            .next()
            .expect("host:port");
        server.addr = url.to_string();
        server
    }

    /// The next output line containing `needle`, waiting at most `WAIT`.
    pub fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "no line with {needle:?} within {WAIT:?}; saw:\n{}",
            seen.join("\n")
        );
    }

    pub fn get(&self, target: &str) -> Response {
        request(
            &self.addr,
            &format!(
                "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            ),
        )
    }

    /// Waits until `target` answers with a body containing `needle`.
    pub fn wait_for_page(&self, target: &str, needle: &str) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get(target);
            if response.body.contains(needle) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "{target} never showed {needle:?}; last:\n{}",
                response.body
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn events(&self) -> EventStream {
        self.events_at("/__playbook/events")
    }

    /// The event stream of a tab showing `page` (a URL path), as the reload script opens it.
    pub fn events_for(&self, page: &str) -> EventStream {
        let encoded = page.replace('%', "%25").replace('/', "%2F");
        self.events_at(&format!("/__playbook/events?page={encoded}"))
    }

    fn events_at(&self, target: &str) -> EventStream {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        EventStream {
            stream,
            text: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An open Server-Sent Events connection.
pub struct EventStream {
    stream: TcpStream,
    text: String,
}

impl EventStream {
    /// Waits for a complete event of `kind` whose data contains `needle`, consuming the text
    /// up to it; returns its data.
    pub fn wait_for(&mut self, kind: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let header = format!("event: {kind}\ndata: ");
            if let Some(start) = self.text.find(&header) {
                let data_start = start + header.len();
                if let Some(end) = self.text[data_start..].find("\n\n") {
                    let data = self.text[data_start..data_start + end].to_string();
                    self.text.drain(..data_start + end);
                    if data.contains(needle) {
                        return data;
                    }
                    continue;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{kind}` event with {needle:?}; got:\n{}",
                self.text
            );
            let mut buffer = [0; 8192];
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream closed; got:\n{}", self.text),
                Ok(n) => self.text.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {}
            }
        }
    }
}

pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// Sends raw bytes and reads the whole answer (the server closes: `Connection: close`).
pub fn request(addr: &str, raw: &str) -> Response {
    request_bytes(addr, raw.as_bytes())
}

pub fn request_bytes(addr: &str, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(raw).unwrap();
    read_response(stream)
}

/// Sends `start`, then `fill` bytes of `a`, then `end`, in chunks, and stops sending at the first
/// write the server refuses: a server may answer and close before a huge request is all sent.
/// Then reads whatever answer came; returns it with the bytes sent.
pub fn request_filled(addr: &str, start: &str, fill: usize, end: &str) -> (Response, usize) {
    const CHUNK: usize = 64 * 1024;
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    let filler = [b'a'; CHUNK];
    let chunks = (0..fill.div_ceil(CHUNK)).map(|i| &filler[..CHUNK.min(fill - i * CHUNK)]);
    let parts = std::iter::once(start.as_bytes())
        .chain(chunks)
        .chain(std::iter::once(end.as_bytes()));
    let mut sent = 0;
    for part in parts {
        if stream.write_all(part).is_err() {
            break;
        }
        sent += part.len();
    }
    (read_response(stream), sent)
}

/// Reads until the server closes (or `WAIT` passes), keeping what came before a reset.
fn read_response(mut stream: TcpStream) -> Response {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let chunked = head.to_lowercase().contains("transfer-encoding: chunked");
    let body = match chunked {
        true => dechunk(body),
        false => body.to_string(),
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_lowercase(),
        body,
    }
}

/// The body of a chunked answer (big pages come so): each chunk's size line and its CRLF go.
fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16);
        match size {
            Ok(size) if size > 0 && after.len() >= size => {
                body.push_str(&after[..size]);
                rest = after[size..].strip_prefix("\r\n").unwrap_or(&after[size..]);
            }
            _ => break,
        }
    }
    body
}
