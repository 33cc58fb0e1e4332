import Foundation

/// A child process for tests: output goes to files that can be read while it runs; it is
/// stopped with SIGKILL (children of concurrency threads inherit a blocked SIGTERM).
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let stdoutURL: URL
    private let stderrURL: URL

    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        let base = FileManager.default.temporaryDirectory.appending(path: "child-\(UUID().uuidString)")
        stdoutURL = base.appendingPathExtension("out")
        stderrURL = base.appendingPathExtension("err")
        // Created empty first, with an error that says why when that fails.
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
    }

    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to end (killing it after `timeout`); returns its exit status.
    /// Polls instead of blocking a dispatch thread on a semaphore: with both of a 2-core
    /// machine's pool threads blocked that way, the termination handler that should wake them
    /// could not run.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                throw TestSupportError("\(process.executableURL?.lastPathComponent ?? "process") did not exit within \(timeout); stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Polls stdout until it contains `text`.
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !stdout.contains(text) {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("no \"\(text)\" in output within \(timeout); stdout: \(stdout) stderr: \(stderr)")
            }
            if !process.isRunning && !stdout.contains(text) {
                throw TestSupportError("process exited (\(process.terminationStatus)) before printing \"\(text)\"; stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                           timeout: Duration = .seconds(60)) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
        let status = try await child.wait(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }
}
