//! `playbook serve` with the real binary on a loopback port: pages, live reload over SSE,
//! errors in the browser with the last good build still served, editors' ways of saving, and
//! requests that try to leave the site. Every wait is bounded.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Playbook;
use std::io::Write;
use std::net::TcpStream;

use common::server::{EventStream, Server, WAIT, request, request_bytes, request_filled};

/// Saves `text` at `rel` the way vim, VS Code and JetBrains do: a temporary file renamed over.
fn save_by_rename(playbook: &Playbook, rel: &str, text: &str) {
    let path = playbook.path().join(rel);
    let temp = path.with_file_name(format!(
        ".{}.tmp-save",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &path).unwrap();
}

const ADVICE: &str = "content/advice/ask-before-estimating.md";
const ADVICE_PAGE: &str = "/advice/ask-before-estimating/index.html";

#[test]
fn pages_are_served_with_their_types_and_a_real_404() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8"),
        "{}",
        home.headers
    );
    assert!(home.body.contains("Evidence by kind"));
    assert!(
        home.body.contains("/__playbook/events"),
        "serve adds the reload script"
    );

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.headers.contains("content-type: text/css"),
        "{}",
        css.headers
    );
    assert!(!css.body.contains("EventSource"));

    assert_eq!(
        server.get("/robots.txt").body,
        "User-agent: *\nDisallow: /\n"
    );
    assert_eq!(
        server.get("/goals/").status,
        200,
        "a folder serves its index.html"
    );
    let redirect = server.get("/goals");
    assert_eq!(redirect.status, 301);
    assert!(
        redirect.headers.contains("location: /goals/"),
        "{}",
        redirect.headers
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Not found"), "the theme's 404 page");
    assert_eq!(server.get("/tags/ledger").status, 301);
    assert_eq!(
        server.get("/content/").status,
        404,
        "no directory listings, no sources"
    );

    let head = request(
        &server.addr,
        &format!(
            "HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        ),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    let post = request(
        &server.addr,
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.addr
        ),
    );
    assert_eq!(post.status, 405);
}

#[test]
fn drafts_are_shown_with_a_badge_and_the_built_site_has_no_reload_script() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let draft = server.get("/conversations/half-written/index.html");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("badge-draft"));
    drop(server);
    playbook.build(&[]);
    for page in common::html_files(&playbook.path().join("public")) {
        let html = playbook.read(&format!("public/{}", page.display()));
        assert!(
            !html.contains("EventSource"),
            "{} has the reload script",
            page.display()
        );
    }
}

#[test]
fn an_edit_saved_by_rename_reloads_the_tab_with_the_new_content() {
    let playbook = Playbook::fixture("basic");
    let mut server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    let text = playbook.read(ADVICE).replace(
        "title: Ask before estimating",
        "title: Ask what the estimate is for",
    );
    save_by_rename(&playbook, ADVICE, &text);
    events.wait_for("reload", "\"version\":2,");
    let page = server.get(ADVICE_PAGE);
    assert!(
        page.body.contains("<h1>Ask what the estimate is for</h1>"),
        "{}",
        page.body
    );
    assert!(
        server
            .get("/advice/")
            .body
            .contains("Ask what the estimate is for"),
        "lists show it too"
    );
    let line = server.wait_for_line("changed:");
    assert!(
        line.contains("content/advice/ask-before-estimating.md changed"),
        "{line}"
    );
    assert!(line.contains(" ms"), "{line}");
}

#[test]
fn a_broken_entry_shows_its_errors_and_the_last_good_build_stays() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    let good = playbook.read(ADVICE);
    save_by_rename(
        &playbook,
        ADVICE,
        &good.replace("title: Ask before estimating", "title: [broken"),
    );
    let data = events.wait_for(
        "errors",
        "content/advice/ask-before-estimating.md:2:8: did not find expected",
    );
    assert!(data.contains("playbook: failed with 1 error"), "{data}");
    let page = server.get(ADVICE_PAGE);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<h1>Ask before estimating</h1>"),
        "the last good page is still served"
    );

    // A tab opened now gets the errors straight away.
    let mut late = server.events();
    late.wait_for("errors", "ask-before-estimating.md:2:8");

    save_by_rename(
        &playbook,
        ADVICE,
        &good.replace("title: Ask before estimating", "title: Fixed again"),
    );
    events.wait_for("reload", "\"version\":2,");
    assert!(
        server
            .get(ADVICE_PAGE)
            .body
            .contains("<h1>Fixed again</h1>")
    );
}

