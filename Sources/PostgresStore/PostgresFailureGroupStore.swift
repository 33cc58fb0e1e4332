import Foundation
import PostgresNIO
import Queue
import Worker

/// Failure groups and the side-effect ledger in PostgreSQL. A claim is one transaction that
/// first takes a transaction-scoped advisory lock on the fingerprint, so claims of one
/// fingerprint from any host run one after another (as SQLite's `BEGIN IMMEDIATE` makes them),
/// while claims of different fingerprints run side by side. Every write that changes whether
/// the failure has an issue (claim, replace, record, reset) takes that lock.
///
/// Fenced (`fenced(by:)`), every write first takes a share lock on the job's row and checks
/// the lease token in the same transaction: the rescuer (which skips locked rows) cannot take
/// the lease away between the check and the write, and a worker whose lease was rescued
/// changes nothing.
public struct PostgresFailureGroupStore: FailureGroupStore {
    public let backend: PostgresBackend
    /// The lease every write checks; nil for operator tools (`agentctl groups reset`).
    public let fence: Lease?

    public init(backend: PostgresBackend, fence: Lease? = nil) {
        self.backend = backend
        self.fence = fence
    }

    public func fenced(by lease: Lease) -> any FailureGroupStore {
        PostgresFailureGroupStore(backend: backend, fence: lease)
    }

    /// A write transaction, under the fence when there is one.
    private func write<T: Sendable>(_ body: @escaping @Sendable (PostgresBackend.Transaction) async throws -> T) async throws -> T {
        let fence = fence
        return try await backend.transaction { tx in
            if let fence { try await Self.requireLease(tx, fence) }
            return try await body(tx)
        }
    }

    /// Throws `QueueError.leaseLost` unless `lease` still holds its job; keeps the job's row
    /// share-locked until the transaction ends.
    private static func requireLease(_ tx: PostgresBackend.Transaction, _ lease: Lease) async throws {
        guard let (state, token) = try await tx.first("""
            SELECT state, lease_token FROM jobs WHERE id = \(lease.jobID) FOR SHARE
            """, { row in (try row.value(0, as: String.self), try row.value(1, as: Int64?.self)) }) else {
            throw QueueError.notFound(jobID: lease.jobID)
        }
        guard state == JobState.running.rawValue, token == lease.token else {
            throw QueueError.leaseLost(jobID: lease.jobID, state: JobState(rawValue: state) ?? .failed)
        }
    }

    static let columns = "id, fingerprint, namespace, title, issue_url, issue_number, first_seen, last_seen, occurrences"

    static func group(_ row: PostgresRandomAccessRow) throws -> FailureGroup {
        FailureGroup(
            id: try row.value(0), fingerprint: try row.value(1), namespace: try row.value(2), title: try row.value(3),
            issueURL: try row.value(4), issueNumber: try row.value(5, as: Int?.self), firstSeen: try row.value(6),
            lastSeen: try row.value(7), occurrences: try row.value(8))
    }

    public func claim(fingerprint: String, namespace: String, jobID: Int64) async throws -> FailureGroupClaim {
        try await write { tx in
            try await tx.lock("create_issue", fingerprint)
            return try await Self.claim(tx, fingerprint: fingerprint, namespace: namespace, jobID: jobID)
        }
    }

    public func replaceIssue(of group: FailureGroup, jobID: Int64) async throws -> FailureGroupClaim {
        try await write { tx in
            try await tx.lock("create_issue", group.fingerprint)
            let forgot = try await tx.first("""
                UPDATE failure_groups SET issue_url = NULL, issue_number = NULL, title = NULL
                WHERE id = \(group.id) AND issue_url = \(group.issueURL) RETURNING id
                """) { _ in true }
            if forgot != nil {
                try await tx.execute("DELETE FROM effects WHERE kind = 'create_issue' AND key = \(group.fingerprint)")
            }
            return try await Self.claim(tx, fingerprint: group.fingerprint, namespace: group.namespace, jobID: jobID)
        }
    }

