import Foundation

/// Executables built next to the running test bundle (`swift test` builds every product).
public enum BuildProducts {
    public static var directory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    public static func executable(_ name: String) throws -> URL {
        let url = directory.appending(path: name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSupportError("executable \(name) not found in \(directory.path); run `swift build` first")
        }
        return url
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