#[test]
fn entries_added_deleted_and_in_new_folders_take_effect() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    playbook.write(
        "content/goals/2027/plan-next-year.md",
        "---\ntitle: Plan next year\ndate: 2026-06-01\n---\nx\n",
    );
    server.wait_for_page(
        "/goals/plan-next-year/index.html",
        "<h1>Plan next year</h1>",
    );
    server.wait_for_page("/goals/", "Plan next year");

    playbook.remove("content/loyalty/covered-the-review.md");
    let deadline = Instant::now() + WAIT;
    while server.get("/loyalty/covered-the-review/index.html").status != 404 {
        assert!(
            Instant::now() < deadline,
            "the deleted entry is still served"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!server.get("/loyalty/").body.contains("Covered the review"));

    // Delete and recreate, as some editors save.
    let text = playbook.read(ADVICE);
    playbook.remove(ADVICE);
    playbook.write(ADVICE, text.replace("Ask before estimating", "Recreated"));
    server.wait_for_page(ADVICE_PAGE, "<h1>Recreated</h1>");
}

#[test]
fn editor_swap_and_backup_files_are_not_built() {
    let playbook = Playbook::fixture("basic");
    let mut server = Server::start(&playbook);
    for leftover in [
        "content/advice/.ask-before-estimating.md.swp",
        "content/advice/ask-before-estimating.md~",
        "content/advice/4913",
        "content/advice/.#ask-before-estimating.md",
    ] {
        playbook.write(leftover, "---\ntitle: [not an entry\n---\n");
    }
    // A real edit after the leftovers: once it shows, the leftovers have been seen too.
    playbook.write(
        "content/goals/ship-the-ledger.md",
        playbook
            .read("content/goals/ship-the-ledger.md")
            .replace("Ship the ledger", "Ship the new ledger"),
    );
    server.wait_for_page(
        "/goals/ship-the-ledger/index.html",
        "<h1>Ship the new ledger</h1>",
    );
    let line = server.wait_for_line("changed:");
    assert!(!line.contains("failed"), "{line}");
    assert!(!server.get("/").body.contains("not an entry"));
}

#[test]
fn config_and_template_changes_take_effect() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    playbook.write(
        "playbook.yaml",
        playbook
            .read("playbook.yaml")
            .replace("title: Test playbook", "title: Renamed playbook"),
    );
    server.wait_for_page("/", "<title>Renamed playbook</title>");
    playbook.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost here</h1>{% endblock main %}",
    );
    let response = server.wait_for_page("/nowhere", "Lost here");
    assert_eq!(response.status, 404);
}

#[test]
fn no_request_reaches_a_file_outside_the_site() {
    let playbook = Playbook::fixture("basic");
    playbook.write("secret.txt", "root:x:0:0 secret");
    #[cfg(unix)]
    {
        std::fs::create_dir_all(playbook.path().join("themes/default/static")).unwrap();
        std::os::unix::fs::symlink(
            playbook.path().join("secret.txt"),
            playbook.path().join("themes/default/static/linked.txt"),
        )
        .unwrap();
    }
    let server = Server::start(&playbook);
    let host = &server.addr;
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/goals/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/index.html%00.txt",
        "/linked.txt",
        "/.playbook-output",
        &format!("http://{host}/../secret.txt"),
        "http://evil.example/../../secret.txt",
    ] {
        let response = request(
            host,
            &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {}",
            response.status
        );
        assert!(
            !response.body.contains("root:x"),
            "{target} leaked the file"
        );
    }
    assert_eq!(server.get("/").status, 200, "still serving");
}

