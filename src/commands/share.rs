//! `playbook share`: one review packet or one entry as a single self-contained HTML file —
//! styles and the unlock script inline, nothing loaded from anywhere, no link into the rest of
//! the playbook — encrypted under a passphrase of its own, to send to a manager or a mentor
//! (as an e-mail attachment, or opened from file://). The same unlock as an encrypted site.

use std::path::{Path, PathBuf};

use super::edit::{Found, find_entry};
use super::load_published;
use super::review::{Format, ReviewOptions, html_document, review};
use crate::content::front_matter::split_front_matter;
use crate::error::{Diagnostic, Failure};
use crate::markdown;
use crate::seal::{Sealer, Secret, check_strength};

/// The name a shared file's text is sealed under: whatever the file is called once saved or
/// attached, it opens (a site page's is its own file name, which its ciphertext is bound to).
pub const SHARED_NAME: &str = "shared";

/// What to share.
pub enum What {
    /// A review packet: `--period`, or `--since`/`--until` (as `playbook review`).
    Review(ReviewOptions),
    /// The entry an `edit`-style query names.
    Entry(String),
}

pub struct ShareOptions {
    pub root: PathBuf,
    pub what: What,
    pub output: PathBuf,
    /// `PLAYBOOK_SHARE_PASSPHRASE`, or asked twice.
    pub passphrase: Secret,
    /// Take a passphrase zxcvbn calls easy to guess.
    pub weak_passphrase_ok: bool,
}

/// Writes the shared file; returns what it holds, for the command's one line.
pub fn share(options: &ShareOptions) -> Result<String, Failure> {
    let passphrase = match &options.passphrase {
        Secret::Given(passphrase) if !passphrase.is_empty() => passphrase,
        Secret::Refused(why) => return Err(general(why.clone())),
        _ => {
            return Err(general(
                "a shared file needs its own passphrase: set PLAYBOOK_SHARE_PASSPHRASE, or run \
                 share at a terminal to be asked"
                    .into(),
            ));
        }
    };
    if !options.weak_passphrase_ok {
        check_strength(passphrase).map_err(general)?;
    }
    let (title, page) = match &options.what {
        What::Review(review_options) => {
            let page = review(&ReviewOptions {
                format: Format::Html,
                ..review_options.clone()
            })?;
            ("review packet".to_string(), page)
        }
        What::Entry(query) => entry_page(&options.root, query)?,
    };
    let file = sealed_file(passphrase, &page).map_err(general)?;
    write_file(&options.output, file.as_bytes())?;
    Ok(title)
}

fn general(message: String) -> Failure {
    Failure::one(Diagnostic::general(message))
}

/// The standalone page of the entry `query` names: its title, kind, date, people and body,
/// links and images as their text.
fn entry_page(root: &Path, query: &str) -> Result<(String, String), Failure> {
    let rel = match find_entry(root, query)? {
        Found::One(rel) => rel,
        Found::Several(found) => {
            let names: Vec<String> = found
                .iter()
                .map(|(path, title)| format!("{} ({title})", path.display()))
                .collect();
            return Err(general(format!(
                "`{query}` matches {} entries; name one: {}",
                found.len(),
                names.join(", ")
            )));
        }
        Found::None => return Err(general(format!("no entry matches `{query}`"))),
    };
    let playbook = load_published(root)?;
    let Some(entry) = playbook.entries.iter().find(|e| e.source == rel) else {
        return Err(general(format!(
            "{} is a draft or does not build: only what the site shows can be shared",
            rel.display()
        )));
    };
    let text = crate::text::read_text_file(&root.join(&rel), &rel, 8 * 1024 * 1024, "an entry")?;
    let body = split_front_matter(&text)
        .map(|split| split.body.to_string())
        .unwrap_or_default();
    let config = &playbook.config;
    let kind = &config.schema.kind(entry.kind).label;
    let people: Vec<&str> = entry
        .people
        .iter()
        .map(|id| config.person_name(id))
        .collect();
    let mut markdown = format!("# {}\n\n*{kind}, {}*", entry.title, entry.date.long());
    if !people.is_empty() {
        markdown.push_str(&format!(" · {}", people.join(", ")));
    }
    markdown.push_str("\n\n");
    let html = markdown::render_standalone(&markdown) + &markdown::render_standalone(&body);
    Ok((entry.key.clone(), html_document(&entry.title, &html)))
}

/// The whole shared file: a page that asks for the passphrase and opens `page`, sealed under
/// a key of its own.
pub fn sealed_file(passphrase: &str, page: &str) -> Result<String, String> {
    let sealer = Sealer::create(passphrase, false)?;
    let sealed = sealer
        .seal(SHARED_NAME, page.as_bytes())
        .map_err(|diagnostic| diagnostic.message)?;
    // The lock names what the text is sealed under (a site's pages go by their file names).
    let script = sealer.unlock_script().replacen(
        "window.PLAYBOOK_LOCK = {",
        &format!("window.PLAYBOOK_LOCK = {{ name: \"{SHARED_NAME}\","),
        1,
    );
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <title>Shared from a playbook</title>\n<style>\n{LOCKED_STYLE}</style>\n</head>\n<body>\n\
         <form id=\"unlock\" hidden>\n\
         <label for=\"passphrase\">Shared privately. Passphrase:</label>\n\
         <input id=\"passphrase\" type=\"password\" autocomplete=\"off\" required autofocus>\n\
         <button type=\"submit\">Open</button>\n<p id=\"unlock-error\" role=\"alert\"></p>\n</form>\n\
         <noscript>This file is encrypted; reading it needs JavaScript.</noscript>\n\
         <script type=\"application/octet-stream\" id=\"sealed\">{sealed}</script>\n\
         <script>\n{script}\n</script>\n</body>\n</html>\n"
    ))
}

/// The unlock form's look, as the site's locked pages have it.
const LOCKED_STYLE: &str = "body{font:1rem/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f5f2;color:#1f2328}\n\
form{max-width:22rem;padding:1.5rem;border:1px solid #c9c4ba;border-radius:.5rem;background:#fff}\n\
input{font:inherit;width:100%;box-sizing:border-box;padding:.4rem;margin:.5rem 0}\n\
button{font:inherit;padding:.4rem 1rem}\n\
#unlock-error{color:#a40e26;min-height:1.5em;margin:.5rem 0 0}\n";

/// Writes beside the destination and renames over it, so that an interrupted share leaves
/// no half file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |err: std::io::Error| Failure::one(Diagnostic::io(path, "write", &err));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(io)?;
    temp.persist(path).map_err(|err| io(err.error))?;
    Ok(())
}
