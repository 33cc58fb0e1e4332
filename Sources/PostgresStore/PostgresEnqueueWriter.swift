import Foundation
import PostgresNIO
import Queue

/// Writes batches of reports for `PostgresJobQueue.enqueue` (its group commit): one
/// `INSERT … SELECT FROM unnest(…) ON CONFLICT … RETURNING` per batch, so that a batch costs one
/// round trip and one WAL flush however many reports it carries.
/// - Reports of the same pod and container are merged first (ON CONFLICT cannot touch a row
///   twice in one statement): their job's `report_count` grows by their number, the first of
///   them is the one that may create the job, the others are duplicates.
/// - Keys go in sorted order, so two replicas writing the same pods take the row locks in the
///   same order; a deadlock or serialization failure (rolled back whole) is tried again.
/// - A key whose pod has no active job but one that succeeded within the dedupe window gets no
///   row from the batch; it takes the single-report path, which joins that job.
/// - A value the server refuses (a data exception) would fail the whole batch: its reports
///   are then written one by one, so only the bad one fails. Any other error reaches every
///   report of the batch: nothing is answered without its row.
struct PostgresEnqueueWriter: Sendable {
    let backend: PostgresBackend
    let configuration: QueueConfiguration
    /// NOTIFY of waiting workers, once per batch that created a job.
    let wakeUp: (@Sendable () async -> Void)?

    /// How often a statement that hit a deadlock or a serialization failure is sent in all.
    static let tries = 3

    /// Where a report goes: one active job per key (the partial unique index `jobs_active_report`).
    struct Key: Hashable, Comparable {
        let namespace: String
        let pod: String
        let container: String

        init(_ job: NewJob) {
            namespace = job.namespace
            pod = job.pod
            container = job.container ?? ""
        }

        init(_ job: Job) {
            namespace = job.namespace
            pod = job.pod
            container = job.container ?? ""
        }

        static func < (left: Key, right: Key) -> Bool {
            (left.namespace, left.pod, left.container) < (right.namespace, right.pod, right.container)
        }
    }

    /// One job for `reports` reports of a key, and whether this statement created it.
    struct Written {
        let job: Job
        let inserted: Bool
    }

    /// Writes `reports` (validated); one answer per report, in order.
    func write(_ reports: [NewJob]) async -> [Result<EnqueueResult, any Error>] {
        var positions: [Key: [Int]] = [:]
        for (index, report) in reports.enumerated() { positions[Key(report), default: []].append(index) }
        let keys = positions.keys.sorted()
        let merged = keys.map { key in (report: reports[positions[key]![0]], count: positions[key]!.count) }

        var written: [Key: Written]
        do {
            written = try await insertOrJoinActive(merged)
        } catch let error as PostgresStoreError where error.isDataException && reports.count > 1 {
            return await writeOneByOne(reports)
        } catch {
            return reports.map { _ in .failure(error) }
        }

        var answers = [Result<EnqueueResult, any Error>](repeating: .failure(GroupCommitError.unanswered(batch: reports.count, answers: 0)),
                                                          count: reports.count)
        var created = false
        for (key, entry) in zip(keys, merged) {
            let outcome: Result<Written, any Error>
            if let row = written[key] {
                outcome = .success(row)
            } else {
                do { outcome = .success(try await writeAlone(entry.report, count: entry.count)) }
                catch { outcome = .failure(error) }
            }
            let indices = positions[key]!
            switch outcome {
            case .success(let row):
                created = created || row.inserted
                for (order, index) in indices.enumerated() {
                    answers[index] = .success(Self.answer(row, order: order, of: indices.count))
                }
            case .failure(let error):
                for index in indices { answers[index] = .failure(error) }
            }
        }
        if created, let wakeUp { await wakeUp() }
        return answers
    }

    /// What the `order`-th of `count` merged reports sees: the job as after its own report
    /// (as if the reports had been written one after another), a duplicate unless it created it.
    static func answer(_ row: Written, order: Int, of count: Int) -> EnqueueResult {
        var job = row.job
        job.reportCount = row.job.reportCount - (count - 1 - order)
        return EnqueueResult(job: job, duplicate: !(row.inserted && order == 0))
    }