#[test]
fn garbage_and_oversized_requests_get_4xx_and_the_server_keeps_running() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let response = request(&server.addr, &long);
    assert!(
        (400..500).contains(&response.status),
        "long target: {}",
        response.status
    );
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(100_000)
    );
    let _ = request(&server.addr, &huge_header);
    let _ = request_bytes(&server.addr, b"\x00\xff\xfe garbage \r\n\r\n");
    let _ = request_bytes(&server.addr, b"GET\r\n\r\n");
    assert_eq!(server.get("/").status, 200, "still serving after garbage");
}

const MIB: usize = 1024 * 1024;

/// The start of a request whose next header is `name: ` and its value, still to come.
fn head_up_to(server: &Server, name: &str) -> String {
    format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{name}: ",
        server.addr
    )
}

/// Sends a request with one header of `size` bytes; returns the answer and the bytes sent.
fn send_header_of(server: &Server, size: usize) -> (common::server::Response, usize) {
    request_filled(&server.addr, &head_up_to(server, "X-Big"), size, "\r\n\r\n")
}

#[test]
fn a_4_mib_header_gets_431_and_the_server_keeps_serving() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    // A client that sends half a head and then waits must hold up no one else.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    write!(slow, "{}partial", head_up_to(&server, "X-Slow")).unwrap();
    let (response, _) = send_header_of(&server, 4 * MIB);
    assert_eq!(response.status, 431, "{}", response.headers);
    assert_eq!(server.get("/").status, 200, "a new connection is served");
    drop(slow);
}

#[test]
fn a_thousand_headers_get_431() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let headers: String = (0..1000)
        .map(|i| format!("X-Header-{i}: {i}\r\n"))
        .collect();
    let start = format!("{}x\r\n{headers}\r\n", head_up_to(&server, "X-First"));
    let (response, _) = request_filled(&server.addr, &start, 0, "");
    assert_eq!(response.status, 431, "{}", response.headers);
}

#[test]
fn a_4_mib_request_line_gets_414() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let end = format!(
        " HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    let (response, _) = request_filled(&server.addr, "GET /", 4 * MIB, &end);
    assert_eq!(response.status, 414, "{}", response.headers);
}

#[cfg(target_os = "linux")]
#[test]
fn a_64_mib_header_is_refused_without_being_held_in_memory() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let status = format!("/proc/{}/status", server.child.id());
    let kib = |field: &str| -> u64 {
        let text = std::fs::read_to_string(&status).unwrap();
        let line = text.lines().find(|l| l.starts_with(field)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    // Resets the peak (VmHWM) to the current RSS, so that the build at start-up does not count.
    std::fs::write(format!("/proc/{}/clear_refs", server.child.id()), "5").unwrap();
    let before = kib("VmRSS:");
    let (response, sent) = send_header_of(&server, 64 * MIB);
    assert_eq!(response.status, 431, "{}", response.headers);
    // Refused before the end: the server closed instead of reading the rest to throw it away.
    assert!(sent < 64 * MIB, "the whole header was taken ({sent} bytes)");
    let grown = kib("VmHWM:").saturating_sub(before);
    assert!(
        grown <= 8 * 1024,
        "RSS grew by {grown} KiB while refusing the header"
    );
}

#[test]
fn big_cookies_and_forty_headers_are_still_served() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let headers: String = (0..38).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let cookies = format!("Cookie: session={}\r\n", "c".repeat(16 * 1024));
    let raw = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{cookies}{headers}\r\n",
        server.addr
    );
    assert_eq!(request(&server.addr, &raw).status, 200);
}

