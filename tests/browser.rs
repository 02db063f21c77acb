//! A real headless Chromium against the real `playbook serve`: the injected script reloads the
//! open tab after a save, swaps the stylesheet in place, and shows a failed build's errors over
//! the last good page until the next good build.

mod common;

use common::Playbook;
use common::browser::Browser;
use common::server::Server;
use common::static_host::StaticHost;

const TITLE: &str =
    "return document.querySelector('h1') ? document.querySelector('h1').textContent : ''";
const SEARCH_STATUS: &str =
    "var s = document.getElementById('search-status'); return s ? s.textContent : ''";
const OVERLAY: &str =
    "var o = document.getElementById('playbook-errors'); return o ? o.textContent : 'none'";

#[test]
fn the_tab_reloads_after_a_save_and_shows_errors_until_they_are_fixed() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let browser = Browser::start();
    let rel = "content/goals/ship-the-ledger.md";
    browser.open(&format!(
        "http://{}/goals/ship-the-ledger/index.html",
        server.addr
    ));
    browser.wait_for(TITLE, "Ship the ledger");
    // The page's event stream is open once the script ran; mark the page to see reloads.
    browser.eval("window.playbookMark = 'before'; return ''");

    let good = playbook.read(rel);
    playbook.write(
        rel,
        good.replace("title: Ship the ledger", "title: Ship it before spring"),
    );
    browser.wait_for(TITLE, "Ship it before spring");
    assert_eq!(
        browser.eval("return window.playbookMark || 'reloaded'"),
        "reloaded"
    );

    playbook.write(
        rel,
        good.replace("title: Ship the ledger", "title: [broken"),
    );
    let overlay = browser.wait_for(OVERLAY, "error: content/goals/ship-the-ledger.md:2:8:");
    assert!(
        overlay.contains("playbook: failed with 1 error"),
        "{overlay}"
    );
    assert_eq!(
        browser.eval(TITLE),
        "Ship it before spring",
        "the last good page stays"
    );

    playbook.write(rel, good.replace("title: Ship the ledger", "title: Fixed"));
    browser.wait_for(TITLE, "Fixed");
    assert_eq!(
        browser.eval(OVERLAY),
        "none",
        "the overlay is gone with the good build"
    );
}

#[test]
fn a_stylesheet_change_is_swapped_in_without_a_reload() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "themes/default/static/style.css",
        "h1 { color: rgb(1, 2, 3) }\n",
    );
    let server = Server::start(&playbook);
    let browser = Browser::start();
    browser.open(&format!("http://{}/", server.addr));
    let color = "return getComputedStyle(document.querySelector('h1')).color";
    browser.wait_for(color, "rgb(1, 2, 3)");
    browser.eval("window.playbookMark = 'kept'; return ''");
    playbook.write(
        "themes/default/static/style.css",
        "h1 { color: rgb(4, 5, 6) }\n",
    );
    browser.wait_for(color, "rgb(4, 5, 6)");
    assert_eq!(
        browser.eval("return window.playbookMark || 'reloaded'"),
        "kept"
    );
}

/// The file:// URL of a page of a built site.
fn file_url(playbook: &Playbook, page: &str) -> String {
    format!(
        "file://{}",
        playbook.path().join("public").join(page).display()
    )
}

#[test]
fn search_from_file_finds_an_entry_by_a_word_of_its_body() {
    let playbook = Playbook::example();
    playbook.build(&[]);
    let browser = Browser::start();
    browser.open(&file_url(&playbook, "index.html"));
    // A word that only one entry's body holds, and not its title.
    browser.type_into("#site-search-input", "rotterdam\u{E007}");
    browser.wait_for(SEARCH_STATUS, "1 entry found.");
    let first = browser.eval("return document.querySelector('#search-results a').textContent");
    assert_eq!(first, "Ran an incident tabletop game at the team offsite");
    browser.click("#search-results a");
    browser.wait_for(TITLE, "Ran an incident tabletop game at the team offsite");

    // Typing on the search page answers as you type, title matches first.
    browser.open(&file_url(&playbook, "search/index.html"));
    browser.type_into("#search-input", "ledger");
    browser.wait_for(SEARCH_STATUS, "entries found.");
    let titles = browser.eval("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.textContent).join('|')");
    let titles = titles.as_str().unwrap();
    let first = titles.split('|').next().unwrap();
    assert!(
        first.to_lowercase().contains("ledger"),
        "a title match comes first: {titles}"
    );
}

