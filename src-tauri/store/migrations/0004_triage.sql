-- Triage: what clinicians did about the findings of the rules in assets/rules/, how each
-- review is routed, the practice's own thresholds and people's own targets. Every table is
-- append-only: a later row replaces an earlier one, nothing is changed or deleted.

-- A red (or amber) finding acknowledged by a clinician, with the action taken.
CREATE TABLE finding_acknowledgement (
    id INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES observation (id),
    -- The rule id from assets/rules/, or 'personal-target'.
    rule_id TEXT NOT NULL,
    cycle_id INTEGER REFERENCES cycle (id),
    action TEXT NOT NULL CHECK (action IN ('contacted_today', 'referred', 'repeat_test',
        'no_action')),
    note TEXT NOT NULL DEFAULT '',
    acknowledged_by TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    UNIQUE (observation_id, rule_id),
    CHECK (action <> 'no_action' OR length(trim(note)) > 0)
);

CREATE INDEX finding_acknowledgement_by_cycle ON finding_acknowledgement (cycle_id);

-- The clinician's decisions for a review: where the conversation goes, whether a medication
-- review is needed, notes for the conversation. The latest route and medication review count.
CREATE TABLE triage_entry (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    kind TEXT NOT NULL CHECK (kind IN ('route', 'medication_review', 'note')),
    role TEXT CHECK (role IN ('nurse', 'gp', 'pharmacist', 'other')),
    clinician TEXT NOT NULL DEFAULT '',
    needed INTEGER CHECK (needed IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((kind = 'route') = (role IS NOT NULL)),
    CHECK ((kind = 'medication_review') = (needed IS NOT NULL)),
    CHECK (kind <> 'note' OR length(trim(note)) > 0)
);

CREATE INDEX triage_entry_by_cycle ON triage_entry (cycle_id);

-- A person's own target for one item, replacing the practice's target (never a red rule).
-- The latest row for a person and item counts; a NULL target goes back to the practice's.
CREATE TABLE personal_target (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    item TEXT NOT NULL,
    target TEXT,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE INDEX personal_target_by_patient ON personal_target (patient_id, item);

-- The practice's own thresholds for a rule, in the order of its conditions (a JSON array of
-- numbers written as text). The latest row for a rule counts; NULL restores the shipped ones.
CREATE TABLE rule_change (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    thresholds TEXT,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

CREATE TRIGGER finding_acknowledgement_is_kept BEFORE DELETE ON finding_acknowledgement
BEGIN
    SELECT RAISE(ABORT, 'an acknowledgement is never deleted');
END;

CREATE TRIGGER finding_acknowledgement_is_fixed BEFORE UPDATE ON finding_acknowledgement
BEGIN
    SELECT RAISE(ABORT, 'an acknowledgement is never changed');
END;

CREATE TRIGGER triage_entry_is_kept BEFORE DELETE ON triage_entry
BEGIN
    SELECT RAISE(ABORT, 'a triage decision is never deleted: record a new one');
END;

CREATE TRIGGER triage_entry_is_fixed BEFORE UPDATE ON triage_entry
BEGIN
    SELECT RAISE(ABORT, 'a triage decision is never changed: record a new one');
END;

CREATE TRIGGER personal_target_is_kept BEFORE DELETE ON personal_target
BEGIN
    SELECT RAISE(ABORT, 'a personal target is never deleted: set a new one');
END;

CREATE TRIGGER personal_target_is_fixed BEFORE UPDATE ON personal_target
BEGIN
    SELECT RAISE(ABORT, 'a personal target is never changed: set a new one');
END;

CREATE TRIGGER rule_change_is_kept BEFORE DELETE ON rule_change
BEGIN
    SELECT RAISE(ABORT, 'the history of the rules is never deleted');
END;

CREATE TRIGGER rule_change_is_fixed BEFORE UPDATE ON rule_change
BEGIN
    SELECT RAISE(ABORT, 'the history of the rules is never changed');
END;