#[test]
fn a_burst_of_concurrent_requests_is_answered() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let _open_tabs: Vec<EventStream> = (0..4).map(|_| server.events()).collect();
    let addr = server.addr.clone();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                (0..10)
                    .map(|j| {
                        let target = if (i + j) % 2 == 0 {
                            "/"
                        } else {
                            "/goals/ship-the-ledger/index.html"
                        };
                        request(
                            &addr,
                            &format!(
                                "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                            ),
                        )
                        .status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for thread in threads {
        let statuses = thread.join().unwrap();
        assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let playbook = Playbook::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = playbook.run(&["serve", "--port", &port]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("port {port} is in use")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_quickly() {
    let playbook = Playbook::fixture("basic");
    let mut server = Server::start(&playbook);
    let pid = server.child.id().to_string();
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_first_build_that_fails_is_shown_in_the_browser() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/goals/bad.md",
        "---\ntitle: x\ndate: 2026-01-01\nprogress: 200\n---\n",
    );
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("errors", "content/goals/bad.md:4:11: `progress`");
    playbook.write(
        "content/goals/bad.md",
        "---\ntitle: Good now\ndate: 2026-01-01\nprogress: 20\n---\n",
    );
    events.wait_for("reload", "\"version\":");
    server.wait_for_page("/goals/bad/index.html", "<h1>Good now</h1>");
}

#[test]
fn while_one_file_is_broken_saving_another_still_reports_it() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    playbook.write(
        "content/goals/bad.md",
        "---\ntitle: x\ndate: 2026-01-01\nprogress: 200\n---\n",
    );
    events.wait_for("errors", "content/goals/bad.md:4:11: `progress`");
    // A body edit elsewhere, of the kind that reuses the last good build's indexes, must not
    // hide the file that is still broken.
    playbook.write(
        ADVICE,
        playbook.read(ADVICE).replace("Dana said", "Dana told me"),
    );
    events.wait_for("errors", "content/goals/bad.md:4:11: `progress`");
    playbook.remove("content/goals/bad.md");
    events.wait_for("reload", "\"version\":2,");
    assert_served_site_equals_a_clean_build(&server, &playbook);
}

/// The served site, reload script removed, equals a clean `build --drafts` byte for byte.
fn assert_served_site_equals_a_clean_build(server: &Server, playbook: &Playbook) {
    let output = tempfile::tempdir().unwrap();
    let target = output.path().join("site");
    playbook.build(&["--drafts", "--output", target.to_str().unwrap()]);
    let built = common::snapshot(&target);
    for (path, bytes) in &built {
        let path = path.to_string_lossy().replace('\\', "/");
        if path == ".playbook-output" {
            continue;
        }
        let response = server.get(&format!("/{path}"));
        assert_eq!(response.status, 200, "/{path}");
        let served = match response.body.find("<script>/* playbook serve") {
            Some(start) => {
                let end =
                    response.body[start..].find("</script>").unwrap() + start + "</script>".len();
                format!("{}{}", &response.body[..start], &response.body[end..])
            }
            None => response.body.clone(),
        };
        assert!(
            served.as_bytes() == &bytes[..],
            "/{path} differs from a clean build:\n{served}"
        );
    }
}

#[test]
fn after_a_sequence_of_edits_the_served_site_equals_a_clean_build() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    let mut version = 1;
    let mut edit = |change: &dyn Fn(&Playbook)| {
        change(&playbook);
        version += 1;
        events.wait_for("reload", &format!("\"version\":{version},"));
        // After every step, not only the last: a later full render would hide a stale page.
        assert_served_site_equals_a_clean_build(&server, &playbook);
    };
    let goal = "content/goals/ship-the-ledger.md";
    // A body-only edit, a title edit, a new tag, a date that reorders neighbours, a new
    // person, a related link, a new entry, a deletion, a kind change by moving a file.
    edit(&|p| p.write(ADVICE, p.read(ADVICE).replace("Dana said", "Dana told me")));
    edit(&|p| {
        p.write(
            goal,
            p.read(goal)
                .replace("title: Ship the ledger", "title: Ship the new ledger"),
        )
    });
    edit(&|p| {
        p.write(
            ADVICE,
            p.read(ADVICE).replace(
                "tags: [planning, ledger]",
                "tags: [planning, ledger, estimates]",
            ),
        )
    });
    edit(&|p| {
        p.write(
            goal,
            p.read(goal).replace("date: 2026-01-10", "date: 2026-03-20"),
        )
    });
    edit(&|p| {
        p.write(
            ADVICE,
            p.read(ADVICE)
                .replace("from: dana", "from: dana\npeople: [lee, sam]"),
        )
    });
    edit(&|p| {
        p.write(
            "content/loyalty/covered-the-review.md",
            p.read("content/loyalty/covered-the-review.md").replace(
                "reciprocated: true",
                "reciprocated: true\nrelated: [goals/ship-the-ledger]",
            ),
        )
    });
    edit(&|p| {
        p.write("content/achievements/second-win.md", "---\ntitle: Second win\ndate: 2026-04-02\ntags: [ledger]\ngoal: goals/ship-the-ledger\n---\nMore.\n");
    });
    edit(&|p| {
        p.write(
            "content/conversations/middle.md",
            "---\ntitle: Middle talk\ndate: 2026-02-15\nwith: dana\n---\nx\n",
        )
    });
    // Moving the middle entry of a kind makes its old neighbours each other's neighbours.
    edit(&|p| {
        p.write(
            "content/conversations/middle.md",
            "---\ntitle: Middle talk\ndate: 2026-06-01\nwith: dana\n---\nx\n",
        )
    });
    // Fields that no card shows: a goal's progress (dashboard), an action done (dashboard, prep).
    edit(&|p| p.write(goal, p.read(goal).replace("progress: 60", "progress: 75")));
    let feedback = "content/feedback/mid-year.md";
    edit(&|p| {
        p.write(
            feedback,
            p.read(feedback).replace(
                "Write design docs earlier, done: false",
                "Write design docs earlier, done: true",
            ),
        )
    });
    // The same person spelled differently: one page, showing the spelling first used.
    edit(&|p| {
        p.write(
            ADVICE,
            p.read(ADVICE)
                .replace("people: [lee, sam]", "people: [lee, Sam]"),
        )
    });
    edit(&|p| p.remove("content/contributions/hiring-loop.md"));
    assert_eq!(
        server.get("/contributions/hiring-loop/index.html").status,
        404,
        "deleted pages are gone"
    );
}

#[test]
fn a_renamed_entry_moves_and_a_stylesheet_change_swaps_the_stylesheet() {
    let playbook = Playbook::fixture("basic");
    let mut server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    std::fs::rename(
        playbook
            .path()
            .join("content/loyalty/covered-the-review.md"),
        playbook
            .path()
            .join("content/loyalty/stood-in-at-the-review.md"),
    )
    .unwrap();
    server.wait_for_page(
        "/loyalty/stood-in-at-the-review/index.html",
        "<h1>Covered the review</h1>",
    );
    assert_eq!(
        server.get("/loyalty/covered-the-review/index.html").status,
        404
    );
    events.wait_for("reload", "\"css_only\":false");

    playbook.write(
        "themes/default/static/style.css",
        "body { color: rebeccapurple }\n",
    );
    events.wait_for("reload", "\"css_only\":true");
    assert!(server.get("/style.css").body.contains("rebeccapurple"));
    let line = server.wait_for_line("theme changed");
    assert!(line.contains("theme changed: 1 file updated"), "{line}");
}

#[test]
fn requests_naming_another_host_are_refused_so_dns_rebinding_cannot_read_the_playbook() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let foreign = request(
        &server.addr,
        "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(foreign.status, 403);
    assert!(!foreign.body.contains("Evidence by kind"));
    let port = server.addr.rsplit(':').next().unwrap();
    let local = request(
        &server.addr,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(local.status, 200);
}

#[test]
fn redirects_never_leave_the_server() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    for target in ["//goals", "http://attacker.example/goals", "/goals?x=1"] {
        let response = server.get(target);
        assert_eq!(response.status, 301, "{target}");
        assert!(
            response.headers.contains("location: /goals/\r")
                || response.headers.ends_with("location: /goals/"),
            "{target}: {}",
            response.headers
        );
    }
}

#[test]
fn a_tab_that_stops_reading_does_not_hold_up_rebuilds() {
    let playbook = Playbook::fixture("basic");
    let mut server = Server::start(&playbook);
    // An event stream whose reader never reads: its socket buffers fill up.
    let mut stuck = TcpStream::connect(&server.addr).unwrap();
    write!(
        stuck,
        "GET /__playbook/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let rel = "content/advice/ask-before-estimating.md";
    let good = playbook.read(rel);
    // Errors with long lines, many times, to overflow what the stuck stream can take.
    let long = "x".repeat(60_000);
    for i in 0..12 {
        playbook.write(rel, format!("---\ntitle: [{long}{i}\n---\n"));
        server.wait_for_line("still serving the last good build");
    }
    playbook.write(
        rel,
        good.replace("Ask before estimating", "Still answering"),
    );
    server.wait_for_page(ADVICE_PAGE, "<h1>Still answering</h1>");
    drop(stuck);
}

#[test]
fn folders_with_dots_and_a_content_folder_made_again_are_followed() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    playbook.write(
        "content/advice/v1.2/dotted.md",
        "---\ntitle: Dotted\ndate: 2026-01-02\nfrom: dana\n---\nx\n",
    );
    server.wait_for_page("/advice/dotted/index.html", "<h1>Dotted</h1>");
    std::fs::remove_dir_all(playbook.path().join("content/advice/v1.2")).unwrap();
    let deadline = Instant::now() + WAIT;
    while server.get("/advice/dotted/index.html").status != 404 {
        assert!(
            Instant::now() < deadline,
            "the removed dotted folder is still served"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let content = playbook.path().join("content");
    let aside = playbook.path().join("content-aside");
    std::fs::rename(&content, &aside).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    common::copy_tree(&aside, &content);
    std::thread::sleep(Duration::from_millis(200));
    playbook.write(
        ADVICE,
        playbook
            .read(ADVICE)
            .replace("Ask before estimating", "Seen again"),
    );
    server.wait_for_page(ADVICE_PAGE, "<h1>Seen again</h1>");
}

#[test]
fn a_markdown_file_directly_under_content_is_an_error_in_serve_as_in_build() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    playbook.write(
        "content/stray.md",
        "---\ntitle: Stray\ndate: 2026-01-01\n---\n",
    );
    events.wait_for("errors", "content/stray.md: entries live in a kind folder");
}

#[test]
fn the_404_page_keeps_its_style_and_links_at_any_depth() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<base href=\"/\">"),
        "{}",
        missing.body
    );
}

