//! Pages: which pages a playbook has, and each one rendered to bytes with its template. Nothing
//! here touches the disk; `build` hands the bytes to `output`.

mod cards;
mod dashboard;
mod entry;
mod fragment;
pub mod incremental;
mod ladder;
mod lists;
mod practices;
mod prep;
pub mod review;
pub(crate) mod review_pages;
pub mod search;

pub use cards::{Card, make_cards};

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Value};

use crate::content::{KindId, Playbook, Practice, url_slug};
use crate::error::Diagnostic;
use crate::period::Period;
use crate::schema::Section;
use crate::seal::Sealer;
use crate::theme::Theme;
use cards::CardHtml;
use fragment::Fragment;

/// One page of the site and what it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    Dashboard,
    KindList(KindId),
    Entry(usize),
    Tags,
    Tag(usize),
    People,
    Person(usize),
    Prep,
    Search,
    /// `search-index.js`: every entry's searchable text, as a script so that it loads from
    /// file:// too.
    SearchIndex,
    Reviews,
    /// A period's review packet: a year, a half or a quarter.
    Review(Period),
    /// The competencies of the ladder × quarters, with a ladder.
    Ladder,
    Practices,
    /// Position in `Practice::ALL`.
    Practice(usize),
    Timeline,
    NotFound,
}

#[derive(Clone, Debug)]
pub struct Page {
    /// Output path, `/`-separated: `goals/ship-ledger/index.html`.
    pub path: String,
    pub kind: PageKind,
}

/// Every page of the site, cheapest to plan first; rendering order does not matter.
pub fn plan_pages(playbook: &Playbook) -> Vec<Page> {
    let periods = review_pages::periods(playbook);
    // Room for them all at once: at 100,000 entries, growing the list copied it 17 times.
    let mut pages = Vec::with_capacity(
        16 + periods.len()
            + Practice::ALL.len()
            + playbook.config.schema.kinds.len()
            + playbook.tags.len()
            + playbook.people.len()
            + playbook.entries.len(),
    );
    pages.extend([
        Page {
            path: "index.html".into(),
            kind: PageKind::Dashboard,
        },
        Page {
            path: Section::Tags.path("index.html"),
            kind: PageKind::Tags,
        },
        Page {
            path: Section::People.path("index.html"),
            kind: PageKind::People,
        },
        Page {
            path: Section::Timeline.path("index.html"),
            kind: PageKind::Timeline,
        },
        Page {
            path: Section::Practices.path("index.html"),
            kind: PageKind::Practices,
        },
        Page {
            path: Section::Prep.path("index.html"),
            kind: PageKind::Prep,
        },
        Page {
            path: Section::Review.path("index.html"),
            kind: PageKind::Reviews,
        },
        Page {
            path: Section::Search.path("index.html"),
            kind: PageKind::Search,
        },
        Page {
            path: "search-index.js".into(),
            kind: PageKind::SearchIndex,
        },
        Page {
            path: "404.html".into(),
            kind: PageKind::NotFound,
        },
    ]);
    pages.extend(periods.into_iter().map(|period| Page {
        path: Section::Review.path(&format!("{}index.html", period.path())),
        kind: PageKind::Review(period),
    }));
    if !playbook.config.ladder.is_empty() {
        pages.push(Page {
            path: Section::Ladder.path("index.html"),
            kind: PageKind::Ladder,
        });
    }
    pages.extend(Practice::ALL.iter().enumerate().map(|(i, practice)| Page {
        path: Section::Practices.path(&format!("{}/index.html", practice.id())),
        kind: PageKind::Practice(i),
    }));
    let kinds = &playbook.config.schema.kinds;
    pages.extend(kinds.iter().enumerate().map(|(id, kind)| Page {
        path: format!("{}/index.html", kind.folder),
        kind: PageKind::KindList(id),
    }));
    pages.extend(playbook.tags.iter().enumerate().map(|(i, tag)| Page {
        path: Section::Tags.path(&format!("{}/index.html", tag.slug)),
        kind: PageKind::Tag(i),
    }));
    pages.extend(playbook.people.iter().enumerate().map(|(i, person)| Page {
        path: Section::People.path(&format!("{}/index.html", person.slug)),
        kind: PageKind::Person(i),
    }));
    // Serve plans again when an edit adds or drops a page: at 100,000 entries `format!` here
    // was a third of the first step of a tag edit.
    pages.extend(playbook.entries.iter().enumerate().map(|(i, entry)| {
        let mut path = String::with_capacity(entry.key.len() + "/index.html".len());
        path.push_str(&entry.key);
        path.push_str("/index.html");
        Page {
            path,
            kind: PageKind::Entry(i),
        }
    }));
    pages
}

