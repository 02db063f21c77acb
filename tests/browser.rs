//! A real headless Chromium against the real `playbook serve`: the injected script reloads the
//! open tab after a save, swaps the stylesheet in place, and shows a failed build's errors over
//! the last good page until the next good build.

mod common;

use common::Playbook;
use common::browser::Browser;
use common::server::Server;

const TITLE: &str =
    "return document.querySelector('h1') ? document.querySelector('h1').textContent : ''";
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
