-- Session schema, version 1. Points are stored as TEXT decimals ("6.5"), never REAL.
PRAGMA application_id = 1129202508; -- "CNCL"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The criteria framework; `id` is the node's position in code order.
CREATE TABLE criteria (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    max_points TEXT NOT NULL,
    min_points TEXT NOT NULL,
    step       TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('score', 'survey', 'bonus', 'penalty')),
    rule       TEXT NOT NULL
);

CREATE TABLE units (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    grp                TEXT NOT NULL,
    current_submission INTEGER
);

-- Each import that changes a unit's self-assessment adds a version; earlier ones stay.
CREATE TABLE submissions (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    version     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (unit_id, version)
);

-- One row per item of a submission version. `changed`: differs from the previous version.
-- `evidence` is the item's evidence references in file order, as a JSON array of
-- [ref, title, location] triples (read it with json_each); kept in the item's row because an
-- item's evidence is only ever read and written whole.
CREATE TABLE self_scores (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id),
    criterion_id   INTEGER NOT NULL REFERENCES criteria (id),
    score          TEXT,
    evidence_count INTEGER NOT NULL,
    changed        INTEGER NOT NULL,
    -- Long texts last: loading the session reads only the columns before them.
    note           TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    PRIMARY KEY (submission_id, criterion_id)
) WITHOUT ROWID;

-- The working group's current proposal per item; replaced ones move to proposal_history.
CREATE TABLE proposals (
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    score        TEXT NOT NULL,
    note         TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (unit_id, criterion_id)
) WITHOUT ROWID;

CREATE TABLE proposal_history (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL,
    criterion_id INTEGER NOT NULL,
    score        TEXT NOT NULL,
    note         TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    replaced_at  TEXT NOT NULL
);

-- Sociological survey points for `survey` leaves.
CREATE TABLE survey (
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    score        TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (unit_id, criterion_id)
) WITHOUT ROWID;

-- The council's append-only, hash-chained log: decisions, undos, redos, flags.
CREATE TABLE decision_log (
    seq            INTEGER PRIMARY KEY,
    unit_code      TEXT NOT NULL,
    criterion_code TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('decide', 'undo', 'redo', 'flag', 'unflag')),
    score          TEXT NOT NULL,
    basis          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_at     TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX decision_log_item ON decision_log (unit_code, criterion_code, seq);

CREATE TRIGGER decision_log_no_update BEFORE UPDATE ON decision_log
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only');
END;
CREATE TRIGGER decision_log_no_delete BEFORE DELETE ON decision_log
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only');
END;

-- Current decision state per item, derived from decision_log in the same transaction.
CREATE TABLE decision_state (
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    council      TEXT,
    basis        TEXT,
    reason       TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    flagged      INTEGER NOT NULL,
    log_seq      INTEGER NOT NULL,
    PRIMARY KEY (unit_id, criterion_id)
) WITHOUT ROWID;
