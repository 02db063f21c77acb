//! Encrypted builds: a random site key wrapped in keyslots (one per passphrase), the keys
//! derived from the site key, the keyed names of pages, and pages sealed into identical shells
//! that decrypt in the browser (WebCrypto: PBKDF2-HMAC-SHA256, AES-256-GCM). Nothing here is
//! hand-made crypto: the RustCrypto crates do the work.
//!
//! As LUKS does, pages are encrypted under a random 32-byte site key, and each passphrase has a
//! keyslot: its own salt, PBKDF2 turning the passphrase into a key-encryption key, and the
//! site key wrapped with it (AES-256-GCM). Adding, changing or removing a passphrase rewrites
//! the slots in `unlock.js` and no page. Each ciphertext is bound to the name it is published
//! under (the AES-GCM associated data), so one page's ciphertext pasted into another page's
//! file does not open there; and the browser gets the lock's check value, so that it can tell
//! a key that does not belong to this site (the check differs) from a damaged or changed page
//! (the check matches, the page does not open).

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
/// The script every shell loads; it also carries the lock, so the next build finds it.
pub const UNLOCK_SCRIPT: &str = "unlock.js";
const UNLOCK_JS: &str = include_str!("unlock.js");
/// The start of the lock's line in `unlock.js`, of any version.
const LOCK_LINE: &str = "/* playbook-lock ";
/// The start of the lock's line this playbook writes and reads.
const LOCK_LINE_V2: &str = "/* playbook-lock v2 ";
/// HKDF labels of the two keys; `unlock.js` derives both the same way (the second only to
/// compute the check value).
const AES_INFO: &str = "playbook aes-256-gcm";
const MAC_INFO: &str = "playbook hmac-sha256";
/// The associated data of every wrapped site key; `unlock.js` uses it too.
const SLOT_AAD: &str = "playbook keyslot";
/// The weakest passphrase strength (zxcvbn's score, 0 to 4) accepted for a new passphrase.
pub const STRENGTH_WANTED: u8 = 3;
/// Pages that keep their names: what a host serves first, and what it serves when a page is
/// missing.
const KEPT_NAMES: [&str; 2] = ["index.html", "404.html"];

/// The random key every page of a site is encrypted under; its `Debug` does not show it.
#[derive(Clone, PartialEq)]
pub struct SiteKey([u8; 32]);

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SiteKey(..)")
    }
}

impl SiteKey {
    /// A new key, from the system's random source.
    pub fn random() -> Result<SiteKey, String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|err| format!("no random site key: {err}"))?;
        Ok(SiteKey(key))
    }
}

/// One passphrase's way to the site key: a salt and rounds (public), and the site key wrapped
/// with the key PBKDF2 makes of the passphrase (random nonce, then the AES-256-GCM ciphertext).
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    pub salt: [u8; 16],
    pub iterations: u32,
    /// Nonce (12 bytes) and ciphertext of the site key (32 bytes and a 16-byte tag).
    pub wrapped: Vec<u8>,
}

impl Slot {
    /// A slot that opens `key` with `passphrase`: new random salt and nonce.
    pub fn new(key: &SiteKey, passphrase: &str) -> Result<Slot, String> {
        Slot::with_iterations(key, passphrase, ITERATIONS)
    }