#[test]
fn the_dashboard_does_not_scroll_sideways_at_360_pixels() {
    let playbook = Playbook::example();
    playbook.build(&[]);
    let browser = Browser::start();
    browser.resize(360, 800);
    for page in [
        "index.html",
        "goals/make-the-staff-engineer-case/index.html",
        "timeline/index.html",
        "prep/index.html",
    ] {
        browser.open(&file_url(&playbook, page));
        let width =
            browser.eval("return document.documentElement.scrollWidth + ' ' + window.innerWidth");
        let width = width.as_str().unwrap();
        let (scroll, inner) = width.split_once(' ').unwrap();
        let (scroll, inner): (u32, u32) = (scroll.parse().unwrap(), inner.parse().unwrap());
        assert!(
            scroll <= inner,
            "{page} scrolls sideways at {inner}px: {scroll}px wide"
        );
    }
}

const PASSPHRASE: &str = "a long passphrase for tests";

#[test]
fn an_encrypted_site_opens_from_file_with_its_passphrase_once_per_tab() {
    let playbook = encrypted_example();
    let browser = Browser::start();
    browser.open(&file_url(&playbook, "index.html"));
    read_the_encrypted_example(&browser);
}

#[test]
fn an_encrypted_site_works_from_a_sub_path_of_a_static_host() {
    let playbook = encrypted_example();
    let host = StaticHost::start(&playbook.path().join("public"), "/private/playbook/");
    let browser = Browser::start();
    browser.open(&format!("{}index.html", host.base));
    read_the_encrypted_example(&browser);
    let url = browser.eval("return location.href");
    assert!(
        url.as_str().is_some_and(|u| u.starts_with(&host.base)),
        "still under the sub-path: {url}"
    );
}

