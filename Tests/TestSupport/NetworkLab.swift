import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hosts for a multi-host test on one machine: a network namespace per host, each joined by a
/// veth pair to a bridge that this lab creates, on a /24 inside 10.231.0.0/16 (no other
/// address is used or touched). The test's own process reaches the hosts through the bridge
/// (address .1); host `i` is .(10 + i). Needs root and iproute2.
///
/// Everything the lab made is removed by `tearDown()`, and by a watchdog shell when the test
/// process ends any other way (a crash, SIGKILL): it kills what runs in the namespaces, then
/// deletes them and the bridge.
public final class NetworkLab: @unchecked Sendable {
    public let prefix: String
    public let subnet: Int
    public let hosts: [String]
    private let watchdog = Process()
    private var tornDown = false

    public static let ip = "/usr/sbin/ip"

    /// Whether this machine can run the lab (root, `ip`).
    public static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: ip)
    }

    /// Creates the bridge and one namespace per name in `hosts`.
    public init(hosts: [String]) async throws {
        let tag = UUID().uuidString.prefix(4).lowercased()
        prefix = "pa\(tag)"
        subnet = Int.random(in: 1...250)
        self.hosts = hosts
        try startWatchdog()
        do {
            try await Self.ip(["link", "add", bridge, "type", "bridge"])
            try await Self.ip(["addr", "add", "\(gateway)/24", "dev", bridge])
            try await Self.ip(["link", "set", bridge, "up"])
            for (index, host) in hosts.enumerated() {
                let namespace = namespace(host)
                try await Self.ip(["netns", "add", namespace])
                try await Self.ip(["link", "add", hostLink(host), "type", "veth", "peer", "name", "\(prefix)n\(index)"])
                try await Self.ip(["link", "set", "\(prefix)n\(index)", "netns", namespace])
                try await Self.ip(["link", "set", hostLink(host), "master", bridge, "up"])
                try await Self.ip(["-n", namespace, "link", "set", "lo", "up"])
                try await Self.ip(["-n", namespace, "addr", "add", "\(address(host))/24", "dev", "\(prefix)n\(index)"])
                try await Self.ip(["-n", namespace, "link", "set", "\(prefix)n\(index)", "up"])
            }
        } catch {
            await tearDown()
            throw error
        }
    }

    public var bridge: String { "\(prefix)br" }
    /// The bridge's address: the test process's side (where forwarded peers listen).
    public var gateway: String { "10.231.\(subnet).1" }
    public func namespace(_ host: String) -> String { "\(prefix)-\(host)" }
    public func address(_ host: String) -> String { "10.231.\(subnet).\(10 + index(host))" }
    /// The bridge side of the host's veth pair: down cuts the host off.
    public func hostLink(_ host: String) -> String { "\(prefix)h\(index(host))" }

    private func index(_ host: String) -> Int {
        guard let index = hosts.firstIndex(of: host) else { preconditionFailure("no host \(host) in the lab") }
        return index
    }

    /// `command` run inside the host's namespace (`ip netns exec`, which execs it: the child's
    /// pid is the command's).
    public func command(on host: String, _ command: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: Self.ip), ["netns", "exec", namespace(host)] + command)
    }

    public func start(on host: String, _ command: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        let (executable, arguments) = self.command(on: host, command)
        return try ChildProcess(executable, arguments, environment: environment)
    }

    /// Cuts the host's link (or restores it).
    public func setLink(_ host: String, up: Bool) async throws {
        try await Self.ip(["link", "set", hostLink(host), up ? "up" : "down"])
    }

    /// SIGKILLs every process in the host's namespace (the host dies).
    public func killProcesses(on host: String) async throws {
        let pids = try await ChildProcess.run(URL(fileURLWithPath: Self.ip), ["netns", "pids", namespace(host)])
        for pid in pids.stdout.split(whereSeparator: \.isNewline).compactMap({ Int32($0) }) {
            Glibc.kill(pid, SIGKILL)
        }
    }

    /// Kills what runs in the namespaces, deletes them and the bridge. Safe to call twice.
    public func tearDown() async {
        guard !tornDown else { return }
        tornDown = true
        _ = try? await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", cleanupScript], timeout: .seconds(60))
        // SIGKILL: a child of a concurrency thread may have SIGTERM blocked.
        if watchdog.isRunning { Glibc.kill(watchdog.processIdentifier, SIGKILL) }
    }

    private var cleanupScript: String {
        let namespaces = hosts.map { namespace($0) }.joined(separator: " ")
        let links = hosts.map { hostLink($0) }.joined(separator: " ")
        return """
            for ns in \(namespaces); do
              for pid in $(\(Self.ip) netns pids $ns 2>/dev/null); do kill -KILL $pid 2>/dev/null; done
            done
            sleep 0.2
            # The host ends of the veth pairs, explicitly: a namespace outlives its deletion
            # while sockets in it still retransmit (a cut link), and with it its veth pair.
            for link in \(links); do \(Self.ip) link del $link 2>/dev/null; done
            for ns in \(namespaces); do \(Self.ip) netns del $ns 2>/dev/null; done
            \(Self.ip) link del \(bridge) 2>/dev/null
            true
            """
    }

    private func startWatchdog() throws {
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            \(cleanupScript)
            """]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    private static func ip(_ arguments: [String]) async throws {
        let result = try await ChildProcess.run(URL(fileURLWithPath: ip), arguments, timeout: .seconds(30))
        guard result.status == 0 else {
            throw TestSupportError("ip \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}
