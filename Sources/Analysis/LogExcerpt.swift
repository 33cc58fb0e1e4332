/// The lines of a CI log that explain its failure, within a token budget
/// (tokens = ceil(bytes / 4)), redacted. Each line keeps its 1-based number as `L123: `;
/// `L123 x5: ` means the same text occurs 5 times among the chosen lines; `…` marks a gap.
public struct LogExcerpt: Sendable {
    public static let defaultBudgetTokens = 2000

    public let text: String

    public init(log: [UInt8], budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) {
        let budgetBytes = max(0, budgetTokens) * 4
        let lines = LogLines(log)
        guard lines.count > 0, budgetBytes > 0 else {
            text = ""
            return
        }
        let scan = LogScan(lines)
        let value = LineValuation.values(for: scan)
        var selection = ExcerptSelection(
            lines: lines, scan: scan, value: value, budgetBytes: budgetBytes, redactor: redactor
        )
        text = selection.render()
    }

    public init(log: String, budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) {
        self.init(log: Array(log.utf8), budgetTokens: budgetTokens, redactor: redactor)
    }
}