fn encrypted_example() -> Playbook {
    let playbook = Playbook::example();
    let run = playbook.run_with_env(
        &["build", "--encrypt", "--today", "2026-06-01"],
        &[("PLAYBOOK_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    playbook
}

/// On the locked home page: a wrong passphrase, the right one, an entry, a tag, a search.
fn read_the_encrypted_example(browser: &Browser) {
    let error = "var e = document.getElementById('unlock-error'); return e ? e.textContent : ''";

    // A wrong passphrase says so, and the page stays locked.
    browser.type_into("#passphrase", "not the passphrase\u{E007}");
    browser.wait_for(error, "Wrong passphrase");
    assert_eq!(browser.eval(TITLE), "");

    browser.eval("document.getElementById('passphrase').value = ''; return ''");
    browser.type_into("#passphrase", &format!("{PASSPHRASE}\u{E007}"));
    browser.wait_for(TITLE, "Maya");

    // Moving between pages does not ask again: an entry, then a tag from it.
    let entry = browser.eval("return document.querySelector('.card-title a').textContent");
    let entry = entry.as_str().expect("a card on the dashboard").to_string();
    browser.click(".card-title a");
    browser.wait_for(TITLE, &entry);
    let href = browser
        .eval("return document.querySelector('.card-title a, .tags a').getAttribute('href')");
    assert!(
        href.as_str()
            .is_some_and(|h| h.len() == 37 && h.ends_with(".html")),
        "links go to keyed names: {href}"
    );
    browser.click("main .tags a");
    browser.wait_for(TITLE, "Tagged");

    // Search opens its sealed index with the same key.
    browser.type_into("#site-search-input", "rotterdam\u{E007}");
    browser.wait_for(SEARCH_STATUS, "1 entry found.");
    // The words stay in the fragment: the host never sees them.
    let url = browser.eval("return location.search + '|' + location.hash");
    assert_eq!(url, "|#q=rotterdam");
    browser.click("#search-results a");
    browser.wait_for(TITLE, "Ran an incident tabletop game at the team offsite");
}

/// What tells a decrypted page from the lock shell it was opened in: the title, how many
/// `<title>` (HTML ones: a chart's SVG has its own), `<head>` and `<style>` elements it has, whether the shell's form and
/// ciphertext are still there, and the search box's frame (the shell's `form` rule gives it a
/// border and padding).
const PAGE_MAKEUP: &str = "var form = document.querySelector('form.site-search'); \
    var look = form ? getComputedStyle(form) : null; \
    return [document.title, \
      document.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'title').length + ' title', \
      document.querySelectorAll('head').length + ' head', \
      document.querySelectorAll('style').length + ' style', \
      document.getElementById('sealed') || document.getElementById('unlock') ? 'shell' : 'no shell', \
      look ? 'search box padding ' + look.paddingTop + ', border ' + look.borderTopWidth : 'no search box' \
    ].join(' | ')";

/// Asserts that the open page is what a plain build shows, titled `title`.
fn assert_the_plain_page(browser: &Browser, title: &str) {
    assert_eq!(
        browser.eval(PAGE_MAKEUP),
        format!(
            "{title} | 1 title | 1 head | 0 style | no shell | search box padding 0px, border 0px"
        )
    );
}

#[test]
fn every_page_opened_with_the_saved_key_is_the_plain_page_not_the_lock_shell() {
    const SITE: &str = "Maya's playbook";
    let playbook = encrypted_example();
    let browser = Browser::start();
    browser.open(&file_url(&playbook, "index.html"));
    browser.type_into("#passphrase", &format!("{PASSPHRASE}\u{E007}"));
    browser.wait_for(TITLE, SITE);
    assert_the_plain_page(&browser, SITE);

    // Every page after the first opens with the key saved in the tab: an entry, a tag, a
    // section from the menu, and the dashboard again.
    let entry = browser.eval("return document.querySelector('.card-title a').textContent");
    let entry = entry.as_str().expect("a card on the dashboard").to_string();
    browser.click(".card-title a");
    browser.wait_for(TITLE, &entry);
    assert_the_plain_page(&browser, &format!("{entry} · {SITE}"));

    browser.click("main .tags a");
    let tag = browser.wait_for(TITLE, "Tagged");
    assert_the_plain_page(&browser, &format!("{tag} · {SITE}"));

    browser.click(".site-header nav li:nth-last-child(3) a");
    browser.wait_for(TITLE, "Timeline");
    assert_the_plain_page(&browser, &format!("Timeline · {SITE}"));

    browser.click(".brand");
    browser.wait_for(TITLE, SITE);
    assert_the_plain_page(&browser, SITE);
}

#[test]
fn a_page_loads_nothing_from_another_host_even_from_html_in_a_body() {
    // Another host: a listener on another port of the loopback; any connection is a failure.
    let tracker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    tracker.set_nonblocking(true).unwrap();
    let port = tracker.local_addr().unwrap().port();
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/advice/with-a-pixel.md",
        format!(
            "---\ntitle: With a pixel\ndate: 2026-03-01\nfrom: dana\n---\nText.\n\n\
             <img src=\"http://127.0.0.1:{port}/pixel.png\" alt=\"pixel\">\n\n\
             <script src=\"http://127.0.0.1:{port}/s.js\"></script>\n\n\
             <link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/s.css\">\n\n\
             <video src=\"http://127.0.0.1:{port}/v.mp4\"></video>\n\n\
             <p style=\"background: url(http://127.0.0.1:{port}/b.png)\">styled</p>\n\n\
             <object data=\"http://127.0.0.1:{port}/o\"></object>\n"
        ),
    );
    let server = Server::start(&playbook);
    let browser = Browser::start();
    browser.open(&format!(
        "http://{}/advice/with-a-pixel/index.html",
        server.addr
    ));
    browser.wait_for(TITLE, "With a pixel");
    // The image is in the page, and had its chance to load.
    let done = "var i = document.querySelector('main img'); return i && i.complete ? 'done' : ''";
    browser.wait_for(done, "done");
    std::thread::sleep(std::time::Duration::from_millis(300));
    // (An <iframe> to another host is blocked too, but Chromium opens a connection to it
    // beforehand, without a request: see the README.)
    assert!(
        tracker.accept().is_err(),
        "the page made a request to another host"
    );
}
