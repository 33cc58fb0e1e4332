import Foundation
import Testing
import TestSupport
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
    struct Manifest: Decodable {
        struct Gap: Decodable { let value: String }
        let kinds: Int
        let secrets: [String]
        let keep: [String]
        let gaps: [Gap]
    }

    @Test(arguments: [14, 101, 202])
    func nothingDetectSecretsFlagsSurvivesRedaction(seed: Int) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secret-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.log"), manifestURL = dir.appendingPathComponent("manifest.json")
        try await SecretScanner.run(["python3", SecretScanner.root.appendingPathComponent("Tests/peers/secret_corpus.py").path,
                      corpus.path, manifestURL.path, "--seed", "\(seed)", "--copies", "2"])
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
        #expect(manifest.kinds >= 50)
        let input = try await SecretScanner.scan(corpus)
        #expect(input.count >= manifest.kinds, "detect-secrets flagged only \(input.count) findings in the corpus")
        let flagged = Set(input.map(\.hash))
        let gaps = Set(manifest.gaps.map(\.value))
        let log = [UInt8](try Data(contentsOf: corpus))
        for (mode, text) in [("lines", RedactedLog.byLine(log)), ("whole", RedactedLog.whole(log))] {
            let out = dir.appendingPathComponent("redacted-\(mode).log")
            try Data(text.utf8).write(to: out)
            let lines = text.components(separatedBy: "\n")
            let leaked = try await SecretScanner.scan(out).filter { flagged.contains($0.hash) }
            #expect(leaked.isEmpty, "\(mode): detect-secrets still flags \(leaked.map { "\($0.type): \(lines[$0.line - 1].prefix(160))" })")
            let verbatim = manifest.secrets.filter { !gaps.contains($0) && text.contains($0) }
            #expect(verbatim.isEmpty, "\(mode): planted values left: \(verbatim.map { v in lines.first { $0.contains(v) } ?? v })")
            let kept = Set(lines)
            let changed = manifest.keep.filter { !kept.contains($0) }
            #expect(changed.isEmpty, "\(mode): lines that hold no secret were changed: \(changed)")
        }
    }
}
