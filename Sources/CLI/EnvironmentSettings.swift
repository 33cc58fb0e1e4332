import Foundation
import Queue
import Store

/// Settings read from environment variables (documented in the README), with a clear error
/// naming the variable when a value is malformed.
public struct EnvironmentSettings: Sendable {
    public let environment: [String: String]

    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// `AGENT_DB`, default `./var/agent.sqlite`.
    public var databasePath: String { nonEmpty("AGENT_DB") ?? "./var/agent.sqlite" }

    public func connectionOptions() throws -> ConnectionOptions {
        var options = ConnectionOptions()
        if let mode = nonEmpty("AGENT_DB_SYNCHRONOUS") {
            guard let parsed = SynchronousMode(rawValue: mode.uppercased()) else {
                throw CommandFailure("AGENT_DB_SYNCHRONOUS must be FULL or NORMAL, not \(mode)")
            }
            options.synchronous = parsed
        }
        options.busyTimeout = .milliseconds(try integer("AGENT_DB_BUSY_TIMEOUT_MS", default: 5000, range: 0...600_000))
        return options
    }

    public func queueConfiguration() throws -> QueueConfiguration {
        let policy = RetryPolicy(
            base: .seconds(try integer("AGENT_RETRY_BASE_SECONDS", default: 5, range: 0...86400)),
            cap: .seconds(try integer("AGENT_RETRY_CAP_SECONDS", default: 600, range: 0...604_800)),
            jitter: 0.5,
            maxAttempts: try integer("AGENT_MAX_ATTEMPTS", default: 10, range: 1...100))
        let window = try integer("AGENT_DEDUPE_WINDOW_SECONDS", default: 86400, range: 0...31_536_000)
        return QueueConfiguration(retryPolicy: policy, dedupeWindow: .seconds(window))
    }

    /// `AGENT_RETENTION_DAYS`: finished jobs older than this are deleted with their attempts
    /// and transcripts (default 30; 0 keeps everything).
    public func retentionDays() throws -> Int {
        try integer("AGENT_RETENTION_DAYS", default: 30, range: 0...36500)
    }

    /// `AGENT_LOG_FORMAT`: `text` (default) or `json`.
    public func logFormat() throws -> LogFormat {
        guard let text = nonEmpty("AGENT_LOG_FORMAT") else { return .text }
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw CommandFailure("AGENT_LOG_FORMAT must be text or json, not \(text)")
        }
        return format
    }

    /// The variable's value, or nil when unset or blank.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// An integer variable within `range`, or `value` when unset.
    public func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = nonEmpty(name) else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw CommandFailure("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text)")
        }
        return parsed
    }
}
