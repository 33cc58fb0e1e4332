-- Initial schema. Times are Unix epoch milliseconds (INTEGER); JSON is stored as TEXT.
-- Never edit a migration once it has landed: add a new NNNN_name.sql instead.

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    namespace        TEXT    NOT NULL,
    pod              TEXT    NOT NULL,
    container        TEXT    NOT NULL DEFAULT '',   -- '' = not named by the report
    pipeline_run     TEXT,
    task             TEXT,
    source           TEXT    NOT NULL DEFAULT 'webhook'
                     CHECK (source IN ('webhook', 'cloudevent', 'cli')),
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    run_after        INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_token      INTEGER,
    lease_expires_at INTEGER,
    last_error       TEXT,
    result           TEXT,
    fingerprint      TEXT,
    group_id         INTEGER REFERENCES failure_groups(id),
    report_count     INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    -- 1 while the report is being worked on, NULL after: see jobs_report. Derived from
    -- finished_at rather than state so that leasing (queued → running) leaves the index alone.
    active           INTEGER GENERATED ALWAYS AS (CASE WHEN finished_at IS NULL THEN 1 END) VIRTUAL,
    CHECK ((state IN ('queued', 'running')) = (finished_at IS NULL))
);

-- One active job per (namespace, pod, container): concurrent reports of the same pod collapse.
-- Unique among active jobs only, because SQLite treats NULLs as distinct (the guarantee of a
-- partial unique index over active states). The same index answers the dedupe lookup of a
-- recently finished job, so an insert touches one randomly placed index page instead of two.
CREATE UNIQUE INDEX jobs_report ON jobs (namespace, pod, container, active);
-- The lease query walks this partial index in order.
CREATE INDEX jobs_ready ON jobs (run_after, id) WHERE state = 'queued';
-- The rescuer looks for expired leases.
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);
CREATE INDEX jobs_fingerprint ON jobs (fingerprint) WHERE fingerprint IS NOT NULL;

CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
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
    UNIQUE (job_id, attempt)
);

CREATE TABLE transcript_entries (
    id             INTEGER PRIMARY KEY,
    job_id         INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    attempt        INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content        TEXT,
    tool_name      TEXT,
    tool_call_id   TEXT,
    tool_arguments TEXT,
    tool_result    TEXT,
    model          TEXT,
    tokens_in      INTEGER,
    tokens_out     INTEGER,
    latency_ms     INTEGER,
    created_at     INTEGER NOT NULL,
    UNIQUE (job_id, attempt, seq)
);

CREATE TABLE failure_groups (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT    NOT NULL UNIQUE,
    namespace    TEXT    NOT NULL,
    title        TEXT,
    issue_url    TEXT,
    issue_number INTEGER,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    occurrences  INTEGER NOT NULL DEFAULT 1
);

-- Side-effect ledger: a retried or re-leased job never repeats an effect that already happened.
CREATE TABLE effects (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,             -- e.g. 'create_issue'
    key        TEXT    NOT NULL,             -- e.g. the failure fingerprint
    job_id     INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    result     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (kind, key)
);