    fn with_iterations(key: &SiteKey, passphrase: &str, iterations: u32) -> Result<Slot, String> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut salt)
            .and_then(|()| getrandom::fill(&mut nonce))
            .map_err(|err| format!("no random salt: {err}"))?;
        let kek = key_encryption_key(passphrase, &salt, iterations)?;
        let payload = Payload {
            msg: &key.0,
            aad: SLOT_AAD.as_bytes(),
        };
        let ciphertext = kek
            .encrypt(Nonce::from_slice(&nonce), payload)
            .map_err(|_| "could not wrap the site key".to_string())?;
        let mut wrapped = nonce.to_vec();
        wrapped.extend_from_slice(&ciphertext);
        Ok(Slot {
            salt,
            iterations,
            wrapped,
        })
    }

    /// The site key, if `passphrase` is this slot's.
    fn open(&self, passphrase: &str) -> Option<SiteKey> {
        let kek = key_encryption_key(passphrase, &self.salt, self.iterations).ok()?;
        let (nonce, ciphertext) = self.wrapped.split_at_checked(12)?;
        let payload = Payload {
            msg: ciphertext,
            aad: SLOT_AAD.as_bytes(),
        };
        let key = kek.decrypt(Nonce::from_slice(nonce), payload).ok()?;
        key.try_into().ok().map(SiteKey)
    }

    /// `salt:iterations:base64`, as the lock's first line has it.
    fn to_text(&self) -> String {
        format!(
            "{}:{}:{}",
            hex(&self.salt),
            self.iterations,
            BASE64.encode(&self.wrapped)
        )
    }

    fn from_text(text: &str) -> Option<Slot> {
        let mut parts = text.split(':');
        let salt = from_hex(parts.next()?)?.try_into().ok()?;
        // Fewer rounds than ours would weaken the site, far more would hang the build: such
        // a slot was not written by playbook.
        let iterations = parts
            .next()?
            .parse()
            .ok()
            .filter(|n| ROUNDS_ACCEPTED.contains(n))?;
        let wrapped = BASE64.decode(parts.next()?).ok()?;
        (parts.next().is_none() && wrapped.len() == 12 + 32 + 16).then_some(Slot {
            salt,
            iterations,
            wrapped,
        })
    }
}

/// PBKDF2-HMAC-SHA256 of the passphrase (one 32-byte block) as an AES-256-GCM key.
fn key_encryption_key(passphrase: &str, salt: &[u8], iterations: u32) -> Result<Aes256Gcm, String> {
    let mut kek = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, iterations, &mut kek);
    Aes256Gcm::new_from_slice(&kek).map_err(|err| err.to_string())
}

/// The lock of an encrypted output: its keyslots, whether the browser may remember the key,
/// and a value that tells whether a site key is this site's (the build checks it, and so does
/// the browser before it opens a page).
#[derive(Clone, Debug, PartialEq)]
pub struct Lock {
    pub check: String,
    pub remember: bool,
    pub slots: Vec<Slot>,
}

/// What an output folder's `unlock.js` says of its lock.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// No lock: not an encrypted build.
    Nothing,
    /// A lock this playbook reads.
    Lock(Lock),
    /// A lock of an earlier playbook (one passphrase, no keyslots), or one that does not
    /// read: the output is encrypted but cannot be rebuilt in place.
    Unreadable,
}

/// What to say when an output's lock is of an earlier format or does not read.
pub const UNREADABLE_LOCK: &str = "this folder holds an encrypted build whose lock this \
    playbook does not read (an earlier playbook's, before keyslots): remove the folder and \
    build again (the passphrase may stay the same; every page changes once)";

impl Lock {
    /// The lock written in `output`'s unlock script by an earlier encrypted build, if it is one
    /// this playbook reads.
    pub fn read(output: &Path) -> Option<Lock> {
        match Lock::find(output) {
            Found::Lock(lock) => Some(lock),
            _ => None,
        }
    }

    /// What `output`'s unlock script holds.
    pub fn find(output: &Path) -> Found {
        let Ok(text) = fs::read_to_string(output.join(UNLOCK_SCRIPT)) else {
            return Found::Nothing;
        };
        match text.lines().next() {
            Some(line) if line.starts_with(LOCK_LINE) => {
                Lock::parse(line).map_or(Found::Unreadable, Found::Lock)
            }
            _ => Found::Nothing,
        }
    }

    /// The lock in its first line: `/* playbook-lock v2 check=… remember=0|1 slots=…,… */`.
    fn parse(line: &str) -> Option<Lock> {
        let line = line.strip_prefix(LOCK_LINE_V2)?.strip_suffix("*/")?;
        let mut check = None;
        let mut remember = None;
        let mut slots = None;
        for part in line.split_whitespace() {
            match part.split_once('=') {
                Some(("check", value))
                    if value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    check = Some(value.to_string())
                }
                Some(("remember", "0")) => remember = Some(false),
                Some(("remember", "1")) => remember = Some(true),
                Some(("slots", list)) => {
                    slots = list
                        .split(',')
                        .map(Slot::from_text)
                        .collect::<Option<Vec<_>>>()
                }
                _ => {}
            }
        }
        let slots = slots.filter(|slots| !slots.is_empty())?;
        Some(Lock {
            check: check?,
            remember: remember?,
            slots,
        })
    }

    /// The site key and the index of the slot `passphrase` opens (each slot tried in turn,
    /// each costing its PBKDF2 rounds); else the error a build or command shows.
    pub fn open(&self, passphrase: &str) -> Result<(SiteKey, usize), String> {
        for (index, slot) in self.slots.iter().enumerate() {
            if let Some(key) = slot.open(passphrase) {
                if check_of(&key)? != self.check {
                    return Err(
                        "the lock in unlock.js is damaged: its key does not match its \
                                check value; remove the output folder and build again"
                            .into(),
                    );
                }
                return Ok((key, index));
            }
        }
        Err(format!(
            "this is not the passphrase the output folder was encrypted with (nor one added \
             since; {} tried): use one of them, or remove the output folder to choose a new one",
            match self.slots.len() {
                1 => "1 keyslot".to_string(),
                n => format!("{n} keyslots"),
            }
        ))
    }
}

