//! The backup file's frame and header read back as written, every kind of wrong file refused
//! for its own reason, and the snapshot, warning and naming decisions day by day.

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn header(encryption: Option<Encryption>) -> BackupHeader {
    BackupHeader {
        app_version: "0.1.0".into(),
        schema_version: 6,
        practice_name: "Riverside Surgery".into(),
        created_at: DateTime::parse_from_rfc3339("2026-11-23T14:30:05Z").unwrap().to_utc(),
        people: 250,
        database_bytes: 4096,
        database_sha256: [7; 32],
        encryption,
    }
}

/// A whole file as the exchange writes it: start, payload, checksum.
fn file(header: &BackupHeader, payload: &[u8]) -> Vec<u8> {
    let mut bytes = frame_start(header, payload.len() as u64);
    bytes.extend_from_slice(payload);
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    bytes
}

#[test]
fn a_file_reads_back_with_the_header_it_was_written_with() {
    for encryption in
        [None, Some(Encryption { nonce: [9; 24], kdf: KeyDerivation::recommended([3; 16]) })]
    {
        let written = header(encryption);
        let bytes = file(&written, b"the payload");
        let frame = read_frame(&bytes).unwrap();
        assert_eq!(frame.header, written, "every field survives the round trip");
        assert_eq!(frame.payload, b"the payload");
        assert_eq!(frame.start, &bytes[..bytes.len() - 32 - 11], "start is all before payload");
        assert!(bytes.starts_with(MAGIC));
    }
}

#[test]
fn every_flipped_byte_is_caught() {
    let bytes = file(&header(None), b"some compressed database");
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x20;
        assert!(read_frame(&flipped).is_err(), "a flip at byte {at} of {} is refused", bytes.len());
    }
}

#[test]
fn a_file_cut_short_anywhere_is_incomplete() {
    let bytes = file(&header(None), b"some compressed database");
    for len in 1..bytes.len() {
        match read_frame(&bytes[..len]) {
            Err(FrameProblem::Incomplete { have, need }) => {
                assert_eq!(have, len as u64);
                assert!(need > have, "needs more than it has at {len}");
            }
            other => panic!("cut at {len}: {other:?}"),
        }
    }
}

#[test]
fn a_file_with_bytes_added_is_damaged() {
    let mut bytes = file(&header(None), b"payload");
    bytes.push(0);
    assert!(
        matches!(read_frame(&bytes), Err(FrameProblem::Damaged(why)) if why.contains("1 bytes more"))
    );
}

