import Foundation
import Testing
@testable import Analysis

/// Redaction measured against a real secret scanner: detect-secrets 1.5.0 (installed by
/// scripts/install-deps from Tests/peers/requirements.txt) scans a generated corpus of CI logs
/// with planted secrets of 66 kinds (Tests/peers/secret_corpus.py), then the corpus redacted
/// line by line (as excerpts are) and as one text (as tool results are). Whatever it flags in
/// the input must be gone from both outputs, no planted value may be left verbatim (besides
/// the corpus's listed gaps), and the lines that only look like secrets must stay as they were.
/// Several seeds: the values, and which shape each kind comes in, change with the seed.
@Suite("Secret scanner oracle")
struct SecretScannerOracleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Manifest: Decodable {
        struct Gap: Decodable { let value: String }
        let kinds: Int
        let secrets: [String]
        let keep: [String]
        let gaps: [Gap]
    }

    struct Finding: Hashable { let type: String; let hash: String; let line: Int }

    @Test(arguments: [14, 101, 202])
    func nothingDetectSecretsFlagsSurvivesRedaction(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secret-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.log"), manifestURL = dir.appendingPathComponent("manifest.json")
        try Self.run(["python3", Self.root.appendingPathComponent("Tests/peers/secret_corpus.py").path,
                      corpus.path, manifestURL.path, "--seed", "\(seed)", "--copies", "2"])
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
        #expect(manifest.kinds >= 50)
        let input = try Self.scan(corpus)
        #expect(input.count >= manifest.kinds, "detect-secrets flagged only \(input.count) findings in the corpus")
        let flagged = Set(input.map(\.hash))
        let gaps = Set(manifest.gaps.map(\.value))
        let log = [UInt8](try Data(contentsOf: corpus))
        for (mode, text) in [("lines", RedactedLog.byLine(log)), ("whole", RedactedLog.whole(log))] {
            let out = dir.appendingPathComponent("redacted-\(mode).log")
            try Data(text.utf8).write(to: out)
            let lines = text.components(separatedBy: "\n")
            let leaked = try Self.scan(out).filter { flagged.contains($0.hash) }
            #expect(leaked.isEmpty, "\(mode): detect-secrets still flags \(leaked.map { "\($0.type): \(lines[$0.line - 1].prefix(160))" })")
            let verbatim = manifest.secrets.filter { !gaps.contains($0) && text.contains($0) }
            #expect(verbatim.isEmpty, "\(mode): planted values left: \(verbatim.map { v in lines.first { $0.contains(v) } ?? v })")
            let kept = Set(lines)
            let changed = manifest.keep.filter { !kept.contains($0) }
            #expect(changed.isEmpty, "\(mode): lines that hold no secret were changed: \(changed)")
        }
    }

    /// `detect-secrets scan --all-files` (plain `scan` skips files outside a git work tree).
    /// IPPublicDetector is off: an IP address is no credential and stays in failure lines.
    static func scan(_ file: URL) throws -> [Finding] {
        let out = try run(["detect-secrets", "scan", "--all-files", "--disable-plugin", "IPPublicDetector", file.lastPathComponent],
                          in: file.deletingLastPathComponent())
        guard let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
              let results = json["results"] as? [String: [[String: Any]]] else {
            throw OracleError.unreadable(String(decoding: out, as: UTF8.self).prefix(300).description)
        }
        return results.values.flatMap { $0 }.compactMap { f in
            guard let type = f["type"] as? String, let hash = f["hashed_secret"] as? String, let line = f["line_number"] as? Int else { return nil }
            return Finding(type: type, hash: hash, line: line)
        }
    }

    enum OracleError: Error, CustomStringConvertible {
        case failed([String], Int32, String)
        case unreadable(String)
        var description: String {
            switch self {
            case .failed(let args, let status, let err): "\(args.joined(separator: " ")) exited \(status) (install it with scripts/install-deps): \(err)"
            case .unreadable(let out): "detect-secrets printed no JSON: \(out)"
            }
        }
    }

    @discardableResult
    static func run(_ args: [String], in directory: URL? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleError.failed(args, process.terminationStatus, String(decoding: err, as: UTF8.self).suffix(500).description)
        }
        return out
    }
}
