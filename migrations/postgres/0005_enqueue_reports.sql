-- The enqueue batch (PostgresEnqueueWriter) as a PL/pgSQL function: PL/pgSQL keeps the plan
-- of its statement for the life of the session, so a pooled connection plans it once instead
-- of once per batch (parse, analysis and planning were half of the server's CPU at ingest's
-- full rate). Unlike a client-side prepared statement it leaves no state in the driver that
-- a failed preparation could spoil. A generic plan is forced: the batch's arrays differ in
-- length every time, and re-planning for each is what this function exists to avoid.
--
-- Per key (the caller merges reports of the same pod and container and sorts the keys): the
-- active job takes the reports (ON CONFLICT), or a new job is made unless one of the pod
-- succeeded within the dedupe window (then no row: the caller joins that job on its own).
-- The two looks are LATERAL ... LIMIT 1, one index probe per key: written as EXISTS, the
-- planner may hash the subquery instead, reading every active job of the table per batch.
CREATE FUNCTION enqueue_reports(
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
            SELECT true AS found FROM jobs WHERE jobs.namespace = input.namespace AND jobs.pod = input.pod
              AND jobs.container = input.container AND jobs.state = 'succeeded'
              AND jobs.finished_at >= now() - window_ms * interval '1 millisecond'
            LIMIT 1) recent ON true
        WHERE active.found OR recent.found IS NULL
        ORDER BY input.position
        ON CONFLICT (namespace, pod, container) WHERE finished_at IS NULL
        DO UPDATE SET report_count = target.report_count + EXCLUDED.report_count, updated_at = now()
        RETURNING target, (target.xmax = 0) AS created
    )
    SELECT * FROM written;
END
$body$;
