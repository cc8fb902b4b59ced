//! Tests of the audit trail's hash chain: each link, and the first break found.

use super::*;

fn entry(id: i64, summary: &str) -> AuditEntry {
    AuditEntry {
        id,
        at: format!("2026-11-23T09:00:{id:02}Z"),
        actor: "nurse".into(),
        action: "record.viewed".into(),
        patient_id: Some(4),
        summary: summary.into(),
    }
}

fn chain(entries: &[AuditEntry]) -> Vec<String> {
    let mut previous = GENESIS.to_string();
    entries
        .iter()
        .map(|e| {
            previous = link(&previous, e);
            previous.clone()
        })
        .collect()
}

fn first_break(entries: &[AuditEntry], hashes: &[Option<String>]) -> Option<Break> {
    let mut state = ChainState::default();
    check(&mut state, entries.iter().zip(hashes.iter().map(|h| h.as_deref())))
}

#[test]
fn an_untouched_chain_checks_and_any_change_or_removal_is_found_where_it_happened() {
    let entries: Vec<AuditEntry> = (1..=5).map(|i| entry(i, &format!("entry {i}"))).collect();
    let hashes: Vec<Option<String>> = chain(&entries).into_iter().map(Some).collect();
    assert_eq!(first_break(&entries, &hashes), None);

    let mut changed = entries.clone();
    changed[2].summary = "entry three, quietly edited".into();
    assert_eq!(first_break(&changed, &hashes), Some(Break::Changed { id: 3 }));
    let mut other_person = entries.clone();
    other_person[3].patient_id = Some(5);
    assert_eq!(first_break(&other_person, &hashes), Some(Break::Changed { id: 4 }));

    let mut removed = entries.clone();
    let mut removed_hashes = hashes.clone();
    removed.remove(1);
    removed_hashes.remove(1);
    assert_eq!(first_break(&removed, &removed_hashes), Some(Break::Missing { id: 3, after: 1 }));

    // Renumbered after a removal, and re-hashed from the changed row on: the row before still
    // holds its old hash, so the chain breaks at the first re-hashed row.
    let mut rehashed_hashes = hashes.clone();
    let mut forged = entries.clone();
    forged[1].summary = "forged".into();
    rehashed_hashes[1] = Some(link("not the real previous hash", &forged[1]));
    assert_eq!(first_break(&forged, &rehashed_hashes), Some(Break::Changed { id: 2 }));

    let mut unsealed = hashes.clone();
    unsealed[4] = None;
    assert_eq!(first_break(&entries, &unsealed), Some(Break::Unsealed { id: 5 }));
}

#[test]
fn a_long_trail_checks_in_pieces_as_in_one() {
    let entries: Vec<AuditEntry> = (1..=7).map(|i| entry(i, "x")).collect();
    let hashes = chain(&entries);
    let mut state = ChainState::default();
    let pairs: Vec<(&AuditEntry, Option<&str>)> =
        entries.iter().zip(hashes.iter().map(|h| Some(h.as_str()))).collect();
    assert_eq!(check(&mut state, pairs[..3].iter().copied()), None);
    assert_eq!(check(&mut state, pairs[3..].iter().copied()), None);
    assert_eq!(state.checked, 7);
    assert_eq!(state.last_id, Some(7));
}

#[test]
fn fields_cannot_be_shifted_into_each_other_without_changing_the_hash() {
    let mut a = entry(1, "b");
    a.action = "a\n1:".into();
    let mut b = entry(1, "1:\nb");
    b.action = "a".into();
    assert_ne!(link(GENESIS, &a), link(GENESIS, &b));
}
