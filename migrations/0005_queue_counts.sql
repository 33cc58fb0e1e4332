-- Jobs and reports by state, kept by triggers, so that /metrics and `agentctl stats` read six
-- rows instead of scanning the whole jobs table on every scrape (a scan holds the database
-- thread, and so every ingest and lease, for as long as the table is big). Retention's
-- deletes take their rows out, as counting the table did.
CREATE TABLE job_counts (
    state   TEXT    PRIMARY KEY,
    jobs    INTEGER NOT NULL DEFAULT 0,
    reports INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO job_counts (state) VALUES ('queued'), ('running'), ('succeeded'), ('failed'), ('dead'), ('cancelled');
UPDATE job_counts SET
    jobs = (SELECT count(*) FROM jobs WHERE jobs.state = job_counts.state),
    reports = (SELECT COALESCE(sum(report_count), 0) FROM jobs WHERE jobs.state = job_counts.state);

CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs BEGIN
    UPDATE job_counts SET jobs = jobs + 1, reports = reports + new.report_count WHERE state = new.state;
END;

CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs BEGIN
    UPDATE job_counts SET jobs = jobs - 1, reports = reports - old.report_count WHERE state = old.state;
END;

CREATE TRIGGER job_counts_update AFTER UPDATE OF state, report_count ON jobs
WHEN old.state IS NOT new.state OR old.report_count IS NOT new.report_count BEGIN
    UPDATE job_counts SET jobs = jobs - 1, reports = reports - old.report_count WHERE state = old.state;
    UPDATE job_counts SET jobs = jobs + 1, reports = reports + new.report_count WHERE state = new.state;
END;
