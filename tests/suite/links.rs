//! A crawler over built sites: every relative link and resource resolves to a file of the
//! output (no folder links, which file:// cannot open), every fragment to an id, nothing is
//! absolute or off-host, and every page can be reached from the dashboard.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use common::{Playbook, html_files};
use scraper::{Html, Selector};

/// The attributes that load or link something.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("form", "action"),
];

struct Site {
    root: PathBuf,
    /// page → ids it defines
    ids: BTreeMap<PathBuf, BTreeSet<String>>,
    /// page → (element, url) it references
    urls: BTreeMap<PathBuf, Vec<(String, String)>>,
}

fn read_site(root: &Path) -> Site {
    let any_id = Selector::parse("[id]").unwrap();
    let mut ids = BTreeMap::new();
    let mut urls = BTreeMap::new();
    for page in html_files(root) {
        let html = Html::parse_document(&std::fs::read_to_string(root.join(&page)).unwrap());
        ids.insert(
            page.clone(),
            html.select(&any_id)
                .filter_map(|el| el.value().attr("id").map(str::to_string))
                .collect(),
        );
        let mut found = Vec::new();
        for (tag, attribute) in URL_ATTRIBUTES {
            let selector = Selector::parse(&format!("{tag}[{attribute}]")).unwrap();
            for el in html.select(&selector) {
                found.push((
                    tag.to_string(),
                    el.value().attr(attribute).unwrap().to_string(),
                ));
            }
        }
        let styled = Selector::parse("[style], style").unwrap();
        for el in html.select(&styled) {
            let css = el
                .value()
                .attr("style")
                .map(str::to_string)
                .unwrap_or_else(|| el.text().collect());
            found.extend(
                css_urls(&css)
                    .into_iter()
                    .map(|url| ("style".to_string(), url)),
            );
        }
        urls.insert(page, found);
    }
    Site {
        root: root.to_path_buf(),
        ids,
        urls,
    }
}

fn css_urls(css: &str) -> Vec<String> {
    css.split("url(")
        .skip(1)
        .map(|rest| {
            rest.split(')')
                .next()
                .unwrap_or("")
                .trim_matches(['"', '\'', ' '])
                .to_string()
        })
        .chain(
            css.split("@import")
                .skip(1)
                .map(|rest| rest.trim().to_string()),
        )
        .collect()
}

fn is_absolute(url: &str) -> bool {
    let scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    scheme || url.starts_with('/') || url.starts_with("\\")
}

