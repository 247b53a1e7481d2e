-- Session schema, version 3: one hash chain over everything that determines a result, the
-- account behind every entry, the session's settings and its members.

-- The log now also holds session-wide entries (unit_code and criterion_code ''): imports
-- (content: a digest of what the session holds after them), settings, members and the
-- finalisation. `format` 1 marks entries written before version 3, hashed as then.
CREATE TABLE decision_log_v3 (
    seq            INTEGER PRIMARY KEY,
    unit_code      TEXT NOT NULL,
    criterion_code TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('decide', 'undo', 'redo', 'flag', 'unflag',
                                                   'import', 'configure', 'member', 'finalise')),
    score          TEXT NOT NULL,
    basis          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_at     TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    -- The operating-system account that wrote the entry ('' and NULL before version 3).
    login          TEXT NOT NULL DEFAULT '',
    uid            INTEGER,
    content        TEXT NOT NULL DEFAULT '',
    format         INTEGER NOT NULL DEFAULT 1
);
INSERT INTO decision_log_v3 (seq, unit_code, criterion_code, action, score, basis, reason,
                             decided_by, decided_at, prev_hash, hash)
    SELECT seq, unit_code, criterion_code, action, score, basis, reason, decided_by, decided_at,
           prev_hash, hash FROM decision_log;
DROP TABLE decision_log;
ALTER TABLE decision_log_v3 RENAME TO decision_log;
CREATE INDEX decision_log_item ON decision_log (unit_code, criterion_code, seq);

CREATE TRIGGER decision_log_no_update BEFORE UPDATE ON decision_log
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only');
END;
CREATE TRIGGER decision_log_no_delete BEFORE DELETE ON decision_log
BEGIN
    SELECT RAISE(ABORT, 'the decision log is append-only');
END;

ALTER TABLE decision_state ADD COLUMN decided_login TEXT NOT NULL DEFAULT '';

-- Settings shared by every screen and command of the session (rank mode, bands, …), as
-- folded from the log's 'configure' entries.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Who may write, as folded from the log's 'member' entries; empty: anyone who can open the file.
CREATE TABLE members (
    login TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    role  TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member', 'observer'))
) WITHOUT ROWID;
