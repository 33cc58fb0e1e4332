import Foundation
import Queue

/// Failure groups and the side-effect ledger: who may create a group's issue, and what is
/// known about an issue creation or occurrence comment that may have been interrupted by a
/// crash. A storage seam: `SQLiteFailureGroupStore` for one file, a PostgreSQL driver for
/// replicas on several hosts; both pass one contract suite. Every method is atomic, so two
/// jobs (in any processes) with the same new fingerprint never both create the issue.
public protocol FailureGroupStore: Sendable {
    typealias Claim = FailureGroupClaim
    typealias OccurrenceState = FailureOccurrenceState

    /// Finds or creates the group and decides whether `jobID` creates the issue.
    func claim(fingerprint: String, namespace: String, jobID: Int64) async throws -> FailureGroupClaim
    /// The group's issue was closed or deleted: unless another job already did, the group
    /// forgets it and the claim is made again.
    func replaceIssue(of group: FailureGroup, jobID: Int64) async throws -> FailureGroupClaim
    /// Records the created (or adopted) issue and closes the ledger entry.
    func recordIssue(groupID: Int64, fingerprint: String, url: String, number: Int?, title: String?) async throws -> FailureGroup
    /// Records (before the comment is posted) that `jobID` is about to add an occurrence.
    func beginOccurrence(jobID: Int64) async throws -> FailureOccurrenceState
    /// Whether `jobID`'s occurrence was commented and counted already (by an earlier attempt).
    func occurrenceRecorded(jobID: Int64) async throws -> Bool
    /// Counts the occurrence once the comment exists, and closes the ledger entry, together.
    func recordOccurrence(groupID: Int64, jobID: Int64) async throws -> FailureGroup
    /// Records, before anything is posted, that re-run `attempt` (`Job.rerunAttempt`) of
    /// `jobID` begins with the group's issue `issueURL`; an entry that exists (an earlier,
    /// interrupted attempt of the same re-run) is returned unchanged.
    func beginRerun(jobID: Int64, attempt: Int, issueURL: String?) async throws -> FailureRerunEntry
    /// Closes the re-run's ledger entry once its comment (or new issue) exists.
    func finishRerun(jobID: Int64, attempt: Int) async throws
    /// Forgets the group's issue (`agentctl groups reset`): the next occurrence of its
    /// fingerprint is analysed afresh and files a new issue. The issue link and the
    /// `create_issue` ledger entry go together; refused (`FailureGroupResetError.activeJobs`)
    /// while a job of the fingerprint is queued or running, unless `force`.
    func reset(groupID: Int64, force: Bool) async throws -> FailureGroup
    func group(id: Int64) async throws -> FailureGroup?
    /// Most recently seen first.
    func list(limit: Int) async throws -> [FailureGroup]
    /// This store with every write fenced by `lease` (in the write's own transaction): once the
    /// job's lease is lost (rescued, reclaimed, cancelled), a write changes nothing and throws
    /// `QueueError.leaseLost`, so a stalled worker cannot claim, record an issue or count an
    /// occurrence for a job that another worker now runs. The worker uses nothing else.
    func fenced(by lease: Lease) -> any FailureGroupStore
}

extension FailureGroupStore {
    public func list() async throws -> [FailureGroup] { try await list(limit: 50) }
}

/// What a job should do about its fingerprint.
public enum FailureGroupClaim: Sendable, Equatable {
    /// The group has an issue: record an occurrence, no model run.
    case existingIssue(FailureGroup)
    /// This job created the group's issue in an attempt that stopped before the job was
    /// completed: nothing is left to do (it is not an occurrence of its own failure).
    case createdByThisJob(FailureGroup)
    /// This job creates the issue. `interrupted` when an earlier attempt (of this or a
    /// dead job) began creating it and may have succeeded: look for the marker first.
    case createIssue(FailureGroup, interrupted: Bool)
    /// Another active job is creating the issue right now: try again later.
    case inProgress(byJob: Int64)
}

/// Where a job's occurrence of a known failure stands in the ledger.
public enum FailureOccurrenceState: Sendable, Equatable {
    /// Nothing happened yet: post the comment.
    case new
    /// An earlier attempt began and may have posted the comment before it died.
    case interrupted
    /// Commented and counted already.
    case recorded
}

/// A re-run's entry in the side-effect ledger (kind `rerun`, key `JOBID:ATTEMPT`).
public struct FailureRerunEntry: Sendable, Equatable {
    public var state: FailureOccurrenceState
    /// The group's issue when the re-run began: if the group has another one now, the re-run
    /// filed it (the old one was closed or gone) and nothing is left to do.
    public var issueURL: String?

    public init(state: FailureOccurrenceState, issueURL: String?) {
        self.state = state
        self.issueURL = issueURL
    }

    /// The ledger key of re-run `attempt` of `jobID`.
    public static func key(jobID: Int64, attempt: Int) -> String { "\(jobID):\(attempt)" }
}

/// Why `agentctl groups reset` did not reset a group.
public enum FailureGroupResetError: Error, Equatable, CustomStringConvertible {
    case notFound(groupID: Int64)
    /// Jobs of the group's fingerprint are queued or running: one may be creating or
    /// commenting on the issue right now.
    case activeJobs(groupID: Int64, jobIDs: [Int64])

    public var description: String {
        switch self {
        case .notFound(let id):
            "failure group \(id) not found"
        case .activeJobs(let id, let jobs):
            "failure group \(id) has active jobs (\(jobs.map(String.init).joined(separator: ", "))); "
                + "wait for them or use --force"
        }
    }
}