#[test]
fn foreign_files_are_named_for_what_they_seem() {
    for (bytes, seems) in [
        (&b""[..], "it is empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"SQLite format 3\0\x10\x00", "SQLite database"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"nhs_number,family_name\n", "text file"),
        (b"\x00\x01\x02\x03\xff\xfe", "not made by Alongside"),
    ] {
        match read_frame(bytes) {
            Err(FrameProblem::NotABackup(what)) => assert!(what.contains(seems), "{what}"),
            other => panic!("{seems}: {other:?}"),
        }
    }
}

#[test]
fn a_later_format_is_refused_as_newer_only_when_the_file_is_whole() {
    let mut bytes = file(&header(None), b"payload");
    bytes[MAGIC.len()] = 2;
    // The checksum no longer matches, so a changed version byte is damage...
    assert!(matches!(read_frame(&bytes), Err(FrameProblem::Damaged(_))));
    // ...but a whole file of a later format is a newer one.
    let at = bytes.len() - 32;
    let checksum = Sha256::digest(&bytes[..at]);
    bytes[at..].copy_from_slice(&checksum);
    assert_eq!(read_frame(&bytes).unwrap_err(), FrameProblem::NewerFormat(2));
}

#[test]
fn key_derivation_asking_for_too_much_memory_is_refused() {
    let mut kdf = KeyDerivation::recommended([1; 16]);
    kdf.memory_kib = u32::MAX;
    let bytes = file(&header(Some(Encryption { nonce: [0; 24], kdf })), b"sealed");
    assert!(
        matches!(read_frame(&bytes), Err(FrameProblem::Damaged(why)) if why.contains("key derivation"))
    );
}

#[test]
fn a_new_passphrase_needs_eight_characters() {
    assert!(check_new_passphrase("short").is_err());
    assert!(check_new_passphrase("   seven   ").is_err(), "spaces around do not count");
    assert!(check_new_passphrase("eight ch").is_ok());
    assert!(check_new_passphrase("kettle orchard ninety").is_ok());
}

#[test]
fn the_first_start_of_a_day_takes_one_snapshot_and_keeps_fourteen() {
    let names = |days: std::ops::RangeInclusive<u32>| -> Vec<String> {
        days.map(|d| {
            snapshot_file_name("practice", day("2026-11-01") + chrono::Days::new(d.into()))
        })
        .collect()
    };
    // No snapshots yet: take today's, prune nothing.
    let plan = plan_snapshots("practice", &[], day("2026-11-23"));
    assert_eq!(plan.take.as_deref(), Some("practice-2026-11-23.alongside-backup"));
    assert!(plan.prune.is_empty());

    // Fourteen already (1 to 14 November), the fifteenth day: take it and prune the oldest.
    let existing = names(0..=13);
    let plan = plan_snapshots("practice", &existing, day("2026-11-15"));
    assert_eq!(plan.take.as_deref(), Some("practice-2026-11-15.alongside-backup"));
    assert_eq!(plan.prune, vec!["practice-2026-11-01.alongside-backup".to_string()]);

    // Started again the same day: nothing to take, nothing to prune.
    let mut existing = names(1..=13);
    existing.push(snapshot_file_name("practice", day("2026-11-15")));
    let plan = plan_snapshots("practice", &existing, day("2026-11-15"));
    assert_eq!(plan, SnapshotPlan { take: None, prune: Vec::new() });

    // Twenty left by an older version: the fourteen newest stay, today's counting among them.
    let existing = names(0..=19);
    let plan = plan_snapshots("practice", &existing, day("2026-11-30"));
    assert!(plan.take.is_some());
    assert_eq!(plan.prune, names(0..=6), "7 pruned: 13 kept plus today's is 14");
}

#[test]
fn other_files_in_the_snapshots_folder_are_left_alone_and_half_written_ones_pruned() {
    let existing: Vec<String> = [
        "demo-2026-11-22.alongside-backup",
        "practice-2026-11-22.alongside-backup",
        "practice-2026-11-22.alongside-backup.partial",
        "practice-backup.alongside-backup",
        "practice-2026-13-45.alongside-backup",
        "notes.txt",
    ]
    .map(String::from)
    .to_vec();
    let plan = plan_snapshots("practice", &existing, day("2026-11-23"));
    assert_eq!(plan.take.as_deref(), Some("practice-2026-11-23.alongside-backup"));
    assert_eq!(plan.prune, vec!["practice-2026-11-22.alongside-backup.partial".to_string()]);
    // The demo's own snapshot was taken yesterday; its plan does not see the practice's.
    let plan = plan_snapshots("demo", &existing, day("2026-11-22"));
    assert_eq!(plan, SnapshotPlan { take: None, prune: Vec::new() });
}

#[test]
fn the_practice_is_warned_after_seven_days_without_a_backup_or_when_there_was_never_one() {
    let today = day("2026-11-23");
    let never = backup_warning(None, today).unwrap();
    assert!(never.starts_with("No backup of this database has been made yet."), "{never}");
    assert_eq!(backup_warning(Some(today), today), None);
    assert_eq!(backup_warning(Some(day("2026-11-16")), today), None, "7 days is a weekly habit");
    let late = backup_warning(Some(day("2026-11-15")), today).unwrap();
    assert!(late.starts_with("The last backup was made 8 days ago."), "{late}");
}

#[test]
fn files_are_named_by_their_database_and_moment() {
    let at = day("2026-11-23").and_hms_opt(14, 30, 5).unwrap();
    assert_eq!(
        replaced_file_name("practice", "sqlite", at),
        "practice-replaced-2026-11-23-143005.sqlite"
    );
    assert_eq!(replaced_file_name("practice", "", at), "practice-replaced-2026-11-23-143005");
    assert_eq!(
        suggested_backup_name(day("2026-11-23")),
        "alongside-backup-2026-11-23.alongside-backup"
    );
}
