//! A real headless Chromium against the real `playbook serve`: the injected script reloads the
//! open tab after a save that changed its page (only then), swaps the stylesheet in place, and
//! shows a failed build's errors over the last good page until the next good build.

use crate::common;

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

/// Saves the file `rel` of `playbook` with `from` replaced by `to`.
fn replace_in(playbook: &Playbook, rel: &str, from: &str, to: &str) {
    playbook.write(rel, playbook.read(rel).replace(from, to));
}

#[test]
fn a_tab_reloads_only_when_its_own_page_changed() {
    let playbook = Playbook::fixture("basic");
    let server = Server::start(&playbook);
    let mut events = server.events();
    events.wait_for("reload", "\"version\":1,");
    let browser = Browser::start();
    // The folder's URL: the page is its index.html.
    browser.open(&format!(
        "http://{}/conversations/first-one-on-one/",
        server.addr
    ));
    browser.wait_for(TITLE, "First one-on-one");
    browser.eval("window.playbookMark = 'kept'; return ''");

    // Another entry's body, past its summary: its page and the search index change.
    let advice = "content/advice/ask-before-estimating.md";
    replace_in(&playbook, advice, "Wrote it down", "Wrote it up");
    let data = events.wait_for("reload", "\"version\":2,");
    assert!(
        data.contains("advice/ask-before-estimating/index.html"),
        "{data}"
    );
    // The tab got the same event; give it time to (wrongly) reload.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(
        browser.eval("return window.playbookMark || 'reloaded'"),
        "kept"
    );

    let rel = "content/conversations/first-one-on-one.md";
    replace_in(
        &playbook,
        rel,
        "title: First one-on-one",
        "title: First talk",
    );
    browser.wait_for(TITLE, "First talk");
    assert_eq!(
        browser.eval("return window.playbookMark || 'reloaded'"),
        "reloaded"
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

/// Each part of an entry the index holds is searched: a word past the summary (by its start),
/// a word of the summary that the body repeats, a person, a tag, the title.
#[test]
fn search_from_file_finds_an_entry_by_its_summary_body_people_tags_and_title() {
    let playbook = Playbook::example();
    playbook.build(&[]);
    let browser = Browser::start();
    let title = "Ran an incident tabletop game at the team offsite";
    for (query, status) in [
        ("halfw", "1 entry found."),
        ("whiteboard", "2 entries found."),
        ("rotterdam%20nakamura", "1 entry found."),
        ("mentoring%20offsite", "1 entry found."),
        ("incident%20tabletop", "1 entry found."),
    ] {
        browser.open(&format!(
            "{}?q={query}",
            file_url(&playbook, "search/index.html")
        ));
        browser.wait_for(SEARCH_STATUS, status);
        let first = browser.eval("return document.querySelector('#search-results a').textContent");
        assert_eq!(first, title, "{query}");
    }
}

#[test]
fn no_page_scrolls_sideways_at_360_pixels() {
    let playbook = Playbook::example();
    playbook.build(&[]);
    let browser = Browser::start();
    browser.resize(360, 800);
    let pages = common::html_files(&playbook.path().join("public"));
    assert!(pages.len() > 80, "{pages:?}");
    for page in pages {
        let page = page.to_string_lossy();
        browser.open(&file_url(&playbook, &page));
        // The viewport's width without a scrollbar (the browser hides them, as a phone does),
        // and the layout's: against innerWidth, which counts a scrollbar, a layout up to 15 px
        // too wide went unseen.
        let width = browser.eval(
            "var html = document.documentElement; return html.clientWidth + ' ' + html.scrollWidth",
        );
        let width = width.as_str().expect("two widths");
        let (viewport, scroll) = width.split_once(' ').expect("two widths");
        let (viewport, scroll): (u32, u32) = (
            viewport.parse().expect("a width"),
            scroll.parse().expect("a width"),
        );
        assert_eq!(viewport, 360, "{page}: the viewport is not 360 px wide");
        assert!(
            scroll <= viewport,
            "{page} scrolls sideways at {viewport}px: {scroll}px wide"
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
    // The folder's address: the page is index.html.
    browser.open(&host.base);
    read_the_encrypted_example(&browser);
    let url = browser.eval("return location.href");
    assert!(
        url.as_str().is_some_and(|u| u.starts_with(&host.base)),
        "still under the sub-path: {url}"
    );

    // A page asked for without `.html` opens (its ciphertext is bound to its file's name), and
    // so does the 404.html that the host answers for a page it does not have.
    browser.open(&host.base);
    browser.wait_for(TITLE, "Maya");
    let (href, title) = (
        browser.eval("return document.querySelector('.card-title a').getAttribute('href')"),
        browser.eval("return document.querySelector('.card-title a').textContent"),
    );
    let stem = href.as_str().and_then(|h| h.strip_suffix(".html"));
    browser.open(&format!("{}{}", host.base, stem.expect("a page name")));
    browser.wait_for(TITLE, title.as_str().expect("an entry title"));
    browser.open(&format!("{}no-such-page", host.base));
    browser.wait_for(TITLE, "Not found");
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

const UNLOCK_ERROR: &str =
    "var e = document.getElementById('unlock-error'); return e ? e.textContent : ''";
const KEY_KEPT: &str = "return Object.keys(sessionStorage).some(k => k.startsWith('playbook-key-')) \
    ? 'key kept' : 'no key'";

/// The encrypted example opened at its dashboard with the passphrase; returns the file name
/// of the dashboard's first entry.
fn unlock_the_dashboard(playbook: &Playbook, browser: &Browser) -> String {
    browser.open(&file_url(playbook, "index.html"));
    browser.type_into("#passphrase", &format!("{PASSPHRASE}\u{E007}"));
    browser.wait_for(TITLE, "Maya");
    let href = browser.eval("return document.querySelector('.card-title a').getAttribute('href')");
    href.as_str().expect("a card on the dashboard").to_string()
}

/// Says that the open page is damaged, with a relative link to the dashboard, and that the
/// key is still in the tab; then follows the link, which opens without asking.
fn assert_damaged_with_the_key_kept(browser: &Browser) {
    browser.wait_for(
        UNLOCK_ERROR,
        "This page is damaged or was changed after it was published",
    );
    assert!(
        !browser
            .eval(UNLOCK_ERROR)
            .as_str()
            .unwrap_or_default()
            .contains("Wrong")
    );
    let link = "var a = document.querySelector('#unlock-error a'); \
        return a ? a.getAttribute('href') + ' ' + a.textContent : 'no link'";
    assert_eq!(browser.eval(link), "index.html Open the dashboard");
    assert_eq!(browser.eval(KEY_KEPT), "key kept");
    assert_eq!(browser.eval(TITLE), "", "no page is shown");
    browser.click("#unlock-error a");
    browser.wait_for(TITLE, "Maya");
}

#[test]
fn a_changed_page_says_so_keeps_the_key_and_offers_the_dashboard() {
    let playbook = encrypted_example();
    let browser = Browser::start();
    let entry = unlock_the_dashboard(&playbook, &browser);
    // One character of the entry's ciphertext changed, as a host or an attacker might.
    let file = format!("public/{entry}");
    let shell = playbook.read(&file);
    let at = shell.find("id=\"sealed\">").expect("a shell") + 12 + 40;
    let changed = if &shell[at..=at] == "A" { "B" } else { "A" };
    playbook.write(
        &file,
        format!("{}{changed}{}", &shell[..at], &shell[at + 1..]),
    );

    // Opened with the key saved in the tab.
    browser.click(".card-title a");
    assert_damaged_with_the_key_kept(&browser);

    // Opened in a fresh tab with the right passphrase: not a wrong passphrase either.
    browser.eval("sessionStorage.clear(); return ''");
    browser.open(&file_url(&playbook, &entry));
    browser.type_into("#passphrase", &format!("{PASSPHRASE}\u{E007}"));
    assert_damaged_with_the_key_kept(&browser);
}

#[test]
fn a_page_pasted_into_another_pages_file_does_not_open_there() {
    let playbook = encrypted_example();
    let browser = Browser::start();
    let entry = unlock_the_dashboard(&playbook, &browser);
    let title = browser.eval("return document.querySelector('.card-title a').textContent");
    let title = title.as_str().expect("a card title").to_string();
    let timeline = browser.eval(
        "return document.querySelector('.site-header nav li:nth-last-child(3) a').getAttribute('href')",
    );
    let timeline = timeline
        .as_str()
        .expect("a link to the timeline")
        .to_string();
    // The entry's whole file, valid ciphertext and all, in place of the timeline's.
    playbook.write(
        &format!("public/{timeline}"),
        playbook.read(&format!("public/{entry}")),
    );

    browser.click(".site-header nav li:nth-last-child(3) a");
    assert_damaged_with_the_key_kept(&browser);
    // The entry still opens under its own name.
    browser.click(".card-title a");
    browser.wait_for(TITLE, &title);
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

const SHARE_PASSPHRASE: &str = "another long passphrase, just for Dana";

#[test]
fn a_shared_packet_opens_from_file_with_its_own_passphrase_and_holds_nothing_else() {
    let playbook = Playbook::fixture("review");
    let output = playbook.path().join("q2.html");
    let output = output.to_str().expect("a UTF-8 path");
    let run = playbook.run_with_env(
        &["share", "review", "--period", "2026-Q2", "--output", output],
        &[("PLAYBOOK_SHARE_PASSPHRASE", SHARE_PASSPHRASE)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("shared review packet → "),
        "{}",
        run.stdout
    );
    let file = playbook.read("q2.html");
    // One file: nothing it loads, nothing it links to, none of the playbook's words.
    for absent in [
        "src=",
        "href=",
        "url(",
        "@import",
        "Opened Q2",
        "Sam Lee",
        "Delivery",
        "Demo feedback",
        "dana",
    ] {
        assert!(!file.contains(absent), "{absent:?} in the shared file");
    }

    let browser = Browser::start();
    browser.open(&format!(
        "file://{}",
        playbook.path().join("q2.html").display()
    ));
    let error = "var e = document.getElementById('unlock-error'); return e ? e.textContent : ''";
    browser.type_into("#passphrase", &format!("{PASSPHRASE}\u{E007}"));
    browser.wait_for(error, "Wrong passphrase");
    browser.eval("document.getElementById('passphrase').value = ''; return ''");
    browser.type_into("#passphrase", &format!("{SHARE_PASSPHRASE}\u{E007}"));
    browser.wait_for(TITLE, "Sam Lee: review packet, Q2 2026");
    let text = browser.eval("return document.body.innerText");
    let text = text.as_str().expect("the page's text");
    assert!(text.contains("Opened Q2 on its first day"), "{text}");
    assert!(
        text.contains("A great demo, though the docs lagged behind"),
        "{text}"
    );
    // Only the packet: no entry of another quarter, no link anywhere.
    assert!(!text.contains("Closed Q1 on its last day"), "{text}");
    assert_eq!(
        browser.eval("return document.querySelectorAll('a[href], img, link, iframe').length"),
        0
    );

    // Renamed, as an attachment saved under another name, it still opens.
    std::fs::rename(
        playbook.path().join("q2.html"),
        playbook.path().join("Packet for Dana.html"),
    )
    .expect("rename");
    let browser = Browser::start();
    browser.open(&format!(
        "file://{}",
        playbook.path().join("Packet for Dana.html").display()
    ));
    browser.type_into("#passphrase", &format!("{SHARE_PASSPHRASE}\u{E007}"));
    browser.wait_for(TITLE, "Sam Lee: review packet, Q2 2026");
}

const SECOND: &str = "a second long passphrase for tests";
const FORM_SHOWN: &str = "var f = document.getElementById('unlock'); \
    return f && !f.hidden ? 'form shown' : 'no form'";
const LOCK_BUTTON: &str = "var b = document.getElementById('playbook-lock'); \
    if (!b) return 'no button'; var s = getComputedStyle(b); \
    return [b.tagName, b.textContent, s.position, s.visibility, b.tabIndex].join(' ')";
const REMEMBER_BOX: &str = "var r = document.getElementById('playbook-remember'); \
    return r ? 'box: ' + r.closest('p').textContent : 'no box'";

/// Types `passphrase` into the unlock form, from empty.
fn unlock_with(browser: &Browser, passphrase: &str) {
    browser.wait_for(FORM_SHOWN, "form shown");
    browser.eval("document.getElementById('passphrase').value = ''; return ''");
    browser.type_into("#passphrase", &format!("{passphrase}\u{E007}"));
}

#[test]
fn either_passphrase_opens_the_site_and_lock_forgets_the_key() {
    let playbook = encrypted_example();
    let run = playbook.run_with_env(
        &["passphrase", "add"],
        &[
            ("PLAYBOOK_PASSPHRASE", PASSPHRASE),
            ("PLAYBOOK_NEW_PASSPHRASE", SECOND),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let browser = Browser::start();
    browser.open(&file_url(&playbook, "index.html"));
    // No remember option without `encrypt_remember`.
    browser.wait_for(FORM_SHOWN, "form shown");
    assert_eq!(browser.eval(REMEMBER_BOX), "no box");

    // The added passphrase opens it, and a page reached by a link shows its plain text.
    unlock_with(&browser, SECOND);
    browser.wait_for(TITLE, "Maya");
    let entry = browser.eval("return document.querySelector('.card-title a').textContent");
    let entry = entry.as_str().expect("a card on the dashboard").to_string();
    browser.click(".card-title a");
    browser.wait_for(TITLE, &entry);
    let entry_url = browser.eval("return location.href");
    let entry_url = entry_url.as_str().expect("a URL").to_string();

    // The Lock button: a real button, fixed, visible; it forgets the key and locks.
    assert_eq!(browser.eval(LOCK_BUTTON), "BUTTON Lock fixed visible 0");
    browser.click("#playbook-lock");
    browser.wait_for(FORM_SHOWN, "form shown");
    assert_eq!(browser.eval(TITLE), "");
    assert_eq!(browser.eval(KEY_KEPT), "no key");
    // Another page asks again too.
    browser.open(&file_url(&playbook, "index.html"));
    browser.wait_for(FORM_SHOWN, "form shown");
    assert_eq!(browser.eval(LOCK_BUTTON), "no button");

    // The first passphrase opens it as well.
    unlock_with(&browser, PASSPHRASE);
    browser.wait_for(TITLE, "Maya");
    browser.open(&entry_url);
    browser.wait_for(TITLE, &entry);
}

#[test]
fn remember_on_this_device_keeps_the_key_until_lock() {
    let playbook = Playbook::fixture("basic");
    let config = playbook.read("playbook.yaml");
    playbook.write(
        "playbook.yaml",
        format!("{config}\nencrypt_remember: true\n"),
    );
    let run = playbook.run_with_env(
        &["build", "--encrypt"],
        &[("PLAYBOOK_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let browser = Browser::start();
    browser.open(&file_url(&playbook, "index.html"));
    browser.wait_for(FORM_SHOWN, "form shown");
    let remember = browser.eval(REMEMBER_BOX);
    assert_eq!(
        remember,
        "box:  Remember on this device (anyone who can use this browser profile can open the \
         playbook until you press Lock)"
    );
    let device_key = "return Object.keys(localStorage).some(k => k.startsWith('playbook-key-')) \
        ? 'remembered' : 'not remembered'";
    browser.click("#playbook-remember");
    unlock_with(&browser, PASSPHRASE);
    browser.wait_for(TITLE, "playbook");
    let title = browser.eval(TITLE);
    assert_eq!(browser.eval(device_key), "remembered");

    // A later visit (a new session) opens without asking.
    browser.eval("sessionStorage.clear(); return ''");
    browser.open(&file_url(&playbook, "index.html"));
    browser.wait_for(TITLE, title.as_str().expect("a title"));

    // Lock forgets it on the device too.
    browser.click("#playbook-lock");
    browser.wait_for(FORM_SHOWN, "form shown");
    assert_eq!(browser.eval(device_key), "not remembered");
    browser.eval("sessionStorage.clear(); return ''");
    browser.open(&file_url(&playbook, "index.html"));
    browser.wait_for(FORM_SHOWN, "form shown");
    assert_eq!(browser.eval(TITLE), "");
}
