-- jobs_state (state, id) changed on every transition of every job: an entry inserted at
-- enqueue, moved at lease and moved again at completion, five b-tree writes per job on the
-- queue's hot path for lookups that are rare (listing jobs of one state, the oldest queued job).
-- Partial indexes serve those lookups instead, and the hot path touches only the first, twice:
-- jobs_queued (insert at enqueue, delete at lease) answers the oldest queued job and lists of
-- queued jobs; the others are written only when a job fails, dies or is cancelled. One index
-- per state because SQLite uses a partial index only when the query names the index's exact
-- condition (`state = 'dead'` does not select an index on `state IN (...)`). Running jobs are
-- few (jobs_leased); succeeded ones are most of the table, so a list of them reads the table
-- newest first and stops at its LIMIT.
DROP INDEX jobs_state;
CREATE INDEX jobs_queued ON jobs (id) WHERE state = 'queued';
CREATE INDEX jobs_failed ON jobs (id) WHERE state = 'failed';
CREATE INDEX jobs_dead ON jobs (id) WHERE state = 'dead';
CREATE INDEX jobs_cancelled ON jobs (id) WHERE state = 'cancelled';
