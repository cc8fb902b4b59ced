-- The register of people with long-term conditions, the audit trail and practice settings.

CREATE TABLE patient (
    id INTEGER PRIMARY KEY,
    nhs_number TEXT NOT NULL UNIQUE CHECK (length(nhs_number) = 10),
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    -- Folded "family given", kept for ordering and browsing.
    sort_key TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    address_line_1 TEXT,
    address_line_2 TEXT,
    town TEXT,
    postcode TEXT,
    phone TEXT,
    email TEXT,
    usual_clinician TEXT,
    -- Accessible Information Standard needs as file tokens separated by ';'.
    communication_needs TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('registered', 'left', 'deceased')),
    recall_month INTEGER CHECK (recall_month BETWEEN 1 AND 12),
    -- Derived from the current diagnoses in the same transaction that writes them.
    ltc_count INTEGER NOT NULL,
    frailty TEXT CHECK (frailty IN ('mild', 'moderate', 'severe')),
    -- One bit per condition the person has (bits from condition_flag), so that counting
    -- everyone with a condition reads one narrow index instead of every row.
    condition_flags INTEGER NOT NULL DEFAULT 0,
    missing_from_latest_import INTEGER NOT NULL DEFAULT 0 CHECK (missing_from_latest_import IN (0, 1)),
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX patient_by_sort_key ON patient (sort_key, id);
CREATE INDEX patient_by_date_of_birth ON patient (date_of_birth);
-- Covers every register filter, for counting matches without reading whole rows.
CREATE INDEX patient_by_filters ON patient (status, condition_flags, ltc_count, frailty);

-- The bit of patient.condition_flags that stands for each catalogue condition, given out in
-- order of first use and never changed.
CREATE TABLE condition_flag (
    condition_id TEXT PRIMARY KEY,
    bit INTEGER NOT NULL UNIQUE CHECK (bit BETWEEN 0 AND 62)
) WITHOUT ROWID;

-- Each folded word of a person's names, for search as you type.
CREATE TABLE patient_name_word (
    word TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    PRIMARY KEY (word, patient_id)
) WITHOUT ROWID;

-- A long-term condition on a person's record. A row is never deleted: when a later register
-- file no longer lists it, or lists it differently, it is ended and a new row written.
CREATE TABLE diagnosis (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    snomed_code TEXT NOT NULL,
    condition_id TEXT NOT NULL,
    diagnosed_on TEXT,
    recorded_at TEXT NOT NULL,
    ended_at TEXT
);

CREATE UNIQUE INDEX diagnosis_current ON diagnosis (patient_id, snomed_code) WHERE ended_at IS NULL;
CREATE INDEX diagnosis_by_condition ON diagnosis (condition_id, patient_id) WHERE ended_at IS NULL;

-- Who did what, when, to whose record. Appended in the same transaction as the change.
CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    patient_id INTEGER REFERENCES patient (id),
    summary TEXT NOT NULL
);

CREATE INDEX audit_event_by_patient ON audit_event (patient_id, id) WHERE patient_id IS NOT NULL;

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER patient_is_never_deleted BEFORE DELETE ON patient
BEGIN
    SELECT RAISE(ABORT, 'people are never deleted from the register');
END;

CREATE TRIGGER diagnosis_is_never_deleted BEFORE DELETE ON diagnosis
BEGIN
    SELECT RAISE(ABORT, 'diagnoses are ended, never deleted');
END;

CREATE TRIGGER audit_event_is_never_deleted BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER audit_event_is_never_changed BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
