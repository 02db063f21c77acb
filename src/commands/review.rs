//! `playbook review`: the brag document of a period, printed as Markdown (to paste into a
//! review form) or as a standalone HTML page (to print).

use std::path::PathBuf;

use time::Date;

use crate::content::date::iso_day;
use crate::error::Failure;
use crate::markdown;
use crate::render::Links;
use crate::render::review::{packet, to_markdown};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

pub struct ReviewOptions {
    pub root: PathBuf,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub format: Format,
}

/// The document, ready to print.
pub fn review(options: &ReviewOptions) -> Result<String, Failure> {
    let playbook = super::load_published(&options.root)?;
    let playbook = &playbook;
    let period = match (options.since, options.until) {
        (Some(since), Some(until)) => format!("{} to {}", iso_day(since), iso_day(until)),
        (Some(since), None) => format!("since {}", iso_day(since)),
        (None, Some(until)) => format!("until {}", iso_day(until)),
        (None, None) => "all entries".to_string(),
    };
    let title = match &playbook.config.owner {
        Some(owner) => format!("{owner}: review packet, {period}"),
        None => format!("Review packet, {period}"),
    };
    let packet = packet(
        playbook,
        &Links::new(None),
        title.clone(),
        options.since,
        options.until,
    );
    let text = to_markdown(&packet);
    Ok(match options.format {
        Format::Markdown => text,
        Format::Html => html_document(&title, &markdown::render_html(&text)),
    })
}

/// A page that stands alone: no theme, no link, styles for the screen and for A4 and Letter.
pub(crate) fn html_document(title: &str, body: &str) -> String {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(title, &mut escaped);
    let title = String::from_utf8_lossy(&escaped);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{title}</title>\n<style>\n\
         body {{ font: 16px/1.55 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}\n\
         h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 1.6rem; break-after: avoid; }}\n\
         li {{ margin: 0.3rem 0; break-inside: avoid; }} blockquote {{ margin: 0.3rem 0; padding-left: 0.8rem; border-left: 3px solid #1a7f37; font-style: italic; }}\n\
         @page {{ margin: 18mm; }} @media print {{ body {{ margin: 0; max-width: none; font-size: 11pt; }} }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}
