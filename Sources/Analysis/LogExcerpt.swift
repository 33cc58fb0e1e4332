/// The lines of a CI log that explain its failure, within a token budget
/// (tokens = ceil(bytes / 4)), redacted. Each line keeps its 1-based number as `L123: `;
/// `L123 x5: ` means the same text occurs 5 times among the chosen lines; `…` marks a gap.
public struct LogExcerpt: Sendable {
    public static let defaultBudgetTokens = 2000

    public let text: String
    /// Why each shown line was chosen, by its 1-based line number (`explained` only).
    public let reasons: [Int: String]

    public init(log: [UInt8], budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) {
        self = Self.excerpts(log: log, budgetsTokens: [budgetTokens], redactor: redactor)[0]
    }

    private init(text: String, reasons: [Int: String] = [:]) {
        self.text = text
        self.reasons = reasons
    }

    /// The excerpt with the reason each line was chosen (its rule or value), for
    /// `agentctl excerpt --explain`: the same selection as `init(log:budgetTokens:)`.
    public static func explained(log: [UInt8], budgetTokens: Int = defaultBudgetTokens, redactor: SecretRedactor = SecretRedactor()) -> LogExcerpt {
        analyse(log: log, budgetsTokens: [budgetTokens], redactor: redactor, failureLines: false, explain: true).excerpts[0]
    }

    /// Excerpts of one log at several budgets, scanning and valuing its lines once.
    public static func excerpts(log: [UInt8], budgetsTokens: [Int], redactor: SecretRedactor = SecretRedactor()) -> [LogExcerpt] {
        analyse(log: log, budgetsTokens: budgetsTokens, redactor: redactor, failureLines: false).excerpts
    }

    /// Excerpts of one log and its `FailureLines`, from one scan: the worker needs the lines
    /// for the fingerprint and an excerpt for the model. The lines are redacted first, so the
    /// excerpts find most of theirs already redacted.
    public static func excerptsAndFailureLines(
        log: [UInt8], budgetsTokens: [Int], redactor: SecretRedactor = SecretRedactor()
    ) -> (excerpts: [LogExcerpt], failureLines: FailureLines) {
        analyse(log: log, budgetsTokens: budgetsTokens, redactor: redactor, failureLines: true)
    }

    private static func analyse(
        log: [UInt8], budgetsTokens: [Int], redactor: SecretRedactor, failureLines wanted: Bool, explain: Bool = false
    ) -> (excerpts: [LogExcerpt], failureLines: FailureLines) {
        let lines = LogLines(log)
        guard lines.count > 0 else { return (budgetsTokens.map { _ in LogExcerpt(text: "") }, FailureLines(lines: [])) }
        let scan = LogScan(lines)
        var texts = RedactedLines(lines: lines, redactor: redactor)
        var failureLines = FailureLines(lines: [])
        if wanted {
            texts.keepsNewLines = !budgetsTokens.isEmpty
            failureLines = FailureLines(lines: lines, scan: scan, texts: &texts)
        }
        guard !budgetsTokens.isEmpty else { return ([], failureLines) }
        let valuation = LineValuation(scan)
        let excerpts = budgetsTokens.enumerated().map { index, budgetTokens in
            let budgetBytes = max(0, budgetTokens) * 4
            guard budgetBytes > 0 else { return LogExcerpt(text: "") }
            texts.keepsNewLines = index < budgetsTokens.count - 1
            var selection = ExcerptSelection(lines: lines, scan: scan, valuation: valuation, budgetBytes: budgetBytes)
            let text = withinBudget(selection.render(&texts), bytes: budgetBytes)
            guard explain else { return LogExcerpt(text: text) }
            return LogExcerpt(text: text, reasons: Dictionary(uniqueKeysWithValues: selection.reasons().map { ($0.key + 1, $0.value) }))
        }
        return (excerpts, failureLines)
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
