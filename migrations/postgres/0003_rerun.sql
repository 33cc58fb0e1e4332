-- `agentctl jobs rerun` sends a succeeded job back to be analysed again. 0: not a re-run;
-- otherwise the first attempt of the latest re-run, which names it in the side-effect ledger
-- (kind 'rerun', key 'JOBID:ATTEMPT') so that a re-run whose worker crashed comments once.
ALTER TABLE jobs ADD COLUMN rerun INTEGER NOT NULL DEFAULT 0;
