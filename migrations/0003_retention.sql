-- Retention (AGENT_RETENTION_DAYS) deletes finished jobs oldest first, in small batches: this
-- index hands it the next batch without scanning the table. Jobs still queued or running are
-- not in it, so leasing and ingest never touch it.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- Deleting a job sets effects.job_id to NULL (ON DELETE SET NULL); without an index each
-- deleted job would scan the whole ledger.
CREATE INDEX effects_job ON effects (job_id) WHERE job_id IS NOT NULL;