    /// The decision, under the fingerprint's lock.
    private static func claim(_ tx: PostgresBackend.Transaction, fingerprint: String, namespace: String, jobID: Int64) async throws -> FailureGroupClaim {
        try await tx.execute("""
            INSERT INTO failure_groups (fingerprint, namespace, occurrences) VALUES (\(fingerprint), \(namespace), 0)
            ON CONFLICT (fingerprint) DO NOTHING
            """)
        guard let group = try await tx.first(
            "SELECT \(unescaped: columns) FROM failure_groups WHERE fingerprint = \(fingerprint)", Self.group) else {
            throw PostgresStoreError.missingRow("failure group \(fingerprint)")
        }
        // A job whose fingerprint changed since an earlier attempt (its log grew) lets go of the
        // creation it began under the old one: jobs waiting for it would wait forever. Not
        // deleted: that attempt may have created the issue, so the next claimant looks for it.
        try await tx.execute("""
            UPDATE effects SET job_id = NULL, updated_at = now()
            WHERE kind = 'create_issue' AND job_id = \(jobID) AND key <> \(fingerprint) AND state = 'pending'
            """)
        try await tx.execute("UPDATE jobs SET fingerprint = \(fingerprint), group_id = \(group.id) WHERE id = \(jobID)")
        if group.issueURL != nil {
            let creator = try await tx.first("""
                SELECT job_id FROM effects WHERE kind = 'create_issue' AND key = \(fingerprint) AND state = 'done'
                """) { row in try row.value(0, as: Int64?.self) } ?? nil
            return creator == jobID ? .createdByThisJob(group) : .existingIssue(group)
        }

        let effect = try await tx.first("""
            SELECT e.job_id, j.state FROM effects e LEFT JOIN jobs j ON j.id = e.job_id
            WHERE e.kind = 'create_issue' AND e.key = \(fingerprint)
            """) { row in (try row.value(0, as: Int64?.self), try row.value(1, as: String?.self)) }
        guard let (owner, ownerState) = effect else {
            try await tx.execute("""
                INSERT INTO effects (kind, key, job_id, state) VALUES ('create_issue', \(fingerprint), \(jobID), 'pending')
                """)
            return .createIssue(group, interrupted: false)
        }
        if let owner, owner != jobID, ownerState == JobState.queued.rawValue || ownerState == JobState.running.rawValue {
            return .inProgress(byJob: owner)
        }
        // Ours from an earlier attempt, or left behind by a job that gave up: take it over.
        try await tx.execute("""
            UPDATE effects SET job_id = \(jobID), updated_at = now() WHERE kind = 'create_issue' AND key = \(fingerprint)
            """)
        return .createIssue(group, interrupted: true)
    }

    public func recordIssue(groupID: Int64, fingerprint: String, url: String, number: Int?, title: String?) async throws -> FailureGroup {
        try await write { tx in
            // Under the claims' lock: a claim reads the group and then the creation's owner in
            // separate statements, and must not see the issue missing but its creator finished.
            try await tx.lock("create_issue", fingerprint)
            try await tx.execute("""
                UPDATE effects SET state = 'done', result = \(url), updated_at = now()
                WHERE kind = 'create_issue' AND key = \(fingerprint)
                """)
            guard let group = try await tx.first("""
                UPDATE failure_groups SET issue_url = \(url), issue_number = \(number), title = \(title),
                                          occurrences = occurrences + 1, last_seen = now()
                WHERE id = \(groupID) RETURNING \(unescaped: Self.columns)
                """, Self.group) else { throw PostgresStoreError.missingRow("failure group \(groupID)") }
            return group
        }
    }

    public func beginOccurrence(jobID: Int64) async throws -> FailureOccurrenceState {
        let key = String(jobID)
        return try await write { tx in
            let inserted = try await tx.first("""
                INSERT INTO effects (kind, key, job_id, state) VALUES ('occurrence', \(key), \(jobID), 'pending')
                ON CONFLICT (kind, key) DO NOTHING RETURNING id
                """) { _ in true }
            if inserted != nil { return .new }
            let state = try await tx.first("SELECT state FROM effects WHERE kind = 'occurrence' AND key = \(key)") { row in
                try row.value(0, as: String.self)
            }
            return state == "done" ? .recorded : .interrupted
        }
    }

