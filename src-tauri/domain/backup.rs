//! A backup file as Alongside writes it (magic bytes, a self-describing header, the payload and a
//! closing checksum), and the pure decisions around backups: which day's automatic snapshot to
//! take, which snapshots to prune, when to warn that no backup was made, and what files are called.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The first bytes of every backup. Like PNG's: a high byte, a name, then CR LF, SUB, LF, so a
/// file passed through a text-mode copy is caught at once.
pub const MAGIC: &[u8; 21] = b"\x89ALONGSIDE-BACKUP\r\n\x1a\n";

/// The version of the header and payload this build writes and reads. The frame around them
/// (magic, version, the two lengths, the closing checksum) never changes.
pub const FORMAT_VERSION: u16 = 1;

/// How a backup file's name ends.
pub const EXTENSION: &str = "alongside-backup";

/// A practice is warned once its last backup is older than this many days.
pub const WARN_AFTER_DAYS: i64 = 7;

/// Automatic snapshots kept beside the database: the last fortnight.
pub const SNAPSHOTS_KEPT: usize = 14;

/// Bytes of the SHA-256 checksum that closes the file.
pub const CHECKSUM_BYTES: usize = 32;

/// The header is a small JSON object; anything bigger is not one Alongside wrote.
const MAX_HEADER_BYTES: u32 = 64 * 1024;

/// Where the header starts: magic, format version (u16), header length (u32).
const HEADER_AT: usize = MAGIC.len() + 2 + 4;

/// The new-passphrase rule: long enough that guessing it is not the easy way in.
pub const PASSPHRASE_MIN_CHARS: usize = 8;

/// What a backup says about itself, readable without the passphrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupHeader {
    /// The version of Alongside that made it.
    pub app_version: String,
    /// The database's schema version (`PRAGMA user_version`) inside.
    pub schema_version: u32,
    pub practice_name: String,
    pub created_at: DateTime<Utc>,
    /// People on the register inside (everyone with a record, whatever their status).
    pub people: u64,
    /// The size of the database file inside, uncompressed.
    pub database_bytes: u64,
    /// SHA-256 of the database file inside, uncompressed and decrypted.
    pub database_sha256: [u8; 32],
    /// How the payload is sealed with a passphrase, if it is.
    pub encryption: Option<Encryption>,
}

/// XChaCha20-Poly1305 under a key derived from the passphrase by Argon2id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encryption {
    pub nonce: [u8; 24],
    pub kdf: KeyDerivation,
}

/// Argon2id (version 0x13) parameters and salt, stored so they can grow in later versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyDerivation {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: [u8; 16],
}

impl KeyDerivation {
    /// RFC 9106's second recommended option: 64 MiB of memory, three passes, four lanes.
    pub fn recommended(salt: [u8; 16]) -> KeyDerivation {
        KeyDerivation { memory_kib: 64 * 1024, iterations: 3, parallelism: 4, salt }
    }

    /// Parameters read from a file are bounded, so a crafted file cannot ask for a terabyte.
    fn check(&self) -> Result<(), String> {
        if !(8..=1024 * 1024).contains(&self.memory_kib)
            || !(1..=16).contains(&self.iterations)
            || !(1..=16).contains(&self.parallelism)
        {
            return Err("its key derivation parameters are outside what Alongside uses".into());
        }
        Ok(())
    }
}

/// The header as JSON in the file. New fields may be added without a new format version;
/// unknown fields are ignored.
#[derive(Serialize, Deserialize)]
struct HeaderJson {
    app_version: String,
    schema_version: u32,
    practice_name: String,
    created_at: String,
    people: u64,
    database_bytes: u64,
    database_sha256: String,
    compression: String,
    encryption: Option<EncryptionJson>,
}

#[derive(Serialize, Deserialize)]
struct EncryptionJson {
    cipher: String,
    nonce: String,
    kdf: KdfJson,
}