/// How links are written: relative with an explicit `index.html` (works from file:// and any
/// sub-path), or absolute under `--base-url` with pretty folder URLs. In an encrypted build
/// every page is a keyed name in one flat folder.
#[derive(Clone, Debug)]
pub struct Links {
    base_url: Option<String>,
    sealer: Option<Arc<Sealer>>,
}

impl Links {
    pub fn new(base_url: Option<&str>) -> Links {
        Links {
            base_url: base_url
                .map(str::trim)
                .filter(|url| !url.is_empty())
                .map(|url| format!("{}/", url.trim_end_matches('/'))),
            sealer: None,
        }
    }

    /// Links to the keyed page names of an encrypted build.
    pub fn sealed(mut self, sealer: Option<Arc<Sealer>>) -> Links {
        self.sealer = sealer;
        self
    }

    /// Site-relative URL of a folder page (`"goals/x/"`, or `""` for the dashboard); templates
    /// put `root` in front of it.
    pub fn folder(&self, dir: &str) -> String {
        if let Some(sealer) = &self.sealer {
            return sealer.page_name(&format!("{dir}index.html"));
        }
        match self.base_url {
            Some(_) => dir.to_string(),
            None => format!("{dir}index.html"),
        }
    }

    /// What takes a page at output path `path` back to the site root.
    pub fn root_for(&self, path: &str) -> String {
        match &self.base_url {
            Some(base) => base.clone(),
            None if self.sealer.is_some() => String::new(),
            None => "../".repeat(path.matches('/').count()),
        }
    }
}

pub struct Renderer<'a> {
    theme: &'a Theme,
    playbook: &'a Playbook,
    links: Links,
    /// The site and its navigation, as every page's `site`; made once, cloned cheaply per page.
    site: Value,
    /// `cards[i]` is entry `i`'s card, its fragments rendered on first use.
    cards: Vec<Card>,
    /// The day the dashboard counts from: what is overdue, what is going stale.
    today: time::Date,
    /// Search index rows, made beforehand (see `search::search_rows`).
    search_rows: Vec<Arc<str>>,
    /// Packet items, each rendered once and shared by the packets that show it.
    packet_items: review_pages::PacketItems,
}

