//! Encrypted builds: the key derived from the passphrase, the keyed names of pages, and pages
//! sealed into identical shells that decrypt in the browser (WebCrypto: PBKDF2-HMAC-SHA256,
//! AES-256-GCM). Nothing here is hand-made crypto: the RustCrypto crates do the work.
//!
//! Each ciphertext is bound to the name it is published under (the AES-GCM associated data),
//! so one page's ciphertext pasted into another page's file does not open there; and the
//! browser gets the lock's check value, so that it can tell a wrong passphrase (the check
//! differs) from a damaged or changed page (the check matches, the page does not open).

use std::fs;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::Diagnostic;

/// PBKDF2 rounds: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
pub const ITERATIONS: u32 = 600_000;
/// The rounds a lock read back may ask for.
const ROUNDS_ACCEPTED: std::ops::RangeInclusive<u32> = ITERATIONS..=10 * ITERATIONS;
/// The script every shell loads; it also carries the salt, so the next build finds it.
pub const UNLOCK_SCRIPT: &str = "unlock.js";
const UNLOCK_JS: &str = include_str!("unlock.js");
/// HKDF labels of the two keys; `unlock.js` derives both the same way (the second only to
/// compute the check value).
const AES_INFO: &str = "playbook aes-256-gcm";
const MAC_INFO: &str = "playbook hmac-sha256";
/// Pages that keep their names: what a host serves first, and what it serves when a page is
/// missing.
const KEPT_NAMES: [&str; 2] = ["index.html", "404.html"];

/// The lock of an encrypted output: salt and rounds (public), and a value that tells whether
/// a passphrase is the one the output was made with (the build checks it, and so does the
/// browser before it opens a page).
#[derive(Clone, Debug, PartialEq)]
pub struct Lock {
    pub salt: [u8; 16],
    pub iterations: u32,
    pub check: String,
}

impl Lock {
    /// The lock written in `output`'s unlock script by an earlier encrypted build, if any.
    pub fn read(output: &Path) -> Option<Lock> {
        let text = fs::read_to_string(output.join(UNLOCK_SCRIPT)).ok()?;
        let line = text.lines().next()?.strip_prefix("/* playbook-lock ")?;
        let mut salt = None;
        let mut iterations = None;
        let mut check = None;
        for part in line.trim_end_matches("*/").split_whitespace() {
            match part.split_once('=') {
                Some(("salt", hex)) => salt = from_hex(hex).and_then(|b| b.try_into().ok()),
                // Fewer rounds than ours would weaken the site, far more would hang the build:
                // such a lock was not written by playbook.
                Some(("iterations", n)) => {
                    iterations = n.parse().ok().filter(|n| ROUNDS_ACCEPTED.contains(n))
                }
                Some(("check", value)) => check = Some(value.to_string()),
                _ => {}
            }
        }
        Some(Lock {
            salt: salt?,
            iterations: iterations?,
            check: check?,
        })
    }
}

/// Keys derived from a passphrase, and what they do to a build's files.
pub struct Sealer {
    cipher: Aes256Gcm,
    mac_key: [u8; 32],
    lock: Lock,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the keys.
        f.debug_struct("Sealer").field("lock", &self.lock).finish()
    }
}

impl Sealer {
    /// Derives the keys: PBKDF2-HMAC-SHA256 gives 32 bytes, which HKDF-SHA256 expands into an
    /// AES-256-GCM key and an HMAC key (page names, nonces, the check value). `previous` is the output's
    /// lock, if it has one: its salt is kept (so unchanged pages keep their bytes) and the
    /// passphrase must be the same.
    pub fn new(passphrase: &str, previous: Option<&Lock>) -> Result<Sealer, String> {
        Sealer::with_iterations(passphrase, previous, ITERATIONS)
    }

