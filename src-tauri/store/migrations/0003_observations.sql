-- What contact 1 and the lab record: one row per value, or per item not done, never changed or
-- deleted. A correction adds a new row and retracts the old one (superseded or entered in
-- error, with who, when and why), so the history shows both.

CREATE TABLE observation (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    -- The review it belongs to; NULL for a result kept from before the person's review.
    cycle_id INTEGER REFERENCES cycle (id),
    -- The catalogue item id (items.json).
    item TEXT NOT NULL,
    taken_on TEXT NOT NULL CHECK (length(taken_on) = 10),
    -- The value as written: "53", ">90", "142/88", an option id, "yes", a date, a score, text.
    -- NULL when the item was not done.
    value TEXT,
    -- For searches and reports: the quantity, systolic or score; the diastolic.
    number REAL,
    number2 REAL,
    -- The UCUM unit of a quantity.
    unit TEXT,
    -- The result option of a dated item.
    option TEXT,
    -- A questionnaire's chosen options, by position: "0,2,1".
    answers TEXT NOT NULL DEFAULT '',
    not_done_reason TEXT CHECK (not_done_reason IN ('declined', 'not_applicable', 'unable',
        'sent_to_lab')),
    note TEXT NOT NULL DEFAULT '',
    -- A lab value in another unit, kept exactly as the file gave it, when it was converted.
    reported_value TEXT,
    reported_unit TEXT,
    source TEXT NOT NULL CHECK (source IN ('contact1', 'lab_import', 'computed')),
    -- Where it came from: "results.csv line 12", or the items a BMI was worked out from.
    source_detail TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((value IS NULL) <> (not_done_reason IS NULL))
);

CREATE INDEX observation_by_patient ON observation (patient_id, item, taken_on);
CREATE INDEX observation_by_cycle ON observation (cycle_id) WHERE cycle_id IS NOT NULL;

-- An observation that no longer counts: superseded by a correction, or entered in error.
CREATE TABLE observation_retraction (
    observation_id INTEGER PRIMARY KEY REFERENCES observation (id),
    kind TEXT NOT NULL CHECK (kind IN ('superseded', 'entered_in_error')),
    replaced_by INTEGER REFERENCES observation (id),
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    CHECK ((kind = 'superseded') = (replaced_by IS NOT NULL))
);

CREATE TRIGGER observation_is_never_deleted BEFORE DELETE ON observation
BEGIN
    SELECT RAISE(ABORT, 'recorded values are superseded or marked entered in error, never deleted');
END;

CREATE TRIGGER observation_is_never_changed BEFORE UPDATE ON observation
BEGIN
    SELECT RAISE(ABORT, 'a recorded value is never overwritten: record a correction instead');
END;

CREATE TRIGGER observation_retraction_is_never_deleted BEFORE DELETE ON observation_retraction
BEGIN
    SELECT RAISE(ABORT, 'the history of a recorded value cannot be changed');
END;

CREATE TRIGGER observation_retraction_is_never_changed BEFORE UPDATE ON observation_retraction
BEGIN
    SELECT RAISE(ABORT, 'the history of a recorded value cannot be changed');
END;
