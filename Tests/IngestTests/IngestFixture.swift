import Foundation
import HTTPClient
import Logging
import Queue
import Store
import Synchronization
import TestSupport
@testable import Ingest

/// An ingest server on 127.0.0.1 with a fresh database, stopped when the test ends.
final class IngestFixture: Sendable {
    let directory = TemporaryDirectory()
    let queue: any JobQueue
    let database: Database?
    let port: Int
    let client = HTTPClient()
    private let server: Task<Void, any Error>

    /// `queue` replaces the SQLite queue (e.g. one that fails) when given.
    init(configuration: IngestConfiguration = IngestConfiguration(), queue replacement: (any JobQueue)? = nil,
         readiness: (@Sendable () async throws -> Void)? = nil) async throws {
        let database = replacement == nil ? try Database.open(path: directory.path("ingest.sqlite")) : nil
        let sqliteQueue = database.map { SQLiteJobQueue(database: $0) }
        let queue = replacement ?? sqliteQueue!
        self.database = database
        self.queue = queue
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        // A queue double sends no job-end signals: its waiters look often instead.
        if replacement != nil { configuration.waitPollInterval = .milliseconds(20) }
        let server = IngestServer(
            queue: queue, configuration: configuration,
            readiness: readiness ?? { [database] in try await database?.checkSchema() },
            jobEnds: Self.jobEndSignals(of: sqliteQueue))
        let bound = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "ingest-test")
        logger.logLevel = .critical
        let app = server.application(logger: logger) { port in bound.continuation.yield(port) }
        self.server = Task { try await app.run() }
        var iterator = bound.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestSupportError("ingest server did not start") }
        self.port = port
    }

    deinit { server.cancel() }

    private static func jobEndSignals(of queue: SQLiteJobQueue?) -> (@Sendable () -> AsyncStream<Void>)? {
        guard let queue else { return nil }
        return { queue.jobEndSignals() }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func post(_ path: String, json: String, headers: HTTPHeaders = ["Content-Type": "application/json"]) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(method: "POST", url: url(path), headers: headers, body: Data(json.utf8)))
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(method: "GET", url: url(path), headers: headers))
    }
}

extension HTTPResponse {
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestSupportError("not a JSON object: \(text)")
        }
        return object
    }

    /// The `error.code` of an API error answer.
    var errorCode: String? { ((try? json())?["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String { ((try? json())?["error"] as? [String: Any])?["message"] as? String ?? "" }
}
