-- The queue's own writes keep job_counts from now on (Sources/Queue/JobCounts.swift), in the
-- transaction of each insert and state change, instead of the insert and update triggers of
-- 0005. A trigger on jobs makes SQLite open a statement journal for every INSERT and UPDATE
-- of the table (a copy of each page the statement touches, so that the trigger's work can be
-- undone alone) and run a sub-program per row: about a tenth of the database thread's time per
-- job on the enqueue → lease → complete path. Rows inserted or moved by hand (the sqlite3
-- shell) are not counted; deletes (retention's batches) keep their trigger.
DROP TRIGGER job_counts_insert;
DROP TRIGGER job_counts_update;
