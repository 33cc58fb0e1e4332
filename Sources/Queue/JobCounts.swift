import Store

/// Keeps `job_counts` (jobs and reports by state, migration 0005) exact: every write of the
/// queue that inserts a job or moves jobs between states tells it here, in the same
/// transaction. Triggers did this until migration 0006; they made every INSERT and UPDATE of
/// `jobs` open a statement journal, which cost more than these statements. Deletes keep their
/// trigger (retention, in batches).
enum JobCounts {
    /// `jobs` new jobs with `reports` reports, in `state`; or (`jobs` 0) reports added to
    /// jobs in `state` (a duplicate report).
    static func add(_ db: Connection, jobs: Int, reports: Int, in state: JobState) throws {
        try db.execute(
            "UPDATE job_counts SET jobs = jobs + ?, reports = reports + ? WHERE state = ?",
            [jobs, reports, state.rawValue])
    }

    /// `jobs` jobs, carrying `reports` reports, went from `old` to `new`.
    static func move(_ db: Connection, jobs: Int = 1, reports: Int, from old: JobState, to new: JobState) throws {
        guard old != new, jobs > 0 else { return }
        try db.execute(
            """
            UPDATE job_counts SET jobs = jobs + iif(state = ?2, ?3, -?3), reports = reports + iif(state = ?2, ?4, -?4)
            WHERE state IN (?1, ?2)
            """, [old.rawValue, new.rawValue, jobs, reports])
    }

    /// Job `id` went from `old` to `new`; its reports are read from the row (one rowid lookup),
    /// so that the statement that moved it needs no RETURNING (which, like a trigger, costs a
    /// statement journal).
    static func move(_ db: Connection, jobID id: Int64, from old: JobState, to new: JobState) throws {
        guard old != new else { return }
        try db.execute(
            """
            UPDATE job_counts SET jobs = jobs + iif(state = ?2, 1, -1),
                                  reports = reports + iif(state = ?2, 1, -1) * (SELECT report_count FROM jobs WHERE id = ?3)
            WHERE state IN (?1, ?2)
            """, [old.rawValue, new.rawValue, id])
    }

    /// Jobs moved out of `old` by one statement, by the state each ended in (`rows`: state and
    /// report count of each).
    static func move(_ db: Connection, from old: JobState, rows: [(state: JobState, reports: Int)]) throws {
        var byState: [JobState: (jobs: Int, reports: Int)] = [:]
        for row in rows {
            let moved = byState[row.state, default: (0, 0)]
            byState[row.state] = (moved.jobs + 1, moved.reports + row.reports)
        }
        for (new, moved) in byState.sorted(by: { $0.key < $1.key }) {
            try move(db, jobs: moved.jobs, reports: moved.reports, from: old, to: new)
        }
    }
}
