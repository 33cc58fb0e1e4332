import CLI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Python peer (`python3 <peers-dir>/<script> --port P …`) on a free 127.0.0.1 port, its
/// output in a log file, ended with SIGKILL (children of Swift's threads may have SIGTERM
/// blocked; the peers also exit on their own when this process goes away).
final class PeerProcess: @unchecked Sendable {
    let name: String
    let port: Int
    let logPath: String
    private let process = Process()

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }

    /// Starts the peer and waits until its port accepts connections, at most `readyWithin`
    /// (the MCP SDK peers take over 30 s to import on a loaded 2-core machine; the tests' peers
    /// get 90 s too).
    init(script: String, peersDirectory: URL, arguments: [String] = [], environment: [String: String] = [:],
         logDirectory: URL, readyWithin: Duration = .seconds(90)) async throws {
        name = script
        port = try Self.freePort()
        logPath = logDirectory.appending(path: "\(script)-\(port).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersDirectory.appending(path: script).path, "--port", String(port)] + arguments
        process.currentDirectoryURL = peersDirectory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw CommandFailure("cannot start python3 \(script): \(error)") }
        let deadline = ContinuousClock.now + readyWithin
        while !Self.accepts(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                kill()
                let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw CommandFailure("peer \(script) did not accept connections on port \(port) within \(readyWithin) "
                                     + "(scripts/install-deps done?): \(output.suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit { kill() }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port the kernel picked for 127.0.0.1, released again for the peer to bind.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailure("cannot bind 127.0.0.1:0") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
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
