-- Session schema, version 4: a time budget per agenda item (seconds; NULL: none). The agenda
-- is not in the hash chain, so neither is its budget.
ALTER TABLE agenda ADD COLUMN budget_seconds INTEGER
    CHECK (budget_seconds IS NULL OR budget_seconds > 0);
