-- PostgreSQL schema: the same tables as migrations/*.sql (SQLite), for replicas on several
-- hosts. Times are timestamptz from the database's now(), never a host's clock. JSON is TEXT,
-- as in SQLite, so both drivers hand the same strings back.
-- Never edit a migration once it has landed: add a new NNNN_name.sql instead.

CREATE TABLE failure_groups (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fingerprint  TEXT        NOT NULL UNIQUE,
    namespace    TEXT        NOT NULL,
    title        TEXT,
    issue_url    TEXT,
    issue_number BIGINT,
    first_seen   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen    TIMESTAMPTZ NOT NULL DEFAULT now(),
    occurrences  INTEGER     NOT NULL DEFAULT 1
);
CREATE INDEX failure_groups_last_seen ON failure_groups (last_seen DESC, id DESC);

CREATE TABLE jobs (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace        TEXT        NOT NULL,
    pod              TEXT        NOT NULL,
    container        TEXT        NOT NULL DEFAULT '',   -- '' = not named by the report
    pipeline_run     TEXT,
    task             TEXT,
    source           TEXT        NOT NULL DEFAULT 'webhook'
                     CHECK (source IN ('webhook', 'cloudevent', 'cli')),
    state            TEXT        NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    max_attempts     INTEGER     NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    run_after        TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner      TEXT,
    lease_token      BIGINT,
    lease_expires_at TIMESTAMPTZ,
    last_error       TEXT,
    result           TEXT,
    fingerprint      TEXT,
    group_id         BIGINT      REFERENCES failure_groups (id),
    report_count     INTEGER     NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    CHECK ((state IN ('queued', 'running')) = (finished_at IS NULL))
) WITH (
    -- A queue table is rewritten all day: vacuum it early and leave room on each page for
    -- HOT updates (leasing, heartbeats), so bloat stays small between vacuums.
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);

-- One active job per (namespace, pod, container): concurrent reports of the same pod collapse
-- through INSERT ... ON CONFLICT on this partial unique index. finished_at rather than state
-- so that leasing (queued -> running) leaves the index alone.
CREATE UNIQUE INDEX jobs_active_report ON jobs (namespace, pod, container) WHERE finished_at IS NULL;
-- A report of a pod whose job succeeded within the dedupe window joins that job.
CREATE INDEX jobs_recent_report ON jobs (namespace, pod, container, finished_at) WHERE state = 'succeeded';
-- The lease CTE walks this index in its ORDER BY (run_after, id): SKIP LOCKED steps over
-- locked entries of the index instead of sorting the whole queue.
CREATE INDEX jobs_ready ON jobs (run_after, id) WHERE state = 'queued';
-- The rescuer looks for expired leases.
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);
CREATE INDEX jobs_fingerprint ON jobs (fingerprint) WHERE fingerprint IS NOT NULL;

CREATE TABLE attempts (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      BIGINT      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     INTEGER     NOT NULL,
    worker      TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    outcome     TEXT CHECK (outcome IN ('succeeded', 'retry', 'failed', 'dead', 'released', 'lease_expired')),
    error_class TEXT,
    error       TEXT,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    latency_ms  BIGINT,
    UNIQUE (job_id, attempt)
);

CREATE TABLE transcript_entries (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id         BIGINT      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt        INTEGER     NOT NULL,
    seq            INTEGER     NOT NULL,
    role           TEXT        NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content        TEXT,
    tool_name      TEXT,
    tool_call_id   TEXT,
    tool_arguments TEXT,
    tool_result    TEXT,
    tool_calls     TEXT,        -- JSON array of {"id","name","arguments"} of an assistant turn
    model          TEXT,
    tokens_in      INTEGER,
    tokens_out     INTEGER,
    latency_ms     INTEGER,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (job_id, attempt, seq)
);

-- Side-effect ledger: a retried or re-leased job never repeats an effect that already happened.
CREATE TABLE effects (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT        NOT NULL,             -- 'create_issue' (key: fingerprint), 'occurrence' (key: job id)
    key        TEXT        NOT NULL,
    job_id     BIGINT      REFERENCES jobs (id) ON DELETE SET NULL,
    state      TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    result     TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kind, key)
);
CREATE INDEX effects_job ON effects (job_id) WHERE state = 'pending';
