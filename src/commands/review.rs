//! `playbook review`: the packet of a period — a year, half, quarter or month (`--period`),
//! any dates (`--since/--until`), or by default the `review.period` holding today — printed
//! as Markdown (to paste into a review form), a standalone HTML page (to print on A4 or
//! Letter) or JSON (for other tools; its shape is in the README).

use std::path::PathBuf;

use time::Date;

use crate::content::date;
use crate::error::{Diagnostic, Failure};
use crate::markdown;
use crate::period::{Period, parse_period};
use crate::render::review::{Window, packet, packet_title, to_markdown};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

/// What `--period` takes besides periods: every entry.
pub const ALL_ENTRIES: &str = "all";

#[derive(Clone)]
pub struct ReviewOptions {
    pub root: PathBuf,
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// A `--period` form; checked by the command line already.
    pub period: Option<String>,
    /// The day relative periods count from (default: today).
    pub today: Option<Date>,
    pub format: Format,
}

/// The document, ready to print.
pub fn review(options: &ReviewOptions) -> Result<String, Failure> {
    let playbook = super::load_published(&options.root)?;
    let config = &playbook.config;
    let today = options.today.unwrap_or_else(date::today);
    let (span, what) = match (&options.period, options.since, options.until) {
        (Some(all), _, _) if all.trim().eq_ignore_ascii_case(ALL_ENTRIES) => {
            (Window::of_dates(None, None), "all entries".to_string())
        }
        (Some(period), _, _) => {
            let period = parse_period(period, today)
                .map_err(|message| Failure::one(Diagnostic::general(message)))?;
            (Window::of_period(period), period.label())
        }
        (None, None, None) => {
            let period = Period::containing(config.review_span(), today);
            (Window::of_period(period), period.label())
        }
        (None, since, until) => {
            let span = Window::of_dates(since, until);
            let what = span.label.clone();
            (span, what)
        }
    };
    let title = packet_title(config.owner.as_deref(), &what);
    let packet = packet(&playbook, None, title.clone(), span);
    Ok(match options.format {
        Format::Markdown => to_markdown(&packet),
        Format::Html => html_document(&title, &markdown::render_standalone(&to_markdown(&packet))),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&packet).map_err(|err| {
                Failure::one(Diagnostic::general(format!("could not write JSON: {err}")))
            })?;
            json.push('\n');
            json
        }
    })
}

/// A page that stands alone: no theme, no link, styles for the screen and for printing on
/// A4 or Letter (margins that fit both; headings kept with what follows them).
pub(crate) fn html_document(title: &str, body: &str) -> String {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(title, &mut escaped);
    let title = String::from_utf8_lossy(&escaped);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{title}</title>\n<style>\n\
         body {{ font: 16px/1.55 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}\n\
         h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 1.6rem; break-after: avoid; }} h3 {{ font-size: 1.05rem; break-after: avoid; }}\n\
         li {{ margin: 0.3rem 0; break-inside: avoid; }} blockquote {{ margin: 0.3rem 0; padding-left: 0.8rem; border-left: 3px solid #1a7f37; font-style: italic; }}\n\
         @page {{ margin: 15mm 18mm; }} @media print {{ body {{ margin: 0; max-width: none; font-size: 11pt; }} a {{ color: inherit; text-decoration: none; }} }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}