    /// The batch statement, `enqueue_reports` (migration 0005, whose plan each pooled connection
    /// keeps): per key, the active job takes the reports (ON CONFLICT), or a new job is made
    /// unless one of the pod succeeded within the dedupe window (no row for that key).
    private func insertOrJoinActive(_ merged: [(report: NewJob, count: Int)]) async throws -> [Key: Written] {
        let namespaces = merged.map(\.report.namespace)
        let pods = merged.map(\.report.pod)
        let containers = merged.map { $0.report.container ?? "" }
        let pipelineRuns = PostgresNullableTextArray(merged.map(\.report.pipelineRun))
        let tasks = PostgresNullableTextArray(merged.map(\.report.task))
        let sources = merged.map(\.report.source.rawValue)
        let maxAttempts = merged.map { $0.report.maxAttempts ?? configuration.retryPolicy.maxAttempts }
        let counts = merged.map(\.count)
        let window = configuration.dedupeWindow.wholeMilliseconds
        // `jobs` names the returned row, so the shared column list reads it as it reads the table.
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresJobRow.columns), written.inserted
            FROM enqueue_reports(\(namespaces)::text[], \(pods)::text[], \(containers)::text[], \(pipelineRuns)::text[],
                                 \(tasks)::text[], \(sources)::text[], \(maxAttempts)::int8[], \(counts)::int8[],
                                 \(window)::float8) AS written,
                 LATERAL (SELECT (written.job).*) AS jobs
            """
        let rows = try await backend.rows(query, tries: Self.tries) { row in
            Written(job: try PostgresJobRow.job(row), inserted: try row.value(23, as: Bool.self))
        }
        return Dictionary(rows.map { (Key($0.job), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every report on its own (after a batch failed on a value): only a bad report fails.
    private func writeOneByOne(_ reports: [NewJob]) async -> [Result<EnqueueResult, any Error>] {
        var answers: [Result<EnqueueResult, any Error>] = []
        var created = false
        for report in reports {
            do {
                let row = try await writeAlone(report, count: 1)
                created = created || row.inserted
                answers.append(.success(Self.answer(row, order: 0, of: 1)))
            } catch {
                answers.append(.failure(error))
            }
        }
        if created, let wakeUp { await wakeUp() }
        return answers
    }

    /// `count` reports of one key, alone: the active job takes them, else a new job unless one
    /// of the pod succeeded within the dedupe window, which then takes them.
    func writeAlone(_ report: NewJob, count: Int) async throws -> Written {
        let maxAttempts = report.maxAttempts ?? configuration.retryPolicy.maxAttempts
        let window = configuration.dedupeWindow.wholeMilliseconds
        let container = report.container ?? ""
        let source = report.source.rawValue
        for _ in 0..<3 {
            // `xmax = 0` tells an inserted row from an updated one.
            let inserted = try await backend.first("""
                INSERT INTO jobs (namespace, pod, container, pipeline_run, task, source, max_attempts, report_count)
                SELECT \(report.namespace), \(report.pod), \(container), \(report.pipelineRun), \(report.task), \(source), \(maxAttempts), \(count)
                WHERE EXISTS (
                    SELECT 1 FROM jobs WHERE namespace = \(report.namespace) AND pod = \(report.pod) AND container = \(container)
                      AND finished_at IS NULL)
                   OR NOT EXISTS (
                    SELECT 1 FROM jobs WHERE namespace = \(report.namespace) AND pod = \(report.pod) AND container = \(container)
                      AND state = 'succeeded' AND finished_at >= now() - \(window)::float8 * interval '1 millisecond')
                ON CONFLICT (namespace, pod, container) WHERE finished_at IS NULL
                DO UPDATE SET report_count = jobs.report_count + EXCLUDED.report_count, updated_at = now()
                RETURNING \(unescaped: PostgresJobRow.columns), (jobs.xmax = 0)
                """) { row in Written(job: try PostgresJobRow.job(row), inserted: try row.value(23, as: Bool.self)) }
            if let inserted { return inserted }
            let joined = try await backend.first("""
                UPDATE jobs SET report_count = report_count + \(count), updated_at = now()
                WHERE id = (SELECT id FROM jobs
                            WHERE namespace = \(report.namespace) AND pod = \(report.pod) AND container = \(container)
                              AND state = 'succeeded' AND finished_at >= now() - \(window)::float8 * interval '1 millisecond'
                            ORDER BY id DESC LIMIT 1)
                RETURNING \(unescaped: PostgresJobRow.columns)
                """, PostgresJobRow.job)
            if let joined { return Written(job: joined, inserted: false) }
            // The finished job left the window between the two statements: insert again.
        }
        throw PostgresStoreError.missingRow("the job of report \(report.namespace)/\(report.pod) (changed three times while enqueueing)")
    }
}
