-- Session schema, version 2: the meeting's agenda and the leader's position (follow mode).

-- The agenda in order. criterion_code NULL: the whole unit.
CREATE TABLE agenda (
    position       INTEGER PRIMARY KEY,
    unit_code      TEXT NOT NULL,
    criterion_code TEXT,
    added_by       TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    UNIQUE (unit_code, criterion_code)
);

-- One row: where the meeting's leader is. Followers poll it (PRAGMA data_version first).
-- Times are Unix seconds so every screen shows the same clocks.
CREATE TABLE meeting (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    leader            TEXT,
    unit_code         TEXT,
    -- The criterion node on the leader's screen (a leaf, a parent, or NULL).
    criterion_code    TEXT,
    screen            TEXT NOT NULL DEFAULT 'overview',
    presenting        INTEGER NOT NULL DEFAULT 0,
    agenda_position   INTEGER,
    started_unix      INTEGER,
    item_started_unix INTEGER,
    updated_at        TEXT,
    -- Bumped on every move of the leader, and on every change of the agenda.
    move_seq          INTEGER NOT NULL DEFAULT 0,
    agenda_rev        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO meeting (id) VALUES (1);