/// The check value of `key`: HMAC-SHA256 (with the HKDF-derived MAC key) of the
/// length-prefixed "check", first 16 bytes, in hex.
fn check_of(key: &SiteKey) -> Result<String, String> {
    let (_, mac_key) = expand(key)?;
    Ok(hex(&mac(&mac_key, &[b"check"])[..16]))
}

/// HKDF-SHA256 (empty salt) of the site key: the AES-256-GCM key and the HMAC key.
fn expand(key: &SiteKey) -> Result<([u8; 32], [u8; 32]), String> {
    let expand = hkdf::Hkdf::<Sha256>::new(Some(&[]), &key.0);
    let (mut aes_key, mut mac_key) = ([0u8; 32], [0u8; 32]);
    expand
        .expand(AES_INFO.as_bytes(), &mut aes_key)
        .and_then(|()| expand.expand(MAC_INFO.as_bytes(), &mut mac_key))
        .map_err(|err| err.to_string())?;
    Ok((aes_key, mac_key))
}

fn mac(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length: this never fails.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    for part in parts {
        // Length-prefixed, so that no two different lists of parts read the same.
        mac.update(&(part.len() as u64).to_le_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Refuses a new passphrase that zxcvbn scores below [`STRENGTH_WANTED`], with its warning
/// and suggestions.
pub fn check_strength(passphrase: &str) -> Result<(), String> {
    let estimate = zxcvbn::zxcvbn(passphrase, &["playbook"]);
    let score = u8::from(estimate.score());
    if score >= STRENGTH_WANTED {
        return Ok(());
    }
    let mut why = Vec::new();
    if let Some(feedback) = estimate.feedback() {
        why.extend(feedback.warning().map(|warning| warning.to_string()));
        why.extend(feedback.suggestions().iter().map(|s| s.to_string()));
    }
    let why = match why.is_empty() {
        true => String::new(),
        false => format!(" ({})", why.join(" ")),
    };
    Err(format!(
        "this passphrase is too easy to guess: strength {score} of 4, {STRENGTH_WANTED} wanted{why}; \
         anyone with the files can try guesses offline, so choose a longer one (several \
         unrelated words), or pass --weak-passphrase-ok to use it anyway; nothing was written"
    ))
}

/// Keys derived from the site key, and what they do to a build's files.
pub struct Sealer {
    /// AES-256-GCM for pages: ring's, whose GHASH works on several blocks at once (RustCrypto's
    /// aes-gcm 0.10 does one, and sealing was a seventh of an encrypted build). The same
    /// standard cipher as the keyslots' and WebCrypto's.
    pages: ring::aead::LessSafeKey,
    mac_key: [u8; 32],
    lock: Lock,
    /// Page names already made: every page links to the same few dozen pages.
    page_names: std::sync::RwLock<std::collections::HashMap<String, String>>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the keys.
        f.debug_struct("Sealer").field("lock", &self.lock).finish()
    }
}

impl Sealer {
    /// Derives the keys: HKDF-SHA256 expands the site key into an AES-256-GCM key and an HMAC
    /// key (page names, nonces, the check value). The lock gets `slots` and `remember`.
    pub fn new(key: &SiteKey, remember: bool, slots: Vec<Slot>) -> Result<Sealer, String> {
        let (aes_key, mac_key) = expand(key)?;
        let pages = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &aes_key)
            .map_err(|_| "could not make the page key".to_string())?;
        // What unlock.js computes too, with WebCrypto.
        let check = hex(&mac(&mac_key, &[b"check"])[..16]);
        Ok(Sealer {
            pages: ring::aead::LessSafeKey::new(pages),
            mac_key,
            lock: Lock {
                check,
                remember,
                slots,
            },
            page_names: Default::default(),
        })
    }

    /// The keys of an output's lock opened with `passphrase`: the same site key and slots (so
    /// unchanged pages keep their bytes), `remember` as configured now.
    pub fn open(lock: &Lock, passphrase: &str, remember: bool) -> Result<Sealer, String> {
        let (key, _) = lock.open(passphrase)?;
        Sealer::new(&key, remember, lock.slots.clone())
    }

    /// A new site key and one slot, for `passphrase`.
    pub fn create(passphrase: &str, remember: bool) -> Result<Sealer, String> {
        let key = SiteKey::random()?;
        let slot = Slot::new(&key, passphrase)?;
        Sealer::new(&key, remember, vec![slot])
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        mac(&self.mac_key, parts)
    }

    /// The name an encrypted build gives the page at `path`: a keyed hash, in one flat folder,
    /// so names and depths tell nothing; `index.html` and `404.html` keep theirs.
    pub fn page_name(&self, path: &str) -> String {
        if KEPT_NAMES.contains(&path) {
            return path.to_string();
        }
        let known = |names: &std::collections::HashMap<String, String>| names.get(path).cloned();
        if let Some(name) = self.page_names.read().ok().and_then(|names| known(&names)) {
            return name;
        }
        let name = format!("{}.html", hex(&self.mac(&[b"page", path.as_bytes()])[..16]));
        if let Ok(mut names) = self.page_names.write() {
            names.insert(path.to_string(), name.clone());
        }
        name
    }

    /// `plaintext` encrypted for the file published as `name` (relative to the output's root:
    /// `page_name`'s answer, or `search-index.js`), as base64 of nonce and ciphertext. `name`
    /// is the associated data, so the ciphertext opens only in that file. The nonce is a keyed
    /// hash of the name and the plaintext: the same page gives the same bytes on every build
    /// (so a copy sends only what changed), and two different plaintexts never share a nonce.
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> Result<String, Diagnostic> {
        let mut sealed = String::new();
        self.seal_into(name, plaintext, &mut sealed)?;
        Ok(sealed)
    }

    /// `seal`, appended to `out`: encrypted in place in one buffer and encoded straight into
    /// `out`, since every page of an encrypted build goes through here.
    pub fn seal_into(
        &self,
        name: &str,
        plaintext: &[u8],
        out: &mut String,
    ) -> Result<(), Diagnostic> {
        let digest = self.mac(&[b"nonce", name.as_bytes(), plaintext]);
        let mut nonce = [0; 12];
        nonce.copy_from_slice(&digest[..12]);
        // Nonce, ciphertext and tag: what `Aead::encrypt` gives after the nonce.
        let mut sealed = Vec::with_capacity(12 + plaintext.len() + 16);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(plaintext);
        // The nonce is unique to the name and the bytes (a MAC of both): the same page sealed
        // again is the same file, and no two different pages share one.
        let tag = self
            .pages
            .seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce),
                ring::aead::Aad::from(name.as_bytes()),
                &mut sealed[12..],
            )
            .map_err(|_| Diagnostic::error(name, "could not encrypt this file"))?;
        sealed.extend_from_slice(tag.as_ref());
        BASE64.encode_string(&sealed, out);
        Ok(())
    }

    /// The unlock script: its first line the lock (what the next build and `playbook
    /// passphrase` read), its second the same for the script.
    pub fn unlock_script(&self) -> String {
        let lock = &self.lock;
        let line: Vec<String> = lock.slots.iter().map(Slot::to_text).collect();
        let slots: Vec<String> = lock
            .slots
            .iter()
            .map(|slot| {
                format!(
                    "{{ salt: \"{}\", iterations: {}, wrapped: \"{}\" }}",
                    hex(&slot.salt),
                    slot.iterations,
                    BASE64.encode(&slot.wrapped)
                )
            })
            .collect();
        format!(
            "{LOCK_LINE_V2}check={check} remember={remember_bit} slots={line} */\n\
             window.PLAYBOOK_LOCK = {{ check: \"{check}\", remember: {remember}, slots: [{slots}] }};\n\
             {UNLOCK_JS}",
            check = lock.check,
            remember_bit = u8::from(lock.remember),
            line = line.join(","),
            remember = lock.remember,
            slots = slots.join(", "),
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

    const KEY: SiteKey = SiteKey([7; 32]);

    /// Few rounds: these tests are about the format, not the cost.
    fn slot(passphrase: &str) -> Slot {
        Slot::with_iterations(&KEY, passphrase, 1000).unwrap()
    }

    fn sealer() -> Sealer {
        Sealer::new(&KEY, false, vec![slot("correct horse")]).unwrap()
    }

    /// What the browser does: `sealed` opened as the file published as `name`, with the page
    /// key of `KEY` (the site key of every sealer here).
    fn open(name: &str, sealed: &str) -> Option<Vec<u8>> {
        let bytes = BASE64.decode(sealed).ok()?;
        let (nonce, ciphertext) = bytes.split_at_checked(12)?;
        let payload = Payload {
            msg: ciphertext,
            aad: name.as_bytes(),
        };
        // RustCrypto's AES-GCM, not the ring one that sealed it: two implementations agree.
        let (aes_key, _) = expand(&KEY).unwrap();
        Aes256Gcm::new_from_slice(&aes_key)
            .unwrap()
            .decrypt(Nonce::from_slice(nonce), payload)
            .ok()
    }

    #[test]
    fn sealing_is_deterministic_and_opens_with_the_key() {
        let sealer = sealer();
        let a = sealer.seal("x.html", b"<p>secret</p>").unwrap();
        assert_eq!(a, sealer.seal("x.html", b"<p>secret</p>").unwrap());
        assert_ne!(a, sealer.seal("y.html", b"<p>secret</p>").unwrap());
        assert_eq!(open("x.html", &a).unwrap(), b"<p>secret</p>");
        // The slots are not part of the keys: other slots, the same bytes.
        let other = Sealer::new(&KEY, true, vec![slot("a"), slot("b")]).unwrap();
        assert_eq!(a, other.seal("x.html", b"<p>secret</p>").unwrap());
    }

    #[test]
    fn a_ciphertext_opens_only_under_its_own_name() {
        let sealer = sealer();
        let name = sealer.page_name("advice/x/index.html");
        let sealed = sealer.seal(&name, b"<p>secret</p>").unwrap();
        assert_eq!(open(&name, &sealed).unwrap(), b"<p>secret</p>");
        // Pasted into another page's file, or into the dashboard's, it does not open.
        let other = sealer.page_name("advice/y/index.html");
        assert_eq!(open(&other, &sealed), None);
        assert_eq!(open("index.html", &sealed), None);
        // Nor once a byte of it is changed.
        let mut bytes = BASE64.decode(&sealed).unwrap();
        bytes[20] ^= 1;
        assert_eq!(open(&name, &BASE64.encode(bytes)), None);
    }

    #[test]
    fn the_browser_gets_the_slots_and_check_value_it_can_use_with_webcrypto() {
        let sealer = sealer();
        let script = sealer.unlock_script();
        let lock = script.lines().nth(1).unwrap();
        assert!(
            lock.contains(&format!("check: \"{}\"", sealer.lock().check)),
            "{lock}"
        );
        let slot = &sealer.lock().slots[0];
        assert!(
            lock.contains(&format!(
                "slots: [{{ salt: \"{}\", iterations: 1000, wrapped: \"{}\" }}]",
                hex(&slot.salt),
                BASE64.encode(&slot.wrapped)
            )),
            "{lock}"
        );
        assert!(lock.contains("remember: false"), "{lock}");
        // The steps unlock.js takes, each one WebCrypto has. The slot: PBKDF2-HMAC-SHA256
        // (256 bits) of the passphrase, as an AES-GCM key that opens the wrapped site key
        // (nonce first, the slot label as associated data).
        let mut kek = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"correct horse", &slot.salt, 1000, &mut kek);
        let site_key = Aes256Gcm::new_from_slice(&kek)
            .unwrap()
            .decrypt(
                Nonce::from_slice(&slot.wrapped[..12]),
                Payload {
                    msg: &slot.wrapped[12..],
                    aad: b"playbook keyslot",
                },
            )
            .unwrap();
        assert_eq!(site_key, KEY.0);
        // Then HKDF-SHA256 of the site key (empty salt, the MAC label), and HMAC-SHA256 of
        // "check" after its length as 8 bytes little-endian; the first 16 bytes, in hex.
        let mut mac_key = [0u8; 32];
        hkdf::Hkdf::<Sha256>::new(Some(&[]), &site_key)
            .expand(b"playbook hmac-sha256", &mut mac_key)
            .unwrap();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&mac_key).unwrap();
        mac.update(&[5, 0, 0, 0, 0, 0, 0, 0]);
        mac.update(b"check");
        let check = hex(&mac.finalize().into_bytes()[..16]);
        assert_eq!(check, sealer.lock().check);
        for step in [
            "\"playbook hmac-sha256\"",
            "\"playbook keyslot\"",
            "\"HMAC\"",
            "\"check\"",
            "\"playbook-key-\" + lock.check",
        ] {
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

    /// The lock of `sealer` as the next build reads it from an output folder.
    fn written_and_found(sealer: &Sealer) -> Found {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(UNLOCK_SCRIPT), sealer.unlock_script()).unwrap();
        Lock::find(dir.path())
    }

    #[test]
    fn the_lock_is_read_back_with_every_slot_and_opens_with_each_passphrase() {
        // 1,000 rounds is not a lock playbook writes: not read as one.
        assert_eq!(written_and_found(&sealer()), Found::Unreadable);
        let slot = |passphrase| {
            let mut slot = Slot::with_iterations(&KEY, passphrase, 1000).unwrap();
            slot.iterations = ITERATIONS; // as written; opened below with 1,000 rounds
            slot
        };
        let sealer = Sealer::new(&KEY, true, vec![slot("correct horse"), slot("battery")]).unwrap();
        let Found::Lock(mut lock) = written_and_found(&sealer) else {
            panic!("the lock was not read back");
        };
        assert_eq!(&lock, sealer.lock());
        assert!(lock.remember);

        for slot in &mut lock.slots {
            slot.iterations = 1000;
        }
        assert_eq!(lock.open("correct horse").unwrap(), (KEY, 0));
        assert_eq!(lock.open("battery").unwrap(), (KEY, 1));
        let wrong = lock.open("staple").unwrap_err();
        assert!(wrong.contains("not the passphrase"), "{wrong}");
        assert!(wrong.contains("2 keyslots tried"), "{wrong}");

        // A slot that opens another key than the check value's: the lock is damaged.
        lock.slots[1] = Slot::with_iterations(&SiteKey([8; 32]), "battery", 1000).unwrap();
        assert!(lock.open("battery").unwrap_err().contains("damaged"));
    }

    #[test]
    fn an_earlier_playbooks_lock_and_a_plain_script_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Lock::find(dir.path()), Found::Nothing);
        fs::write(
            dir.path().join(UNLOCK_SCRIPT),
            "/* playbook-lock salt=00112233445566778899aabbccddeeff iterations=600000 \
             check=00112233445566778899aabbccddeeff */\nwindow.PLAYBOOK_LOCK = {};\n",
        )
        .unwrap();
        assert_eq!(Lock::find(dir.path()), Found::Unreadable);
        assert_eq!(Lock::read(dir.path()), None);
        fs::write(dir.path().join(UNLOCK_SCRIPT), "console.log(1)\n").unwrap();
        assert_eq!(Lock::find(dir.path()), Found::Nothing);
        // A slot cut short, or a lock without slots, does not read.
        let line = |slots: &str| {
            format!(
                "{LOCK_LINE_V2}check={} remember=0 slots={slots} */",
                "ab".repeat(16)
            )
        };
        let good = slot("x").to_text();
        assert!(Lock::parse(&line(&good.replace(":1000:", ":600000:"))).is_some());
        assert!(Lock::parse(&line(&good[..good.len() - 4])).is_none());
        assert!(Lock::parse(&line("")).is_none());
    }

    #[test]
    fn a_weak_passphrase_is_refused_with_the_reason() {
        let weak = check_strength("password1").unwrap_err();
        assert!(weak.contains("too easy to guess"), "{weak}");
        assert!(weak.contains("--weak-passphrase-ok"), "{weak}");
        assert!(weak.contains("This is a very common password"), "{weak}");
        check_strength("correct horse battery staple on a boat").unwrap();
    }
}
