import PostgresNIO
import Queue

/// Writes batches of successful outcomes for `PostgresJobQueue.complete` (its group commit):
/// one `UPDATE … FROM unnest(…)` per batch, fenced by each lease's token, with the attempts it
/// finishes, so that jobs finishing together share one round trip and one WAL flush (a flush
/// per completion was what bounded the queue's rate: its statements waited on `WALWrite`).
/// - A completion whose lease no longer holds its job changes nothing and is answered false;
///   the caller then says why (gone, or leased by someone else), as for a single statement.
/// - The same lease twice in one batch: only the first goes in; the repeat is answered false,
///   as it would be one after the other (the job has finished).
/// - Jobs go in id order, so concurrent batches lock rows in the same order; a deadlock or
///   serialization failure (rolled back whole) is tried again.
/// - A value the server refuses (a data exception in a result) would fail the whole batch:
///   its completions are then written one by one, so only the bad one fails. Any other error
///   reaches every completion of the batch.
struct PostgresCompletionWriter: Sendable {
    let backend: PostgresBackend
    /// NOTIFY of requests waiting for a job's end, once per batch that finished a job.
    let jobEnded: (@Sendable () async -> Void)?

    /// How often a statement that hit a deadlock or a serialization failure is sent in all.
    static let tries = 3

    struct Completion: Sendable {
        let lease: Lease
        let result: String?
    }

    private struct LeaseKey: Hashable {
        let jobID: Int64
        let token: Int64
    }

    /// Writes `completions`; one answer per completion, in order: whether its lease finished the job.
    func write(_ completions: [Completion]) async -> [Result<Bool, any Error>] {
        var firsts: [LeaseKey: Int] = [:]
        for (index, completion) in completions.enumerated() {
            let key = LeaseKey(jobID: completion.lease.jobID, token: completion.lease.token)
            if firsts[key] == nil { firsts[key] = index }
        }
        let unique = firsts.values.sorted { completions[$0].lease.jobID < completions[$1].lease.jobID }.map { completions[$0] }
        let done: Set<LeaseKey>
        do {
            done = try await completeAll(unique)
        } catch let error as PostgresStoreError where error.isDataException && unique.count > 1 {
            return await writeOneByOne(completions)
        } catch {
            return completions.map { _ in .failure(error) }
        }
        if !done.isEmpty, let jobEnded { await jobEnded() }
        return completions.enumerated().map { index, completion in
            let key = LeaseKey(jobID: completion.lease.jobID, token: completion.lease.token)
            return .success(firsts[key] == index && done.contains(key))
        }
    }

    /// Every completion on its own (after a batch failed on a value): only a bad one fails.
    private func writeOneByOne(_ completions: [Completion]) async -> [Result<Bool, any Error>] {
        var answers: [Result<Bool, any Error>] = []
        var finished = false
        for completion in completions {
            do {
                let done = try await completeAll([completion])
                finished = finished || !done.isEmpty
                answers.append(.success(!done.isEmpty))
            } catch {
                answers.append(.failure(error))
            }
        }
        if finished, let jobEnded { await jobEnded() }
        return answers
    }

    /// The batch statement; returns the leases that finished their job.
    private func completeAll(_ completions: [Completion]) async throws -> Set<LeaseKey> {
        let ids = completions.map(\.lease.jobID)
        let tokens = completions.map(\.lease.token)
        let attempts = completions.map(\.lease.attempt)
        let results = PostgresNullableTextArray(completions.map(\.result))
        let query: PostgresQuery = """
            WITH input AS (
                SELECT * FROM unnest(\(ids)::int8[], \(tokens)::int8[], \(attempts)::int8[], \(results)::text[])
                    AS input(id, token, attempt, result)
            ), done AS (
                UPDATE jobs SET state = 'succeeded', result = input.result, last_error = NULL, lease_owner = NULL,
                                lease_token = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()
                FROM input
                WHERE jobs.id = input.id AND jobs.lease_token = input.token AND jobs.state = 'running'
                RETURNING jobs.id, input.token, input.attempt
            ), attempt AS (
                \(unescaped: PostgresJobQueue.finishAttempt) outcome = 'succeeded', error_class = NULL, error = NULL
                FROM done WHERE attempts.job_id = done.id AND attempts.attempt = done.attempt
            )
            SELECT id, token FROM done
            """
        let rows = try await backend.rows(query, tries: Self.tries) { row in
            LeaseKey(jobID: try row.value(0, as: Int64.self), token: try row.value(1, as: Int64.self))
        }
        return Set(rows)
    }
}
