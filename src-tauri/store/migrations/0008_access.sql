-- Staff accounts, signing in, and an audit trail whose entries are chained by hash.

CREATE TABLE staff_account (
    id INTEGER PRIMARY KEY,
    -- Lower case: letters, digits, dots, hyphens, underscores.
    username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
    full_name TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('administrator', 'receptionist', 'hca', 'nurse', 'gp',
        'pharmacist', 'practice_manager')),
    -- Argon2id: argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>. Never the password.
    password_hash TEXT NOT NULL CHECK (password_hash LIKE 'argon2id$%'),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TRIGGER staff_account_is_never_deleted BEFORE DELETE ON staff_account
BEGIN
    SELECT RAISE(ABORT, 'staff accounts are disabled, never deleted');
END;

-- Wrong passwords in a row for a username (known or not), since the last right one.
CREATE TABLE sign_in_failure (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_failed_at TEXT NOT NULL
) WITHOUT ROWID;

-- Each entry's hash chains it to the one before (see domain/audit.rs). Entries made before
-- this migration are sealed in order once, by the program, when it is applied.
ALTER TABLE audit_event ADD COLUMN hash TEXT;

DROP TRIGGER audit_event_is_never_changed;

CREATE TRIGGER audit_event_is_never_changed BEFORE UPDATE ON audit_event
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
    OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
    OR NEW.patient_id IS NOT OLD.patient_id OR NEW.summary IS NOT OLD.summary
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE INDEX audit_event_by_actor ON audit_event (actor, id);
CREATE INDEX audit_event_by_action ON audit_event (action, id);
