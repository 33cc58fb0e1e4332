-- Attempts keyed by (job_id, attempt) in one b-tree (WITHOUT ROWID) instead of a rowid table
-- plus its UNIQUE (job_id, attempt) index: leasing inserted into both and finishing an attempt
-- searched both, for an `id` nothing reads. The rows are copied; the columns are unchanged
-- but `id`.
CREATE TABLE attempts_by_job (
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    worker      TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    outcome     TEXT CHECK (outcome IN ('succeeded', 'retry', 'failed', 'dead', 'released', 'lease_expired')),
    error_class TEXT,
    error       TEXT,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    latency_ms  INTEGER,
    PRIMARY KEY (job_id, attempt)
) WITHOUT ROWID;
INSERT INTO attempts_by_job (job_id, attempt, worker, started_at, finished_at, outcome, error_class, error,
                             tokens_in, tokens_out, latency_ms)
    SELECT job_id, attempt, worker, started_at, finished_at, outcome, error_class, error, tokens_in, tokens_out, latency_ms
    FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_by_job RENAME TO attempts;
