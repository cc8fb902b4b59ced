-- What the steering group's report reads: patient feedback forms, what each agreed plan
-- contains, and indexes that let the report read a practice's events without reading every row.

-- A paper feedback form filled in after the care and support planning conversation, entered as
-- ticked. collaboRATE: three answers 0-4 ('-' left blank). CARE: ten answers 1-5, 'n' for "does
-- not apply", '-' left blank. Never changed or deleted: a correction is a new form that
-- retracts the old one. Reported only in aggregate.
CREATE TABLE feedback_form (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    -- The day on the form, or the day it came back.
    completed_on TEXT NOT NULL CHECK (length(completed_on) = 10),
    collaborate TEXT NOT NULL CHECK (collaborate GLOB '[0-4-][0-4-][0-4-]'),
    care TEXT NOT NULL
        CHECK (care GLOB '[1-5n-][1-5n-][1-5n-][1-5n-][1-5n-][1-5n-][1-5n-][1-5n-][1-5n-][1-5n-]'),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);

CREATE INDEX feedback_form_by_cycle ON feedback_form (cycle_id);

-- A form that no longer counts: corrected by another, or entered in error.
CREATE TABLE feedback_form_retraction (
    form_id INTEGER PRIMARY KEY REFERENCES feedback_form (id),
    kind TEXT NOT NULL CHECK (kind IN ('superseded', 'entered_in_error')),
    replaced_by INTEGER REFERENCES feedback_form (id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    CHECK ((kind = 'superseded') = (replaced_by IS NOT NULL))
);

CREATE TRIGGER feedback_form_is_kept BEFORE DELETE ON feedback_form
BEGIN
    SELECT RAISE(ABORT, 'a feedback form is never deleted: mark it entered in error');
END;

CREATE TRIGGER feedback_form_is_fixed BEFORE UPDATE ON feedback_form
BEGIN
    SELECT RAISE(ABORT, 'a feedback form is never changed: enter the correction');
END;

CREATE TRIGGER feedback_form_retraction_is_kept BEFORE DELETE ON feedback_form_retraction
BEGIN
    SELECT RAISE(ABORT, 'the history of a feedback form cannot be changed');
END;

CREATE TRIGGER feedback_form_retraction_is_fixed BEFORE UPDATE ON feedback_form_retraction
BEGIN
    SELECT RAISE(ABORT, 'the history of a feedback form cannot be changed');
END;

-- What an agreed plan contains (domain::metrics::PlanQuality), written with the plan in the
-- same transaction and never changed, as the plan never is. A plan agreed before this table
-- existed has no row, and the report reads its content instead.
CREATE TABLE care_plan_quality (
    care_plan_id INTEGER PRIMARY KEY REFERENCES care_plan (id),
    -- The plan's review and version, as in care_plan, so the report reads this table alone.
    cycle_id INTEGER REFERENCES cycle (id),
    version INTEGER NOT NULL,
    own_words_goal INTEGER NOT NULL CHECK (own_words_goal IN (0, 1)),
    action_with_who_and_when INTEGER NOT NULL CHECK (action_with_who_and_when IN (0, 1)),
    contingency INTEGER NOT NULL CHECK (contingency IN (0, 1)),
    review_date INTEGER NOT NULL CHECK (review_date IN (0, 1)),
    signposting INTEGER NOT NULL CHECK (signposting IN (0, 1)),
    goals_achieved INTEGER NOT NULL,
    goals_partly_achieved INTEGER NOT NULL,
    goals_not_achieved INTEGER NOT NULL,
    goals_changed INTEGER NOT NULL,
    goals_no_longer_relevant INTEGER NOT NULL,
    goals_not_marked INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER care_plan_quality_is_kept BEFORE DELETE ON care_plan_quality
BEGIN
    SELECT RAISE(ABORT, 'an agreed care plan is never deleted');
END;

CREATE TRIGGER care_plan_quality_is_fixed BEFORE UPDATE ON care_plan_quality
BEGIN
    SELECT RAISE(ABORT, 'an agreed care plan is never changed: agree a new version');
END;

-- Each kind of step of every review, read in one pass of an index.
CREATE INDEX cycle_event_by_transition ON cycle_event (transition, cycle_id, on_date);

-- The values contact 1 recorded for each review, with the day each was taken: whether
-- everything was done in one visit; and the checks left undone because the person declined or
-- could not.
CREATE INDEX observation_contact1_by_cycle
    ON observation (cycle_id, taken_on, item) WHERE source = 'contact1';
CREATE INDEX observation_contact1_undone ON observation (cycle_id)
    WHERE source = 'contact1' AND not_done_reason IN ('declined', 'unable');
