//! Reading a text file safely (regular files only, a size cap, UTF-8, no NUL byte), and
//! positions in text. Entries and playbook.yaml are both read through here.

use std::io::Read;
use std::path::Path;

use crate::error::Diagnostic;

/// Reads `path` (shown as `rel`) as UTF-8 text of at most `max_bytes`, refusing what is not a
/// regular file (a pipe or a device would block or never end), larger files, invalid UTF-8 and
/// NUL bytes, each at a line and column. The cap holds while reading, should the file grow.
pub fn read_text_file(
    path: &Path,
    rel: &Path,
    max_bytes: u64,
    what: &str,
) -> Result<String, Diagnostic> {
    let io_error = |err: &std::io::Error| Diagnostic::io(rel, "read", err).at(1, 1);
    let too_large = || {
        Diagnostic::error(
            rel,
            format!(
                "file is larger than {} MiB, the most {what} may be",
                max_bytes / (1024 * 1024)
            ),
        )
        .at(1, 1)
    };
    let metadata = std::fs::metadata(path).map_err(|err| io_error(&err))?;
    if !metadata.is_file() {
        let what_it_is = match metadata.is_dir() {
            true => "a folder",
            false => "not a regular file (a pipe, socket or device)",
        };
        return Err(
            Diagnostic::error(rel, format!("{what_it_is}; {what} is a text file")).at(1, 1),
        );
    }
    if metadata.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::fs::File::open(path)
        .and_then(|file| file.take(max_bytes + 1).read_to_end(&mut bytes))
        .map_err(|err| io_error(&err))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let (line, column) = line_and_column(err.as_bytes(), at);
            return Err(Diagnostic::error(
                rel,
                "file is not valid UTF-8: save it with UTF-8 encoding",
            )
            .at(line, column));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = line_and_column(text.as_bytes(), at);
        return Err(
            Diagnostic::error(rel, "file contains a NUL byte; is it a binary file?")
                .at(line, column),
        );
    }
    Ok(text)
}

/// 1-based line and column (in characters) of byte `offset` of `bytes`, which may hold
/// invalid UTF-8 after the offset.
pub fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}
