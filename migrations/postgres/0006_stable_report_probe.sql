-- The enqueue batch's look for a job of the pod that succeeded within the dedupe window must
-- walk jobs_recent_report whatever the statistics say when a connection plans it. The plan
-- of enqueue_reports is generic and kept for the connection's life, and a pool opened on a
-- young table (a new install, or the benchmark's fresh database) plans without statistics:
-- there the planner took jobs_state (state, id) for `state = 'succeeded'` and filtered every
-- succeeded job per report (20k jobs into the queue benchmark's lifecycle, 1,088 to 17,729
-- rows read per key, ingest at a tenth of its rate) until autovacuum's first ANALYZE made
-- the connections plan again.
--
-- So no other index offers itself to that look:
-- - jobs_state leaves out succeeded jobs, which are most of the table and which a list by
--   state reads in id order from the primary key; it still serves the other states.
-- - The look names no range of finished_at (jobs_finished would serve one): it takes the
--   pod's latest success from jobs_recent_report in index order, and the window is judged
--   on that one row.
DROP INDEX jobs_state;
CREATE INDEX jobs_state ON jobs (state, id) WHERE state <> 'succeeded';

CREATE OR REPLACE FUNCTION enqueue_reports(
    namespaces text[], pods text[], containers text[], pipeline_runs text[], tasks text[],
    sources text[], attempt_limits int8[], report_counts int8[], window_ms float8)
RETURNS TABLE (job jobs, inserted boolean)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $body$
BEGIN
    RETURN QUERY
    WITH input AS (
        SELECT * FROM unnest(namespaces, pods, containers, pipeline_runs, tasks, sources, attempt_limits, report_counts)
            WITH ORDINALITY AS input(namespace, pod, container, pipeline_run, task, source, max_attempts, reports, position)
    ), written AS (
        INSERT INTO jobs AS target (namespace, pod, container, pipeline_run, task, source, max_attempts, report_count)
        SELECT input.namespace, input.pod, input.container, input.pipeline_run, input.task, input.source,
               input.max_attempts, input.reports
        FROM input
        LEFT JOIN LATERAL (
            SELECT true AS found FROM jobs WHERE jobs.namespace = input.namespace AND jobs.pod = input.pod
              AND jobs.container = input.container AND jobs.finished_at IS NULL
            LIMIT 1) active ON true
        LEFT JOIN LATERAL (
            SELECT jobs.finished_at FROM jobs WHERE jobs.namespace = input.namespace AND jobs.pod = input.pod
              AND jobs.container = input.container AND jobs.state = 'succeeded'
            ORDER BY jobs.finished_at DESC
            LIMIT 1) latest_success ON true
        WHERE active.found
           OR latest_success.finished_at IS NULL
           OR latest_success.finished_at < now() - window_ms * interval '1 millisecond'
        ORDER BY input.position
        ON CONFLICT (namespace, pod, container) WHERE finished_at IS NULL
        DO UPDATE SET report_count = target.report_count + EXCLUDED.report_count, updated_at = now()
        RETURNING target, (target.xmax = 0) AS created
    )
    SELECT * FROM written;
END
$body$;