impl<'a> Renderer<'a> {
    /// A renderer over cards and search rows made beforehand (see `make_cards` and
    /// `search::search_rows`: serve carries over those of unchanged entries); prepares the
    /// site and its navigation, which every page shows.
    pub fn new(
        theme: &'a Theme,
        playbook: &'a Playbook,
        links: Links,
        cards: Vec<Card>,
        search_rows: Vec<Arc<str>>,
    ) -> Renderer<'a> {
        let site = Value::from_serializable(&site_view(playbook, &links));
        Renderer {
            theme,
            playbook,
            links,
            site,
            cards,
            today: crate::content::date::today(),
            search_rows,
            packet_items: review_pages::PacketItems::new(playbook.entries.len()),
        }
    }

    /// The cards and search rows, for the caller to keep or free when it suits it.
    pub fn into_parts(self) -> (Vec<Card>, Vec<Arc<str>>) {
        (self.cards, self.search_rows)
    }

    /// Counts from `today` instead of the build's date (`--today`, for reproducible builds).
    pub fn with_today(mut self, today: time::Date) -> Self {
        self.today = today;
        self
    }

    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        if page.kind == PageKind::SearchIndex {
            return search::index_script(self, &page.path);
        }
        let mut context = Context::new();
        context.insert_value("site", self.site.clone());
        let root = self.links.root_for(&page.path);
        context.insert("root", &root);
        // What fragments spliced into this page put where `root` goes.
        let root = &fragment::escaped_root(&root);
        // The first path segment names the navigation item to mark as current.
        let section = page.path.split_once('/').map_or("", |(first, _)| first);
        context.insert("section", section);
        let template = match page.kind {
            PageKind::Dashboard => dashboard::dashboard(self, &mut context),
            PageKind::NotFound => "404.html",
            PageKind::KindList(kind) => lists::kind_list(self, kind, root, &mut context)?,
            PageKind::Entry(index) => entry::entry_page(self, index, root, &mut context)?,
            PageKind::Tags => lists::tags_index(self, &mut context),
            PageKind::Tag(index) => lists::tag_page(self, index, root, &mut context)?,
            PageKind::People => lists::people_index(self, &mut context),
            PageKind::Person(index) => lists::person_page(self, index, root, &mut context)?,
            PageKind::Timeline => lists::timeline(self, root, &mut context)?,
            PageKind::Practices => practices::practices_index(self, &mut context),
            PageKind::Prep => prep::prep(self, &mut context),
            PageKind::Search | PageKind::SearchIndex => "search.html",
            PageKind::Reviews => review_pages::reviews_index(self, &mut context),
            PageKind::Review(period) => {
                review_pages::review_page(self, period, root, &mut context)?
            }
            PageKind::Ladder => ladder::ladder_page(self, &mut context),
            PageKind::Practice(index) => practices::practice_page(self, index, root, &mut context)?,
        };
        let mut html = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(template, &context, &mut html)
            .map_err(|err| self.template_error(&err, &page.path))?;
        Ok(html)
    }

    /// A template error while rendering `what` (a page's path, a card), located in its
    /// template when tera says where.
    fn template_error(&self, err: &tera::Error, what: &str) -> Diagnostic {
        let mut diagnostic = crate::theme::template_diagnostics(&self.theme.template_sources, err)
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("templates", err.to_string()));
        diagnostic.message = format!("rendering {what}: {}", diagnostic.message);
        diagnostic
    }

    /// Renders `template` as a fragment (see `fragment`) with `context` alone: a fragment is
    /// the same on every page, and is carried over from build to build in serve while its
    /// entry does not change.
    fn fragment(
        &self,
        template: &str,
        mut context: Context,
        what: &str,
    ) -> Result<Fragment, Diagnostic> {
        Fragment::render(&self.theme.tera, template, &mut context)
            .map_err(|err| self.template_error(&err, what))
    }

    /// Entry `index`'s card and timeline row, rendered on first use.
    fn card_html(&self, index: usize) -> Result<&CardHtml, Diagnostic> {
        let card = &self.cards[index];
        card.html(|| {
            let what = format!("the card of {}", self.playbook.entries[index].key);
            let mut context = Context::new();
            context.insert_value("e", self.card_value(index));
            Ok(CardHtml {
                card: self.fragment("card.html", context.clone(), &what)?,
                row: self.fragment("timeline-item.html", context, &what)?,
            })
        })
    }

    /// Renders every card's fragments, in parallel: for a whole site, which shows them all.
    pub fn render_cards(&self) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        (0..self.cards.len())
            .into_par_iter()
            .try_for_each(|i| self.card_html(i).map(drop))
    }

    /// The cards of entries `indexes` as one piece of HTML, for `root`.
    fn cards_html(&self, indexes: &[usize], root: &str) -> Result<String, Diagnostic> {
        self.joined(indexes, root, |html| &html.card)
    }

    /// The timeline rows of entries `indexes` as one piece of HTML, for `root`.
    fn rows_html(&self, indexes: &[usize], root: &str) -> Result<String, Diagnostic> {
        self.joined(indexes, root, |html| &html.row)
    }

    fn joined(
        &self,
        indexes: &[usize],
        root: &str,
        which: fn(&CardHtml) -> &Fragment,
    ) -> Result<String, Diagnostic> {
        let cards: Vec<&CardHtml> = (indexes.iter())
            .map(|&i| self.card_html(i))
            .collect::<Result<_, _>>()?;
        Ok(fragment::join(cards.into_iter().map(which), root))
    }

    /// Entry `index`'s card as templates see it (`e`).
    fn card_value(&self, index: usize) -> Value {
        let entry = &self.playbook.entries[index];
        cards::card_value(entry, &self.playbook.config.schema, &self.links)
    }

    /// The cards of entries `indexes` as values, for templates that loop over them.
    fn cards_of(&self, indexes: &[usize]) -> Value {
        Value::from(
            (indexes.iter())
                .map(|&i| self.card_value(i))
                .collect::<Vec<_>>(),
        )
    }

    fn person_link(&self, id: &'a str) -> PersonView<'a> {
        let config = &self.playbook.config;
        PersonView {
            id,
            name: config.person_name(id),
            role: config.people.get(id).and_then(|p| p.role.as_deref()),
            url: self
                .links
                .folder(&Section::People.path(&format!("{}/", url_slug(id)))),
            is_boss: config.boss.as_deref() == Some(id),
        }
    }
}