    fn with_iterations(
        passphrase: &str,
        previous: Option<&Lock>,
        new_iterations: u32,
    ) -> Result<Sealer, String> {
        let (salt, iterations) = match previous {
            Some(lock) => (lock.salt, lock.iterations),
            None => {
                let mut salt = [0u8; 16];
                getrandom::fill(&mut salt).map_err(|err| format!("no random salt: {err}"))?;
                (salt, new_iterations)
            }
        };
        // One PBKDF2 block (asking it for more would cost the owner twice the rounds and an
        // attacker no more than once), expanded by HKDF into the two keys.
        let mut master = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), &salt, iterations, &mut master);
        let expand = hkdf::Hkdf::<Sha256>::new(Some(&[]), &master);
        let (mut aes_key, mut mac_key) = ([0u8; 32], [0u8; 32]);
        expand
            .expand(AES_INFO.as_bytes(), &mut aes_key)
            .and_then(|()| expand.expand(MAC_INFO.as_bytes(), &mut mac_key))
            .map_err(|err| err.to_string())?;
        let cipher = Aes256Gcm::new_from_slice(&aes_key).map_err(|err| err.to_string())?;
        let mut sealer = Sealer {
            cipher,
            mac_key,
            lock: Lock {
                salt,
                iterations,
                check: String::new(),
            },
        };
        // What unlock.js computes too, with WebCrypto: HMAC-SHA256 of the length-prefixed
        // "check", first 16 bytes, in hex.
        sealer.lock.check = hex(&sealer.mac(&[b"check"])[..16]);
        if let Some(previous) = previous
            && previous.check != sealer.lock.check
        {
            return Err(
                "this is not the passphrase the output folder was encrypted with: use \
                        that one, or remove the output folder to choose a new one"
                    .into(),
            );
        }
        Ok(sealer)
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("HMAC takes any key");
        for part in parts {
            // Length-prefixed, so that no two different lists of parts read the same.
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The name an encrypted build gives the page at `path`: a keyed hash, in one flat folder,
    /// so names and depths tell nothing; `index.html` and `404.html` keep theirs.
    pub fn page_name(&self, path: &str) -> String {
        if KEPT_NAMES.contains(&path) {
            return path.to_string();
        }
        format!("{}.html", hex(&self.mac(&[b"page", path.as_bytes()])[..16]))
    }

    /// `plaintext` encrypted for the file published as `name` (relative to the output's root:
    /// `page_name`'s answer, or `search-index.js`), as base64 of nonce and ciphertext. `name`
    /// is the associated data, so the ciphertext opens only in that file. The nonce is a keyed
    /// hash of the name and the plaintext: the same page gives the same bytes on every build
    /// (so a copy sends only what changed), and two different plaintexts never share a nonce.
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> Result<String, Diagnostic> {
        let digest = self.mac(&[b"nonce", name.as_bytes(), plaintext]);
        let nonce = Nonce::from_slice(&digest[..12]);
        let payload = Payload {
            msg: plaintext,
            aad: name.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(nonce, payload)
            .map_err(|_| Diagnostic::error(name, "could not encrypt this file"))?;
        let mut sealed = Vec::with_capacity(12 + ciphertext.len());
        sealed.extend_from_slice(nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(BASE64.encode(sealed))
    }

    /// The unlock script, its first line the lock.
    pub fn unlock_script(&self) -> String {
        format!(
            "/* playbook-lock salt={salt} iterations={iterations} check={check} */\n\
             window.PLAYBOOK_LOCK = {{ salt: \"{salt}\", iterations: {iterations}, \
             check: \"{check}\" }};\n{UNLOCK_JS}",
            salt = hex(&self.lock.salt),
            iterations = self.lock.iterations,
            check = self.lock.check
        )
    }

    pub fn lock(&self) -> &Lock {
        &self.lock
    }
}

/// A passphrase or password as the command line got it (from the environment or the
/// terminal); its `Debug` does not show it.
#[derive(Clone, Default, PartialEq)]
pub enum Secret {
    /// Not given: a command that needs it says how to give it.
    #[default]
    Missing,
    Given(String),
    /// Asked for and not had: why (mistyped twice, unreadable terminal, empty variable).
    Refused(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Missing => f.write_str("Missing"),
            Secret::Given(_) => f.write_str("Given(..)"),
            Secret::Refused(why) => f.debug_tuple("Refused").field(why).finish(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Few rounds: these tests are about the format, not the cost.
    fn sealer() -> Sealer {
        Sealer::with_iterations("correct horse", None, 1000).unwrap()
    }

    /// What the browser does: `sealed` opened as the file published as `name`.
    fn open(sealer: &Sealer, name: &str, sealed: &str) -> Option<Vec<u8>> {
        let bytes = BASE64.decode(sealed).ok()?;
        let (nonce, ciphertext) = bytes.split_at_checked(12)?;
        let payload = Payload {
            msg: ciphertext,
            aad: name.as_bytes(),
        };
        sealer
            .cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .ok()
    }

    #[test]
    fn sealing_is_deterministic_and_opens_with_the_key() {
        let sealer = sealer();
        let a = sealer.seal("x.html", b"<p>secret</p>").unwrap();
        assert_eq!(a, sealer.seal("x.html", b"<p>secret</p>").unwrap());
        assert_ne!(a, sealer.seal("y.html", b"<p>secret</p>").unwrap());
        assert_eq!(open(&sealer, "x.html", &a).unwrap(), b"<p>secret</p>");
    }

    #[test]
    fn a_ciphertext_opens_only_under_its_own_name() {
        let sealer = sealer();
        let name = sealer.page_name("advice/x/index.html");
        let sealed = sealer.seal(&name, b"<p>secret</p>").unwrap();
        assert_eq!(open(&sealer, &name, &sealed).unwrap(), b"<p>secret</p>");
        // Pasted into another page's file, or into the dashboard's, it does not open.
        let other = sealer.page_name("advice/y/index.html");
        assert_eq!(open(&sealer, &other, &sealed), None);
        assert_eq!(open(&sealer, "index.html", &sealed), None);
        // Nor once a byte of it is changed.
        let mut bytes = BASE64.decode(&sealed).unwrap();
        bytes[20] ^= 1;
        assert_eq!(open(&sealer, &name, &BASE64.encode(bytes)), None);
    }

    #[test]
    fn the_browser_gets_the_check_value_it_can_compute_with_webcrypto() {
        let sealer = sealer();
        let script = sealer.unlock_script();
        let lock = script.lines().nth(1).unwrap();
        assert!(
            lock.contains(&format!("check: \"{}\"", sealer.lock().check)),
            "{lock}"
        );
        // The steps unlock.js takes, each one WebCrypto has: PBKDF2-HMAC-SHA256 (256 bits),
        // HKDF-SHA256 (empty salt, the MAC label), then HMAC-SHA256 of "check" after its
        // length as 8 bytes little-endian; the first 16 bytes, in hex.
        let mut master = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"correct horse", &sealer.lock().salt, 1000, &mut master);
        let mut mac_key = [0u8; 32];
        hkdf::Hkdf::<Sha256>::new(Some(&[]), &master)
            .expand(b"playbook hmac-sha256", &mut mac_key)
            .unwrap();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&mac_key).unwrap();
        mac.update(&[5, 0, 0, 0, 0, 0, 0, 0]);
        mac.update(b"check");
        let check = hex(&mac.finalize().into_bytes()[..16]);
        assert_eq!(check, sealer.lock().check);
        for step in ["\"playbook hmac-sha256\"", "\"HMAC\"", "\"check\""] {
            assert!(UNLOCK_JS.contains(step), "unlock.js lacks {step}");
        }
    }

    #[test]
    fn page_names_are_keyed_hashes_but_for_the_entry_points() {
        let sealer = sealer();
        let name = sealer.page_name("advice/ask-first/index.html");
        assert_eq!(name.len(), 32 + 5, "{name}");
        assert!(!name.contains("advice"));
        assert_eq!(sealer.page_name("index.html"), "index.html");
        assert_eq!(sealer.page_name("404.html"), "404.html");
    }

    #[test]
    fn the_lock_is_read_back_and_a_different_passphrase_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = sealer();
        let script = first.unlock_script();
        fs::write(dir.path().join(UNLOCK_SCRIPT), &script).unwrap();
        // 1,000 rounds is not a lock playbook writes: refused as one.
        assert_eq!(Lock::read(dir.path()), None);
        let real = script.replacen("iterations=1000 ", &format!("iterations={ITERATIONS} "), 1);
        fs::write(dir.path().join(UNLOCK_SCRIPT), real).unwrap();
        let read = Lock::read(dir.path()).unwrap();
        assert_eq!(
            (read.salt, read.iterations),
            (first.lock().salt, ITERATIONS)
        );

        let lock = first.lock().clone();
        let again = Sealer::new("correct horse", Some(&lock)).unwrap();
        assert_eq!(
            again.page_name("a/index.html"),
            first.page_name("a/index.html")
        );
        let wrong = Sealer::new("battery staple", Some(&lock));
        assert!(wrong.err().unwrap().contains("not the passphrase"));
    }
}
