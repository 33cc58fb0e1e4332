import Foundation

/// A size-limited tmpfs mounted on a fresh directory, for disk-full tests. Mounting needs root
/// (CI runs as root); `isAvailable` tells whether this process may mount. Unmounted (lazily,
/// so an open database file cannot keep it busy) when released.
public final class SmallFilesystem: Sendable {
    public let directory: TemporaryDirectory
    private let filler: String

    public static var isAvailable: Bool { geteuid() == 0 }

    public init(megabytes: Int) throws {
        directory = TemporaryDirectory()
        filler = directory.path("filler")
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.url.path])
    }

    deinit { try? Self.run("/bin/umount", ["-l", directory.url.path]) }

    public func path(_ name: String) -> String { directory.path(name) }

    /// Writes a filler file until the filesystem refuses another byte.
    public func fill() throws {
        try Data().write(to: URL(fileURLWithPath: filler))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        defer { try? handle.close() }
        let block = Data(count: 64 * 1024)
        // Large blocks first, then single bytes, so that no partial block is left free.
        for size in [block.count, 4096, 1] {
            while (try? handle.write(contentsOf: block.prefix(size))) != nil {}
        }
    }

    /// Deletes the filler: the space is back.
    public func free() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
