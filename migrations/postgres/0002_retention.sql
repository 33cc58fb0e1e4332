-- Retention (AGENT_RETENTION_DAYS) deletes finished jobs oldest first, in small batches: this
-- index hands it the next batch without scanning the table; active jobs are not in it.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- Deleting a job sets effects.job_id to NULL (ON DELETE SET NULL); the existing index covers
-- pending entries only, so without this one each deleted job would scan the whole ledger.
CREATE INDEX effects_job_any ON effects (job_id) WHERE job_id IS NOT NULL;