#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_does_not_close_the_port_for_good() {
    let playbook = Playbook::fixture("basic");
    // serve under a low descriptor limit, through the shell's ulimit.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec {} --root {} serve --port 0",
            env!("CARGO_BIN_EXE_playbook"),
            playbook.path().display()
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(url) = line.split("http://").nth(1) {
            break url.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    // More connections than the server has descriptors for, then all closed.
    let flood: Vec<TcpStream> = (0..120)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(flood);
    let deadline = Instant::now() + WAIT;
    loop {
        let ok = TcpStream::connect(&addr).ok().is_some_and(|mut stream| {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = write!(
                stream,
                "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = std::io::Read::read_to_string(&mut stream, &mut answer);
            answer.starts_with("HTTP/1.1 200")
        });
        if ok {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server stopped answering after running out of descriptors"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The basic fixture with `count` more advice entries, all from lee and tagged `filler`: the
/// timeline, the advice list and lee's page show more entries than a cheap page does
/// (`CHEAP_PAGE_ENTRIES`), the tags, people and conversations of the fixture stay small.
fn playbook_with_big_lists(count: usize) -> Playbook {
    let playbook = Playbook::fixture("basic");
    for i in 0..count {
        playbook.write(
            &format!("content/advice/filler-{i}.md"),
            format!(
                "---\ntitle: Filler advice {i}\ndate: 2025-03-{:02}\ntags: [filler]\nfrom: lee\n---\nA filler.\n",
                1 + i % 28
            ),
        );
    }
    playbook
}

/// The site paths a reload event names.
fn named_files(data: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(data).expect("the event's data is JSON");
    assert!(value.get("all").is_none(), "a short list is named: {data}");
    let files = value["files"].as_array().expect("files");
    files
        .iter()
        .map(|file| file.as_str().expect("a path").to_string())
        .collect()
}

#[test]
fn a_title_edit_shows_its_page_and_open_lists_first_and_the_big_lists_next() {
    let playbook = playbook_with_big_lists(250);
    let server = Server::start(&playbook);
    let mut events = server.events();
    // A tab on the advice list (big, but open: it comes first) and one on a page the edit
    // leaves alone.
    let mut list_tab = server.events_for("/advice/");
    let mut other_tab = server.events_for("/conversations/first-one-on-one/");
    for stream in [&mut events, &mut list_tab, &mut other_tab] {
        stream.wait_for("reload", "\"version\":1,");
    }
    let text = playbook.read(ADVICE).replace(
        "title: Ask before estimating",
        "title: Ask what the estimate is for",
    );
    save_by_rename(&playbook, ADVICE, &text);

    let first = named_files(&events.wait_for("reload", "\"version\":2,"));
    let page = server.get(ADVICE_PAGE);
    assert!(
        page.body.contains("<h1>Ask what the estimate is for</h1>"),
        "{}",
        page.body
    );
    for path in [
        "advice/ask-before-estimating/index.html",
        "advice/index.html",
        "tags/ledger/index.html",
    ] {
        assert!(first.iter().any(|p| p == path), "{path} first: {first:?}");
    }
    assert!(
        !first.iter().any(|p| p == "timeline/index.html"),
        "the timeline waits for the second step: {first:?}"
    );
    assert!(
        server
            .get("/advice/")
            .body
            .contains("Ask what the estimate is for")
    );

    let second = named_files(&events.wait_for("reload", "\"version\":3,"));
    assert!(
        second.iter().any(|p| p == "timeline/index.html"),
        "{second:?}"
    );
    server.wait_for_page("/timeline/", "Ask what the estimate is for");
    assert_served_site_equals_a_clean_build(&server, &playbook);

    // The other tab was told both times, and neither named its page.
    for version in [2, 3] {
        let data = other_tab.wait_for("reload", &format!("\"version\":{version},"));
        let named = named_files(&data);
        assert!(
            !named.iter().any(|p| p.starts_with("conversations/")),
            "{named:?}"
        );
    }
    list_tab.wait_for("reload", "\"version\":3,");
}

#[test]
fn a_body_edit_names_its_page_first_and_the_search_index_next() {
    let playbook = playbook_with_big_lists(250);
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    // Past the summary, which cards show.
    playbook.write(
        ADVICE,
        playbook
            .read(ADVICE)
            .replace("Wrote it down", "Wrote it up"),
    );
    let first = named_files(&events.wait_for("reload", "\"version\":2,"));
    assert_eq!(first, ["advice/ask-before-estimating/index.html"]);
    assert!(server.get(ADVICE_PAGE).body.contains("Wrote it up"));
    // The search index shows every entry: a big page.
    let second = named_files(&events.wait_for("reload", "\"version\":3,"));
    assert_eq!(second, ["search-index.js"]);
}

#[test]
fn a_second_step_that_fails_shows_its_errors_and_the_fix_renders_the_stale_lists() {
    let playbook = playbook_with_big_lists(250);
    // A timeline that refuses a title: the edit's first step renders, its second fails.
    playbook.write(
        "themes/default/templates/timeline.html",
        "{% extends \"base.html\" %}{% block main %}{% for y in years %}{% for m in y.months %}\
         {% if \"Boom\" in m.rows %}{{ throw(message=\"no Boom on the timeline\") }}{% endif %}\
         <ol>{{ m.rows | safe }}</ol>{% endfor %}{% endfor %}{% endblock main %}",
    );
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    let good = playbook.read(ADVICE);
    save_by_rename(
        &playbook,
        ADVICE,
        &good.replace("title: Ask before estimating", "title: Boom estimates"),
    );
    events.wait_for("reload", "\"version\":2,");
    assert!(
        server
            .get(ADVICE_PAGE)
            .body
            .contains("<h1>Boom estimates</h1>")
    );
    events.wait_for("errors", "no Boom on the timeline");
    assert!(
        server
            .get("/timeline/")
            .body
            .contains("Ask before estimating"),
        "the timeline stays as it was"
    );

    save_by_rename(
        &playbook,
        ADVICE,
        &good.replace("title: Ask before estimating", "title: Calm estimates"),
    );
    events.wait_for("reload", "\"version\":3,");
    server.wait_for_page("/timeline/", "Calm estimates");
    assert_served_site_equals_a_clean_build(&server, &playbook);
}