#[derive(Serialize, Deserialize)]
struct KdfJson {
    algorithm: String,
    version: u32,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
}

const COMPRESSION: &str = "zlib";
const CIPHER: &str = "XChaCha20-Poly1305";
const KDF: &str = "Argon2id";
const ARGON2_VERSION: u32 = 0x13;

impl BackupHeader {
    fn to_json(&self) -> Vec<u8> {
        let json = HeaderJson {
            app_version: self.app_version.clone(),
            schema_version: self.schema_version,
            practice_name: self.practice_name.clone(),
            created_at: self.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            people: self.people,
            database_bytes: self.database_bytes,
            database_sha256: to_hex(&self.database_sha256),
            compression: COMPRESSION.into(),
            encryption: self.encryption.as_ref().map(|e| EncryptionJson {
                cipher: CIPHER.into(),
                nonce: to_hex(&e.nonce),
                kdf: KdfJson {
                    algorithm: KDF.into(),
                    version: ARGON2_VERSION,
                    memory_kib: e.kdf.memory_kib,
                    iterations: e.kdf.iterations,
                    parallelism: e.kdf.parallelism,
                    salt: to_hex(&e.kdf.salt),
                },
            }),
        };
        serde_json::to_vec(&json).expect("a header is plain JSON")
    }

    fn from_json(bytes: &[u8]) -> Result<BackupHeader, String> {
        let json: HeaderJson =
            serde_json::from_slice(bytes).map_err(|e| format!("its header cannot be read: {e}"))?;
        if json.compression != COMPRESSION {
            return Err(format!("its contents are packed as '{}'", json.compression));
        }
        let created_at = DateTime::parse_from_rfc3339(&json.created_at)
            .map_err(|_| format!("its header has no valid date ('{}')", json.created_at))?
            .with_timezone(&Utc);
        let encryption = match json.encryption {
            None => None,
            Some(e) => {
                if e.cipher != CIPHER || e.kdf.algorithm != KDF || e.kdf.version != ARGON2_VERSION {
                    return Err(format!("it is sealed with {} and {}", e.cipher, e.kdf.algorithm));
                }
                let kdf = KeyDerivation {
                    memory_kib: e.kdf.memory_kib,
                    iterations: e.kdf.iterations,
                    parallelism: e.kdf.parallelism,
                    salt: from_hex(&e.kdf.salt).ok_or("its header has a broken salt")?,
                };
                kdf.check()?;
                Some(Encryption {
                    nonce: from_hex(&e.nonce).ok_or("its header has a broken nonce")?,
                    kdf,
                })
            }
        };
        Ok(BackupHeader {
            app_version: json.app_version,
            schema_version: json.schema_version,
            practice_name: json.practice_name,
            created_at,
            people: json.people,
            database_bytes: json.database_bytes,
            database_sha256: from_hex(&json.database_sha256)
                .ok_or("its header has a broken checksum")?,
            encryption,
        })
    }

    pub fn encrypted(&self) -> bool {
        self.encryption.is_some()
    }
}

/// The bytes before the payload: magic, format version, header length, header, payload length.
/// An encrypted payload is sealed with these as its associated data, so the header cannot be
/// changed without the passphrase failing.
pub fn frame_start(header: &BackupHeader, payload_bytes: u64) -> Vec<u8> {
    let json = header.to_json();
    let mut start = Vec::with_capacity(HEADER_AT + json.len() + 8);
    start.extend_from_slice(MAGIC);
    start.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    start.extend_from_slice(&(json.len() as u32).to_le_bytes());
    start.extend_from_slice(&json);
    start.extend_from_slice(&payload_bytes.to_le_bytes());
    start
}

/// A backup file read and checked whole: its checksum matched and its header made sense.
#[derive(Debug)]
pub struct Frame<'a> {
    pub header: BackupHeader,
    /// The bytes `frame_start` wrote: the associated data of an encrypted payload.
    pub start: &'a [u8],
    /// The database, compressed (and sealed, when encrypted).
    pub payload: &'a [u8],
}

