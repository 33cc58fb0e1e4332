import Foundation
import Queue
import Store

/// Failure groups and the side-effect ledger in SQLite: who may create a group's issue, and
/// what is known about an issue creation that may have been interrupted by a crash. Every
/// decision is one `BEGIN IMMEDIATE` transaction, so processes sharing the file serialize;
/// fenced (`fenced(by:)`), each also checks the job's lease token first, inside it.
public struct SQLiteFailureGroupStore: FailureGroupStore {
    public let database: Database
    public let now: @Sendable () -> Date
    /// The lease every write checks; nil for operator tools (`agentctl groups reset`).
    public let fence: Lease?

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }, fence: Lease? = nil) {
        self.database = database
        self.now = now
        self.fence = fence
    }

    public func fenced(by lease: Lease) -> any FailureGroupStore {
        SQLiteFailureGroupStore(database: database, now: now, fence: lease)
    }

    /// A write transaction, under the fence when there is one.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let fence = fence
        return try await database.write { db in
            if let fence { try Self.requireLease(db, fence) }
            return try body(db)
        }
    }

    /// Throws `QueueError.leaseLost` unless `lease` still holds its job.
    private static func requireLease(_ db: Connection, _ lease: Lease) throws {
        guard let (state, token) = try db.queryFirst(
            "SELECT state, lease_token FROM jobs WHERE id = ?", [lease.jobID], { ($0.string(0), $0.optionalInt64(1)) }) else {
            throw QueueError.notFound(jobID: lease.jobID)
        }
        guard state == JobState.running.rawValue, token == lease.token else {
            throw QueueError.leaseLost(jobID: lease.jobID, state: JobState(rawValue: state) ?? .failed)
        }
    }

    static let columns = "id, fingerprint, namespace, title, issue_url, issue_number, first_seen, last_seen, occurrences"

    static func group(_ row: Row) -> FailureGroup {
        FailureGroup(
            id: row.int64(0), fingerprint: row.string(1), namespace: row.string(2), title: row.optionalString(3),
            issueURL: row.optionalString(4), issueNumber: row.optionalInt64(5).map(Int.init),
            firstSeen: Date(epochMilliseconds: row.int64(6)),
            lastSeen: Date(epochMilliseconds: row.int64(7)), occurrences: row.int(8))
    }

    /// Finds or creates the group and decides, in one transaction, whether `jobID` creates the
    /// issue: two jobs with the same new fingerprint never both do.
    public func claim(fingerprint: String, namespace: String, jobID: Int64) async throws -> Claim {
        let now = now().epochMilliseconds
        return try await write { db in
            try Self.claim(db, fingerprint: fingerprint, namespace: namespace, jobID: jobID, now: now)
        }
    }

    /// The group's issue was closed (the failure was fixed and came back) or deleted: unless
    /// another job already did, the group forgets it, and the claim is made again — so one job
    /// writes the new issue and the others wait for it, as for a new failure.
    public func replaceIssue(of group: FailureGroup, jobID: Int64) async throws -> Claim {
        let now = now().epochMilliseconds
        return try await write { db in
            try db.execute("""
                UPDATE failure_groups SET issue_url = NULL, issue_number = NULL, title = NULL
                WHERE id = ? AND issue_url = ?
                """, [group.id, group.issueURL])
            if db.changes > 0 {
                try db.execute("DELETE FROM effects WHERE kind = 'create_issue' AND key = ?", [group.fingerprint])
            }
            return try Self.claim(db, fingerprint: group.fingerprint, namespace: group.namespace, jobID: jobID, now: now)
        }
    }

    private static func claim(_ db: Connection, fingerprint: String, namespace: String, jobID: Int64, now: Int64) throws -> Claim {
        var group = try db.queryFirst("SELECT \(Self.columns) FROM failure_groups WHERE fingerprint = ?", [fingerprint], Self.group)
        if group == nil {
            group = try db.queryFirst("""
                INSERT INTO failure_groups (fingerprint, namespace, first_seen, last_seen, occurrences)
                VALUES (?, ?, ?, ?, 0) RETURNING \(Self.columns)
                """, [fingerprint, namespace, now, now], Self.group)
        }
        guard let group else { throw SQLiteError(code: 1, message: "failure group \(fingerprint) vanished") }
        // A job whose fingerprint changed since an earlier attempt (its log grew) lets go of the
        // creation it began under the old one: jobs waiting for it would wait forever. Not
        // deleted: that attempt may have created the issue, so the next claimant looks for it.
        try db.execute("""
            UPDATE effects SET job_id = NULL, updated_at = ?
            WHERE kind = 'create_issue' AND job_id = ? AND key != ? AND state = 'pending'
            """, [now, jobID, fingerprint])
        try db.execute("UPDATE jobs SET fingerprint = ?, group_id = ? WHERE id = ?", [fingerprint, group.id, jobID])
        if group.issueURL != nil {
            let creator = try db.queryFirst(
                "SELECT job_id FROM effects WHERE kind = 'create_issue' AND key = ? AND state = 'done'", [fingerprint]
            ) { $0.optionalInt64(0) }
            return creator == jobID ? .createdByThisJob(group) : .existingIssue(group)
        }

        let effect = try db.queryFirst(
            "SELECT job_id, state FROM effects WHERE kind = 'create_issue' AND key = ?", [fingerprint]
        ) { ($0.optionalInt64(0), $0.string(1)) }
        guard let (owner, _) = effect else {
            try db.execute("""
                INSERT INTO effects (kind, key, job_id, state, created_at, updated_at)
                VALUES ('create_issue', ?, ?, 'pending', ?, ?)
                """, [fingerprint, jobID, now, now])
            return .createIssue(group, interrupted: false)
        }
        if let owner, owner != jobID,
           let ownerState = try db.queryFirst("SELECT state FROM jobs WHERE id = ?", [owner], { $0.string(0) }),
           ownerState == JobState.queued.rawValue || ownerState == JobState.running.rawValue {
            return .inProgress(byJob: owner)
        }
        // Ours from an earlier attempt, or left behind by a job that gave up: take it over.
        try db.execute("UPDATE effects SET job_id = ?, updated_at = ? WHERE kind = 'create_issue' AND key = ?",
                       [jobID, now, fingerprint])
        return .createIssue(group, interrupted: true)
    }

    /// Records the created (or adopted) issue and closes the ledger entry.
    public func recordIssue(groupID: Int64, fingerprint: String, url: String, number: Int?, title: String?) async throws -> FailureGroup {
        let now = now().epochMilliseconds
        return try await write { db in
            try db.execute("""
                UPDATE effects SET state = 'done', result = ?, updated_at = ? WHERE kind = 'create_issue' AND key = ?
                """, [url, now, fingerprint])
            return try db.queryFirst("""
                UPDATE failure_groups SET issue_url = ?, issue_number = ?, title = ?, occurrences = occurrences + 1,
                                          last_seen = ?
                WHERE id = ? RETURNING \(Self.columns)
                """, [url, number, title, now, groupID], Self.group)!
        }
    }

    /// Records (before the comment is posted) that `jobID` is about to add an occurrence.
    public func beginOccurrence(jobID: Int64) async throws -> OccurrenceState {
        let now = now().epochMilliseconds
        return try await write { db in
            let state = try db.queryFirst(
                "SELECT state FROM effects WHERE kind = 'occurrence' AND key = ?", [String(jobID)], { $0.string(0) })
            switch state {
            case "done": return .recorded
            case .some: return .interrupted
            case nil:
                try db.execute("""
                    INSERT INTO effects (kind, key, job_id, state, created_at, updated_at)
                    VALUES ('occurrence', ?, ?, 'pending', ?, ?)
                    """, [String(jobID), jobID, now, now])
                return .new
            }
        }
    }

    /// Whether `jobID`'s occurrence was commented and counted already (by an earlier attempt).
    public func occurrenceRecorded(jobID: Int64) async throws -> Bool {
        try await database.read { db in
            try db.queryFirst(
                "SELECT 1 FROM effects WHERE kind = 'occurrence' AND key = ? AND state = 'done'", [String(jobID)], { $0.int(0) }) != nil
        }
    }

    /// Counts the occurrence once the comment exists, and closes the ledger entry, together.
    public func recordOccurrence(groupID: Int64, jobID: Int64) async throws -> FailureGroup {
        let now = now().epochMilliseconds
        return try await write { db in
            try db.execute(
                "UPDATE effects SET state = 'done', updated_at = ? WHERE kind = 'occurrence' AND key = ? AND state = 'pending'",
                [now, String(jobID)])
            let counted = db.changes > 0
            return try db.queryFirst("""
                UPDATE failure_groups SET occurrences = occurrences + ?, last_seen = ?
                WHERE id = ? RETURNING \(Self.columns)
                """, [counted ? 1 : 0, now, groupID], Self.group)!
        }
    }

    public func beginRerun(jobID: Int64, attempt: Int, issueURL: String?) async throws -> FailureRerunEntry {
        let now = now().epochMilliseconds
        let key = FailureRerunEntry.key(jobID: jobID, attempt: attempt)
        return try await write { db in
            if let (state, url) = try db.queryFirst(
                "SELECT state, result FROM effects WHERE kind = 'rerun' AND key = ?", [key], { ($0.string(0), $0.optionalString(1)) }) {
                return FailureRerunEntry(state: state == "done" ? .recorded : .interrupted, issueURL: url)
            }
            try db.execute("""
                INSERT INTO effects (kind, key, job_id, state, result, created_at, updated_at)
                VALUES ('rerun', ?, ?, 'pending', ?, ?, ?)
                """, [key, jobID, issueURL, now, now])
            return FailureRerunEntry(state: .new, issueURL: issueURL)
        }
    }

    public func finishRerun(jobID: Int64, attempt: Int) async throws {
        let now = now().epochMilliseconds
        let key = FailureRerunEntry.key(jobID: jobID, attempt: attempt)
        try await write { db in
            try db.execute("UPDATE effects SET state = 'done', updated_at = ? WHERE kind = 'rerun' AND key = ?", [now, key])
        }
    }

    public func reset(groupID: Int64, force: Bool) async throws -> FailureGroup {
        try await database.write { db in
            guard let group = try db.queryFirst("SELECT \(Self.columns) FROM failure_groups WHERE id = ?", [groupID], Self.group) else {
                throw FailureGroupResetError.notFound(groupID: groupID)
            }
            let active = try db.query("""
                SELECT id FROM jobs WHERE fingerprint = ? AND state IN ('queued', 'running') ORDER BY id
                """, [group.fingerprint], { $0.int64(0) })
            if !active.isEmpty, !force { throw FailureGroupResetError.activeJobs(groupID: groupID, jobIDs: active) }
            try db.execute("DELETE FROM effects WHERE kind = 'create_issue' AND key = ?", [group.fingerprint])
            return try db.queryFirst("""
                UPDATE failure_groups SET issue_url = NULL, issue_number = NULL, title = NULL
                WHERE id = ? RETURNING \(Self.columns)
                """, [groupID], Self.group)!
        }
    }

    public func group(id: Int64) async throws -> FailureGroup? {
        try await database.read { db in
            try db.queryFirst("SELECT \(Self.columns) FROM failure_groups WHERE id = ?", [id], Self.group)
        }
    }

    /// Most recently seen first.
    public func list(limit: Int) async throws -> [FailureGroup] {
        try await database.read { db in
            try db.query("SELECT \(Self.columns) FROM failure_groups ORDER BY last_seen DESC, id DESC LIMIT ?", [limit], Self.group)
        }
    }
}
