import Foundation

/// Yelp's detect-secrets 1.5.0 (installed by scripts/install-deps from
/// Tests/peers/requirements.txt), the judge of redaction in tests.
public enum SecretScanner {
    /// The package's top folder.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public let file: String
        public let type: String
        public let hash: String
        public let line: Int
        public var description: String { "\(file):\(line) \(type)" }
    }

    /// Every finding in `file`.
    public static func scan(_ file: URL) async throws -> [Finding] {
        try await scan(arguments: [file.lastPathComponent], in: file.deletingLastPathComponent())
    }

    /// Every finding in the files of `folder`, scanned one at a time: given several files,
    /// detect-secrets scans them in a `multiprocessing` pool, which was seen to deadlock here.
    public static func scan(folder: URL) async throws -> [Finding] {
        var findings: [Finding] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            findings += try await scan(arguments: [file], in: folder)
        }
        return findings
    }

    /// `detect-secrets scan --all-files` (plain `scan` skips files outside a git work tree).
    /// IPPublicDetector is off: an IP address is no credential and stays in failure lines.
    private static func scan(arguments: [String], in directory: URL) async throws -> [Finding] {
        let out = try await run(["detect-secrets", "scan", "--all-files", "--disable-plugin", "IPPublicDetector"] + arguments, in: directory)
        guard let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
              let results = json["results"] as? [String: [[String: Any]]] else {
            throw ScannerError.unreadable(String(decoding: out, as: UTF8.self).prefix(300).description)
        }
        return results.flatMap { file, findings in
            findings.compactMap { f -> Finding? in
                guard let type = f["type"] as? String, let hash = f["hashed_secret"] as? String, let line = f["line_number"] as? Int else {
                    return nil
                }
                return Finding(file: file, type: type, hash: hash, line: line)
            }
        }.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    public enum ScannerError: Error, CustomStringConvertible {
        case failed([String], Int32, String)
        case unreadable(String)
        public var description: String {
            switch self {
            case .failed(let args, let status, let err): "\(args.joined(separator: " ")) exited \(status) (install it with scripts/install-deps): \(err)"
            case .unreadable(let out): "detect-secrets printed no JSON: \(out)"
            }
        }
    }

    /// How detect-secrets names a value in its findings (`hashed_secret`: SHA-1 in hex).
    public static func hashedSecret(_ value: String) async throws -> String {
        let out = try await run(["python3", "-c", "import hashlib, sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())", value])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a command to its end; its standard output, or `ScannerError.failed`. Waits without
    /// blocking a thread (`ChildProcess` polls): detect-secrets runs for a second or more per
    /// file, and a blocking wait held one of a 2-core machine's two pool threads for minutes,
    /// stalling every other suite's tasks.
    @discardableResult
    public static func run(_ args: [String], in directory: URL? = nil) async throws -> Data {
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), args, directory: directory, timeout: .seconds(600))
        guard result.status == 0 else {
            throw ScannerError.failed(args, result.status, String(result.stderr.suffix(500)))
        }
        return Data(result.stdout.utf8)
    }
}
