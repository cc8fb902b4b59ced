//! Backups and restores: the database snapshotted while in use, compressed, checksummed and
//! optionally sealed with a passphrase into one self-describing file; a restore that checks
//! everything before it touches anything; and the automatic snapshot of each day's first start.

use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chacha20poly1305::aead::{AeadInOut, Generate, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Local, NaiveDate, SecondsFormat, Utc};
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::csv_table::plain_io_error;
use crate::domain::backup::{
    check_new_passphrase, frame_start, plan_snapshots, read_frame, replaced_file_name,
    snapshot_day, BackupHeader, Encryption, FrameProblem, KeyDerivation,
};
use crate::store::{self, Actor, CopyFacts, CopyProblem, OpenError, Store, StoreError, SwapError};

/// The environment variable the command line reads a backup's passphrase from.
pub const PASSPHRASE_VARIABLE: &str = "ALONGSIDE_BACKUP_PASSPHRASE";

/// The folder beside the database that holds its automatic snapshots.
pub const SNAPSHOTS_FOLDER: &str = "snapshots";

/// Bytes of the Poly1305 tag that closes an encrypted payload.
const TAG_BYTES: usize = 16;

/// Why a backup was not made, checked or restored. For a restore, the message always says
/// that nothing was changed, because nothing was.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file cannot be restored as it is: not a backup, damaged, cut short, or newer.
    #[error("{file} {why}. Nothing was changed.")]
    Refused { file: String, why: String },
    #[error("{file} is protected by a passphrase, and none was given. Nothing was changed.")]
    PassphraseNeeded { file: String },
    #[error(
        "The passphrase does not open {file}: it is not the passphrase the backup was made \
         with. Nothing was changed."
    )]
    WrongPassphrase { file: String },
    /// A new backup's passphrase is not acceptable; no backup was written.
    #[error("No backup was made: {0}.")]
    WeakPassphrase(String),
    #[error("cannot read {file}: {detail}. Nothing was changed.")]
    Unreadable { file: String, detail: String },
    #[error("cannot write {file}: {detail}. Nothing was changed.")]
    Unwritable { file: String, detail: String },
    /// The restored database was not put in place; the database is as it was.
    #[error("The backup was not restored: {0}. Nothing was changed.")]
    NotSwapped(SwapError),
    /// The computer could not do it (memory, randomness); the message says what.
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    /// Whether the person can put it right (another file, the passphrase): exit code 2 on the
    /// command line, rather than 1 for a failure of the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            BackupError::Refused { .. }
                | BackupError::PassphraseNeeded { .. }
                | BackupError::WrongPassphrase { .. }
                | BackupError::WeakPassphrase(_)
                | BackupError::Unreadable { .. }
        )
    }
}

/// What a backup file says it holds, for the Restore screen and `restore --check`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BackupAbout {
    pub file: String,
    pub practice_name: String,
    /// When it was made, UTC, RFC 3339.
    pub created_at: String,
    /// The version of Alongside that made it.
    pub app_version: String,
    pub schema_version: u32,
    pub people: u64,
    pub encrypted: bool,
    /// The database inside, uncompressed.
    pub database_bytes: u64,
    /// The backup file itself.
    pub file_bytes: u64,
}

impl BackupAbout {
    fn new(file: &Path, header: &BackupHeader, file_bytes: u64) -> BackupAbout {
        BackupAbout {
            file: file.display().to_string(),
            practice_name: header.practice_name.clone(),
            created_at: header.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            app_version: header.app_version.clone(),
            schema_version: header.schema_version,
            people: header.people,
            encrypted: header.encrypted(),
            database_bytes: header.database_bytes,
            file_bytes,
        }
    }
}

/// A backup file checked before a restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedBackup {
    pub about: BackupAbout,
    /// Whether the database inside was unpacked and checked whole; false only for an
    /// encrypted backup checked without its passphrase, whose header alone was read.
    pub opened: bool,
}

/// A restore done: what was restored and where the database it replaced was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    pub about: BackupAbout,
    /// None when there was no database to replace.
    pub replaced: Option<PathBuf>,
}

