import Foundation
import PostgresNIO

/// Where a PostgreSQL database is, from `AGENT_DB=postgres://user:pass@host:port/db?sslmode=...`
/// (libpq's URL form; `postgresql://` too). `sslmode`: `disable`, `prefer` (the default, as in
/// libpq), `require` (TLS without checking the certificate, as libpq's `require`),
/// `verify-full` (TLS with certificate and host name checked).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// True for a `postgres://` or `postgresql://` URL: everything else `AGENT_DB` holds is a
    /// SQLite file path.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    public init(url text: String) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PostgresStoreError.invalidURL(reason: "expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresStoreError.invalidURL(reason: "no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresStoreError.invalidURL(reason: "no user name")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError.invalidURL(reason: "no database name after the host")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw PostgresStoreError.invalidURL(
                        reason: "sslmode must be disable, prefer, require or verify-full, not \(item.value ?? "empty")")
                }
                tls = mode
            default:
                throw PostgresStoreError.invalidURL(reason: "unknown parameter \(item.name) (known: sslmode)")
            }
        }
        self.init(
            host: host, port: components.port ?? 5432, username: components.user?.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database.removingPercentEncoding ?? database,
            tls: tls)
    }

    /// The URL without its password, for logs and error messages.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    func clientConfiguration(_ settings: PostgresSettings) -> PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            tlsSetting = .disable
        case .prefer:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .prefer(configuration)
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .require(configuration)
        case .verifyFull:
            tlsSetting = .require(TLSConfiguration.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.connectTimeout = settings.connectTimeout
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.minimumConnections = 0
        // Run-time parameters sent at connection start: no statement or transaction may hang
        // a worker, and none may hold back vacuum (a long transaction keeps dead queue rows).
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(settings.statementTimeout.wholeMilliseconds)"),
            ("idle_in_transaction_session_timeout", "\(max(settings.statementTimeout.wholeMilliseconds, 1000) * 2)"),
            ("application_name", settings.applicationName),
        ]
        return configuration
    }
}

/// Connection settings of the PostgreSQL drivers (README: `AGENT_DB_POOL_SIZE`, …).
public struct PostgresSettings: Sendable {
    public var poolSize: Int
    public var connectTimeout: Duration
    /// The longest any statement may run (PostgreSQL's `statement_timeout`).
    public var statementTimeout: Duration
    public var applicationName: String
    /// Group commit of reports (and, with the same bounds, of successful outcomes): at most
    /// this many in one statement…
    public var enqueueBatchSize: Int
    /// …and at most this many such statements at a time, the rest of the pool staying free for
    /// workers and the other stores. Reports arriving meanwhile wait for the next batch. One by
    /// default: a second statement in flight halves the batches (twice the statements, each
    /// with its commit) and, with the server on the same cores, lowered the rate and raised the
    /// p99 (README, Scale out); a remote server's round trip only makes the batches larger.
    public var enqueueBatchesInFlight: Int

    public init(poolSize: Int = 10, connectTimeout: Duration = .seconds(10), statementTimeout: Duration = .seconds(30),
                applicationName: String = "pipeline-agent", enqueueBatchSize: Int = 64, enqueueBatchesInFlight: Int = 1) {
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
        self.enqueueBatchSize = max(1, enqueueBatchSize)
        self.enqueueBatchesInFlight = max(1, enqueueBatchesInFlight)
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

extension PostgresSettings {
    /// `AGENT_DB_POOL_SIZE` (10), `AGENT_DB_CONNECT_TIMEOUT_MS` (10000),
    /// `AGENT_DB_STATEMENT_TIMEOUT_MS` (30000): validated always, used only when `AGENT_DB` is
    /// a PostgreSQL URL.
    public static func fromEnvironment(_ environment: [String: String], applicationName: String = "pipeline-agent") throws -> PostgresSettings {
        func integer(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return value }
            guard let parsed = Int(text), range.contains(parsed) else {
                throw PostgresStoreError.invalidValue("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text)")
            }
            return parsed
        }
        return PostgresSettings(
            poolSize: try integer("AGENT_DB_POOL_SIZE", 10, 1...1000),
            connectTimeout: .milliseconds(try integer("AGENT_DB_CONNECT_TIMEOUT_MS", 10_000, 100...600_000)),
            statementTimeout: .milliseconds(try integer("AGENT_DB_STATEMENT_TIMEOUT_MS", 30_000, 100...3_600_000)),
            applicationName: applicationName)
    }
}
