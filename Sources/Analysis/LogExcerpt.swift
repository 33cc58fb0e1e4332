/// The lines of a CI log that explain its failure, within a token budget
/// (tokens = ceil(bytes / 4)), redacted. Each line keeps its 1-based number as `L123: `;
/// `L123 x5: ` means the same text occurs 5 times among the chosen lines; `…` marks a gap.
public struct LogExcerpt: Sendable {
    public static let defaultBudgetTokens = 2000

    public let text: String

    public init(log: [UInt8], budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) {
        self = Self.excerpts(log: log, budgetsTokens: [budgetTokens], redactor: redactor)[0]
    }

    private init(text: String) { self.text = text }

    /// Excerpts of one log at several budgets, scanning and valuing its lines once (the worker
    /// needs a small one for the fingerprint and a large one for the model).
    public static func excerpts(log: [UInt8], budgetsTokens: [Int], redactor: SecretRedactor = SecretRedactor()) -> [LogExcerpt] {
        let lines = LogLines(log)
        guard lines.count > 0 else { return budgetsTokens.map { _ in LogExcerpt(text: "") } }
        let scan = LogScan(lines)
        let value = LineValuation.values(for: scan)
        var texts = RedactedLines(lines: lines, redactor: redactor)
        return budgetsTokens.enumerated().map { index, budgetTokens in
            let budgetBytes = max(0, budgetTokens) * 4
            guard budgetBytes > 0 else { return LogExcerpt(text: "") }
            texts.keepsNewLines = index < budgetsTokens.count - 1
            var selection = ExcerptSelection(lines: lines, scan: scan, value: value, budgetBytes: budgetBytes)
            return LogExcerpt(text: withinBudget(selection.render(&texts), bytes: budgetBytes))
        }
    }

    /// Selection accounts every byte; this guard keeps the promise even if that ever slips.
    private static func withinBudget(_ s: String, bytes: Int) -> String {
        guard s.utf8.count > bytes else { return s }
        let utf8 = Array(s.utf8.prefix(bytes))
        let cut = utf8.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return String(decoding: utf8[..<cut], as: UTF8.self)
    }

    public init(log: String, budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) {
        self.init(log: Array(log.utf8), budgetTokens: budgetTokens, redactor: redactor)
    }
}