/// Why a file cannot be read as a backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameProblem {
    /// It does not start as a backup does; what it seems to be instead.
    NotABackup(&'static str),
    /// It ends before the end its own lengths give.
    Incomplete { have: u64, need: u64 },
    /// Its bytes do not match its checksum, or it makes no sense inside.
    Damaged(String),
    /// A later version of Alongside wrote it.
    NewerFormat(u16),
}

/// Reads a whole backup file: the frame's lengths, the closing checksum over everything before
/// it, the format version, then the header.
pub fn read_frame(bytes: &[u8]) -> Result<Frame<'_>, FrameProblem> {
    let have = bytes.len() as u64;
    let magic_seen = bytes.len().min(MAGIC.len());
    if bytes.is_empty() || bytes[..magic_seen] != MAGIC[..magic_seen] {
        return Err(FrameProblem::NotABackup(what_it_seems(bytes)));
    }
    if bytes.len() < HEADER_AT {
        return Err(FrameProblem::Incomplete { have, need: HEADER_AT as u64 });
    }
    let header_bytes = u32::from_le_bytes(bytes[MAGIC.len() + 2..HEADER_AT].try_into().unwrap());
    if header_bytes > MAX_HEADER_BYTES {
        return Err(FrameProblem::Damaged("its header length makes no sense".into()));
    }
    let payload_at = HEADER_AT as u64 + u64::from(header_bytes) + 8;
    if have < payload_at {
        return Err(FrameProblem::Incomplete { have, need: payload_at });
    }
    let payload_at = payload_at as usize;
    let payload_bytes = u64::from_le_bytes(bytes[payload_at - 8..payload_at].try_into().unwrap());
    let need = (payload_at as u64)
        .checked_add(payload_bytes)
        .and_then(|n| n.checked_add(CHECKSUM_BYTES as u64))
        .ok_or_else(|| FrameProblem::Damaged("its payload length makes no sense".into()))?;
    if have < need {
        return Err(FrameProblem::Incomplete { have, need });
    }
    if have > need {
        return Err(FrameProblem::Damaged(format!(
            "it has {} bytes more at its end than a backup has",
            have - need
        )));
    }
    let checksum_at = bytes.len() - CHECKSUM_BYTES;
    if Sha256::digest(&bytes[..checksum_at])[..] != bytes[checksum_at..] {
        return Err(FrameProblem::Damaged(
            "its checksum does not match its contents, so it has changed since it was made".into(),
        ));
    }
    let version = u16::from_le_bytes(bytes[MAGIC.len()..MAGIC.len() + 2].try_into().unwrap());
    if version > FORMAT_VERSION {
        return Err(FrameProblem::NewerFormat(version));
    }
    if version == 0 {
        return Err(FrameProblem::Damaged("its format version is 0".into()));
    }
    let header = BackupHeader::from_json(&bytes[HEADER_AT..payload_at - 8])
        .map_err(FrameProblem::Damaged)?;
    Ok(Frame { header, start: &bytes[..payload_at], payload: &bytes[payload_at..checksum_at] })
}

/// What a file that is not a backup seems to be, from its first bytes, for the refusal.
fn what_it_seems(bytes: &[u8]) -> &'static str {
    let starts = |prefix: &[u8]| bytes.starts_with(prefix);
    if bytes.is_empty() {
        "it is empty"
    } else if starts(b"%PDF") {
        "it is a PDF document"
    } else if starts(b"SQLite format 3\0") {
        "it is a SQLite database file, not a backup made by Alongside"
    } else if starts(b"PK\x03\x04") {
        "it is a ZIP archive or an Office document"
    } else if starts(&[0x1f, 0x8b]) {
        "it is a gzip archive"
    } else if starts(b"\x89PNG") || starts(&[0xff, 0xd8, 0xff]) {
        "it is a picture"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)])
        .is_ok_and(|text| text.chars().all(|c| !c.is_control() || c.is_whitespace()))
    {
        "it is a text file"
    } else {
        "it was not made by Alongside"
    }
}

