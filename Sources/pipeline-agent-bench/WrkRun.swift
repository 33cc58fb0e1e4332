import CLI
import Foundation

/// One run of `wrk` (Debian package) and the figures read from its `--latency` summary.
struct WrkRun {
    var requestsPerSecond: Double
    /// Answers wrk received in the run (any status).
    var requests: Int
    var non2xx: Int
    var socketErrors: String?
    var p50: Duration
    var p99: Duration

    /// Answers wrk received with a 2xx (no route here answers 3xx).
    var successes: Int { requests - non2xx }

    /// Lua for wrk: every request is a report of a pod no other request names (thread number
    /// and per-thread counter), so the queue makes a new job each time instead of deduplicating.
    static let distinctPodsScript = """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        local threads = 0
        function setup(thread)
          thread:set("thread_id", threads)
          threads = threads + 1
        end
        local sent = 0
        function request()
          sent = sent + 1
          return wrk.format(nil, nil, nil, string.format(
            '{"namespace":"bench","pod_name":"pod-%d-%d","container_name":"step-run"}', thread_id, sent))
        end
        """

    /// Runs wrk to completion. Output goes to a file and the wait is a termination handler, not
    /// a blocking read: a blocked cooperative thread would take CPU from the server under test.
    static func run(wrk: String, url: String, script: String, connections: Int, threads: Int, seconds: Int,
                    directory: URL) async throws -> WrkRun {
        let output = directory.appending(path: "wrk-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [wrk, "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, url]
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: CommandFailure("cannot run \(wrk): \(error)"))
            }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw CommandFailure("\(wrk) exited with \(status): \(text)") }
        return try parse(text)
    }

    /// Reads wrk's summary, e.g. `  50%  412.00us`, `  123456 requests in 10.00s, …`,
    /// `  Non-2xx or 3xx responses: 5`, `Requests/sec:  12345.67`.
    static func parse(_ text: String) throws -> WrkRun {
        var rps: Double?, requests: Int?, non2xx = 0, socketErrors: String?, p50: Duration?, p99: Duration?
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:") {
                rps = fields.last.flatMap { Double($0) }
            } else if line.contains(" requests in ") {
                requests = fields.first.flatMap { Int($0) }
            } else if line.hasPrefix("Non-2xx or 3xx responses:") {
                non2xx = fields.last.flatMap { Int($0) } ?? 0
            } else if line.hasPrefix("Socket errors:") {
                socketErrors = String(line.dropFirst("Socket errors:".count)).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("50%"), fields.count == 2 {
                p50 = duration(String(fields[1]))
            } else if line.hasPrefix("99%"), fields.count == 2 {
                p99 = duration(String(fields[1]))
            }
        }
        guard let rps, let requests, let p50, let p99 else {
            throw CommandFailure("cannot read wrk's output:\n\(text)")
        }
        return WrkRun(requestsPerSecond: rps, requests: requests, non2xx: non2xx, socketErrors: socketErrors,
                      p50: p50, p99: p99)
    }

    /// wrk's latency text: `412.00us`, `1.25ms`, `1.02s`, `2.00m`.
    static func duration(_ text: String) -> Duration? {
        for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)) else { return nil }
            return .nanoseconds(Int64(value * scale * 1e9))
        }
        return nil
    }
}