/// `dir/../x` → `x`; `None` when the path climbs out of the site.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Every problem found, as `page: message` lines; and the pages reachable from index.html.
fn check_site(site: &Site) -> (Vec<String>, BTreeSet<PathBuf>) {
    let mut problems = Vec::new();
    let mut edges: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (page, urls) in &site.urls {
        for (tag, url) in urls {
            let at = format!("{}: <{tag}> {url:?}", page.display());
            if url.is_empty() {
                problems.push(format!("{at}: empty URL"));
                continue;
            }
            if is_absolute(url) {
                problems.push(format!("{at}: absolute or off-host URL"));
                continue;
            }
            let (path_part, fragment) = match url.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (url.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap();
            let target = if path_part.is_empty() {
                page.clone()
            } else {
                match normalize(&page.parent().unwrap_or(Path::new("")).join(path_part)) {
                    Some(target) => target,
                    None => {
                        problems.push(format!("{at}: climbs out of the site"));
                        continue;
                    }
                }
            };
            if !site.root.join(&target).is_file() {
                problems.push(format!(
                    "{at}: {} is not a file of the site",
                    target.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment {
                let known = site
                    .ids
                    .get(&target)
                    .is_some_and(|ids| ids.contains(fragment));
                if !known {
                    problems.push(format!("{at}: no id {fragment:?} in {}", target.display()));
                }
            }
            if (tag == "a" || tag == "form") && target.extension().is_some_and(|e| e == "html") {
                edges.entry(page.clone()).or_default().push(target);
            }
        }
    }
    let mut reached = BTreeSet::new();
    let mut queue = VecDeque::from([PathBuf::from("index.html")]);
    while let Some(page) = queue.pop_front() {
        if reached.insert(page.clone()) {
            queue.extend(edges.get(&page).into_iter().flatten().cloned());
        }
    }
    (problems, reached)
}

fn assert_site_is_sound(root: &Path) {
    let site = read_site(root);
    assert!(
        site.urls.len() > 10,
        "the crawler found too few pages in {}",
        root.display()
    );
    let (problems, reached) = check_site(&site);
    assert!(
        problems.is_empty(),
        "{} link problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let unreachable: Vec<_> = site
        .urls
        .keys()
        .filter(|page| !reached.contains(*page) && *page != Path::new("404.html"))
        .collect();
    assert!(
        unreachable.is_empty(),
        "pages no link leads to: {unreachable:?}"
    );
    let css = std::fs::read_to_string(root.join("style.css")).unwrap();
    for url in css_urls(&css) {
        assert!(!is_absolute(&url), "style.css loads {url}");
    }
}

#[test]
fn the_bundled_example_has_no_broken_or_absolute_link() {
    let playbook = Playbook::example();
    playbook.build(&[]);
    assert_site_is_sound(&playbook.path().join("public"));
    playbook.build(&["--drafts"]);
    assert_site_is_sound(&playbook.path().join("public"));
}

#[test]
fn the_basic_fixture_has_no_broken_or_absolute_link() {
    let playbook = Playbook::fixture("basic");
    playbook.build(&[]);
    assert_site_is_sound(&playbook.path().join("public"));
}

#[test]
fn related_links_to_a_left_out_draft_are_not_rendered() {
    let playbook = Playbook::fixture("basic");
    playbook.write(
        "content/goals/points-at-draft.md",
        "---\ntitle: Points at a draft\ndate: 2026-05-01\nrelated: [conversations/half-written]\n---\nx\n",
    );
    playbook.build(&[]);
    assert_site_is_sound(&playbook.path().join("public"));
}

#[test]
fn the_crawler_catches_what_it_looks_for() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("style.css"), "").unwrap();
    std::fs::create_dir(root.join("a")).unwrap();
    std::fs::write(
        root.join("index.html"),
        r##"<a href="a/index.html#here">ok</a><a href="a/">folder</a><a href="missing.html">x</a>
            <a href="#nowhere">frag</a><img src="https://cdn.example/x.png"><link rel="stylesheet" href="/style.css">
            <a href="../../etc/passwd">up</a>"##,
    )
    .unwrap();
    std::fs::write(root.join("a/index.html"), r#"<p id="here">a</p>"#).unwrap();
    std::fs::write(root.join("orphan.html"), "<p>alone</p>").unwrap();
    let site = read_site(root);
    let (problems, reached) = check_site(&site);
    let joined = problems.join("\n");
    assert_eq!(problems.len(), 6, "{joined}");
    for expected in [
        "\"a/\"",
        "missing.html",
        "#nowhere",
        "cdn.example",
        "/style.css",
        "climbs out",
    ] {
        assert!(joined.contains(expected), "missed {expected}: {joined}");
    }
    assert!(reached.contains(Path::new("a/index.html")));
    assert!(!reached.contains(Path::new("orphan.html")));
}

/// Cards, timeline rows, packet items and the work toward goals are rendered once and spliced
/// into every page that shows them, each page with its own way back to the root: a theme's own versions show on
/// every list, at every depth, and their links still lead somewhere.
#[test]
fn fragments_a_theme_overrides_show_on_every_list_with_working_links() {
    let playbook = Playbook::fixture("review");
    playbook.write(
        "content/achievements/tagged.md",
        "---\ntitle: Tagged work\ndate: 2026-02-02\ntags: [launch]\n---\nDone.\n",
    );
    let card = "<li class=\"card my-card\"><a href=\"{{ root }}{{ e.url }}\">{{ e.title }}</a> \
                <a href=\"{{ root }}{{ e.kind_url }}\">{{ e.kind_label }}</a></li>";
    let row = "<li class=\"my-row\"><a href=\"{{ root }}{{ e.url }}\">{{ e.title }}</a></li>";
    let item = "<li class=\"my-item my-{{ section_id }}\"><a href=\"{{ root }}{{ i.url }}\">\
                {{ i.title }}</a>{% if work %}<ul>{{ work | safe }}</ul>{% endif %}</li>";
    let work = "<li><a class=\"toward\" href=\"{{ root }}{{ w.url }}\">{{ w.title }}</a></li>";
    playbook.write("themes/default/templates/card.html", card);
    playbook.write("themes/default/templates/timeline-item.html", row);
    playbook.write("themes/default/templates/packet-item.html", item);
    playbook.write("themes/default/templates/packet-toward.html", work);
    playbook.build(&["--today", "2026-12-01"]);
    let public = playbook.path().join("public");
    for (page, marker) in [
        ("achievements/index.html", "my-card"),
        ("tags/launch/index.html", "my-card"),
        ("timeline/index.html", "my-row"),
        ("people/dana/index.html", "my-row"),
        ("practices/own-your-work/index.html", "my-card"),
        ("review/2026/index.html", "my-item my-achievements"),
        ("review/2026/q2/index.html", "my-item my-goals-in-progress"),
        ("review/2026/h1/index.html", "class=\"toward\""),
    ] {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        assert!(html.contains(marker), "{page} shows {marker}");
    }
    let goal = std::fs::read_to_string(public.join("goals/promotion-project/index.html")).unwrap();
    assert!(
        goal.contains("my-card"),
        "an entry's backlinks are cards too"
    );
    assert_site_is_sound(&public);

    // A runtime error in a fragment is told at its template's line.
    playbook.write(
        "themes/default/templates/card.html",
        "<li>\n{{ e.nope.deeper }}</li>",
    );
    let run = playbook.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("themes/default/templates/card.html:2:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rendering the card of"),
        "{}",
        run.stderr
    );
}