/// Makes a backup of the open database at `target`: a snapshot taken while the app is in use,
/// compressed, checksummed and, with a passphrase, encrypted. The snapshot is made beside the
/// database (never beside the target, which may be a memory stick) and removed afterwards. The
/// backup is audited, and remembered as the latest, in one transaction.
pub fn back_up(
    store: &mut Store,
    actor: &Actor,
    target: &Path,
    passphrase: Option<&str>,
    created_at: DateTime<Utc>,
) -> Result<BackupAbout, BackupError> {
    // A backup that could not be recorded does not leave.
    store.check_writable()?;
    if let Some(passphrase) = passphrase {
        check_new_passphrase(passphrase).map_err(BackupError::WeakPassphrase)?;
    }
    if same_file(target, store.path()) {
        return Err(BackupError::Unwritable {
            file: target.display().to_string(),
            detail: "that is the database itself; choose another file".into(),
        });
    }
    let scratch = Scratch::beside(store.path(), "backup");
    let facts = store.snapshot_into(&scratch.0)?;
    let about = pack_database(&scratch.0, &facts, created_at, passphrase, target)?;
    drop(scratch);
    let file = target.display().to_string();
    let summary = format!(
        "backup of {} ({} people, database version {}, {}) written to {file}",
        name_or_unnamed(&about.practice_name),
        about.people,
        about.schema_version,
        if about.encrypted { "encrypted with a passphrase" } else { "not encrypted" },
    );
    store.write(actor, |w| w.record_backup(&file, &summary))?;
    Ok(about)
}

/// Packs the SQLite database file `database` into a backup file at `target`, described by
/// `facts`: its SHA-256, the database compressed (zlib), sealed with XChaCha20-Poly1305 under a
/// key derived from the passphrase by Argon2id when there is one, and the checksum of the whole
/// file. Written to a `.partial` file first and renamed into place once complete.
pub fn pack_database(
    database: &Path,
    facts: &CopyFacts,
    created_at: DateTime<Utc>,
    passphrase: Option<&str>,
    target: &Path,
) -> Result<BackupAbout, BackupError> {
    let unreadable = |e: std::io::Error| BackupError::Unreadable {
        file: database.display().to_string(),
        detail: plain_io_error(&e),
    };
    let mut input = std::fs::File::open(database).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut packed = ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut buffer = vec![0u8; 1 << 16];
    let mut database_bytes = 0u64;
    loop {
        let n = input.read(&mut buffer).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        packed.write_all(&buffer[..n]).expect("compressing into memory");
        database_bytes += n as u64;
    }
    let mut payload = packed.finish().expect("compressing into memory");
    let mut header = BackupHeader {
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: facts.schema_version,
        practice_name: facts.practice_name.clone(),
        created_at,
        people: facts.people,
        database_bytes,
        database_sha256: hasher.finalize().into(),
        encryption: None,
    };
    let start = match passphrase {
        None => frame_start(&header, payload.len() as u64),
        Some(passphrase) => {
            let random = |e| {
                BackupError::Failed(format!(
                    "the computer gave no random numbers to encrypt with ({e}); nothing was written"
                ))
            };
            let kdf = KeyDerivation::recommended(<[u8; 16]>::try_generate().map_err(random)?);
            let nonce = <[u8; 24]>::try_generate().map_err(random)?;
            let cipher = cipher_for(passphrase, &kdf)?;
            header.encryption = Some(Encryption { nonce, kdf });
            let start = frame_start(&header, (payload.len() + TAG_BYTES) as u64);
            let tag = cipher
                .encrypt_inout_detached(&XNonce::from(nonce), &start, payload.as_mut_slice().into())
                .expect("a backup fits XChaCha20-Poly1305's limits");
            payload.extend_from_slice(tag.as_slice());
            start
        }
    };
    let mut checksum = Sha256::new();
    checksum.update(&start);
    checksum.update(&payload);
    let file_bytes = (start.len() + payload.len() + 32) as u64;
    write_whole(target, &[&start, &payload, &checksum.finalize()])?;
    Ok(BackupAbout::new(target, &header, file_bytes))
}

/// The key for a passphrase: Argon2id with the backup's own parameters and salt. The
/// passphrase is used without the spaces around it, which are easily typed by mistake.
fn cipher_for(passphrase: &str, kdf: &KeyDerivation) -> Result<XChaCha20Poly1305, BackupError> {
    let failed = |e: argon2::Error| {
        BackupError::Failed(format!("the key could not be made from the passphrase ({e})"))
    };
    let params = argon2::Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32))
        .map_err(failed)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon.hash_password_into(passphrase.trim().as_bytes(), &kdf.salt, &mut key).map_err(failed)?;
    let cipher = XChaCha20Poly1305::new(&Key::from(key));
    key.fill(0);
    Ok(cipher)
}

/// Writes `parts` to `target` through a `.partial` file beside it, renamed once synced.
fn write_whole(target: &Path, parts: &[&[u8]]) -> Result<(), BackupError> {
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| {
        let mut file = std::fs::File::create(&partial)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()?;
        std::fs::rename(&partial, target)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        let folder = target.parent().filter(|f| !f.as_os_str().is_empty());
        let detail = match folder {
            Some(folder) if !folder.is_dir() => {
                format!("the folder {} does not exist", folder.display())
            }
            _ => plain_io_error(&e),
        };
        BackupError::Unwritable { file: target.display().to_string(), detail }
    })
}

