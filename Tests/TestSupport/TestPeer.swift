import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Python peer from Tests/peers started on a free 127.0.0.1 port, stopped with SIGKILL
/// (Foundation.Process children can inherit a blocked SIGTERM).
public final class TestPeer: @unchecked Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let port: Int
    private let process: Process
    private let logPath: String

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static let peersDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("peers")

    /// Starts `python3 Tests/peers/<script> --port P <arguments>` and waits until it accepts TCP.
    public convenience init(
        script: String, arguments: [String] = [], environment: [String: String] = [:],
        port: Int? = nil, readyWhenLogged marker: String? = nil, readyWithin: Duration = .seconds(90)
    ) async throws {
        let path = Self.peersDirectory.appendingPathComponent(script).path
        try await self.init(
            label: script, environment: environment, port: port, readyWhenLogged: marker, readyWithin: readyWithin,
            command: { port in ["python3", path, "--port", String(port)] + arguments })
    }

    /// Starts `command(port)` (through /usr/bin/env, in Tests/peers) and waits until it accepts
    /// TCP, or until its output contains `marker` for peers that deliberately accept nothing.
    public init(
        label: String, environment: [String: String] = [:], port fixedPort: Int? = nil,
        readyWhenLogged marker: String? = nil, readyWithin: Duration = .seconds(90),
        command: (Int) -> [String]
    ) async throws {
        port = try fixedPort ?? Self.freePort()
        logPath = NSTemporaryDirectory() + "peer-\(label)-\(port).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let arguments = command(port)
        process.arguments = arguments
        process.currentDirectoryURL = Self.peersDirectory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw StartFailure(description: "cannot start \(arguments.joined(separator: " ")): \(error)")
        }
        let deadline = ContinuousClock.now + readyWithin
        let logPath = self.logPath
        let port = self.port
        func isReady() -> Bool {
            guard let marker else { return Self.accepts(port: port) }
            return ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").contains(marker)
        }
        while !isReady() {
            if !process.isRunning || ContinuousClock.now > deadline {
                stop()
                let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw StartFailure(description: """
                    peer `\(arguments.joined(separator: " "))` did not become ready on port \(port) \
                    (is `python3 -m pip install -r Tests/peers/requirements.txt` done?): \
                    \(output.suffix(2000))
                    """)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// A loopback port nothing listens on, for a peer to bind next. Chosen below the kernel's
    /// ephemeral range (32768–60999), which bind(0) and outgoing connections draw from, and
    /// never handed out twice in one test process: asking the kernel for an ephemeral port
    /// and releasing it let two peers starting at once get the same number, and a peer's
    /// readiness check then connected to the other one.
    public static func freePort() throws -> Int {
        for _ in 0..<500 {
            let port = Int.random(in: 20000..<32000)
            guard handedOut.withLock({ $0.insert(port).inserted }), canBind(port: port) else { continue }
            return port
        }
        throw StartFailure(description: "no free loopback port in 20000..<32000")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func canBind(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
