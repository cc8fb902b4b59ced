-- Preparation packs put into one PDF: a batch of packs to post, or one pack printed again
-- later. A batch counts as sent only when the person who printed it confirms it was printed
-- and posted; a reprint is never "sent" again, it is only audited.
CREATE TABLE pack_batch (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('batch', 'reprint')),
    file TEXT NOT NULL,
    packs INTEGER NOT NULL,
    prepared_at TEXT NOT NULL,
    prepared_by TEXT NOT NULL,
    confirmed_at TEXT,
    cancelled_at TEXT,
    CHECK (confirmed_at IS NULL OR cancelled_at IS NULL),
    CHECK (kind = 'batch' OR (confirmed_at IS NULL AND cancelled_at IS NULL))
);

-- Whose pack is in a batch, for which review, in print order.
CREATE TABLE pack_batch_item (
    batch_id INTEGER NOT NULL REFERENCES pack_batch (id),
    position INTEGER NOT NULL,
    cycle_id INTEGER NOT NULL REFERENCES cycle (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    large_print INTEGER NOT NULL CHECK (large_print IN (0, 1)),
    PRIMARY KEY (batch_id, cycle_id),
    UNIQUE (batch_id, position)
) WITHOUT ROWID;

CREATE INDEX pack_batch_item_by_cycle ON pack_batch_item (cycle_id);

CREATE TRIGGER pack_batch_is_kept BEFORE DELETE ON pack_batch
BEGIN
    SELECT RAISE(ABORT, 'a printed batch is never deleted');
END;

CREATE TRIGGER pack_batch_item_is_kept BEFORE DELETE ON pack_batch_item
BEGIN
    SELECT RAISE(ABORT, 'a printed batch is never deleted');
END;

CREATE TRIGGER pack_batch_item_is_fixed BEFORE UPDATE ON pack_batch_item
BEGIN
    SELECT RAISE(ABORT, 'who was in a printed batch is never changed');
END;