/// Checks a backup without changing anything: its checksum, its header, and (with the
/// passphrase, when it has one) the database inside, unpacked beside `database` and checked
/// whole with `PRAGMA integrity_check`, then removed.
pub fn check_backup(
    database: &Path,
    backup: &Path,
    passphrase: Option<&str>,
) -> Result<CheckedBackup, BackupError> {
    let bytes = read_backup(backup)?;
    let header = readable_header(backup, &bytes)?;
    if header.encrypted() && passphrase.is_none() {
        let about = BackupAbout::new(backup, &header, bytes.len() as u64);
        return Ok(CheckedBackup { about, opened: false });
    }
    let scratch = Scratch::beside(database, "check");
    let about = unpack_checked(backup, bytes, passphrase, &scratch.0)?;
    Ok(CheckedBackup { about, opened: true })
}

/// Restores the backup into the open database: every check is made on a copy unpacked beside
/// it before anything is touched; then the copy is swapped in, the database it replaces is
/// kept beside it under a dated name, and the store goes on with the restored database, into
/// which the restore is audited.
pub fn restore(
    store: &mut Store,
    actor: &Actor,
    backup: &Path,
    passphrase: Option<&str>,
) -> Result<Restored, BackupError> {
    let database = store.path().to_path_buf();
    let scratch = Scratch::beside(&database, "restoring");
    let about = unpack_checked(backup, read_backup(backup)?, passphrase, &scratch.0)?;
    let keep_as = replaced_path(&database);
    store.replace_with(&scratch.0, &keep_as).map_err(BackupError::NotSwapped)?;
    let restored = Restored { about, replaced: Some(keep_as) };
    record_restore(store, actor, &restored)?;
    Ok(restored)
}

/// Restores the backup as the database at `database`, for the command line, whatever is there:
/// nothing (a new computer), an Alongside database (as `restore`), or a file that does not open
/// as one (damaged, or not Alongside's), which is kept beside it with its `-wal` and `-shm`.
/// A database from a newer version is left alone.
pub fn restore_file(
    database: &Path,
    actor: &Actor,
    backup: &Path,
    passphrase: Option<&str>,
) -> Result<(Store, Restored), BackupError> {
    let reopen_failed = |e: OpenError| {
        BackupError::Store(StoreError::Unreadable(format!("the restored database: {e}")))
    };
    if database.exists() {
        match Store::open(database) {
            Ok(mut store) => {
                let restored = restore(&mut store, actor, backup, passphrase)?;
                return Ok((store, restored));
            }
            Err(e @ (OpenError::Newer { .. } | OpenError::IsAFolder { .. })) => {
                return Err(BackupError::NotSwapped(SwapError::Failed(e.to_string())));
            }
            Err(_) => {}
        }
    }
    let scratch = Scratch::beside(database, "restoring");
    let about = unpack_checked(backup, read_backup(backup)?, passphrase, &scratch.0)?;
    let anything_there = std::iter::once(database.to_path_buf())
        .chain(store::sidecars(database))
        .any(|p| p.exists());
    let keep_as = anything_there.then(|| replaced_path(database));
    store::replace_unopened(database, &scratch.0, keep_as.as_deref())
        .map_err(BackupError::NotSwapped)?;
    let mut store = Store::open(database).map_err(reopen_failed)?;
    let restored = Restored { about, replaced: keep_as };
    record_restore(&mut store, actor, &restored)?;
    Ok((store, restored))
}

fn record_restore(
    store: &mut Store,
    actor: &Actor,
    restored: &Restored,
) -> Result<(), BackupError> {
    let about = &restored.about;
    let summary = format!(
        "restored from the backup {} of {} made {} by Alongside {} ({} people, database \
         version {}){}",
        about.file,
        name_or_unnamed(&about.practice_name),
        about.created_at,
        about.app_version,
        about.people,
        about.schema_version,
        match &restored.replaced {
            Some(kept) => format!("; the database it replaced is kept as {}", kept.display()),
            None => String::new(),
        }
    );
    store.write(actor, |w| w.record_restore(&about.file, &about.created_at, &summary))?;
    Ok(())
}

fn read_backup(backup: &Path) -> Result<Vec<u8>, BackupError> {
    std::fs::read(backup).map_err(|e| BackupError::Unreadable {
        file: backup.display().to_string(),
        detail: plain_io_error(&e),
    })
}

