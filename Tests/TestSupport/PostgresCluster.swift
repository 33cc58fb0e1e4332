import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 server for tests: one cluster per test process, started on first use in
/// a temporary directory on a free 127.0.0.1 port, with a fresh database per test.
///
/// initdb refuses to run as root, so as root the server runs as the `postgres` user (the
/// temporary directory is handed to it). A watchdog shell is the server's parent: it SIGKILLs
/// the server and removes the directory once the test process is gone, so CI never hangs on a
/// leftover server and no test has to stop it. Durability is off (fsync), as for any test data.
public actor PostgresCluster {
    public static let shared = PostgresCluster()

    public struct Server: Sendable {
        public let port: Int
        public let directory: String
        public var host: String = "127.0.0.1"

        /// `AGENT_DB` for `database`.
        public func url(_ database: String) -> String {
            "postgres://postgres@\(host):\(port)/\(database)?sslmode=disable"
        }
    }

    private var started: Task<Server, any Error>?
    private var databases = 0

    /// Where the binaries are: Debian's postgresql-15 (scripts/install-deps installs it).
    public static let binaries = ProcessInfo.processInfo.environment["AGENT_TEST_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"

    public func server() async throws -> Server {
        if let started { return try await started.value }
        let task = Task { try await Self.start() }
        started = task
        return try await task.value
    }

    /// A new empty database; returns its `postgres://` URL.
    public func createDatabase() async throws -> String {
        let server = try await server()
        databases += 1
        let name = "test_\(databases)"
        try await Self.psql(server, "CREATE DATABASE \(name)")
        return server.url(name)
    }

    /// Runs one SQL command as the superuser (`database` "postgres" by default); returns what
    /// it printed, unaligned, one row per line, without headers.
    @discardableResult
    public static func psql(_ server: Server, _ sql: String, database: String = "postgres") async throws -> String {
        try await psqlWithNotices(server, sql, database: database).output
    }

    /// `psql`, with what the server said beside the rows (notices, e.g. auto_explain's plans).
    public static func psqlWithNotices(_ server: Server, _ sql: String, database: String = "postgres") async throws
        -> (output: String, notices: String) {
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: binaries + "/psql"),
            ["-h", server.host, "-p", String(server.port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
             "-X", "-q", "-A", "-t", "-c", sql],
            timeout: .seconds(60))
        guard result.status == 0 else {
            throw TestSupportError("psql \(sql) failed (\(result.status)): \(result.stderr)")
        }
        return (result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), result.stderr)
    }

    private static var isRoot: Bool { getuid() == 0 }

    /// `command` as the postgres user when running as root.
    private static func asServerUser(_ command: [String]) -> [String] {
        isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + command : command
    }

    /// A server of its own in `lab`'s namespace of `host`, listening on that host's address
    /// (other hosts of the lab connect to it), durable like a production server (fsync on).
    public static func start(in lab: NetworkLab, host: String) async throws -> Server {
        try await start(
            listen: lab.address(host), port: 5432, wrapper: [NetworkLab.ip, "netns", "exec", lab.namespace(host)],
            allowNetwork: "10.231.0.0/16", durable: true)
    }

    private static func start(
        listen: String = "127.0.0.1", port fixedPort: Int? = nil, wrapper: [String] = [], allowNetwork: String? = nil,
        durable: Bool = false
    ) async throws -> Server {
        guard FileManager.default.isExecutableFile(atPath: binaries + "/postgres") else {
            throw TestSupportError("no PostgreSQL server in \(binaries): run scripts/install-deps (Debian package postgresql-15)")
        }
        let directory = "/tmp/pipeline-agent-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if isRoot {
            let chown = try await ChildProcess.run(URL(fileURLWithPath: "/bin/chown"), ["postgres:postgres", directory])
            guard chown.status == 0 else { throw TestSupportError("chown postgres \(directory) failed: \(chown.stderr)") }
        }
        let data = directory + "/data"
        let initdbCommand = asServerUser([
            binaries + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C",
        ])
        let initdb = try await ChildProcess.run(
            URL(fileURLWithPath: initdbCommand[0]), Array(initdbCommand.dropFirst()), timeout: .seconds(120))
        guard initdb.status == 0 else { throw TestSupportError("initdb failed (\(initdb.status)): \(initdb.stderr)") }

        if let allowNetwork {
            let hba = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/pg_hba.conf"))
            try hba.seekToEnd()
            try hba.write(contentsOf: Data("host all all \(allowNetwork) trust\n".utf8))
            try hba.close()
        }
        let port = try fixedPort ?? TestPeer.freePort()
        let durability = durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        let server = (wrapper + asServerUser([
            binaries + "/postgres", "-D", data, "-p", String(port), "-k", directory,
            "-c", "listen_addresses=\(listen)", "-c", "max_connections=400", "-c", "shared_buffers=64MB",
        ] + durability)).map(shellQuote).joined(separator: " ")
        let parent = getpid()
        // The watchdog: the server dies with the test process, whatever way that ends.
        let script = """
            \(server) >\(shellQuote(directory + "/server.log")) 2>&1 &
            pid=$!
            while kill -0 \(parent) 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 0.3; done
            postmaster=$(head -n 1 \(shellQuote(data + "/postmaster.pid")) 2>/dev/null)
            [ -n "$postmaster" ] && kill -KILL "$postmaster" 2>/dev/null
            kill -KILL $pid 2>/dev/null
            sleep 0.5; rm -rf \(shellQuote(directory))
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()

        let ready = Server(port: port, directory: directory, host: listen)
        let deadline = ContinuousClock.now + .seconds(60)
        while listen == "127.0.0.1" ? !TestPeer.accepts(port: port) : (try? await psql(ready, "SELECT 1")) == nil {
            guard watchdog.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
                throw TestSupportError("PostgreSQL did not start on \(listen):\(port): \(log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Accepting TCP comes a moment before accepting logins.
        for attempt in 1... {
            do {
                try await psql(ready, "SELECT 1")
                break
            } catch where attempt < 100 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return ready
    }

    private static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