#[derive(Serialize)]
struct PersonView<'a> {
    id: &'a str,
    name: &'a str,
    role: Option<&'a str>,
    url: String,
    is_boss: bool,
}

#[derive(Serialize)]
struct NavItem<'a> {
    section: &'a str,
    label: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    owner: Option<&'a str>,
    boss: Option<&'a str>,
    home: String,
    kinds: Vec<NavItem<'a>>,
    tags_url: String,
    people_url: String,
    timeline_url: String,
    practices_url: String,
    prep_url: String,
    review_url: String,
    /// With a ladder.
    ladder_url: Option<String>,
    search_url: String,
    stylesheet: &'static str,
}

fn site_view<'a>(playbook: &'a Playbook, links: &Links) -> SiteView<'a> {
    let config = &playbook.config;
    SiteView {
        title: &config.title,
        owner: config.owner.as_deref(),
        boss: config.boss.as_deref().map(|id| config.person_name(id)),
        home: links.folder(""),
        kinds: config
            .schema
            .kinds
            .iter()
            .zip(playbook.by_kind.iter())
            .map(|(kind, entries)| NavItem {
                section: &kind.folder,
                label: &kind.plural,
                url: links.folder(&format!("{}/", kind.folder)),
                count: entries.len(),
            })
            .collect(),
        tags_url: links.folder(&Section::Tags.path("")),
        people_url: links.folder(&Section::People.path("")),
        timeline_url: links.folder(&Section::Timeline.path("")),
        practices_url: links.folder(&Section::Practices.path("")),
        prep_url: links.folder(&Section::Prep.path("")),
        review_url: links.folder(&Section::Review.path("")),
        ladder_url: (!playbook.config.ladder.is_empty())
            .then(|| links.folder(&Section::Ladder.path(""))),
        search_url: links.folder(&Section::Search.path("")),
        stylesheet: "style.css",
    }
}

/// `robots.txt`: the playbook is private, so every crawler is asked to stay out.
pub const ROBOTS_TXT: &str = "User-agent: *\nDisallow: /\n";

/// The files of the site that are not rendered: the theme's static files and robots.txt.
pub fn static_files(theme: &Theme) -> impl Iterator<Item = (&str, &[u8])> {
    theme
        .assets
        .iter()
        .map(|asset| (asset.path.as_str(), &asset.bytes[..]))
        .chain([("robots.txt", ROBOTS_TXT.as_bytes())])
}
