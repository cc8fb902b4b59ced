-- The "more than medicine" directory, care and support plans in draft, and agreed plans.

-- A local service or community activity. Edited in place (each change audited with what it
-- was), retired rather than deleted, so a plan that points to it always finds it.
CREATE TABLE directory_service (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category TEXT NOT NULL CHECK (category IN ('physical_activity', 'weight_and_eating',
        'social_and_loneliness', 'carers', 'mental_wellbeing', 'money_and_benefits', 'housing',
        'education', 'peer_support', 'stopping_smoking', 'other')),
    offers TEXT NOT NULL DEFAULT '',
    for_whom TEXT NOT NULL DEFAULT '',
    -- Access codes separated by commas: self_referral, practice_referral, social_prescriber.
    access TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    opening_times TEXT NOT NULL DEFAULT '',
    cost TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    last_checked TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    changed_by TEXT,
    changed_at TEXT,
    retired_by TEXT,
    retired_at TEXT
);

-- Two services in use never share a name (an imported file matches on it).
CREATE UNIQUE INDEX directory_service_by_name ON directory_service (lower(name))
    WHERE retired_at IS NULL;

CREATE TRIGGER directory_service_is_kept BEFORE DELETE ON directory_service
BEGIN
    SELECT RAISE(ABORT, 'a directory service is never deleted: retire it');
END;

-- An agreed care and support plan: one row per version, never changed or deleted. Content is
-- the plan document (JSON, format 1) exactly as agreed.
CREATE TABLE care_plan (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    cycle_id INTEGER REFERENCES cycle (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    content TEXT NOT NULL,
    agreed_on TEXT NOT NULL,
    agreed_with TEXT NOT NULL CHECK (agreed_with IN ('person', 'representative')),
    representative_name TEXT NOT NULL DEFAULT '',
    representative_relationship TEXT NOT NULL DEFAULT '',
    -- Who held the conversation, as the printed plan names them.
    clinician TEXT NOT NULL,
    no_contingency_confirmed INTEGER NOT NULL CHECK (no_contingency_confirmed IN (0, 1)),
    change_reason TEXT NOT NULL DEFAULT '',
    agreed_by TEXT NOT NULL,
    agreed_at TEXT NOT NULL,
    UNIQUE (patient_id, version),
    CHECK (agreed_with = 'person' OR (length(trim(representative_name)) > 0
        AND length(trim(representative_relationship)) > 0)),
    CHECK (version = 1 OR length(trim(change_reason)) > 0)
);

CREATE TRIGGER care_plan_is_kept BEFORE DELETE ON care_plan
BEGIN
    SELECT RAISE(ABORT, 'an agreed care plan is never deleted');
END;

CREATE TRIGGER care_plan_is_fixed BEFORE UPDATE ON care_plan
BEGIN
    SELECT RAISE(ABORT, 'an agreed care plan is never changed: agree a new version');
END;

-- The plan being worked on at the conversation: saved as it is typed (each save audited), then
-- closed when agreed (pointing to the version it became) or set aside. At most one is open for
-- a person. `revision` counts saves, so a save made from an out-of-date screen is refused.
CREATE TABLE care_plan_draft (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    cycle_id INTEGER REFERENCES cycle (id),
    -- The agreed version this draft changes, or NULL for a plan made at a review.
    based_on INTEGER REFERENCES care_plan (id),
    content TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    agreed_as INTEGER REFERENCES care_plan (id),
    set_aside_at TEXT,
    CHECK (agreed_as IS NULL OR set_aside_at IS NULL)
);

CREATE UNIQUE INDEX care_plan_draft_open ON care_plan_draft (patient_id)
    WHERE agreed_as IS NULL AND set_aside_at IS NULL;

CREATE TRIGGER care_plan_draft_is_kept BEFORE DELETE ON care_plan_draft
BEGIN
    SELECT RAISE(ABORT, 'a care plan draft is never deleted');
END;

CREATE TRIGGER care_plan_draft_closed_stays_closed BEFORE UPDATE ON care_plan_draft
    WHEN OLD.agreed_as IS NOT NULL OR OLD.set_aside_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed care plan draft is never changed');
END;
