-- Session schema, version 5: the columns a session is loaded from, as an index of their own.
-- self_scores keeps each item's note and evidence in its row; loading the scores read all of
-- it (150 MB on 10,000 units for 20 MB of scores), and a row with a 200 MB note slowed every
-- lookup that passed it. An index is not content: the chain's digests do not see it.
CREATE INDEX IF NOT EXISTS self_scores_loading
    ON self_scores (submission_id, criterion_id, score, evidence_count, changed);