/// Whether a passphrase for a new backup is long enough; the refusal says what to do.
pub fn check_new_passphrase(passphrase: &str) -> Result<(), String> {
    if passphrase.trim().chars().count() < PASSPHRASE_MIN_CHARS {
        return Err(format!(
            "a passphrase needs at least {PASSPHRASE_MIN_CHARS} characters; a few words are \
             easier to remember and harder to guess"
        ));
    }
    Ok(())
}

/// Today's automatic snapshot to take (if none was taken today) and the files to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotPlan {
    pub take: Option<String>,
    pub prune: Vec<String>,
}

/// The automatic snapshot of the database named `stem` (`practice`) made on `day`:
/// `practice-2026-11-23.alongside-backup`.
pub fn snapshot_file_name(stem: &str, day: NaiveDate) -> String {
    format!("{stem}-{}.{EXTENSION}", day.format("%Y-%m-%d"))
}

/// The day a file in the snapshots folder is the snapshot of, if it is one of `stem`'s.
pub fn snapshot_day(stem: &str, name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(EXTENSION)?;
    let date = date.strip_suffix('.')?;
    (date.len() == 10).then(|| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()).flatten()
}

/// On the first start of a day, one snapshot; the newest `SNAPSHOTS_KEPT` are kept (today's
/// counts among them) and older ones pruned, as are snapshots left half-written by a window
/// that closed while one was being made. Files of other databases and other names are left.
pub fn plan_snapshots(stem: &str, existing: &[String], today: NaiveDate) -> SnapshotPlan {
    let mut dated: Vec<(NaiveDate, &String)> =
        existing.iter().filter_map(|name| Some((snapshot_day(stem, name)?, name))).collect();
    let take =
        (!dated.iter().any(|(day, _)| *day == today)).then(|| snapshot_file_name(stem, today));
    dated.sort_by(|a, b| b.cmp(a));
    let keep = SNAPSHOTS_KEPT - usize::from(take.is_some());
    let mut prune: Vec<String> = dated.iter().skip(keep).map(|(_, name)| (*name).clone()).collect();
    prune.extend(
        existing
            .iter()
            .filter(|name| {
                name.strip_suffix(".partial").is_some_and(|n| snapshot_day(stem, n).is_some())
            })
            .cloned(),
    );
    prune.sort();
    SnapshotPlan { take, prune }
}

/// A warning for the practice when its last backup is more than `WARN_AFTER_DAYS` old, or
/// there has never been one; `None` while backups are recent.
pub fn backup_warning(last: Option<NaiveDate>, today: NaiveDate) -> Option<String> {
    const KEEP: &str = "Make one now and keep it somewhere other than this PC.";
    match last {
        None => Some(format!("No backup of this database has been made yet. {KEEP}")),
        Some(day) => {
            let days = (today - day).num_days();
            (days > WARN_AFTER_DAYS)
                .then(|| format!("The last backup was made {days} days ago. {KEEP}"))
        }
    }
}

/// The name the database replaced by a restore is kept under, beside it:
/// `practice-replaced-2026-11-23-143005.sqlite`.
pub fn replaced_file_name(stem: &str, extension: &str, at: NaiveDateTime) -> String {
    let extension = if extension.is_empty() { String::new() } else { format!(".{extension}") };
    format!("{stem}-replaced-{}{extension}", at.format("%Y-%m-%d-%H%M%S"))
}

/// The name offered for a new backup: `alongside-backup-2026-11-23.alongside-backup`.
pub fn suggested_backup_name(today: NaiveDate) -> String {
    format!("alongside-backup-{}.{EXTENSION}", today.format("%Y-%m-%d"))
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes written as hexadecimal, of any even length.
pub(crate) fn from_hex_vec(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
