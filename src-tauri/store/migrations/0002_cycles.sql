-- The yearly review cycle: one per person per year, its events, invitations, bookings,
-- contact attempts, batches of printed letters, and the letterhead's logo.

-- The month of the year the review falls due: the chosen recall month, else the birth month.
ALTER TABLE patient ADD COLUMN review_month INTEGER
    GENERATED ALWAYS AS (coalesce(recall_month, CAST(substr(date_of_birth, 6, 2) AS INTEGER))) VIRTUAL;
CREATE INDEX patient_by_review_month ON patient (review_month, status);

CREATE TABLE cycle (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    year INTEGER NOT NULL,
    due_month TEXT NOT NULL CHECK (length(due_month) = 7),
    status TEXT NOT NULL CHECK (status IN ('due', 'invited', 'contact1_booked', 'contact1_attended',
        'results_complete', 'triaged', 'pack_sent', 'conversation_booked', 'conversation_held',
        'plan_agreed', 'declined', 'pca', 'left', 'died')),
    pack_sent_on TEXT,
    closed_on TEXT,
    pca_reason TEXT CHECK (pca_reason IN ('unsuitable', 'declined', 'no_response',
        'newly_diagnosed_or_registered', 'other')),
    closing_note TEXT NOT NULL DEFAULT '',
    opened_on TEXT NOT NULL,
    UNIQUE (patient_id, year)
);

CREATE INDEX cycle_by_due_month ON cycle (due_month);

-- Every transition of a cycle: what, on which day, recorded by whom and when.
CREATE TABLE cycle_event (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    transition TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX cycle_event_by_cycle ON cycle_event (cycle_id, id);

CREATE TABLE letter_batch (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('invitation')),
    month TEXT NOT NULL,
    file TEXT NOT NULL,
    letters INTEGER NOT NULL,
    prepared_at TEXT NOT NULL,
    prepared_by TEXT NOT NULL,
    confirmed_at TEXT,
    cancelled_at TEXT,
    CHECK (confirmed_at IS NULL OR cancelled_at IS NULL)
);

-- Who is in a batch, and which letter they get: what is recorded when printing is confirmed.
CREATE TABLE letter_batch_item (
    batch_id INTEGER NOT NULL REFERENCES letter_batch (id),
    position INTEGER NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    due_month TEXT NOT NULL,
    invitation_number INTEGER NOT NULL CHECK (invitation_number BETWEEN 1 AND 3),
    large_print INTEGER NOT NULL CHECK (large_print IN (0, 1)),
    PRIMARY KEY (batch_id, patient_id),
    UNIQUE (batch_id, position)
) WITHOUT ROWID;

CREATE TABLE invitation (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 3),
    sent_on TEXT NOT NULL,
    batch_id INTEGER REFERENCES letter_batch (id),
    UNIQUE (cycle_id, number)
);

-- A booking made in the clinical system and recorded here. A rebooking replaces, never deletes.
CREATE TABLE booking (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    contact INTEGER NOT NULL CHECK (contact IN (1, 2)),
    starts_at TEXT NOT NULL,
    with_whom TEXT NOT NULL,
    place TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    replaced_at TEXT
);

CREATE UNIQUE INDEX booking_current ON booking (cycle_id, contact) WHERE replaced_at IS NULL;

CREATE TABLE contact_attempt (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    cycle_id INTEGER REFERENCES cycle (id),
    on_date TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('letter', 'phone', 'sms', 'email', 'in_person')),
    outcome TEXT NOT NULL CHECK (outcome IN ('booked', 'no_answer', 'declined', 'left_message',
        'wrong_number')),
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX contact_attempt_by_patient ON contact_attempt (patient_id, on_date);

-- The practice's logo for the letterhead (a PNG), if it has one.
CREATE TABLE letterhead_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    png BLOB NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TRIGGER cycle_is_never_deleted BEFORE DELETE ON cycle
BEGIN
    SELECT RAISE(ABORT, 'reviews are closed, never deleted');
END;

CREATE TRIGGER cycle_event_is_never_deleted BEFORE DELETE ON cycle_event
BEGIN
    SELECT RAISE(ABORT, 'the history of a review cannot be changed');
END;

CREATE TRIGGER cycle_event_is_never_changed BEFORE UPDATE ON cycle_event
BEGIN
    SELECT RAISE(ABORT, 'the history of a review cannot be changed');
END;

CREATE TRIGGER invitation_is_never_deleted BEFORE DELETE ON invitation
BEGIN
    SELECT RAISE(ABORT, 'sent invitations are never deleted');
END;

CREATE TRIGGER booking_is_never_deleted BEFORE DELETE ON booking
BEGIN
    SELECT RAISE(ABORT, 'bookings are replaced, never deleted');
END;

CREATE TRIGGER contact_attempt_is_never_deleted BEFORE DELETE ON contact_attempt
BEGIN
    SELECT RAISE(ABORT, 'contact attempts are never deleted');
END;