/// The header of a whole, undamaged backup this version can restore.
fn readable_header(backup: &Path, bytes: &[u8]) -> Result<BackupHeader, BackupError> {
    let refused = |why: String| BackupError::Refused { file: backup.display().to_string(), why };
    let frame = read_frame(bytes).map_err(|problem| {
        refused(match problem {
            FrameProblem::NotABackup(seems) => format!("is not an Alongside backup: {seems}"),
            FrameProblem::Incomplete { have, need } => format!(
                "is incomplete: it has {have} bytes where the backup needs {need}, so it was \
                 probably not copied whole"
            ),
            FrameProblem::Damaged(why) => format!("is damaged: {why}"),
            FrameProblem::NewerFormat(version) => format!(
                "was made by a newer version of Alongside (backup format {version}; this \
                 version reads format {}): restore it with the newer version",
                crate::domain::backup::FORMAT_VERSION
            ),
        })
    })?;
    let known = store::schema_version();
    if frame.header.schema_version > known {
        return Err(refused(format!(
            "was made by a newer version of Alongside ({}, database version {}; this version \
             understands up to {known}): restore it with that version or a later one",
            frame.header.app_version, frame.header.schema_version
        )));
    }
    Ok(frame.header)
}

/// Unpacks the database inside a backup into the new file `into` and checks it: the frame,
/// the passphrase, the database's own checksum, `PRAGMA integrity_check`, that it is an
/// Alongside database and that it is the version the header says.
fn unpack_checked(
    backup: &Path,
    mut bytes: Vec<u8>,
    passphrase: Option<&str>,
    into: &Path,
) -> Result<BackupAbout, BackupError> {
    let file = backup.display().to_string();
    let refused = |why: String| BackupError::Refused { file: file.clone(), why };
    let header = readable_header(backup, &bytes)?;
    let about = BackupAbout::new(backup, &header, bytes.len() as u64);
    let frame = read_frame(&bytes).expect("read once already");
    let (start_len, payload_len) = (frame.start.len(), frame.payload.len());
    let (start, rest) = bytes.split_at_mut(start_len);
    let payload = &mut rest[..payload_len];
    let payload: &[u8] = match &header.encryption {
        None => payload,
        Some(encryption) => {
            let passphrase =
                passphrase.ok_or_else(|| BackupError::PassphraseNeeded { file: file.clone() })?;
            if payload.len() < TAG_BYTES {
                return Err(refused("is damaged: its sealed contents are too short".into()));
            }
            let (sealed, tag) = payload.split_at_mut(payload.len() - TAG_BYTES);
            let tag = chacha20poly1305::Tag::try_from(&*tag).expect("16 bytes");
            cipher_for(passphrase, &encryption.kdf)?
                .decrypt_inout_detached(&XNonce::from(encryption.nonce), start, sealed.into(), &tag)
                .map_err(|_| BackupError::WrongPassphrase { file: file.clone() })?;
            sealed
        }
    };
    inflate_into(payload, &header, into).map_err(|e| match e {
        Inflate::Damaged(why) => refused(format!("is damaged: {why}")),
        Inflate::Write(e) => {
            BackupError::Unwritable { file: into.display().to_string(), detail: plain_io_error(&e) }
        }
    })?;
    let facts = store::check_copy(into).map_err(|problem| match problem {
        CopyProblem::Io(detail) => BackupError::Unreadable { file: file.clone(), detail },
        CopyProblem::Newer { .. } => refused(format!("cannot be restored: {problem}")),
        CopyProblem::NotAlongside => refused(format!("is not a backup of Alongside: {problem}")),
        _ => refused(format!("is damaged: {problem}")),
    })?;
    if facts.schema_version != header.schema_version {
        return Err(refused(format!(
            "is damaged: its header says database version {} but the database inside is \
             version {}",
            header.schema_version, facts.schema_version
        )));
    }
    Ok(about)
}

enum Inflate {
    Damaged(String),
    Write(std::io::Error),
}

/// Decompresses the payload into `into`, never past the size the header gives, and checks it
/// against the header's SHA-256.
fn inflate_into(payload: &[u8], header: &BackupHeader, into: &Path) -> Result<(), Inflate> {
    let mut output = std::fs::File::create_new(into).map_err(Inflate::Write)?;
    let mut decoder = ZlibDecoder::new(payload).take(header.database_bytes + 1);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = decoder
            .read(&mut buffer)
            .map_err(|_| Inflate::Damaged("its contents cannot be unpacked".into()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        output.write_all(&buffer[..n]).map_err(Inflate::Write)?;
        total += n as u64;
    }
    if total != header.database_bytes || hasher.finalize()[..] != header.database_sha256 {
        return Err(Inflate::Damaged("the database inside does not match its checksum".into()));
    }
    output.sync_all().map_err(Inflate::Write)
}

/// The automatic snapshots of one day's first start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshots {
    pub taken: Option<PathBuf>,
    pub pruned: Vec<PathBuf>,
}

