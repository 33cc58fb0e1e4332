import Foundation

/// Identifies "the same failure" across runs: a hash of the log's key error lines with
/// everything run-specific taken out (the job's own pod and PipelineRun names, timestamps,
/// durations, ids, numbers, generated name suffixes, temp paths), plus the namespace, the
/// pipeline (the PipelineRun name without its generated suffix) and the task.
///
/// The key lines are chosen by content only (`FailureLines`): the strongest few distinct
/// failure lines, however many lines surround them and wherever they are in the log. A log
/// without any failure line is told apart by its container and how that ended instead.
public struct FailureFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// 16 hex digits.
    public let value: String
    /// The normalised, redacted lines that went into the hash, strongest first (for display
    /// and debugging; the hash does not depend on their order). Empty when the log has no
    /// failure line.
    public let keyLines: [String]

    /// Key lines, at most: the strongest distinct failure lines.
    public static let keyLineCount = 5
    /// Characters kept of a key line, after normalisation.
    public static let maxKeyLineLength = 240

    /// How the failed container ended (its pod status), which tells failures apart when the
    /// log says nothing.
    public struct Termination: Sendable, Hashable {
        public var reason: String?
        public var exitCode: Int?

        public init(reason: String?, exitCode: Int?) {
            self.reason = reason
            self.exitCode = exitCode
        }
    }

    /// Scans `log` by itself (the worker takes the `FailureLines` from its excerpt's scan).
    /// `pod` and `pipeline` are the job's own names: where log lines mention them they become
    /// `<pod>` and `<run>`.
    public init(
        log: [UInt8], namespace: String, pipeline: String?, task: String?, pod: String? = nil, container: String? = nil,
        termination: Termination? = nil, redactor: SecretRedactor = SecretRedactor()
    ) {
        self.init(failureLines: FailureLines(log: log, redactor: redactor), namespace: namespace, pipeline: pipeline,
                  task: task, pod: pod, container: container, termination: termination)
    }

    public init(
        failureLines: FailureLines, namespace: String, pipeline: String?, task: String?, pod: String? = nil,
        container: String? = nil, termination: Termination? = nil
    ) {
        // Every line's key, strongest first, ties by key text: which five are kept must not
        // depend on the order the log printed lines of equal strength in.
        var strongest: [String: Float] = [:]
        for (line, score) in zip(failureLines.lines, failureLines.scores) {
            let key = Self.keyLine(line, pod: pod, pipelineRun: pipeline)
            guard !key.isEmpty else { continue }
            strongest[key] = max(strongest[key] ?? score, score)
        }
        let keys = strongest.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.keyLineCount).map(\.key)
        keyLines = keys
        var scope = [namespace, pipeline.map(Self.pipelineScope) ?? "", task ?? ""]
        if keys.isEmpty {
            // Without a failure line every silent failure of the task would be one issue.
            scope += [
                "container=" + (container ?? ""), "reason=" + (termination?.reason ?? ""),
                "exit=" + (termination?.exitCode.map(String.init) ?? ""),
            ]
        }
        // Sorted: lines printed in another order (parallel tests) are the same failure.
        value = Self.hash(([scope.joined(separator: "|")] + keys.sorted()).joined(separator: "\n"))
    }

    public var description: String { value }

    /// A failure line as it goes into the key: the job's own names replaced, normalised, cut.
    static func keyLine(_ line: String, pod: String?, pipelineRun: String?) -> String {
        var text = line
        // The pod name usually contains the PipelineRun's: replace the longer name first.
        if let pod { text = replacingName(pod, with: "<pod>", in: text) }
        if let pipelineRun { text = replacingName(pipelineRun, with: "<run>", in: text) }
        let normalized = normalize(text)
        guard normalized.count > maxKeyLineLength else { return normalized }
        return String(normalized.prefix(maxKeyLineLength)).trimmingCharacters(in: .whitespaces)
    }

    /// `text` with each occurrence of `name` that is not part of a longer word (no letter or
    /// digit next to it) replaced by `placeholder`.
    static func replacingName(_ name: String, with placeholder: String, in text: String) -> String {
        guard !name.isEmpty, text.contains(name) else { return text }
        func isNameCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        var out = ""
        var from = text.startIndex
        var searchFrom = text.startIndex
        while let found = text.range(of: name, range: searchFrom..<text.endIndex) {
            let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : nil
            let after = found.upperBound < text.endIndex ? text[found.upperBound] : nil
            if !(before.map(isNameCharacter) ?? false), !(after.map(isNameCharacter) ?? false) {
                out += text[from..<found.lowerBound]
                out += placeholder
                from = found.upperBound
                searchFrom = found.upperBound
            } else {
                searchFrom = text.index(after: found.lowerBound)
            }
        }
        out += text[from...]
        return out
    }

    /// Characters of Kubernetes generated names (`generateName`, pod-template hashes): no
    /// vowels, no `y`, no `0`, `1`, `3`.
    static let generatedNameCharacters = "bcdfghjklmnpqrstvwxz2456789"

    private static let generatedSuffix = try! NSRegularExpression(pattern: "-[\(generatedNameCharacters)]{5}$")

    /// The pipeline part of the scope: the PipelineRun name without the 5 characters
    /// `generateName` appended (`build-run-qwrtz` and `build-run-x7k2p` are both `build-run`),
    /// normalised.
    static func pipelineScope(_ pipelineRun: String) -> String {
        let stripped = generatedSuffix.stringByReplacingMatches(
            in: pipelineRun, range: NSRange(pipelineRun.startIndex..., in: pipelineRun), withTemplate: "")
        return normalize(stripped)
    }

    private static let durationUnit = #"(?:\s?(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|ms|us|µs|ns)|h|m|s)(?![A-Za-z_])"#

    private static let rules: [(NSRegularExpression, String)] = [
        (#"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"#, "<time>"),
        (#"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"#, "<time>"),
        (#"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"#, "<uuid>"),
        (#"(?:/tmp|/var/tmp|/var/folders|/private/var)/\S*"#, "<tmp>"),
        // `8s`, `0.35s`, `1m 12s`, `2h3m`, `350ms`, `3 minutes`: one placeholder, whatever the units.
        (#"(?<![\w.])\d+(?:\.\d+)?"# + durationUnit + #"(?:\s?\d+(?:\.\d+)?"# + durationUnit + ")*", "<duration>"),
        // Generated name suffixes of pods, ReplicaSets and PipelineRuns: `-7x9k2`, `-5d8f7b9c6d`,
        // and, in the characters `generateName` uses, `-qwrtz` (a fifth of them have no digit).
        (#"-(?=[a-z0-9]{5,10}\b)[a-z]*\d[a-z0-9]*\b"#, "-<id>"),
        ("(?<=[a-z0-9])-[\(generatedNameCharacters)]{5,10}\\b", "-<id>"),
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
