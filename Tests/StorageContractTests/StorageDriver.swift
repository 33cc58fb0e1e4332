import Foundation
import Logging
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport

/// The drivers every contract test runs against: the same test, two databases.
enum StorageDriver: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Fresh, migrated storage: a new SQLite file, or a new database on the test process's
    /// PostgreSQL cluster (started on first use).
    func open(_ queueConfiguration: QueueConfiguration = QueueConfiguration()) async throws -> OpenStorage {
        switch self {
        case .sqlite:
            let directory = TemporaryDirectory()
            let storage = try AgentStorage.sqlite(path: directory.path("agent.sqlite"), queueConfiguration: queueConfiguration)
            return OpenStorage(storage: storage, directory: directory)
        case .postgres:
            let url = try await PostgresCluster.shared.createDatabase()
            var logger = Logger(label: "contract-tests")
            logger.logLevel = .error
            let storage = try await AgentStorage.postgres(
                PostgresLocation(url: url), settings: PostgresSettings(poolSize: 6),
                queueConfiguration: queueConfiguration, logger: logger)
            return OpenStorage(storage: storage, directory: nil)
        }
    }

    /// Runs `body` on fresh storage and closes it afterwards, also when `body` throws.
    @discardableResult
    func with<T>(_ queueConfiguration: QueueConfiguration = QueueConfiguration(),
                 _ body: (AgentStorage) async throws -> T) async throws -> T {
        let opened = try await open(queueConfiguration)
        do {
            let value = try await body(opened.storage)
            await opened.storage.shutdown()
            return value
        } catch {
            await opened.storage.shutdown()
            throw error
        }
    }
}

/// Storage and what keeps it alive (SQLite's temporary directory).
struct OpenStorage: Sendable {
    let storage: AgentStorage
    let directory: TemporaryDirectory?
}

extension QueueConfiguration {
    /// Retries due at once (no backoff), so tests need not wait.
    static func immediateRetries(maxAttempts: Int = 3, dedupeWindow: Duration = .seconds(3600)) -> QueueConfiguration {
        QueueConfiguration(
            retryPolicy: RetryPolicy(base: .zero, cap: .zero, jitter: 0, maxAttempts: maxAttempts), dedupeWindow: dedupeWindow)
    }
}