/// The folder of automatic snapshots beside the database.
pub fn snapshots_folder(database: &Path) -> PathBuf {
    folder_of(database).join(SNAPSHOTS_FOLDER)
}

/// The database's automatic snapshots, newest first, with their days.
pub fn snapshot_list(database: &Path) -> Vec<(NaiveDate, PathBuf)> {
    let folder = snapshots_folder(database);
    let stem = stem_of(database);
    let mut found: Vec<(NaiveDate, PathBuf)> = file_names(&folder)
        .into_iter()
        .filter_map(|name| Some((snapshot_day(&stem, &name)?, folder.join(name))))
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
}

/// On the day's first start, a snapshot of the database into `snapshots/` beside it (plain,
/// compressed and checksummed, restorable like any backup; never encrypted, never an export),
/// keeping the last 14. Audited when anything was taken or pruned.
pub fn take_daily_snapshot(
    store: &mut Store,
    actor: &Actor,
    today: NaiveDate,
    created_at: DateTime<Utc>,
) -> Result<Snapshots, BackupError> {
    let database = store.path().to_path_buf();
    let folder = snapshots_folder(&database);
    std::fs::create_dir_all(&folder).map_err(|e| BackupError::Unwritable {
        file: folder.display().to_string(),
        detail: plain_io_error(&e),
    })?;
    let plan = plan_snapshots(&stem_of(&database), &file_names(&folder), today);
    let mut done = Snapshots::default();
    let mut people = 0;
    if let Some(name) = &plan.take {
        let target = folder.join(name);
        let scratch = Scratch::beside(&database, "snapshot");
        let facts = store.snapshot_into(&scratch.0)?;
        people = facts.people;
        pack_database(&scratch.0, &facts, created_at, None, &target)?;
        done.taken = Some(target);
    }
    for name in &plan.prune {
        let path = folder.join(name);
        if std::fs::remove_file(&path).is_ok() {
            done.pruned.push(path);
        }
    }
    if done.taken.is_some() || !done.pruned.is_empty() {
        let summary = format!(
            "automatic snapshot{}{}",
            match &done.taken {
                Some(path) => format!(" of {people} people written to {}", path.display()),
                None => String::new(),
            },
            match done.pruned.len() {
                0 => String::new(),
                n => format!("; {n} older snapshot(s) removed, the last 14 kept"),
            }
        );
        store.write(actor, |w| w.audit("backup.snapshot", None, &summary))?;
    }
    Ok(done)
}

/// A dated name beside the database for the one a restore replaces, never one already there.
fn replaced_path(database: &Path) -> PathBuf {
    let extension = database.extension().map(|e| e.to_string_lossy().into_owned());
    let name = replaced_file_name(
        &stem_of(database),
        extension.as_deref().unwrap_or(""),
        Local::now().naive_local(),
    );
    let mut path = database.with_file_name(&name);
    let mut n = 2;
    while path.exists() || store::sidecars(&path).iter().any(|p| p.exists()) {
        path = database.with_file_name(format!("{n}-{name}"));
        n += 1;
    }
    path
}

fn folder_of(database: &Path) -> PathBuf {
    match database.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn stem_of(database: &Path) -> String {
    database.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn file_names(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect()
        })
        .unwrap_or_default()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn name_or_unnamed(name: &str) -> &str {
    if name.is_empty() {
        "the practice (no name set)"
    } else {
        name
    }
}

/// A working file beside the database (never beside a backup's target), removed with anything
/// SQLite left beside it when dropped. After a restore it has been renamed into place, and
/// there is nothing left to remove.
struct Scratch(PathBuf);

impl Scratch {
    fn beside(database: &Path, purpose: &str) -> Scratch {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let name = database.file_name().map(|n| n.to_string_lossy().into_owned());
        let path = database.with_file_name(format!(
            ".{}.{purpose}-{}-{}",
            name.unwrap_or_default(),
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        let scratch = Scratch(path);
        scratch.remove();
        scratch
    }

    fn remove(&self) {
        let _ = std::fs::remove_file(&self.0);
        for sidecar in store::sidecars(&self.0) {
            let _ = std::fs::remove_file(sidecar);
        }
        let mut journal = self.0.as_os_str().to_owned();
        journal.push("-journal");
        let _ = std::fs::remove_file(journal);
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.remove();
    }
}
