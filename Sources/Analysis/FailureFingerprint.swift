import Foundation

/// Identifies "the same failure" across runs: a hash of the log's key error lines with
/// everything run-specific taken out (timestamps, ids, numbers, pod suffixes, temp paths),
/// plus the namespace and the pipeline/task it happened in.
public struct FailureFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// 16 hex digits.
    public let value: String
    /// The normalised lines that went into the hash (for display and debugging).
    public let keyLines: [String]

    /// Budget of the excerpt the key lines come from: the few highest-valued lines.
    public static let keyBudgetTokens = 96

    public init(log: [UInt8], namespace: String, pipeline: String?, task: String?) {
        self.init(keyExcerpt: LogExcerpt(log: log, budgetTokens: Self.keyBudgetTokens), namespace: namespace,
                  pipeline: pipeline, task: task)
    }

    /// From an excerpt at `keyBudgetTokens` the caller already has.
    public init(keyExcerpt: LogExcerpt, namespace: String, pipeline: String?, task: String?) {
        let lines = keyExcerpt.text.split(separator: "\n").compactMap { line -> String? in
            let text = Self.normalize(Self.stripLineNumber(line))
            return text.isEmpty || text == "…" ? nil : text
        }
        keyLines = lines
        let scope = [namespace, pipeline.map(Self.normalize) ?? "", task ?? ""].joined(separator: "|")
        value = Self.hash(([scope] + lines).joined(separator: "\n"))
    }

    public var description: String { value }

    /// Drops the excerpt's `L123: ` / `L123 x5: ` prefix.
    static func stripLineNumber(_ line: Substring) -> Substring {
        guard line.hasPrefix("L"), let colon = line.firstIndex(of: ":") else { return line }
        let prefix = line[line.index(after: line.startIndex)..<colon]
        guard prefix.first?.isNumber == true, prefix.allSatisfy({ $0.isNumber || $0 == " " || $0 == "x" }) else { return line }
        return line[line.index(after: colon)...].drop { $0 == " " }
    }

    private static let rules: [(NSRegularExpression, String)] = [
        (#"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"#, "<time>"),
        (#"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"#, "<time>"),
        (#"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"#, "<uuid>"),
        (#"(?:/tmp|/var/tmp|/var/folders|/private/var)/\S*"#, "<tmp>"),
        // Generated name suffixes of pods, ReplicaSets and PipelineRuns: `-7x9k2`, `-5d8f7b9c6d`.
        (#"-(?=[a-z0-9]{5,10}\b)[a-z]*\d[a-z0-9]*\b"#, "-<id>"),
        (#"\b(?:0x)?[0-9a-fA-F]*\d[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\b"#, "<hex>"),
        (#"\d+"#, "<n>"),
        (#"\s+"#, " "),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// The line with run-specific parts replaced by placeholders.
    public static func normalize(_ line: some StringProtocol) -> String {
        var text = String(line)
        for (pattern, replacement) in rules {
            text = pattern.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// FNV-1a, 64 bit: stable across processes and platforms (unlike `Hasher`), and ample for
    /// telling failures of one repository apart.
    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
