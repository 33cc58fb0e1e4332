import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A TCP forwarder (`Tests/peers/tcp_forward.py`) in front of the tests' PostgreSQL server, on
/// a loopback address of its own, and a fresh database reached through it. Stopping the
/// forwarder (SIGSTOP) makes the link go silent — stalled, not reset — as on a partitioned
/// network; each test that uses one takes another address, since they run side by side.
struct StallableLink {
    let forwarder: ChildProcess
    /// The database's URL through the link.
    let url: String
    /// The same database's URL straight to the server.
    let serverURL: String

    static func start(listen address: String) async throws -> StallableLink {
        let server = try await PostgresCluster.shared.server()
        let url = try await PostgresCluster.shared.createDatabase()
        let forward = TestPeer.peersDirectory.appendingPathComponent("tcp_forward.py").path
        let forwarder = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                         ["python3", forward, "--listen", address, "--connect", "127.0.0.1", "--ports", String(server.port)])
        do {
            try await forwarder.waitForOutput("forwarding")
        } catch {
            forwarder.kill()
            throw error
        }
        return StallableLink(forwarder: forwarder, url: url.replacingOccurrences(of: "@127.0.0.1:", with: "@\(address):"), serverURL: url)
    }

    func stall() { kill(forwarder.process.processIdentifier, SIGSTOP) }

    func restore() { kill(forwarder.process.processIdentifier, SIGCONT) }

    /// Ends the forwarder (stalled or not).
    func close() {
        restore()
        forwarder.kill()
    }
}