    public func occurrenceRecorded(jobID: Int64) async throws -> Bool {
        try await backend.first("""
            SELECT 1 FROM effects WHERE kind = 'occurrence' AND key = \(String(jobID)) AND state = 'done'
            """) { _ in true } ?? false
    }

    public func recordOccurrence(groupID: Int64, jobID: Int64) async throws -> FailureGroup {
        // The ledger entry closes and the counter moves in one statement: counted once.
        try await write { tx in
            guard let group = try await tx.first("""
                WITH closed AS (
                    UPDATE effects SET state = 'done', updated_at = now()
                    WHERE kind = 'occurrence' AND key = \(String(jobID)) AND state = 'pending'
                    RETURNING 1
                )
                UPDATE failure_groups SET occurrences = occurrences + (SELECT count(*) FROM closed), last_seen = now()
                WHERE id = \(groupID) RETURNING \(unescaped: Self.columns)
                """, Self.group) else { throw PostgresStoreError.missingRow("failure group \(groupID)") }
            return group
        }
    }

    public func beginRerun(jobID: Int64, attempt: Int, issueURL: String?) async throws -> FailureRerunEntry {
        let key = FailureRerunEntry.key(jobID: jobID, attempt: attempt)
        return try await write { tx in
            let inserted = try await tx.first("""
                INSERT INTO effects (kind, key, job_id, state, result) VALUES ('rerun', \(key), \(jobID), 'pending', \(issueURL))
                ON CONFLICT (kind, key) DO NOTHING RETURNING id
                """) { _ in true }
            if inserted != nil { return FailureRerunEntry(state: .new, issueURL: issueURL) }
            guard let (state, url) = try await tx.first(
                "SELECT state, result FROM effects WHERE kind = 'rerun' AND key = \(key)",
                { row in (try row.value(0, as: String.self), try row.value(1, as: String?.self)) }) else {
                throw PostgresStoreError.missingRow("re-run \(key)")
            }
            return FailureRerunEntry(state: state == "done" ? .recorded : .interrupted, issueURL: url)
        }
    }

    public func finishRerun(jobID: Int64, attempt: Int) async throws {
        let key = FailureRerunEntry.key(jobID: jobID, attempt: attempt)
        try await write { tx in
            try await tx.execute("UPDATE effects SET state = 'done', updated_at = now() WHERE kind = 'rerun' AND key = \(key)")
        }
    }

    /// Under the fingerprint's lock, so no claim of it runs in between.
    public func reset(groupID: Int64, force: Bool) async throws -> FailureGroup {
        try await backend.transaction { tx in
            guard let found = try await tx.first(
                "SELECT \(unescaped: Self.columns) FROM failure_groups WHERE id = \(groupID)", Self.group) else {
                throw FailureGroupResetError.notFound(groupID: groupID)
            }
            try await tx.lock("create_issue", found.fingerprint)
            let active = try await tx.rows("""
                SELECT id FROM jobs WHERE fingerprint = \(found.fingerprint) AND state IN ('queued', 'running') ORDER BY id
                """) { row in try row.value(0, as: Int64.self) }
            if !active.isEmpty, !force { throw FailureGroupResetError.activeJobs(groupID: groupID, jobIDs: active) }
            try await tx.execute("DELETE FROM effects WHERE kind = 'create_issue' AND key = \(found.fingerprint)")
            guard let group = try await tx.first("""
                UPDATE failure_groups SET issue_url = NULL, issue_number = NULL, title = NULL
                WHERE id = \(groupID) RETURNING \(unescaped: Self.columns)
                """, Self.group) else { throw FailureGroupResetError.notFound(groupID: groupID) }
            return group
        }
    }

    public func group(id: Int64) async throws -> FailureGroup? {
        try await backend.first("SELECT \(unescaped: Self.columns) FROM failure_groups WHERE id = \(id)", Self.group)
    }

    public func list(limit: Int) async throws -> [FailureGroup] {
        try await backend.rows("""
            SELECT \(unescaped: Self.columns) FROM failure_groups ORDER BY last_seen DESC, id DESC LIMIT \(limit)
            """, Self.group)
    }
}
